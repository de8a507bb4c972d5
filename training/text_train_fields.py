"""Train the headline, byline and dateline line models of the text path on the TRAIN split.

    python training/text_train_fields.py     # after text_train.py (uses its out-of-fold line scores)

Each page's body scores come from the shipped context model run on out-of-fold line-model scores, so
that "where the body starts" is as noisy as at run time. Labels (text_data.py): a line is the headline
when its token F1 with the labelled title is at least 0.75, the byline when it holds at least half
of the labelled authors' name tokens (and is short), the dateline when it states the published day.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import lightgbm as lgb
import numpy as np
from bench.datasets import load
from text_common import ROOT, Table, page_lines

from broadsheet.model import from_lightgbm, load_model
from broadsheet.pipeline.body_text import CONTEXT_BASE, CONTEXT_MODEL, context_features
from broadsheet.pipeline.metadata_text import field_candidates, field_matrix, field_names
from broadsheet.pipeline.text import LineFeatures, shape_roles

PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 15,
    "max_depth": 6,
    "min_data_in_leaf": 30,
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
    "seed": 1,
}
ROUNDS = 80


@lru_cache(maxsize=4)
def urls(name: str) -> dict[str, str | None]:
    return {r.id: r.url for r in load(name)}


def page_rows(table: Table, p: int, p1: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Field features of a page's candidate lines and their table row numbers."""
    a, b = table.bounds[p], table.bounds[p + 1]
    feats = LineFeatures(
        {name: table.x[a:b, j].astype(np.float64) for j, name in enumerate(table.names)}, b - a
    )
    context = load_model(CONTEXT_MODEL)
    p2 = context.predict(context_features(p1[a:b], feats.matrix(list(CONTEXT_BASE))))
    body = np.flatnonzero(p2 >= 0.5)
    if not len(body):
        return None
    lines = page_lines(table.meta[p])
    roles = shape_roles(lines, feats)
    start, end = int(body[0]), int(body[-1]) + 1
    idx = field_candidates(b - a, start, end)
    url = urls(table.meta[p]["set"]).get(table.meta[p]["id"])
    return field_matrix(feats, idx, start, end, p2, roles, lines, url), a + idx


def main() -> None:
    table = Table()
    data = np.load("/tmp/broadsheet-text/lines.npz")
    labels = {"title": data["title"] >= 0.75, "byline": data["author"] >= 0.5, "date": data["date"] > 0}
    words = table.x[:, table.names.index("words")]
    labels["byline"] &= words <= 30
    p1 = np.load("/tmp/broadsheet-text/p1_oof.npy")
    xs, rows = [], []
    for p in table.pages_where(split="train"):
        got = page_rows(table, int(p), p1)
        if got is not None:
            xs.append(got[0])
            rows.append(got[1])
    x = np.concatenate(xs)
    r = np.concatenate(rows)
    out = ROOT / "src" / "broadsheet" / "models"
    for name, y in labels.items():
        booster = lgb.train(PARAMS, lgb.Dataset(x, y[r], feature_name=field_names()), num_boost_round=ROUNDS)
        meta = {
            "trained_on": "train split, flattened fundus/readability/wcxb-dev",
            "positives": int(y[r].sum()),
        }
        from_lightgbm(booster.dump_model(), meta=meta).save(out / f"text_{name}.json.gz")
        print(name, "positives", int(y[r].sum()), "of", len(r), file=sys.stderr)


if __name__ == "__main__":
    main()
