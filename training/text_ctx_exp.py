"""Context-model experiments on saved out-of-fold line scores (train split only): extra context features
and a second context pass, each judged by the same grouped 4-fold CV as text_cv.py.

    python training/text_ctx_exp.py --p1 $BROADSHEET_CACHE/p1.npy --extra seg --second   # after text_cv.py

Findings (shipped configuration, 2026-11-26; mean of the six cells of text_cv.py's per-line report, base
context model 0.9130; the pipeline with these scores, text_page.py ``current``, in brackets, base 0.9128):
a second context pass over the first context pass's out-of-fold scores 0.9136 (+0.0006, noise; it would
cost a third model's evaluation). Extra context features: ``seg`` (means over the line's run of likely
body: line length, prose, dated and headline-like lines, score, short lines) 0.9091 (0.9091);
``runstats`` (spread of line lengths around the line, prose/non-prose alternation, longest line near it)
0.9130 (0.9121); ``anchor`` (dated and headline-like lines after the best run, dated lines above it, what
follows it, its line length) 0.9118 (0.9115: fundus +0.004 on both converters, readability -0.010/-0.004);
all three 0.9104; the base context model with 80 rounds instead of 40: 0.9119. Each gains on one set and loses on another by about the cells' noise (±0.003-0.005).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from text_common import Table
from text_cv import report
from text_flatten import cache_dir
from text_train import CONTEXT_PARAMS, context_matrix, out_of_fold, weights

from broadsheet.pipeline.body_text import CONTEXT_NAMES, _best_segment, _segments

# ----------------------------------------------------------------------- extra context features

EXTRA_BASE = (
    "words",
    "prose",
    "dated",
    "headline_like",
    "furniture",
    "group_size",
    "kw_comment",
    "end_sentence",
)
_EXTRA = {
    "seg": ("seg_logw", "seg_prose", "seg_dated", "seg_headline", "seg_p", "seg_short"),
    "runstats": ("std_logw5", "std_logw12", "alt5", "max_logw5"),
    "anchor": ("dated_after_best", "heads_after_best", "dated_before_best", "lines_after_best", "best_logw"),
}


def extra_names(groups: list[str]) -> list[str]:
    return [name for g in groups for name in _EXTRA[g]]


def _seg_stats(p: np.ndarray, rows: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Means of ``rows`` over the segment each line is in (or the nearest above); -1 before any."""
    n = len(p)
    starts, ends, _ = _segments(p, weight)
    out = np.full((len(rows), n), -1.0)
    if not len(starts):
        return out
    c = np.zeros((len(rows), n + 1))
    np.cumsum(rows, axis=1, out=c[:, 1:])
    above = np.searchsorted(starts, np.arange(n), side="right") - 1
    a = np.maximum(above, 0)
    s, e = starts[a], ends[a] + 1
    means = (c[:, e] - c[:, s]) / (e - s)
    return np.where(above >= 0, means, -1.0)


def extra_context(p: np.ndarray, base: np.ndarray, groups: list[str]) -> np.ndarray:
    n = len(p)
    b = dict(zip(EXTRA_BASE, base, strict=True))
    logw = np.log1p(b["words"])
    out = []
    idx = np.arange(n)
    if "seg" in groups:
        rows = np.stack(
            [logw, b["prose"], b["dated"], b["headline_like"], p, (b["words"] <= 6).astype(float)]
        )
        out.extend(_seg_stats(p, rows, logw + 0.5))
    if "runstats" in groups:
        c1 = np.concatenate(([0.0], np.cumsum(logw)))
        c2 = np.concatenate(([0.0], np.cumsum(logw * logw)))
        flip = np.zeros(n)
        flip[1:] = b["prose"][1:] != b["prose"][:-1]
        cf = np.concatenate(([0.0], np.cumsum(flip)))
        for r in (5, 12):
            lo, hi = np.maximum(idx - r, 0), np.minimum(idx + r + 1, n)
            m = (c1[hi] - c1[lo]) / (hi - lo)
            out.append(np.sqrt(np.maximum((c2[hi] - c2[lo]) / (hi - lo) - m * m, 0.0)))
        lo, hi = np.maximum(idx - 5, 0), np.minimum(idx + 6, n)
        out.append((cf[hi] - cf[lo]) / (hi - lo))
        pad = np.concatenate((np.zeros(5), logw, np.zeros(5)))
        out.append(np.lib.stride_tricks.sliding_window_view(pad, 11).max(axis=1))
    if "anchor" in groups:
        start, end = _best_segment((p - 0.5) * (logw + 0.5))
        cd = np.cumsum(b["dated"])
        ch = np.cumsum(b["headline_like"])
        d_end = cd[end - 1] if end > 0 else 0.0
        h_end = ch[end - 1] if end > 0 else 0.0
        out.append(np.where(idx >= end, cd - d_end, 0.0))
        out.append(np.where(idx >= end, ch - h_end, 0.0))
        d_start = cd[start - 1] if start > 0 else 0.0
        out.append(np.where(idx < start, d_start - (cd - b["dated"]), 0.0))
        out.append(np.full(n, (n - end) / max(n, 1)))
        out.append(np.full(n, float(logw[start:end].mean()) if end > start else 0.0))
    return np.array(out) if out else np.zeros((0, n))


def extra_matrix(
    table: Table, p: np.ndarray, pages: np.ndarray, groups: list[str]
) -> tuple[np.ndarray, list[str]]:
    names = extra_names(groups)
    cols = [table.names.index(c) for c in EXTRA_BASE]
    out = np.zeros((len(table.y), len(names)), dtype=np.float32)
    for pg in pages:
        a, b = table.bounds[pg], table.bounds[pg + 1]
        out[a:b] = extra_context(p[a:b], table.x[a:b][:, cols].T.astype(np.float64), groups).T
    return out, names


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--extra", nargs="*", default=[])
    ap.add_argument("--second", action="store_true")
    ap.add_argument("--p1", default=str(cache_dir() / "p1.npy"))
    ap.add_argument("--rounds", type=int, default=40)
    args = ap.parse_args()
    table = Table()
    pages = table.pages_where(split="train")
    w = weights(table)
    p1 = np.load(args.p1)
    x2 = context_matrix(table, p1, pages)
    names = list(CONTEXT_NAMES)
    if args.extra:
        xe, en = extra_matrix(table, p1, pages, args.extra)
        x2, names = np.hstack([x2, xe]), names + en
    p2 = out_of_fold(table, x2, names, pages, w, CONTEXT_PARAMS, args.rounds)
    label = "ctx " + "+".join(args.extra or ["base"])
    report(table, pages, p2 >= 0.5, label[:22])
    np.save(cache_dir() / f"p2_{'_'.join(args.extra) or 'base'}.npy", p2)
    if args.second:
        x3 = context_matrix(table, p2, pages)
        n3 = [f"s_{n}" for n in CONTEXT_NAMES]
        x3, n3 = np.hstack([x3, x2[:, :1]]), [*n3, "p1"]
        p3 = out_of_fold(table, x3, n3, pages, w, CONTEXT_PARAMS, args.rounds)
        report(table, pages, p3 >= 0.5, "second pass")
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
