"""Block features for HTML pages, computed as arrays over all blocks of a page at once.

Two sets, for the two models of the body stage (``body_html``):

* ``block_features`` — what a block gives away by itself and by where it sits: its text (length,
  link density, punctuation, stopword share, digits), its kind and tag, the structural tags and
  class/id word groups of its containers, its position, its neighbours, and the statistics of the
  containers around it (how much text, how much of it links, how much of it prose).
* ``context_features`` — the same plus page-level reasoning over the first model's scores: the
  scores of the neighbours, the container with the most article-like text and whether the block is
  in it, and where the block lies relative to the run of confident body blocks (before the article,
  inside it, after it — where comments, teasers and promo boxes live).

Only a short loop over blocks touches Python strings; everything else is numpy over the page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np

from ..article import Candidate
from .compiled import compiled
from .html import STRUCT_TAGS, WORD_GROUPS, Layout, by_first_character

__all__ = [
    "BLOCK_FEATURES",
    "CALL_TO_ACT",
    "CONTEXT_FEATURES",
    "PageArrays",
    "block_features",
    "context_features",
]

#: Frequent function words of the languages of the development sets; their share marks running prose.
_STOPWORDS = frozenset(
    """the and of to in is that for it was on with as be at by this have from are but not they his her
    which their has had been were would will said there when who an or we you
    der die das und ist nicht sich mit auf dem den ein eine auch es zu von im für dass wie
    le la les et est un une des du que qui dans pour pas sur avec il elle au ce
    el los las y en por con una para del se lo como más di che è per non sono della nel
    het een van zijn niet op voor dat não uma os em do da się nie jest na że w i z""".split()
)
#: Openings of furniture lines in the languages of the development sets (bylines, credits, calls to act),
#: each after a newline: searched in the page's blocks joined by newlines (one regex pass, not one per block).
#: Regex fragments, matched ignoring case; each opens with one plain character.
_FURNITURE_OPENINGS = (
    "by ", "von ", "par ", "por ", "door ", "photo", "foto", "image", "bild", "credit", "©", r"\(c\)", "copyright",
    "advertisement", "anzeige", "werbung", "read more", "read also", "see also", "more:", "weiterlesen",
    "lesen sie", "mehr zum", "mehr zu", "related", "share", "teilen", "follow", "sign up", "subscribe", "abonn",
    "newsletter", r"comments?\b", "kommentar", "leave a reply", "posted in", "filed under", r"tags?:", "schlagw",
    "themen:", "all rights reserved", "click here", "klicken sie", "download", "watch:", "listen:", "updated",
    "published", "veröffentlicht", "aktualisiert", "stand:", "last updated", "source:", "quelle:",
)  # fmt: skip


_FURNITURE = re.compile(r"\n" + by_first_character(_FURNITURE_OPENINGS, ignore_case=True))
_CALLS_TO_ACT = (
    "newsletter", "subscri", "sign ?up", "sponsored", "suscr", "spenden", "abonn", "anmelden", "advertis",
    "regist(?:er|rier)", r"log ?in\b", "werbung", "cookie", "download (?:the|our) app", "donate", "follow us",
    "folgen sie", "jetzt (?:lesen|testen|sichern)", "inscri", "iscriviti", "premium", "paywall",
)  # fmt: skip
#: Calls to act anywhere in a short block: newsletter, subscription, sign-up and advertising boxes. Matched
#: on lower-cased text.
CALL_TO_ACT = re.compile(by_first_character(_CALLS_TO_ACT))
_MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    "januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
)  # fmt: skip
#: Dates and times in short blocks (the month names ignoring case, grouped as ``html.by_first_character`` does).
_DATE = re.compile(
    r"\b(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|"
    + by_first_character(_MONTHS, ignore_case=True)
    + r"(?i:[a-z]*\.? \d{1,2}\b))"
)
_TERMINAL = frozenset(".!?…。！？\"'”’»)")
_TEXT = attrgetter("text")
_LINK_CHARS = attrgetter("link_chars")
_CONTAINER = attrgetter("container")
_LEVEL = attrgetter("level")
_FIRST = itemgetter(0)
_LAST = itemgetter(-1)
_ANCESTORS = attrgetter("ancestors")
_KIND = attrgetter("kind")
_TAG = attrgetter("tag")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_KINDS = ("paragraph", "heading", "list_item", "quote", "table", "code", "caption", "embed")
_TAGS = ("p", "div", "li", "td", "h", "blockquote", "pre", "section", "article", "span", "dd", "figcaption")
_TAG_GROUP = {**{t: t for t in _TAGS}, "th": "td", "dt": "dd", "h1": "h", "h2": "h", "h3": "h", "h4": "h"}
_TAG_GROUP.update({"h5": "h", "h6": "h", "center": "div", "main": "article", "header": "section"})
_TAG_GROUP.update({"footer": "section", "aside": "section", "nav": "section", "body": "div"})
_GROUPS = tuple(WORD_GROUPS)
#: Kinds and tag groups as small integers: comparing integer arrays beats building string arrays.
_KIND_CODE = {k: i for i, k in enumerate(_KINDS)}
_TAG_CODE = {tag: _TAGS.index(group) for tag, group in _TAG_GROUP.items()}

BLOCK_FEATURES: list[str] = [
    "log_chars", "log_words", "link_density", "has_link", "comma_rate", "period_rate", "terminal_end",
    "starts_upper", "digit_share", "upper_share", "stop_share", "word_len", "sentences", "furniture",
    "date_like", "repeated", "promo", "is_prose",
    *(f"kind_{k}" for k in _KINDS), "heading_level", *(f"tag_{t}" for t in _TAGS),
    "depth", "depth_rel", *(f"in_{t}" for t in STRUCT_TAGS),
    *(f"own_{g}" for g in _GROUPS), *(f"par_{g}" for g in _GROUPS), *(f"anc_{g}" for g in _GROUPS),
    "pos_block", "pos_chars", "chars_before", "chars_after",
    "prev_chars", "prev_link", "prev_prose", "prev_same", "next_chars", "next_link", "next_prose", "next_same",
    "win_chars", "win_link", "win_prose",
    *(f"{c}_{s}" for c in ("c1", "c2", "c3") for s in ("blocks", "chars", "link", "share", "prose", "words_in")),
    "page_chars", "page_link", "page_blocks", "page_article", "page_main", "page_prose",
]  # fmt: skip

CONTEXT_FEATURES: list[str] = [
    *BLOCK_FEATURES,
    "p", "p_w1", "p_w3", "p_w7", "p_prev", "p_next",
    "c1_p", "c2_p", "c3_p", "in_best", "best_depth_rel", "best_share", "best_p",
    "before_first", "after_last", "dist_first", "dist_last", "mass_before", "mass_after",
    "page_p_max", "page_p_mass",
]  # fmt: skip


@dataclass(slots=True)
class PageArrays:
    """What the features and the decisions share: per-block lengths and the block → container pairs."""

    chars: np.ndarray  # float, text length per block
    prose: np.ndarray  # bool, reads like prose
    pair_block: np.ndarray  # int, with pair_cont: each (block, container holding it)
    pair_cont: np.ndarray
    n_containers: int
    depth: np.ndarray  # per container
    cont: np.ndarray  # per block: its innermost container, that one's parent, and grandparent
    c2: np.ndarray
    c3: np.ndarray


def _text_stats(cands: list[Candidate]) -> np.ndarray:
    """Text statistics per block, counted over the page's text at once (character classes as arrays)."""
    texts = list(map(_TEXT, cands))
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined = "\n".join(texts)
    lowered = joined.lower()
    counted = COMPILED_COUNTS(texts, _STOPWORDS) if COMPILED_COUNTS is not None else None
    if counted is not None:
        spaces, cjk, digits, upper, commas, periods, stops = counted.T
    else:
        spaces, cjk, digits, upper, commas, periods, stops = _counts(texts, joined, lowered, starts)
    words = spaces + 1 + cjk // 2
    terminal = np.fromiter(map(_TERMINAL.__contains__, map(_LAST, texts)), dtype=bool, count=n)
    counts = Counter(texts)
    links = np.fromiter(map(_LINK_CHARS, cands), dtype=np.float64, count=n)
    chars = lengths.astype(np.float64)
    # date and promo cues only count in short blocks: only those are searched
    dated = (words < 15) & (digits > 0)
    short = words < 40
    cols = [
        chars,
        words,
        links / chars,
        commas / words,
        periods / words,
        terminal,
        np.fromiter(map(str.isupper, map(_FIRST, texts)), dtype=bool, count=n),
        digits / chars,
        upper / chars,
        stops / words,
        chars / words,
        periods + terminal,
        _opening_with(_FURNITURE, joined, starts),
        _lines_matching(_DATE, texts, dated),
        np.fromiter(map(counts.__getitem__, texts), dtype=np.int64, count=n) > 1,
        _lines_matching(CALL_TO_ACT, lowered.split("\n"), short),
    ]
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols])


def _counts(texts: list[str], joined: str, lowered: str, starts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per block: spaces, CJK characters, digits, upper-case letters, commas, periods (a full stop before a
    space, or an ideographic one) and stop words, counted over the page's text at once (character classes as
    arrays; ``_counts.pyx`` counts the same in C). ``joined``: the blocks joined by newlines; ``lowered``: that
    lower-cased."""
    n = len(texts)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)

    def per_block(mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask.astype(np.float64), starts)

    spaces = per_block(cp == 32)
    cjk = per_block(((cp >= 0x3040) & (cp <= 0x9FFF)) | ((cp >= 0xAC00) & (cp <= 0xD7AF)))
    digits = per_block((cp >= 48) & (cp <= 57))
    upper = per_block(((cp >= 65) & (cp <= 90)) | ((cp >= 0xC0) & (cp <= 0xDE)))
    commas = per_block((cp == 44) | (cp == 0x3001) | (cp == 0xFF0C))
    period_space = np.zeros(len(cp), dtype=bool)
    period_space[:-1] = (cp[:-1] == 46) & (cp[1:] == 32)
    periods = per_block(period_space | (cp == 0x3002))
    tokens = lowered.split()
    if len(tokens) == int(spaces.sum()) + n:  # one token per space-separated word, as the text is normalised
        stop_hits = np.fromiter(map(_STOPWORDS.__contains__, tokens), dtype=bool, count=len(tokens))
        token_start = np.concatenate(([0], np.cumsum(spaces + 1)[:-1])).astype(np.int64)
        stops = np.add.reduceat(stop_hits, token_start, dtype=np.float64)
    else:
        stops = np.fromiter(
            (sum(map(_STOPWORDS.__contains__, t.lower().split())) for t in texts), dtype=np.float64, count=n
        )
    return spaces, cjk, digits, upper, commas, periods, stops


#: The compiled per-block counts, or None: ``_counts`` runs.
COMPILED_COUNTS: Any = compiled("_counts", "counts")


def _opening_with(pattern: re.Pattern[str], joined: str, starts: np.ndarray) -> np.ndarray:
    """Which blocks open with what ``pattern`` matches after a newline; ``joined``: the blocks joined by
    newlines (they hold none), ``starts``: where each begins in it."""
    out = np.zeros(len(starts), dtype=bool)
    found = [m.start() for m in pattern.finditer("\n" + joined)]  # block i's newline is at starts[i]
    if found:
        out[np.searchsorted(starts, found)] = True
    return out


def _lines_matching(pattern: re.Pattern[str], texts: list[str], which: np.ndarray) -> np.ndarray:
    """Which of the blocks ``which`` selects hold a match: one regex pass over them joined, not one per block."""
    out = np.zeros(len(texts), dtype=bool)
    chosen = np.flatnonzero(which)
    if not len(chosen):
        return out
    picked = [texts[i] for i in chosen.tolist()]
    lengths = np.fromiter(map(len, picked), dtype=np.int64, count=len(picked))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    found = [m.start() for m in pattern.finditer("\n".join(picked))]
    if found:
        out[chosen[np.searchsorted(starts, np.asarray(found), side="right") - 1]] = True
    return out


def _bits(values: np.ndarray, n_bits: int) -> np.ndarray:
    return ((values[:, None] >> np.arange(n_bits)) & 1).astype(np.float64)


def page_arrays(cands: list[Candidate], layout: Layout, stats: np.ndarray) -> PageArrays:
    lengths = np.fromiter(map(len, map(_ANCESTORS, cands)), dtype=np.int64, count=len(cands))
    pair_cont = np.fromiter(chain.from_iterable(map(_ANCESTORS, cands)), dtype=np.int64)
    pair_block = np.repeat(np.arange(len(cands)), lengths)
    prose = (stats[:, 1] >= 8) & (stats[:, 5] > 0) & (stats[:, 2] < 0.3)
    cont = np.fromiter(map(_CONTAINER, cands), dtype=np.int64, count=len(cands))
    parent = np.asarray(layout.parent, dtype=np.int64)
    c2 = np.where(parent[cont] >= 0, parent[cont], cont)
    c3 = np.where(parent[c2] >= 0, parent[c2], c2)
    return PageArrays(
        chars=stats[:, 0],
        prose=prose,
        pair_block=pair_block,
        pair_cont=pair_cont,
        n_containers=len(layout.tag),
        depth=np.asarray(layout.depth, dtype=np.float64),
        cont=cont,
        c2=c2,
        c3=c3,
    )


def container_sum(arr: PageArrays, values: np.ndarray) -> np.ndarray:
    """Sum of a per-block value over every container's blocks."""
    return np.bincount(arr.pair_cont, weights=values[arr.pair_block], minlength=arr.n_containers)


def _window(values: np.ndarray, k: int) -> np.ndarray:
    """Sum over the block and its k neighbours on each side."""
    c = np.concatenate(([0.0], np.cumsum(values)))
    n = len(values)
    idx = np.arange(n)
    return c[np.minimum(idx + k + 1, n)] - c[np.maximum(idx - k, 0)]


def block_features(cands: list[Candidate], layout: Layout) -> tuple[np.ndarray, PageArrays]:
    """The ``BLOCK_FEATURES`` matrix of a page (one row per candidate) and the shared arrays."""
    n = len(cands)
    stats = _text_stats(cands)
    arr = page_arrays(cands, layout, stats)
    chars, prose = arr.chars, arr.prose.astype(np.float64)
    links = stats[:, 2] * chars
    cont, c2, c3 = arr.cont, arr.c2, arr.c3
    words = np.asarray(layout.words, dtype=np.int64)
    anc_words = np.asarray(layout.ancestor_words, dtype=np.int64)
    tags = np.asarray(layout.tags, dtype=np.int64)
    depth = arr.depth[cont]
    total = chars.sum()
    # map over C callables, not generator expressions: no Python frame per block
    kinds = np.fromiter(map(_KIND_CODE.get, map(_KIND, cands), repeat(-1)), dtype=np.int64, count=n)
    tag_group = np.fromiter(map(_TAG_CODE.get, map(_TAG, cands), repeat(-1)), dtype=np.int64, count=n)

    cols: list[np.ndarray] = [
        np.log1p(chars),
        np.log1p(stats[:, 1]),
        stats[:, 2],
        (stats[:, 2] > 0).astype(np.float64),
        *stats[:, 3:16].T,
        prose,
        *(kinds == k for k in range(len(_KINDS))),
        np.fromiter(map(_LEVEL, cands), dtype=np.float64, count=n),
        *(tag_group == t for t in range(len(_TAGS))),
        depth,
        depth - np.median(depth),
        _bits(tags[cont], len(STRUCT_TAGS)).T,
        _bits(words[cont], len(_GROUPS)).T,
        _bits(words[c2], len(_GROUPS)).T,
        _bits(anc_words[cont] | words[cont], len(_GROUPS)).T,
    ]
    before = np.cumsum(chars) - chars
    cols += [np.arange(n) / max(n - 1, 1), before / total, np.log1p(before), np.log1p(total - before - chars)]
    cols += _neighbours(cont, chars, stats[:, 2], prose)
    cols += _containers(arr, (cont, c2, c3), chars, links, prose, total)
    page_link = links.sum() / total
    has = tags[cont]
    cols += [
        np.full(n, np.log1p(total)),
        np.full(n, page_link),
        np.full(n, np.log1p(n)),
        np.full(n, float((has & (1 << STRUCT_TAGS.index("article"))).any())),
        np.full(n, float((has & (1 << STRUCT_TAGS.index("main"))).any())),
        np.full(n, (chars * prose).sum() / total),
    ]
    return _stack(cols, n), arr


def _stack(cols: list[np.ndarray], n: int) -> np.ndarray:
    """The columns (1-D, or 2-D with one row per column) side by side as an n-row matrix, filled in place."""
    width = sum(1 if c.ndim == 1 else c.shape[0] for c in cols)
    out = np.empty((n, width))
    at = 0
    for c in cols:
        if c.ndim == 1:
            out[:, at] = c
            at += 1
        else:
            out[:, at : at + c.shape[0]] = c.T
            at += c.shape[0]
    return out


def _neighbours(cont: np.ndarray, chars: np.ndarray, link: np.ndarray, prose: np.ndarray) -> list[np.ndarray]:
    def shift(v: np.ndarray, k: int, fill: float) -> np.ndarray:
        out = np.full_like(v, fill, dtype=np.float64)
        if k > 0:
            out[k:] = v[:-k]
        else:
            out[:k] = v[-k:]
        return out

    log_chars = np.log1p(chars)
    win_chars = _window(chars, 3)
    return [
        shift(log_chars, 1, 0.0),
        shift(link, 1, 0.0),
        shift(prose, 1, 0.0),
        (shift(cont.astype(np.float64), 1, -1.0) == cont).astype(np.float64),
        shift(log_chars, -1, 0.0),
        shift(link, -1, 0.0),
        shift(prose, -1, 0.0),
        (shift(cont.astype(np.float64), -1, -1.0) == cont).astype(np.float64),
        np.log1p(win_chars),
        _window(link * chars, 3) / win_chars,
        _window(prose * chars, 3) / win_chars,
    ]


def _containers(
    arr: PageArrays,
    levels: tuple[np.ndarray, ...],
    chars: np.ndarray,
    links: np.ndarray,
    prose: np.ndarray,
    total: float,
) -> list[np.ndarray]:
    """Blocks, text, link density, page share and prose share of three levels of container."""
    n_blocks = container_sum(arr, np.ones_like(chars))
    c_chars = container_sum(arr, chars)
    c_links = container_sum(arr, links)
    c_prose = container_sum(arr, prose * chars)
    out: list[np.ndarray] = []
    for ids in levels:
        cc = np.maximum(c_chars[ids], 1.0)
        out += [
            np.log1p(n_blocks[ids]),
            np.log1p(cc),
            c_links[ids] / cc,
            cc / total,
            c_prose[ids] / cc,
            chars / cc,
        ]
    return out


def context_features(x: np.ndarray, arr: PageArrays, p: np.ndarray) -> np.ndarray:
    """``CONTEXT_FEATURES``: the block features plus page-level reasoning over the first scores ``p``."""
    n = len(p)
    chars = arr.chars
    pw = p * chars
    cols: list[np.ndarray] = [p]
    for k in (1, 3, 7):
        cols.append(_window(pw, k) / _window(chars, k))
    prev = np.concatenate(([0.0], p[:-1]))
    nxt = np.concatenate((p[1:], [0.0]))
    cols += [prev, nxt]
    c_chars = np.maximum(container_sum(arr, chars), 1.0)
    c_p = container_sum(arr, pw) / c_chars
    cont, c2, c3 = arr.cont, arr.c2, arr.c3
    cols += [c_p[cont], c_p[c2], c_p[c3]]
    best, _ = best_container(arr, p)
    in_best = np.zeros(n)
    in_best[arr.pair_block[arr.pair_cont == best]] = 1.0
    total_pos = max(float((pw).sum()), 1.0)
    cols += [
        in_best,
        arr.depth[cont] - arr.depth[best],
        np.full(n, c_chars[best] / max(chars.sum(), 1.0)),
        np.full(n, c_p[best]),
    ]
    confident = np.flatnonzero((p >= 0.7) & arr.prose)
    first, last = (confident[0], confident[-1]) if len(confident) else (0, n - 1)
    idx = np.arange(n)
    mass_before = np.cumsum(pw) - pw
    cols += [
        (idx < first).astype(np.float64),
        (idx > last).astype(np.float64),
        (idx - first) / n,
        (idx - last) / n,
        mass_before / total_pos,
        (total_pos - mass_before - pw) / total_pos,
        np.full(n, p.max()),
        np.full(n, np.log1p(total_pos)),
    ]
    extra = np.vstack([np.asarray(c, dtype=np.float64) for c in cols]).T
    return np.hstack([x, extra])


def best_container(arr: PageArrays, p: np.ndarray, cut: float = 0.5) -> tuple[int, float]:
    """The container that best separates body from the rest: most of Σ (p − cut)·chars inside it."""
    gain = container_sum(arr, (p - cut) * arr.chars)
    best = int(np.argmax(gain))
    return best, float(gain[best])
