"""Tree ensembles of the text path, evaluated on a (features × lines) matrix with a fixed number of numpy
calls per tree level, whatever the number of trees or models.

Every tree is re-laid as a complete binary tree of the ensemble's depth (heap order: the children of
node k are 2k+1 and 2k+2; padding nodes always go left and repeat their leaf), so one level of every
tree for every line is three gathers and a comparison. Several models scoring the same lines (the
headline, byline and dateline models) are packed into one ensemble and evaluated in one pass; their
leaf sums are split per model at the end. Split features are stored as rows of the input matrix, so
the page's feature matrix is read as it is, never re-ordered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import TreeModel

__all__ = ["Packed", "pack", "scores"]


@dataclass(slots=True)
class Packed:
    """Models packed as complete trees of one depth."""

    feature: np.ndarray  # (trees * inner,) intp: the input row a node splits on
    threshold: np.ndarray  # (trees * inner,) float64
    leaf: np.ndarray  # (trees * leaves,) float64
    step: np.ndarray  # (trees,) intp: 1 - the tree's first node, to step to a child in absolute terms
    leaf_base: np.ndarray  # (trees,) intp: offset from a last-level node to its leaf slot
    depth: int
    bounds: np.ndarray  # (models + 1,) tree ranges of the models
    bases: np.ndarray  # (models,) each model's constant


def _fill(model: TreeModel, t: int, depth: int, rows: np.ndarray, out: tuple[np.ndarray, ...]) -> None:
    """Lay tree ``t`` of ``model`` into row ``t`` of the (trees × nodes) arrays ``out``."""
    feature, threshold, leaf = out
    inner = (1 << depth) - 1
    stack = [(int(model.roots[t]), 0, 0)]  # (pack node, heap position, level)
    while stack:
        node, pos, level = stack.pop()
        if model.feature[node] < 0:
            first = pos  # a leaf above the last level fills every leaf slot below it
            for _ in range(depth - level):
                first = 2 * first + 1
            span = 1 << (depth - level)
            leaf[first - inner : first - inner + span] = model.value[node]
            continue
        feature[pos] = rows[model.feature[node]]
        threshold[pos] = model.threshold[node]
        stack.append((int(model.left[node]), 2 * pos + 1, level + 1))
        stack.append((int(model.right[node]), 2 * pos + 2, level + 1))


def pack(models: Sequence[TreeModel], row_of: Callable[[str], int]) -> Packed:
    """Pack ``models`` for input matrices whose row ``row_of(name)`` holds feature ``name``."""
    depth = max(max(m.depth, 1) for m in models)
    inner, leaves = (1 << depth) - 1, 1 << depth
    trees = sum(len(m.roots) for m in models)
    feature = np.zeros((trees, inner), dtype=np.intp)
    threshold = np.full((trees, inner), np.inf)  # padding nodes always go left
    leaf = np.zeros((trees, leaves))
    t = 0
    for model in models:
        rows = np.array([row_of(name) for name in model.feature_names], dtype=np.intp)
        for k in range(len(model.roots)):
            _fill(model, k, depth, rows, (feature[t], threshold[t], leaf[t]))
            t += 1
    first = np.arange(trees) * inner
    return Packed(
        feature=feature.ravel(),
        threshold=threshold.ravel(),
        leaf=leaf.ravel(),
        step=1 - first,
        leaf_base=np.arange(trees) * leaves - first - inner,
        depth=depth,
        bounds=np.cumsum([0, *(len(m.roots) for m in models)]),
        bases=np.array([m.base for m in models]),
    )


def scores(packed: Packed, x: np.ndarray) -> np.ndarray:
    """Probability of each packed model for each column of ``x`` (features × lines, no NaN): an array of
    shape (models, lines)."""
    n = x.shape[1]
    m = len(packed.bases)
    if not n:
        return np.zeros((m, 0))
    x = np.ascontiguousarray(x, dtype=np.float64)
    flat = x.ravel()
    # (trees, lines): a tree's nodes for consecutive lines sit together, and at the first levels they
    # read the same feature row, so the gathers below walk memory mostly in order
    root = 1 - packed.step
    node = (x[packed.feature[root]] > packed.threshold[root, None]).astype(np.intp)
    node += (root + 1)[:, None]  # 2·root + step + right: the root's child
    col = np.arange(n)
    offset = packed.feature * n  # where a node's feature row starts in the flat input
    step = packed.step[:, None]
    # indexes are in range by construction: "clip" skips take's bounds check, which costs a pass
    for _ in range(packed.depth - 1):
        at = offset.take(node, mode="clip")
        at += col
        right = flat.take(at, mode="clip") > packed.threshold.take(node, mode="clip")
        node += node  # to the left child: 2k + 1 in the tree's own numbering
        node += step
        node += right
    node += packed.leaf_base[:, None]
    values = packed.leaf.take(node, mode="clip")
    raw = np.add.reduceat(values, packed.bounds[:-1], axis=0) + packed.bases[:, None]
    return 1.0 / (1.0 + np.exp(-raw))
