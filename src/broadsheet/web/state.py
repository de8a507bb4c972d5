"""The reading room's own small store: saved searches, followed feeds and page views.

It lives in its own SQLite file beside the archive, so the archive can stay read-only (or be a
PostgreSQL database) while readers save searches and the "most read" list counts views.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import BroadsheetError

__all__ = ["FILTER_NAMES", "Feed", "SavedSearch", "WebState"]

#: The search filters a saved search keeps (the archive's ``FilterArgs``).
FILTER_NAMES = ("site", "section", "author", "tag", "since", "until", "lang")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,
    email TEXT,
    created_at TEXT NOT NULL,
    last_sent TEXT
);
CREATE TABLE IF NOT EXISTS feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT,
    added_at TEXT NOT NULL,
    last_ingested TEXT,
    last_report TEXT
);
CREATE TABLE IF NOT EXISTS views (
    article_id INTEGER PRIMARY KEY,
    views INTEGER NOT NULL,
    last_viewed TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS views_most ON views(views DESC, article_id);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class SavedSearch:
    """A query and filters kept under a name; the daily digest mails its new articles to ``email``."""

    id: int
    name: str
    query: str
    filters: dict[str, str] = field(default_factory=dict)
    email: str | None = None
    created_at: str | None = None
    last_sent: str | None = None  # the last day (YYYY-MM-DD) a digest covered


@dataclass(slots=True)
class Feed:
    """A feed to follow: ingested on demand, its last ingestion report kept."""

    id: int
    url: str
    name: str | None = None
    added_at: str | None = None
    last_ingested: str | None = None
    last_report: str | None = None


class WebState:
    """One SQLite file, one connection shared by the server's threads behind a lock (writes are tiny)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise BroadsheetError(f"{self.path}: cannot open the web state file ({exc})") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # -- saved searches ---------------------------------------------------------------------------

    def save_search(
        self, name: str, query: str, filters: Mapping[str, Any], email: str | None = None
    ) -> SavedSearch:
        kept = {k: str(v) for k, v in filters.items() if k in FILTER_NAMES and v}
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO searches (name, query, filters, email, created_at) VALUES (?, ?, ?, ?, ?)",
                (name, query, json.dumps(kept, sort_keys=True), email, _now()),
            )
        assert cur.lastrowid is not None
        saved = self.search(cur.lastrowid)
        assert saved is not None
        return saved

    def searches(self) -> list[SavedSearch]:
        return [_saved(r) for r in self._run(f"SELECT {_SEARCH_COLUMNS} FROM searches ORDER BY id")]

    def search(self, search_id: int) -> SavedSearch | None:
        rows = self._run(f"SELECT {_SEARCH_COLUMNS} FROM searches WHERE id = ?", (search_id,))
        return _saved(rows[0]) if rows else None

    def delete_search(self, search_id: int) -> bool:
        if not -(2**63) <= search_id < 2**63:  # no row has it; SQLite would raise OverflowError
            return False
        with self._lock:
            return self._db.execute("DELETE FROM searches WHERE id = ?", (search_id,)).rowcount > 0

    def mark_sent(self, search_id: int, day: str) -> None:
        self._run("UPDATE searches SET last_sent = ? WHERE id = ?", (day, search_id))

    # -- feeds ------------------------------------------------------------------------------------

    def add_feed(self, url: str, name: str | None = None) -> Feed:
        self._run("INSERT OR IGNORE INTO feeds (url, name, added_at) VALUES (?, ?, ?)", (url, name, _now()))
        rows = self._run(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = ?", (url,))
        return Feed(*rows[0])

    def feeds(self) -> list[Feed]:
        return [Feed(*r) for r in self._run(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")]

    def feed_ingested(self, feed_id: int, report: str) -> None:
        self._run(
            "UPDATE feeds SET last_ingested = ?, last_report = ? WHERE id = ?", (_now(), report, feed_id)
        )

    # -- views ------------------------------------------------------------------------------------

    def count_view(self, article_id: int) -> None:
        self._run(
            "INSERT INTO views (article_id, views, last_viewed) VALUES (?, 1, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET views = views + 1, last_viewed = excluded.last_viewed",
            (article_id, _now()),
        )

    def most_read(self, limit: int = 10) -> list[tuple[int, int]]:
        """(article id, views), most viewed first."""
        return [
            (r[0], r[1])
            for r in self._run(
                "SELECT article_id, views FROM views ORDER BY views DESC, article_id LIMIT ?", (limit,)
            )
        ]

    def views(self, article_id: int) -> int:
        rows = self._run("SELECT views FROM views WHERE article_id = ?", (article_id,))
        return int(rows[0][0]) if rows else 0


_SEARCH_COLUMNS = "id, name, query, filters, email, created_at, last_sent"
_FEED_COLUMNS = "id, url, name, added_at, last_ingested, last_report"


def _saved(row: tuple[Any, ...]) -> SavedSearch:
    return SavedSearch(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5], row[6])
