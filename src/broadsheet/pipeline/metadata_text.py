"""Metadata of flattened text: headline, byline and dateline chosen by small learned models, the rest read
off the roles the body stage gave to lines.

Three models (``text_title``, ``text_byline``, ``text_date``) score the lines above and around the body
start: each line's own features, where it sits relative to the body the body stage found, and whether
its shape already says byline or dateline. The best line above a floor wins. Without the models (a
checkout without ``models/``) the body stage's heuristic roles are used. Names and dates then go
through the same normalisers as HTML (``metadata.split_authors``, ``dates.parse_date``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import numpy as np

from ..article import Candidate, Document, Image
from ..model import TreeModel, load_model
from .body_text import mark_headline_block, predict
from .dates import find_date, is_plausible, parse_date
from .metadata import Metadata, detect_language, split_authors, split_tags
from .text import TAGS_LINE, LineFeatures, credit_of, word_count

__all__ = ["FIELD_COLUMNS", "field_candidates", "field_matrix", "from_text"]

FIELD_COLUMNS = (
    "words",
    "log_chars",
    "title_words",
    "upper",
    "end_sentence",
    "end_colon",
    "digits",
    "stopwords",
    "repeats",
    "shared_phrases",
    "kw_by",
    "kw_time",
    "kw_month",
    "kw_day",
    "kw_nav",
    "kw_media",
    "dated",
    "headline_like",
    "first_upper",
    "seps",
    "cjk",
    "position",
    "group_size",
    "group_pos",
    "prev1_dated",
    "next1_dated",
    "prev1_logw",
    "next1_logw",
    "next1_prose",
    "furniture",
)
_EXTRA = (
    "url_overlap",
    "to_body",
    "after_body",
    "line",
    "p_body",
    "p_next",
    "role_byline",
    "role_dateline",
    "has_date",
    "updated",
)
_FIELDS = ("title", "byline", "dateline")
_FLOORS = {"title": 0.0, "byline": 0.05, "dateline": 0.1}  # least score to be taken (chosen on train pages)
_FURNITURE = ("byline", "dateline", "credit", "caption", "caption_repeat", "tags")
_ABOVE = 40  # lines above the body start that may hold the headline block
_BELOW = 4  # ... and below it (a byline printed after the first paragraph)
_AFTER = 8  # lines after the body's end
_URL_WORD = re.compile(r"[^\W_]+")
_URL_DATE = re.compile(r"[/_-]((?:19|20)\d{2})[/-]?(\d{2})[/-]?(\d{2})(?=[/_.-]|$)")
_UPDATED = re.compile(r"(?i)updated|modified|aktualisiert|mis à jour|actualizado|geändert")
_BYLINE_PARTS = re.compile(r"\s*(?:\||•|·|—|–|\s-\s|\n)\s*")
_NOT_NAMES = re.compile(
    r"(?i)\b(?:jan|feb|mär|mar|apr|may|mai|jun|jul|aug|sep|oct|okt|nov|dec|dez)[a-zä]*\.?\s+\d|\d|\b(?:published|updated|posted|veröffentlicht|aktualisiert|publié|min read|ago|minutes?|hours?)\b"
)
_JOB_TITLE = re.compile(
    r"(?i),?\s*\b(?:senior|chief|political|business|staff|news|sports?|deputy|foreign|special|contributing|"
    r"freelance|science|health|tech(?:nology)?|economics|washington|europe|legal|digital|associate|managing)?\s*"
    r"(?:reporter|correspondent|editor|writer|journalist|columnist|contributor|redakteur(?:in)?|"
    r"korrespondent(?:in)?|rédacteur|rédactrice|redactor|periodista)s?\b.*$"
)
_DANGLING = re.compile(r"(?i)[\s,;:(]*(?:\b(?:on|am|um|le|el|il|at|de|du)\b[\s,]*)*$")
_WORKS_FOR = re.compile(r"(?i)\s+(?:for|für|pour|para)\s+\S.*$")
_WITH = re.compile(r"(?i)\s+(?:with|mit|avec|con)\s+")
_NAME_PREFIX = re.compile(
    r"^(?:(?:by|written by|words by|reported by|von|par|por|di|door|av|af|przez)\s+|"
    r"(?:text|autor(?:in)?|author|reporter)\s*:\s*|(?:記者|记者|作者|撰文)\s*)",
    re.I,
)


def from_text(doc: Document, body_text: str) -> Metadata:
    meta = Metadata()
    cands = doc.candidates
    feats: LineFeatures | None = doc.extras.get("features")
    chosen = _pick_fields(doc, feats) if feats is not None and feats.n else {}
    roles: dict[str, list[Candidate]] = {}
    for cand in cands:
        roles.setdefault(cand.role, []).append(cand)
    if "title" in roles:
        meta.title = roles["title"][0].text
    if "dek" in roles:
        meta.description = _repair_teaser(roles["dek"][0].text, body_text)
    bylines = [cands[chosen["byline"]]] if "byline" in chosen else roles.get("byline", [])[:1]
    for cand in bylines:
        meta.authors.extend(byline_names(cand.text))
    datelines = roles.get("dateline", [])
    if "dateline" in chosen:  # the model's dateline is the published date; others may say "updated"
        datelines = [cands[chosen["dateline"]]] + [c for c in datelines if c is not cands[chosen["dateline"]]]
    for cand in datelines:
        iso = parse_date(cand.text, not_after=doc.page.fetched_at)
        if not iso:
            continue
        if meta.published:
            meta.modified = meta.modified or iso
        elif not meta.published:
            meta.published = iso
    if not meta.published:
        day = date_in_url(doc.page.url)
        if day and is_plausible(day, not_after=doc.page.fetched_at):
            meta.published = day
    for cand in roles.get("caption", []):
        caption, credit = credit_of(cand.text)
        meta.images.append(Image(url=None, caption=caption or None, credit=credit))
    for cand in roles.get("tags", [])[:1]:
        m = TAGS_LINE.match(cand.text)
        if m:
            page_text = "\n".join(c.text for c in cands if c.role != "tags")
            meta.tags = split_tags(m.group("tags"), page_text)
    meta.site_name = _text_site_name(cands, doc.page.url)
    if "breadcrumb" in roles:
        meta.section = _section_from_crumb(roles["breadcrumb"][0].text, meta.site_name)
    meta.language = _language(body_text, meta.title)
    return meta


def _language(body_text: str, title: str | None) -> str | None:
    """Language from a sample of the body: the middle of the longest paragraphs is enough and is quick."""
    paragraphs = sorted(body_text.split("\n\n"), key=len, reverse=True)[:3]
    sample = " ".join(p[:200] for p in paragraphs) or (title or "")
    return detect_language(sample[:400])


# ----------------------------------------------------------------------------------- field models


def field_candidates(n: int, body_start: int, body_end: int) -> np.ndarray:
    """Line indexes where headline, byline and dateline are looked for: above and at the start of the body,
    and just after its end (many sites print the byline or the date below the article)."""
    top = np.arange(max(0, body_start - _ABOVE), min(n, body_start + _BELOW))
    tail = np.arange(max(0, body_end - 3), min(n, body_end + _AFTER))
    return np.union1d(top, tail)


def field_matrix(
    feats: LineFeatures,
    idx: np.ndarray,
    body_start: int,
    body_end: int,
    p_body: np.ndarray,
    roles: list[str],
    texts: list[str],
    url: str | None = None,
) -> np.ndarray:
    """Features of the candidate lines ``idx`` for the field models."""
    base = np.column_stack([feats[name][idx] for name in FIELD_COLUMNS])
    n = feats.n
    nxt = np.minimum(idx + 1, n - 1)
    digits = feats["digits"][idx] * feats["chars"][idx]
    # a date needs a number with a month name, or five digits and more (13.07.2020, 2020年7月13日)
    datable = (feats["words"][idx] <= 25) & (((feats["kw_month"][idx] > 0) & (digits > 0)) | (digits >= 5))
    has_date = np.array(
        [bool(ok and find_date(texts[i])) for i, ok in zip(idx, datable, strict=True)], dtype=float
    )
    slug = _url_tokens(url)
    extra = np.column_stack(
        [
            [_overlap(texts[i], slug) for i in idx],
            np.clip(idx - body_start, -60, 10),
            np.clip(idx - body_end, -10, 10),
            np.minimum(idx, 300),
            p_body[idx],
            p_body[nxt],
            [roles[i] == "byline" for i in idx],
            [roles[i] == "dateline" for i in idx],
            has_date,
            [bool(ok and _UPDATED.search(texts[i])) for i, ok in zip(idx, datable, strict=True)],
        ]
    ).astype(np.float64)
    return np.column_stack([base, extra])


def _url_tokens(url: str | None) -> set[str]:
    """Words of the URL's path: most news URLs carry the headline as a slug."""
    if not url:
        return set()
    path = unquote(urlsplit(url).path).lower()
    return {t for t in _URL_WORD.findall(path) if not t.isdigit()}


def _overlap(text: str, slug: set[str]) -> float:
    """Share of the URL's words the line holds (a headline holds most of its slug; a section name one)."""
    if not slug:
        return -1.0
    words = {w for w in _URL_WORD.findall(text.lower()) if len(w) > 1}
    return len(words & slug) / len(slug)


def date_in_url(url: str | None) -> str | None:
    """The day a URL path states (/2024/03/05/, /20240305-), or None."""
    if not url:
        return None
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def field_names() -> list[str]:
    return [*FIELD_COLUMNS, *_EXTRA]


def _models() -> tuple[TreeModel, TreeModel, TreeModel] | None:
    """The three field models, or None when they are missing or were trained on other features."""
    try:
        models = load_model("text_title"), load_model("text_byline"), load_model("text_date")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    names = field_names()
    return models if all(m.feature_names == names for m in models) else None


def _pick_fields(doc: Document, feats: LineFeatures) -> dict[str, int]:
    """Headline, byline and dateline lines chosen by the field models: {field: line index}."""
    models = _models()
    cands = doc.candidates
    kept = [i for i, c in enumerate(cands) if c.kept]
    if models is None or not kept:
        return {}
    start, end = kept[0], kept[-1] + 1
    idx = field_candidates(len(cands), start, end)
    free = np.array([not cands[i].kept for i in idx])
    if not free.any():
        return {}
    texts = [c.text for c in cands]
    x = field_matrix(
        feats, idx, start, end, np.array([c.score for c in cands]), [c.role for c in cands], texts
    )
    scores = {
        name: np.where(free, predict(model, x), 0.0) for model, name in zip(models, _FIELDS, strict=True)
    }
    # the headline is none of the page's furniture, nor the line taken as byline or dateline
    furniture = np.array([cands[i].role in _FURNITURE for i in idx])
    scores["title"][furniture | (idx > start)] = 0.0  # ... and it comes before the body
    chosen: dict[str, int] = {}
    for name in ("byline", "dateline", "title"):
        if name == "title":
            scores[name][np.isin(idx, list(chosen.values()))] = 0.0
        best = int(np.argmax(scores[name]))
        if scores[name][best] > 0 and scores[name][best] >= _FLOORS[name]:
            chosen[name] = int(idx[best])
            what = "headline" if name == "title" else name
            cands[chosen[name]].reason = f"{what}: field model {scores[name][best]:.2f}"
    if "title" in chosen:
        mark_headline_block(cands, chosen["title"], start)
    # one line may be both, "By A. Writer, 3 May 2024": it shows as the byline
    for name in ("dateline", "byline"):
        if name in chosen:
            for j, cand in enumerate(cands):
                if cand.role == name and j not in (chosen.get("byline"), chosen.get("dateline")):
                    cand.role = "boilerplate"
                    cand.reason = f"a {name}, not the article's"
            cands[chosen[name]].role = name
    return chosen


# ---------------------------------------------------------------------------------------- values


def byline_names(text: str) -> list[str]:
    """Person names of a byline line: "By A and B, Political Correspondent | 3 May 2024" → ["A", "B"]."""
    text = _NAME_PREFIX.sub("", text.strip())
    names: list[str] = []
    for part in _BYLINE_PARTS.split(text):
        cut = _NOT_NAMES.search(part)
        if cut:  # "Maria Lopez on March 5, 2024": the names end where the date begins
            part = _DANGLING.sub("", part[: cut.start()])
        if not part.strip():
            continue
        part = _JOB_TITLE.sub("", part)
        part = _WORKS_FOR.sub("", part)
        part = _WITH.sub(", ", _NAME_PREFIX.sub("", part.strip()))
        if part and word_count(part) <= 12:
            names.extend(split_authors(part))
    return names


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
        parts = [
            p for p in parts if p.lower() not in ("home", "start", "startseite", "accueil", "inicio", "首页")
        ]
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
