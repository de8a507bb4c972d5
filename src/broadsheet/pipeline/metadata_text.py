"""Metadata of flattened text: read off the roles the body stage gave to lines."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..article import Candidate, Document, Image
from .dates import parse_date
from .metadata import Metadata, split_authors, split_tags
from .text import BYLINE, TAGS_LINE, credit_of, word_count

__all__ = ["from_text"]


def from_text(doc: Document, body_text: str) -> Metadata:
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
