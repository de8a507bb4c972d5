"""What each page and API endpoint shows, gathered once from the archive and the web state.

The HTML routes and the JSON API both call these functions, so the API is exactly what the pages
show. Requests arrive as ``Listing`` parameters, validated here: bounded lengths, real dates, a page
number the archive can afford.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from ..archive import Archive, Cluster, Stored, Summary
from ..archive.query import FilterArgs
from ..article import Article, Decision
from ..errors import BroadsheetError
from .chart import Bin, bin_counts
from .settings import WebSettings
from .state import FILTER_NAMES, WebState

__all__ = [
    "ArticleView",
    "BadRequest",
    "ExplainView",
    "Front",
    "Listing",
    "ListingView",
    "MostRead",
    "NotFound",
    "Reading",
    "Trending",
]

_MAX_TEXT = 200  # characters of a query or a filter value
_CACHE_ENTRIES = 2048  # cached aggregates (a few KB each at most)
_AGGREGATE_SECONDS = 300.0  # then served stale while recomputed
_WARM_LISTINGS = 30  # sections and sites whose first page is computed at start
_NUMBER = re.compile(r"\d+(?:\.\d+)?")  # reasons differ by their numbers only ("link density 0.88")
T = TypeVar("T")


class BadRequest(BroadsheetError):
    """A request the reading room cannot answer as asked (bad date, page out of range)."""


class NotFound(BroadsheetError):
    """No such article, story or saved search."""


def storable_id(ident: int) -> bool:
    """Whether ``ident`` can name a row: a number from a URL past SQLite's 64 bits names nothing, and
    must not reach the database (its driver raises OverflowError, a 500)."""
    return -(2**63) <= ident < 2**63


@dataclass(frozen=True, slots=True)
class Listing:
    """A query, its filters and the page wanted: what every listing, search and feed is made of."""

    q: str = ""
    site: str | None = None
    section: str | None = None
    author: str | None = None
    tag: str | None = None
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    page: int = 1

    @classmethod
    def of(cls, params: Mapping[str, Any], **fixed: str) -> Listing:
        """From query parameters (unknown ones ignored), with ``fixed`` filters from the path."""
        values: dict[str, Any] = {}
        for name in ("q", *FILTER_NAMES):
            raw = fixed.get(name, params.get(name))
            text = str(raw).strip() if raw is not None else ""
            if len(text) > _MAX_TEXT:
                raise BadRequest(f"{name} is longer than {_MAX_TEXT} characters")
            values[name] = text or (None if name != "q" else "")
        for name in ("since", "until"):
            if values[name]:
                values[name] = _iso_day(values[name], name)
        try:
            values["page"] = int(params.get("page") or 1)
        except ValueError:
            raise BadRequest("page must be a number") from None
        if values["page"] < 1:
            raise BadRequest("page numbers start at 1")
        return cls(**values)

    @property
    def filters(self) -> FilterArgs:
        """The filters that are set, as the archive's query methods take them."""
        return cast(FilterArgs, {name: v for name in FILTER_NAMES if (v := getattr(self, name))})

    @property
    def empty(self) -> bool:
        return not self.q and not self.filters

    def query_string(self, **changes: Any) -> str:
        """This listing's parameters as a URL query, with ``changes`` (None removes one)."""
        values: dict[str, Any] = {"q": self.q, **self.filters, "page": self.page}
        values.update(changes)
        return urlencode(
            {k: v for k, v in values.items() if v not in (None, "") and not (k == "page" and v == 1)}
        )

    def describe(self) -> str:
        """In words, for titles: '"harbour" in Politics by Jane Doe, since 2024-01-01'."""
        parts = [f"“{self.q}”"] if self.q else []
        for name, word in (
            ("section", "in"),
            ("tag", "tagged"),
            ("author", "by"),
            ("site", "from"),
            ("lang", "language"),
            ("since", "since"),
            ("until", "until"),
        ):
            if getattr(self, name):
                parts.append(f"{word} {getattr(self, name)}")
        return " ".join(parts) or "All articles"


def month_range(month: str) -> tuple[str, str]:
    """'2024-02' → ('2024-02-01', '2024-02-29')."""
    first = date.fromisoformat(month + "-01")
    last = (
        date(first.year, 12, 31)
        if first.month == 12
        else date(first.year, first.month + 1, 1) - timedelta(days=1)
    )
    return first.isoformat(), last.isoformat()  # (December computed so: 9999-12 has no next month)


def _iso_day(text: str, name: str) -> str:
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise BadRequest(f"{name} must be a date as YYYY-MM-DD, not {text[:40]!r}") from None


@dataclass(slots=True)
class ListingView:
    """One page of a listing with what surrounds it: total, pages, attention over time, facets."""

    listing: Listing
    items: list[Summary]
    total: int
    pages: int
    bins: list[Bin] = field(default_factory=list)
    unit: str = "day"
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    facets_left_out: bool = False  # too many matches to count them by site, section, ... (``facet_limit``)


@dataclass(slots=True)
class SectionBlock:
    name: str
    count: int
    items: list[Summary]


@dataclass(slots=True)
class MostRead:
    """An article and how many times this reading room showed it."""

    article: Summary
    views: int


@dataclass(slots=True)
class Front:
    """The front page: the newest articles, then the biggest sections' latest, trending, most read."""

    lead: list[Summary]
    sections: list[SectionBlock]
    trending: list[Cluster]
    most_read: list[MostRead]
    total: int


@dataclass(slots=True)
class ArticleView:
    """An article page: the stored version, its other versions, its story and who else ran it."""

    id: int
    version: int
    latest: bool
    source: str
    ingested_at: str | None
    article: Article
    cluster: Cluster | None
    others: list[Summary]  # other members of its story, canonical first
    versions: list[dict[str, Any]]
    views: int = 0


@dataclass(slots=True)
class ExplainView:
    """The original page's blocks, each kept or removed with the reason."""

    id: int
    article: Article
    decisions: list[Decision]
    kept: int
    removed: int
    reasons: list[tuple[str, int]]  # why blocks were removed, most common first


@dataclass(slots=True)
class Trending:
    clusters: list[Cluster]
    most_read: list[MostRead]


def _one_per_story(items: list[Summary], shown: set[int], limit: int) -> list[Summary]:
    """The first ``limit`` items whose story (cluster, or the article itself) is not in ``shown`` yet."""
    out: list[Summary] = []
    for item in items:
        story = item.cluster_id if item.cluster_id is not None else -item.id
        if story not in shown and len(out) < limit:
            shown.add(story)
            out.append(item)
    return out


def summary_of(stored: Stored) -> Summary:
    """A listing entry for a stored article (for lists the archive does not make, like most read)."""
    a = stored.article
    return Summary(
        id=stored.id,
        url=a.url,
        title=a.title,
        description=a.description,
        site=a.site_name,
        section=a.section,
        published=a.published,
        day=(a.published or a.fetched_at or "")[:10] or None,
        language=a.language,
        authors=list(a.authors),
        tags=list(a.tags),
        image=a.images[0].url if a.images else None,
        cluster_id=stored.cluster_id,
        version=stored.version,
    )


class Reading:
    """The reading room's questions to the archive. Thread-safe as the archive is."""

    def __init__(self, archive: Archive, state: WebState, settings: WebSettings) -> None:
        self.archive = archive
        self.state = state
        self.settings = settings
        self._cache: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._refreshing: set[str] = set()
        # a listing's count, page, attention and facets are independent queries: SQLite runs them at
        # once on separate connections (it releases the GIL), so a page waits for the slowest, not the sum
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="broadsheet-query")

    def close(self) -> None:
        """Stop the query threads; waits for queries in flight, whose connections close next."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _cached(self, key: str, seconds: float, make: Callable[[], T]) -> T:
        """Aggregates (counts, facets, attention) change only when the archive does: keep them a while.

        A bounded LRU. An entry past ``seconds`` is still served while a fresh one is computed aside,
        so no reader waits for a whole-archive count; ``invalidate`` empties it after this app writes.
        Another process ingesting into the same archive shows up within ``seconds`` of a request.
        """
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
            if hit:
                self._cache.move_to_end(key)
                if now - hit[0] >= seconds and key not in self._refreshing:
                    self._refreshing.add(key)
                    self._pool.submit(self._refresh, key, make)
                return cast(T, hit[1])
        value = make()
        self._store(key, value)
        return value

    def _refresh(self, key: str, make: Callable[[], Any]) -> None:
        try:
            self._store(key, make())
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def _store(self, key: str, value: Any) -> None:
        with self._lock:
            self._cache[key] = (time.monotonic(), value)
            while len(self._cache) > _CACHE_ENTRIES:
                self._cache.popitem(last=False)

    def warm(self, facets: Mapping[str, tuple[str, ...]] | None = None) -> None:
        """Compute aside what the first readers would wait for: the whole-archive aggregates, then the
        first page of every section and site listing (with ``facets`` per kind, as their pages show)."""
        for task in (
            self.archive.backend.prepare,
            self.sections,
            self.periods,
            self.total,
            lambda: self.sections(6),
        ):
            self._pool.submit(task)
        if facets:  # a thread of its own: a listing waits on the pool, a pool task must not
            threading.Thread(
                target=self._warm_listings, args=(facets,), name="broadsheet-warm", daemon=True
            ).start()

    def _warm_listings(self, facets: Mapping[str, tuple[str, ...]]) -> None:
        try:
            for kind in ("section", "site"):
                for value, _ in self.archive.facet(kind, limit=_WARM_LISTINGS):
                    self.listing(Listing.of({}, **{kind: value}), facets=facets.get(kind, ()))
            for _, _, months in self.periods():
                for month, _ in months[:_WARM_LISTINGS]:
                    first, last = month_range(month)
                    self.listing(Listing.of({}, since=first, until=last), facets=facets.get("archive", ()))
        except (RuntimeError, BroadsheetError):  # the app is shutting down, or the archive went away
            return

    def invalidate(self) -> None:
        """Forget cached aggregates (after a write)."""
        with self._lock:
            self._cache.clear()

    # -- navigation and front page ----------------------------------------------------------------

    def sections(self, limit: int = 8) -> list[tuple[str, int]]:
        return self._cached(
            f"sections:{limit}", _AGGREGATE_SECONDS, lambda: self.archive.facet("section", limit=limit)
        )

    def front(self, per_section: int = 4) -> Front:
        """Newest first, one article per story: a wire story run by four sites is shown once."""
        shown: set[int] = set()
        lead = _one_per_story(self.archive.latest(limit=20), shown, 5)
        blocks = []
        for name, count in self.sections(6):
            items = _one_per_story(
                self.archive.latest(limit=per_section * 3, section=name), shown, per_section
            )
            blocks.append(SectionBlock(name, count, items))
        return Front(lead, blocks, self.archive.clusters(limit=5), self.most_read(5), self.total())

    def total(self) -> int:
        return self._cached("total", _AGGREGATE_SECONDS, self.archive.count)

    def most_read(self, limit: int = 10) -> list[MostRead]:
        out = []
        for article_id, views in self.state.most_read(limit):
            stored = self.archive.get(article_id)
            if stored is not None:
                out.append(MostRead(summary_of(stored), views))
        return out

    def trending(self, limit: int = 20, since: str | None = None) -> Trending:
        day = _iso_day(since, "since") if since else None
        return Trending(self.archive.clusters(limit=limit, since=day), self.most_read(limit))

    # -- listings ---------------------------------------------------------------------------------

    def listing(self, listing: Listing, *, facets: tuple[str, ...] = (), chart: bool = True) -> ListingView:
        size = self.settings.page_size
        if listing.page > self.settings.max_page:
            raise BadRequest(f"pages go up to {self.settings.max_page}: narrow the search instead")
        q, filters, key = listing.q, listing.filters, listing.query_string(page=None)
        total_f = self._pool.submit(
            self._cached, f"count?{key}", _AGGREGATE_SECONDS, lambda: self.archive.count(q, **filters)
        )
        items_f = self._pool.submit(
            self.archive.search, q, limit=size, offset=(listing.page - 1) * size, **filters
        )
        days_f = self._pool.submit(self.attention, listing) if chart else None
        total = total_f.result()
        pages = max(1, math.ceil(total / size))
        if listing.page > pages:
            raise NotFound(f"there are only {pages} pages")
        # facets start once the count is known (the page and the chart are already running): over a
        # broad match they would each read most of the archive to say little, so they are left out
        wide = total > self.settings.facet_limit
        facet_fs = {
            name: self._pool.submit(
                self._cached,
                f"facet:{name}?{key}",
                _AGGREGATE_SECONDS,
                lambda name=name: self.archive.facet(name, q, limit=8, **filters),
            )
            for name in ([] if wide else facets)
        }
        view = ListingView(listing, items_f.result(), total, pages, facets_left_out=wide and bool(facets))
        if days_f is not None and total:
            view.bins, view.unit = bin_counts(days_f.result())
        view.facets = {name: f.result() for name, f in facet_fs.items()}
        return view

    def attention(self, listing: Listing) -> list[tuple[str, int]]:
        return self._cached(
            f"days?{listing.query_string(page=None)}",
            _AGGREGATE_SECONDS,
            lambda: self.archive.counts_by_day(listing.q, **listing.filters),
        )

    def periods(self) -> list[tuple[str, int, list[tuple[str, int]]]]:
        """Years, newest first, each with its article count and its months' counts."""

        def make() -> list[tuple[str, int, list[tuple[str, int]]]]:
            months: Counter[str] = Counter()
            for day, n in self.archive.counts_by_day():
                months[day[:7]] += n
            years: dict[str, list[tuple[str, int]]] = {}
            for month in sorted(months, reverse=True):
                years.setdefault(month[:4], []).append((month, months[month]))
            return [(y, sum(n for _, n in ms), ms) for y, ms in years.items()]

        return self._cached("periods", _AGGREGATE_SECONDS, make)

    # -- one article ------------------------------------------------------------------------------

    def stored(self, article_id: int) -> Stored:
        stored = self.archive.get(article_id) if storable_id(article_id) else None
        if stored is None:
            raise NotFound(f"no article {article_id}")
        return stored

    def article(self, article_id: int, *, count_view: bool = False) -> ArticleView:
        stored = self.stored(article_id)
        cluster = self.archive.cluster(stored.cluster_id) if stored.cluster_id is not None else None
        others = [m for m in cluster.members if m.id != stored.id] if cluster else []
        versions = []
        key = stored.article.url or stored.article.canonical_url
        if key:
            versions = [
                {
                    "id": v.id,
                    "version": v.version,
                    "latest": v.latest,
                    "ingested_at": v.ingested_at,
                    "title": v.article.title,
                }
                for v in self.archive.versions(key)
            ]
        if count_view:
            self.state.count_view(stored.id)
        return ArticleView(
            stored.id,
            stored.version,
            stored.latest,
            stored.source,
            stored.ingested_at,
            stored.article,
            cluster if cluster and cluster.size > 1 else None,
            others,
            versions,
            self.state.views(stored.id),
        )

    def explain(self, article_id: int) -> ExplainView:
        stored = self.stored(article_id)
        article = self.archive.explain(article_id)
        if article is None:
            raise NotFound(f"the page article {article_id} came from is not kept in the archive")
        decisions = list(article.explain or [])
        removed = Counter(_NUMBER.sub("n", d.reason or d.role) for d in decisions if not d.kept)
        kept = sum(d.kept for d in decisions)
        # the page as stored heads the view: a re-extraction by a newer broadsheet may read it differently
        return ExplainView(
            article_id, stored.article, decisions, kept, len(decisions) - kept, removed.most_common()
        )

    def story(self, cluster_id: int) -> Cluster:
        cluster = self.archive.cluster(cluster_id) if storable_id(cluster_id) else None
        if cluster is None:
            raise NotFound(f"no story {cluster_id}")
        return cluster
