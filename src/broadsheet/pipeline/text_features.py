"""Per-line features of a flattened page, computed for the whole page at once.

The page's lines are joined and turned into an array of code points; one look-up in a packed table gives
every character's class, lower-case form and whether it belongs to a word. Per-line counts are
``bincount`` sums; words are hashed with a rolling polynomial hash (prefix sums), so keyword, stopword,
frequent-word, repeated-phrase and URL-slug tests are array look-ups. The result is one matrix with a
row per feature (``FEATURES``) and a column per line, which the tree models read directly.

Speed is the point of this module: a page of 200 lines costs a fixed number of numpy calls (about
150), whatever its length, and no Python loop runs over lines or words. Where the install compiled
``pipeline/_tokens.pyx``, the token counts (keywords, stop words, frequent words, repeated phrases, the URL's
words) come from it instead, the same to the bit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import numpy as np

from .compiled import compiled
from .urls import split_url

__all__ = ["FEATURES", "LineFeatures", "hash_token", "line_features", "token_hashes"]

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
# packed table entry: bits 0-20 lower-case code point, 24-27 class, 28 word character
_CLASS_SHIFT = 24
_WORD_BIT = 1 << 28


def _char_class(cp: int) -> int:
    ch = chr(cp)
    cat = unicodedata.category(ch)
    if ch in ".!?…。！？।॥؟۔‼":
        return _END
    if ch in ",;:，、；：":
        return _COMMA
    if ch in "\"'“”„‘’«»「」『』":
        return _QUOTE
    if ch in "|•·›‹>/\\–—-_~*":
        return _SEP
    if 0x3040 <= cp <= 0x30FF or 0x3400 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF:
        return _CJK_LETTER if cat[0] == "L" else _OTHER
    if cat[0] == "L":
        return _UPPER if cat in ("Lu", "Lt") else _LOWER if cat == "Ll" else _CASELESS
    if cat[0] == "M":
        return _MARK
    if cat == "Nd":
        return _DIGIT
    if cat[0] == "Z" or ch == "\t":
        return _SPACE
    return {"P": _PUNCT, "S": _SYMBOL}.get(cat[0], _OTHER)


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """The packed entry of every BMP code point (built once, about 60 ms)."""
    table = np.empty(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        c = _char_class(cp)
        low = cp
        if c in (_UPPER, _LOWER, _CASELESS):
            lowered = chr(cp).lower()
            low = ord(lowered) if len(lowered) == 1 else cp
        table[cp] = low | (c << _CLASS_SHIFT) | (_WORD_BIT if c in _WORDISH else 0)
    return table


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
# First words of a tags line ("Tags: ...", "Themen: ..."): the line that closes an article.
_TAG_WORDS = "tags tag tagged topics keywords themen schlagworte schlagwörter etiquetas temas mots étiquettes"
_KEY_KINDS = tuple(_KEYWORDS)
_STOP_BIT = 1 << len(_KEY_KINDS)
_TAG_BIT = 1 << (len(_KEY_KINDS) + 1)
_M64 = (1 << 64) - 1
_HASH_R = 1_000_003
_BIGRAM_MIX = 0x9E3779B97F4A7C15
_SLOT_BITS = 16  # direct-mapped tables of 2**16 slots (lexicon, word counts, phrase lines)
_PHRASE = 4  # tokens of a phrase whose repetition on another line ``shared_phrases`` counts


def hash_token(token: str) -> int:
    """The polynomial hash ``token_hashes`` computes with arrays (mod 2**64) of an already lower-cased token."""
    h = 0
    for i, ch in enumerate(token):
        h = (h + ord(ch) * pow(_HASH_R, i, 1 << 64)) & _M64
    return h


def _hash_phrase(token: str) -> int:
    parts = [hash_token(p) for p in token.split("_")]
    if len(parts) == 1:
        return parts[0]
    return (parts[0] * _BIGRAM_MIX + parts[1]) & _M64


def _slots(hashes: np.ndarray, mult: np.uint64) -> np.ndarray:
    """Multiply-shift hashing of 64-bit keys into ``2**_SLOT_BITS`` slots."""
    with np.errstate(over="ignore"):
        return ((hashes * mult) >> np.uint64(64 - _SLOT_BITS)).astype(np.intp)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[np.uint64, np.ndarray, np.ndarray]:
    """A collision-free direct-mapped table of the lexicon: (multiplier, key per slot, bitmask per slot).

    Single words and two-word phrases share the table (their hashes differ); a bitmask holds the keyword
    kinds of the entry, ``_STOP_BIT`` and ``_TAG_BIT``."""
    entries: dict[int, int] = {}
    for k, words in enumerate(_KEYWORDS.values()):
        for word in words.split():
            h = _hash_phrase(word)
            entries[h] = entries.get(h, 0) | (1 << k)
    for bit, words in ((_STOP_BIT, _STOPWORDS), (_TAG_BIT, _TAG_WORDS)):
        for word in words.split():
            h = hash_token(word)
            entries[h] = entries.get(h, 0) | bit
    keys = np.array(sorted(entries), dtype=np.uint64)
    rng = np.random.default_rng(20240501)
    while True:  # draw multipliers until no two entries share a slot (a few draws for ~700 entries)
        mult = np.uint64(int(rng.integers(1, 1 << 62)) * 2 + 1)
        slots = _slots(keys, mult)
        if len(np.unique(slots)) == len(slots):
            break
    table_keys = np.zeros(1 << _SLOT_BITS, dtype=np.uint64)
    table_bits = np.zeros(1 << _SLOT_BITS, dtype=np.int64)
    table_keys[slots] = keys
    table_bits[slots] = [entries[int(h)] for h in keys]
    return mult, table_keys, table_bits


@lru_cache(maxsize=4)
def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """R**i and R**-i mod 2**64 for i < n (R is odd, so it has an inverse)."""
    inv = pow(_HASH_R, -1, 1 << 64)
    pw = np.empty(n, dtype=np.uint64)
    ipw = np.empty(n, dtype=np.uint64)
    pw[0] = ipw[0] = 1
    size = 1  # doubling: the loop runs log2(n) times
    with np.errstate(over="ignore"):
        while size < n:
            step = min(size, n - size)
            pw[size : size + step] = pw[:step] * np.uint64(pow(_HASH_R, size, 1 << 64))
            ipw[size : size + step] = ipw[:step] * np.uint64(pow(inv, size, 1 << 64))
            size += step
    return pw, ipw


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    size = 1 << max(16, (n - 1).bit_length())
    pw, ipw = _powers(size)
    return pw[:n], ipw[:n]


def token_hashes(low: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Hashes of the tokens ``low[start[i]:end[i]]`` (lower-case code points), equal to ``hash_token``."""
    n = len(low)
    pw, ipw = _power_tables(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(low * pw[:n], out=prefix[1:])
        return (prefix[end] - prefix[start]) * ipw[start]


# ----------------------------------------------------------------------------------- feature list

_CHAR_COLS = (
    "chars",
    "log_chars",
    "words",
    "letters",
    "upper",
    "digits",
    "cjk",
    "spaces",
    "ends",
    "commas",
    "seps",
    "quotes",
    "punct",
    "symbols",
    "title_words",
    "lower_words",
    "word_len",
    "end_sentence",
    "end_colon",
    "end_letter",
    "first_upper",
    "first_lower",
    "first_digit",
    "first_punct",
    "prose",
)
_TOKEN_COLS = (
    *(f"kw_{kind}" for kind in _KEY_KINDS),
    "stopwords",
    "tags_head",
    "tokens",
    "frequent_tokens",
    "shared_phrases",
    "url_overlap",
)
_PAGE_COLS = (
    "repeats",
    "group_size",
    "group_pos",
    "group_words",
    "logw",
    "position",
    "log_lines",
    "rel_logw",
    "prose_before",
    "prose_after",
    "dated",
    "furniture",
    "headline_like",
    "closers_above",
    "tags_above",
    "prose_run",
    "text_run",
    "from_biggest",
    "from_slug",
    # distances: to the nearest line above of each kind, then below
    "dist_closer_above",
    "dist_prose_above",
    "dist_dated_above",
    "dist_prose_below",
    "dist_dated_below",
)
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
_SHIFTS = ((1, "prev1"), (-1, "next1"), (2, "prev2"), (-2, "next2"), (3, "prev3"), (-3, "next3"))
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
_RADII = (2, 5, 12, 30)
FEATURES: tuple[str, ...] = (
    *_CHAR_COLS,
    *_TOKEN_COLS,
    *_PAGE_COLS,
    *(f"{tag}_{name}" for _, tag in _SHIFTS for name in _NEIGHBOUR_COLS),
    *(f"win{r}_{name}" for r in _RADII for name in _WINDOW_COLS),
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}
_NB_ROWS = np.array([_INDEX[c] for c in _NEIGHBOUR_COLS])
_WIN_ROWS = np.array([_INDEX[c] for c in _WINDOW_COLS])
_NB_START = _INDEX[f"{_SHIFTS[0][1]}_{_NEIGHBOUR_COLS[0]}"]
_WIN_START = _INDEX[f"win{_RADII[0]}_{_WINDOW_COLS[0]}"]
_DIST_START = _INDEX["dist_closer_above"]
_SHIFT_PAD = max(abs(k) for k, _ in _SHIFTS)
_RADII_COL = np.array(_RADII)[:, None]


@dataclass(slots=True)
class LineFeatures:
    """Per-line numbers of one page: ``x[j]`` is feature ``FEATURES[j]`` of every line."""

    x: np.ndarray  # (len(FEATURES), n) float64
    n: int
    groups: np.ndarray | None = None  # (n,) the blank-line group of each line, when known

    def __getitem__(self, name: str) -> np.ndarray:
        return self.x[_INDEX[name]]

    def rows(self, names: tuple[str, ...] | list[str], lines: np.ndarray | None = None) -> np.ndarray:
        """The features ``names`` as a (len(names), n) matrix; of the lines ``lines`` only, when given (one
        gather, rather than all the lines copied first)."""
        at = _row_index(tuple(names))
        return self.x[at] if lines is None else self.x[at[:, None], lines]

    @property
    def columns(self) -> dict[str, np.ndarray]:
        return {name: self.x[j] for j, name in enumerate(FEATURES)}


@lru_cache(maxsize=16)
def _row_index(names: tuple[str, ...]) -> np.ndarray:
    """The rows of ``names`` in the feature matrix (a few fixed tuples, asked on every page)."""
    at = np.array([_INDEX[name] for name in names], dtype=np.intp)
    at.flags.writeable = False  # shared by every page
    return at


# -------------------------------------------------------------------------------------- features

_SLUG_WORD = re.compile(r"[^\W_]+")


def _slug(url: str | None) -> str:
    """The words of a URL's path, lower case, numbers left out: most news URLs carry the headline."""
    if not url:
        return ""
    path = unquote(split_url(url).path).lower()
    return " ".join(dict.fromkeys(t for t in _SLUG_WORD.findall(path) if not t.isdigit()))


def line_features(lines: list[str], groups: list[int], url: str | None = None) -> LineFeatures:
    """Shape, token, repetition and context features of every line, computed over the whole page."""
    n = len(lines)
    x = np.zeros((len(FEATURES), n))
    if not n:
        return LineFeatures(x, 0)
    slug = _slug(url)
    joined = "\n".join(lines) + "\n" + slug if slug else "\n".join(lines)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    packed = _table().take(cp, mode="clip")  # clip: an astral code point reads entry 0xFFFF, fixed below
    if cp.max() > 0xFFFF:  # emoji and other astral symbols: symbols, not words
        astral = cp > 0xFFFF
        packed[astral] = cp[astral] | (_SYMBOL << _CLASS_SHIFT)
    cls = (packed >> _CLASS_SHIFT) & 15
    wordish = packed >= _WORD_BIT
    lens = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    if slug:
        lens = np.append(lens, len(slug))
    starts = np.zeros(len(lens), dtype=np.int64)
    np.cumsum(lens[:-1] + 1, out=starts[1:])
    char_line = np.repeat(np.arange(len(lens)), lens + 1)[: len(cp)]
    word_start = wordish.copy()
    word_start[1:] &= ~wordish[:-1]
    _char_features(x, cls, word_start, char_line, starts[:n], lens[:n])
    _token_features(x, packed & 0x1FFFFF, cls, wordish, word_start, char_line, n, has_slug=bool(slug))
    x[_INDEX["repeats"]] = _repeat_counts(lines)
    group_of = np.asarray(groups)
    _group_features(x, group_of)
    _context_features(x, n)
    return LineFeatures(x, n, group_of)


def _char_features(
    x: np.ndarray,
    cls: np.ndarray,
    word_start: np.ndarray,
    char_line: np.ndarray,
    starts: np.ndarray,
    lens: np.ndarray,
) -> None:
    """Counts of each character class per line, words, first and last characters."""
    n = len(lens)
    k = _N_CLASSES
    counts = np.bincount(char_line * k + cls, minlength=(n + 1) * k)[: n * k].reshape(n, k).T
    ws = word_start.nonzero()[0]
    heads = np.bincount(char_line[ws] * k + cls[ws], minlength=(n + 1) * k)[: n * k].reshape(n, k).T
    latin_words = heads.sum(axis=0)
    cjk = counts[_CJK_LETTER]
    letters = counts[_UPPER] + counts[_LOWER] + counts[_CASELESS] + cjk
    chars = lens.astype(np.float64)
    words = latin_words + cjk / 2
    last = cls[starts + lens - 1]
    before_last = cls[np.maximum(starts, starts + lens - 2)]
    first = cls[starts]
    per_char = np.reciprocal(chars)
    per_word = np.reciprocal(np.maximum(latin_words, 1).astype(np.float64))
    i = _INDEX
    x[i["chars"]] = chars
    x[i["log_chars"]] = np.log1p(chars)
    x[i["words"]] = words
    x[i["letters"]] = letters * per_char
    x[i["upper"]] = counts[_UPPER] / np.maximum(letters, 1)
    x[i["digits"]] = counts[_DIGIT] * per_char
    x[i["cjk"]] = cjk * per_char
    x[i["spaces"]] = counts[_SPACE] * per_char
    x[i["ends"]] = counts[_END]
    x[i["commas"]] = counts[_COMMA]
    x[i["seps"]] = counts[_SEP]
    x[i["quotes"]] = counts[_QUOTE]
    x[i["punct"]] = (counts[_PUNCT] + counts[_SEP] + counts[_QUOTE]) * per_char
    x[i["symbols"]] = counts[_SYMBOL]
    x[i["title_words"]] = heads[_UPPER] * per_word
    x[i["lower_words"]] = heads[_LOWER] * per_word
    x[i["word_len"]] = letters / np.maximum(words, 1)
    end_like = (last == _END) | (((last == _QUOTE) | (last == _PUNCT)) & (before_last == _END))
    x[i["end_sentence"]] = end_like
    x[i["end_colon"]] = last == _COMMA
    x[i["end_letter"]] = (
        (last == _UPPER) | (last == _LOWER) | (last == _CASELESS) | (last == _DIGIT) | (last == _MARK)
    )
    x[i["first_upper"]] = first == _UPPER
    x[i["first_lower"]] = first == _LOWER
    x[i["first_digit"]] = first == _DIGIT
    x[i["first_punct"]] = (first >= _SEP) & (first <= _SYMBOL)  # separator, quote, punctuation, symbol
    x[i["prose"]] = end_like & (words >= 8)


def _tokens(cls: np.ndarray, wordish: np.ndarray, word_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of every token: runs of letters/digits/marks, and each CJK character alone."""
    word_end = wordish.copy()
    word_end[:-1] &= ~wordish[1:]
    cjk = cls == _CJK_LETTER
    return (word_start | cjk).nonzero()[0], (word_end | cjk).nonzero()[0] + 1


def _token_features(
    x: np.ndarray,
    low: np.ndarray,
    cls: np.ndarray,
    wordish: np.ndarray,
    word_start: np.ndarray,
    char_line: np.ndarray,
    n: int,
    *,
    has_slug: bool,
) -> None:
    t_start, t_end = _tokens(cls, wordish, word_start)
    if COMPILED_TOKENS is not None:
        _token_counts_compiled(x, low, t_start, t_end, char_line, n, has_slug=has_slug)
        return
    hashes = token_hashes(low.astype(np.uint64), t_start, t_end)
    t_line = char_line[t_start]
    if has_slug:  # the URL's words came last, as line n
        cut = int(np.searchsorted(t_line, n))
        slug_hashes = hashes[cut:]
        hashes, t_line = hashes[:cut], t_line[:cut]
    n_tok = np.bincount(t_line, minlength=n).astype(np.float64)
    per_tok = np.reciprocal(np.maximum(n_tok, 1))
    bits = _lexicon_bits(hashes, t_line)
    width = len(_KEY_KINDS) + 1  # keyword kinds and the stopword bit
    hit = bits.nonzero()[0]
    rows, which = np.nonzero((bits[hit, None] >> np.arange(width)) & 1)
    per_line = np.bincount(t_line[hit][rows] * width + which, minlength=n * width).reshape(n, width).T
    x[_INDEX["kw_" + _KEY_KINDS[0]] : _INDEX["kw_" + _KEY_KINDS[-1]] + 1] = per_line[:-1]
    x[_INDEX["stopwords"]] = per_line[-1] * per_tok
    x[_INDEX["tags_head"]] = _first_token_has(bits, t_line, n, _TAG_BIT)
    x[_INDEX["tokens"]] = n_tok
    x[_INDEX["frequent_tokens"]] = np.bincount(t_line, weights=_frequent(hashes), minlength=n) * per_tok
    x[_INDEX["shared_phrases"]] = _shared_phrases(hashes, t_line, n) * per_tok
    x[_INDEX["url_overlap"]] = _url_overlap(hashes, t_line, n, slug_hashes) if has_slug else -1.0


def _token_counts_compiled(
    x: np.ndarray,
    low: np.ndarray,
    t_start: np.ndarray,
    t_end: np.ndarray,
    char_line: np.ndarray,
    n: int,
    *,
    has_slug: bool,
) -> None:
    """``_token_features``' rows from ``_tokens.pyx``'s integer counts, divided as the numpy code divides."""
    _, keys, values = _lexicon()
    page = int(np.searchsorted(char_line[t_start], n)) if has_slug else len(t_start)
    width = len(_KEY_KINDS) + 1  # keyword kinds and the stopword bit
    kinds, n_tok, heads, frequent, shared, overlap, slugs = COMPILED_TOKENS(
        np.ascontiguousarray(low, dtype=np.uint32),
        t_start.astype(np.intp, copy=False),
        t_end.astype(np.intp, copy=False),
        np.ascontiguousarray(char_line, dtype=np.intp),
        n,
        page,
        _HASH_R,
        _BIGRAM_MIX,
        keys,
        values,
        width,
        _TAG_BIT,
        _PHRASE,
    )
    per_tok = np.reciprocal(np.maximum(n_tok.astype(np.float64), 1))
    x[_INDEX["kw_" + _KEY_KINDS[0]] : _INDEX["kw_" + _KEY_KINDS[-1]] + 1] = kinds[:-1]
    x[_INDEX["stopwords"]] = kinds[-1] * per_tok
    x[_INDEX["tags_head"]] = heads
    x[_INDEX["tokens"]] = n_tok
    x[_INDEX["frequent_tokens"]] = frequent.astype(np.float64) * per_tok
    x[_INDEX["shared_phrases"]] = shared.astype(np.float64) * per_tok
    x[_INDEX["url_overlap"]] = overlap / slugs if has_slug and overlap is not None else -1.0


def _lexicon_bits(hashes: np.ndarray, t_line: np.ndarray) -> np.ndarray:
    """Per token: the lexicon bitmask of the token, OR that of the two-word phrase it starts."""
    mult, keys, values = _lexicon()
    if len(hashes) > 1:
        with np.errstate(over="ignore"):
            bigrams = hashes[:-1] * np.uint64(_BIGRAM_MIX) + hashes[1:]
        both = np.concatenate((hashes, bigrams))
    else:
        both = hashes
    slots = _slots(both, mult)
    found = np.where(keys.take(slots) == both, values.take(slots), 0)
    bits = found[: len(hashes)]
    if len(hashes) > 1:
        bits[:-1] |= np.where(t_line[1:] == t_line[:-1], found[len(hashes) :], 0)
    return bits


def _first_token_has(bits: np.ndarray, t_line: np.ndarray, n: int, bit: int) -> np.ndarray:
    """1.0 for lines whose first token carries ``bit`` in the lexicon."""
    if not len(t_line):
        return np.zeros(n)
    first = np.concatenate(([True], t_line[1:] != t_line[:-1])).nonzero()[0]
    out = np.zeros(n)
    out[t_line[first]] = (bits[first] & bit) > 0
    return out


def _frequent(hashes: np.ndarray) -> np.ndarray:
    """Per token: whether its word occurs at least 4 times on the page (the function words of any language,
    where no stopword list helps). Counted in a direct-mapped table; the few words whose slot another word
    shares are counted exactly."""
    slots = _slots(hashes, np.uint64(_BIGRAM_MIX))
    frequent = np.bincount(slots, minlength=1 << _SLOT_BITS).take(slots) >= 4
    owner = np.empty(1 << _SLOT_BITS, dtype=np.uint64)
    owner[slots] = hashes  # the last word written to each slot owns it; read only where written
    clash = np.zeros(1 << _SLOT_BITS, dtype=bool)
    clash[slots[owner.take(slots) != hashes]] = True
    shared = clash.take(slots)
    if shared.any():
        _, inverse, counts = np.unique(hashes[shared], return_inverse=True, return_counts=True)
        frequent[shared] = counts[inverse] >= 4
    return frequent


def _shared_phrases(hashes: np.ndarray, t_line: np.ndarray, n: int, size: int = _PHRASE) -> np.ndarray:
    """Per line: tokens starting a ``size``-token phrase that occurs on another line of the page too."""
    m = len(hashes) - size + 1
    if m <= 1:
        return np.zeros(n)
    with np.errstate(over="ignore"):
        grams = hashes[:m].copy()
        for j in range(1, size):
            grams = grams * np.uint64(_BIGRAM_MIX) + hashes[j : j + m]
    ok = t_line[:m] == t_line[size - 1 : size - 1 + m]  # the phrase does not cross a line
    grams, lines_of = grams[ok], t_line[:m][ok]
    if not len(grams):
        return np.zeros(n)
    # a phrase is shared when the first and the last line it occurs on differ. Lines come in order, so
    # in a direct-mapped table the last write to a slot is its phrase's last line, and writing in reverse
    # leaves its first; the few phrases whose slot another phrase shares are decided by sorting
    slots = _slots(grams, np.uint64(_BIGRAM_MIX))
    first = np.empty(1 << _SLOT_BITS, dtype=lines_of.dtype)
    last = np.empty(1 << _SLOT_BITS, dtype=lines_of.dtype)
    first[slots[::-1]] = lines_of[::-1]
    last[slots] = lines_of
    shared = first.take(slots) != last.take(slots)
    owner = np.empty(1 << _SLOT_BITS, dtype=np.uint64)
    owner[slots] = grams
    clash = np.zeros(1 << _SLOT_BITS, dtype=bool)
    clash[slots[owner.take(slots) != grams]] = True
    mixed = clash.take(slots).nonzero()[0]
    if len(mixed):
        shared[mixed] = _shared_by_sorting(grams[mixed], lines_of[mixed])
    return np.bincount(lines_of, weights=shared, minlength=n)


def _shared_by_sorting(grams: np.ndarray, lines_of: np.ndarray) -> np.ndarray:
    """Per phrase occurrence (lines in order): does the phrase occur on more than one line?"""
    order = np.argsort(grams, kind="stable")  # stable: lines stay in order within equal phrases
    g = grams[order]
    new = np.concatenate(([True], g[1:] != g[:-1]))
    group_start = new.nonzero()[0]
    group_end = np.concatenate((group_start[1:], [len(g)])) - 1
    ln = lines_of[order]
    out = np.empty(len(g), dtype=bool)
    out[order] = (ln[group_start] != ln[group_end])[np.cumsum(new) - 1]
    return out


def _url_overlap(hashes: np.ndarray, t_line: np.ndarray, n: int, slug: np.ndarray) -> np.ndarray:
    """Share of the URL slug's distinct words each line holds (a headline holds most, a section one)."""
    slug = np.unique(slug)
    if not len(slug) or not len(hashes):
        return np.full(n, -1.0)
    pos = np.minimum(np.searchsorted(slug, hashes), len(slug) - 1)
    hit = (slug[pos] == hashes).nonzero()[0]
    # each slug word counts once per line: marked in a (lines x slug words) table, not sorted by np.unique
    seen = np.zeros(n * len(slug), dtype=bool)
    seen[t_line[hit] * len(slug) + pos[hit]] = True
    return np.bincount(seen.nonzero()[0] // len(slug), minlength=n) / len(slug)


def _repeat_counts(lines: list[str]) -> np.ndarray:
    counts = Counter(lines)
    return np.fromiter(map(counts.__getitem__, lines), dtype=np.float64, count=len(lines))


def _group_features(x: np.ndarray, groups: np.ndarray) -> None:
    """Size of each line's blank-line group, the line's place in it, and the group's words."""
    n = len(groups)
    first = np.concatenate(([True], groups[1:] != groups[:-1])).nonzero()[0]
    size = np.diff(np.append(first, n))
    x[_INDEX["group_size"]] = np.repeat(size, size)
    x[_INDEX["group_pos"]] = np.arange(n) - np.repeat(first, size)
    csum = np.concatenate(([0.0], np.cumsum(x[_INDEX["words"]])))
    x[_INDEX["group_words"]] = np.repeat(csum[first + size] - csum[first], size)


def _run_length(flag: np.ndarray) -> np.ndarray:
    """Length of the run of consecutive flagged lines each line belongs to (0 for unflagged lines)."""
    edge = np.diff(np.concatenate(([0], flag.astype(np.int8), [0])))
    run_start = (edge == 1).nonzero()[0]
    run_len = (edge == -1).nonzero()[0] - run_start
    out = np.zeros(len(flag))
    if len(run_start):
        out[flag] = np.repeat(run_len, run_len)
    return out


def _distances(above: np.ndarray, below: np.ndarray) -> np.ndarray:
    """Lines to the nearest flagged line above (for each row of ``above``) and below (``below``); 999 when
    there is none."""
    n = above.shape[1]
    idx = np.arange(n)
    last = np.maximum.accumulate(np.where(above, idx, -1), axis=1)
    prev = np.full_like(last, -1)
    prev[:, 1:] = last[:, :-1]
    up = np.where(prev >= 0, idx - prev, 999)
    nxt = np.minimum.accumulate(np.where(below, idx, n)[:, ::-1], axis=1)[:, ::-1]
    after = np.full_like(nxt, n)
    after[:, :-1] = nxt[:, 1:]
    down = np.where(after < n, after - idx, 999)
    return np.concatenate((up, down))


def _context_features(x: np.ndarray, n: int) -> None:
    """Where the line sits: neighbours, windows, distance to prose and to time/byline furniture."""
    i = _INDEX
    words, prose = x[i["words"]], x[i["prose"]]
    logw = np.log1p(words)
    x[i["logw"]] = logw
    prose_words = words * prose
    total = max(prose_words.sum(), 1.0)
    idx = np.arange(n, dtype=np.float64)
    x[i["position"]] = idx / max(n - 1, 1)
    x[i["log_lines"]] = np.log1p(n)
    x[i["rel_logw"]] = logw / max(logw.max(), 1.0)
    before = (np.cumsum(prose_words) - prose_words) / total
    x[i["prose_before"]] = before
    x[i["prose_after"]] = 1.0 - before - prose_words / total
    kw = x[i["kw_nav"] : i["kw_by"] + 1]
    kinds = {kind: k for k, kind in enumerate(_KEY_KINDS)}
    dated = ((kw[kinds["month"]] + kw[kinds["time"]] + kw[kinds["day"]]) > 0) & (words <= 12)
    x[i["dated"]] = dated
    x[i["furniture"]] = np.minimum(
        kw[[kinds[k] for k in ("nav", "share", "legal", "promo", "rail")]].sum(0), 3.0
    )
    x[i["headline_like"]] = (
        (words >= 4) & (words <= 20) & (x[i["end_sentence"]] == 0) & (x[i["title_words"]] >= 0.3)
    )
    # markers that close an article: a tags line, a "Related" / "Most read" / "Comments" / "Share" heading
    tags = x[i["tags_head"]]
    closing = ((tags > 0) & (words <= 40)) | (
        (words <= 5) & (kw[[kinds["rail"], kinds["comment"], kinds["share"]]].sum(0) > 0)
    )
    x[i["closers_above"]] = np.minimum(np.cumsum(closing) - closing, 5.0)
    x[i["tags_above"]] = np.cumsum(tags) - tags > 0
    is_prose = prose > 0
    x[i["prose_run"]] = _run_length(is_prose)
    x[i["text_run"]] = _run_length(words >= 6)
    biggest = int(np.argmax(prose_words)) if total > 1 else 0
    x[i["from_biggest"]] = (idx - biggest) / max(n, 1)
    overlap = x[i["url_overlap"]]
    best = int(np.argmax(overlap))
    x[i["from_slug"]] = np.clip(idx - best, -50, 50) if overlap[best] >= 0.5 else -99.0
    x[_DIST_START : _DIST_START + 5] = _distances(
        np.stack((closing, is_prose, dated)), np.stack((is_prose, dated))
    )
    _neighbours(x, n)


def _neighbours(x: np.ndarray, n: int) -> None:
    """Features of the lines 1-3 above and below, and means over windows of 2 to 30 lines around."""
    base = x[_NB_ROWS]
    pad = _SHIFT_PAD
    padded = np.full((len(_NEIGHBOUR_COLS), n + 2 * pad), -1.0)  # -1: no line there
    padded[:, pad : pad + n] = base
    x[_NB_START : _NB_START + len(_SHIFTS) * len(_NEIGHBOUR_COLS)] = np.concatenate(
        [padded[:, pad - k : pad - k + n] for k, _ in _SHIFTS]
    )
    win = x[_WIN_ROWS]
    c = np.zeros((len(_WINDOW_COLS), n + 1))
    np.cumsum(win, axis=1, out=c[:, 1:])
    idx = np.arange(n)
    lo = np.maximum(idx - _RADII_COL, 0)  # (radii, lines)
    hi = np.minimum(idx + _RADII_COL + 1, n)
    means = (c[:, hi] - c[:, lo]) / (hi - lo)  # (window features, radii, lines)
    x[_WIN_START : _WIN_START + len(_RADII) * len(_WINDOW_COLS)] = means.transpose(1, 0, 2).reshape(-1, n)


#: ``pipeline._tokens.token_counts`` where the install built it (else ``_token_features``' numpy code runs).
COMPILED_TOKENS: Any = compiled("_tokens", "token_counts")
