"""Metadata stage: headline, dek, byline, dates, section, tags, images, language, site.

HTML: structured data first (JSON-LD, OpenGraph and ``article:*``, ``<meta name>``), then the
visible page. Flattened text: the roles the body stage gave to lines (headline, dek, byline,
dateline, caption, tags, breadcrumb). Both end in the same normalisers, so a byline or a date
reads the same whichever kind of page it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..article import Document, Image

__all__ = ["Metadata", "detect_language", "extract_metadata", "normalise_name", "split_authors", "split_tags"]


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
    """The page's fields; HTML in ``metadata_html``, flattened text in ``metadata_text``."""
    if doc.page.kind == "html":
        from .metadata_html import from_html

        meta = from_html(doc)
    else:
        from .metadata_text import from_text

        meta = from_text(doc, body_text)
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
