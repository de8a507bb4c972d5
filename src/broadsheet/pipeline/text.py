"""Parse stage for flattened page text: lines → candidates, with per-line features and the page's furniture.

A flattened page keeps the order of the original: navigation, breadcrumb, headline, dek, byline,
time, lead image caption, body, tags, rails, footer. This stage splits lines, marks what a line
plainly is by its own shape (a byline, a dateline, a photo credit, a tags line, a repeat of another
line) and computes the features the body stage decides on (``line_features``).

Speed: features are computed for the whole page at once. The page's lines are joined, turned into
an array of code points, and classified with one table lookup; per-line counts are ``reduceat``
sums, words are hashed with a rolling polynomial hash so that keyword, stopword and repeated-phrase
counts are array look-ups. Python loops run only over short lists (candidate lines of a role).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..article import Candidate, Document, Page
from ..errors import InputTooLarge
from ..options import Options
from .dates import find_date

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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") >= options.max_lines:
        raise InputTooLarge(f"text has over {options.max_lines:,} lines, the limit")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ODD_SPACE.search(text):
        text = _ODD_SPACE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    lines: list[str] = []
    groups: list[int] = []
    group = 0
    for line in text.split("\n"):
        line = line.strip()
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
    feats = line_features(lines, groups)
    roles = shape_roles(lines, feats)
    candidates = [
        Candidate(text=text, tag="line", container=group, role=role)
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


def credit_of(text: str) -> tuple[str, str | None]:
    """Split "caption (photo credit: X)" into ("caption", "X")."""
    m = _CREDIT_PAREN.search(text)
    if m:
        return text[: m.start()].strip(), m.group("credit").strip()
    m = _CREDIT_LINE.match(text)
    if m:
        return "", m.group("credit").strip()
    return text, None


# ------------------------------------------------------------------------------ character table

# Each code point falls in exactly one class; per-line counts of every class are one ``bincount``.
(
    _OTHER,
    _UPPER,
    _LOWER,
    _CASELESS,
    _CJK_LETTER,
    _DIGIT,
    _SPACE,
    _END,
    _COMMA,
    _SEP,
    _QUOTE,
    _PUNCT,
    _SYMBOL,
    _MARK,
) = range(14)
_N_CLASSES = 14
_WORDISH = (_UPPER, _LOWER, _CASELESS, _DIGIT, _MARK)


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class, lower-case code point and is-word-character for every BMP code point (built once)."""
    cls = np.zeros(0x10000, dtype=np.uint8)
    lower = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch in ".!?…。！？।॥؟۔‼":
            c = _END
        elif ch in ",;:，、；：":
            c = _COMMA
        elif ch in "\"'“”„‘’«»「」『』":
            c = _QUOTE
        elif ch in "|•·›‹>/\\–—-_~*":
            c = _SEP
        elif (
            0x3040 <= cp <= 0x30FF
            or 0x3400 <= cp <= 0x9FFF
            or 0xAC00 <= cp <= 0xD7AF
            or 0xF900 <= cp <= 0xFAFF
        ):
            c = _CJK_LETTER if cat[0] == "L" else _OTHER
        elif cat[0] == "L":
            c = _UPPER if cat in ("Lu", "Lt") else _LOWER if cat == "Ll" else _CASELESS
            low = ch.lower()
            if len(low) == 1:
                lower[cp] = ord(low)
        elif cat[0] == "M":
            c = _MARK
        elif cat == "Nd":
            c = _DIGIT
        elif cat[0] == "Z" or ch == "\t":
            c = _SPACE
        elif cat[0] == "P":
            c = _PUNCT
        elif cat[0] == "S":
            c = _SYMBOL
        else:
            c = _OTHER
        cls[cp] = c
    wordish = np.isin(cls, _WORDISH)
    return cls, lower, wordish


# -------------------------------------------------------------------------------------- keywords

# Words and two-word phrases that mark page furniture, by kind. Lower case; matched as whole tokens.
_KEYWORDS: dict[str, str] = {
    "nav": "home menu search login logout register account skip navigation toggle close back next previous "
    "subscribe subscription subscribers newsletter newsletters signup suche anmelden abonnieren abo menü "
    "startseite accueil rechercher connexion abonner inicio buscar suscribirse iscriviti cerca sections "
    "sign_in sign_up log_in log_out my_account main_menu",
    "share": "share shares shared tweet facebook twitter whatsapp instagram linkedin pinterest reddit telegram "
    "email e-mail print teilen drucken partager compartir condividi youtube tiktok rss flipboard xing "
    "copy_link follow_us",
    "legal": "copyright rights reserved privacy cookie cookies terms conditions imprint impressum datenschutz "
    "agb disclaimer policy gdpr consent legal contact about careers jobs advertise sitemap accessibility "
    "all_rights terms_of",
    "promo": "advertisement advertising sponsored sponsor anzeige werbung publicité publicidad pubblicità "
    "promoted deal deals shop buy offer sale gift trial download app apps podcast podcasts premium "
    "free_trial",
    "rail": "related recommended popular trending latest more also recommend meistgelesen empfohlen "
    "lesen_sie most_read most_popular more_from you_may top_stories also_read read_more see_all "
    "view_all load_more show_more continue_reading weiterlesen lire_aussi leggi_anche mehr_zum",
    "comment": "comment comments reply replies kommentar kommentare commentaires comentarios commenti likes "
    "report flag upvote downvote",
    "media": "photo photos photograph image images picture pictures foto fotos bild bilder credit getty reuters afp "
    "dpa ap imago shutterstock istock video videos watch gallery illustration file_photo",
    "time": "published updated posted veröffentlicht aktualisiert publié actualizado min mins minutes "
    "read ago hours hour stunden vor uhr am pm gmt utc",
    "month": "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec januar februar märz juni juli oktober dezember "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre enero "
    "febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "day": "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun montag "
    "dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi "
    "dimanche lunes martes miércoles jueves viernes sábado domingo today yesterday heute gestern",
    "by": "by von par por di door av af przez text author autor autorin written reporter correspondent editor "
    "staff",
}
_STOPWORDS = (
    "the a an and or but of to in on at for with from by as is are was were be been has have had it its this "
    "that these those he she they we you i his her their our not no will would can could said says which who "
    "what when where there than then also into about after over more "
    "der die das den dem des ein eine einer eines und oder aber zu im in auf mit von für ist sind war waren "
    "wird werden hat haben nicht auch sich sie er es wir ich dass als bei nach wie noch nur aus um "
    "le la les un une des du de et ou mais en dans sur avec pour par est sont était il elle ils nous vous "
    "que qui ne pas plus ce cette au aux se "
    "el los las unos unas y o pero en con por para es son fue está lo que se no su sus del al como "
    "il lo gli i e o ma di da con per è sono che non si una uno nel della dei "
    "het een en of maar van op met voor is zijn was niet ook dat die er te aan "
    "o os as um uma e ou mas em com por para é são foi que não do da dos das"
)
_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)
_HASH_R = np.uint64(1_000_003)
_KEY_KINDS = tuple(_KEYWORDS)


def _hash_token(token: str) -> int:
    """The same polynomial hash ``_token_hashes`` computes with arrays (mod 2**64)."""
    h = 0
    for i, ch in enumerate(token):
        h = (h + ord(ch) * pow(int(_HASH_R), i, 1 << 64)) & ((1 << 64) - 1)
    return h


def _hash_phrase(token: str) -> int:
    parts = [_hash_token(p) for p in token.split("_")]
    if len(parts) == 1:
        return parts[0]
    return (parts[0] * int(_BIGRAM_MIX) + parts[1]) & ((1 << 64) - 1)


_STOP_BIT = 1 << len(_KEY_KINDS)
_TAG_BIT = 1 << (len(_KEY_KINDS) + 1)
# First words of a tags line ("Tags: ...", "Themen: ..."): the line that closes an article.
_TAG_WORDS = "tags tag tagged topics keywords themen schlagworte schlagwörter etiquetas temas mots étiquettes"


@lru_cache(maxsize=1)
def _lexicon() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted token hashes → bitmask (keyword kinds, ``_STOP_BIT``); sorted bigram hashes → kind bitmask."""
    uni: dict[int, int] = {}
    bi: dict[int, int] = {}
    for k, words in enumerate(_KEYWORDS.values()):
        for word in words.split():
            target = bi if "_" in word else uni
            h = _hash_phrase(word)
            target[h] = target.get(h, 0) | (1 << k)
    for word in _STOPWORDS.split():
        h = _hash_token(word)
        uni[h] = uni.get(h, 0) | _STOP_BIT
    for word in _TAG_WORDS.split():
        h = _hash_token(word)
        uni[h] = uni.get(h, 0) | _TAG_BIT
    uk = np.array(sorted(uni), dtype=np.uint64)
    bk = np.array(sorted(bi), dtype=np.uint64)
    uv = np.array([uni[int(h)] for h in uk], dtype=np.int64)
    bv = np.array([bi[int(h)] for h in bk], dtype=np.int64)
    return uk, uv, bk, bv


@lru_cache(maxsize=4)
def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """R**i and R**-i mod 2**64 for i < n (R is odd, so it has an inverse)."""
    r = int(_HASH_R)
    inv = pow(r, -1, 1 << 64)
    pw = np.empty(n, dtype=np.uint64)
    ipw = np.empty(n, dtype=np.uint64)
    pw[0] = ipw[0] = 1
    # doubling: powers of a block times the block's last power, so the loop runs log2(n) times
    size = 1
    with np.errstate(over="ignore"):
        while size < n:
            step = min(size, n - size)
            pw[size : size + step] = pw[:step] * np.uint64(pow(r, size, 1 << 64))
            ipw[size : size + step] = ipw[:step] * np.uint64(pow(inv, size, 1 << 64))
            size += step
    return pw, ipw


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    size = 1 << max(16, (n - 1).bit_length())
    pw, ipw = _powers(size)
    return pw[:n], ipw[:n]


# -------------------------------------------------------------------------------------- features


@dataclass(slots=True)
class LineFeatures:
    """Per-line numbers of one page, column by name (numpy arrays of equal length)."""

    columns: dict[str, np.ndarray]
    n: int

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def matrix(self, names: list[str]) -> np.ndarray:
        if not self.n:
            return np.zeros((0, len(names)), dtype=np.float64)
        return np.column_stack([self.columns[name] for name in names]).astype(np.float64)


def line_features(lines: list[str], groups: list[int]) -> LineFeatures:
    """Shape, token, repetition and context features of every line, computed over the whole page."""
    n = len(lines)
    if not n:
        return LineFeatures({}, 0)
    cls_table, lower_table, word_table = _tables()
    joined = "\n".join(lines)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    bmp = np.minimum(cp, 0xFFFF)
    astral = cp > 0xFFFF
    cls = cls_table[bmp]
    wordish = word_table[bmp]
    if astral.any():  # emoji and other astral symbols
        cls[astral] = _SYMBOL
        wordish[astral] = False
    lens = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    char_line = np.repeat(np.arange(n), lens + 1)[: len(cp)]
    cols: dict[str, np.ndarray] = {}
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lens[:-1] + 1, out=starts[1:])
    word_start = _char_features(cols, cls, wordish, char_line, starts, lens)
    low = np.where(astral, cp, lower_table[bmp])
    _token_features(cols, low, cls, wordish, word_start, char_line, n)
    cols["repeats"] = _repeat_counts(lines)
    cols["group_size"], cols["group_pos"], cols["group_words"] = _group_features(
        np.asarray(groups), cols["words"]
    )
    _context_features(cols, n)
    return LineFeatures(cols, n)


def _char_features(
    cols: dict[str, np.ndarray],
    cls: np.ndarray,
    wordish: np.ndarray,
    char_line: np.ndarray,
    starts: np.ndarray,
    lens: np.ndarray,
) -> np.ndarray:
    """Counts of each character class per line, word starts, first and last characters."""
    n = len(lens)
    k = _N_CLASSES
    counts = np.bincount(char_line * k + cls, minlength=n * k).reshape(n, k).astype(np.float64)
    prev = np.empty_like(wordish)
    prev[0] = False
    prev[1:] = wordish[:-1]
    word_start = wordish & ~prev
    ws = np.flatnonzero(word_start)
    heads = np.bincount(char_line[ws] * k + cls[ws], minlength=n * k).reshape(n, k).astype(np.float64)
    latin_words = heads.sum(axis=1)
    cjk = counts[:, _CJK_LETTER]
    letters = counts[:, _UPPER] + counts[:, _LOWER] + counts[:, _CASELESS] + cjk
    chars = lens.astype(np.float64)
    words = latin_words + cjk / 2
    last = cls[starts + lens - 1]
    before_last = cls[np.maximum(starts, starts + lens - 2)]
    first = cls[starts]
    cols["chars"] = chars
    cols["log_chars"] = np.log1p(chars)
    cols["words"] = words
    cols["letters"] = letters / chars
    cols["upper"] = counts[:, _UPPER] / np.maximum(letters, 1)
    cols["digits"] = counts[:, _DIGIT] / chars
    cols["cjk"] = cjk / chars
    cols["spaces"] = counts[:, _SPACE] / chars
    cols["ends"] = counts[:, _END]
    cols["commas"] = counts[:, _COMMA]
    cols["seps"] = counts[:, _SEP]
    cols["quotes"] = counts[:, _QUOTE]
    cols["punct"] = (counts[:, _PUNCT] + counts[:, _SEP] + counts[:, _QUOTE]) / chars
    cols["symbols"] = counts[:, _SYMBOL]
    cols["title_words"] = heads[:, _UPPER] / np.maximum(latin_words, 1)
    cols["lower_words"] = heads[:, _LOWER] / np.maximum(latin_words, 1)
    cols["word_len"] = letters / np.maximum(words, 1)
    end_like = (last == _END) | (((last == _QUOTE) | (last == _PUNCT)) & (before_last == _END))
    cols["end_sentence"] = end_like.astype(np.float64)
    cols["end_colon"] = (last == _COMMA).astype(np.float64)
    cols["end_letter"] = np.isin(last, _WORDISH).astype(np.float64)
    cols["first_upper"] = (first == _UPPER).astype(np.float64)
    cols["first_lower"] = (first == _LOWER).astype(np.float64)
    cols["first_digit"] = (first == _DIGIT).astype(np.float64)
    cols["first_punct"] = np.isin(first, (_PUNCT, _SYMBOL, _SEP, _QUOTE)).astype(np.float64)
    cols["prose"] = (end_like & (words >= 8)).astype(np.float64)
    return word_start


def _token_hashes(
    low: np.ndarray, cls: np.ndarray, wordish: np.ndarray, word_start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(start offset, hash) of every token: runs of letters/digits/marks, and each CJK character alone."""
    n = len(low)
    nxt = np.empty_like(wordish)
    nxt[-1] = False
    nxt[:-1] = wordish[1:]
    t_start = np.flatnonzero(word_start)
    t_end = np.flatnonzero(wordish & ~nxt) + 1
    cjk = cls == _CJK_LETTER
    if cjk.any():
        c_pos = np.flatnonzero(cjk)
        t_start = np.concatenate([t_start, c_pos])
        t_end = np.concatenate([t_end, c_pos + 1])
        order = np.argsort(t_start, kind="stable")
        t_start, t_end = t_start[order], t_end[order]
    pw, ipw = _power_tables(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(low.astype(np.uint64) * pw[:n], out=prefix[1:])
        hashes = (prefix[t_end] - prefix[t_start]) * ipw[t_start]
    return t_start, hashes


def _token_features(
    cols: dict[str, np.ndarray],
    low: np.ndarray,
    cls: np.ndarray,
    wordish: np.ndarray,
    word_start: np.ndarray,
    char_line: np.ndarray,
    n: int,
) -> None:
    t_start, hashes = _token_hashes(low, cls, wordish, word_start)
    t_line = char_line[t_start]
    n_tok = np.bincount(t_line, minlength=n).astype(np.float64)
    uk, uv, bk, bv = _lexicon()
    bits = _lookup(hashes, uk, uv)
    if len(hashes) > 1:
        with np.errstate(over="ignore"):
            bigrams = hashes[:-1] * _BIGRAM_MIX + hashes[1:]
        bits[:-1] |= np.where(t_line[1:] == t_line[:-1], _lookup(bigrams, bk, bv), 0)
    width = len(_KEY_KINDS) + 1  # keyword kinds and the stopword bit
    hit = np.flatnonzero(bits)
    rows, which = np.nonzero((bits[hit, None] >> np.arange(width)) & 1)
    per_line = (
        np.bincount(t_line[hit][rows] * width + which, minlength=n * width)
        .reshape(n, width)
        .astype(np.float64)
    )
    for k, kind in enumerate(_KEY_KINDS):
        cols["kw_" + kind] = per_line[:, k]
    cols["stopwords"] = per_line[:, -1] / np.maximum(n_tok, 1)
    cols["tags_head"] = _first_token_has(bits, t_line, n, _TAG_BIT)
    cols["tokens"] = n_tok
    # tokens frequent on the page: the function words of any language, where no stopword list helps
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    frequent = counts[inverse] >= 4
    cols["frequent_tokens"] = np.bincount(t_line, weights=frequent, minlength=n) / np.maximum(n_tok, 1)
    cols["shared_phrases"] = _shared_phrases(hashes, t_line, n) / np.maximum(n_tok, 1)


def _first_token_has(bits: np.ndarray, t_line: np.ndarray, n: int, bit: int) -> np.ndarray:
    """1.0 for lines whose first token carries ``bit`` in the lexicon."""
    if not len(t_line):
        return np.zeros(n)
    first = np.minimum(np.searchsorted(t_line, np.arange(n)), len(t_line) - 1)
    ok = t_line[first] == np.arange(n)
    return (ok & ((bits[first] & bit) > 0)).astype(np.float64)


def _lookup(hashes: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values[k] where hashes == keys[k] (keys sorted), else 0."""
    if not len(keys) or not len(hashes):
        return np.zeros(len(hashes), dtype=np.int64)
    pos = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
    return np.where(keys[pos] == hashes, values[pos], 0)


def _shared_phrases(hashes: np.ndarray, t_line: np.ndarray, n: int, size: int = 4) -> np.ndarray:
    """Per line: tokens starting a ``size``-token phrase that occurs on another line of the page too."""
    m = len(hashes) - size + 1
    if m <= 1:
        return np.zeros(n)
    with np.errstate(over="ignore"):
        grams = hashes[:m].copy()
        for j in range(1, size):
            grams = grams * _BIGRAM_MIX + hashes[j : j + m]
    ok = t_line[:m] == t_line[size - 1 : size - 1 + m]  # the phrase does not cross a line
    grams, lines_of = grams[ok], t_line[:m][ok]
    if not len(grams):
        return np.zeros(n)
    # a phrase counts when it occurs on at least two distinct lines
    order = np.lexsort((lines_of, grams))
    g, ln = grams[order], lines_of[order]
    new_gram = np.concatenate(([True], g[1:] != g[:-1]))
    gram_id = np.cumsum(new_gram) - 1
    distinct = np.concatenate(([True], (g[1:] != g[:-1]) | (ln[1:] != ln[:-1])))
    lines_per_gram = np.bincount(gram_id, weights=distinct)
    shared = lines_per_gram[gram_id] >= 2
    return np.bincount(ln, weights=shared, minlength=n)


def _repeat_counts(lines: list[str]) -> np.ndarray:
    counts = Counter(lines)
    return np.fromiter((counts[line] for line in lines), dtype=np.float64, count=len(lines))


def _group_features(groups: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Size of each line's blank-line group, the line's place in it, and the group's words."""
    _, gid, size = np.unique(groups, return_inverse=True, return_counts=True)
    first = np.concatenate(([0], np.flatnonzero(np.diff(gid)) + 1))
    pos = np.arange(len(groups)) - np.repeat(first, size)
    gw = np.bincount(gid, weights=words)
    return size[gid].astype(np.float64), pos.astype(np.float64), gw[gid]


def _shifted(x: np.ndarray, k: int, fill: float = -1.0) -> np.ndarray:
    """Rows of x moved down by k (k > 0: the row k lines above; k < 0: below), ``fill`` past the ends."""
    out = np.full_like(x, fill)
    if k > 0:
        out[k:] = x[:-k]
    elif k < 0:
        out[:k] = x[-k:]
    return out


def _window_means(x: np.ndarray, radius: int) -> np.ndarray:
    """Mean of each column of x over the lines within ``radius`` of each line."""
    n = len(x)
    c = np.zeros((n + 1, x.shape[1]))
    np.cumsum(x, axis=0, out=c[1:])
    idx = np.arange(n)
    lo = np.maximum(idx - radius, 0)
    hi = np.minimum(idx + radius + 1, n)
    return (c[hi] - c[lo]) / (hi - lo)[:, None]


def _run_length(flag: np.ndarray) -> np.ndarray:
    """Length of the run of consecutive flagged lines each line belongs to (0 for unflagged lines)."""
    edge = np.diff(np.concatenate(([0], flag.astype(np.int8), [0])))
    run_start = np.flatnonzero(edge == 1)
    run_len = np.flatnonzero(edge == -1) - run_start
    out = np.zeros(len(flag))
    if len(run_start):
        out[flag] = np.repeat(run_len, run_len)
    return out


def _distance_to(flag: np.ndarray, direction: int) -> np.ndarray:
    """Lines to the nearest flagged line above (direction -1) or below (+1); 999 when none."""
    n = len(flag)
    idx = np.arange(n)
    if direction < 0:
        last = np.maximum.accumulate(np.where(flag, idx, -1))
        prev = np.concatenate(([-1], last[:-1]))
        return np.where(prev >= 0, idx - prev, 999).astype(np.float64)
    nxt = np.minimum.accumulate(np.where(flag, idx, n)[::-1])[::-1]
    after = np.concatenate((nxt[1:], [n]))
    return np.where(after < n, after - idx, 999).astype(np.float64)


_NEIGHBOUR_COLS = (
    "logw",
    "prose",
    "end_sentence",
    "title_words",
    "stopwords",
    "dated",
    "furniture",
    "frequent_tokens",
)
_WINDOW_COLS = (
    "prose",
    "logw",
    "furniture",
    "dated",
    "stopwords",
    "headline_like",
    "title_words",
    "frequent_tokens",
)


def _context_features(cols: dict[str, np.ndarray], n: int) -> None:
    """Where the line sits: neighbours, windows, distance to prose and to time/byline furniture."""
    words = cols["words"]
    prose = cols["prose"]
    cols["logw"] = np.log1p(words)
    prose_words = words * prose
    total = max(prose_words.sum(), 1.0)
    idx = np.arange(n, dtype=np.float64)
    cols["position"] = idx / max(n - 1, 1)
    cols["log_lines"] = np.full(n, np.log1p(n))
    cols["rel_logw"] = cols["logw"] / max(cols["logw"].max(), 1.0)
    cols["prose_before"] = (np.cumsum(prose_words) - prose_words) / total
    cols["prose_after"] = 1.0 - cols["prose_before"] - prose_words / total
    dated = ((cols["kw_month"] + cols["kw_time"] + cols["kw_day"]) > 0) & (words <= 12)
    cols["dated"] = dated.astype(np.float64)
    cols["furniture"] = np.minimum(
        cols["kw_nav"] + cols["kw_share"] + cols["kw_legal"] + cols["kw_promo"] + cols["kw_rail"], 3.0
    )
    cols["headline_like"] = (
        (words >= 4) & (words <= 20) & (cols["end_sentence"] == 0) & (cols["title_words"] >= 0.3)
    ).astype(np.float64)
    # markers that close an article: a tags line, a "Related" / "Most read" / "Comments" / "Share" heading
    closing = ((cols["tags_head"] > 0) & (words <= 40)) | (
        (words <= 5) & ((cols["kw_rail"] + cols["kw_comment"] + cols["kw_share"]) > 0)
    )
    above = np.cumsum(closing) - closing
    cols["closers_above"] = np.minimum(above, 5.0)
    cols["tags_above"] = (np.cumsum(cols["tags_head"]) - cols["tags_head"] > 0).astype(np.float64)
    cols["dist_closer_above"] = _distance_to(closing, -1)
    cols["prose_run"] = _run_length(prose > 0)
    cols["text_run"] = _run_length(words >= 6)
    base = np.column_stack([cols[c] for c in _NEIGHBOUR_COLS])
    for k in (1, 2, 3):
        for sign, tag in ((1, "prev"), (-1, "next")):
            moved = _shifted(base, sign * k)
            for j, name in enumerate(_NEIGHBOUR_COLS):
                cols[f"{tag}{k}_{name}"] = moved[:, j]
    win = np.column_stack([cols[c] for c in _WINDOW_COLS])
    for radius in (2, 5, 12, 30):
        means = _window_means(win, radius)
        for j, name in enumerate(_WINDOW_COLS):
            cols[f"win{radius}_{name}"] = means[:, j]
    cols["dist_prose_above"] = _distance_to(prose > 0, -1)
    cols["dist_prose_below"] = _distance_to(prose > 0, 1)
    cols["dist_dated_above"] = _distance_to(dated, -1)
    cols["dist_dated_below"] = _distance_to(dated, 1)
    biggest = int(np.argmax(prose_words)) if total > 1 else 0
    cols["from_biggest"] = (idx - biggest) / max(n, 1)


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
    for i in np.flatnonzero(maybe_by | maybe_date | maybe_credit):
        role = _short_role(lines[i], float(words[i]), bool(maybe_by[i]), bool(maybe_date[i]))
        if role:
            roles[i] = role
    for i in np.flatnonzero(words <= 40):
        if not roles[i] and lines[i][:14].lower().startswith(_TAG_HEADS) and tags_role(lines[i]):
            roles[i] = "tags"
    for i in np.flatnonzero((feats["repeats"] > 1) & (words >= 4)):
        if not roles[i]:
            roles[i] = "repeat"
    _mark_caption_repeats(lines, roles)
    return roles


def _short_role(text: str, words: float, maybe_by: bool, maybe_date: bool) -> str:
    if maybe_by and _BYLINE_START.match(text):
        m = BYLINE.match(text)
        if m and _names_like(m.group("names")):
            return "byline"
    if maybe_date and find_date(text) and len(_WORD.findall(_strip_dates(text))) <= 4:
        return "dateline"
    if _CREDIT_LINE.match(text) or _CREDIT_PAREN.fullmatch(text):
        return "credit"
    if _CREDIT_PAREN.search(text):
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
