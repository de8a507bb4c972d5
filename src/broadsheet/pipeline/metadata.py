"""Metadata stage: headline, dek, byline, dates, section, tags, images, language, site.

HTML: structured data first (JSON-LD, OpenGraph and ``article:*``, ``<meta name>``), then the
visible page. Flattened text: the roles the body stage gave to lines (headline, dek, byline,
dateline, caption, tags, breadcrumb). Both end in the same normalisers, so a byline or a date
reads the same whichever kind of page it came from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..article import Candidate, Document, Image
from .dates import parse_date
from .text import BYLINE, TAGS_LINE, credit_of, word_count

__all__ = ["Metadata", "extract_metadata", "normalise_name", "split_authors", "split_tags"]


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    page_type: str | None = None  # the page's own claim (og:type, JSON-LD @type)
    paywalled: bool = False


def extract_metadata(doc: Document, body_text: str) -> Metadata:
    meta = _from_html(doc) if doc.page.kind == "html" else _from_text(doc, body_text)
    if not meta.language:
        meta.language = detect_language(" ".join(filter(None, [meta.title, body_text[:3000]])))
    meta.authors = _dedupe([a for a in meta.authors if a])
    meta.tags = _dedupe([t for t in meta.tags if t])
    return meta


# --------------------------------------------------------------------------------- normalisers

_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&|\|)\s*", re.I)
_NAME_NOISE = re.compile(
    r"(?i)^(?:by|von|par|por|di|door|written by|words by|text:|autor:|author:)\s+|\s*(?:email the author|follow on \w+|twitter|@\w+)\s*$"
)
_ORG_HINTS = re.compile(
    r"(?i)\b(?:reuters|associated press|ap|afp|dpa|epd|kna|upi|bloomberg|staff|editorial|desk|news|newsroom|agency|"
    r"redaktion|team|inc|ltd|media|press|times|post|jpost)\b"
)


def normalise_name(name: str) -> str:
    """Title-case a name printed in capitals ("SETH J. FRANTZMAN" → "Seth J. Frantzman")."""
    name = " ".join(_NAME_NOISE.sub("", name).split()).strip(" ,;:-|")
    if not name:
        return ""
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and not _ORG_HINTS.search(name) and len(letters) > 3:
        return " ".join(_title_word(w) for w in name.split())
    return name


def _title_word(word: str) -> str:
    parts = re.split(r"([-'’])", word.lower())
    out = "".join(p[:1].upper() + p[1:] if p not in "-'’" else p for p in parts)
    if out.startswith("Mc") and len(out) > 2:
        out = "Mc" + out[2:3].upper() + out[3:]
    return out


def split_authors(raw: str) -> list[str]:
    raw = _NAME_NOISE.sub("", raw.strip())
    names = [normalise_name(n) for n in _NAME_SPLIT.split(raw)]
    return [n for n in names if n and 1 <= len(n.split()) <= 6 and not n.endswith(".")]


@lru_cache(maxsize=1)
def _phrases() -> dict[str, int]:
    text = resources.files("broadsheet.data").joinpath("phrases.txt").read_text(encoding="utf-8")
    out: dict[str, int] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out[line.lower()] = len(line.split())
    return out


def split_tags(raw: str, context: str = "") -> list[str]:
    """A tags line as tags: by its separators, else by known and on-page multi-word names."""
    raw = raw.strip()
    if re.search(r"[,;|•·/#]", raw):
        return [t.strip(" #") for t in re.split(r"\s*[,;|•·/]\s*|\s+#", raw) if t.strip(" #")]
    words = raw.split()
    phrases = _phrases()
    max_len = max(phrases.values(), default=1)
    tags: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(max_len, len(words) - i), 1, -1):
            chunk = " ".join(words[i : i + size])
            if chunk.lower() in phrases or (
                all(w[:1].isupper() for w in words[i : i + size]) and f" {chunk} " in f" {context} "
            ):
                tags.append(chunk)
                i += size
                break
        else:
            tags.append(words[i])
            i += 1
    return tags


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


@lru_cache(maxsize=1)
def _langid() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, offline (langid.py's bundled model)."""
    text = text.strip()
    if len(text) < 20:
        return None
    lang, prob = _langid().classify(text[:3000])
    return lang if prob >= 0.5 else None


# ---------------------------------------------------------------------------- flattened text


def _from_text(doc: Document, body_text: str) -> Metadata:
    meta = Metadata()
    cands = doc.candidates
    roles: dict[str, list[Candidate]] = {}
    for cand in cands:
        roles.setdefault(cand.role, []).append(cand)
    if "title" in roles:
        meta.title = roles["title"][0].text
    if "dek" in roles:
        meta.description = _repair_teaser(roles["dek"][0].text, body_text)
    for cand in roles.get("byline", [])[:2]:
        m = BYLINE.match(cand.text)
        if m:
            meta.authors.extend(split_authors(m.group("names")))
    for cand in roles.get("dateline", []):
        iso = parse_date(cand.text, not_after=doc.page.fetched_at)
        if not iso:
            continue
        if re.search(r"(?i)updated|modified|aktualisiert|mis à jour", cand.text):
            meta.modified = meta.modified or iso
        elif not meta.published:
            meta.published = iso
    for cand in roles.get("caption", []):
        caption, credit = credit_of(cand.text)
        meta.images.append(Image(url=None, caption=caption or None, credit=credit))
    page_text = "\n".join(c.text for c in cands if c.role != "tags")
    for cand in roles.get("tags", [])[:1]:
        m = TAGS_LINE.match(cand.text)
        if m:
            meta.tags = split_tags(m.group("tags"), page_text)
    meta.site_name = _text_site_name(cands, doc.page.url)
    if "breadcrumb" in roles:
        meta.section = _section_from_crumb(roles["breadcrumb"][0].text, meta.site_name)
    return meta


def _repair_teaser(dek: str, body: str) -> str:
    """A teaser cut mid-word ("nce led by …") is restored from the body sentence it repeats."""
    if dek[:1].islower() and dek in body:
        pos = body.index(dek)
        start = max(
            body.rfind(". ", 0, pos) + 2 if body.rfind(". ", 0, pos) >= 0 else 0, body.rfind("\n", 0, pos) + 1
        )
        return body[start : pos + len(dek)].strip()
    return dek


def _text_site_name(cands: list[Candidate], url: str | None) -> str | None:
    """The page's first words before a " - " or " | " (a logo and tagline), if they recur on the page."""
    if not cands:
        return None
    m = re.match(r"^(.{3,50}?)\s+[-|–—:]\s+", cands[0].text)
    if m:
        name = m.group(1).strip()
        core = re.sub(r"(?i)^the\s+", "", name)
        recurs = sum(1 for c in cands[1:] if core.lower() in c.text.lower())
        host = urlsplit(url).hostname or "" if url else ""
        if recurs >= 1 or (host and core.replace(" ", "").lower()[:5] in host):
            return name
    return None


def _section_from_crumb(crumb: str, site_name: str | None) -> str | None:
    parts = [p.strip() for p in re.split(r"\s*[>›»/|]\s*", crumb) if p.strip()]
    if len(parts) > 1:
        parts = [p for p in parts if p.lower() not in ("home", "start", "startseite", "accueil", "inicio")]
        if site_name:
            parts = [p for p in parts if p.lower() not in site_name.lower()]
        return parts[-1] if parts else None
    text = crumb
    if site_name:
        core = re.sub(r"(?i)^the\s+", "", site_name)
        for prefix in (site_name, core):
            if text.lower().startswith(prefix.lower()):
                text = text[len(prefix) :].strip(" -:|")
                break
    return text or None if word_count(text) <= 5 else None


# ------------------------------------------------------------------------------------------ HTML

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


def _from_html(doc: Document) -> Metadata:
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
