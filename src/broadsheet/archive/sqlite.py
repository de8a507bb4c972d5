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
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .. import dedup
from ..article import Article
from ..errors import ArchiveError
from .base import host_of, snippet_html
from .columns import FilterColumns
from .query import FACETS, Filters, Query, Term
from .records import Record, Summary, encode_article
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from .sql import FACET_COLUMNS, Select, SqlBackend, SqlWriter, cluster_row, now

__all__ = ["SQLiteBackend", "sqlite_path"]

#: Broad queries rank the most recently stored matches only: bm25 must score every candidate, and a
#: word in half of a large archive would take seconds. Narrower queries rank all their matches.
_RANK_WINDOW = 5_000
#: A full-text match with more articles than this is filtered and counted in memory (``columns``): joined
#: row by row in SQL it would cost a B-tree lookup per match.
_WIDE = 2_000
#: Bytes per database page of a new archive. Twice SQLite's default: a body row (title, description, text,
#: compressed record: 3-5 KB) or a compressed input then fits its page instead of spilling into overflow
#: pages: a fifth less disk and a tenth less writing time, searches as fast (bench/archive_bench.py).
_PAGE_SIZE = 8192
#: Segments of one size the full-text index gathers before merging them (FTS5's default is 4): fewer, larger
#: merges while articles arrive. Inserting 100,000 article bodies in transactions of 1,024 cost 0.048 ms a
#: document instead of 0.070 (merging is most of an insert), and two-word queries took as long (3.8 ms
#: against 3.7). 16 is the most FTS5 takes.
_AUTOMERGE = 16
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


class SQLiteBackend(SqlBackend):
    """The default archive: everything in one SQLite file. Thread-safe: one connection per thread."""

    _LATEST = "a.latest = 1"
    _EQUALS = "{} = ?"  # the columns compare case-blind themselves (NOCASE), so their indexes serve
    _SUMMARY = (
        "a.id, a.url, b.title, b.description, a.site, a.section, a.published, a.day, a.language, a.authors, "
        "a.tags, a.image, a.cluster_id, coalesce(c.size, 1), a.version"
    )
    _SUMMARY_FROM = "FROM articles a JOIN bodies b ON b.id = a.id LEFT JOIN clusters c ON c.id = a.cluster_id"
    _CLUSTER = "a.cluster_id"
    _STORED = "a.id, b.data, b.text, a.version, a.latest, i.source, a.cluster_id, a.ingested_at"
    _STORED_FROM = "FROM articles a JOIN bodies b ON b.id = a.id JOIN inputs i ON i.id = a.input_id"
    _STATE = "state"
    _TEXTS = (
        "SELECT a.id, b.text, NULL FROM articles a JOIN bodies b ON b.id = a.id "
        "WHERE a.latest = 1 AND a.id > ? ORDER BY a.id LIMIT ?"
    )
    _SCHEMA_VERSION = SCHEMA_VERSION

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
        self._open_connections()
        self._columns = FilterColumns()
        if readonly and not self.path.exists():
            raise ArchiveError(f"{self.path}: no such archive")
        with self._errors():
            self._migrate(self._db)
            if not readonly:
                self._tune_index(self._db)
        self._resign()

    # -- connections, transactions, errors ---------------------------------------------------------

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

    def _tune_index(self, db: sqlite3.Connection) -> None:
        """Set the full-text index's merge width (``_AUTOMERGE``) where it is not set yet: stored in the
        index's own config table, so it holds for every connection after this one. While another process
        writes, it is left for a later opening: a setting for speed is no reason to wait for a writer."""
        row = db.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()
        if row is not None and row[0] == _AUTOMERGE:
            return
        busy = db.execute("PRAGMA busy_timeout").fetchone()[0]
        db.execute("PRAGMA busy_timeout = 0")
        try:
            db.execute(f"INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', {_AUTOMERGE})")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(busy)}")

    # -- writing -------------------------------------------------------------------------------------

    def _writer(self, db: Any) -> _Writer:
        return _Writer(self, db, now())

    def _name(self) -> str:
        return str(self.path)

    def _listed(self, value: Any) -> list[str]:
        return list(json.loads(value))

    def _size_bytes(self, db: Any) -> int:
        return sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())

    # -- querying ------------------------------------------------------------------------------------

    def _select(self, query: Query, filters: Filters, *, latest: bool = True) -> Select:
        where, params = self._filter_sql(filters, latest=latest)
        if query:
            # CROSS JOIN keeps the match as the outer loop: with an indexed filter SQLite may otherwise scan
            # the articles and evaluate the full-text query once per article (seconds on a large archive)
            sql = "FROM articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? AND "
            return Select("", sql + " AND ".join(where), [_fts_query(query), *params], fts=True)
        return Select("", "FROM articles a WHERE " + " AND ".join(where), params, fts=False)

    def search(self, query: Query, filters: Filters, limit: int, offset: int) -> list[Summary]:
        if not query:
            sel = self._select(query, filters)
            sql = f"SELECT a.id {sel.body} ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
            with self._errors():
                ids = [r[0] for r in self._db.execute(sql, [*sel.params, limit, offset])]
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
        where, params = self._filter_sql(filters)
        if where == [self._LATEST]:  # the index holds latest versions only: no join needed
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
            f"SELECT {self._SUMMARY} {self._SUMMARY_FROM} WHERE a.id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        by_id = {r[0]: self._summary_of(r) for r in rows}
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
        narrow = self._filter_sql(filters)[0] == [self._LATEST]
        if query and not narrow and (at := self._wide(query, filters)) is not None:
            return len(at)
        if query and narrow:  # the index holds latest versions only: no join needed
            return int(
                self._rows(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [_fts_query(query)]
                )[0][0]
            )
        return super().count(query, filters)

    def counts_by_day(self, query: Query, filters: Filters) -> list[tuple[str, int]]:
        if (at := self._wide(query, filters)) is not None:
            return self._columns.by_day(at)
        return super().counts_by_day(query, filters)

    def facet(self, field: str, query: Query, filters: Filters, limit: int) -> list[tuple[str, int]]:
        if field not in FACETS:
            raise ValueError(f"cannot count by {field!r}: use one of {', '.join(FACETS)}")
        if field in FACET_COLUMNS and (at := self._wide(query, filters)) is not None:
            return self._columns.facet(at, field, limit)
        sel = self._select(query, filters)
        body, value = self._facet_of(field, sel.body)
        # the columns are NOCASE: values that differ only in case are one value, and the indexes serve
        rows = self._rows(
            f"SELECT {value} AS v, count(*) AS n {body} AND v IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?",
            [*sel.params, limit],
        )
        return [(r[0], r[1]) for r in rows]

    def _recluster(self, db: Any) -> int:
        return _cluster_stories(db)

    def optimize(self) -> None:
        """Merge the full-text index into one segment and checkpoint the WAL (after large ingests)."""
        with self._transaction() as db:
            db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        with self._errors():
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _Writer(SqlWriter):
    """Stores records inside one open transaction: inputs, versions, duplicates, search index, signatures."""

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

    def _reject(
        self, record: Record, reason: str, error: str | None, duplicate_of: int | None = None
    ) -> None:
        self._input(
            record, reason=reason, error=error, duplicate_of=duplicate_of, keep_raw=duplicate_of is None
        )

    def _store(self, record: Record, key: str, version: int, article: Article, fp: dedup.Fingerprint) -> int:
        input_id = self._input(record)
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
        assert article_id is not None
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
        return article_id

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


def _cluster_stories(db: sqlite3.Connection) -> int:
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
        members.setdefault(row[0], []).append((row[1], row[2], json.loads(row[3]), row[4]))
    db.executemany(
        "INSERT INTO clusters (id, size, canonical_id, source, wire, first_published) VALUES (?, ?, ?, ?, ?, ?)",
        [(cid, *cluster_row(rows_)) for cid, rows_ in sorted(members.items())],
    )
    return len(moved)


def _in(db: sqlite3.Connection, sql: str, values: Sequence[Any], chunk: int = 5000) -> list[tuple[Any, ...]]:
    """Run ``sql`` with its ``IN ({})`` filled, over chunks of ``values``; the rows of every chunk."""
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(values), chunk):
        part = values[start : start + chunk]
        out += db.execute(sql.format(",".join("?" * len(part))), part).fetchall()
    return out


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
