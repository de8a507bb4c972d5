"""The JSON API: everything the pages show, under ``/api``, described at ``/api/openapi.json``.

Reads are open; writes need ``Authorization: Bearer <token>`` (the token the server was started with).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from ..archive import FACETS, Cluster, Stats, Stored
from ..article import Article
from .actions import IngestResult, add_feed, ingest_url, refresh_feed, save_search
from .app import reading
from .digest import Digest, build_digests
from .security import check_token
from .state import Feed, SavedSearch
from .views import ArticleView, BadRequest, ExplainView, Front, Listing, ListingView, NotFound, Trending

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["reading room"])
_bearer = HTTPBearer(auto_error=False, description="the write token the server was started with")


def _listing(request: Request) -> Listing:
    return Listing.of(request.query_params)


def _writer(request: Request, auth: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    check_token(reading(request).settings, auth.credentials if auth else None)


Day = Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD, inclusive")]


class _Filters(BaseModel):
    """The filters a listing and a saved search share."""

    q: str = Field("", max_length=200, description='search words, "a phrase", prefix*, a OR b, -not')
    site: str | None = Field(None, max_length=200)
    section: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=200)
    tag: str | None = Field(None, max_length=200)


class ListingFilters(_Filters):
    """The filters every listing endpoint takes, declared so that they are checked and the OpenAPI document lists
    them (``Listing.of`` reads them from the query)."""

    lang: str | None = Field(None, max_length=200)
    since: str | None = Field(None, max_length=10, description="YYYY-MM-DD, inclusive")
    until: str | None = Field(None, max_length=10, description="YYYY-MM-DD, inclusive")


Filtered = Annotated[ListingFilters, Query()]


@dataclass(slots=True)
class DayCount:
    day: str
    count: int


@router.get("/front", summary="The front page: latest, by section, trending, most read")
def front(request: Request) -> Front:
    return reading(request).front()


@router.get("/articles", summary="Search or list articles (one page, with total, attention and facets)")
def articles(
    request: Request,
    filters: Filtered,
    page: Annotated[int, Query(ge=1)] = 1,
    facets: Annotated[list[str] | None, Query(description=f"count matches by: {', '.join(FACETS)}")] = None,
) -> ListingView:
    unknown = set(facets or ()) - set(FACETS)
    if unknown:
        raise BadRequest(f"unknown facet(s) {', '.join(sorted(unknown))}: use {', '.join(FACETS)}")
    return reading(request).listing(_listing(request), facets=tuple(facets or ()))


@router.get("/attention", summary="Matching articles per publication day")
def attention(
    request: Request,
    filters: Filtered,
) -> list[DayCount]:
    return [DayCount(d, n) for d, n in reading(request).attention(_listing(request))]


@router.get("/facets/{field}", summary="Most common values of a field among matching articles")
def facet(
    request: Request,
    field: str,
    filters: Filtered,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[tuple[str, int]]:
    if field not in FACETS:
        raise NotFound(f"no facet {field!r}: use one of {', '.join(FACETS)}")
    listing = _listing(request)
    return reading(request).archive.facet(field, listing.q, limit=limit, **listing.filters)


@router.get("/articles/{article_id}", summary="One article, its story cluster and its versions")
def article(request: Request, article_id: int) -> ArticleView:
    return reading(request).article(article_id)


@router.get("/articles/{article_id}/explain", summary="The original page's blocks, kept or removed, and why")
def explain(request: Request, article_id: int) -> ExplainView:
    return reading(request).explain(article_id)


@dataclass(slots=True)
class Version:
    id: int
    version: int
    latest: bool
    ingested_at: str | None
    article: Article


@router.get(
    "/articles/{article_id}/versions", summary="Every stored version of the article's URL, oldest first"
)
def versions(request: Request, article_id: int) -> list[Version]:
    room = reading(request)
    stored: Stored = room.stored(article_id)
    key = stored.article.url or stored.article.canonical_url
    found = room.archive.versions(key) if key else [stored]
    return [Version(v.id, v.version, v.latest, v.ingested_at, v.article) for v in found]


@router.get("/stories/{cluster_id}", summary="A story cluster: every site that ran it")
def story(request: Request, cluster_id: int) -> Cluster:
    return reading(request).story(cluster_id)


@router.get("/trending", summary="Largest story clusters and the most-read articles")
def trending(
    request: Request, since: Day = None, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> Trending:
    return reading(request).trending(limit, since)


@dataclass(slots=True)
class Year:
    year: str
    count: int
    months: list[tuple[str, int]]


@router.get("/archive", summary="Article counts by year and month")
def archive(request: Request) -> list[Year]:
    return [Year(y, n, months) for y, n, months in reading(request).periods()]


@router.get("/stats", summary="Counts over the whole archive")
def stats(request: Request) -> Stats:
    return reading(request).archive.stats()


# -- saved searches, feeds, ingestion -------------------------------------------------------------------


class SearchIn(_Filters):
    """A saved search: its name, the filters of a listing (no dates: it follows what arrives) and where its
    digest goes."""

    name: str = Field(min_length=1, max_length=120)
    lang: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254, description="where the daily digest goes")


class UrlIn(BaseModel):
    url: str = Field(max_length=2000)
    name: str | None = Field(None, max_length=120)


@router.get("/searches", summary="Saved searches")
def searches(request: Request) -> list[SavedSearch]:
    return reading(request).state.searches()


@router.post("/searches", status_code=201, dependencies=[Depends(_writer)], summary="Save a search (token)")
def create_search(request: Request, body: SearchIn) -> SavedSearch:
    listing = Listing.of(body.model_dump(exclude={"name", "email"}, exclude_none=True))
    return save_search(reading(request), body.name, listing, body.email)


@router.delete(
    "/searches/{search_id}",
    status_code=204,
    dependencies=[Depends(_writer)],
    summary="Delete a saved search (token)",
)
def delete_search(request: Request, search_id: int) -> Response:
    if not reading(request).state.delete_search(search_id):
        raise NotFound(f"no saved search {search_id}")
    return Response(status_code=204)


@router.get("/feeds", summary="Followed feeds")
def feeds(request: Request) -> list[Feed]:
    return reading(request).state.feeds()


@router.post(
    "/feeds",
    status_code=201,
    dependencies=[Depends(_writer)],
    summary="Follow a feed (token; public addresses only)",
)
def create_feed(request: Request, body: UrlIn) -> Feed:
    return add_feed(reading(request), body.url, body.name)


@router.post(
    "/feeds/{feed_id}/refresh",
    dependencies=[Depends(_writer)],
    summary="Fetch a followed feed and ingest its articles (token)",
)
def refresh(request: Request, feed_id: int) -> IngestResult:
    room = reading(request)
    feed = next((f for f in room.state.feeds() if f.id == feed_id), None)
    if feed is None:
        raise NotFound(f"no feed {feed_id}")
    return refresh_feed(room, feed)


@router.post(
    "/ingest",
    dependencies=[Depends(_writer)],
    summary="Fetch one page and ingest it (token; public addresses only)",
)
def ingest(request: Request, body: UrlIn) -> IngestResult:
    return ingest_url(reading(request), body.url)


@router.get("/digest", summary="The digest the saved searches would receive for these days")
def digest(request: Request, since: Day = None, until: Day = None) -> list[Digest]:
    room = reading(request)
    listing = Listing.of({"since": since, "until": until})
    return build_digests(room.archive, room.state, since=listing.since, until=listing.until)
