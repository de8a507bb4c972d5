"""Parse stage for flattened page text: lines → candidates, with per-line features and the page's furniture.

A flattened page keeps the order of the original: navigation, breadcrumb, headline, dek, byline,
time, lead image caption, body, tags, rails, footer. This stage splits lines, marks what a line
plainly is by its own shape (a byline, a dateline, a photo credit, a tags line, a repeat of another
line) and computes the features the body stage decides on (``text_features.line_features``, for the
whole page at once). Python loops run only over short lists (candidate lines of a role).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from ..article import Candidate, Document, Page
from ..errors import InputTooLarge
from ..options import Options
from .dates import find_date
from .text_features import LineFeatures, line_features

__all__ = [
    "BYLINE",
    "TAGS_LINE",
    "LineFeatures",
    "credit_of",
    "is_sentence_like",
    "line_features",
    "looks_like_html",
    "parse_text",
    "split_lines",
    "word_count",
]

BYLINE = re.compile(
    r"^(?:by|written by|words by|von|par|por|di|door|av|af|przez|text:|autor:|author:)\s+(?P<names>[^\d|•]{3,120}?)\s*$",
    re.I,
)
_BYLINE_START = re.compile(
    r"^(?:by|written by|words by|von|par|por|di|door|av|af|przez|text:|autor:|author:)\s", re.I
)
#: A picture credit's label, with its colon after it in the patterns below: "Photo:", "Fotos:", "Image credit:".
_CREDIT_LABEL = r"(?:photo|image|picture|foto|bild|credit|photograph|illustration)s?(?:\s+credit)?\s*:\s*"
_CREDIT_PAREN = re.compile(rf"\(\s*{_CREDIT_LABEL}(?P<credit>[^()]{{2,120}})\)\s*$", re.I)
_CREDIT_LINE = re.compile(rf"^{_CREDIT_LABEL}(?P<credit>.{{2,120}})$", re.I)
# a caption whose credit follows its last sentence without brackets: "... im Halbfinale. Foto: dpa"
_CREDIT_TAIL = re.compile(rf"[.!?…]\s+{_CREDIT_LABEL}(?P<credit>[^.!?:()]{{2,60}})\.?$", re.I)
#: The words that head a tags list, in a "Tags: a, b" line and on a line of their own above one tag a line
#: (``metadata_text._tags_block``, which knows a few more).
TAG_HEADS = r"tags|tagged|topics|related topics|keywords|themen|schlagworte|schlagwörter|mots-clés|etiquetas|temas|tag"
TAGS_LINE = re.compile(
    rf"^(?:(?:{TAG_HEADS})\s*:?\s+"
    # CJK heads take a full-width colon and no space: 标签：经济, 港口
    r"|(?:标签|標籤|关键词|關鍵詞|タグ|キーワード|태그|키워드)\s*[:：]\s*)(?P<tags>.+)$",
    re.I,
)
_TAG_HEADS = (
    "tag",
    "topic",
    "related topics",
    "keyword",
    "themen",
    "schlagw",
    "mots-cl",
    "etiqueta",
    "temas",
    *("标签", "標籤", "关键词", "關鍵詞", "タグ", "キーワード", "태그", "키워드"),
)
_SENTENCE_END = re.compile(r"[.!?…。！？»”\"')\]]\s*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+", re.U)
_ODD_SPACE = re.compile(r"[\t\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_GIANT_LINE = 20_000  # a line this long is text whose line breaks were lost: split it into sentences
_CHUNK = 1_500
_CHUNK_END = re.compile(r"[.!?。！？](?:\s|$)")


# ----------------------------------------------------------------------------------------- lines


def split_lines(text: str, options: Options) -> list[tuple[str, int]]:
    """Non-empty lines with the index of the blank-line-separated group each belongs to."""
    lines, groups = _split(text, options)
    return list(zip(lines, groups, strict=True))


def _split(text: str, options: Options) -> tuple[list[str], list[int]]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") >= options.max_lines:
        raise InputTooLarge(f"text has over {options.max_lines:,} lines, the limit")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # most texts are tidy already (a converter's output): tested in one pass over an array of code points
    if _untidy(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)):
        text = _tidy(text)
    parts = text.split("\n")
    lens = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    if lens.max() > _GIANT_LINE:
        return _split_giant(parts, options)
    empty = lens == 0
    groups = np.cumsum(empty)[~empty]  # a blank line opens a new group
    return list(filter(None, parts)), groups.tolist()


def _untidy(cp: np.ndarray) -> bool:
    """Does the text (code points) hold odd white space, two spaces in a row, or a space at a line's end?"""
    if not len(cp):
        return False
    space = cp == 32
    if space[0] or space[-1] or _odd_spaces().take(cp, mode="clip").any():
        return True
    return bool((space[:-1] & (space[1:] | (cp[1:] == 10)) | (space[1:] & (cp[:-1] == 10))).any())


@lru_cache(maxsize=1)
def _odd_spaces() -> np.ndarray:
    """Per code point up to U+3000 (and one past it, for every higher one): does ``_ODD_SPACE`` match it?"""
    return np.array([bool(_ODD_SPACE.match(chr(c))) for c in range(0x3002)])


def _tidy(text: str) -> str:
    """Odd white space made a space, runs of spaces one space, no space at either end of a line."""
    if _ODD_SPACE.search(text):
        text = _ODD_SPACE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    return text.replace("\n ", "\n").replace(" \n", "\n").strip(" ")


def _split_giant(parts: list[str], options: Options) -> tuple[list[str], list[int]]:
    """``_split`` for a text holding a giant line, which is cut into sentence chunks."""
    lines: list[str] = []
    groups: list[int] = []
    group = 0
    for line in parts:
        if not line:
            group += 1
            continue
        if len(line) > _GIANT_LINE:
            pieces = _sentence_chunks(line[: options.max_line_chars])
            lines.extend(pieces)
            groups.extend([group] * len(pieces))
            continue
        lines.append(line)
        groups.append(group)
    return lines, groups


def _sentence_chunks(line: str) -> list[str]:
    """A giant line cut at sentence ends into pieces of about ``_CHUNK`` characters."""
    out: list[str] = []
    start = 0
    while start < len(line):
        end = min(len(line), start + _CHUNK)
        if end < len(line):
            window = line[start + _CHUNK // 3 : end]
            ends = [m.end() for m in _CHUNK_END.finditer(window)]
            end = start + _CHUNK // 3 + ends[-1] if ends else end
        piece = line[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    return out


def looks_like_html(text: str) -> bool:
    """Markup, not flattened text: it opens with a tag and reads as HTML (a flattened page never does)."""
    from .read import detect_kind

    head = text.lstrip()[:1]
    return head == "<" and detect_kind(text) == "html"


def parse_text(page: Page, options: Options) -> Document:
    """Lines of a flattened page as candidates with features, each with the role its shape gives away."""
    lines, groups = _split(page.content, options)
    feats = line_features(lines, groups, page.url)
    roles = shape_roles(lines, feats)
    # positional arguments (text, kind, level, tag, path, container, ancestors, link_chars, role): a
    # page has hundreds of lines, and keyword arguments cost twice as much
    candidates = [
        Candidate(text, "paragraph", 0, "line", "", group, (), 0, role)
        for text, group, role in zip(lines, groups, roles, strict=True)
    ]
    doc = Document(page=page, candidates=candidates)
    doc.extras["features"] = feats
    return doc


# --------------------------------------------------------------------------------- shape helpers


def word_count(text: str) -> int:
    """Words, counting two CJK characters as one word (CJK is written without spaces)."""
    if not _CJK.search(text):
        return len(_WORD.findall(text))
    cjk = len(_CJK.findall(text))
    return cjk // 2 + len(_WORD.findall(_CJK.sub(" ", text)))


def is_sentence_like(text: str) -> bool:
    return bool(_SENTENCE_END.search(text)) and word_count(text) >= 8


def labelled_credit(text: str) -> bool:
    """Whether a line is a picture's credit and its label alone: "Foto: A/dpa", "(Photo: Jane Roe/AP)"."""
    return bool(_CREDIT_LINE.match(text) or _CREDIT_PAREN.fullmatch(text))


def credit_of(text: str) -> tuple[str, str | None]:
    """Split "caption (photo credit: X)", "caption. Photo: X" or "caption. © X" into ("caption", "X")."""
    m = _CREDIT_PAREN.search(text)
    if m:
        return text[: m.start()].strip(), m.group("credit").strip()
    m = _CREDIT_LINE.match(text)
    if m:
        return "", m.group("credit").strip()
    m = _CREDIT_TAIL.search(text)
    if m:
        return text[: m.start() + 1].strip(), m.group("credit").strip()
    split = caption_credit(text)
    if split:
        return split
    return text, None


#: The end of a caption's last sentence, in the last ``_TAIL_CHARS`` characters of a line.
_SENTENCE_STOP = re.compile(r"[.!?…][)\"”»’]?\s+")
_TAIL_CHARS = 100
_TAIL_WORDS = 8
#: "… Erfolg Foto: Editpress/F. P.", "… in 2024. — Picture by Yusof Mat Isa": a label and the credit, no stop
#: before it (``_CREDIT_TAIL`` wants one). Fewer labels than ``_CREDIT_LABEL``, and "by" as well as a colon:
#: with no stop to mark the caption's end, "… Illustrations by Jim Harter" ends a book's title as often.
_LABELLED_TAIL = re.compile(
    r"(?:\s|[(—–])\s*(?:photo|image|picture|foto|bild|photograph)s?(?:\s+credit)?\s*(?::|\bby\b)"
    r"\s*(?P<credit>[^.!?:|()]{2,80}?)\)?$",
    re.I,
)
#: "… neighbour. (Mario Jasso/Cuartoscuro)": a source in brackets after the last sentence
_BRACKETED_TAIL = re.compile(r"[.!?]\s*\((?P<credit>[^()]{2,50})\)$")
#: a caption's toggle printed after it ("… Jae C. Hong/AP hide caption")
_TOGGLE = re.compile(r"(?i)\s+(?:hide|show|toggle) caption$")


def caption_credit(text: str) -> tuple[str, str] | None:
    """(caption, credit) of a line that ends with its picture's credit, unlabelled or labelled without a stop
    before it: "… abgebrochen. © A/dpa", "… bergen. dpa", "… gestorben. | Jörg Carstensen/dpa", "… Erfolg
    Foto: A/B", "… Erholung. Unsplash/Kelly Sikkema". The credit must be one by its own look: a label before a
    name, a copyright sign, a picture agency, or a "Name/Agency" in brackets; a sentence, a menu of pipes, a
    form's "( Log out / Change )" or a footer's notice is none. Only the line's last ``_TAIL_CHARS`` characters
    are read, so a giant line costs no more than a short one. None when the line does not end so."""
    toggle = _TOGGLE.search(text, max(0, len(text) - _TAIL_CHARS))
    if toggle:
        text = text[: toggle.start()]
    start = max(0, len(text) - _TAIL_CHARS)
    end = text[start:]
    m = _LABELLED_TAIL.search(end)
    if m:
        credit = m.group("credit").strip()
        caption = text[: start + m.start()].strip(" —–-(")
        if _credit_like(credit, named=True) and _some_words(caption):
            return caption, credit
    m = _BRACKETED_TAIL.search(end)
    if m:
        credit = m.group("credit").strip()
        if (
            word_count(credit) <= 5
            and credit[:1].isupper()
            and (_SLASHED.search(credit) or _agency_word().search(credit))
        ):
            return text[: start + m.start() + 1].strip(), credit
    # the last stop that ends a sentence, not an initial ("Jae C. Hong/AP")
    stop = next(
        (m for m in reversed(list(_SENTENCE_STOP.finditer(end))) if not _INITIAL.search(end, 0, m.end())),
        None,
    )
    if stop is None:
        return None
    at = start + stop.end()
    caption, tail = text[:at].strip(), text[at:].rstrip().lstrip("|/–— ")
    if not _some_words(caption) or not tail or tail[-1] in ".!?:;,":
        return None
    if tail.startswith("©"):
        credit = tail.lstrip("© ")
        return (caption, credit) if _credit_like(credit, named=False) else None
    if "|" in tail or not _credit_like(tail, named=False) or not _agency_word().search(tail):
        return None
    return caption, tail


def _some_words(caption: str) -> bool:
    """Whether a caption has three words at least, counted in its last characters only."""
    return word_count(caption[-_TAIL_CHARS:]) >= 3


_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.\s+$")
#: "Name/Agency" written without spaces around the slash ("( Abmelden / Ändern )" is a form's buttons)
_SLASHED = re.compile(r"\w/\w")


def _credit_like(credit: str, *, named: bool) -> bool:
    """A credit's look: a few words with a letter among them; ``named``: after a label, a capitalised name or
    an agency ("Foto: dpa")."""
    if not credit or word_count(credit) > _TAIL_WORDS or not any(ch.isalpha() for ch in credit):
        return False
    return not named or credit[:1].isupper() or bool(_agency_word().search(credit))


@lru_cache(maxsize=1)
def _agency_word() -> re.Pattern[str]:
    from .credits import AGENCIES  # credits reads this module's word counts: imported when first asked

    return re.compile(rf"(?<![\w-])(?:{AGENCIES})(?![\w-])")


# ----------------------------------------------------------------------------------- shape roles


def shape_roles(lines: list[str], feats: LineFeatures) -> list[str]:
    """The role each line's own shape gives away, or "" (most lines). Only lines whose keywords or digits
    make a role possible are tested with the detailed patterns."""
    n = len(lines)
    roles = [""] * n
    if not n:
        return roles
    words = feats["words"]
    maybe_by = (words <= 14) & (feats["kw_by"] > 0)
    digits = feats["digits"] * feats["chars"]
    # a date has a month name and a number, or five digits and more (13.07.2020, 2020-07-13, 2020年7月13日)
    maybe_date = (words <= 10) & (((feats["kw_month"] > 0) & (digits > 0)) | (digits >= 5))
    maybe_credit = feats["kw_media"] > 0
    for i in (maybe_by | maybe_date | maybe_credit).nonzero()[0]:
        role = _short_role(lines[i], float(words[i]), bool(maybe_by[i]), bool(maybe_date[i]))
        if role:
            roles[i] = role
    firsts = np.frombuffer("".join([line[0] for line in lines]).encode("utf-32-le"), dtype=np.uint32)
    maybe_tags = _tag_initials().take(firsts, mode="clip") & (words <= 40)
    for i in maybe_tags.nonzero()[0]:
        if not roles[i] and lines[i][:14].lower().startswith(_TAG_HEADS) and tags_role(lines[i]):
            roles[i] = "tags"
    for i in ((feats["repeats"] > 1) & (words >= 4)).nonzero()[0]:
        if not roles[i]:
            roles[i] = "repeat"
    # a caption whose credit ends it ("… bergen. dpa", "… abgebrochen. © A/dpa", "… Erfolg Foto: A/B")
    open_end = (feats["end_sentence"] == 0) & (feats["end_colon"] == 0)  # a sentence or a label ends it
    for i in ((words >= 4) & (words <= _CAPTION_WORDS) & open_end).nonzero()[0].tolist():
        line = lines[i]
        if roles[i] or line[-1] in _CLOSED:
            continue
        tail = line[-_TAIL_CHARS:]
        if (maybe_credit[i] or "©" in tail or "/" in tail or "(" in tail) and caption_credit(line):
            roles[i] = "caption"
    _mark_caption_repeats(lines, roles)
    return roles


_CAPTION_WORDS = 80
#: A line that ends so is a sentence, not a caption followed by its credit.
_CLOSED = frozenset(".!?:;,")


@lru_cache(maxsize=1)
def _tag_initials() -> np.ndarray:
    """Per BMP code point (and one past, for every astral one): does its lower case start a tags head?"""
    initials = {head[0] for head in _TAG_HEADS}
    return np.array([chr(cp).lower()[:1] in initials for cp in range(0x10000)] + [False])


def _short_role(text: str, words: float, maybe_by: bool, maybe_date: bool) -> str:
    if maybe_by and _BYLINE_START.match(text):
        m = BYLINE.match(text)
        if m and _names_like(m.group("names")):
            return "byline"
    if maybe_date and find_date(text) and len(_WORD.findall(_strip_dates(text))) <= 4:
        return "dateline"
    if labelled_credit(text):
        return "credit"
    if _CREDIT_PAREN.search(text) or _CREDIT_TAIL.search(text):
        return "caption"
    return ""


def tags_role(text: str) -> bool:
    """A "Tags: a, b, c" line (not a sentence that happens to start with "Topics")."""
    return bool(TAGS_LINE.match(text)) and not _SENTENCE_END.search(text) and word_count(text) <= 40


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


def _mark_caption_repeats(lines: list[str], roles: list[str]) -> None:
    """A caption is often printed twice: once whole with its credit, once split into caption and credit."""
    captions = [lines[i] for i, r in enumerate(roles) if r == "caption"]
    if not captions:
        return
    for i, text in enumerate(lines):
        if roles[i] or len(text) < 20:
            continue
        if any(cap.startswith(text) and text != cap for cap in captions):
            roles[i] = "caption_repeat"
