"""Train the two text body models on the TRAIN split and write them into the package.

    python training/text_train.py            # after text_flatten.py and text_data.py

The line model is trained on every train page; the context model on out-of-fold line-model scores
(4 folds grouped by page id), so that it sees first-pass scores as noisy as they are on unseen pages.
Writes ``src/broadsheet/models/text_body_lines.json.gz`` and ``text_body_context.json.gz``.
"""

from __future__ import annotations

import sys

import lightgbm as lgb
import numpy as np
from text_common import ROOT, Table

from broadsheet.model import from_lightgbm
from broadsheet.pipeline.body_text import CONTEXT_BASE, N_CONTEXT, context_features

LINE_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.15,
    "num_leaves": 31,
    "max_depth": 7,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
    "seed": 1,
}
LINE_ROUNDS = 60  # small on purpose: the page's lines are scored by numpy at >1,000 pages/s
CONTEXT_PARAMS = {**LINE_PARAMS, "num_leaves": 15, "max_depth": 5}
CONTEXT_ROUNDS = 40


def folds(table: Table, pages: np.ndarray, k: int = 4) -> list[np.ndarray]:
    ids = sorted({table.meta[p]["id"] for p in pages})
    fold_of = {pid: i % k for i, pid in enumerate(ids)}
    return [np.array([p for p in pages if fold_of[table.meta[p]["id"]] == f]) for f in range(k)]


def weights(table: Table) -> np.ndarray:
    """Lines weigh by their length: the metric counts words, and a long line wrong costs more."""
    return np.log1p(table.x[:, table.names.index("words")]) + 0.5


def train(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str], params: dict, rounds: int
) -> lgb.Booster:
    return lgb.train(params, lgb.Dataset(x, y, weight=w, feature_name=names), num_boost_round=rounds)


def out_of_fold(table: Table, pages: np.ndarray, w: np.ndarray) -> np.ndarray:
    pred = np.zeros(len(table.y))
    for test_pages in folds(table, pages):
        tr, te = table.rows(np.setdiff1d(pages, test_pages)), table.rows(test_pages)
        booster = train(table.x[tr], table.y[tr], w[tr], table.names, LINE_PARAMS, LINE_ROUNDS)
        pred[te] = booster.predict(table.x[te])
    return pred


def context_matrix(table: Table, p1: np.ndarray, pages: np.ndarray) -> np.ndarray:
    cols = [table.names.index(c) for c in CONTEXT_BASE]
    out = np.zeros((len(table.y), N_CONTEXT + len(cols)), dtype=np.float32)
    for p in pages:
        a, b = table.bounds[p], table.bounds[p + 1]
        out[a:b] = context_features(p1[a:b], table.x[a:b][:, cols].astype(np.float64))
    return out


def context_names() -> list[str]:
    return [f"ctx{i}" for i in range(N_CONTEXT)] + [f"base_{c}" for c in CONTEXT_BASE]


def main() -> None:
    table = Table()
    pages = table.pages_where(split="train")
    rows = table.rows(pages)
    w = weights(table)
    print(f"{len(pages)} train pages, {len(rows)} lines", file=sys.stderr)
    p1 = out_of_fold(table, pages, w)
    np.save("/tmp/broadsheet-text/p1_oof.npy", p1)
    line = train(table.x[rows], table.y[rows], w[rows], table.names, LINE_PARAMS, LINE_ROUNDS)
    x2 = context_matrix(table, p1, pages)
    context = train(x2[rows], table.y[rows], w[rows], context_names(), CONTEXT_PARAMS, CONTEXT_ROUNDS)
    out = ROOT / "src" / "broadsheet" / "models"
    meta = {
        "trained_on": "train split of fundus, readability, wcxb-dev; flattened by resiliparse and html-text"
    }
    from_lightgbm(line.dump_model(), meta={**meta, "rounds": LINE_ROUNDS}).save(
        out / "text_body_lines.json.gz"
    )
    from_lightgbm(context.dump_model(), meta={**meta, "rounds": CONTEXT_ROUNDS}).save(
        out / "text_body_context.json.gz"
    )
    print("written", out, file=sys.stderr)


if __name__ == "__main__":
    main()
