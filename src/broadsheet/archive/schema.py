"""The SQLite archive's schema, as numbered migrations applied in order (``PRAGMA user_version``).

inputs     every input record ingested: source key, content hash, raw bytes (zlib), outcome, reason
articles   every stored article version, its small fields; ``latest`` marks the current one of each URL
bodies     title, description, text and the full record (compressed JSON) of each article
authors    (name, article) and tags (tag, article): filters and facets
articles_fts  FTS5 over title, description and text of latest versions (external content: bodies)
signatures MinHash signature and shingle count per latest article (clusters are computed from them)
clusters   story clusters of two or more: size, canonical article, source (wire agency or first site)
state      small facts (are the clusters up to date?)
runs       one row per ingestion run, with its report
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION"]

#: Marks a file as a broadsheet archive ("BSHT").
APPLICATION_ID = 0x42534854

_V1 = """
CREATE TABLE inputs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    url TEXT,
    kind TEXT NOT NULL,
    fetched_at TEXT,
    size INTEGER NOT NULL,
    raw BLOB,
    raw_is_text INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL CHECK (outcome IN ('article', 'rejected')),
    reason TEXT,
    error TEXT,
    duplicate_of INTEGER REFERENCES articles(id),
    UNIQUE (source, content_hash),
    CHECK ((outcome = 'rejected') = (reason IS NOT NULL))
);
CREATE INDEX inputs_reason ON inputs(reason) WHERE reason IS NOT NULL;

-- A story cluster is named by its smallest member id; singletons have none (articles.cluster_id NULL).
CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    canonical_id INTEGER NOT NULL,
    source TEXT,
    wire INTEGER NOT NULL DEFAULT 0,
    first_published TEXT
);
CREATE INDEX clusters_size ON clusters(size DESC, id);

-- What queries filter and list by, kept small so that joins and scans stay in the page cache; the
-- title, description, text and the full record (data) live in bodies, one row per article.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    input_id INTEGER NOT NULL UNIQUE REFERENCES inputs(id),
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    latest INTEGER NOT NULL,
    cluster_id INTEGER REFERENCES clusters(id),
    text_hash TEXT NOT NULL,
    published TEXT,
    day TEXT,
    language TEXT COLLATE NOCASE,
    site TEXT COLLATE NOCASE,
    host TEXT COLLATE NOCASE,
    section TEXT COLLATE NOCASE,
    ingested_at TEXT NOT NULL,
    url TEXT,
    image TEXT,
    authors TEXT NOT NULL,
    tags TEXT NOT NULL,
    UNIQUE (key, version)
);
CREATE INDEX articles_key ON articles(key) WHERE latest = 1;
CREATE INDEX articles_newest ON articles(published DESC, id DESC) WHERE latest = 1;
CREATE INDEX articles_day ON articles(day) WHERE latest = 1;
CREATE INDEX articles_site ON articles(site, published DESC) WHERE latest = 1;
CREATE INDEX articles_host ON articles(host) WHERE latest = 1;
CREATE INDEX articles_section ON articles(section, published DESC) WHERE latest = 1;
CREATE INDEX articles_cluster ON articles(cluster_id) WHERE cluster_id IS NOT NULL;
CREATE INDEX articles_url ON articles(url);

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY REFERENCES articles(id),
    title TEXT,
    description TEXT,
    text TEXT NOT NULL,
    data BLOB NOT NULL
);

CREATE TABLE authors (
    name TEXT NOT NULL COLLATE NOCASE,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (name, article_id)
) WITHOUT ROWID;
CREATE INDEX authors_article ON authors(article_id);

CREATE TABLE tags (
    tag TEXT NOT NULL COLLATE NOCASE,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (tag, article_id)
) WITHOUT ROWID;
CREATE INDEX tags_article ON tags(article_id);

-- MinHash signatures of latest versions with enough words; clusters are recomputed from them.
CREATE TABLE signatures (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    shingles INTEGER NOT NULL,
    minhash BLOB NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, description, text,
    content = 'bodies', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Small facts about the archive: "clusters" is "stale" while articles arrived since the last recluster.
CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    sources TEXT NOT NULL,
    report TEXT
);
"""

#: Migration n (1-based) takes the schema from version n-1 to n. Append, never edit a released one.
MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)
