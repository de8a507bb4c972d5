"""What the visible page shows: headline, byline, dateline, breadcrumb, tag list, figures.

One grouped CSS query returns every element that may carry one of these, in document order;
each is classified by its tag, ``rel``, ``itemprop`` and class/id words. Elements inside comments,
related-article rails, navigation, footers and asides are ignored, and the byline and dateline
nearest after the headline win, since that is where an article prints its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from ..article import Image
from .metadata_ld import clean_text

__all__ = ["Visible", "figures", "read_page"]

_SCAN = ", ".join(
    [
        "h1",
        "time",
        "[rel~=author]",
        "[rel~=tag]",
        "[itemprop~=author]",
        "[class*=author i]",
        "[id*=author i]",
        "[class*=byline i]",
        "[id*=byline i]",
        "[class*=autor i]",
        "[class*=writer i]",
        "[class*=reporter i]",
        "[class*=journalist i]",
        "a[href*='/author/' i]",
        "a[href*='/authors/' i]",
        "a[href*='/autor/' i]",
        "a[href*='/autoren/' i]",
        "a[href*='/auteur/' i]",
        "a[href*='/journalist/' i]",
        "[class*=date i]",
        "[class*=publish i]",
        "[class*=posted i]",
        "[class*=datum i]",
        "[class*=fecha i]",
        "[class*=timestamp i]",
        "[class*=breadcrumb i]",
        "[id*=breadcrumb i]",
        "[aria-label*=breadcrumb i]",
        "[itemtype*=BreadcrumbList]",
        "[class*=tags i]",
        "[class*=tag-list i]",
        "[class*=taglist i]",
        "[class*=keywords i]",
        "[class*=schlagw i]",
        "[class*=topics i]",
    ]
)
_WORDS = re.compile(r"[a-z]+")
#: An element inside one of these is not the article's own byline, date or tag list.
_EXCLUDE = re.compile(
    r"\b(?:comment|related|recommend|teaser|sidebar|widget|footer|newsletter|promo|popular|trending|"
    r"mostread|most read|more from|morefrom|read more|readmore|next article|also|outbrain|taboola|"
    r"share|social|nav|menu|cookie|consent|login|subscribe|advert|sponsor|listing|rail|carousel|"
    r"slider|ticker|breaking)"
)
_EXCLUDE_TAGS = frozenset({"nav", "footer", "aside", "form", "button", "select", "header_never"})
_MODIFIED = re.compile(
    r"(?i)updat|modif|aktualisiert|geändert|bearbeitet|mis à jour|actualiz|aggiornat|editado|revised|last edited"
)
_BYLINE_CLASS = re.compile(r"author|byline|autor|writer|reporter|journalist|verfasser")
_DATE_CLASS = re.compile(r"date|time|publish|posted|datum|fecha|dateline")
_TAGS_CLASS = re.compile(r"tags|tag-list|taglist|keywords|schlagw|topics")
_NOT_BYLINE = re.compile(r"avatar|image|img|photo|bio|desc|about|follow|social|more|count|title-tag")
_MAX_BYLINE_CHARS = 200


@dataclass(slots=True)
class Visible:
    """Candidates read off the page, each with its position in document order."""

    headlines: list[tuple[int, str]] = field(default_factory=list)
    bylines: list[tuple[int, str, bool]] = field(default_factory=list)  # (pos, text, strongly marked)
    dates: list[tuple[int, str, bool]] = field(default_factory=list)  # (pos, value, is_modified)
    crumbs: list[list[str]] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)


def _words(node: Any) -> str:
    attrs = node.attributes
    return " ".join(_WORDS.findall(f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()))


def excluded(node: Any, depth: int = 12) -> bool:
    """Whether ``node`` sits in a comment thread, a rail of other articles, navigation or a footer."""
    current = node
    for _ in range(depth):
        if current is None or current.tag in (None, "html", "body", "-document"):
            return False
        if current.tag in ("article", "main"):
            return False  # the article's own container: what is inside belongs to it
        if current.tag in _EXCLUDE_TAGS:
            return True
        words = _words(current)
        if words and _EXCLUDE.search(words):
            return True
        current = current.parent
    return False


def _text(node: Any) -> str:
    return clean_text(node.text(separator=" "))


def read_page(tree: Any) -> Visible:
    """Headline, byline, date, breadcrumb and tag candidates of the visible page."""
    out = Visible()
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return out
    for pos, node in enumerate(root.css(_SCAN)):
        tag = node.tag
        if tag == "h1":
            text = _text(node)
            if text:
                out.headlines.append((pos, text))
            continue
        attrs = node.attributes
        words = _words(node)
        rel = (attrs.get("rel") or "").lower()
        itemprop = attrs.get("itemprop") or ""
        href = (attrs.get("href") or "").lower()
        if tag == "time" or (_DATE_CLASS.search(words) and not _BYLINE_CLASS.search(words)):
            _read_date(node, pos, words, out)
        elif "tag" in rel.split() or _TAGS_CLASS.search(words):
            _read_tags(node, out)
        elif "breadcrumb" in words or "breadcrumb" in (attrs.get("aria-label") or "").lower() or (
            "BreadcrumbList" in (attrs.get("itemtype") or "")
        ):
            _read_crumbs(node, out)
        elif "author" in rel.split() or "author" in itemprop.split() or _BYLINE_CLASS.search(words) or href:
            _read_byline(node, pos, words, rel, itemprop, out)
    return out


def _read_date(node: Any, pos: int, words: str, out: Visible) -> None:
    attrs = node.attributes
    value = attrs.get("datetime") or attrs.get("content") or attrs.get("data-timestamp")
    text = _text(node)
    if not value:
        if len(text) > 120:
            return
        value = text
    if not value or excluded(node):
        return
    modified = bool(_MODIFIED.search(words) or _MODIFIED.search(text[:40]))
    out.dates.append((pos, value, modified))


def _read_byline(node: Any, pos: int, words: str, rel: str, itemprop: str, out: Visible) -> None:
    if node.tag in ("img", "picture", "svg", "meta", "link") or _NOT_BYLINE.search(words):
        return
    text = _text(node)
    if not text or len(text) > _MAX_BYLINE_CHARS or excluded(node):
        return
    strong = "author" in rel.split() or "author" in itemprop.split()
    out.bylines.append((pos, text, strong))


def _read_tags(node: Any, out: Visible) -> None:
    if excluded(node):
        return
    links = [clean_text(a.text(separator=" ")) for a in node.css("a")] if node.tag != "a" else []
    if node.tag == "a":
        text = _text(node)
        if text and len(text) <= 60:
            out.tags.append([text])
        return
    links = [t for t in links if t and len(t) <= 60]
    if 1 <= len(links) <= 40:
        out.tags.append(links)


def _read_crumbs(node: Any, out: Visible) -> None:
    items = [clean_text(n.text(separator=" ")) for n in node.css("li, a, [itemprop=name]")]
    items = [i for i in items if i and len(i) <= 80]
    # a <li> and the <a> inside it say the same thing once
    deduped: list[str] = []
    for item in items:
        if not deduped or deduped[-1] != item:
            deduped.append(item)
    if deduped:
        out.crumbs.append(deduped)


# ------------------------------------------------------------------------------------ figures

_CREDIT_CLASS = re.compile(r"credit|copyright|source|photographer|byline|author|attribution|rights|cite")
_CREDIT_LABEL = re.compile(
    r"(?i)(?:^|[\s(\[|/])(?:photo(?:graph)?s?|image|picture|foto(?:s|grafie)?|bild|quelle|credits?|"
    r"illustration|grafik|video|symbolfoto|symbolbild|archivfoto|archivbild|copyright|fuente|imagen|"
    r"crédito|source|courtesy)\s*(?:credit|by|:|©)\s*:?\s*"
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*", re.I)
_TRAILING_PAREN = re.compile(r"\(([^()]{2,80})\)\s*$")
_AGENCY_TAIL = re.compile(
    r"(?:\s+|\s*[|/–—-]\s*)((?:[A-Z][\w.'-]+\s){0,3}[A-Z][\w.'-]+\s?/\s?(?:[A-Z][\w.'-]*\s?){1,4}|"
    r"(?:AP|AFP|Reuters|dpa|Getty Images|EPA|IMAGO|imago|Shutterstock|iStock|picture alliance)\b.*)$"
)


def split_credit(text: str) -> tuple[str, str | None]:
    """A caption and its credit: "Caption. Foto: X", "Caption (X/Reuters)", "Caption © X"."""
    text = " ".join(text.split())
    m = None
    for m in _CREDIT_LABEL.finditer(text):
        pass
    if m is not None and m.start() > 0 or (m is not None and m.start() == 0):
        caption = text[: m.start()].strip(" |-–—(")
        credit = text[m.end() :].strip(" )|")
        if credit and len(credit) <= 120:
            return caption, credit
    m2 = _COPYRIGHT.search(text)
    if m2:
        credit = text[m2.end() :].strip(" )|")
        if credit and len(credit) <= 120:
            return text[: m2.start()].strip(" |-–—("), credit
    m3 = _TRAILING_PAREN.search(text)
    if m3 and ("/" in m3.group(1) or _AGENCY_TAIL.search(" " + m3.group(1))):
        return text[: m3.start()].strip(), m3.group(1).strip()
    return text, None


def _image_url(img: Any, base: str | None) -> str | None:
    """The largest version of an image: ``srcset``'s widest candidate, else ``src``/lazy attributes."""
    if img is None:
        return None
    attrs = img.attributes
    best, best_w = None, -1.0
    for key in ("srcset", "data-srcset", "data-lazy-srcset"):
        for item in (attrs.get(key) or "").split(","):
            bits = item.split()
            if not bits or bits[0].startswith("data:"):
                continue
            width = 0.0
            if len(bits) > 1 and bits[1][:-1].replace(".", "", 1).isdigit():
                width = float(bits[1][:-1]) * (1000 if bits[1].endswith("x") else 1)
            if width > best_w:
                best, best_w = bits[0], width
    if best is None:
        for key in ("data-src", "data-lazy-src", "data-original", "data-url", "src"):
            value = attrs.get(key)
            if value and not value.startswith("data:"):
                best = value
                break
    return urljoin(base or "", best.strip()) if best else None


def figures(tree: Any, base: str | None) -> list[Image]:
    """Images of the article with their captions and credits, from ``<figure>`` elements."""
    images: list[Image] = []
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return images
    for fig in root.css("figure"):
        if excluded(fig, depth=8) or fig.css_first("figure") is not None:
            continue
        img = fig.css_first("img") or fig.css_first("source")
        url = _image_url(img, base)
        caption, credit = _figure_text(fig)
        if not url and not caption and not credit:
            continue
        images.append(Image(url=url, caption=caption, credit=credit))
    return images


def _figure_text(fig: Any) -> tuple[str | None, str | None]:
    cap = fig.css_first("figcaption")
    if cap is None:
        return None, None
    credit_parts = []
    for node in cap.css("*"):
        if node.tag in ("cite", "small") or _CREDIT_CLASS.search(_words(node)):
            text = _text(node)
            if text and text not in credit_parts:
                credit_parts.append(text)
    full = _text(cap)
    credit = None
    if credit_parts:
        credit = credit_parts[0]
        caption = full
        for part in credit_parts[:1]:
            caption = caption.replace(part, " ")
        caption = " ".join(caption.split())
        credit = _CREDIT_LABEL.sub("", credit, count=1).strip(" :()|") or None
        caption, extra = split_credit(caption) if not caption.endswith(":") else (caption, None)
        caption = caption.strip(" |") if caption else caption
    else:
        caption, credit = split_credit(full)
    if credit:
        credit = _COPYRIGHT.sub("", credit).strip(" :()|") or None
    caption = caption.strip(" |-–—") if caption else None
    return caption or None, credit
