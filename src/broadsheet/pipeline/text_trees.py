"""Tree ensembles of the text path, evaluated on a (features × lines) matrix with a fixed number of numpy
calls per tree level, whatever the number of trees or models.

Every tree is re-laid as a complete binary tree of the ensemble's depth (padding nodes always go left
and repeat their leaf), and the trees as the subtrees of one heap: numbered from 1, the children of
node k are 2k and 2k+1 whatever the tree, so one level of every tree for every line is three gathers,
a comparison and two additions. Several models scoring the same lines (the headline, byline and
dateline models) are packed into one ensemble and evaluated in one pass; their leaf sums are split per
model at the end. Split features are stored as rows of the input matrix, so
the page's feature matrix is read as it is, never re-ordered. Where the install compiled
``pipeline/_trees.pyx``, each line goes down each tree there instead, with the same sums to the bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import TreeModel
from .compiled import compiled

__all__ = ["Packed", "pack", "scores"]


@dataclass(slots=True)
class Packed:
    """Models packed as complete trees of one depth, laid in one heap (numbered from 1).

    With ``top`` the trees rounded up to a power of two, the root of tree t is node ``top + t`` and its
    nodes at level L are ``(top + t)·2**L + j``; the leaves (level ``depth``) are stored from ``top·2**depth``.
    """

    feature: np.ndarray  # (top · 2**depth,) intp: the input row a node splits on
    threshold: np.ndarray  # (top · 2**depth,) float64
    leaf: np.ndarray  # (top · 2**depth,) float64: the leaf value of node top·2**depth + i
    trees: int
    top: int
    depth: int
    bounds: np.ndarray  # (models + 1,) tree ranges of the models
    bases: np.ndarray  # (models,) each model's constant
    rows: int = 0  # the input rows the splits read: a matrix needs at least as many


def _fill(model: TreeModel, t: int, depth: int, rows: np.ndarray, out: tuple[np.ndarray, ...]) -> None:
    """Lay tree ``t`` of ``model`` into row ``t`` of the (trees × nodes) arrays ``out`` (heap order from 0:
    the children of node k are 2k+1 and 2k+2)."""
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
    top = 1 << (trees - 1).bit_length()
    heap_feature = np.zeros(top << depth, dtype=np.intp)
    heap_threshold = np.full(top << depth, np.inf)
    for level in range(depth):  # level L of tree t: nodes (top + t)·2**L + j, j < 2**L
        width = 1 << level
        at = ((top + np.arange(trees)) << level)[:, None] + np.arange(width)
        heap_feature[at] = feature[:, width - 1 : 2 * width - 1]
        heap_threshold[at] = threshold[:, width - 1 : 2 * width - 1]
    heap_leaf = np.zeros(top << depth)
    heap_leaf[: trees * leaves] = leaf.ravel()
    return Packed(
        feature=heap_feature,
        threshold=heap_threshold,
        leaf=heap_leaf,
        trees=trees,
        top=top,
        depth=depth,
        bounds=np.cumsum([0, *(len(m.roots) for m in models)]).astype(np.intp),
        bases=np.array([m.base for m in models]),
        rows=int(heap_feature.max()) + 1,
    )


def scores(packed: Packed, x: np.ndarray) -> np.ndarray:
    """Probability of each packed model for each column of ``x`` (features × lines, no NaN): an array of
    shape (models, lines)."""
    n = x.shape[1]
    m = len(packed.bases)
    if x.shape[0] < packed.rows:  # both walks would read past the matrix (numpy's clipped gathers silently)
        raise ValueError(f"the models read {packed.rows} feature rows; the matrix has {x.shape[0]}")
    if not n:
        return np.zeros((m, 0))
    if COMPILED_RAW is not None:
        raw = np.empty((m, n))
        COMPILED_RAW(
            np.ascontiguousarray(x.T, dtype=np.float64),  # a line's features side by side
            packed.feature,
            packed.threshold,
            packed.leaf,
            packed.top,
            packed.depth,
            packed.bounds,
            raw,
        )
        raw += packed.bases[:, None]
        return 1.0 / (1.0 + np.exp(-raw))
    x = np.ascontiguousarray(x, dtype=np.float64)
    flat = x.ravel()
    # (trees, lines): a tree's nodes for consecutive lines sit together, and at the first levels they
    # read the same feature row, so the gathers below walk memory mostly in order
    root = np.arange(packed.top, packed.top + packed.trees)
    node = np.empty((packed.trees, n), dtype=np.intp)
    np.greater(x[packed.feature[root]], packed.threshold[root, None], out=node, casting="unsafe")
    node += (2 * root)[:, None]  # the root's child: 2k + right
    col = np.arange(n)
    offset = packed.feature * n  # where a node's feature row starts in the flat input
    at = np.empty_like(node)
    right = np.empty_like(node)
    # indexes are in range by construction: "clip" skips take's bounds check, which costs a pass
    for _ in range(packed.depth - 1):
        offset.take(node, out=at, mode="clip")
        at += col
        # the comparison written as 0/1 integers: adding a boolean array to the nodes would convert it
        np.greater(
            flat.take(at, mode="clip"), packed.threshold.take(node, mode="clip"), out=right, casting="unsafe"
        )
        node += node
        node += right
    node -= packed.top << packed.depth
    values = packed.leaf.take(node, mode="clip")
    raw = np.add.reduceat(values, packed.bounds[:-1], axis=0) + packed.bases[:, None]
    return 1.0 / (1.0 + np.exp(-raw))


#: ``pipeline._trees.packed_raw`` where the install built it (else the numpy steps above run).
COMPILED_RAW: Any = compiled("_trees", "packed_raw")
