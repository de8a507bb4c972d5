"""RSS 2.0 / RSS 1.0 / Atom feeds and XML sitemaps (urlset, sitemapindex, news): the URLs they list.

Parsed with lxml, configured for hostile input: entities are never expanded, no DTD or network
access, and a document that declares entities (billion laughs, XXE) is refused outright.
lxml over feedparser: only the links are needed, lxml reads feeds and sitemaps alike, recovers
from the malformed XML feeds are known for, and its safety switches are explicit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import Unreadable
from ..pipeline.urls import join_url

__all__ = ["XmlList", "parse_list", "xml_kind"]

_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.I | re.S)
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_FEED_ROOTS = {"rss": "rss", "RDF": "rss", "feed": "atom"}
_SITEMAP_ROOTS = {"urlset": "urlset", "sitemapindex": "sitemapindex"}
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_BARE_AMP = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")

Kind = Literal["rss", "atom", "urlset", "sitemapindex"]


@dataclass(slots=True)
class XmlList:
    """What a feed or sitemap lists: page URLs, or (for a sitemap index) more sitemaps."""

    kind: Kind
    urls: list[str] = field(default_factory=list)

    @property
    def is_feed(self) -> bool:
        return self.kind in ("rss", "atom")


def xml_kind(body: bytes) -> Kind | Literal["html"] | None:
    """Which list ``body`` is, from its root element, without parsing it; "html" or None otherwise."""
    head = body[:65536]
    start = 0
    while True:  # skip the prolog: declaration, comments, processing instructions, doctype
        lt = head.find(b"<", start)
        if lt < 0:
            return None
        nxt = head[lt + 1 : lt + 2]
        if nxt in (b"?", b"!"):
            end = head.find(b"-->", lt) + 3 if head[lt : lt + 4] == b"<!--" else head.find(b">", lt) + 1
            if head[lt : lt + 9].upper() == b"<!DOCTYPE":
                doctype = _DOCTYPE.match(head, lt)
                end = doctype.end() if doctype else 0
            if end <= 0:
                return None
            start = end
            continue
        root = _ROOT.match(head, lt)
        break
    if root is None:
        return None
    name = root.group(2).decode("ascii", "replace")
    if name.lower() == "html":
        return "html"
    return _FEED_ROOTS.get(name) or _SITEMAP_ROOTS.get(name)  # type: ignore[return-value]


def parse_list(body: bytes, base_url: str) -> XmlList:
    """The URLs a feed or sitemap lists, absolute, in document order; raises ``Unreadable``."""
    root = _parse(body)
    name = _local(root.tag)
    kind = _FEED_ROOTS.get(name) or _SITEMAP_ROOTS.get(name)
    if kind is None:
        raise Unreadable(f"XML root element <{name}> is not a feed or a sitemap")
    if kind == "atom":
        urls = _atom_links(root, base_url)
    elif kind == "rss":
        urls = _rss_links(root)
    else:
        urls = [_text(loc) for loc in root.iter("{*}loc")]
    # a URL urllib cannot read stays as given: its fetch is refused
    absolute = [join_url(base_url, u) for u in urls if u]
    return XmlList(kind=kind, urls=list(dict.fromkeys(absolute)))  # type: ignore[arg-type]


def _parse(body: bytes) -> Any:
    from lxml import etree

    doctype = _DOCTYPE.search(body[:65536])
    if doctype and b"<!ENTITY" in doctype.group(0):
        raise Unreadable("XML declares entities (billion-laughs/XXE risk); refused")
    if b"<!DOCTYPE" in body[:65536].upper() and doctype is None:
        raise Unreadable("XML doctype is unterminated or too long; refused")
    try:
        root = etree.fromstring(body, _parser(recover=False))
    except etree.XMLSyntaxError:
        # Feeds are often not well-formed; the usual fault is a bare "&" in a URL, which recovery
        # alone would drop with what follows it, so it is escaped before recovering.
        try:
            root = etree.fromstring(_BARE_AMP.sub(b"&amp;", body), _parser(recover=True))
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise Unreadable(f"XML cannot be parsed ({exc})") from exc
    except ValueError as exc:
        raise Unreadable(f"XML cannot be parsed ({exc})") from exc
    if root is None:
        raise Unreadable("no XML document found")
    return root


def _parser(*, recover: bool) -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
    )


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(node: Any) -> str:
    return (node.text or "").strip()


def _rss_links(root: Any) -> list[str]:
    """RSS 2.0 ``item/link`` (or a permalink ``guid``); RSS 1.0 ``item/link`` or ``rdf:about``."""
    urls = []
    for item in root.iter("item", "{*}item"):
        link = next((_text(c) for c in item if _local(c.tag) == "link" and _text(c)), "")
        if not link:
            guid = next((c for c in item if _local(c.tag) == "guid"), None)
            if guid is not None and guid.get("isPermaLink", "true").lower() == "true":
                link = _text(guid)
        if not link:
            link = next((v for k, v in item.attrib.items() if _local(k) == "about"), "")
        urls.append(link)
    return urls


def _atom_links(root: Any, base_url: str) -> list[str]:
    """Each entry's ``link rel=alternate`` (or the link without ``rel``), resolved against xml:base."""
    urls = []
    feed_base = join_url(base_url, root.get(_XML_NS + "base", ""))
    for entry in root.iter("{*}entry"):
        base = join_url(feed_base, entry.get(_XML_NS + "base", ""))
        links = [c for c in entry if _local(c.tag) == "link" and c.get("href")]
        chosen = next((c for c in links if c.get("rel", "alternate") == "alternate"), None)
        urls.append(join_url(base, chosen.get("href").strip()) if chosen is not None else "")
    return urls
