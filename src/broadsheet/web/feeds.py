"""RSS 2.0 and Atom 1.0 feeds for any listing (a search, a tag, a section, an author, a site).

Built as element trees, never by pasting strings, so every title and description is escaped; text
is also cleared of the characters XML 1.0 forbids (control characters, lone surrogates), which a
serializer would otherwise write into a file no feed reader can parse.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from ..archive import Summary
from .security import safe_url

__all__ = ["FeedInfo", "atom", "rss", "xml_text"]

_ATOM = "http://www.w3.org/2005/Atom"
_DC = "http://purl.org/dc/elements/1.1/"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(slots=True)
class FeedInfo:
    """What the feed is about and where it lives (absolute URLs)."""

    title: str
    page_url: str  # the HTML listing this feed follows
    self_url: str
    description: str = ""


def xml_text(value: object) -> str:
    """``value`` as text XML 1.0 can carry."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def _title(item: Summary) -> str:
    return " ".join(xml_text(item.title).split()) or "(untitled)"  # one line, as feed readers show it


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def _serialize(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def rss(info: FeedInfo, items: Sequence[Summary], link: Callable[[Summary], str]) -> bytes:
    """An RSS 2.0 document; ``link`` gives the absolute URL of an item's page in this app."""
    ET.register_namespace("atom", _ATOM)
    ET.register_namespace("dc", _DC)
    root = ET.Element("rss", {"version": "2.0"})
    channel = _sub(root, "channel")
    _sub(channel, "title", info.title)
    _sub(channel, "link", info.page_url)
    _sub(channel, "description", info.description or info.title)
    _sub(channel, f"{{{_ATOM}}}link", href=info.self_url, rel="self", type="application/rss+xml")
    _sub(channel, "generator", "broadsheet")
    for item in items:
        node = _sub(channel, "item")
        _sub(node, "title", _title(item))
        _sub(node, "link", link(item))
        _sub(node, "guid", link(item), isPermaLink="true")
        if item.description:
            _sub(node, "description", item.description)
        when = _when(item.published)
        if when:
            _sub(node, "pubDate", format_datetime(when))
        for author in item.authors:
            _sub(node, f"{{{_DC}}}creator", author)
        for category in [item.section, *item.tags]:
            if category:
                _sub(node, "category", category)
        if item.site and safe_url(item.url):
            _sub(node, "source", item.site, url=item.url or "")
    return _serialize(root)


def atom(info: FeedInfo, items: Sequence[Summary], link: Callable[[Summary], str]) -> bytes:
    """An Atom 1.0 document; entries link to this app's page and, as ``related``, to the source."""
    ET.register_namespace("", _ATOM)
    a = f"{{{_ATOM}}}"
    root = ET.Element(f"{a}feed")
    _sub(root, f"{a}title", info.title)
    _sub(root, f"{a}id", info.self_url)
    _sub(root, f"{a}link", href=info.page_url, rel="alternate", type="text/html")
    _sub(root, f"{a}link", href=info.self_url, rel="self", type="application/atom+xml")
    if info.description:
        _sub(root, f"{a}subtitle", info.description)
    dates = [d for d in (_when(i.published) for i in items) if d]
    _sub(root, f"{a}updated", (max(dates) if dates else datetime.now(UTC)).isoformat())
    _sub(root, f"{a}generator", "broadsheet")
    _sub(_sub(root, f"{a}author"), f"{a}name", "broadsheet")  # entries without a byline inherit it
    for item in items:
        entry = _sub(root, f"{a}entry")
        _sub(entry, f"{a}title", _title(item), type="text")
        _sub(entry, f"{a}id", link(item))
        _sub(entry, f"{a}link", href=link(item), rel="alternate", type="text/html")
        if safe_url(item.url):
            _sub(entry, f"{a}link", href=item.url or "", rel="related")
        when = _when(item.published)
        _sub(entry, f"{a}updated", (when or datetime.now(UTC)).isoformat())
        if when:
            _sub(entry, f"{a}published", when.isoformat())
        for name in item.authors or ([item.site] if item.site else []):
            _sub(_sub(entry, f"{a}author"), f"{a}name", name)
        for category in [item.section, *item.tags]:
            if category:
                _sub(entry, f"{a}category", term=category)
        if item.description:
            _sub(entry, f"{a}summary", item.description, type="text")
    return _serialize(root)
