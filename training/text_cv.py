"""Cross-validated experiments for the text body model on the TRAIN split only.

    python training/text_cv.py

Pages are grouped by id (both converters of a page fall in the same fold). Prints the page-level body
F1 per set/converter for the oracle labels, stage 1 (per-line model) and stage 2 (context over stage 1).
"""

from __future__ import annotations

import sys

import lightgbm as lgb
import numpy as np
from text_common import Table, score_pages

PARAMS = {
    "objective": "binary",
    "learning_rate": 0.15,
    "num_leaves": 31,
    "min_data_in_leaf": 200,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
}


def folds(table: Table, pages: np.ndarray, k: int = 4) -> list[np.ndarray]:
    ids = sorted({table.meta[p]["id"] for p in pages})
    fold_of = {pid: i % k for i, pid in enumerate(ids)}
    return [np.array([p for p in pages if fold_of[table.meta[p]["id"]] == f]) for f in range(k)]


def oof(table: Table, x: np.ndarray, pages: np.ndarray, rounds: int, weight: np.ndarray | None) -> np.ndarray:
    pred = np.zeros(len(table.y))
    for test_pages in folds(table, pages):
        train_pages = np.setdiff1d(pages, test_pages)
        tr, te = table.rows(train_pages), table.rows(test_pages)
        ds = lgb.Dataset(x[tr], table.y[tr], weight=None if weight is None else weight[tr])
        booster = lgb.train(PARAMS, ds, num_boost_round=rounds)
        pred[te] = booster.predict(x[te])
    return pred


def report(table: Table, pages: np.ndarray, keep: np.ndarray, label: str) -> None:
    out = []
    for name in ("fundus", "readability", "wcxb-dev"):
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
            out.append(f"{name[:5]}/{conv[:4]}={score_pages(table, sel, keep)['f1']:.3f}")
    print(f"{label:14}", " ".join(out), flush=True)


def main() -> None:
    table = Table()
    pages = table.pages_where(split="train")
    rows = table.rows(pages)
    print(f"{len(pages)} train pages, {len(rows)} lines, {len(table.names)} features", file=sys.stderr)
    weight = np.log1p(table.x[:, table.names.index("words")]) + 0.5
    p1 = oof(table, table.x, pages, 120, weight)
    report(table, pages, p1 >= 0.5, "stage1")
    np.save("/tmp/broadsheet-text/p1.npy", p1)


def stage2_matrix(table: Table, p1: np.ndarray, pages: np.ndarray) -> np.ndarray:
    from broadsheet.pipeline.body_text import CONTEXT_BASE, N_CONTEXT, context_features

    cols = [table.names.index(c) for c in CONTEXT_BASE]
    out = np.zeros((len(table.y), N_CONTEXT + len(cols)), dtype=np.float32)
    for p in pages:
        a, b = table.bounds[p], table.bounds[p + 1]
        out[a:b] = context_features(p1[a:b], table.x[a:b][:, cols].astype(np.float64))
    return out


def main2() -> None:
    table = Table()
    pages = table.pages_where(split="train")
    p1 = np.load("/tmp/broadsheet-text/p1.npy")
    x2 = stage2_matrix(table, p1, pages)
    weight = np.log1p(table.x[:, table.names.index("words")]) + 0.5
    p2 = oof(table, x2, pages, 100, weight)
    np.save("/tmp/broadsheet-text/p2.npy", p2)
    for t in (0.5,):
        report(table, pages, p2 >= t, f"stage2@{t}")


if __name__ == "__main__":
    if "--stage2" not in sys.argv:
        main()
    main2()
