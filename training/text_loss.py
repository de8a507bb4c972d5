"""Where the text body model loses words on the TRAIN split: out-of-fold errors sorted into causes.

    python training/text_loss.py [--sets readability fundus] [--convs resiliparse html-text]  # after text_cv.py

Every wrongly kept or wrongly dropped line (``p2.npy`` ≥ 0.5 against the aligned labels) is put in one
class: a page whose body is mostly lost or mostly wrong (F1 < 0.5: the wrong block won), kept lines above,
inside or after the labelled body, dropped lines at the edges of the kept body or inside it (short lines:
sub-headings, list items; long prose), and dropped lines the labels keep by convention (captions,
credits, repeats). Each page's error words are divided by its body words, so the shares are of the
page-averaged loss the metric sees.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np
from text_common import Table
from text_flatten import cache_dir
from text_inspect import page_f1


def classify(table: Table, p: int, keep: np.ndarray) -> dict[str, float]:
    """Error words of page ``p`` per cause, divided by the page's body words."""
    a, b = table.bounds[p], table.bounds[p + 1]
    col = table.names.index
    x, y, k = table.x[a:b], table.y[a:b].astype(bool), keep[a:b]
    words = x[:, col("words")]
    body = max(float(words[y].sum()), 1.0)
    out: dict[str, float] = defaultdict(float)
    if not y.any():
        return out
    tp, fp, fn = page_f1(table, p, keep)
    if 2 * tp / max(2 * tp + fp + fn, 1e-9) < 0.5:
        out["page: wrong block / body lost"] = float(words[y != k].sum()) / body
        return out
    first, last = np.flatnonzero(y)[[0, -1]]
    kept = np.flatnonzero(k)
    k0, k1 = (kept[0], kept[-1]) if len(kept) else (len(k), -1)
    short = (words <= 14) & (x[:, col("end_sentence")] == 0)
    for i in np.flatnonzero(y != k):
        if k[i]:
            where = "above" if i < first else "after" if i > last else "inside"
            what = "comment kw" if x[i, col("kw_comment")] and where == "after" else ""
            out[f"kept: {where} body {what}".strip()] += words[i] / body
        elif x[i, col("furniture")] or x[i, col("repeats")] > 1:
            out["dropped: convention (caption/credit/repeat)"] += words[i] / body
        elif i < k0 or i > k1:
            out[f"dropped: edge ({'short' if short[i] else 'prose'})"] += words[i] / body
        else:
            out[f"dropped: inside ({'short' if short[i] else 'prose'})"] += words[i] / body
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["readability", "fundus"])
    ap.add_argument("--convs", nargs="*", default=["resiliparse", "html-text"])
    ap.add_argument("--pred", default=str(cache_dir() / "p2.npy"))
    args = ap.parse_args()
    table = Table()
    keep = np.load(args.pred) >= 0.5
    for name in args.sets:
        for conv in args.convs:
            pages = table.pages_where(split="train", set=name, conv=conv)
            total: dict[str, float] = defaultdict(float)
            for p in pages:
                for cause, share in classify(table, p, keep).items():
                    total[cause] += share / len(pages)
            print(f"{name}/{conv}: {len(pages)} pages, error words per body word {sum(total.values()):.3f}")
            for cause, share in sorted(total.items(), key=lambda kv: -kv[1]):
                print(f"  {share:.3f}  {cause}")


if __name__ == "__main__":
    main()
