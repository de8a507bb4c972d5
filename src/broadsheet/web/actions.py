"""The reading room's writes: save a search, follow a feed, ingest a URL. Each needs the write token.

The routes check the token; these functions check everything else. A URL to fetch passes
``check_target`` first (http(s), public addresses only, unless allowed), and the fetcher re-checks
every address it connects to, redirects included.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..archive import IngestReport
from ..errors import BroadsheetError
from .security import check_target
from .state import Feed, SavedSearch
from .views import BadRequest, Listing, Reading

__all__ = ["IngestResult", "add_feed", "ingest_url", "refresh_feed", "save_search"]

_MAX_NAME = 120


@dataclass(slots=True)
class IngestResult:
    """What fetching and ingesting one URL did, and the article it made (if it made one)."""

    url: str
    report: str
    articles: int
    rejected: dict[str, int]
    article_id: int | None = None


def save_search(reading: Reading, name: str, listing: Listing, email: str | None = None) -> SavedSearch:
    name = name.strip()
    if not name or len(name) > _MAX_NAME:
        raise BadRequest(f"a saved search needs a name of 1 to {_MAX_NAME} characters")
    if listing.empty:
        raise BadRequest("a saved search needs a query or at least one filter")
    email = (email or "").strip() or None
    if email is not None and (len(email) > 254 or "@" not in email or any(c in email for c in " \r\n<>,;")):
        raise BadRequest("that is not an e-mail address")
    return reading.state.save_search(name, listing.q, listing.filters, email)


def _ingest(reading: Reading, spec: str) -> IngestReport:
    from ..sources import Fetcher, FetchOptions, iter_inputs

    settings = reading.settings
    options = FetchOptions(allow_private=settings.allow_private, allowed_networks=settings.allowed_networks)
    with Fetcher(options) as fetcher:
        inputs = list(iter_inputs(spec, fetcher=fetcher))
    try:
        return reading.archive.ingest(inputs, workers=0, progress=False)
    finally:
        reading.invalidate()


def ingest_url(reading: Reading, url: str) -> IngestResult:
    """Fetch one page (SSRF-guarded) and ingest it; the result names the article it became."""
    url = check_target(url, reading.settings)
    report = _ingest(reading, f"page:{url}")
    stored = reading.archive.get(url)
    return IngestResult(
        url,
        str(report),
        report.articles + report.versions,
        dict(report.rejected),
        stored.id if stored else None,
    )


def add_feed(reading: Reading, url: str, name: str | None = None) -> Feed:
    """Follow a feed: its URL must be one the guard lets us fetch."""
    url = check_target(url, reading.settings)
    return reading.state.add_feed(url, (name or "").strip()[:_MAX_NAME] or None)


def refresh_feed(reading: Reading, feed: Feed) -> IngestResult:
    """Fetch a followed feed and ingest its articles; the report is kept with the feed."""
    try:
        report = _ingest(reading, f"feed:{check_target(feed.url, reading.settings)}")
    except BroadsheetError as exc:
        reading.state.feed_ingested(feed.id, f"failed: {exc}")
        raise
    reading.state.feed_ingested(feed.id, str(report))
    return IngestResult(feed.url, str(report), report.articles + report.versions, dict(report.rejected))
