"""The archive: ingested articles, searchable, deduplicated into story clusters, exportable.

``Archive(location)`` opens (or creates) one: a file path or ``sqlite:///path`` for the embedded
SQLite archive, ``postgresql://...`` for a shared PostgreSQL one. See ``Archive`` for the methods.
"""

from __future__ import annotations

from .api import Archive, ExportFormat
from .base import Backend, open_backend
from .query import FACETS, Filters, Query, parse_query
from .records import Cluster, IngestReport, Record, Rejection, Stats, Stored, Summary

__all__ = [
    "FACETS",
    "Archive",
    "Backend",
    "Cluster",
    "ExportFormat",
    "Filters",
    "IngestReport",
    "Query",
    "Record",
    "Rejection",
    "Stats",
    "Stored",
    "Summary",
    "open_backend",
    "parse_query",
]
