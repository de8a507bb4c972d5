"""The HTML pages: front page, listings (search, site, section, tag, author, date), article, explain,
trending, stories, saved searches, feeds, the digest preview, and the forms that write."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from .actions import add_feed, ingest_url, refresh_feed, save_search
from .app import reading, render
from .chart import Bin, attention_svg
from .digest import build_digests
from .feeds import FeedInfo, atom, rss
from .security import check_token
from .views import Listing, NotFound, month_range

__all__ = ["LISTING_FACETS", "router"]

router = APIRouter(include_in_schema=False)

#: Facets beside search results. Author and tag are left out: counting them joins every match to
#: another table, the costliest part of a broad search (bench/web_bench.py); their pages have them.
_SEARCH_FACETS = ("site", "section", "language")
_FACET_PARAM = {"language": "lang"}
#: Facets beside each kind of listing (the start-up warm-up computes the same ones).
LISTING_FACETS: dict[str, tuple[str, ...]] = {
    "site": ("section", "author"),
    "section": ("site", "tag"),
    "tag": ("site", "section"),
    "author": ("site", "section"),
    "archive": ("section", "site"),
}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _feeds(title: str, listing: Listing) -> list[dict[str, str]]:
    qs = listing.query_string(page=None)
    suffix = f"?{qs}" if qs else ""
    return [
        {
            "type": "application/atom+xml",
            "title": f"{title} (Atom)",
            "href": f"/feed.atom{suffix}",
            "label": "Atom",
        },
        {
            "type": "application/rss+xml",
            "title": f"{title} (RSS)",
            "href": f"/feed.rss{suffix}",
            "label": "RSS",
        },
    ]


def _listing_page(
    request: Request,
    *,
    title: str,
    kicker: str,
    fixed: dict[str, str] | None = None,
    facets: tuple[str, ...] = (),
    search_form: bool = False,
) -> Response:
    fixed = fixed or {}
    listing = Listing.of(request.query_params, **fixed)
    view = reading(request).listing(listing, facets=facets)
    path = request.url.path

    def link(**changes: Any) -> str:
        qs = listing.query_string(**{**{name: None for name in fixed}, **changes})
        return f"{path}?{qs}" if qs else path

    def bar_link(b: Bin) -> str:
        return f"/search?{listing.query_string(since=b.start, until=b.end, page=None)}"

    chart = attention_svg(
        view.bins, view.unit, label=f"Articles per {view.unit}: {listing.describe()}", link=bar_link
    )
    return render(
        request,
        "listing.html",
        title=title,
        kicker=kicker,
        view=view,
        listing=listing,
        link=link,
        chart=chart,
        fixed=fixed,
        facet_param=_FACET_PARAM,
        search_form=search_form,
        q=listing.q,
        facet_limit=reading(request).settings.facet_limit,
        feeds=_feeds(title, listing),
    )


@router.get("/", response_class=Response)
def front(request: Request) -> Response:
    return render(
        request,
        "front.html",
        title="Front page",
        front=reading(request).front(),
        feeds=_feeds("Latest", Listing()),
    )


@router.get("/search")
def search(request: Request) -> Response:
    listing = Listing.of(request.query_params)
    title = f"Search: {listing.describe()}" if not listing.empty else "Search"
    return _listing_page(request, title=title, kicker="Search", facets=_SEARCH_FACETS, search_form=True)


@router.get("/site/{name:path}")
def site(request: Request, name: str) -> Response:
    return _listing_page(
        request, title=name, kicker="Site", fixed={"site": name}, facets=LISTING_FACETS["site"]
    )


@router.get("/section/{name:path}")
def section(request: Request, name: str) -> Response:
    return _listing_page(
        request, title=name, kicker="Section", fixed={"section": name}, facets=LISTING_FACETS["section"]
    )


@router.get("/tag/{name:path}")
def tag(request: Request, name: str) -> Response:
    return _listing_page(request, title=name, kicker="Tag", fixed={"tag": name}, facets=LISTING_FACETS["tag"])


@router.get("/author/{name:path}")
def author(request: Request, name: str) -> Response:
    return _listing_page(
        request, title=name, kicker="Author", fixed={"author": name}, facets=LISTING_FACETS["author"]
    )


@router.get("/archive")
def archive_index(request: Request) -> Response:
    return render(request, "archive.html", title="Archive", years=reading(request).periods())


def period_range(period: str) -> tuple[str, str]:
    """YYYY, YYYY-MM or YYYY-MM-DD → its first and last day."""
    match = _PERIOD.match(period)
    if not match:
        raise NotFound("archive periods look like 2024, 2024-05 or 2024-05-31")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day is not None:
            first = last = date(year, month or 1, day)  # type: ignore[arg-type]
        elif month is not None:
            return month_range(f"{year:04d}-{month:02d}")
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)  # type: ignore[arg-type]
    except ValueError:
        raise NotFound(f"no such date: {period}") from None
    return first.isoformat(), last.isoformat()


@router.get("/archive/{period}")
def archive_period(request: Request, period: str) -> Response:
    since, until = period_range(period)
    return _listing_page(
        request,
        title=period,
        kicker="Archive",
        fixed={"since": since, "until": until},
        facets=LISTING_FACETS["archive"],
    )


@router.get("/article/{article_id:int}")
def article(request: Request, article_id: int) -> Response:
    view = reading(request).article(article_id, count_view=True)
    return render(request, "article.html", title=view.article.title or "Article", view=view)


@router.get("/article/{article_id:int}/explain")
def explain(request: Request, article_id: int) -> Response:
    view = reading(request).explain(article_id)
    return render(request, "explain.html", title=f"Explain: {view.article.title or article_id}", view=view)


@router.get("/story/{cluster_id:int}")
def story(request: Request, cluster_id: int) -> Response:
    cluster = reading(request).story(cluster_id)
    return render(request, "story.html", title=cluster.canonical.title or "Story", cluster=cluster)


@router.get("/trending")
def trending(request: Request, since: str | None = None) -> Response:
    return render(
        request,
        "trending.html",
        title="Trending",
        trending=reading(request).trending(20, since),
        since=since or "",
    )


def _feed(request: Request, make: Callable[..., bytes], media: str) -> Response:
    listing = Listing.of(request.query_params)
    room = reading(request)
    items = room.archive.search(listing.q, limit=room.settings.page_size * 2, **listing.filters)
    base = str(request.base_url).rstrip("/")
    qs = listing.query_string(page=None)
    page_url = f"{base}/search?{qs}" if qs else f"{base}/"
    info = FeedInfo(f"broadsheet: {listing.describe()}", page_url, str(request.url))
    body = make(info, items, lambda s: f"{base}/article/{s.id}")
    return Response(body, media_type=media)


@router.get("/feed.rss")
def feed_rss(request: Request) -> Response:
    return _feed(request, rss, "application/rss+xml; charset=utf-8")


@router.get("/feed.atom")
def feed_atom(request: Request) -> Response:
    return _feed(request, atom, "application/atom+xml; charset=utf-8")


# -- saved searches, feeds, ingestion: the writing side ---------------------------------------------


@router.get("/saved")
def saved(request: Request) -> Response:
    room = reading(request)
    listing = Listing.of(request.query_params)
    return render(
        request,
        "saved.html",
        title="Saved searches",
        searches=room.state.searches(),
        listing=listing,
        Listing=Listing,
    )


@router.post("/saved")
def saved_create(
    request: Request,
    token: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    q: Annotated[str, Form()] = "",
    site: Annotated[str, Form()] = "",
    section: Annotated[str, Form()] = "",
    author: Annotated[str, Form()] = "",
    tag: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    room = reading(request)
    check_token(room.settings, token)
    listing = Listing.of(
        {"q": q, "site": site, "section": section, "author": author, "tag": tag, "lang": lang}
    )
    save_search(room, name, listing, email)
    return RedirectResponse("/saved", status_code=303)


@router.post("/saved/{search_id:int}/delete")
def saved_delete(request: Request, search_id: int, token: Annotated[str, Form()] = "") -> Response:
    room = reading(request)
    check_token(room.settings, token)
    if not room.state.delete_search(search_id):
        raise NotFound(f"no saved search {search_id}")
    return RedirectResponse("/saved", status_code=303)


@router.get("/sources")
def sources(request: Request, message: str = "") -> Response:
    return render(
        request,
        "sources.html",
        title="Feeds and pages",
        followed=reading(request).state.feeds(),
        message=message[:300],
    )


@router.post("/sources/feeds")
def sources_add_feed(
    request: Request,
    token: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
) -> Response:
    room = reading(request)
    check_token(room.settings, token)
    add_feed(room, url, name)
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/feeds/{feed_id:int}/refresh")
def sources_refresh(request: Request, feed_id: int, token: Annotated[str, Form()] = "") -> Response:
    room = reading(request)
    check_token(room.settings, token)
    feed = next((f for f in room.state.feeds() if f.id == feed_id), None)
    if feed is None:
        raise NotFound(f"no feed {feed_id}")
    result = refresh_feed(room, feed)
    return render(
        request, "sources.html", title="Feeds and pages", followed=room.state.feeds(), message=result.report
    )


@router.post("/sources/ingest")
def sources_ingest(
    request: Request, token: Annotated[str, Form()] = "", url: Annotated[str, Form()] = ""
) -> Response:
    room = reading(request)
    check_token(room.settings, token)
    result = ingest_url(room, url)
    if result.article_id is not None:
        return RedirectResponse(f"/article/{result.article_id}", status_code=303)
    return render(
        request,
        "sources.html",
        422,
        title="Feeds and pages",
        followed=room.state.feeds(),
        message=f"{result.url}: {result.report}",
    )


@router.get("/digest")
def digest(request: Request, since: str | None = None, until: str | None = None) -> Response:
    room = reading(request)
    listing = Listing.of({"since": since, "until": until})
    digests = build_digests(room.archive, room.state, since=listing.since, until=listing.until)
    return render(
        request,
        "digest.html",
        title="Digest",
        digests=digests,
        since=listing.since or "",
        until=listing.until or "",
    )


@router.get("/api")
def api_index(request: Request) -> Response:
    schema = request.app.openapi()
    endpoints = [
        (method.upper(), path, op.get("summary", ""), op.get("description", ""))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]
    return render(request, "api.html", title="API", endpoints=endpoints)


@router.get("/robots.txt")
def robots() -> Response:
    return Response("User-agent: *\nDisallow: /\n", media_type="text/plain")
