"""The shared archive: PostgreSQL (psycopg 3), for a team writing to and searching one archive.

``Archive("postgresql://user@host/db")`` opens it; the tables live in the connection's current schema
(``?options=-csearch_path%3Dnews`` puts an archive in schema ``news``), created by numbered migrations
on first use. It behaves as the SQLite archive does, method for method; what differs is how:

- search: a stored generated ``tsvector`` column over title (weight A), description (B) and text (C)
  with a GIN index, parsed with the text search configuration of the article's language: the
  server's stemmer for it (English, German, ... 28 languages) without its stop-word list, so every
  word stays searchable as in the SQLite archive; ``simple`` for other languages. A query is parsed
  once per configuration in use and each article matched with its own language's parse ("councils"
  finds "council" in English articles). Ranking is ``ts_rank_cd`` (cover density: matched words close
  together count more) with the weights of the SQLite archive's bm25 (8:3:1); snippets come from
  ``ts_headline``. Only latest versions have a vector.
- writers: any number of processes; each batch is one transaction holding a per-archive advisory lock,
  so versions and duplicates are decided in order. Readers never wait (MVCC). A batch is sent in psycopg's
  pipeline mode, an article (with its input, authors, tags and signature) as one statement, so the
  writer does not wait for the server record by record.
- text PostgreSQL cannot hold: NUL characters are dropped from the columns search and listings read
  (lone surrogates, as undecodable file names leave in source keys, replaced); the article itself
  comes back exactly (its fields are stored whole, a body with NULs beside its searchable copy), and
  the raw input is kept as bytes.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .. import dedup
from ..article import Article
from ..errors import ArchiveError, MissingExtra
from .base import host_of
from .query import FACETS, Filters, Query, Term
from .records import Record, Summary, decode_article, encode_article
from .sql import Select, SqlBackend, SqlWriter, cluster_row, given_text, now

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "PostgresBackend"]

_V1 = """
CREATE TABLE broadsheet_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE inputs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    content_hash text NOT NULL,
    url text,
    kind text NOT NULL,
    fetched_at text,
    size bigint NOT NULL,
    raw bytea,
    raw_is_text boolean NOT NULL DEFAULT false,
    outcome text NOT NULL CHECK (outcome IN ('article', 'rejected')),
    reason text,
    error text,
    duplicate_of bigint,
    UNIQUE (source, content_hash),
    CHECK ((outcome = 'rejected') = (reason IS NOT NULL))
);
CREATE INDEX inputs_reason ON inputs (reason, id) WHERE reason IS NOT NULL;

CREATE TABLE articles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    input_id bigint NOT NULL UNIQUE REFERENCES inputs (id),
    key text NOT NULL,
    version integer NOT NULL,
    latest boolean NOT NULL,
    text_hash text NOT NULL,
    published text COLLATE "C",
    day text COLLATE "C",
    language text,
    site text,
    host text,
    section text,
    ingested_at text COLLATE "C" NOT NULL,
    url text,
    image text,
    authors text[] NOT NULL,
    tags text[] NOT NULL,
    title text,
    description text,
    text text NOT NULL,
    text_exact bytea,  -- the text as given, when ``text`` had to be cleaned for PostgreSQL
    data bytea NOT NULL,
    ts_config regconfig NOT NULL,
    -- Search covers the first 250,000 characters of a body: a tsvector holds at most 1 MB.
    search tsvector GENERATED ALWAYS AS (CASE WHEN latest THEN
        setweight(to_tsvector(ts_config, coalesce(title, '')), 'A') ||
        setweight(to_tsvector(ts_config, coalesce(description, '')), 'B') ||
        setweight(to_tsvector(ts_config, left(text, 250000)), 'C') END) STORED,
    UNIQUE (key, version)
);
CREATE INDEX articles_search ON articles USING gin (search);
CREATE INDEX articles_key ON articles (key) WHERE latest;
CREATE INDEX articles_newest ON articles (published DESC NULLS LAST, id DESC) WHERE latest;
CREATE INDEX articles_day ON articles (day) WHERE latest;
CREATE INDEX articles_site ON articles (lower(site), published DESC) WHERE latest;
CREATE INDEX articles_host ON articles (host) WHERE latest;
CREATE INDEX articles_section ON articles (lower(section), published DESC) WHERE latest;
CREATE INDEX articles_language ON articles (lower(language)) WHERE latest;
CREATE INDEX articles_url ON articles (url);

-- Each language's stemming without its stop words (bs_english, bs_german, ...), so that every word
-- is searchable, as in the SQLite archive: "the who" finds the band.
DO $$
DECLARE
    lang text;
BEGIN
    FOR lang IN SELECT c.cfgname FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
                WHERE n.nspname = 'pg_catalog' AND c.cfgname <> 'simple'
                  AND EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = c.cfgname || '_stem') LOOP
        EXECUTE format('CREATE TEXT SEARCH DICTIONARY %I (TEMPLATE = snowball, Language = %I)',
                       'bs_' || lang || '_stem', lang);
        EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I (COPY = pg_catalog.%I)', 'bs_' || lang, lang);
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION %I ALTER MAPPING REPLACE %I WITH %I',
                       'bs_' || lang, lang || '_stem', 'bs_' || lang || '_stem');
    END LOOP;
END $$;

-- Text search configurations in use: a query is parsed once for each.
CREATE TABLE configs (
    ts_config regconfig PRIMARY KEY
);

CREATE TABLE authors (
    name text NOT NULL,
    article_id bigint NOT NULL REFERENCES articles (id)
);
CREATE UNIQUE INDEX authors_name ON authors (lower(name), article_id);
CREATE INDEX authors_article ON authors (article_id);

CREATE TABLE tags (
    tag text NOT NULL,
    article_id bigint NOT NULL REFERENCES articles (id)
);
CREATE UNIQUE INDEX tags_tag ON tags (lower(tag), article_id);
CREATE INDEX tags_article ON tags (article_id);

CREATE TABLE signatures (
    article_id bigint PRIMARY KEY REFERENCES articles (id),
    shingles integer NOT NULL,
    minhash bytea NOT NULL
);

-- A story cluster is named by its smallest member id. Membership is its own table: updating a row of
-- ``articles`` would recompute its search vector.
CREATE TABLE clusters (
    id bigint PRIMARY KEY,
    size integer NOT NULL,
    canonical_id bigint NOT NULL,
    source text,
    wire boolean NOT NULL DEFAULT false,
    first_published text COLLATE "C"
);
CREATE INDEX clusters_size ON clusters (size DESC, id);

CREATE TABLE members (
    article_id bigint PRIMARY KEY REFERENCES articles (id),
    cluster_id bigint NOT NULL
);
CREATE INDEX members_cluster ON members (cluster_id);

CREATE TABLE runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at text NOT NULL,
    finished_at text,
    sources jsonb NOT NULL,
    report jsonb
);
"""

#: Migration n (1-based) takes the schema from version n-1 to n. Append, never edit a released one.
MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)

#: ISO 639-1 code → PostgreSQL's text search configuration for the language (used when the server has it).
_CONFIGS = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

_FROM = (
    "FROM articles a LEFT JOIN members m ON m.article_id = a.id LEFT JOIN clusters c ON c.id = m.cluster_id"
)
_SUMMARY_OF_P = (
    "p.id, p.url, p.title, p.description, p.site, p.section, p.published, p.day, p.language, p.authors, p.tags, "
    "p.image, p.cluster_id, p.cluster_size, p.version"
)
#: ts_rank_cd weights {D, C, B, A}: text, description and title count 1 : 3 : 8, as the SQLite archive's bm25.
_WEIGHTS = "'{0, 0.125, 0.375, 1}'"
_HEADLINE = (
    "'StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=15, MaxFragments=1, FragmentDelimiter=\" … \"'"
)
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise MissingExtra("postgres", "a PostgreSQL archive") from exc
    return psycopg


def _safe(location: str) -> str:
    """The URL without its password, for messages."""
    return _PASSWORD.sub(r"\1***@", location)


def _clean(value: str | None) -> str | None:
    """Text PostgreSQL can store: no NUL characters, no lone surrogates."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value.replace("\x00", "") if "\x00" in value else value


_INPUT_COLUMNS = "source, content_hash, url, kind, fetched_at, size, raw, raw_is_text"
#: An input and its article in one statement, with the article's authors, tags (and, in ``_STORE_SIGNED``, its
#: signature): the article's id is what it returns.
_STORE_HEAD = f"""
WITH i AS (
    INSERT INTO inputs ({_INPUT_COLUMNS}, outcome)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'article') RETURNING id
), a AS (
    INSERT INTO articles (input_id, key, version, latest, text_hash, published, day, language, site, host,
        section, ingested_at, url, image, authors, tags, title, description, text, text_exact, data, ts_config)
    SELECT i.id, %s, %s, true, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::text[], %s::text[], %s, %s, %s,
        %s::bytea, %s, %s::regconfig FROM i
    RETURNING id
), au AS (
    INSERT INTO authors (name, article_id) SELECT n, a.id FROM a, unnest(%s::text[]) AS n ON CONFLICT DO NOTHING
), tg AS (
    INSERT INTO tags (tag, article_id) SELECT t, a.id FROM a, unnest(%s::text[]) AS t ON CONFLICT DO NOTHING
)"""
_STORE = _STORE_HEAD + " SELECT id FROM a"
_STORE_SIGNED = (
    _STORE_HEAD
    + ", s AS (INSERT INTO signatures (article_id, shingles, minhash) SELECT a.id, %s, %s FROM a) SELECT id FROM a"
)


class PostgresBackend(SqlBackend):
    """The archive in a PostgreSQL database. Thread-safe: one connection per thread."""

    _PARAM = "%s"
    _LATEST = "a.latest"
    _EQUALS = (
        "lower({}) = lower(?)"  # values that differ only in case are one value, as in the SQLite archive
    )
    _SUMMARY = (
        "a.id, a.url, a.title, a.description, a.site, a.section, a.published, a.day, a.language, a.authors, "
        "a.tags, a.image, m.cluster_id, coalesce(c.size, 1) AS cluster_size, a.version"
    )
    _SUMMARY_FROM = _FROM
    _CLUSTER = "m.cluster_id"
    _STORED = "a.id, a.data, a.text, a.version, a.latest, i.source, m.cluster_id, a.ingested_at, a.text_exact"
    _STORED_FROM = (
        "FROM articles a JOIN inputs i ON i.id = a.input_id LEFT JOIN members m ON m.article_id = a.id"
    )
    _STATE = "broadsheet_meta"
    _TEXTS = "SELECT id, text, text_exact FROM articles WHERE latest AND id > ? ORDER BY id LIMIT ?"
    _SCHEMA_VERSION = SCHEMA_VERSION

    def __init__(
        self, location: str | os.PathLike[str], *, readonly: bool = False, timeout: float = 60.0
    ) -> None:
        self.location = os.fspath(location)
        self.readonly = readonly
        self._timeout = timeout
        self._open_connections()
        try:
            with self._errors():
                self._migrate(self._db)
                self._known_configs = {
                    r[0]
                    for r in self._db.execute(
                        "SELECT cfgname::text FROM pg_ts_config WHERE cfgnamespace = "
                        "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
                    )
                }
            self._resign()
        except BaseException:
            self.close()
            raise

    # -- connections, transactions, errors ---------------------------------------------------------

    def _connect(self) -> Any:
        psycopg = _psycopg()
        url = self.location.replace("postgres://", "postgresql://", 1)
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(min(self._timeout, 30))))
        except psycopg.Error as exc:
            raise ArchiveError(
                f"cannot connect to the archive at {_safe(self.location)}: {str(exc).strip()} "
                "(is the server running, and the URL right?)"
            ) from None
        conn.execute(f"SET lock_timeout = {int(self._timeout * 1000)}")
        if self.readonly:
            conn.execute("SET default_transaction_read_only = on")
        return conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        psycopg = _psycopg()
        try:
            yield
        except psycopg.Error as exc:
            raise self._explain(exc) from exc

    def _explain(self, exc: Exception) -> ArchiveError:
        from psycopg import errors

        where = _safe(self.location)
        if isinstance(exc, errors.DiskFull):
            return ArchiveError(
                f"{where}: the database server's disk is full; the batch in progress was not "
                "stored and the archive is intact. Free some space and run the same command to resume."
            )
        if isinstance(exc, errors.ReadOnlySqlTransaction):
            return ArchiveError(f"{where}: the archive is read-only; open it writable to ingest")
        if isinstance(exc, errors.LockNotAvailable):
            return ArchiveError(f"{where}: another writer holds the archive for too long; try again")
        if isinstance(exc, errors.InsufficientPrivilege):
            return ArchiveError(f"{where}: permission denied ({str(exc).strip()}); ask for write access")
        return ArchiveError(f"{where}: {str(exc).strip()}")

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[Any]:
        db = self._db
        with self._errors(), db.transaction():
            if write:
                # One writer at a time per archive (per schema): versions and duplicates are decided in order.
                db.execute("SELECT pg_advisory_xact_lock(hashtext('broadsheet:' || current_schema()))")
            yield db

    def _migrate(self, db: Any) -> None:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(hashtext('broadsheet:' || current_schema()))")
            meta, articles = db.execute(
                "SELECT to_regclass('broadsheet_meta') IS NOT NULL, to_regclass('articles') IS NOT NULL"
            ).fetchone()
            if not meta and articles:
                raise ArchiveError(
                    f"{_safe(self.location)}: the schema holds tables, but not a broadsheet archive"
                )
            version = 0
            if meta:
                row = db.execute("SELECT value FROM broadsheet_meta WHERE key = 'schema_version'").fetchone()
                version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise ArchiveError(
                    f"{_safe(self.location)}: archive schema {version} is newer than this broadsheet "
                    f"knows ({SCHEMA_VERSION}); upgrade broadsheet"
                )
            if version < SCHEMA_VERSION and self.readonly:
                raise ArchiveError(
                    f"{_safe(self.location)}: archive schema {version} needs upgrading; open it writable once"
                )
            for number in range(version + 1, SCHEMA_VERSION + 1):
                db.execute(MIGRATIONS[number - 1])
                db.execute(
                    "INSERT INTO broadsheet_meta (key, value) VALUES ('schema_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(number),),
                )

    def _name(self) -> str:
        return _safe(self.location)

    @staticmethod
    def _text(value: str | None) -> str | None:
        return _clean(value)

    def _article_of(self, row: Sequence[Any]) -> Article:
        # the text as given (``text_exact``) where it had to be cleaned for PostgreSQL
        return decode_article(bytes(row[1]), given_text(row[2], row[8]))

    def _listed(self, value: Any) -> list[str]:
        return list(value)

    def _size_bytes(self, db: Any) -> int:
        row = db.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        ).fetchone()
        return int(row[0] or 0)

    # -- writing -------------------------------------------------------------------------------------

    def _writer(self, db: Any) -> _Writer:
        return _Writer(self, db, now())

    def _pipelined(self, db: Any) -> Any:
        return db.pipeline()

    def _config_of(self, language: str | None) -> str:
        """The text search configuration for a language: its stemming (no stop words), else ``simple``."""
        name = "bs_" + _CONFIGS.get((language or "").lower()[:2], "simple")
        return name if name in self._known_configs else "simple"

    def _recluster(self, db: Any) -> int:
        return _cluster_stories(db)

    def optimize(self) -> None:
        """Refresh the planner's statistics and reclaim dead rows (after large ingests)."""
        self._writable()
        with self._errors():
            for table in ("inputs", "articles", "authors", "tags", "signatures", "members", "clusters"):
                self._db.execute(f"VACUUM (ANALYZE) {table}")

    # -- querying ------------------------------------------------------------------------------------

    def _configs_in_use(self) -> list[str]:
        with self._errors():
            return [r[0] for r in self._db.execute("SELECT ts_config::text FROM configs ORDER BY 1")]

    def _select(self, parsed: Query, filters: Filters, *, latest: bool = True) -> Select:
        """WITH, FROM and WHERE for articles matching a query and filters."""
        where, params = self._filter_sql(filters, latest=latest)
        if not parsed:
            return Select("", f"{_FROM} WHERE {' AND '.join(where)}", params, fts=False)
        # The query parsed once per configuration in use (MATERIALIZED: then each parse drives a GIN
        # index scan); ``positive`` leaves exclusions out, for ranking and snippets.
        with_ = (
            "WITH q AS MATERIALIZED (SELECT cfg, to_tsquery(cfg, %s) AS query, to_tsquery(cfg, %s) AS positive "
            "FROM unnest(%s::regconfig[]) AS cfg) "
        )
        body = f"{_FROM} JOIN q ON a.ts_config = q.cfg AND a.search @@ q.query WHERE {' AND '.join(where)}"
        positive = Query(parsed.groups)
        return Select(
            with_, body, [_tsquery(parsed), _tsquery(positive), self._configs_in_use(), *params], fts=True
        )

    def search(self, query: Query, filters: Filters, limit: int, offset: int) -> list[Summary]:
        sel = self._select(query, filters)
        if sel.fts:
            # Snippets are made for the page of results only: ts_headline re-parses the text.
            sql = (
                f"{sel.with_} SELECT {_SUMMARY_OF_P}, p.rank, coalesce(h.text, h.head) FROM ("
                f"SELECT {self._SUMMARY}, ts_rank_cd({_WEIGHTS}, a.search, q.positive, 1) AS rank, a.ts_config, q.positive, "
                f"a.text, concat_ws(' — ', a.title, a.description) AS head "
                f"{sel.body} ORDER BY rank DESC, a.id LIMIT %s OFFSET %s) p "
                f"CROSS JOIN LATERAL (SELECT CASE WHEN strpos(t, chr(2)) > 0 THEN t END AS text, "
                f"ts_headline(p.ts_config, p.head, p.positive, {_HEADLINE}) AS head "
                f"FROM ts_headline(p.ts_config, left(p.text, 50000), p.positive, {_HEADLINE}) AS t) h "
                "ORDER BY p.rank DESC, p.id"
            )
        else:
            sql = (
                f"SELECT {self._SUMMARY}, NULL {sel.body} "
                "ORDER BY a.published DESC NULLS LAST, a.id DESC LIMIT %s OFFSET %s"
            )
        with self._errors():
            rows = self._db.execute(sql, [*sel.params, limit, offset]).fetchall()
        if sel.fts:
            return [self._summary_of(r[:15], score=r[15], snippet=r[-1]) for r in rows]
        return [self._summary_of(r[:15]) for r in rows]

    def facet(self, field: str, query: Query, filters: Filters, limit: int) -> list[tuple[str, int]]:
        if field not in FACETS:
            raise ValueError(f"cannot count by {field!r}: use one of {', '.join(FACETS)}")
        sel = self._select(query, filters)
        body, value = self._facet_of(field, sel.body)
        # Values that differ only in case are one value, as in the SQLite archive (NOCASE).
        sql = (
            f"{sel.with_} SELECT min(v), count(*) AS n FROM (SELECT {value} AS v {body}) f "
            "WHERE v IS NOT NULL GROUP BY lower(v) ORDER BY n DESC, lower(v) LIMIT %s"
        )
        with self._errors():
            rows = self._db.execute(sql, [*sel.params, limit]).fetchall()
        return [(r[0], r[1]) for r in rows]


class _Writer(SqlWriter):
    """Stores records inside one open transaction: inputs, versions, duplicates, signatures. The batch runs in
    pipeline mode (``PostgresBackend._pipelined``): an article is one statement whose id is read only when a
    later record of the batch needs it, so the client prepares the next records while the server indexes."""

    def __init__(self, backend: PostgresBackend, db: Any, now: str) -> None:
        super().__init__(backend, db, now)
        self.config_of = backend._config_of
        self._configs: set[str] = set()  # text search configurations recorded in this batch

    def _input_row(self, record: Record, keep_raw: bool = True) -> tuple[Any, ...]:
        return (
            _clean(record.source),
            record.content_hash,
            _clean(record.url),
            record.kind,
            _clean(record.fetched_at),
            record.size,
            record.raw if keep_raw else None,
            record.raw_is_text,
        )

    def _reject(
        self, record: Record, reason: str, error: str | None, duplicate_of: int | None = None
    ) -> None:
        self.db.execute(
            f"INSERT INTO inputs ({_INPUT_COLUMNS}, outcome, reason, error, duplicate_of) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'rejected', %s, %s, %s)",
            (*self._input_row(record, keep_raw=duplicate_of is None), reason, _clean(error), duplicate_of),
        )

    def _store(self, record: Record, key: str, version: int, article: Article, fp: dedup.Fingerprint) -> Any:
        host = host_of(article.url or record.url)
        published = _clean(article.published) or None
        text = _clean(article.text) or ""
        exact = article.text.encode("utf-8", "surrogatepass") if text != article.text else None
        config = self.config_of(article.language)
        authors, tags = [_clean(a) for a in article.authors], [_clean(t) for t in article.tags]
        row = (
            key,
            version,
            fp.text_hash,
            published,
            (published or _clean(article.fetched_at) or "")[:10] or None,
            _clean(article.language),
            _clean(article.site_name or host),
            host,
            _clean(article.section),
            self.now,
            _clean(article.url or record.url),
            _clean(article.images[0].url) if article.images else None,
            authors,
            tags,
            _clean(article.title),
            _clean(article.description),
            text,
            exact,
            record.payload or encode_article(article),
            config,
        )
        signature = (fp.shingles, fp.signature) if fp.shingles else ()
        cursor = self.db.execute(
            _STORE_SIGNED if signature else _STORE,
            (*self._input_row(record), *row, authors, tags, *signature),  # authors, tags: the two unnest()
        )
        if config not in self._configs:
            self._configs.add(config)
            self.db.execute("INSERT INTO configs (ts_config) VALUES (%s) ON CONFLICT DO NOTHING", (config,))
        return cursor

    def _article_id(self, stored: Any) -> int:
        """The id ``_store`` gives: its statement's result (the pipeline sends what is queued and waits)."""
        return int(stored.fetchone()[0])

    def _retire(self, article_id: int) -> None:
        """An older version leaves search (its vector is computed for latest versions only) and dedup."""
        self.db.execute("UPDATE articles SET latest = false WHERE id = %s", (article_id,))
        self.db.execute("DELETE FROM signatures WHERE article_id = %s", (article_id,))


def _cluster_stories(db: Any) -> int:
    """Recompute story clusters over every latest article; store what changed. Returns articles moved."""
    rows = db.execute(
        "SELECT a.id, a.text_hash, s.shingles, s.minhash, m.cluster_id FROM articles a "
        "LEFT JOIN signatures s ON s.article_id = a.id LEFT JOIN members m ON m.article_id = a.id "
        "WHERE a.latest ORDER BY a.id"
    ).fetchall()
    labels = dedup.cluster_columns(
        [r[1] for r in rows], [r[2] or 0 for r in rows], [bytes(r[3] or b"") for r in rows]
    )
    sizes = Counter(labels)
    new = {r[0]: (rows[lab][0] if sizes[lab] > 1 else None) for r, lab in zip(rows, labels, strict=True)}
    old = {r[0]: r[4] for r in rows}
    # Members of clusters that lost their latest version are no longer among ``rows``.
    stale = db.execute(
        "SELECT m.article_id, m.cluster_id FROM members m JOIN articles a ON a.id = m.article_id "
        "WHERE NOT a.latest"
    ).fetchall()
    moved = [(aid, cid) for aid, cid in new.items() if cid != old[aid]] + [(aid, None) for aid, _ in stale]
    if not moved:
        return 0
    affected = sorted(
        {old[aid] for aid, _ in moved if old.get(aid)}
        | {cid for _, cid in moved if cid}
        | {cid for _, cid in stale}
    )
    db.execute("DELETE FROM members WHERE article_id = ANY(%s)", ([aid for aid, _ in moved],))
    cur = db.cursor()
    cur.executemany(
        "INSERT INTO members (article_id, cluster_id) VALUES (%s, %s)",
        [(aid, cid) for aid, cid in moved if cid is not None],
    )
    db.execute("DELETE FROM clusters WHERE id = ANY(%s)", (affected,))
    members: dict[int, list[tuple[Any, ...]]] = {}
    for row in db.execute(
        "SELECT m.cluster_id, a.id, a.site, a.authors, a.published FROM members m "
        "JOIN articles a ON a.id = m.article_id WHERE a.latest AND m.cluster_id = ANY(%s)",
        (affected,),
    ):
        members.setdefault(row[0], []).append(row[1:])
    cur.executemany(
        "INSERT INTO clusters (id, size, canonical_id, source, wire, first_published) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        [(cid, *cluster_row(rows_)) for cid, rows_ in sorted(members.items())],
    )
    return len(moved)


def _ts_term(term: Term) -> str:
    # Words are \\w+ runs (``parse_query``): quoted, they are lexemes for the configuration to normalise.
    text = " <-> ".join(f"'{w}'" for w in term.words)
    return f"({text}:*)" if term.prefix else f"({text})"


def _tsquery(query: Query) -> str:
    """The parsed query as ``to_tsquery`` input: groups AND-ed, terms of a group OR-ed, exclusions negated."""
    groups = ["(" + " | ".join(_ts_term(t) for t in group) + ")" for group in query.groups]
    if query.exclude:
        groups.append("!(" + " | ".join(_ts_term(t) for t in query.exclude) + ")")
    return " & ".join(groups)
