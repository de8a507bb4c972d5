"""Helpers shared by the text_* training scripts: the line table, page texts, page-level scoring."""

from __future__ import annotations

import gzip
import json
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(HERE)]

from bench.datasets import load  # noqa: E402
from bench.metrics import aggregate, body_prf  # noqa: E402
from text_eval import truth_body  # noqa: E402
from text_flatten import cache_dir  # noqa: E402

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
    with gzip.open(cache_dir() / f"{name}.{conv}.jsonl.gz", "rt", encoding="utf-8") as fh:
        return {r["id"]: r["text"] for r in map(json.loads, fh) if r["text"]}


@lru_cache(maxsize=4)
def truths(name: str) -> dict[str, str]:
    return {r.id: truth_body(r.truth) for r in load(name) if r.truth.get("body")}


def page_lines(meta: dict) -> list[str]:
    return _split(texts(meta["set"], meta["conv"])[meta["id"]], Options())[0]


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
