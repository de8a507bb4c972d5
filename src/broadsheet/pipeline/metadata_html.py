"""Metadata of HTML pages: JSON-LD, OpenGraph and ``article:*``, ``<meta name>``, then the visible page."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

from ..article import Document, Image
from .dates import parse_date
from .metadata import Metadata, split_authors, split_tags
from .text import credit_of

__all__ = ["from_html"]


_LD_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "blogposting",
    "liveblogposting",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "report",
    "scholarlyarticle",
    "techarticle",
    "webpage",
    "socialmediaposting",
}


def from_html(doc: Document) -> Metadata:
    meta = Metadata()
    tree = doc.tree
    base = doc.page.url
    metas = _meta_tags(tree)
    ld = _best_ld(doc.extras.get("ld_json", []))

    meta.title = _clean_title(
        _ld_str(ld, "headline")
        or metas.get("og:title")
        or metas.get("twitter:title")
        or _h1(tree)
        or doc.title_hint,
        metas.get("og:site_name"),
    )
    meta.description = _ld_str(ld, "description") or metas.get("og:description") or metas.get("description")
    authors = _ld_people(ld.get("author")) if ld else []
    if not authors:
        for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
            if metas.get(key) and not metas[key].startswith("http"):
                authors = split_authors(metas[key])
                break
    meta.authors = authors
    fetched = doc.page.fetched_at
    meta.published = parse_date(
        _ld_str(ld, "datePublished")
        or metas.get("article:published_time")
        or metas.get("date")
        or metas.get("dc.date")
        or metas.get("pubdate")
        or metas.get("publishdate")
        or _time_tag(tree),
        not_after=fetched,
    )
    meta.modified = parse_date(
        _ld_str(ld, "dateModified") or metas.get("article:modified_time"), not_after=fetched
    )
    meta.section = _ld_str(ld, "articleSection") or metas.get("article:section")
    kw = (ld or {}).get("keywords")
    if isinstance(kw, list):
        meta.tags = [str(k).strip() for k in kw if str(k).strip()]
    elif isinstance(kw, str) and kw.strip():
        meta.tags = split_tags(kw) if "," in kw else [kw.strip()]
    if not meta.tags:
        meta.tags = [v for k, v in metas.items_all() if k == "article:tag"]
    meta.site_name = metas.get("og:site_name") or _ld_publisher(ld)
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical is not None else None
    meta.canonical_url = urljoin(base or "", href) if href else metas.get("og:url")
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None
    meta.language = (lang or metas.get("og:locale") or "").replace("_", "-").split("-")[0].lower() or None
    meta.images = _figures(doc, base)
    lead = metas.get("og:image")
    if lead and not any(img.url == urljoin(base or "", lead) for img in meta.images):
        meta.images.insert(0, Image(url=urljoin(base or "", lead)))
    meta.page_type = (ld or {}).get("@type") if ld else metas.get("og:type")
    access = (ld or {}).get("isAccessibleForFree")
    meta.paywalled = str(access).lower() == "false"
    return meta


class _Metas(dict[str, str]):
    """``<meta>`` content by lower-cased name/property; the first value wins, all are kept."""

    def __init__(self) -> None:
        super().__init__()
        self.all: list[tuple[str, str]] = []

    def items_all(self) -> list[tuple[str, str]]:
        return self.all


def _meta_tags(tree: Any) -> _Metas:
    out = _Metas()
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        value = (attrs.get("content") or "").strip()
        if key and value:
            out.all.append((key, value))
            out.setdefault(key, value)
    return out


def _best_ld(blocks: list[str]) -> dict[str, Any]:
    """The article object among the page's JSON-LD blocks (``@graph`` included); {} if none."""
    found: list[dict[str, Any]] = []
    for raw in blocks:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _LD_TYPES for t in types):
                    found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    if not found:
        return {}
    # Prefer a real article type with a headline over a WebPage
    found.sort(key=lambda d: ("headline" in d) + (str(d.get("@type")).lower() != "webpage"), reverse=True)
    return found[0]


def _ld_str(ld: dict[str, Any], key: str) -> str | None:
    value = ld.get(key) if ld else None
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return " ".join(str(value).split()) if value else None


def _ld_people(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, str):
                out.extend(split_authors(name))
        elif isinstance(item, str) and not item.startswith("http"):
            out.extend(split_authors(item))
    return out


def _ld_publisher(ld: dict[str, Any]) -> str | None:
    pub = ld.get("publisher") if ld else None
    if isinstance(pub, list):
        pub = pub[0] if pub else None
    if isinstance(pub, dict) and isinstance(pub.get("name"), str):
        return str(pub["name"]).strip() or None
    return None


def _h1(tree: Any) -> str | None:
    node = tree.css_first("h1")
    return node.text(strip=True) or None if node is not None else None


def _clean_title(title: str | None, site_name: str | None) -> str | None:
    """A headline without the " | Site Name" that page titles carry."""
    if not title:
        return None
    title = " ".join(title.split())
    parts = re.split(r"\s+[|–—-]\s+|\s+::\s+", title)
    if len(parts) > 1:
        if site_name and any(site_name.lower() in p.lower() for p in parts):
            parts = [p for p in parts if site_name.lower() not in p.lower()]
        elif len(parts[-1].split()) <= 4:
            parts = parts[:-1]
        title = " - ".join(parts) if parts else title
    return title or None


def _time_tag(tree: Any) -> str | None:
    node = tree.css_first("time[datetime]")
    return node.attributes.get("datetime") if node is not None else None


def _figures(doc: Document, base: str | None) -> list[Image]:
    images: list[Image] = []
    for fig in doc.tree.css("figure"):
        img = fig.css_first("img")
        src = None
        if img is not None:
            attrs = img.attributes
            src = attrs.get("src") or attrs.get("data-src") or attrs.get("data-lazy-src")
        cap_node = fig.css_first("figcaption")
        caption_text = cap_node.text(separator=" ", strip=True) if cap_node is not None else ""
        caption, credit = credit_of(" ".join(caption_text.split()))
        if not src and not caption:
            continue
        images.append(
            Image(url=urljoin(base or "", src) if src else None, caption=caption or None, credit=credit)
        )
    return images
