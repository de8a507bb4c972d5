"""The archive interface: what every backend (SQLite now, PostgreSQL next) offers, in its own terms.

``Archive(location)`` opens the backend its location names: a plain path or ``sqlite:///path`` is an
SQLite file; ``postgresql://...`` a PostgreSQL database. Nothing here speaks SQL: backends implement
the abstract methods; ingestion, export and explain are written once on top of them.
"""

from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, Unpack

from ..article import Article, Input
from ..errors import ArchiveError
from ..options import Options
from .query import FilterArgs
from .records import Cluster, IngestReport, Record, Rejection, Stats, Stored, Summary

__all__ = ["Archive", "ExportFormat"]

ExportFormat = Literal["jsonl", "parquet", "csv"]

#: URL scheme → "module:Class" of the backend, imported on first use.
_BACKENDS = {
    "sqlite": "broadsheet.archive.sqlite:SQLiteArchive",
    "postgresql": "broadsheet.archive.postgres:PostgresArchive",
    "postgres": "broadsheet.archive.postgres:PostgresArchive",
}


def _backend(location: str) -> type[Archive]:
    scheme = location.split("://", 1)[0].lower() if "://" in location else "sqlite"
    target = _BACKENDS.get(scheme)
    if target is None:
        raise ArchiveError(f"unknown archive URL scheme {scheme!r}: use a file path, sqlite:/// or postgresql://")
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise ArchiveError(f"the {scheme} archive backend is not part of this version of broadsheet") from None
    backend: type[Archive] = getattr(module, class_name)
    return backend


class Archive(ABC):
    """A store of articles: ingest sources into it, then search, list, cluster, export.

    >>> with Archive("news.db") as archive:
    ...     archive.ingest(["saved-pages/"])
    ...     hits = archive.search("harbour council", site="Northern Ledger", since="2024-01-01")
    """

    location: str
    readonly: bool

    def __new__(cls, location: str | os.PathLike[str] = "broadsheet.db", **kwargs: Any) -> Archive:
        if cls is Archive:
            cls = _backend(os.fspath(location))
        return super().__new__(cls)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def ingest(
        self,
        sources: Iterable[str | Input],
        *,
        options: Options | None = None,
        workers: int | None = None,
        progress: bool | None = None,
    ) -> IngestReport:
        """Extract every record of ``sources`` (paths, globs, JSON lines, ... or ``Input``s) into the archive.

        Resumable and idempotent: inputs already stored (same source key and content) are skipped.
        ``workers``: processes (default: all cores; 0 extracts in this process).
        """
        from ..ingest import ingest

        return ingest(self, sources, options=options, workers=workers, progress=progress)

    def add(self, article: Article, *, source: str, raw: bytes | str = b"") -> int | None:
        """Store an article made elsewhere; returns its id (None when it is a duplicate or rejected)."""
        from ..ingest import record_for

        self.write([record_for(article, source=source, raw=raw)])
        self.recluster()
        stored = self.get_by_source(source)
        return stored.id if stored else None

    def log_run(self, sources: Sequence[str], report: IngestReport, started_at: str) -> None:
        """Keep a history of ingestion runs (a backend may ignore it: it is not the archive's content)."""

    @abstractmethod
    def known(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (source, content hash) pairs are stored already."""

    @abstractmethod
    def write(self, records: Sequence[Record]) -> IngestReport:
        """Store a batch of records atomically, in order: versions, duplicates and clusters resolved."""

    @abstractmethod
    def recluster(self, *, force: bool = False) -> int:
        """Recompute the story clusters over every latest article (``dedup.cluster``); returns articles moved.

        Ingestion calls it at the end of a run; it does nothing when no article arrived since the last
        one (unless ``force``). Clusters are a function of the stored articles alone.
        """

    # -- reading one -----------------------------------------------------------------------------

    @abstractmethod
    def get(self, ref: int | str) -> Stored | None:
        """The latest version of an article, by id or URL (an id gives that exact version)."""

    @abstractmethod
    def get_by_source(self, source: str) -> Stored | None:
        """The article stored from the input with this source key, if it became one."""

    @abstractmethod
    def versions(self, url: str) -> list[Stored]:
        """Every stored version of the article at ``url``, oldest first."""

    @abstractmethod
    def input_of(self, ref: int | str) -> Input | None:
        """The input an article was extracted from, as it was given (for explain and re-extraction)."""

    def explain(self, ref: int | str, options: Options | None = None) -> Article | None:
        """Re-extract an article's input with every block's decision kept (``Article.explain``)."""
        from ..pipeline import extract_input

        item = self.input_of(ref)
        if item is None:
            return None
        return extract_input(item, (options or Options()).with_(explain=True))

    # -- querying --------------------------------------------------------------------------------

    @abstractmethod
    def search(self, query: str = "", *, limit: int = 20, offset: int = 0, **filters: Unpack[FilterArgs]) -> list[Summary]:
        """Latest articles matching ``query`` (best first, with snippets), or newest first without one."""

    def latest(self, *, limit: int = 20, offset: int = 0, **filters: Unpack[FilterArgs]) -> list[Summary]:
        """Newest articles first (by publication date)."""
        return self.search("", limit=limit, offset=offset, **filters)

    @abstractmethod
    def count(self, query: str = "", **filters: Unpack[FilterArgs]) -> int:
        """How many latest articles match."""

    @abstractmethod
    def counts_by_day(self, query: str = "", **filters: Unpack[FilterArgs]) -> list[tuple[str, int]]:
        """Matching articles per publication day (YYYY-MM-DD), in date order: attention over time."""

    @abstractmethod
    def facet(
        self, field: str, query: str = "", *, limit: int = 50, **filters: Unpack[FilterArgs]
    ) -> list[tuple[str, int]]:
        """Most common values of ``field`` (site, section, author, tag, language, day) among matches."""

    @abstractmethod
    def clusters(
        self, *, min_size: int = 2, limit: int = 20, offset: int = 0, since: str | None = None, until: str | None = None
    ) -> list[Cluster]:
        """Stories with the most copies first (trending), optionally those first published in a date range."""

    @abstractmethod
    def cluster(self, cluster_id: int) -> Cluster | None:
        """One story cluster with all its members."""

    @abstractmethod
    def rejections(self, reason: str | None = None, *, limit: int = 100, offset: int = 0) -> list[Rejection]:
        """Inputs that did not become articles, in arrival order."""

    @abstractmethod
    def stats(self) -> Stats:
        """Counts over the archive: inputs, articles, versions, rejections by reason, clusters, size."""

    @abstractmethod
    def iter_articles(
        self, query: str = "", *, all_versions: bool = False, **filters: Unpack[FilterArgs]
    ) -> Iterator[Stored]:
        """Every matching article (latest versions unless ``all_versions``), in id order, lazily."""

    def export(
        self,
        path: str | os.PathLike[str],
        format: ExportFormat | None = None,
        *,
        all_versions: bool = False,
        query: str = "",
        **filters: Unpack[FilterArgs],
    ) -> int:
        """Write articles to ``path`` as JSON lines, Parquet or CSV (by suffix unless given); returns the count."""
        from .export import export

        return export(self.iter_articles(query, all_versions=all_versions, **filters), Path(path), format)

    @abstractmethod
    def close(self) -> None:
        """Release the connection. Idempotent."""
