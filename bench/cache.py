"""A disk cache of peer outputs and flattened texts, so that re-running the benchmark is cheap.

One SQLite file; a key names the producer, its version, the set, the page id and the variant, so a
new library version or a changed page misses the cache by itself. broadsheet is never cached: it is
what changes between runs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["Cache", "key"]


def key(producer: str, version: str, set_name: str, page_id: str, variant: str) -> str:
    return "\t".join((producer, version, set_name, page_id, variant))


class Cache:
    """Key → JSON value, in ``folder/cache.sqlite``. ``Cache(None)`` remembers nothing."""

    def __init__(self, folder: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(folder / "cache.sqlite")
            self._db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        if self._db is None:
            return {}
        found: dict[str, Any] = {}
        wanted = list(keys)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", chunk)
            found.update((k, json.loads(v)) for k, v in rows)
        return found

    def put_many(self, items: Iterable[tuple[str, Any]]) -> None:
        if self._db is None:
            return
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                ((k, json.dumps(v, ensure_ascii=False)) for k, v in items),
            )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
