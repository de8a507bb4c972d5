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
from text_common import Table, loss_causes, print_causes
from text_flatten import cache_dir
from text_inspect import page_f1


def classify(table: Table, p: int, keep: np.ndarray) -> dict[str, float]:
    """Error words of page ``p`` per cause, divided by the page's body words."""
    a, b = table.bounds[p], table.bounds[p + 1]
    col = table.names.index
    x, y, k = table.x[a:b], table.y[a:b].astype(bool), keep[a:b]
    words = x[:, col("words")]
    tp, fp, fn = page_f1(table, p, keep) if y.any() else (0.0, 0.0, 0.0)
    return loss_causes(
        y,
        k,
        words,
        (words <= 14) & (x[:, col("end_sentence")] == 0),
        wrong_page=2 * tp / max(2 * tp + fp + fn, 1e-9) < 0.5,
        comment=x[:, col("kw_comment")] != 0,
        convention=(x[:, col("furniture")] != 0) | (x[:, col("repeats")] > 1),
    )


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
            print_causes(f"{name}/{conv}", len(pages), total)


if __name__ == "__main__":
    main()
