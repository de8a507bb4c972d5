"""The filter columns of the archive's articles in memory, for full-text matches too wide to join row by row.

A word found in most of a large archive matches tens of thousands of articles. Counting those by day, or
checking a site or section filter on each, costs SQLite one B-tree lookup per match (about 2 µs each:
well over 100 ms at 60,000 matches). The same questions asked of numpy arrays — every article's id,
day, site, host, section and language as integer codes — take a few milliseconds.

The arrays grow by appending the rows stored since they were last read (ids only ever increase), so a
reader that keeps serving while an ingestion writes pays only for what is new. Rows of older versions
stay in the arrays: only the full-text index's rows are looked up, and it holds latest versions only.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .query import Filters

__all__ = ["FilterColumns"]

#: the articles columns held, in this order after ``id``; all but ``day`` compare without case (NOCASE)
COLUMNS = ("day", "site", "host", "section", "language")


class _Codes:
    """One text column as integer codes (-1 for NULL), values keyed case-folded where SQLite ignores case."""

    def __init__(self, fold: bool) -> None:
        self.fold = fold
        self.index: dict[str, int] = {}
        self.values: list[str] = []  # the first spelling seen of each code
        self.codes = np.empty(0, dtype=np.int32)

    def key(self, value: str) -> str:
        return value.lower() if self.fold else value

    def extend(self, values: Sequence[str | None]) -> None:
        codes = np.empty(len(values), dtype=np.int32)
        for i, value in enumerate(values):
            if value is None:
                codes[i] = -1
                continue
            key = self.key(value)
            code = self.index.get(key)
            if code is None:
                code = self.index[key] = len(self.values)
                self.values.append(value)
            codes[i] = code
        self.codes = np.concatenate([self.codes, codes])

    def code(self, value: str) -> int:
        return self.index.get(self.key(value), -2)  # -2 matches no row (NULL is -1)


class FilterColumns:
    """``id`` and the filter columns of every stored article, appended to as the archive grows."""

    def __init__(self) -> None:
        self.ids = np.empty(0, dtype=np.int64)
        self.columns = {name: _Codes(fold=name != "day") for name in COLUMNS}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def refresh(self, fetch: Callable[[int], list[tuple[Any, ...]]]) -> None:
        """Append the rows ``fetch(last id)`` returns: ``(id, day, site, host, section, language)`` by id."""
        with self._lock:
            last = int(self.ids[-1]) if len(self.ids) else 0
            rows = fetch(last)
            if not rows:
                return
            # the columns first, the ids last: a reader bounded by ``ids`` never indexes past a column
            for j, name in enumerate(COLUMNS, start=1):
                self.columns[name].extend([r[j] for r in rows])
            self.ids = np.concatenate([self.ids, np.fromiter((r[0] for r in rows), np.int64, len(rows))])

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Where each id is in the arrays (ids not held are dropped)."""
        at = np.searchsorted(self.ids, ids)
        inside = at < len(self.ids)
        at = at[inside]
        return at[self.ids[at] == ids[inside]]

    def keep(self, at: np.ndarray, filters: Filters, among: Callable[[str, str], np.ndarray]) -> np.ndarray:
        """The positions ``at`` whose article passes ``filters``; ``among(kind, value)`` gives the ids with
        an author or a tag (those live in their own tables)."""
        mask = np.ones(len(at), dtype=bool)
        cols = self.columns
        if filters.site:
            site, host = cols["site"], cols["host"]
            bare = filters.site.lower().removeprefix("www.")
            mask &= (site.codes[at] == site.code(filters.site)) | (host.codes[at] == host.code(bare))
        for name, value in (("section", filters.section), ("language", filters.lang)):
            if value:
                mask &= cols[name].codes[at] == cols[name].code(value)
        if filters.since or filters.until:
            mask &= self._within(at, filters.since, filters.until)
        for kind, value in (("author", filters.author), ("tag", filters.tag)):
            if value:
                mask &= np.isin(self.ids[at], among(kind, value))
        return at[mask]

    def _within(self, at: np.ndarray, since: str | None, until: str | None) -> np.ndarray:
        """Whether each position's day is inside [since, until] (ISO days compare as text)."""
        day = self.columns["day"]
        ordered = sorted(range(len(day.values)), key=day.values.__getitem__)
        rank = np.empty(len(ordered) + 1, dtype=np.int64)
        rank[np.asarray(ordered, dtype=np.int64)] = np.arange(len(ordered))
        rank[-1] = -1  # code -1 (no day) indexes here: outside any range
        days = [day.values[i] for i in ordered]
        low = bisect.bisect_left(days, since) if since else 0
        high = bisect.bisect_right(days, until) if until else len(days)
        ranks = rank[day.codes[at]]
        return (ranks >= low) & (ranks < high)

    def by_day(self, at: np.ndarray) -> list[tuple[str, int]]:
        """Articles per publication day among positions ``at``, oldest day first (no day: left out)."""
        day = self.columns["day"]
        codes = day.codes[at]
        counts = np.bincount(codes[codes >= 0], minlength=len(day.values))
        return sorted((day.values[c], int(n)) for c, n in enumerate(counts) if n)

    def facet(self, at: np.ndarray, name: str, limit: int) -> list[tuple[str, int]]:
        """The most common values of column ``name`` among positions ``at``, most common first."""
        column = self.columns[name]
        codes = column.codes[at]
        counts = np.bincount(codes[codes >= 0], minlength=len(column.values))
        found = [(column.values[c], int(n)) for c, n in enumerate(counts) if n]
        found.sort(key=lambda vn: (-vn[1], column.key(vn[0])))
        return found[:limit]
