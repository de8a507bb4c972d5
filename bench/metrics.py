"""Scores, each a small function. The body metric follows the scrapinghub article-extraction benchmark:
``\\w+`` tokens, 4-token shingles counted as a multiset, per-page tp/fp/fn normalised to sum to one,
precision averaged over pages that predicted something, recall over pages whose truth has text, and
F1 as the harmonic mean of the two means."""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Sequence

__all__ = ["aggregate", "body_prf", "bootstrap_std", "shingles"]

_TOKEN = re.compile(r"\w+", re.UNICODE)

PRF = tuple[float, float, float]


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n tokens is one shingle of all its tokens."""
    tokens = _TOKEN.findall(text or "")
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
