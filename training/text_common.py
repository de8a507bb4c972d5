"""Helpers shared by the text_* training scripts: the line table, page texts, page-level scoring."""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(HERE)]

from bench.datasets import load  # noqa: E402
from bench.metrics import aggregate, body_prf  # noqa: E402
from text_eval import truth_body  # noqa: E402
from text_flatten import cache_dir, flat_path  # noqa: E402

from broadsheet.options import Options  # noqa: E402
from broadsheet.pipeline.text import _split  # noqa: E402


class Table:
    """The line table written by text_data.py."""

    def __init__(self, path: Path | None = None) -> None:
        data = np.load(path or cache_dir() / "lines.npz")
        self.x = data["x"]
        self.y = data["y"]
        self.frac = data["frac"]
        self.page = data["page"]
        self.names = [str(n) for n in data["names"]]
        self.meta = json.loads(str(data["meta"]))
        self.bounds = np.concatenate(([0], np.cumsum(np.bincount(self.page, minlength=len(self.meta)))))

    def rows(self, pages: np.ndarray) -> np.ndarray:
        mask = np.zeros(len(self.meta), dtype=bool)
        mask[pages] = True
        return np.flatnonzero(mask[self.page])

    def pages_where(self, **cond: str) -> np.ndarray:
        return np.array([i for i, m in enumerate(self.meta) if all(m[k] == v for k, v in cond.items())])


@lru_cache(maxsize=8)
def texts(name: str, conv: str) -> dict[str, str]:
    with gzip.open(flat_path(name, conv), "rt", encoding="utf-8") as fh:
        return {r["id"]: r["text"] for r in map(json.loads, fh) if r["text"]}


@lru_cache(maxsize=4)
def truths(name: str) -> dict[str, str]:
    return {r.id: truth_body(r.truth) for r in load(name) if r.truth.get("body")}


def page_lines(meta: dict) -> list[str]:
    return _page_lines(meta["set"], meta["conv"], meta["id"])


@cache
def _page_lines(name: str, conv: str, page_id: str) -> list[str]:
    return _split(texts(name, conv)[page_id], Options())[0]


@lru_cache(maxsize=4)
def urls(name: str) -> dict[str, str | None]:
    return {r.id: r.url for r in load(name)}


def score_pages(table: Table, pages: np.ndarray, keep: np.ndarray) -> dict[str, float]:
    """Body metric of keeping the lines ``keep`` (aligned with table rows) on ``pages``."""
    prfs = []
    for p in pages:
        meta = table.meta[p]
        lines = page_lines(meta)
        k = keep[table.bounds[p] : table.bounds[p + 1]]
        pred = "\n".join(line for line, kk in zip(lines, k, strict=True) if kk)
        prfs.append(body_prf(truths(meta["set"])[meta["id"]], pred))
    return aggregate(prfs)


def loss_causes(
    label: np.ndarray,
    kept: np.ndarray,
    words: np.ndarray,
    short: np.ndarray,
    *,
    wrong_page: bool,
    comment: np.ndarray | None = None,
    convention: np.ndarray | None = None,
) -> dict[str, float]:
    """One page's wrongly kept and wrongly dropped words per cause, divided by its body words, so the shares
    add up to the page-averaged loss (``text_loss.py`` on the models' scores, ``text_pipeline_loss.py`` on
    the pipeline's verdicts). Per line: ``label`` (in the body), ``kept``, ``words``, ``short`` (a short line
    without a sentence end); ``wrong_page``: the page's F1 is under 0.5 (the wrong block won), all its
    errors one cause. Optional masks name two more causes: a kept line after the body that reads as
    comments, a dropped line the labels keep by convention (captions, credits, repeats)."""
    out: dict[str, float] = defaultdict(float)
    if not label.any():
        return out
    body = max(float(words[label].sum()), 1.0)
    if wrong_page:
        out["page: wrong block / body lost"] = float(words[label != kept].sum()) / body
        return out
    first, last = np.flatnonzero(label)[[0, -1]]
    on = np.flatnonzero(kept)
    k0, k1 = (on[0], on[-1]) if len(on) else (len(kept), -1)
    for i in np.flatnonzero(label != kept):
        if kept[i]:
            where = "above" if i < first else "after" if i > last else "inside"
            what = "comment kw" if comment is not None and comment[i] and where == "after" else ""
            out[f"kept: {where} body {what}".strip()] += words[i] / body
        elif convention is not None and convention[i]:
            out["dropped: convention (caption/credit/repeat)"] += words[i] / body
        elif i < k0 or i > k1:
            out[f"dropped: edge ({'short' if short[i] else 'prose'})"] += words[i] / body
        else:
            out[f"dropped: inside ({'short' if short[i] else 'prose'})"] += words[i] / body
    return out


def print_causes(title: str, pages: int, total: dict[str, float]) -> None:
    """The page-averaged loss of a set and variant, then its causes, the largest first."""
    print(f"{title}: {pages} pages, error words per body word {sum(total.values()):.3f}")
    for cause, share in sorted(total.items(), key=lambda kv: -kv[1]):
        print(f"  {share:.3f}  {cause}")
