"""The backend interface: what a store (SQLite, PostgreSQL) implements, in its own terms.

``open_backend(location)`` picks the backend a location names: a plain path or ``sqlite:///path``
is an SQLite file; ``postgresql://...`` a PostgreSQL database. Nothing here speaks SQL: queries
arrive parsed (``Query``, ``Filters``) and each backend compiles them; what the two SQL backends
compile alike is written once in sql.py. ``Archive`` (api.py) is the public face over a backend;
ingestion, export and explain are written once, there.
"""

from __future__ import annotations

import html
import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from .. import dedup
from ..article import Article, Input
from ..errors import ArchiveError, Reason
from ..pipeline.urls import split_url
from .query import Filters, Query
from .records import Cluster, IngestReport, Record, Rejection, Stats, Stored, Summary

__all__ = ["Backend", "RecordWriter", "open_backend"]

#: URL scheme → "module:Class" of the backend, imported on first use.
_BACKENDS = {
    "sqlite": "broadsheet.archive.sqlite:SQLiteBackend",
    "postgresql": "broadsheet.archive.postgres:PostgresBackend",
    "postgres": "broadsheet.archive.postgres:PostgresBackend",
}


def open_backend(location: str, **options: Any) -> Backend:
    """The backend for ``location`` (a path, ``sqlite:///path`` or ``postgresql://...``), opened."""
    scheme = location.split("://", 1)[0].lower() if "://" in location else "sqlite"
    target = _BACKENDS.get(scheme)
    if target is None:
        raise ArchiveError(
            f"unknown archive URL scheme {scheme!r}: use a file path, sqlite:/// or postgresql://"
        )
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise ArchiveError(
            f"the {scheme} archive backend is not part of this version of broadsheet"
        ) from None
    backend: type[Backend] = getattr(module, class_name)
    return backend(location, **options)


class Backend(ABC):
    """A store of inputs, article versions, a search index and story clusters.

    Contract: every input written is an article or a rejection; ``write`` is atomic per batch and
    keeps record order; ``known`` and ``write`` make ingestion idempotent by (source, content hash);
    an article at a URL already stored with other text becomes its next version, with the same
    text a ``duplicate`` rejection. Queries see latest versions only.
    """

    location: str
    readonly: bool

    @abstractmethod
    def __init__(self, location: str, *, readonly: bool = False, **options: Any) -> None:
        """Open (a writable one creates or upgrades) the store at ``location``; ``ArchiveError`` if it cannot."""

    # -- writing -------------------------------------------------------------------------------------

    @abstractmethod
    def known(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (source, content hash) pairs are stored already."""

    @abstractmethod
    def write(self, records: Sequence[Record]) -> IngestReport:
        """Store a batch of records atomically, in order: versions and duplicates resolved."""

    @abstractmethod
    def recluster(self, *, force: bool = False) -> int:
        """Recompute story clusters over every latest article with ``dedup.cluster``; returns articles moved.

        A no-op when no article arrived since the last one, unless ``force``.
        """

    def log_run(self, sources: Sequence[str], report: IngestReport, started_at: str) -> None:  # noqa: B027
        """Keep a history of ingestion runs (optional: it is not the archive's content)."""

    # -- reading -------------------------------------------------------------------------------------

    @abstractmethod
    def get(self, ref: int | str) -> Stored | None:
        """An article by id (that exact version) or URL (its latest version)."""

    @abstractmethod
    def get_by_source(self, source: str) -> Stored | None:
        """The article stored from the input with this source key, if it became one."""

    @abstractmethod
    def versions(self, url: str) -> list[Stored]:
        """Every stored version of the article at ``url``, oldest first."""

    @abstractmethod
    def input_of(self, ref: int | str) -> Input | None:
        """The input an article was extracted from, as it was given."""

    @abstractmethod
    def search(self, query: Query, filters: Filters, limit: int, offset: int) -> list[Summary]:
        """Matches best first (bm25 or the like) with snippets; without a query, newest first."""

    @abstractmethod
    def count(self, query: Query, filters: Filters) -> int:
        """How many latest articles match."""

    @abstractmethod
    def counts_by_day(self, query: Query, filters: Filters) -> list[tuple[str, int]]:
        """Matches per publication day, in date order."""

    @abstractmethod
    def facet(self, field: str, query: Query, filters: Filters, limit: int) -> list[tuple[str, int]]:
        """Most common values of a field in ``FACETS`` among matches, most common first."""

    @abstractmethod
    def clusters(
        self, min_size: int, limit: int, offset: int, since: str | None, until: str | None
    ) -> list[Cluster]:
        """Largest clusters first, optionally those first published within [since, until]."""

    @abstractmethod
    def cluster(self, cluster_id: int) -> Cluster | None:
        """One cluster with its members, canonical first."""

    @abstractmethod
    def rejections(self, reason: str | None, limit: int, offset: int) -> list[Rejection]:
        """Rejected inputs in arrival order."""

    @abstractmethod
    def stats(self) -> Stats:
        """Counts over the archive, from one consistent snapshot."""

    @abstractmethod
    def iter_articles(self, query: Query, filters: Filters, all_versions: bool) -> Iterator[Stored]:
        """Matching articles in id order, lazily."""

    def prepare(self) -> None:
        """Load ahead what the first wide query would wait for (a server calls it at start). Optional."""
        return None

    @abstractmethod
    def close(self) -> None:
        """Release connections. Idempotent."""


class RecordWriter(ABC):
    """What a backend does with a batch of records inside an open transaction, decided once for every
    backend: an input already stored is unchanged; a rejected one is stored with its reason; an article
    with the text of the latest version at its key is a duplicate; otherwise it is a new article, or a new
    version that retires the previous one. Records are decided in order, each seeing those before it.
    Subclasses run the SQL: the look-ups for the whole batch first (``_prepare``), then the writes."""

    def write_all(self, records: Sequence[Record], report: IngestReport) -> None:
        keys = [self.key_of(record) for record in records]  # the look-ups and the writes both need them
        self._prepare(records, keys)
        for record, key in zip(records, keys, strict=True):
            self._write(record, key, report)

    def _write(self, record: Record, key: str, report: IngestReport) -> None:
        if self._known(record):
            report.unchanged += 1
            return
        article = record.article
        if article is None:
            reason = record.reason or Reason.UNREADABLE.value
            self._reject(record, reason, record.error)
            report.rejected[reason] += 1
            return
        fp = record.fingerprint or dedup.fingerprint(article.text)
        prev = self._latest(key)
        if prev and prev[1] == fp.text_hash:
            self._reject(
                record, Reason.DUPLICATE.value, f"same text as article {prev[0]}", duplicate_of=prev[0]
            )
            report.rejected[Reason.DUPLICATE.value] += 1
            return
        if prev:
            self._retire(prev[0])
        version = (prev[2] + 1) if prev else 1
        self._stored_latest(key, self._store(record, key, version, article, fp), fp.text_hash, version)
        if prev:
            report.versions += 1
        else:
            report.articles += 1

    def key_of(self, record: Record) -> str:
        """The key versions of one article share (its URL, else where it came from)."""
        article = record.article
        url = (article.url or article.canonical_url) if article else None
        return self._key(url or record.url or record.source)

    def _key(self, key: str | None) -> str:
        return key or ""

    @abstractmethod
    def _prepare(self, records: Sequence[Record], keys: Sequence[str]) -> None:
        """Look up at once what ``_known`` and ``_latest`` answer for these records (``keys``: each one's
        ``key_of``)."""

    @abstractmethod
    def _stored_latest(self, key: str, stored: Any, text_hash: str, version: int) -> None:
        """The article just stored (``stored``: what ``_store`` returned) is the latest at ``key``."""

    @abstractmethod
    def _known(self, record: Record) -> bool:
        """Whether an input with this source and content is stored already, or earlier in the batch."""

    @abstractmethod
    def _latest(self, key: str) -> tuple[int, str, int] | None:
        """(id, text hash, version) of the latest article stored under ``key``."""

    @abstractmethod
    def _reject(
        self, record: Record, reason: str, error: str | None, duplicate_of: int | None = None
    ) -> None:
        """Store the input as a rejection with its reason; a duplicate's raw input is not kept (the article
        it repeats holds it)."""

    @abstractmethod
    def _store(self, record: Record, key: str, version: int, article: Article, fp: dedup.Fingerprint) -> Any:
        """Store the input and its article (the latest version at ``key``) with what search and dedup need
        of it: the article's id, or what gives it (``_stored_latest``)."""

    @abstractmethod
    def _retire(self, article_id: int) -> None:
        """An older version leaves search and dedup."""


# -- helpers every backend shares ------------------------------------------------------------------------

#: What a backend's snippet function puts around a matched word (FTS5 ``snippet``, PostgreSQL ``ts_headline``).
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


def host_of(url: str | None) -> str | None:
    """The URL's host without "www.", the site an article falls back to."""
    host = split_url(url).hostname or ""  # an unreadable URL ("http://[bad/") has none
    return host.removeprefix("www.") or None


def utc_text(instant: str) -> str:
    """An ISO 8601 instant as the UTC text ``ingested_at`` holds (naive means UTC)."""
    moment = datetime.fromisoformat(instant)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def snippet_html(raw: str | None) -> str | None:
    """A backend's snippet as HTML: the text escaped, the matches marked."""
    if raw is None:
        return None
    return html.escape(raw).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
