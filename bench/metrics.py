"""Scores, each a small function. The body metric follows the scrapinghub article-extraction benchmark:
``\\w+`` tokens, 4-token shingles counted as a multiset, per-page tp/fp/fn normalised to sum to one,
precision averaged over pages that predicted something, recall over pages whose truth has text, and
F1 as the harmonic mean of the two means. One departure: invisible characters (soft hyphens, zero-width
spaces and joiners, the BOM) are removed before tokenising, on both sides. A soft hyphen inside a word
would otherwise split it into tokens that a text without it does not have, so an extractor that drops
them (as a reader sees the word) would lose against labels that keep them."""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence

__all__ = [
    "aggregate",
    "authors_f1",
    "body_prf",
    "bootstrap_std",
    "exact",
    "fuzzy_set_f1",
    "name_key",
    "normalise",
    "same_day",
    "set_f1",
    "shingles",
    "token_f1",
    "visible",
]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def visible(text: str) -> str:
    """The text without invisible characters (soft hyphens, zero-width spaces and joiners, the BOM)."""
    return _INVISIBLE.sub("", text) if not text.isascii() else text


PRF = tuple[float, float, float]


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n tokens is one shingle of all its tokens."""
    tokens = _TOKEN.findall(visible(text or ""))
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def body_prf(truth: str | None, pred: str | None, n: int = 4) -> PRF:
    """(tp, fp, fn) of one page, normalised so that every page weighs the same."""
    t, p = shingles(truth, n), shingles(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def aggregate(pages: Sequence[PRF]) -> dict[str, float]:
    """Mean precision (pages with a prediction), mean recall (pages with truth), their harmonic mean."""
    precisions = [_precision(*x) for x in pages if x[0] + x[1] > 0]
    recalls = [_recall(*x) for x in pages if x[0] + x[2] > 0]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": f1, "precision": p, "recall": r}


def bootstrap_std(pages: Sequence[PRF], rounds: int = 200, seed: int = 0) -> dict[str, float]:
    """Standard deviation of each aggregate over bootstrap resamples of the pages."""
    rng = random.Random(seed)
    n = len(pages)
    values: dict[str, list[float]] = {"f1": [], "precision": [], "recall": []}
    if n < 2:
        return {k: 0.0 for k in values}
    for _ in range(rounds):
        sample = [pages[rng.randrange(n)] for _ in range(n)]
        for key, value in aggregate(sample).items():
            values[key].append(value)
    return {k: statistics.stdev(v) for k, v in values.items()}


# ------------------------------------------------------------------------------------------ fields

_SPACE = re.compile(r"\s+")
_NAME_NOISE = re.compile(r"(?i)^(?:by|von|par|por|di|door|written by)\s+")


def normalise(text: str | None) -> str:
    """Case- and whitespace-insensitive form of a field value (quotes and dashes unified)."""
    if not text:
        return ""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-").replace("\u00a0", " ")
    return _SPACE.sub(" ", text).strip().casefold()


def token_f1(truth: str | None, pred: str | None) -> float:
    """F1 of the ``\\w+`` token multisets (case-insensitive)."""
    t = Counter(_TOKEN.findall(normalise(truth)))
    p = Counter(_TOKEN.findall(normalise(pred)))
    if not t and not p:
        return 1.0
    common = sum((t & p).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def exact(truth: str | None, pred: str | None) -> float:
    """1.0 when the values are equal after ``normalise``."""
    return float(normalise(truth) == normalise(pred))


def set_f1(truth: Sequence[str], pred: Sequence[str], key: Callable[[str], str] = normalise) -> float:
    """F1 of two sets of strings compared by ``key``; both empty counts as 1."""
    t = {key(x) for x in truth if key(x)}
    p = {key(x) for x in pred if key(x)}
    if not t and not p:
        return 1.0
    common = len(t & p)
    if not common:
        return 0.0
    precision, recall = common / len(p), common / len(t)
    return 2 * precision * recall / (precision + recall)


def name_key(name: str) -> str:
    """A person name compared without "By", case, accents-as-given and punctuation spacing."""
    name = _NAME_NOISE.sub("", normalise(name))
    return " ".join(_TOKEN.findall(name))


def authors_f1(truth: Sequence[str], pred: Sequence[str]) -> float:
    return set_f1(truth, pred, key=name_key)


def same_day(truth: str | None, pred: str | None) -> float:
    """1.0 when both dates name the same calendar day (the page's own day, as written)."""
    if not truth or not pred:
        return 0.0
    return float(truth[:10] == pred[:10])


def fuzzy_set_f1(truth: Sequence[str], pred: Sequence[str], threshold: float = 0.8) -> float:
    """Set F1 where two strings match when their token F1 reaches ``threshold`` (captions, credits)."""
    t = [x for x in truth if normalise(x)]
    p = [x for x in pred if normalise(x)]
    if not t and not p:
        return 1.0
    if not t or not p:
        return 0.0
    unused = list(p)
    matched = 0
    for item in t:
        best = max(unused, key=lambda cand: token_f1(item, cand), default=None)
        if best is not None and token_f1(item, best) >= threshold:
            matched += 1
            unused.remove(best)
    if not matched:
        return 0.0
    precision, recall = matched / len(p), matched / len(t)
    return 2 * precision * recall / (precision + recall)
