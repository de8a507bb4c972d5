"""Cross-validated experiments for the text body models on the TRAIN split only.

    python training/text_cv.py [--line-rounds 60 --line-depth 7 --ctx-rounds 40 --ctx-depth 5 ...]

Pages are grouped by id (both converters of a page fall in the same fold). The line model reads the
columns the shipped one reads (``text_train.line_matrix``), so the numbers describe what ships. Prints the page-level body
F1 per set/converter of the line model alone and of the context model over out-of-fold line scores,
with each model's evaluation cost (trees × depth: the numpy evaluator's work per line). The
out-of-fold scores are saved in the cache folder (``p1.npy``, ``p2.npy``) for ``text_inspect.py``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from text_common import Table, score_pages
from text_flatten import cache_dir
from text_train import (
    CONTEXT_PARAMS,
    LINE_PARAMS,
    MIN_BODY,
    OTHER_PAGES,
    SET_BALANCE,
    context_matrix,
    line_matrix,
    out_of_fold,
    weights,
)

from broadsheet.pipeline.body_text import CONTEXT_NAMES

SETS = ("fundus", "readability", "wcxb-dev")


def report(table: Table, pages: np.ndarray, keep: np.ndarray, label: str) -> float:
    """Print page-level F1 per set/converter (wcxb-dev: article pages); return their mean."""
    out, scores = [], []
    for name in SETS:
        for conv in ("resiliparse", "html-text"):
            sel = np.array(
                [
                    p
                    for p in pages
                    if table.meta[p]["set"] == name
                    and table.meta[p]["conv"] == conv
                    and (name != "wcxb-dev" or table.meta[p]["page_type"] == "article")
                ]
            )
            f1 = score_pages(table, sel, keep)["f1"]
            scores.append(f1)
            out.append(f"{name[:5]}/{conv[:4]}={f1:.3f}")
    mean = float(np.mean(scores))
    print(f"{label:22}", " ".join(out), f"mean={mean:.4f}", flush=True)
    return mean


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--line-rounds", type=int, default=60)
    ap.add_argument("--line-depth", type=int, default=LINE_PARAMS["max_depth"])
    ap.add_argument("--line-leaves", type=int, default=LINE_PARAMS["num_leaves"])
    ap.add_argument("--ctx-rounds", type=int, default=40)
    ap.add_argument("--ctx-depth", type=int, default=CONTEXT_PARAMS["max_depth"])
    ap.add_argument("--ctx-leaves", type=int, default=CONTEXT_PARAMS["num_leaves"])
    ap.add_argument("--lr", type=float, default=LINE_PARAMS["learning_rate"])
    ap.add_argument("--reuse-p1", action="store_true", help="context experiments on the saved p1.npy")
    ap.add_argument("--page-norm", type=float, default=0.0, help="weigh pages by total**-alpha")
    ap.add_argument("--set-balance", type=float, default=SET_BALANCE, help="weigh sets by total**-alpha")
    ap.add_argument("--other-pages", type=float, default=OTHER_PAGES, help="weight of non-article pages")
    ap.add_argument("--min-body", type=float, default=MIN_BODY, help="pages with fewer body words weigh 0")
    ap.add_argument("--tag", default="", help="suffix of the saved p1/p2 files")
    args = ap.parse_args()
    table = Table()
    pages = table.pages_where(split="train")
    w = weights(table, args.page_norm, args.set_balance, args.other_pages, args.min_body)
    print(f"{len(pages)} train pages, {len(table.rows(pages))} lines", file=sys.stderr)
    line_params = {
        **LINE_PARAMS,
        "max_depth": args.line_depth,
        "num_leaves": args.line_leaves,
        "learning_rate": args.lr,
    }
    if args.reuse_p1:
        p1 = np.load(cache_dir() / f"p1{args.tag}.npy")
    else:
        x1, names = line_matrix(table)  # the columns the shipped line model reads
        p1 = out_of_fold(table, x1, names, pages, w, line_params, args.line_rounds)
        del x1
        np.save(cache_dir() / f"p1{args.tag}.npy", p1)
    cost1 = args.line_rounds * args.line_depth
    report(table, pages, p1 >= 0.5, f"line  cost={cost1}")
    ctx_params = {
        **CONTEXT_PARAMS,
        "max_depth": args.ctx_depth,
        "num_leaves": args.ctx_leaves,
        "learning_rate": args.lr,
    }
    x2 = context_matrix(table, p1, pages)
    p2 = out_of_fold(table, x2, list(CONTEXT_NAMES), pages, w, ctx_params, args.ctx_rounds)
    np.save(cache_dir() / f"p2{args.tag}.npy", p2)
    report(table, pages, p2 >= 0.5, f"ctx   cost={cost1 + args.ctx_rounds * args.ctx_depth}")


if __name__ == "__main__":
    main()
