"""What the two SQL archives share, written once: a connection per thread, reading stored articles and
their inputs, story clusters, rejections, run history, counts and the filters a query carries.

Shared SQL is written with ``?`` placeholders and handed to a driver that wants ``%s`` (psycopg) with
them replaced (``_sql``); each backend names the few places its dialect differs as class attributes
(how a latest version is tested, which tables hold summaries and stored articles, how a filter
compares text) and keeps to itself what really differs: its full-text search, its migrations and
how it writes a record.
"""

from __future__ import annotations

import json
import threading
import zlib
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from .. import dedup
from ..article import Article, Input
from ..errors import ArchiveError
from .base import Backend, RecordWriter, snippet_html, utc_text
from .query import Filters, Query
from .records import Cluster, IngestReport, Record, Rejection, Stats, Stored, Summary, decode_article

__all__ = ["FACET_COLUMNS", "Select", "SqlBackend", "SqlWriter", "cluster_row", "given_text", "now"]


#: The facets that are a column of ``articles`` (author and tag are tables of their own).
FACET_COLUMNS = {"site": "a.site", "section": "a.section", "language": "a.language", "day": "a.day"}


def given_text(text: str, exact: Any) -> str:
    """An article's text as it was given: its exact UTF-8 bytes where the archive had to store a cleaned
    ``text`` (PostgreSQL cannot hold NUL or lone surrogates), else ``text``."""
    return bytes(exact).decode("utf-8", "surrogatepass") if exact is not None else text


def now() -> str:
    """This instant in UTC, as the archives store it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Select:
    """A query's parts: ``with_`` (a common table expression, or empty), then FROM … WHERE … of ``body``."""

    with_: str
    body: str
    params: list[Any]
    fts: bool


def cluster_row(members: list[tuple[int, str | None, list[str], str | None]]) -> tuple[Any, ...]:
    """(size, canonical id, source, wire, first published) of a cluster's (id, site, authors, published)
    rows: the canonical member is the earliest crediting a wire agency, else the earliest."""
    agencies = {m[0]: dedup.wire_agency(m[2]) for m in members}
    pool = [m for m in members if agencies[m[0]]] or members
    first = min(pool, key=lambda m: (m[3] is None, m[3] or "", m[0]))
    published = [m[3] for m in members if m[3]]
    agency = agencies[first[0]]
    return len(members), first[0], agency or first[1], agency is not None, min(published, default=None)


class SqlBackend(Backend):
    """A backend over an SQL database: the methods whose SQL both dialects read alike."""

    #: the driver's placeholder; shared SQL is written with ``?``
    _PARAM: ClassVar[str] = "?"
    #: an article is its URL's latest version (written as the partial indexes are, so that they serve)
    _LATEST: ClassVar[str]
    #: a filter value compared case-blind, as the archive compares names and sections
    _EQUALS: ClassVar[str]
    #: a summary's columns (``_summary_of``), the FROM holding them, and the column of an article's cluster
    _SUMMARY: ClassVar[str]
    _SUMMARY_FROM: ClassVar[str]
    _CLUSTER: ClassVar[str]
    #: a stored article's columns (``_stored_of``) and the FROM holding them
    _STORED: ClassVar[str]
    _STORED_FROM: ClassVar[str]
    #: the table of small facts about the archive ("clusters" is "stale" while articles arrived since)
    _STATE: ClassVar[str]
    #: the schema version this code writes
    _SCHEMA_VERSION: ClassVar[int]
    #: (id, text, exact text or NULL) of the latest articles with ids above ``?``, in id order, ``?`` at most
    _TEXTS: ClassVar[str]

    # -- connections ---------------------------------------------------------------------------------

    def _open_connections(self) -> None:
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()

    @property
    def _db(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(conn, "closed", False):
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    @abstractmethod
    def _connect(self) -> Any:
        """A new connection, set up."""

    @abstractmethod
    def _errors(self) -> AbstractContextManager[None]:
        """Turns the driver's errors into ``ArchiveError`` naming the archive."""

    @abstractmethod
    def _transaction(self, write: bool = True) -> AbstractContextManager[Any]:
        """One transaction on this thread's connection, committed on leaving."""

    @abstractmethod
    def _name(self) -> str:
        """The archive as messages name it (no password)."""

    def _writable(self) -> None:
        if self.readonly:
            raise ArchiveError(f"{self._name()}: the archive is read-only; open it writable to ingest")

    # -- the dialect ---------------------------------------------------------------------------------

    def _sql(self, text: str) -> str:
        return text if self._PARAM == "?" else text.replace("?", self._PARAM)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._errors():
            return list(self._db.execute(self._sql(sql), params).fetchall())

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._errors():
            self._db.execute(self._sql(sql), params)

    @staticmethod
    def _text(value: str | None) -> str | None:
        """A string as the database can hold it (PostgreSQL: no NUL, no lone surrogate)."""
        return value

    def _stored_of(self, row: Sequence[Any]) -> Stored:
        """A stored article from a row of ``_STORED``: id, payload, text, version, latest, source, cluster,
        ingested at (then what ``_article_of`` reads besides)."""
        return Stored(
            id=row[0],
            article=self._article_of(row),
            version=row[3],
            latest=bool(row[4]),
            source=row[5],
            cluster_id=row[6],
            ingested_at=row[7],
        )

    def _article_of(self, row: Sequence[Any]) -> Article:
        """The article of a ``_STORED`` row, from its payload and text."""
        return decode_article(bytes(row[1]), row[2])

    @abstractmethod
    def _listed(self, value: Any) -> list[str]:
        """A list column (authors, tags) as a list."""

    def _summary_of(
        self, row: Sequence[Any], *, score: float | None = None, snippet: str | None = None
    ) -> Summary:
        """A summary from a row of ``_SUMMARY``."""
        return Summary(
            id=row[0],
            url=row[1],
            title=row[2],
            description=row[3],
            site=row[4],
            section=row[5],
            published=row[6],
            day=row[7],
            language=row[8],
            authors=self._listed(row[9]),
            tags=self._listed(row[10]),
            image=row[11],
            cluster_id=row[12],
            cluster_size=row[13],
            version=row[14],
            snippet=snippet_html(snippet),
            score=float(score) if score is not None else None,
        )

    def _set_state(self, db: Any, key: str, value: str) -> None:
        db.execute(
            self._sql(
                f"INSERT INTO {self._STATE} (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            (key, value),
        )

    # -- writing -------------------------------------------------------------------------------------

    def _resign(self) -> None:
        """Make the stored signatures again from the texts when they are of another kind than this broadsheet
        makes (``dedup.SIGNATURE_SCHEME``), once, when the archive is opened writable: clusters compare
        signatures of one kind. A read-only archive keeps its signatures and the clusters they gave."""
        scheme = str(dedup.SIGNATURE_SCHEME)
        query = self._sql(f"SELECT value FROM {self._STATE} WHERE key = ?")
        if self.readonly or self._rows(query, ("signatures",)) == [(scheme,)]:
            return  # checked outside a write transaction: opening does not wait for another writer
        with self._transaction() as db:
            if db.execute(query, ("signatures",)).fetchall() == [(scheme,)]:
                return  # another process re-signed them meanwhile
            if db.execute("SELECT 1 FROM signatures LIMIT 1").fetchone():
                db.execute("DELETE FROM signatures")
                for batch in self._latest_texts(db):
                    prints = [(aid, dedup.fingerprint(text)) for aid, text in batch]
                    db.cursor().executemany(  # a psycopg connection has no executemany of its own
                        self._sql("INSERT INTO signatures (article_id, shingles, minhash) VALUES (?, ?, ?)"),
                        [(aid, fp.shingles, fp.signature) for aid, fp in prints if fp.shingles],
                    )
                self._set_state(db, "clusters", "stale")
            self._set_state(db, "signatures", scheme)

    def _latest_texts(self, db: Any, batch: int = 1000) -> Iterator[list[tuple[int, str]]]:
        """The latest articles' (id, text as given), a batch at a time."""
        last = 0
        while rows := db.execute(self._sql(self._TEXTS), (last, batch)).fetchall():
            yield [(r[0], given_text(r[1], r[2])) for r in rows]
            last = rows[-1][0]

    def known(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        wanted = {(self._text(source) or "", digest) for source, digest in keys}
        with self._errors():
            return stored_inputs(self._db, self._sql, wanted)

    def _pipelined(self, db: Any) -> AbstractContextManager[Any]:
        """Where the batch's statements are sent without waiting for each result, as the driver can."""
        return nullcontext()

    @abstractmethod
    def _writer(self, db: Any) -> SqlWriter:
        """What stores records inside the open transaction ``db``."""

    def write(self, records: Sequence[Record]) -> IngestReport:
        self._writable()
        report = IngestReport()
        with self._transaction() as db, self._pipelined(db):
            self._writer(db).write_all(records, report)
            if report.articles or report.versions:
                self._set_state(db, "clusters", "stale")
        return report

    @abstractmethod
    def _recluster(self, db: Any) -> int:
        """Recompute story clusters inside the open transaction; articles moved."""

    def recluster(self, *, force: bool = False) -> int:
        self._writable()
        with self._transaction() as db:
            stale = db.execute(
                self._sql(f"SELECT 1 FROM {self._STATE} WHERE key = ? AND value = ?"), ("clusters", "stale")
            ).fetchone()
            if not (stale or force):
                return 0
            moved = self._recluster(db)
            self._set_state(db, "clusters", "current")
            return moved

    def log_run(self, sources: Sequence[str], report: IngestReport, started_at: str) -> None:
        if self.readonly:
            return
        summary = {
            "read": report.read,
            "unchanged": report.unchanged,
            "articles": report.articles,
            "versions": report.versions,
            "rejected": dict(report.rejected),
        }
        self._run(
            "INSERT INTO runs (started_at, finished_at, sources, report) VALUES (?, ?, ?, ?)",
            (started_at, now(), json.dumps([self._text(s) for s in sources]), json.dumps(summary)),
        )

    # -- reading one ---------------------------------------------------------------------------------

    def _stored(self, where: str, params: Sequence[Any]) -> Stored | None:
        rows = self._rows(
            f"SELECT {self._STORED} {self._STORED_FROM} WHERE {where} ORDER BY a.version DESC LIMIT 1", params
        )
        return self._stored_of(rows[0]) if rows else None

    def get(self, ref: int | str) -> Stored | None:
        if isinstance(ref, int):
            return self._stored("a.id = ?", (ref,))
        ref = self._text(ref) or ""
        return self._stored(f"a.key = ? AND {self._LATEST}", (ref,)) or self._stored("a.url = ?", (ref,))

    def get_by_source(self, source: str) -> Stored | None:
        return self._stored("i.source = ?", (self._text(source),))

    def versions(self, url: str) -> list[Stored]:
        url = self._text(url) or ""
        rows = self._rows(
            f"SELECT {self._STORED} {self._STORED_FROM} WHERE a.key = ? OR a.url = ? ORDER BY a.version",
            (url, url),
        )
        return [self._stored_of(r) for r in rows]

    def input_of(self, ref: int | str) -> Input | None:
        stored = self.get(ref)
        if stored is None:
            return None
        raw, is_text, url, fetched_at, source, kind = self._rows(
            "SELECT i.raw, i.raw_is_text, i.url, i.fetched_at, i.source, i.kind "
            "FROM inputs i JOIN articles a ON a.input_id = i.id WHERE a.id = ?",
            (stored.id,),
        )[0]
        data = zlib.decompress(raw) if raw is not None else b""
        content: bytes | str = data.decode("utf-8", "surrogatepass") if is_text else data
        return Input(content=content, url=url, fetched_at=fetched_at, source=source, kind=kind)

    # -- querying ------------------------------------------------------------------------------------

    @abstractmethod
    def _select(self, query: Query, filters: Filters, *, latest: bool = True) -> Select:
        """The parts of a query over articles matching ``query`` (full text) and ``filters``."""

    def _filter_sql(self, f: Filters, *, latest: bool = True) -> tuple[list[str], list[Any]]:
        """WHERE terms (to be AND-ed) and their parameters for ``f``, in this dialect."""
        where, params = [self._LATEST if latest else "true"], list[Any]()
        equals = self._EQUALS
        if f.site:
            where.append(f"({equals.format('a.site')} OR a.host = ?)")
            params += [self._text(f.site), f.site.lower().removeprefix("www.")]
        for column, value in (("a.section", f.section), ("a.language", f.lang)):
            if value:
                where.append(equals.format(column))
                params.append(self._text(value))
        for table, column, value in (("authors", "name", f.author), ("tags", "tag", f.tag)):
            if value:
                where.append(f"a.id IN (SELECT article_id FROM {table} WHERE {equals.format(column)})")
                params.append(self._text(value))
        for term, value in (("a.day >= ?", f.since), ("a.day <= ?", f.until)):
            if value:
                where.append(term)
                params.append(value)
        if f.added_since:
            where.append("a.ingested_at >= ?")
            params.append(utc_text(f.added_since))
        return [self._sql(w) for w in where], params

    def count(self, query: Query, filters: Filters) -> int:
        sel = self._select(query, filters)
        return int(self._rows(f"{sel.with_} SELECT count(*) {sel.body}", sel.params)[0][0])

    def counts_by_day(self, query: Query, filters: Filters) -> list[tuple[str, int]]:
        sel = self._select(query, filters)
        rows = self._rows(
            f"{sel.with_} SELECT a.day, count(*) {sel.body} AND a.day IS NOT NULL GROUP BY a.day ORDER BY a.day",
            sel.params,
        )
        return [(r[0], r[1]) for r in rows]

    @staticmethod
    def _facet_of(field: str, body: str) -> tuple[str, str]:
        """The body a facet counts over (joined to the authors or tags table for those) and the value counted."""
        if field not in ("author", "tag"):
            return body, FACET_COLUMNS[field]
        table, column = ("authors", "name") if field == "author" else ("tags", "tag")
        return body.replace(" WHERE ", f" JOIN {table} f ON f.article_id = a.id WHERE ", 1), f"f.{column}"

    def clusters(
        self, min_size: int, limit: int, offset: int, since: str | None, until: str | None
    ) -> list[Cluster]:
        where, params = ["size >= ?"], list[Any]([min_size])
        for term, value in (
            ("substr(first_published, 1, 10) >= ?", since),
            ("substr(first_published, 1, 10) <= ?", until),
        ):
            if value:
                where.append(term)
                params.append(value)
        ids = self._rows(
            f"SELECT id FROM clusters WHERE {' AND '.join(where)} ORDER BY size DESC, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [c for (cid,) in ids if (c := self.cluster(cid)) is not None]

    def cluster(self, cluster_id: int) -> Cluster | None:
        head = self._rows("SELECT size, canonical_id, source, wire FROM clusters WHERE id = ?", (cluster_id,))
        if not head:
            return None
        size, canonical, source, wire = head[0]
        rows = self._rows(
            f"SELECT {self._SUMMARY} {self._SUMMARY_FROM} WHERE {self._CLUSTER} = ? AND {self._LATEST} "
            "ORDER BY a.id = ? DESC, a.published NULLS FIRST, a.id",
            (cluster_id, canonical),
        )
        members = [self._summary_of(r) for r in rows]
        return Cluster(cluster_id, size, source, bool(wire), members[0], members)

    def rejections(self, reason: str | None, limit: int, offset: int) -> list[Rejection]:
        where, params = "outcome = 'rejected'", list[Any]()
        if reason:
            where += " AND reason = ?"
            params.append(reason)
        rows = self._rows(
            f"SELECT id, source, url, reason, error, duplicate_of FROM inputs WHERE {where} ORDER BY id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [Rejection(*r) for r in rows]

    @abstractmethod
    def _size_bytes(self, db: Any) -> int:
        """The archive's size on disk."""

    def stats(self) -> Stats:
        with self._transaction(write=False) as db:

            def one(sql: str) -> int:
                return int(db.execute(sql).fetchone()[0] or 0)

            inputs = one("SELECT count(*) FROM inputs")
            articles = one("SELECT count(*) FROM articles")
            urls = one(f"SELECT count(*) FROM articles a WHERE {self._LATEST}")
            reasons = dict(
                db.execute("SELECT reason, count(*) FROM inputs WHERE reason IS NOT NULL GROUP BY reason")
            )
            clusters, clustered, largest = db.execute(
                "SELECT count(*), sum(size), max(size) FROM clusters WHERE size > 1"
            ).fetchone()
            sites = one(f"SELECT count(DISTINCT lower(a.site)) FROM articles a WHERE {self._LATEST}")
            raw = one("SELECT sum(size) FROM inputs")
            size = self._size_bytes(db)
        return Stats(
            inputs=inputs,
            articles=articles,
            urls=urls,
            versions=articles - urls,
            rejections=reasons,
            clusters=clusters or 0,
            clustered=int(clustered or 0),
            largest_cluster=largest or 0,
            sites=sites,
            raw_bytes=raw,
            size_bytes=size,
            schema_version=self._SCHEMA_VERSION,
        )

    def iter_articles(self, query: Query, filters: Filters, all_versions: bool) -> Iterator[Stored]:
        sel = self._select(query, filters, latest=not all_versions)
        last = 0
        while rows := self._rows(
            f"{sel.with_} SELECT {self._STORED} {self._STORED_FROM} WHERE a.id IN "
            f"(SELECT a.id {sel.body} AND a.id > ? ORDER BY a.id LIMIT 500) ORDER BY a.id",
            [*sel.params, last],
        ):
            for row in rows:
                yield self._stored_of(row)
            last = rows[-1][0]


class SqlWriter(RecordWriter):
    """Writes records inside one open transaction of a ``SqlBackend``: the look-ups of a batch, made in a few
    statements for all its records, in the backend's dialect; the backend's own subclass stores inputs and
    articles."""

    def __init__(self, backend: SqlBackend, db: Any, now: str) -> None:
        self.db = db
        self.now = now
        self._text = backend._text
        self._sql = backend._sql
        self._latest_where = backend._LATEST
        # (source, content hash) of the inputs stored, in the archive or earlier in the batch
        self._inputs: set[tuple[str, str]] = set()
        self._latests: dict[str, tuple[Any, str, int]] = {}  # id, or what ``_article_id`` reads it from

    def _prepare(self, records: Sequence[Record], keys: Sequence[str]) -> None:
        self._inputs.update(stored_inputs(self.db, self._sql, {self._input_key(r) for r in records}))
        articles = sorted({k for r, k in zip(records, keys, strict=True) if r.article is not None})
        for chunk in _chunks(articles, _CHUNK):
            rows = self.db.execute(
                self._sql(
                    "SELECT a.key, a.id, a.text_hash, a.version FROM articles a "
                    f"WHERE a.key IN ({', '.join(['?'] * len(chunk))}) AND {self._latest_where}"
                ),
                chunk,
            ).fetchall()
            self._latests.update((r[0], (r[1], r[2], r[3])) for r in rows)

    def _input_key(self, record: Record) -> tuple[str, str]:
        return self._text(record.source) or "", record.content_hash

    def _known(self, record: Record) -> bool:
        pair = self._input_key(record)
        if pair in self._inputs:
            return True
        self._inputs.add(pair)  # stored now, whatever its outcome
        return False

    def _key(self, key: str | None) -> str:
        return self._text(key) or ""

    def _latest(self, key: str) -> tuple[int, str, int] | None:
        found = self._latests.get(key)
        if found is None or isinstance(found[0], int):
            return found
        latest = (self._article_id(found[0]), found[1], found[2])
        self._latests[key] = latest
        return latest

    def _stored_latest(self, key: str, stored: Any, text_hash: str, version: int) -> None:
        self._latests[key] = (stored, text_hash, version)

    def _article_id(self, stored: Any) -> int:
        """The id of an article from what ``_store`` returned (here the id itself)."""
        return int(stored)


_CHUNK = 400  # values a look-up statement lists (SQLite takes at most 32,766 parameters)


def _chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def stored_inputs(
    db: Any, dialect: Callable[[str], str], pairs: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Which of these (source, content hash) pairs the archive holds as inputs, in few statements."""
    found: set[tuple[str, str]] = set()
    for chunk in _chunks(sorted(set(pairs)), _CHUNK):
        rows = db.execute(
            dialect(
                "SELECT source, content_hash FROM inputs WHERE (source, content_hash) IN "
                f"(VALUES {', '.join(['(?, ?)'] * len(chunk))})"
            ),
            [x for pair in chunk for x in pair],
        ).fetchall()
        found.update((r[0], r[1]) for r in rows)
    return found
