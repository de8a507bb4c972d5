"""Train the two text body models on the TRAIN split and write them into the package.

    python training/text_train.py            # after text_flatten.py and text_data.py
    python training/text_train.py --oof-only # only the out-of-fold line scores text_train_fields.py reads
    python training/text_train.py --reuse-p1 $BROADSHEET_CACHE/p1.npy  # text_cv.py's, same weights

The line model is trained on every train page; the context model on out-of-fold line-model scores
(4 folds grouped by page id), so that it sees first-pass scores as noisy as they are on unseen pages.
Writes ``src/broadsheet/models/text_body_lines.json.gz`` and ``text_body_context.json.gz``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
from text_common import ROOT, Table
from text_flatten import cache_dir

from broadsheet.model import from_lightgbm
from broadsheet.pipeline.body_text import CONTEXT_BASE, CONTEXT_NAMES, LINE_INPUTS, context_features

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
# Training weights (``weights``), text_cv.py's body F1 mean of the six cells (base 0.9114):
# --set-balance 0.5 (a set weighs total**0.5: readability's 86 train pages are not drowned by wcxb-dev's
# 900) 0.9170, but it learns readability's fixtures ("Test Case", "abc def ghi" bodies): a page of
# navigation words became an article and a CJK headline body (tests/test_text_bad_input.py, test_text_cjk.py).
# With --min-body 20 (pages labelling under 20 body words weigh 0) 0.9135 and those tests pass.
# --other-pages 0.3 (wcxb-dev's non-article pages down) lost: 0.9095.
SET_BALANCE = 0.5
OTHER_PAGES = 1.0
MIN_BODY = 20.0


def folds(table: Table, pages: np.ndarray, k: int = 4) -> list[np.ndarray]:
    ids = sorted({table.meta[p]["id"] for p in pages})
    fold_of = {pid: i % k for i, pid in enumerate(ids)}
    return [np.array([p for p in pages if fold_of[table.meta[p]["id"]] == f]) for f in range(k)]


def weights(
    table: Table,
    page_norm: float = 0.0,
    set_balance: float = 0.0,
    other_pages: float = 1.0,
    min_body: float = 0.0,
) -> np.ndarray:
    """Lines weigh by their length: the metric counts words, and a long line wrong costs more. With
    ``page_norm`` > 0 a page's lines weigh in total ``total ** (1 - page_norm)``: the metric averages
    over pages, so a long page should not drown short ones. With ``set_balance`` > 0 a set's lines weigh
    in total ``total ** (1 - set_balance)``: a small set's conventions are not drowned by a large one's.
    Lines of pages that are not articles (wcxb-dev's forums, products, listings) weigh ``other_pages``;
    pages whose labelled body holds under ``min_body`` words (test fixtures: "abc def ghi") weigh 0."""
    words = table.x[:, table.names.index("words")]
    w = np.log1p(words) + 0.5
    if min_body:
        body = np.bincount(table.page, weights=words * table.y, minlength=len(table.meta))
        w = w * (body >= min_body)[table.page]
    if other_pages != 1.0:
        other = np.array([m["set"] == "wcxb-dev" and m["page_type"] != "article" for m in table.meta])
        w = w * np.where(other, other_pages, 1.0)[table.page]
    if page_norm:
        total = np.bincount(table.page, weights=w)
        scale = total**-page_norm
        w = w * (scale / np.mean(scale))[table.page]
    if set_balance:
        names = sorted({m["set"] for m in table.meta})
        set_of = np.array([names.index(m["set"]) for m in table.meta])[table.page]
        total = np.bincount(set_of, weights=w)
        w = w * (total**-set_balance)[set_of] * total.sum() ** set_balance
    return w


def train(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str], params: dict, rounds: int
) -> lgb.Booster:
    return lgb.train(params, lgb.Dataset(x, y, weight=w, feature_name=names), num_boost_round=rounds)


def line_matrix(table: Table) -> tuple[np.ndarray, list[str]]:
    """The table's columns the shipped line model reads (``body_text.LINE_INPUTS``), and their names: the
    one definition both this script and the cross-validation (text_cv.py) train on."""
    cols = [table.names.index(name) for name in LINE_INPUTS]
    return table.x[:, cols], list(LINE_INPUTS)


def out_of_fold(
    table: Table, x: np.ndarray, names: list[str], pages: np.ndarray, w: np.ndarray, params: dict, rounds: int
) -> np.ndarray:
    """Out-of-fold scores of every line of ``pages`` (4 folds grouped by page id) by models on ``x``."""
    pred = np.zeros(len(table.y))
    for test_pages in folds(table, pages):
        tr, te = table.rows(np.setdiff1d(pages, test_pages)), table.rows(test_pages)
        booster = train(x[tr], table.y[tr], w[tr], names, params, rounds)
        pred[te] = booster.predict(x[te])
    return pred


def context_matrix(table: Table, p1: np.ndarray, pages: np.ndarray) -> np.ndarray:
    cols = [table.names.index(c) for c in CONTEXT_BASE]
    out = np.zeros((len(table.y), len(CONTEXT_NAMES)), dtype=np.float32)
    for p in pages:
        a, b = table.bounds[p], table.bounds[p + 1]
        out[a:b] = context_features(p1[a:b], table.x[a:b][:, cols].T.astype(np.float64)).T
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--oof-only", action="store_true", help="only the out-of-fold line scores")
    ap.add_argument("--reuse-p1", type=Path, help="text_cv.py's out-of-fold line scores (same weights)")
    ap.add_argument("--set-balance", type=float, default=SET_BALANCE)
    ap.add_argument("--other-pages", type=float, default=OTHER_PAGES)
    ap.add_argument("--min-body", type=float, default=MIN_BODY)
    args = ap.parse_args()
    table = Table()
    pages = table.pages_where(split="train")
    rows = table.rows(pages)
    w = weights(table, set_balance=args.set_balance, other_pages=args.other_pages, min_body=args.min_body)
    print(f"{len(pages)} train pages, {len(rows)} lines", file=sys.stderr)
    x1, names = line_matrix(table)
    if args.reuse_p1:
        p1 = np.load(args.reuse_p1)
    else:
        p1 = out_of_fold(table, x1, names, pages, w, LINE_PARAMS, LINE_ROUNDS)
    np.save(cache_dir() / "p1_oof.npy", p1)
    if args.oof_only:
        return
    line = train(x1[rows], table.y[rows], w[rows], names, LINE_PARAMS, LINE_ROUNDS)
    x2 = context_matrix(table, p1, pages)
    context = train(x2[rows], table.y[rows], w[rows], list(CONTEXT_NAMES), CONTEXT_PARAMS, CONTEXT_ROUNDS)
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
