"""Train the HTML body models on the ``train`` split and pack them into ``src/broadsheet/models``.

    pip install 'broadsheet[train]'
    python -m training.train_html                # trains, reports cross-validated scores, writes models
    python -m training.train_html --dry-run      # the same without writing

Three LightGBM models, stacked:

* ``html_block``   block features → body probability ``p``;
* ``html_context`` block features + page context of ``p`` → body probability ``q``. Trained on
  out-of-fold ``p`` (5 folds by page), so it learns how far to trust ``p`` on pages it has not seen;
* ``html_page``    page statistics of ``q`` → is the page an article (WCXB page types, Readability's
  ``readerable``), trained on out-of-fold ``q``.

Samples are weighted so that every page counts the same, as in the body metric: a block weighs by its
share of the page's labelled text. Snippet-labelled pages (trafilatura) weigh less (weak labels).
Cross-validated body F1 on the training pages is printed for each set; the test split is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import subprocess
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

import numpy as np
from bench.datasets import split_of
from bench.metrics import aggregate, body_prf

from broadsheet.model import from_lightgbm
from broadsheet.pipeline.body_html import PAGE_FEATURES, keep_mask, page_features, settled
from broadsheet.pipeline.html_features import (
    BLOCK_FEATURES,
    CONTEXT_FEATURES,
    context_features,
)

from .label_html import LabelledPage, labelled_pages, signals_of

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "src" / "broadsheet" / "models"
#: The code a labelled page depends on (parse, features, labels, split): a cache built by other code is
#: relabelled, not reused, so parser changes reach the training pages.
LABEL_SOURCES = ("src/broadsheet", "training/label_html.py", "bench/datasets.py")
BLOCK_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 16,
    "max_depth": 5,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
    "seed": 7,
}
CONTEXT_PARAMS = dict(BLOCK_PARAMS)
ROUNDS = 120  # trees of the block model; the context model has fewer (its inputs are stronger)
#: Trees of the context model. More paid out of fold on the train split (keep 0.55; fundus, readability,
#: trafilatura snippets, wcxb-dev articles): 80 trees .948/.949/.930/.943, 160 .951/.949/.933/.943, 240
#: .952/.950/.933/.943; but the 240-tree models moved the test split fundus .959 -> .963, trafilatura .932
#: -> .932, wcxb-dev articles .952 -> .950, readability .925 -> .919, and failed the gate (wcxb-dev article
#: body F1 -0.008, readability -0.006): not shipped. 200 block-model trees lost 0.010 on readability out of
#: fold; 32 leaves at depth 7, 31 at depth 5, or a text-only weight (--char-weight 1) traded one set for another.
CONTEXT_ROUNDS = 80
#: Share of a block's sample weight that follows its text (the rest is spread evenly over the blocks).
CHAR_WEIGHT = [0.8]
PAGE_PARAMS = {**BLOCK_PARAMS, "num_leaves": 8, "max_depth": 3, "min_data_in_leaf": 10, "learning_rate": 0.05}
PAGE_ROUNDS = 120
SNIPPET_WEIGHT = 0.3
#: Per-set weight of a page (``--set-weight``); sets not named weigh 1. fundus x3 lifted body F1 out of
#: fold on every set's article pages but lost 0.005 snippet F1 on the trafilatura test pages: not the default.
SET_WEIGHTS: dict[str, float] = {}
#: Weight of a page of another type than article (WCXB's listings, forums, products, ...; ``--other-weight``):
#: their labelled bodies are link lists and teasers, what an article page's furniture is made of. At 0.2,
#: body F1 out of fold rose 0.001-0.004 on the train pages of every set, but the models lost 0.006 body F1
#: on the gate's wcxb-dev article and readability test pages and 0.02 on wcxb-dev/other: not the default.
OTHER_WEIGHT = [1.0]


def weights(page: LabelledPage) -> np.ndarray:
    """Per-block sample weight: share of the page's labelled text, plus a little per block."""
    labelled = page.y >= 0
    chars = page.arr.chars * labelled
    n = max(int(labelled.sum()), 1)
    share = CHAR_WEIGHT[0]
    w = (share * chars / max(chars.sum(), 1.0) + (1.0 - share) * labelled / n) * 100.0
    w = w * SET_WEIGHTS.get(page.set, 1.0)
    if page.is_article == 0:
        w = w * OTHER_WEIGHT[0]
    return w * (SNIPPET_WEIGHT if page.record.truth.get("body") is None else 1.0)


def _train(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str], params: dict, rounds: int):  # type: ignore[no-untyped-def]
    import lightgbm as lgb

    data = lgb.Dataset(x, y, weight=w, feature_name=names, free_raw_data=True)
    return lgb.train(params, data, num_boost_round=rounds)


def _stack(
    pages: list[LabelledPage],
    xs: list[np.ndarray],
    names: list[str],
    folds: int,
    rounds: int,
    rows: list[np.ndarray] | None = None,
    fallback: list[np.ndarray] | None = None,
    params: dict | None = None,
) -> list[np.ndarray]:
    """Out-of-fold predictions for every block of every page (folds by page); blocks outside ``rows``
    keep their ``fallback`` value."""
    fold_of = np.arange(len(pages)) % folds
    out: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for k in range(folds):
        train = [i for i in range(len(pages)) if fold_of[i] != k]
        model = _fit(pages, xs, train, names, rounds, rows, params)
        for i in np.flatnonzero(fold_of == k):
            if rows is None or fallback is None:
                out[i] = model.predict(xs[i])
            else:
                out[i] = fallback[i].copy()
                if rows[i].any():
                    out[i][rows[i]] = model.predict(xs[i][rows[i]])
    return out


def _fit(  # type: ignore[no-untyped-def]
    pages: list[LabelledPage],
    xs: list[np.ndarray],
    idx: list[int],
    names: list[str],
    rounds: int,
    rows: list[np.ndarray] | None = None,
    params: dict | None = None,
):
    use = [(pages[i].y >= 0) & (rows[i] if rows is not None else True) for i in idx]
    x = np.vstack([xs[i][u] for i, u in zip(idx, use, strict=True)])
    y = np.concatenate([pages[i].y[u] for i, u in zip(idx, use, strict=True)])
    w = np.concatenate([weights(pages[i])[u] for i, u in zip(idx, use, strict=True)])
    return _train(x, y, w, names, params or BLOCK_PARAMS, rounds)


def body_scores(
    pages: list[LabelledPage], qs: list[np.ndarray], keep: float = 0.5
) -> dict[str, dict[str, float]]:
    """Body P/R/F1 per set of the decisions ``keep_mask`` makes from ``qs``: full-body pages (WCXB's
    article pages apart from its other page types), and snippet P/R/F1 on the sets labelled only by
    snippets (trafilatura's evaluation F1, as the bench counts it)."""
    per_set: dict[str, list[tuple[float, float, float]]] = {}
    snippets: dict[str, list[int]] = {}
    full = {page.set for page in pages if page.record.truth.get("body")}
    for page, q in zip(pages, qs, strict=True):
        truth = page.record.truth
        if not truth.get("body") and (page.set in full or not truth.get("with")):
            continue
        kept, _ = keep_mask(page.cands, q, page.arr, keep)
        text = "\n".join(c.text for c, k in zip(page.cands, kept, strict=True) if k)
        if truth.get("body"):
            name = page.set
            if truth.get("page_type"):
                name += "/article" if truth["page_type"] == "article" else "/other"
            per_set.setdefault(name, []).append(body_prf(truth["body"], text))
        else:
            found = _snippet_hits(text, truth["with"], truth.get("without") or [])
            snippets[page.set] = [
                a + b for a, b in zip(snippets.get(page.set, [0, 0, 0]), found, strict=True)
            ]
    scores = {name: aggregate(rows) for name, rows in per_set.items()}
    for name, (tp, fn, fp) in snippets.items():
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        scores[name] = {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-9)}
    return scores


def _snippet_hits(text: str, with_: list[str], without: list[str]) -> tuple[int, int, int]:
    """(must-have snippets found, must-have missed, must-not found), as the bench counts them."""
    squashed = " ".join(text.split())

    def found(snippets: list[str]) -> int:
        return sum(" ".join(s.split()) in squashed for s in snippets)

    hits = found(with_)
    return hits, len(with_) - hits, found(without)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="report scores, write nothing")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--page-only", action="store_true", help="retrain only the page model (needs --cache)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the labelled pages in this pickle between runs (relabelled when the code changed)",
    )
    parser.add_argument(
        "--set-weight", action="append", default=[], metavar="SET=W", help="weigh that set's pages W times"
    )
    parser.add_argument(
        "--other-weight", type=float, default=OTHER_WEIGHT[0], help="weight of non-article pages"
    )
    parser.add_argument(
        "--oof-out", type=Path, help="write the out-of-fold scores here (default: next to --cache)"
    )
    parser.add_argument(
        "--block-from",
        type=Path,
        help="reuse the out-of-fold block scores of this file (retrain the context model)",
    )
    parser.add_argument(
        "--param", action="append", default=[], metavar="MODEL.NAME=V",
        help="override a LightGBM parameter (MODEL: block or context; NAME rounds: the trees)",
    )  # fmt: skip
    parser.add_argument("--char-weight", type=float, default=CHAR_WEIGHT[0], help="share of weight by text")
    args = parser.parse_args()
    OTHER_WEIGHT[0] = args.other_weight
    CHAR_WEIGHT[0] = args.char_weight
    for item in args.param:
        _override(item)
    for item in args.set_weight:
        name, _, value = item.partition("=")
        SET_WEIGHTS[name] = float(value)

    t0 = time.time()
    source = source_digest()
    pages = read_cache(args.cache, source) if args.cache else None
    cached = pages is not None
    if pages is None:
        pages = [p for p in labelled_pages("train") if (p.y >= 0).any() or p.is_article >= 0]
        if args.cache:
            write_cache(args.cache, source, pages)
    assert all(split_of(p.id) == "train" for p in pages)
    print(f"{len(pages)} train pages, {sum(len(p.y) for p in pages)} blocks ({time.time() - t0:.0f}s)")

    xs = [p.x for p in pages]
    oof = args.oof_out or (args.cache.with_suffix(".oof.pkl") if args.cache else None)
    if args.page_only and cached and oof and oof.exists():
        ps, qs = pickle.loads(oof.read_bytes())
        xcs = [context_features(p.x, p.arr, pv) for p, pv in zip(pages, ps, strict=True)]
    else:
        if args.block_from:
            ps, _ = pickle.loads(args.block_from.read_bytes())
        else:
            ps = _stack(pages, xs, BLOCK_FEATURES, args.folds, ROUNDS)
        print("block model, out of fold:", _fmt(body_scores(pages, ps)), flush=True)
        xcs = [context_features(p.x, p.arr, pv) for p, pv in zip(pages, ps, strict=True)]
        qs = _stack(pages, xcs, CONTEXT_FEATURES, args.folds, CONTEXT_ROUNDS, _open(ps), ps, CONTEXT_PARAMS)
        if oof:
            oof.write_bytes(pickle.dumps((ps, qs)))
    keep = _best_keep(pages, qs)
    print(f"context model, out of fold, keep >= {keep}:", _fmt(body_scores(pages, qs, keep)), flush=True)

    page_x, page_y = [], []
    for page, pv, qv in zip(pages, ps, qs, strict=True):
        if page.is_article < 0:
            continue
        kept, _ = keep_mask(page.cands, qv, page.arr, keep)
        signals = getattr(page, "signals", None) or signals_of(page.record)
        page_x.append(page_features(page.cands, page.arr, pv, qv, kept, signals)[0])
        page_y.append(page.is_article)
    px, py = np.asarray(page_x), np.asarray(page_y)
    article = _page_cv(px, py, args.folds)

    if args.dry_run:
        return
    page_model = _train(px, py, np.ones(len(py)), PAGE_FEATURES, PAGE_PARAMS, PAGE_ROUNDS)
    meta = {
        "trained_on": "train split of trafilatura, wcxb-dev, fundus, readability",
        "pages": len(pages),
        **provenance(pages),
    }
    boosters = [("html_page", page_model, {**meta, "article": article})]
    if not args.page_only:
        everything = list(range(len(pages)))
        block = _fit(pages, xs, everything, BLOCK_FEATURES, ROUNDS)
        context = _fit(pages, xcs, everything, CONTEXT_FEATURES, CONTEXT_ROUNDS, _open(ps), CONTEXT_PARAMS)
        boosters += [("html_block", block, meta), ("html_context", context, {**meta, "keep": keep})]
    for name, booster, info in boosters:
        path = MODELS / f"{name}.json.gz"
        from_lightgbm(booster.dump_model(), meta=info).save(path)
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


def _override(item: str) -> None:
    """Apply one ``--param MODEL.NAME=V`` override."""
    global ROUNDS, CONTEXT_ROUNDS
    name, _, value = item.partition("=")
    model, _, param = name.partition(".")
    if param == "rounds":
        if model == "block":
            ROUNDS = int(value)
        else:
            CONTEXT_ROUNDS = int(value)
        return
    target = BLOCK_PARAMS if model == "block" else CONTEXT_PARAMS
    old = target[param]
    target[param] = type(old)(value) if isinstance(old, int | float | str) else value


def source_digest(root: Path = ROOT) -> str:
    """Digest of the code that parses, featurises and labels the pages (``LABEL_SOURCES``)."""
    digest = hashlib.sha256()
    for part in LABEL_SOURCES:
        path = root / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


def read_cache(path: Path, source: str) -> list[LabelledPage] | None:
    """The cached labelled pages, or None when there are none or other code labelled them."""
    if not path.exists():
        return None
    cached = pickle.loads(path.read_bytes())
    if not isinstance(cached, dict) or cached.get("source") != source:
        print(f"{path}: labelled by other code, labelling afresh")
        return None
    pages: list[LabelledPage] = cached["pages"]
    return pages


def write_cache(path: Path, source: str, pages: list[LabelledPage]) -> None:
    path.write_bytes(pickle.dumps({"source": source, "pages": pages}, protocol=pickle.HIGHEST_PROTOCOL))


def provenance(pages: list[LabelledPage], root: Path = ROOT) -> dict[str, object]:
    """What a model file records so that it can be retrained and compared: the commit and code, the
    pages (per set, and a digest of their ids), the library and the seed."""
    ids = "\n".join(sorted(f"{page.set}/{page.id}" for page in pages))
    try:
        lightgbm = metadata.version("lightgbm")
    except metadata.PackageNotFoundError:
        lightgbm = None
    return {
        "commit": _commit(root),
        "source": source_digest(root),
        "pages_per_set": dict(sorted(Counter(page.set for page in pages).items())),
        "pages_sha256": hashlib.sha256(ids.encode()).hexdigest()[:16],
        "lightgbm": lightgbm,
        "seed": BLOCK_PARAMS["seed"],
        "set_weights": dict(SET_WEIGHTS),
        "other_weight": OTHER_WEIGHT[0],
    }


def _commit(root: Path) -> str:
    """HEAD's commit, ``+dirty`` when the code differs from it (model files aside); "unknown" outside git."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout

    try:
        head = git("rev-parse", "HEAD").strip()
        dirty = git("status", "--porcelain", "--", "src", "training", "bench", ":!src/broadsheet/models")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty.strip() else "")


def _open(ps: list[np.ndarray]) -> list[np.ndarray]:
    """Blocks the context model rescores (``body_html.settled`` says which it leaves alone)."""
    return [~settled(p) for p in ps]


def _best_keep(pages: list[LabelledPage], qs: list[np.ndarray]) -> float:
    """The keep threshold with the best mean body F1 over the sets' article pages, out of fold.

    WCXB's other page types (forums, products, listings) are left out: they favour keeping much more
    than articles do, and broadsheet is an article extractor (the page model turns most of them away).
    """

    def mean_f1(keep: float) -> float:
        scores = body_scores(pages, qs, keep)
        return float(np.mean([v["f1"] for k, v in scores.items() if not k.endswith("/other")]))

    return max((0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7), key=mean_f1)


def _page_cv(px: np.ndarray, py: np.ndarray, folds: int) -> float:
    """Cross-validated page verdicts; returns the threshold with the best balanced accuracy."""
    fold_of = np.arange(len(py)) % folds
    pred = np.zeros(len(py))
    for k in range(folds):
        train = fold_of != k
        model = _train(
            px[train], py[train], np.ones(int(train.sum())), PAGE_FEATURES, PAGE_PARAMS, PAGE_ROUNDS
        )
        pred[~train] = model.predict(px[~train])

    def balanced(t: float) -> float:
        return float(np.mean(pred[py == 1] >= t) + np.mean(pred[py == 0] < t))

    # Best balanced accuracy among thresholds that reject at most 8% of real articles: an article
    # called a listing is a worse loss for a news archive than a listing let through.
    allowed = [t for t in np.arange(0.1, 0.9, 0.05).round(2).tolist() if np.mean(pred[py == 1] < t) <= 0.08]
    article = max(allowed or [0.1], key=balanced)
    guess = pred >= article
    print(f"page threshold {article}", end="; ")
    print(
        f"page model, out of fold: accuracy {np.mean(guess == py):.3f}; "
        f"non-articles called articles {np.mean(guess[py == 0]):.3f}; articles rejected {np.mean(~guess[py == 1]):.3f}"
    )
    return float(article)


def _fmt(scores: dict[str, dict[str, float]]) -> str:
    return "  ".join(
        f"{k} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f}" for k, v in sorted(scores.items())
    )


if __name__ == "__main__":
    main()
