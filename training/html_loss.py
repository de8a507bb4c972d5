"""Where the HTML body stage loses to the peers, per page and by block kind (``train`` split, out of fold).

    python -m training.train_html --dry-run --cache /tmp/labels.pkl    # labelled pages + out-of-fold scores
    python -m bench run --split train --variants html --peers trafilatura,readability-lxml   # peers cached
    python -m training.html_loss --cache /tmp/labels.pkl [--show 10]

Our decisions are the context model's out-of-fold scores through ``keep_mask`` (so no page is scored by
a model that saw it). Per full-body page the body P/R/F1 is set beside trafilatura's and
readability-lxml's; every page where the better peer wins is split into a precision loss (we kept
furniture) and a recall loss (we dropped article text), and the wrongly kept / wrongly dropped
characters are summed by block kind, by where the block lies (before the labelled body, inside it,
after it) and by the class/id word groups of its container. Snippet pages (trafilatura's set) count
must-have snippets missed and must-not snippets kept, by the same groups.

Findings (2026-11-26, models of db5bc21, out of fold on the train split, keep >= 0.55). Against the better
of trafilatura and readability-lxml per page, fundus loses mostly precision (5-6 page units against 1.5
of recall) and readability both (2.6 / 2.8). Of the wrongly kept text on those pages, three quarters lies
after the labelled body, most of it in list items with no class words we know (obfuscated class names):
"trending", "web stories", "related" link lists, then cookie/consent notices, author bios and teaser
paragraphs. Recall losses are long single-container pages whose late paragraphs score low (position).
Tried, on the same out-of-fold scores:
* non-article training pages (WCXB listings, forums, ...) at weight 0.2: +0.001-0.004 on every set out
  of fold, but the retrained models lost 0.006 on the gate's wcxb-dev article and readability test
  pages: not shipped (``train_html --other-weight``);
* dropping link blocks (>= 70% link text) after the last kept prose block: fundus +0.003, trafilatura
  snippets +0.001, article sets unchanged, wcxb-dev/other -0.004; limited to pages the page model calls
  articles it moved no test set by more than 0.001 (fundus -0.001, trafilatura +0.001), so it does not ship;
* dropping every block outside the best container, or after the last prose block in another
  grand-container, or link blocks before the first prose block, or trailing headings; filling prose
  between kept prose blocks of one container: each within +-0.001 or worse somewhere.
* page-level evidence of where the article ends, as 13 more context-model features (2026-11-26, commit
  08f8525, reverted): how far up the tree a block meets the best container and whether it follows all of
  that container's blocks; text, link share and headings between a block and the nearest confident body
  block on each side; whether it follows an ending cue ("Related", "More from", "Comments", "Mehr zum
  Thema", ... in the sets' languages) placed after the article started, and the confident text left after
  the cue and after the block; plus two block features (the ending cue; text cut short by "..."). Out of
  fold on the train split (context model, best keep): fundus 0.948 -> 0.951, readability 0.949 -> 0.951,
  trafilatura 0.930 -> 0.925, wcxb-dev/article 0.943 -> 0.942. On the test split every set fell
  (trafilatura 0.932 -> 0.926, wcxb-dev/article 0.952 -> 0.949, fundus 0.959 -> 0.956, readability
  0.925 -> 0.916). Why: most wrongly kept text after the body lies inside the best container with no cue
  before it (out of fold, fundus: 10.0 of 14.9 page units of kept-after text; wcxb-dev 15.8 of 20.8),
  so the features restate what ``after_last``, ``mass_after`` and ``in_best`` already say.

Loss table (2026-11-26, models of 927eb47, out of fold, keep 0.55; page units = the F1 the better peer
gains over us per page, split over our wrongly decided text). fundus 4.54 units on 59 pages: furniture
kept after the body (list items 1.29, paragraphs 0.86) and inside its span (paragraphs 0.85, list items
0.42), dropped body 0.27. readability 3.14 on 45 pages: dropped body paragraphs inside the span 1.13,
furniture after it 0.82. wcxb-dev articles 10.47 on 217 pages, 3.07 of it on pages where the chosen
container holds under half the body: dropped paragraphs, list items and tables inside the body (1.75,
1.72, 1.57), furniture paragraphs after and before it (1.51, 0.84). trafilatura snippet blocks: 190
must-not paragraphs and 55 list items kept; 82 must-have paragraphs and 26 tables dropped.
Tried on these scores (same date): bridging up to three blocks at a score of 0.3, bridging within the
parent instead of the grandparent, dropping kept blocks with no kept block within three: all within
+-0.001 per set or worse; a second context pass stacked on the out-of-fold context scores: -0.001 to
-0.003 on every set. A larger context model paid out of fold but not on the test split
(``train_html.CONTEXT_ROUNDS``).
A keep threshold per block kind (0.35-0.75 for list items, headings, tables, quotes, paragraphs, one
kind at a time): the sets pull apart (list items at 0.75: fundus +0.005, trafilatura -0.003; paragraphs
at 0.35: readability +0.012, fundus -0.012); the best all-sets move, tables at 0.35, gains under 0.001.
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter
from pathlib import Path

import numpy as np
from bench import extractors
from bench.cache import Cache, key
from bench.metrics import _precision, _recall, body_prf
from bench.run import RESULTS

from broadsheet.pipeline.body_html import keep_mask, thresholds
from broadsheet.pipeline.html import WORD_GROUPS
from broadsheet.pipeline.html_features import best_container

from .label_html import LabelledPage
from .train_html import read_cache, source_digest

PEERS = ("trafilatura", "readability-lxml")


def peer_texts(pages: list[LabelledPage]) -> dict[tuple[str, str], str]:
    """(peer, page id) → the peer's body text, from the benchmark cache."""
    cache = Cache(RESULTS / "cache")
    keys = {(n, p.id): key(n, extractors.version(n), p.set, p.id, "html") for n in PEERS for p in pages}
    found = cache.get_many(keys.values())
    return {k: found[v].get("text") or "" for k, v in keys.items() if v in found}


def prf(truth: str, text: str) -> tuple[float, float, float]:
    """One page's body precision, recall and F1."""
    counts = body_prf(truth, text)
    p, r = _precision(*counts), _recall(*counts)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def groups_of(page: LabelledPage, i: int) -> str:
    """The word groups named by a block's container and its parent (the most telling first)."""
    layout = page.layout
    cont = page.cands[i].container
    mask = layout.words[cont] | (layout.words[layout.parent[cont]] if layout.parent[cont] >= 0 else 0)  # type: ignore[attr-defined]
    names = [g for b, g in enumerate(WORD_GROUPS) if mask >> b & 1]
    return "+".join(names[:2]) or "-"


def where(page: LabelledPage, i: int) -> str:
    body = np.flatnonzero(page.y == 1)
    if not len(body):
        return "no-body"
    return "before" if i < body[0] else "after" if i > body[-1] else "inside"


def wrong_container(page: LabelledPage, q: np.ndarray) -> bool:
    """Does the container chosen from the scores hold less than half of the labelled body text?"""
    arr = page.arr
    best, _ = best_container(arr, q)
    inside = np.zeros(len(q), dtype=bool)
    inside[arr.pair_block[arr.pair_cont == best]] = True
    body = arr.chars * (page.y == 1)
    return bool((body * inside).sum() * 2 < body.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--keep", type=float, default=None, help="keep threshold (default: the best out of fold)")
    ap.add_argument("--oof", type=Path, help="out-of-fold scores (default: next to --cache)")
    ap.add_argument("--show", type=int, default=8)
    args = ap.parse_args()
    pages = read_cache(args.cache, source_digest())
    if pages is None:
        raise SystemExit("no labelled pages for this code: run training.train_html --cache first")
    _, qs = pickle.loads((args.oof or args.cache.with_suffix(".oof.pkl")).read_bytes())
    keep = args.keep if args.keep is not None else thresholds()[0]
    peers = peer_texts(pages)
    loss: dict[str, Counter[str]] = {
        k: Counter() for k in ("fp_kind", "fp_where", "fp_group", "fn_kind", "fn_where", "fn_group")
    }
    by_set: dict[str, Counter[str]] = {}
    per_set: dict[str, list[tuple[float, ...]]] = {}
    worst: list[tuple[float, str, str]] = []
    for page, q in zip(pages, qs, strict=True):
        truth = page.record.truth
        if not truth.get("body") and truth.get("with"):
            kept, _ = keep_mask(page.cands, q, page.arr, keep)
            row = by_set.setdefault(page.set + " (snippet blocks)", Counter())
            for i in np.flatnonzero((page.y >= 0) & (kept != (page.y == 1))).tolist():
                row[f"{'fp' if kept[i] else 'fn'} {page.cands[i].kind}"] += 1
            continue
        if not truth.get("body") or page.is_article == 0:
            continue
        kept, _ = keep_mask(page.cands, q, page.arr, keep)
        ours = prf(truth["body"], "\n".join(c.text for c, k in zip(page.cands, kept, strict=True) if k))
        theirs = [prf(truth["body"], peers[(n, page.id)]) for n in PEERS if (n, page.id) in peers]
        best = max(theirs, key=lambda r: r[2], default=ours)
        per_set.setdefault(page.set, []).append((*ours, *best))
        gap = best[2] - ours[2]
        if gap <= 0:
            continue
        worst.append(
            (
                gap,
                f"{page.set}/{page.id}",
                f"ours P={ours[0]:.2f} R={ours[1]:.2f}; peer P={best[0]:.2f} R={best[1]:.2f}",
            )
        )
        chars = page.arr.chars
        total = max(float((chars * (page.y == 1)).sum()), 1.0)
        row = by_set.setdefault(page.set, Counter())
        row["pages lost"] += 1
        row["units lost"] += gap
        if wrong_container(page, q):
            row["wrong container"] += gap
        wrong = kept != (page.y == 1)
        spill = float((chars * wrong).sum()) / total
        for i in np.flatnonzero(wrong).tolist():
            side = "fp" if kept[i] else "fn"
            w = gap * chars[i] / total
            # Each page's gap split over its wrongly decided text, per set (page units).
            row[f"{side} {page.cands[i].kind} {where(page, i)}"] += gap * chars[i] / max(spill * total, 1.0)
            loss[f"{side}_kind"][page.cands[i].kind] += w
            loss[f"{side}_where"][where(page, i)] += w
            loss[f"{side}_group"][groups_of(page, i)] += w
    for name, rows in sorted(per_set.items()):
        a = np.asarray(rows)
        print(
            f"{name}: {len(a)} pages; ours P={a[:, 0].mean():.3f} R={a[:, 1].mean():.3f} F1={a[:, 2].mean():.3f}; "
            f"best peer per page P={a[:, 3].mean():.3f} R={a[:, 4].mean():.3f} F1={a[:, 5].mean():.3f}; "
            f"lost P {np.clip(a[:, 3] - a[:, 0], 0, None).sum():.1f} R {np.clip(a[:, 4] - a[:, 1], 0, None).sum():.1f} (page units)"
        )
    for name, row in sorted(by_set.items()):
        if "pages lost" in row:
            head = (
                f"{name}: lost on {row.pop('pages lost'):.0f} pages, {row.pop('units lost'):.2f} page units"
            )
            print(head + f" ({row.pop('wrong container', 0.0):.2f} on pages where the wrong container wins)")
        else:
            print(f"{name}: wrongly decided labelled blocks")
        print("   ", ", ".join(f"{k} {v:.2f}" for k, v in row.most_common(8)))
    for name, counter in loss.items():
        print(name, ", ".join(f"{k} {v:.2f}" for k, v in counter.most_common(10)))
    for gap, pid, text in sorted(worst, reverse=True)[: args.show]:
        print(f"{gap:.2f} {pid}: {text}")


if __name__ == "__main__":
    main()
