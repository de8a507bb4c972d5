"""Parse stage for flattened page text: lines → candidates, with the page's furniture recognised.

A flattened page keeps the order of the original: navigation, breadcrumb, headline, dek, byline,
time, lead image caption, body, tags, rails, footer. This stage splits lines, marks what a line
plainly is by its own shape (a byline, a dateline, a photo credit, a tags line, a repeat of another
line) and leaves the decision of which lines are body to the body stage.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..article import Candidate, Document, Page
from ..errors import InputTooLarge
from ..options import Options
from .dates import find_date

__all__ = ["parse_text", "split_lines"]

BYLINE = re.compile(
    r"^(?:by|written by|words by|von|par|por|di|door|av|af|przez|text:|autor:|author:)\s+(?P<names>[^\d|•]{3,120}?)\s*$",
    re.I,
)
_CREDIT_PAREN = re.compile(
    r"\(\s*(?:photo|image|picture|foto|bild|credit|photograph|illustration)s?(?:\s+credit)?\s*:\s*(?P<credit>[^()]{2,120})\)\s*$",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"^(?:photo|image|picture|foto|bild|credit|photograph|illustration)s?(?:\s+credit)?\s*:\s*(?P<credit>.{2,120})$",
    re.I,
)
TAGS_LINE = re.compile(
    r"^(?:tags|tagged|topics|related topics|keywords|themen|schlagworte|schlagwörter|mots-clés|etiquetas|temas|tag)\s*:?\s+(?P<tags>.+)$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…。！？»”\"')\]]\s*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+", re.U)


def split_lines(text: str, options: Options) -> list[tuple[str, int]]:
    """Non-empty lines with the index of the blank-line-separated group each belongs to."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(raw) > options.max_lines:
        raise InputTooLarge(f"text has {len(raw):,} lines, over the limit of {options.max_lines:,}")
    out: list[tuple[str, int]] = []
    group = 0
    for line in raw:
        clean = " ".join(line.split())
        if not clean:
            group += 1
            continue
        if len(clean) > options.max_line_chars:
            clean = clean[: options.max_line_chars]
        out.append((unicodedata.normalize("NFC", clean), group))
    return out


def parse_text(page: Page, options: Options) -> Document:
    """Lines of a flattened page as candidates, each with the role its shape alone gives away."""
    lines = split_lines(page.content, options)
    counts = Counter(text for text, _ in lines)
    candidates: list[Candidate] = []
    for text, group in lines:
        cand = Candidate(text=text, tag="line", container=group)
        cand.role = _shape_role(text, counts[text])
        candidates.append(cand)
    _mark_caption_repeats(candidates)
    return Document(page=page, candidates=candidates)


def word_count(text: str) -> int:
    """Words, counting two CJK characters as one word (CJK is written without spaces)."""
    cjk = len(_CJK.findall(text))
    if cjk:
        return cjk // 2 + len(_WORD.findall(_CJK.sub(" ", text)))
    return len(_WORD.findall(text))


def is_sentence_like(text: str) -> bool:
    return bool(_SENTENCE_END.search(text)) and word_count(text) >= 8


def _shape_role(text: str, repeats: int) -> str:
    words = word_count(text)
    if words <= 14 and BYLINE.match(text) and _names_like(BYLINE.match(text).group("names")):  # type: ignore[union-attr]
        return "byline"
    if words <= 10 and find_date(text) and len(_WORD.findall(_strip_dates(text))) <= 4:
        return "dateline"
    if (_CREDIT_LINE.match(text) and words <= 25) or _CREDIT_PAREN.fullmatch(text):
        return "credit"
    if _CREDIT_PAREN.search(text):
        return "caption"
    if TAGS_LINE.match(text) and not _SENTENCE_END.search(text) and words <= 40:
        return "tags"
    if repeats > 1 and words >= 4:
        return "repeat"
    return ""


def _names_like(names: str) -> bool:
    tokens = names.replace(",", " ").replace("&", " ").split()
    if not tokens or len(tokens) > 12:
        return False
    caps = sum(
        1
        for t in tokens
        if t[:1].isupper() or t.lower() in {"and", "und", "et", "y", "e", "de", "van", "von"}
    )
    return caps >= len(tokens) - 1


def _strip_dates(text: str) -> str:
    text = re.sub(r"\d+", " ", text)
    return re.sub(
        r"(?i)\b(?:published|updated|posted|last|modified|am|pm|on|at|um|uhr|le|el|il|de|mis à jour|aktualisiert|veröffentlicht|"
        r"jan\w*|feb\w*|mar\w*|apr\w*|may|mai|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|okt\w*|nov\w*|dec\w*|dez\w*|"
        r"mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|utc|gmt|[a-z]{2,4}t)\b",
        " ",
        text,
    )


def _mark_caption_repeats(candidates: list[Candidate]) -> None:
    """A caption is often printed twice: once whole with its credit, once split into caption and credit."""
    captions = [c.text for c in candidates if c.role == "caption"]
    if not captions:
        return
    for cand in candidates:
        if cand.role:
            continue
        for cap in captions:
            if len(cand.text) >= 20 and cap.startswith(cand.text) and cand.text != cap:
                cand.role = "caption_repeat"
                break
        if not cand.role and _CREDIT_PAREN.fullmatch(cand.text.strip()):
            cand.role = "credit"


def credit_of(text: str) -> tuple[str, str | None]:
    """Split "caption (photo credit: X)" into ("caption", "X")."""
    m = _CREDIT_PAREN.search(text)
    if m:
        return text[: m.start()].strip(), m.group("credit").strip()
    m = _CREDIT_LINE.match(text)
    if m:
        return "", m.group("credit").strip()
    return text, None
