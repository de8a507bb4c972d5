"""Train the headline, byline and dateline line models of the text path on the TRAIN split.

    python training/text_train_fields.py [--only=byline] [--holdout[=K]] [--no-extra] [--without=a,b] [--seed=N] [--authorless]
    python training/text_train_fields.py --only=title,date   # how the shipped headline and date models
                                                            # were made (the byline model is older)

after text_train.py (its out-of-fold line scores, ``--oof-only`` is enough) and text_data.py (both the
line table and ``--fields``).

Each page's body scores come from the shipped context model run on out-of-fold line-model scores, so
that "where the body starts" is as noisy as at run time. The train pages of the sets that label fields
but no body (trafilatura: ``fields_extra.npz``) are scored by the shipped line model, which never saw
them: out of fold too. Labels (text_data.py): a line is the headline
when, its site name cleaned off, it equals the labelled title (or, on a page where none does, its token
F1 with it is at least 0.75), the byline when it holds at least half
of the labelled authors' name tokens (and is short), the dateline when it states the published day.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import lightgbm as lgb
import numpy as np
from text_common import ROOT, Table, page_lines, urls
from text_flatten import cache_dir

from broadsheet.model import TreeModel, from_lightgbm, load_model
from broadsheet.pipeline.body_text import CONTEXT_BASE, CONTEXT_MODEL, LINE_MODEL, context_features
from broadsheet.pipeline.metadata_text import FIELD_NAMES, field_candidates, field_matrix, joint_features
from broadsheet.pipeline.text import LineFeatures, shape_roles
from broadsheet.pipeline.text_features import FEATURES

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
NAME_FEATURES = ("name_like", "name_words_common")
BYLINE_WORDS = 30  # a byline line is short: longer lines are neither labelled nor scored
JOINT_FEATURES = ("title_p", "to_title", "to_date")  # the byline model's second stage: what the shipped
# headline and dateline models chose (in sample on train pages: a little surer than at run time)
# train on half the train pages: --holdout (or --holdout=1) leaves out the pages whose id's second hex digit
# is odd, --holdout=0 those where it is even (text_fields_causes.py --holdout=K scores the half left out)
HOLDOUT = next(
    (int(a.split("=", 1)[1]) if "=" in a else 1 for a in sys.argv if a.startswith("--holdout")), None
)
# --without=a,b trains as if the features a, b were not there (to measure what they bring)
WITHOUT = [v for a in sys.argv if a.startswith("--without=") for v in a.split("=", 1)[1].split(",")]
SEED = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--seed=")), PARAMS["seed"])
NO_EXTRA = "--no-extra" in sys.argv  # the body sets' pages alone (as before fields_extra.npz)
# the models the field-only sets' pages train too. Not the byline model: on the held-out half of the train
# pages (--holdout) trafilatura's author labels (user names, newsrooms: "Redaktion", "MDR THÜRINGEN/ls")
# cost it on fundus and on trafilatura itself about what they gained on wcxb-dev; with rail counts as
# features (2026-11-26) they lowered fundus, readability and WCXB on the test split
EXTRA_MODELS = ("title", "date")
# --authorless: the byline model also learns from the field-only set's train pages whose annotators entered the
# author as empty (every line of them a negative), so that it learns what a page without a byline looks like
AUTHORLESS = "--authorless" in sys.argv
# --only=byline retrains that model alone (each model reads its own subset of FIELD_NAMES)
ONLY = {v for a in sys.argv if a.startswith("--only=") for v in a.split("=", 1)[1].split(",")}


def page_rows(
    table: Table, p: int, p1: np.ndarray, *, with_url: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """Field features of a page's candidate lines and their table row numbers; ``with_url=False`` as if the
    page came without its URL (as many inputs do), so that the models learn both."""
    a, b = table.bounds[p], table.bounds[p + 1]
    feats = LineFeatures(table.x[a:b].T.astype(np.float64), b - a)
    if not with_url:  # the values line_features gives a page without a URL
        feats["url_overlap"][:] = -1.0
        feats["from_slug"][:] = -99.0
    context = load_model(CONTEXT_MODEL)
    p2 = context.predict(context_features(p1[a:b], feats.rows(CONTEXT_BASE)).T)
    body = np.flatnonzero(p2 >= 0.5)
    if not len(body):
        return None
    lines = page_lines(table.meta[p])
    roles = shape_roles(lines, feats)
    start, end = int(body[0]), int(body[-1]) + 1
    url = urls(table.meta[p]["set"]).get(table.meta[p]["id"]) if with_url else None
    idx = field_candidates(b - a, start, end, lines, url)
    x = field_matrix(feats, idx, start, end, p2, roles, lines, url)
    first = [stage_one(name, x) * (p2[idx] < 0.5) for name in ("title", "date")]  # body lines: not scored
    joint_features(x, idx, start, roles, *first)
    return x.T, a + idx


@lru_cache(maxsize=2)
def _model(name: str) -> TreeModel:
    return load_model(f"text_{name}")


def stage_one(name: str, x: np.ndarray) -> np.ndarray:
    """The shipped headline or dateline model's scores of the field matrix ``x``'s columns."""
    model = _model(name)
    return model.predict(x[[FIELD_NAMES.index(f) for f in model.feature_names]].T)


def title_labels(table: Table, value: np.ndarray) -> np.ndarray:
    """A line is the headline when it gives the labelled headline exactly (``value`` 2, text_data.py); on a
    page where no line does, when its token F1 with it is at least 0.75."""
    exact = value >= 1.5
    page_has = np.zeros(len(table.meta), dtype=bool)
    page_has[table.page[exact]] = True
    return np.where(page_has[table.page], exact, value >= 0.75)


def field_labels(table: Table, data: np.lib.npyio.NpzFile) -> dict[str, np.ndarray]:
    """Per table row: is it the headline, the byline, the dateline."""
    words = table.x[:, table.names.index("words")]
    return {
        "title": title_labels(table, data["title"]),
        "byline": (data["author"] >= 0.5) & (words <= BYLINE_WORDS),
        "date": data["date"] > 0,
    }


def train_rows(table: Table, p1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Field features of the candidate lines of the table's train pages (each with and without its URL),
    and their table row numbers."""
    xs, rows = [], []
    for p in table.pages_where(split="train"):
        if HOLDOUT is not None and int(table.meta[p]["id"][1], 16) % 2 == HOLDOUT:
            continue  # held out, to compare choices on train pages the models have not seen
        for with_url in (True, False):
            got = page_rows(table, int(p), p1, with_url=with_url)
            if got is not None:
                xs.append(got[0])
                rows.append(got[1])
    return np.concatenate(xs), np.concatenate(rows)


def authorless_pages(table: Table) -> set[str]:
    """Ids of the table's pages whose annotators entered the author as empty (``bench.cases.Truth.none``)."""
    from bench.cases import truth_from_labels
    from bench.datasets import load

    sets = {m["set"] for m in table.meta}
    return {r.id for s in sets for r in load(s) if "authors" in truth_from_labels(r.truth).none}


def training_set() -> tuple[np.ndarray, dict[str, np.ndarray], int, np.ndarray]:
    """Field features of every train page's candidate lines and their labels, the field-only sets'
    pages (``fields_extra.npz``) after the body sets' unless ``--no-extra``; the body sets' rows; and which
    rows come from a page labelled as having no author."""
    table = Table()
    assert tuple(table.names) == FEATURES, "the line table is stale: run text_data.py"
    labels = field_labels(table, np.load(cache_dir() / "lines.npz"))
    x, r = train_rows(table, np.load(cache_dir() / "p1_oof.npy"))
    labels = {k: v[r] for k, v in labels.items()}
    if NO_EXTRA:
        return x, labels, len(x), np.zeros(len(x), dtype=bool)
    path = cache_dir() / "fields_extra.npz"
    extra = Table(path)
    assert tuple(extra.names) == FEATURES, "the field table is stale: run text_data.py --fields"
    line = load_model(LINE_MODEL)
    p1 = line.predict(extra.x[:, [extra.names.index(n) for n in line.feature_names]].astype(np.float64))
    x_extra, r_extra = train_rows(extra, p1)
    more = field_labels(extra, np.load(path))
    both = {k: np.concatenate([v, more[k][r_extra]]) for k, v in labels.items()}
    # the labels are read again only when asked for (every data set is loaded for them)
    none = authorless_pages(extra) if AUTHORLESS else set()
    authorless = np.array([extra.meta[p]["id"] in none for p in extra.page[r_extra]], dtype=bool)
    return (
        np.concatenate([x, x_extra]),
        both,
        len(x),
        np.concatenate([np.zeros(len(x), dtype=bool), authorless]),
    )


def main() -> None:
    x_all, labels, n_base, authorless = training_set()
    out = ROOT / "src" / "broadsheet" / "models"
    for name, y in labels.items():
        if ONLY and name not in ONLY:
            continue
        extra = not NO_EXTRA and name in EXTRA_MODELS
        sets = "fundus/readability/wcxb-dev" + ("/trafilatura" if extra else "")
        xx, y = (x_all.copy(), y) if extra else (x_all[:n_base].copy(), y[:n_base])
        if name == "byline" and AUTHORLESS:  # the pages without a byline: every line a negative
            xx, y = (
                np.concatenate([xx, x_all[authorless]]),
                np.concatenate([y, np.zeros(authorless.sum(), bool)]),
            )
            sets += " + trafilatura pages labelled authorless"
        if name == "byline":  # the lines it scores at run time: the short ones (metadata_text._BYLINE_WORDS)
            keep = xx[:, FIELD_NAMES.index("words")] <= BYLINE_WORDS
            xx, y = xx[keep], y[keep]
        if name != "byline":  # the name and joint features are for the byline model; the others learn
            xx[:, [FIELD_NAMES.index(f) for f in (*NAME_FEATURES, *JOINT_FEATURES)]] = 0.0  # without them
        xx[:, [FIELD_NAMES.index(f) for f in WITHOUT]] = 0.0
        booster = lgb.train(
            {**PARAMS, "seed": SEED},
            lgb.Dataset(xx, y, feature_name=list(FIELD_NAMES)),
            num_boost_round=ROUNDS,
        )
        meta = {"trained_on": f"train split, flattened {sets}", "positives": int(y.sum())}
        from_lightgbm(booster.dump_model(), meta=meta).save(out / f"text_{name}.json.gz")
        print(name, "positives", int(y.sum()), "of", len(y), file=sys.stderr)


if __name__ == "__main__":
    main()
