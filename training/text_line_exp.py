"""Line-model experiments with page-level layout columns derived from the line table (train split, the
grouped 4-fold CV of text_cv.py): does telling the model how the page's converter lays out blank lines help?

    python training/text_line_exp.py [--layout]

Why: html-text (guess_layout) sets more blocks apart with blank lines than resiliparse (train pages,
share of lines alone in their blank-line group: fundus 0.37 vs 0.30; of body lines 0.94 vs 0.96), so a
rail's lines look like lone paragraphs. Finding (2026-11-26): with the three layout columns the line model's
CV mean is 0.9064 (without: 0.9064) and the context model's 0.9111 (without: 0.9130): no gain.
"""

from __future__ import annotations

import argparse

import numpy as np
from text_common import Table
from text_cv import report
from text_flatten import cache_dir
from text_train import (
    CONTEXT_PARAMS,
    LINE_PARAMS,
    LINE_ROUNDS,
    context_matrix,
    line_matrix,
    out_of_fold,
    weights,
)

from broadsheet.pipeline.body_text import CONTEXT_NAMES


def layout_columns(table: Table) -> tuple[np.ndarray, list[str]]:
    """Per line: the page's share of lines alone in their blank-line group, the share of its prose lines
    that are, and the line's group size over the page's mean."""
    col = table.names.index
    size, prose = table.x[:, col("group_size")], table.x[:, col("prose")]
    single = (size == 1).astype(np.float64)
    n = np.bincount(table.page).astype(np.float64)
    share = np.bincount(table.page, weights=single) / np.maximum(n, 1)
    prose_n = np.bincount(table.page, weights=prose)
    prose_single = np.bincount(table.page, weights=single * prose) / np.maximum(prose_n, 1)
    mean_size = np.bincount(table.page, weights=size) / np.maximum(n, 1)
    out = np.stack([share[table.page], prose_single[table.page], size / mean_size[table.page]], axis=1)
    return out.astype(np.float32), ["page_singletons", "prose_singletons", "rel_group_size"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layout", action="store_true")
    args = ap.parse_args()
    table = Table()
    pages = table.pages_where(split="train")
    w = weights(table)
    x1, names = line_matrix(table)
    if args.layout:
        xl, nl = layout_columns(table)
        x1, names = np.hstack([x1, xl]), names + nl
    p1 = out_of_fold(table, x1, names, pages, w, LINE_PARAMS, LINE_ROUNDS)
    del x1
    tag = "layout" if args.layout else "base"
    np.save(cache_dir() / f"p1_{tag}_exp.npy", p1)
    report(table, pages, p1 >= 0.5, f"line {tag}")
    x2 = context_matrix(table, p1, pages)
    p2 = out_of_fold(table, x2, list(CONTEXT_NAMES), pages, w, CONTEXT_PARAMS, 40)
    np.save(cache_dir() / f"p2_{tag}_exp.npy", p2)
    report(table, pages, p2 >= 0.5, f"ctx {tag}")


if __name__ == "__main__":
    main()
