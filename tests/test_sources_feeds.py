"""Feeds and sitemaps parsed for their links, and hostile XML refused."""

from __future__ import annotations

import pytest

from broadsheet.errors import Unreadable
from broadsheet.sources.feeds import parse_list, xml_kind
from httpserver import BILLION_LAUGHS

BASE = "https://news.example/section/"


def test_rss2_item_links_with_permalink_guid_fallback() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://news.example/</link>
    <item><title>a</title><link>https://news.example/a</link><guid isPermaLink="false">id-1</guid></item>
    <item><title>b</title><guid>https://news.example/b</guid></item>
    <item><title>c</title><guid isPermaLink="false">opaque</guid></item>
    <item><link> /c </link></item>
    <item><link>https://news.example/a</link></item>
    </channel></rss>"""
    got = parse_list(rss, BASE)
    assert got.kind == "rss" and got.is_feed
    assert got.urls == ["https://news.example/a", "https://news.example/b", "https://news.example/c"]


def test_rss1_rdf_items() -> None:
    rdf = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="https://news.example/"><title>x</title></channel>
      <item rdf:about="https://news.example/one"><title>1</title><link>https://news.example/one</link></item>
      <item rdf:about="https://news.example/two"><title>2</title></item>
    </rdf:RDF>"""
    got = parse_list(rdf, BASE)
    assert got.kind == "rss" and got.urls == ["https://news.example/one", "https://news.example/two"]


def test_atom_alternate_links_resolved_against_xml_base() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example/blog/"><title>t</title>
      <entry><link rel="self" href="/api/1"/><link rel="alternate" type="text/html" href="2024/one"/></entry>
      <entry xml:base="https://other.example/"><link href="two"/></entry>
      <entry><link rel="enclosure" href="x.mp3"/></entry>
    </feed>"""
    got = parse_list(atom, BASE)
    assert got.kind == "atom"
    assert got.urls == ["https://news.example/blog/2024/one", "https://other.example/two"]


def test_sitemaps_urlset_index_and_news() -> None:
    urlset = b"""<?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://news.example/a</loc><news:news><news:title>A</news:title></news:news></url>
      <url><loc>https://news.example/b</loc><lastmod>2024-05-01</lastmod></url>
    </urlset>"""
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/s1.xml.gz</loc></sitemap></sitemapindex>"""
    assert parse_list(urlset, BASE).urls == ["https://news.example/a", "https://news.example/b"]
    got = parse_list(index, BASE)
    assert got.kind == "sitemapindex" and not got.is_feed and got.urls == ["https://news.example/s1.xml.gz"]


def test_malformed_feed_is_recovered() -> None:
    broken = b"""<rss><channel><title>Fish & Chips</title>
    <item><link>https://news.example/a?x=1&y=2</link></item><item><link>https://news.example/b</link></item>"""
    assert parse_list(broken, BASE).urls == ["https://news.example/a?x=1&y=2", "https://news.example/b"]


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><link>&x;</link></item></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1/evil.dtd"> %p;]><rss/>',
    ],
    ids=["billion-laughs", "xxe-file", "xxe-parameter-entity"],
)
def test_entity_declarations_are_refused(body: bytes) -> None:
    with pytest.raises(Unreadable, match="entities"):
        parse_list(body, BASE)


def test_plain_doctype_without_entities_is_fine() -> None:
    rss = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "x.dtd"><rss><channel>'
        b"<item><link>https://news.example/a</link></item></channel></rss>"
    )
    assert parse_list(rss, BASE).urls == ["https://news.example/a"]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0"/>', "rss"),
        (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'/>", "atom"),
        (b"<urlset/>", "urlset"),
        (b"<?xml version='1.0'?><sitemapindex/>", "sitemapindex"),
        (b"<!DOCTYPE html><html><head><title>x</title></head></html>", "html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>", "html"),
        (b"<svg/>", None),
        (b"just text", None),
        (b"", None),
    ],
)
def test_xml_kind_from_the_root_element(body: bytes, kind: str | None) -> None:
    assert xml_kind(body) == kind


@pytest.mark.parametrize(
    "body", [b"<html><body><p>not a feed</p></body></html>", b"<svg/>", b"", b"\x00\x01"]
)
def test_non_lists_are_unreadable(body: bytes) -> None:
    with pytest.raises(Unreadable):
        parse_list(body, BASE)
