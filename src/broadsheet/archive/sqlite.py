"""The embedded archive: one SQLite file (WAL), FTS5 search with bm25 and snippets, MinHash clusters.

Writes happen in batched ``BEGIN IMMEDIATE`` transactions, so a crash (even SIGKILL) loses at most
the batch in flight and never leaves a half-written input; readers in other processes keep reading
while a writer works (WAL). A full disk or a read-only file raises ``ArchiveError`` and rolls the
batch back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .. import dedup
from ..article import Article, Input
from ..errors import ArchiveError
from .base import Backend, RecordWriter, host_of, snippet_html, utc_text
from .columns import FilterColumns
from .query import FACETS, Filters, Query, Term
from .records import (
    Cluster,
    IngestReport,
    Record,
    Rejection,
    Stats,
    Stored,
    Summary,
    decode_article,
    encode_article,
)
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = ["SQLiteBackend", "sqlite_path"]

_SUMMARY = (
    "a.id, a.url, b.title, b.description, a.site, a.section, a.published, a.day, a.language, a.authors, a.tags, "
    "a.image, a.cluster_id, coalesce(c.size, 1), a.version"
)
_STORED = "a.id, b.data, b.text, a.version, a.latest, i.source, a.cluster_id, a.ingested_at"
_JOINS = "JOIN bodies b ON b.id = a.id LEFT JOIN clusters c ON c.id = a.cluster_id"
#: Broad queries rank the most recently stored matches only: bm25 must score every candidate, and a
#: word in half of a large archive would take seconds. Narrower queries rank all their matches.
_RANK_WINDOW = 5_000
#: A full-text match with more articles than this is filtered and counted in memory (``columns``): joined
#: row by row in SQL it would cost a B-tree lookup per match.
_WIDE = 2_000
_FACET_COLUMN = {"site": "a.site", "section": "a.section", "language": "a.language", "day": "a.day"}
#: Bytes per database page of a new archive. Twice SQLite's default: a body row (title, description, text,
#: compressed record: 3-5 KB) or a compressed input then fits its page instead of spilling into overflow
#: pages: a fifth less disk and a tenth less writing time, searches as fast (bench/archive_bench.py).
_PAGE_SIZE = 8192
#: bm25 weights of title, description, text: a word in the headline says more than one in the body.
_BM25 = "bm25(articles_fts, 8.0, 3.0, 1.0)"


def sqlite_path(location: str) -> Path:
    """The file an archive location names: a path, or ``sqlite:///relative`` / ``sqlite:////absolute``."""
    if location.startswith("sqlite://"):
        rest = location[len("sqlite://") :]
        if not rest.startswith("/"):
            raise ArchiveError(
                f"bad SQLite URL {location!r}: use sqlite:///relative/path or sqlite:////absolute/path"
            )
        return Path(rest[1:])
    return Path(location)


def _empty(path: Path) -> bool:
    """No archive there yet: a missing or empty file."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False  # sqlite3 will say what is wrong with it


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _explain_error(exc: sqlite3.Error, path: Path) -> ArchiveError:
    text = str(exc)
    if "full" in text:
        return ArchiveError(
            f"{path}: the disk is full (or the archive reached its size limit); the batch in progress was "
            "not stored and the archive is intact. Free some space and run the same command to resume."
        )
    if "readonly" in text or "read-only" in text:
        return ArchiveError(f"{path}: the archive is read-only; open it writable to ingest")
    if "not a database" in text or "malformed" in text:
        return ArchiveError(f"{path}: not a broadsheet archive, or damaged ({text})")
    if "locked" in text or "busy" in text:
        return ArchiveError(f"{path}: another process holds the archive for too long ({text}); try again")
    return ArchiveError(f"{path}: {text}")


class SQLiteBackend(Backend):
    """The default archive: everything in one SQLite file. Thread-safe: one connection per thread."""

    def __init__(
        self,
        location: str | os.PathLike[str] = "broadsheet.db",
        *,
        readonly: bool = False,
        timeout: float = 60.0,
    ) -> None:
        self.location = os.fspath(location)
        self.path = sqlite_path(self.location)
        self.readonly = readonly
        self._timeout = timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._columns = FilterColumns()
        if readonly and not self.path.exists():
            raise ArchiveError(f"{self.path}: no such archive")
        with self._errors():
            self._migrate(self._db)

    # -- connections, transactions, errors ---------------------------------------------------------

    @property
    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                conn = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?mode=ro",
                    uri=True,
                    timeout=self._timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
            else:
                new = _empty(self.path)
                conn = sqlite3.connect(
                    self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
                )
                if new:  # fixed once the file has its first page: before WAL mode writes it
                    conn.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
                conn.execute("PRAGMA journal_mode = WAL")
                # NORMAL in WAL mode survives process crashes; only an OS crash can lose the last commit.
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA temp_store = MEMORY")
        except sqlite3.Error as exc:
            raise _explain_error(exc, self.path) from exc
        return conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _explain_error(exc, self.path) from exc

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        db = self._db
        with self._errors():
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
            except BaseException:
                if db.in_transaction:  # SQLite rolls back by itself after some errors (a full disk)
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _migrate(self, db: sqlite3.Connection) -> None:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").fetchone()[0]
        if app_id != APPLICATION_ID and (tables or app_id):
            raise ArchiveError(f"{self.path}: an SQLite file, but not a broadsheet archive")
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.path}: archive schema {version} is newer than this broadsheet knows ({SCHEMA_VERSION}); "
                "upgrade broadsheet"
            )
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise ArchiveError(
                f"{self.path}: archive schema {version} needs upgrading; open it writable once"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            db.executescript(
                f"BEGIN IMMEDIATE; {MIGRATIONS[number - 1]}; PRAGMA application_id = {APPLICATION_ID}; "
                f"PRAGMA user_version = {number}; COMMIT;"
            )

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- writing -------------------------------------------------------------------------------------

    def known(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        wanted = list(keys)
        found: set[tuple[str, str]] = set()
        with self._errors():
            for start in range(0, len(wanted), 400):
                chunk = wanted[start : start + 400]
                values = ",".join("(?, ?)" for _ in chunk)
                params = [x for pair in chunk for x in pair]
                rows = self._db.execute(
                    f"SELECT source, content_hash FROM inputs WHERE (source, content_hash) IN (VALUES {values})",
                    params,
                )
                found.update((r[0], r[1]) for r in rows)
        return found

    def write(self, records: Sequence[Record]) -> IngestReport:
        if self.readonly:
            raise ArchiveError(f"{self.path}: the archive is read-only; open it writable to ingest")
        report = IngestReport()
        now = _now()
        with self._transaction() as db:
            writer = _Writer(db, now)
            for record in records:
                writer.write(record, report)
            if report.articles or report.versions:
                db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('clusters', 'stale')")
        return report

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
        with self._transaction() as db:
            db.execute(
                "INSERT INTO runs (started_at, finished_at, sources, report) VALUES (?, ?, ?, ?)",
                (started_at, _now(), json.dumps(list(sources)), json.dumps(summary)),
            )

    # -- reading one ---------------------------------------------------------------------------------

    def _stored(self, where: str, params: Sequence[Any]) -> Stored | None:
        with self._errors():
            row = self._db.execute(
                f"SELECT {_STORED} FROM articles a JOIN bodies b ON b.id = a.id JOIN inputs i ON i.id = a.input_id "
                f"WHERE {where} "
                "ORDER BY a.version DESC LIMIT 1",
                params,
            ).fetchone()
        return _to_stored(row) if row else None

    def get(self, ref: int | str) -> Stored | None:
        if isinstance(ref, int):
            return self._stored("a.id = ?", (ref,))
        return self._stored("a.key = ? AND a.latest = 1", (ref,)) or self._stored("a.url = ?", (ref,))

    def get_by_source(self, source: str) -> Stored | None:
        return self._stored("i.source = ?", (source,))

    def versions(self, url: str) -> list[Stored]:
        with self._errors():
            rows = self._db.execute(
                f"SELECT {_STORED} FROM articles a JOIN bodies b ON b.id = a.id JOIN inputs i ON i.id = a.input_id "
                "WHERE a.key = ? OR a.url = ? ORDER BY a.version",
                (url, url),
            ).fetchall()
        return [_to_stored(r) for r in rows]

    def input_of(self, ref: int | str) -> Input | None:
        stored = self.get(ref)
        if stored is None:
            return None
        with self._errors():
            row = self._db.execute(
                "SELECT i.raw, i.raw_is_text, i.url, i.fetched_at, i.source, i.kind "
                "FROM inputs i JOIN articles a ON a.input_id = i.id WHERE a.id = ?",
                (stored.id,),
            ).fetchone()
        raw = zlib.decompress(row[0]) if row[0] is not None else b""
        content: bytes | str = raw.decode("utf-8", "surrogatepass") if row[1] else raw
        return Input(content=content, url=row[2], fetched_at=row[3], source=row[4], kind=row[5])

    # -- querying ------------------------------------------------------------------------------------

    def _select(self, query: Query, filters: Filters) -> tuple[str, list[Any]]:
        """FROM and WHERE for latest articles matching a query and filters."""
        where, params = _filter_sql(filters)
        if query:
            # CROSS JOIN keeps the match as the outer loop: with an indexed filter SQLite may otherwise scan
            # the articles and evaluate the full-text query once per article (seconds on a large archive)
            sql = "FROM articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? AND "
            return sql + " AND ".join(where), [_fts_query(query), *params]
        return "FROM articles a WHERE " + " AND ".join(where), params

    def search(self, query: Query, filters: Filters, limit: int, offset: int) -> list[Summary]:
        if not query:
            body, params = self._select(query, filters)
            sql = f"SELECT a.id {body} ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
            with self._errors():
                ids = [r[0] for r in self._db.execute(sql, [*params, limit, offset])]
                return self._summaries(ids)
        ranked = self._ranked(query, filters, limit, offset)
        if not ranked:
            return []
        # Snippets for the page of results only: snippet() reads and tokenises the whole text.
        marks = ",".join("?" * len(ranked))
        with self._errors():
            snippets = dict(
                self._db.execute(
                    "SELECT rowid, snippet(articles_fts, -1, char(2), char(3), '…', 24) FROM articles_fts "
                    f"WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                    [_fts_query(query), *ranked],
                ).fetchall()
            )
            hits = self._summaries(list(ranked))
        for hit in hits:
            hit.score, hit.snippet = -ranked[hit.id], snippet_html(snippets.get(hit.id))
        return hits

    def _ranked(self, query: Query, filters: Filters, limit: int, offset: int) -> dict[int, float]:
        """Ids of the best matches in order, with their bm25 (lower is better)."""
        where, params = _filter_sql(filters)
        if where == ["a.latest = 1"]:  # the index holds latest versions only: no join needed
            inner = f"SELECT rowid AS id, {_BM25} AS r FROM articles_fts WHERE articles_fts MATCH ?"
            params = []
        else:
            inner = (
                f"SELECT a.id AS id, {_BM25} AS r FROM articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid "
                f"WHERE articles_fts MATCH ? AND {' AND '.join(where)}"
            )
        sql = f"SELECT id, r FROM ({inner} ORDER BY articles_fts.rowid DESC LIMIT ?) ORDER BY r, id LIMIT ? OFFSET ?"
        with self._errors():
            rows = self._db.execute(sql, [_fts_query(query), *params, _RANK_WINDOW, limit, offset]).fetchall()
        return {r[0]: r[1] for r in rows}

    def _summaries(self, ids: list[int]) -> list[Summary]:
        """Summaries of these articles, in this order."""
        if not ids:
            return []
        rows = self._db.execute(
            f"SELECT {_SUMMARY} FROM articles a {_JOINS} WHERE a.id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        by_id = {r[0]: _to_summary(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def _wide(self, query: Query, filters: Filters) -> np.ndarray | None:
        """Where the articles matching a wide full-text query and the filters are in the filter columns;
        None when the match is narrow (SQL joins it faster) or a filter is not among the columns."""
        if not query or filters.added_since:
            return None
        with self._errors():
            # one string of ids parsed in C: three times faster than a row per id through the driver
            joined = self._db.execute(
                "SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH ?", [_fts_query(query)]
            ).fetchone()[0]
            ids = np.sort(np.fromstring(joined, dtype=np.int64, sep=",")) if joined else np.empty(0, np.int64)
            if len(ids) < _WIDE:
                return None
            self.prepare()
            return self._columns.keep(self._columns.positions(ids), filters, self._ids_with)

    def prepare(self) -> None:
        """Read the filter columns of the articles stored since they were last read."""
        with self._errors():
            self._columns.refresh(
                lambda last: self._db.execute(
                    "SELECT id, day, site, host, section, language FROM articles WHERE id > ? ORDER BY id",
                    [last],
                ).fetchall()
            )

    def _ids_with(self, kind: str, value: str) -> np.ndarray:
        """Ids of the articles with this author or tag."""
        table, column = ("authors", "name") if kind == "author" else ("tags", "tag")
        rows = self._db.execute(f"SELECT article_id FROM {table} WHERE {column} = ?", [value])
        return np.fromiter((r[0] for r in rows), np.int64)

    def count(self, query: Query, filters: Filters) -> int:
        where, params = _filter_sql(filters)
        if query and where != ["a.latest = 1"] and (at := self._wide(query, filters)) is not None:
            return len(at)
        if query and where == ["a.latest = 1"]:
            sql, params = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [_fts_query(query)]
        else:
            body, params = self._select(query, filters)
            sql = f"SELECT count(*) {body}"
        with self._errors():
            return int(self._db.execute(sql, params).fetchone()[0])

    def counts_by_day(self, query: Query, filters: Filters) -> list[tuple[str, int]]:
        if (at := self._wide(query, filters)) is not None:
            return self._columns.by_day(at)
        body, params = self._select(query, filters)
        with self._errors():
            rows = self._db.execute(
                f"SELECT a.day, count(*) {body} AND a.day IS NOT NULL GROUP BY a.day ORDER BY a.day", params
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def facet(self, field: str, query: Query, filters: Filters, limit: int) -> list[tuple[str, int]]:
        if field not in FACETS:
            raise ValueError(f"cannot count by {field!r}: use one of {', '.join(FACETS)}")
        if field in _FACET_COLUMN and (at := self._wide(query, filters)) is not None:
            return self._columns.facet(at, field, limit)
        body, params = self._select(query, filters)
        if field in ("author", "tag"):
            table, column = ("authors", "name") if field == "author" else ("tags", "tag")
            body = body.replace(" WHERE ", f" JOIN {table} f ON f.article_id = a.id WHERE ", 1)
            value = f"f.{column}"
        else:
            value = _FACET_COLUMN[field]
        with self._errors():
            rows = self._db.execute(
                f"SELECT {value} AS v, count(*) AS n {body} AND v IS NOT NULL "
                "GROUP BY v ORDER BY n DESC, v LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def clusters(
        self, min_size: int, limit: int, offset: int, since: str | None, until: str | None
    ) -> list[Cluster]:
        where, params = ["size >= ?"], list[Any]([min_size])
        if since:
            where.append("substr(first_published, 1, 10) >= ?")
            params.append(since)
        if until:
            where.append("substr(first_published, 1, 10) <= ?")
            params.append(until)
        with self._errors():
            ids = self._db.execute(
                f"SELECT id FROM clusters WHERE {' AND '.join(where)} ORDER BY size DESC, id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [c for (cid,) in ids if (c := self.cluster(cid)) is not None]

    def cluster(self, cluster_id: int) -> Cluster | None:
        with self._errors():
            head = self._db.execute(
                "SELECT size, canonical_id, source, wire FROM clusters WHERE id = ?", (cluster_id,)
            ).fetchone()
            if head is None:
                return None
            rows = self._db.execute(
                f"SELECT {_SUMMARY} FROM articles a {_JOINS} "
                "WHERE a.cluster_id = ? AND a.latest = 1 ORDER BY a.id = ? DESC, a.published, a.id",
                (cluster_id, head[1]),
            ).fetchall()
        members = [_to_summary(r) for r in rows]
        return Cluster(cluster_id, head[0], head[2], bool(head[3]), members[0], members)

    def rejections(self, reason: str | None, limit: int, offset: int) -> list[Rejection]:
        where, params = "outcome = 'rejected'", list[Any]()
        if reason:
            where += " AND reason = ?"
            params.append(reason)
        with self._errors():
            rows = self._db.execute(
                f"SELECT id, source, url, reason, error, duplicate_of FROM inputs WHERE {where} "
                "ORDER BY id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [Rejection(*r) for r in rows]

    def stats(self) -> Stats:
        with self._transaction(write=False) as db:
            one = lambda sql: db.execute(sql).fetchone()[0] or 0  # noqa: E731
            inputs = one("SELECT count(*) FROM inputs")
            articles = one("SELECT count(*) FROM articles")
            urls = one("SELECT count(*) FROM articles WHERE latest = 1")
            reasons = dict(
                db.execute("SELECT reason, count(*) FROM inputs WHERE reason IS NOT NULL GROUP BY reason")
            )
            clusters, clustered, largest = db.execute(
                "SELECT count(*), sum(size), max(size) FROM clusters WHERE size > 1"
            ).fetchone()
            sites = one("SELECT count(DISTINCT site) FROM articles WHERE latest = 1")
            raw = one("SELECT sum(size) FROM inputs")
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return Stats(
            inputs=inputs,
            articles=articles,
            urls=urls,
            versions=articles - urls,
            rejections=reasons,
            clusters=clusters or 0,
            clustered=clustered or 0,
            largest_cluster=largest or 0,
            sites=sites,
            raw_bytes=raw,
            size_bytes=size,
            schema_version=SCHEMA_VERSION,
        )

    def iter_articles(self, query: Query, filters: Filters, all_versions: bool) -> Iterator[Stored]:
        body, params = self._select(query, filters)
        if all_versions:
            body = body.replace("a.latest = 1", "1")
        last = 0
        while True:
            with self._errors():
                rows = self._db.execute(
                    f"SELECT {_STORED} FROM articles a JOIN bodies b ON b.id = a.id JOIN inputs i ON i.id = a.input_id "
                    f"WHERE a.id IN (SELECT a.id {body} AND a.id > ? ORDER BY a.id LIMIT 500) ORDER BY a.id",
                    [*params, last],
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _to_stored(row)
            last = rows[-1][0]

    def recluster(self, *, force: bool = False) -> int:
        if self.readonly:
            raise ArchiveError(f"{self.path}: the archive is read-only")
        with self._transaction() as db:
            stale = db.execute("SELECT 1 FROM state WHERE key = 'clusters' AND value = 'stale'").fetchone()
            if not (stale or force):
                return 0
            moved = _recluster(db)
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('clusters', 'current')")
            return moved

    def optimize(self) -> None:
        """Merge the full-text index into one segment and checkpoint the WAL (after large ingests)."""
        with self._transaction() as db:
            db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        with self._errors():
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _Writer(RecordWriter):
    """Stores records inside one open transaction: inputs, versions, duplicates, search index, signatures."""

    def __init__(self, db: sqlite3.Connection, now: str) -> None:
        self.db = db
        self.now = now

    def _known(self, record: Record) -> bool:
        return bool(
            self.db.execute(
                "SELECT 1 FROM inputs WHERE source = ? AND content_hash = ?",
                (record.source, record.content_hash),
            ).fetchone()
        )

    def _latest(self, key: str) -> tuple[int, str, int] | None:
        row = self.db.execute(
            "SELECT id, text_hash, version FROM articles WHERE key = ? AND latest = 1", (key,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def _input(
        self,
        record: Record,
        *,
        reason: str | None = None,
        error: str | None = None,
        duplicate_of: int | None = None,
        keep_raw: bool = True,
    ) -> int:
        cur = self.db.execute(
            "INSERT INTO inputs (source, content_hash, url, kind, fetched_at, size, raw, raw_is_text, outcome, "
            "reason, error, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.source,
                record.content_hash,
                record.url,
                record.kind,
                record.fetched_at,
                record.size,
                record.raw if keep_raw else None,
                int(record.raw_is_text),
                "rejected" if reason else "article",
                reason,
                error,
                duplicate_of,
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _article(
        self, input_id: int, key: str, version: int, article: Article, fp: dedup.Fingerprint, record: Record
    ) -> None:
        db = self.db
        host = host_of(article.url or record.url)
        published = article.published or None
        cur = db.execute(
            "INSERT INTO articles (input_id, key, version, latest, text_hash, published, day, language, site, host, "
            "section, ingested_at, url, image, authors, tags) "
            "VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                input_id,
                key,
                version,
                fp.text_hash,
                published,
                (published or article.fetched_at or "")[:10] or None,
                article.language,
                article.site_name or host,
                host,
                article.section,
                self.now,
                article.url or record.url,
                article.images[0].url if article.images else None,
                json.dumps(article.authors, ensure_ascii=False),
                json.dumps(article.tags, ensure_ascii=False),
            ),
        )
        article_id = cur.lastrowid
        db.execute(
            "INSERT INTO bodies (id, title, description, text, data) VALUES (?, ?, ?, ?, ?)",
            (
                article_id,
                article.title,
                article.description,
                article.text,
                record.payload or encode_article(article),
            ),
        )
        if article.authors:
            db.executemany(
                "INSERT OR IGNORE INTO authors (name, article_id) VALUES (?, ?)",
                [(a, article_id) for a in article.authors],
            )
        if article.tags:
            db.executemany(
                "INSERT OR IGNORE INTO tags (tag, article_id) VALUES (?, ?)",
                [(t, article_id) for t in article.tags],
            )
        db.execute(
            "INSERT INTO articles_fts (rowid, title, description, text) VALUES (?, ?, ?, ?)",
            (article_id, article.title, article.description, article.text),
        )
        if fp.shingles:
            db.execute(
                "INSERT INTO signatures (article_id, shingles, minhash) VALUES (?, ?, ?)",
                (article_id, fp.shingles, fp.signature),
            )

    def _retire(self, article_id: int) -> None:
        """An older version leaves search and dedup; clusters follow at the next ``recluster``."""
        db = self.db
        db.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, description, text) "
            "SELECT 'delete', id, title, description, text FROM bodies WHERE id = ?",
            (article_id,),
        )
        db.execute("UPDATE articles SET latest = 0 WHERE id = ?", (article_id,))
        db.execute("DELETE FROM signatures WHERE article_id = ?", (article_id,))


def _recluster(db: sqlite3.Connection) -> int:
    """Recompute story clusters over every latest article; store what changed. Returns articles moved."""
    rows = db.execute(
        "SELECT a.id, a.text_hash, s.shingles, s.minhash, a.cluster_id FROM articles a "
        "LEFT JOIN signatures s ON s.article_id = a.id WHERE a.latest = 1 ORDER BY a.id"
    ).fetchall()
    labels = dedup.cluster_columns(
        [r[1] for r in rows], [r[2] or 0 for r in rows], [r[3] or b"" for r in rows]
    )
    sizes = Counter(labels)
    new = {r[0]: (rows[lab][0] if sizes[lab] > 1 else None) for r, lab in zip(rows, labels, strict=True)}
    old = {r[0]: r[4] for r in rows}
    # Members of clusters that lost their latest version are no longer among ``rows``.
    stale = db.execute(
        "SELECT id, cluster_id FROM articles WHERE latest = 0 AND cluster_id IS NOT NULL"
    ).fetchall()
    moved = [(cid, aid) for aid, cid in new.items() if cid != old[aid]] + [(None, aid) for aid, _ in stale]
    if not moved:
        return 0
    affected = {old[aid] for _, aid in moved if old.get(aid)} | {cid for cid, _ in moved if cid}
    affected |= {cid for _, cid in stale}
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.executemany("UPDATE articles SET cluster_id = ? WHERE id = ?", moved)
    _in(db, "DELETE FROM clusters WHERE id IN ({})", sorted(affected))
    members: dict[int, list[tuple[Any, ...]]] = {}
    for row in _in(
        db,
        "SELECT cluster_id, id, site, authors, published FROM articles "
        "WHERE latest = 1 AND cluster_id IN ({})",
        sorted(affected),
    ):
        members.setdefault(row[0], []).append(row[1:])
    db.executemany(
        "INSERT INTO clusters (id, size, canonical_id, source, wire, first_published) VALUES (?, ?, ?, ?, ?, ?)",
        [(cid, *_cluster_row(rows_)) for cid, rows_ in sorted(members.items())],
    )
    return len(moved)


def _cluster_row(members: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """(size, canonical id, source, wire, first published) of a cluster's (id, site, authors, published) rows."""
    agencies = {m[0]: dedup.wire_agency(json.loads(m[2])) for m in members}
    pool = [m for m in members if agencies[m[0]]] or members
    first = min(pool, key=lambda m: (m[3] is None, m[3] or "", m[0]))
    published = [m[3] for m in members if m[3]]
    agency = agencies[first[0]]
    return len(members), first[0], agency or first[1], int(agency is not None), min(published, default=None)


def _in(db: sqlite3.Connection, sql: str, values: Sequence[Any], chunk: int = 5000) -> list[tuple[Any, ...]]:
    """Run ``sql`` with its ``IN ({})`` filled, over chunks of ``values``; the rows of every chunk."""
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(values), chunk):
        part = values[start : start + chunk]
        out += db.execute(sql.format(",".join("?" * len(part))), part).fetchall()
    return out


def _filter_sql(f: Filters) -> tuple[list[str], list[Any]]:
    where, params = ["a.latest = 1"], []
    if f.site:
        where.append("(a.site = ? OR a.host = ?)")
        params += [f.site, f.site.lower().removeprefix("www.")]
    for column, value in (("a.section", f.section), ("a.language", f.lang)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if f.author:
        where.append("a.id IN (SELECT article_id FROM authors WHERE name = ?)")
        params.append(f.author)
    if f.tag:
        where.append("a.id IN (SELECT article_id FROM tags WHERE tag = ?)")
        params.append(f.tag)
    if f.since:
        where.append("a.day >= ?")
        params.append(f.since)
    if f.until:
        where.append("a.day <= ?")
        params.append(f.until)
    if f.added_since:
        where.append("a.ingested_at >= ?")
        params.append(utc_text(f.added_since))
    return where, params


def _fts_term(term: Term) -> str:
    phrase = '"' + " ".join(term.words).replace('"', '""') + '"'
    return phrase + ("*" if term.prefix else "")


def _fts_query(query: Query) -> str:
    """The parsed query in FTS5 syntax: every term quoted, so user text is never FTS5 syntax."""
    groups = [
        _fts_term(g[0]) if len(g) == 1 else "(" + " OR ".join(_fts_term(t) for t in g) + ")"
        for g in query.groups
    ]
    text = " AND ".join(groups)
    if query.exclude:
        text = f"({text}) NOT (" + " OR ".join(_fts_term(t) for t in query.exclude) + ")"
    return text


def _to_summary(row: Sequence[Any], *, score: float | None = None, snippet: str | None = None) -> Summary:
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
        authors=json.loads(row[9]),
        tags=json.loads(row[10]),
        image=row[11],
        cluster_id=row[12],
        cluster_size=row[13],
        version=row[14],
        snippet=snippet_html(snippet),
        score=-score if score is not None else None,
    )


def _to_stored(row: Sequence[Any]) -> Stored:
    return Stored(
        id=row[0],
        article=decode_article(row[1], row[2]),
        version=row[3],
        latest=bool(row[4]),
        source=row[5],
        cluster_id=row[6],
        ingested_at=row[7],
    )
