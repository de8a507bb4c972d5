"""URL sources end to end against the test server: pages, feeds, sitemaps, URL lists, and failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from broadsheet.article import Input
from broadsheet.pipeline import extract_input
from broadsheet.sources import Fetcher, FetchOptions, iter_inputs
from httpserver import PAGES, Site, serve

OPTIONS = FetchOptions(
    allow_private=True, min_interval=0.0, read_timeout=0.5, total_timeout=3.0, max_bytes=1_000_000
)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(OPTIONS) as client:
        yield client


def _by_source(items: list[Input]) -> dict[str, Input]:
    return {i.source or "": i for i in items}


def test_a_page_url_is_one_input_that_extracts(site: Site, fetcher: Fetcher) -> None:
    (item,) = iter_inputs(site.url("/news/0.html"), fetcher=fetcher)
    assert item.rejection is None and item.kind == "html" and item.source == site.url("/news/0.html")
    assert item.fetched_at and item.fetched_at.endswith("+00:00")
    article = extract_input(item)
    assert article.ok and article.title == PAGES[0].truth["title"]


def test_http_charset_reaches_the_page(site: Site, fetcher: Fetcher) -> None:
    (item,) = iter_inputs(site.url("/news/latin1.html"), fetcher=fetcher)
    assert item.content == "<html><body><p>Café crème à Zürich</p></body></html>"


def test_rss_feed_pages_are_fetched_once_each_with_failures_counted(site: Site, fetcher: Fetcher) -> None:
    items = list(iter_inputs(site.url("/feed.xml"), fetcher=fetcher))
    got = _by_source(items)
    assert list(got) == [
        site.url(p) for p in ("/news/0.html", "/news/1.html", "/private/secret.html", "/missing.html")
    ]  # the repeated item is fetched once
    assert got[site.url("/news/0.html")].rejection is None
    assert got[site.url("/private/secret.html")].rejection == "blocked"
    assert got[site.url("/missing.html")].rejection == "fetch_failed"
    assert "404" in (got[site.url("/missing.html")].error or "")


def test_a_feed_link_urllib_cannot_read_is_a_counted_rejection(site: Site, fetcher: Fetcher) -> None:
    got = _by_source(list(iter_inputs(site.url("/feed-bad-link.xml"), fetcher=fetcher)))
    assert list(got) == ["http://[bad/x", site.url("/news/1.html")]
    assert got["http://[bad/x"].rejection == "fetch_failed" and "not a URL" in (
        got["http://[bad/x"].error or ""
    )
    assert got[site.url("/news/1.html")].rejection is None


def test_a_redirect_to_a_url_urllib_cannot_read_is_a_counted_rejection(site: Site, fetcher: Fetcher) -> None:
    (item,) = iter_inputs(site.url("/to-unreadable"), fetcher=fetcher)
    assert item.rejection == "fetch_failed" and "not a URL" in (item.error or "")


def test_atom_feed_with_relative_links(site: Site, fetcher: Fetcher) -> None:
    items = list(iter_inputs(site.url("/atom.xml"), fetcher=fetcher))
    assert [i.source for i in items] == [site.url("/news/3.html"), site.url("/news/4.html")]
    assert all(i.rejection is None for i in items)


def test_sitemap_index_with_gzip_news_sitemap_and_a_broken_child(site: Site, fetcher: Fetcher) -> None:
    items = list(iter_inputs(site.url("/sitemap.xml"), fetcher=fetcher))
    got = _by_source(items)
    pages = [s for s, i in got.items() if i.rejection is None]
    assert pages == [site.url(p) for p in ("/news/1.html", "/news/2.html", "/news/5.html")]
    broken = got[site.url("/sitemap-html.xml")]
    assert broken.rejection == "unreadable" and "HTML page" in (broken.error or "")
    assert len(items) == 4  # the index listing itself is not read twice


@pytest.mark.parametrize("path", ["/feed-html.xml", "/rss"])
def test_a_feed_that_is_html_is_a_clear_rejection(site: Site, fetcher: Fetcher, path: str) -> None:
    (item,) = iter_inputs(site.url(path), fetcher=fetcher)
    assert item.rejection == "unreadable" and "should be a feed or sitemap but is an HTML page" in (
        item.error or ""
    )


def test_declared_feed_prefix(site: Site, fetcher: Fetcher) -> None:
    (item,) = iter_inputs("feed:" + site.url("/news/0.html"), fetcher=fetcher)
    assert item.rejection == "unreadable" and "should be a feed" in (item.error or "")
    (page,) = iter_inputs("page:" + site.url("/news/0.html"), fetcher=fetcher)
    assert page.rejection is None


def test_billion_laughs_feed_is_refused(site: Site, fetcher: Fetcher) -> None:
    (item,) = iter_inputs(site.url("/billion.xml"), fetcher=fetcher)
    assert item.rejection == "unreadable" and "entities" in (item.error or "")


@pytest.mark.parametrize(
    ("path", "reason", "words"),
    [
        ("/loop/a", "fetch_failed", "redirect loop"),
        ("/slow", "fetch_failed", "timed out"),
        ("/huge-stream", "too_large", "over the limit"),
        ("/bomb", "too_large", "decompression bomb"),
        ("/pdf", "not_html", "application/pdf"),
        ("/private/secret.html", "blocked", "robots.txt"),
    ],
)
def test_failures_are_inputs_with_reasons(
    site: Site, fetcher: Fetcher, path: str, reason: str, words: str
) -> None:
    (item,) = iter_inputs(site.url(path), fetcher=fetcher)
    assert item.rejection == reason and words in (item.error or "") and item.source == site.url(path)
    assert extract_input(item).rejection == reason  # the rejection survives extraction, counted


def test_redirect_to_private_address_is_blocked_as_an_input(site: Site) -> None:
    with Fetcher(FetchOptions(min_interval=0, allowed_networks=("127.0.0.1/32",))) as client:
        (item,) = iter_inputs(site.url("/to-loopback"), fetcher=client)
    assert item.rejection == "blocked" and "127.0.0.2" in (item.error or "")


def test_url_list_file(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    listing = tmp_path / "follow.urls"
    listing.write_text(
        f"# sites to follow\n{site.url('/news/0.html')}\n\n{site.url('/atom.xml')}\nnot a url\n"
    )
    items = list(iter_inputs(str(listing), fetcher=fetcher))
    assert [i.source for i in items] == [
        site.url("/news/0.html"),
        site.url("/news/3.html"),
        site.url("/news/4.html"),
        f"{listing}#5",
    ]
    assert items[-1].rejection == "unreadable" and "not an http(s) URL" in (items[-1].error or "")
    explicit = list(iter_inputs(f"urls:{listing}", fetcher=fetcher))
    assert [i.source for i in explicit] == [i.source for i in items]


def test_a_txt_file_of_urls_only_is_a_url_list(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site.url('/news/1.html')}\n{site.url('/news/2.html')}\n")
    assert [i.source for i in iter_inputs(str(listing), fetcher=fetcher)] == [
        site.url("/news/1.html"),
        site.url("/news/2.html"),
    ]


def test_without_a_fetcher_the_default_one_refuses_loopback(site: Site) -> None:
    (item,) = iter_inputs(site.url("/news/0.html"))
    assert item.rejection == "blocked" and "loopback" in (item.error or "")
