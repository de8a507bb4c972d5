"""``Archive``: the Python face of the archive, mirroring the CLI (ingest, search, get, clusters, export)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, Unpack

from ..article import Article, Input
from ..options import Options
from .base import Backend, open_backend
from .query import FilterArgs, Filters, parse_query
from .records import Cluster, IngestReport, Rejection, Stats, Stored, Summary

__all__ = ["Archive", "ExportFormat"]

ExportFormat = Literal["jsonl", "parquet", "csv"]


class Archive:
    """A store of articles: ingest sources into it, then search, list, cluster and export them.

    ``location`` is a file path or ``sqlite:///path`` (the embedded SQLite archive, created when
    missing) or ``postgresql://...``. ``readonly`` opens it for reading only.

    >>> with Archive("news.db") as archive:
    ...     archive.ingest(["saved-pages/", "scrape.jsonl"])
    ...     hits = archive.search("harbour council", site="Northern Ledger", since="2024-01-01")

    Queries take the filters ``site``, ``section``, ``author``, ``tag``, ``since``, ``until``
    (inclusive publication days), ``lang`` and ``added_since`` (stored at or after an ISO 8601
    instant: digests of what is new), and see the latest version of each article.
    """

    def __init__(
        self, location: str | os.PathLike[str] = "broadsheet.db", *, readonly: bool = False, **options: Any
    ) -> None:
        self.backend: Backend = open_backend(os.fspath(location), readonly=readonly, **options)

    @property
    def location(self) -> str:
        return self.backend.location

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({self.location!r})"

    def close(self) -> None:
        self.backend.close()

    # -- writing -------------------------------------------------------------------------------------

    def ingest(
        self,
        sources: Iterable[str | Input],
        *,
        options: Options | None = None,
        workers: int | None = None,
        progress: bool | None = None,
        batch_size: int = 1024,
    ) -> IngestReport:
        """Extract every record of ``sources`` (folders, globs, JSON lines, ... or ``Input``s) into the archive.

        Resumable and idempotent: inputs already stored (same source key and content) are skipped.
        ``workers``: processes (default: all cores; 0 extracts in this process). Workers start from a
        fork server, so a script calling this needs the usual ``if __name__ == "__main__":`` guard.
        """
        from ..ingest import ingest

        return ingest(
            self.backend, sources, options=options, workers=workers, progress=progress, batch_size=batch_size
        )

    def add(self, article: Article, *, source: str, raw: bytes | str = b"") -> int | None:
        """Store an article made elsewhere; its id (None when it was a duplicate or a rejection)."""
        from ..ingest import record_for

        self.backend.write([record_for(article, source=source, raw=raw)])
        self.backend.recluster()
        stored = self.backend.get_by_source(source)
        return stored.id if stored else None

    def recluster(self, *, force: bool = False) -> int:
        """Recompute story clusters (ingestion does it after each run); returns articles moved."""
        return self.backend.recluster(force=force)

    # -- one article ---------------------------------------------------------------------------------

    def get(self, ref: int | str) -> Stored | None:
        """An article by id (that version) or URL (its latest version)."""
        return self.backend.get(ref)

    def versions(self, url: str) -> list[Stored]:
        """Every stored version of the article at ``url``, oldest first."""
        return self.backend.versions(url)

    def input_of(self, ref: int | str) -> Input | None:
        """The input an article was extracted from, exactly as given."""
        return self.backend.input_of(ref)

    def explain(self, ref: int | str, options: Options | None = None) -> Article | None:
        """Re-extract an article's stored input keeping every block's decision (``Article.explain``)."""
        from ..pipeline import extract_input

        item = self.backend.input_of(ref)
        if item is None:
            return None
        return extract_input(item, (options or Options()).with_(explain=True))

    # -- queries -------------------------------------------------------------------------------------

    def search(
        self, query: str = "", *, limit: int = 20, offset: int = 0, **filters: Unpack[FilterArgs]
    ) -> list[Summary]:
        """Articles matching ``query`` best first with highlighted snippets; without one, newest first.

        Syntax: all words must match; ``"a phrase"``, ``word*``, ``a OR b``, ``-word``.
        """
        return self.backend.search(parse_query(query), Filters.of(filters), limit, offset)

    def latest(self, *, limit: int = 20, offset: int = 0, **filters: Unpack[FilterArgs]) -> list[Summary]:
        """Newest articles first (by publication date): front page, site, section, tag and author pages."""
        return self.backend.search(parse_query(""), Filters.of(filters), limit, offset)

    def count(self, query: str = "", **filters: Unpack[FilterArgs]) -> int:
        """How many articles match (for paging)."""
        return self.backend.count(parse_query(query), Filters.of(filters))

    def counts_by_day(self, query: str = "", **filters: Unpack[FilterArgs]) -> list[tuple[str, int]]:
        """Matching articles per publication day (YYYY-MM-DD), in date order: attention over time."""
        return self.backend.counts_by_day(parse_query(query), Filters.of(filters))

    def facet(
        self, field: str, query: str = "", *, limit: int = 50, **filters: Unpack[FilterArgs]
    ) -> list[tuple[str, int]]:
        """Most common values of ``field`` (site, section, author, tag, language, day) among matches."""
        return self.backend.facet(field, parse_query(query), Filters.of(filters), limit)

    def clusters(
        self,
        *,
        min_size: int = 2,
        limit: int = 20,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Cluster]:
        """Stories with the most copies first (trending), optionally first published within a date range."""
        dates = Filters.of({"since": since, "until": until})
        return self.backend.clusters(min_size, limit, offset, dates.since, dates.until)

    def cluster(self, cluster_id: int) -> Cluster | None:
        """One story cluster: its source, canonical article, every member ("also published by")."""
        return self.backend.cluster(cluster_id)

    def rejections(self, reason: str | None = None, *, limit: int = 100, offset: int = 0) -> list[Rejection]:
        """Inputs that did not become articles, with reason and source key, in arrival order."""
        return self.backend.rejections(reason, limit, offset)

    def stats(self) -> Stats:
        """Inputs, articles, versions, rejections by reason, clusters and size."""
        return self.backend.stats()

    def iter_articles(
        self, query: str = "", *, all_versions: bool = False, **filters: Unpack[FilterArgs]
    ) -> Iterator[Stored]:
        """Every matching article (latest versions unless ``all_versions``), in id order, lazily."""
        return self.backend.iter_articles(parse_query(query), Filters.of(filters), all_versions)

    def export(
        self,
        path: str | os.PathLike[str],
        format: ExportFormat | None = None,
        *,
        all_versions: bool = False,
        query: str = "",
        **filters: Unpack[FilterArgs],
    ) -> int:
        """Write articles as JSON lines, Parquet or CSV (by suffix unless given); returns how many."""
        from .export import export

        return export(self.iter_articles(query, all_versions=all_versions, **filters), Path(path), format)
