"""URLs as sources: a page, or a feed or sitemap whose linked pages are fetched in turn.

What a URL is comes from its body once fetched (an XML root of ``rss``/``RDF``/``feed`` is a feed,
``urlset``/``sitemapindex`` a sitemap, a gzip body is inflated first), then from its content type.
A URL that was declared a feed or sitemap (``feed:``/``sitemap:``), or whose content type or path
says so (``application/rss+xml``, ``…/feed``, ``….xml``), but answers with an HTML page is a clear
``unreadable`` rejection, not a page. Every linked URL is fetched once per source, in listed order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal
from urllib.parse import urlsplit

from ..article import Input
from ..errors import Reason, RejectedInput
from .feeds import XmlList, parse_list, xml_kind
from .fetch import Fetched, Fetcher, FetchError
from .payload import GZIP_MAGIC, inflate, looks_html, with_header_charset

__all__ = ["Expect", "iter_url"]

Expect = Literal["auto", "page", "feed", "sitemap"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
LIST_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-gzip",
        "application/gzip",
    }
)
LIST_PATHS = (".rss", ".atom", ".xml", ".xml.gz", "/feed", "/feed/", "/rss", "/rss/", "/atom", "/atom/")
SITEMAP_MAX_BYTES = 50_000_000  # the sitemap protocol's limit, uncompressed
MAX_SITEMAPS = 1_000  # sitemaps read from one index, nested ones included
MAX_DEPTH = 3  # index → index → sitemap


def iter_url(
    url: str, fetcher: Fetcher, *, expect: Expect = "auto", max_pages: int = 50_000
) -> Iterator[Input]:
    """``url``'s page, or every page its feed or sitemap lists; failures are rejected ``Input``s."""
    try:
        fetched = fetcher.get(url)
        listing = _as_list(fetched, expect)
    except (FetchError, RejectedInput) as exc:
        yield _rejected(url, exc)
        return
    if listing is None:
        yield _page(fetched)
        return
    yield from _linked_pages(url, listing, fetcher, max_pages)


def _as_list(fetched: Fetched, expect: Expect) -> XmlList | None:
    """The feed or sitemap in ``fetched``, None for a page; raises ``RejectedInput`` for neither."""
    body = _inflated(fetched.body)
    kind = xml_kind(body)
    if kind is not None and kind != "html":
        return parse_list(body, fetched.final_url)
    declared = expect in ("feed", "sitemap") or (expect == "auto" and _says_list(fetched))
    if declared:
        what = expect if expect != "auto" else "feed or sitemap"
        shown = (
            "an HTML page"
            if kind == "html" or looks_html(body)
            else f"{fetched.content_type or 'unknown'} content"
        )
        raise RejectedInput(f"{fetched.url} should be a {what} but is {shown}", Reason.UNREADABLE)
    return None


def _says_list(fetched: Fetched) -> bool:
    path = urlsplit(fetched.url).path.lower()
    return fetched.content_type in LIST_TYPES or path.endswith(LIST_PATHS)


def _inflated(body: bytes) -> bytes:
    if not body.startswith(GZIP_MAGIC):
        return body
    data, complete = inflate(body, "gzip", SITEMAP_MAX_BYTES)
    if not complete:
        raise RejectedInput("gzip data is truncated", Reason.UNREADABLE)
    return data


def _linked_pages(url: str, listing: XmlList, fetcher: Fetcher, max_pages: int) -> Iterator[Input]:
    seen: set[str] = set()
    for page_url in _page_urls(url, listing, fetcher):
        if isinstance(page_url, Input):  # a nested sitemap that could not be read
            yield page_url
            continue
        if page_url in seen:
            continue
        if len(seen) >= max_pages:
            yield Input(
                content=b"",
                url=url,
                source=f"{url}#more",
                rejection=Reason.TOO_LARGE.value,
                error=f"{url} lists more than {max_pages:,} pages; the rest were not fetched",
            )
            return
        seen.add(page_url)
        yield fetch_page(page_url, fetcher)


def _page_urls(url: str, listing: XmlList, fetcher: Fetcher) -> Iterator[str | Input]:
    """Page URLs of a feed or sitemap, walking sitemap indexes breadth-first (bounded, no revisits)."""
    queue: list[tuple[XmlList, int]] = [(listing, 0)]
    visited = {url}
    while queue:
        current, depth = queue.pop(0)
        if current.kind != "sitemapindex":
            yield from current.urls
            continue
        for child in current.urls:
            if child in visited:
                continue
            visited.add(child)
            if depth >= MAX_DEPTH or len(visited) > MAX_SITEMAPS:
                yield Input(
                    content=b"",
                    url=child,
                    source=child,
                    rejection=Reason.TOO_LARGE.value,
                    error=f"{child}: not read, over {MAX_SITEMAPS:,} sitemaps or {MAX_DEPTH} levels of index",
                )
                continue
            try:
                nested = _as_list(fetcher.get(child), "sitemap")
            except (FetchError, RejectedInput) as exc:
                yield _rejected(child, exc)
                continue
            if nested is not None:
                queue.append((nested, depth + 1))


def fetch_page(url: str, fetcher: Fetcher) -> Input:
    """One article URL: its HTML as an ``Input``, or a rejection saying why not."""
    try:
        return _page(fetcher.get(url))
    except FetchError as exc:
        return _rejected(url, exc)


def _page(fetched: Fetched) -> Input:
    ctype, body = fetched.content_type, fetched.body
    if ctype in HTML_TYPES or (ctype in ("", "text/plain") and looks_html(body)):
        return Input(
            content=with_header_charset(body, fetched.charset),
            url=fetched.final_url,
            fetched_at=fetched.fetched_at,
            source=fetched.url,
            kind="html",
        )
    kind = xml_kind(body)
    what = (
        f"a {'feed' if kind in ('rss', 'atom') else 'sitemap'}"
        if kind and kind != "html"
        else ctype or "not HTML"
    )
    return Input(
        content=b"",
        url=fetched.final_url,
        fetched_at=fetched.fetched_at,
        source=fetched.url,
        rejection=Reason.NOT_HTML.value,
        error=f"{fetched.url} is {what}, not a web page",
    )


def _rejected(url: str, exc: FetchError | RejectedInput) -> Input:
    return Input(content=b"", url=url, source=url, rejection=Reason(exc.reason).value, error=f"{url}: {exc}")
