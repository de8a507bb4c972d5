"""Small learned models shipped inside the package, evaluated with numpy (no training library at run time).

A model is a gradient-boosted tree ensemble trained with LightGBM (the ``train`` extra) and stored as
compact JSON: per tree, parallel arrays of split feature, threshold, default-left flag and children.
``TreeModel.predict`` walks every tree for every row at once — one numpy gather per tree level —
so a page's blocks are scored in a handful of array operations rather than a Python loop per block.
Where the install compiled ``pipeline/_trees.pyx``, the same sums come from it, to the bit.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .pipeline.compiled import compiled

__all__ = ["TreeModel", "from_lightgbm", "load_model"]


@dataclass(slots=True)
class TreeModel:
    """Trees packed into flat arrays. Node ``i`` of the pack: ``feature[i]`` < 0 marks a leaf with ``value[i]``."""

    feature: np.ndarray  # int32, split feature, -1 at leaves
    threshold: np.ndarray  # float64
    left: np.ndarray  # int32, absolute index of the left child
    right: np.ndarray  # int32
    default_left: np.ndarray  # bool, where NaN goes
    value: np.ndarray  # float64, leaf output
    roots: np.ndarray  # int32, root node of each tree
    depth: int
    feature_names: list[str]
    base: float = 0.0
    meta: dict[str, Any] | None = None
    dense: tuple[np.ndarray, ...] | None = None  # the complete trees, flat (``_densify``): built on first use

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Sum of leaf values over trees for each row of ``x`` (n_rows × n_features)."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.feature_names):
            raise ValueError(f"expected {len(self.feature_names)} features, got shape {x.shape}")
        n = x.shape[0]
        if n == 0:
            return np.zeros(0)
        if self.depth > _MAX_DENSE_DEPTH:
            return self._raw_sparse(x)
        if self.dense is None:
            self.dense = _densify(self)
        heap_f, heap_t, heap_d, heap_leaves, roots = self.dense
        if COMPILED_RAW is not None:  # a few rows at a time: no chunks needed
            out = np.empty(n)
            steps = max(self.depth, 1)  # as below: the first step, then depth - 1
            COMPILED_RAW(x, heap_f, heap_t, heap_d.view(np.uint8), heap_leaves, roots, steps, out)
            return out + self.base
        if n > _CHUNK:  # bounded memory on pages with very many rows
            return np.concatenate([self.raw(x[i : i + _CHUNK]) for i in range(0, n, _CHUNK)])
        flat_x = x.ravel()
        has_nan = bool(np.isnan(x).any())
        row_base = (np.arange(n, dtype=np.intp) * x.shape[1])[:, None]
        # Every row starts at the roots, so the first step reads the roots' split columns directly; then
        # ``pos`` (rows × trees, heap numbering: the children of node p are 2p and 2p + 1) steps in place.
        xv = x.take(heap_f.take(roots), axis=1)
        right = xv > heap_t.take(roots)
        if has_nan:
            right |= np.isnan(xv) & ~heap_d.take(roots)
        pos = right.astype(np.intp)
        pos += 2 * roots
        for _ in range(self.depth - 1):
            where = heap_f.take(pos)
            where += row_base
            xv = flat_x.take(where)
            right = xv > heap_t.take(pos)
            if has_nan:
                right |= np.isnan(xv) & ~heap_d.take(pos)
            pos += pos
            pos += right
        return heap_leaves.take(pos).sum(axis=1) + self.base

    def _raw_sparse(self, x: np.ndarray) -> np.ndarray:
        """Node-by-node walk for trees too deep to store complete."""
        n = x.shape[0]
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            feat = self.feature[node]
            inner = feat >= 0
            if not inner.any():
                break
            safe = np.where(inner, feat, 0)
            xv = x[rows, safe]
            go_left = np.where(np.isnan(xv), self.default_left[node], xv <= self.threshold[node])
            nxt = np.where(go_left, self.left[node], self.right[node])
            node = np.where(inner, nxt, node)
        return self.value[node].sum(axis=1) + self.base

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class (binary objective)."""
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "broadsheet-trees-1",
            "feature_names": self.feature_names,
            "depth": self.depth,
            "base": self.base,
            "meta": self.meta or {},
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": [float(t) for t in self.threshold],
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "default_left": [int(b) for b in self.default_left],
            "value": [float(v) for v in self.value],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeModel:
        if data.get("format") != "broadsheet-trees-1":
            raise ValueError("not a broadsheet tree model")
        return cls(
            feature=np.asarray(data["feature"], dtype=np.int32),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.int32),
            right=np.asarray(data["right"], dtype=np.int32),
            default_left=np.asarray(data["default_left"], dtype=bool),
            value=np.asarray(data["value"], dtype=np.float64),
            roots=np.asarray(data["roots"], dtype=np.int32),
            depth=int(data["depth"]),
            feature_names=list(data["feature_names"]),
            base=float(data.get("base", 0.0)),
            meta=data.get("meta") or {},
        )

    def save(self, path: str | Path) -> None:
        raw = json.dumps(self.to_json(), separators=(",", ":")).encode()
        Path(path).write_bytes(gzip.compress(raw, mtime=0) if str(path).endswith(".gz") else raw)


_MAX_DENSE_DEPTH = 12
_CHUNK = 4096
#: ``pipeline._trees.dense_raw`` where the install built it (else ``raw``'s numpy steps run).
COMPILED_RAW: Any = compiled("_trees", "dense_raw")


def _densify(model: TreeModel) -> tuple[np.ndarray, ...]:
    """Every tree as a complete binary tree of the ensemble's depth, all in one heap-numbered array.

    A leaf above the last level becomes a chain of always-left splits (threshold +inf, NaN left) that
    ends in copies of its value, so every row takes exactly ``depth`` steps and one numpy gather per
    step serves all rows and all trees at once. The trees hang side by side below a virtual complete
    tree of ``r`` ≥ n_trees leaves (tree t's root is heap node r + t): the children of any node p are
    then 2p and 2p + 1 whichever tree it is in, and a step is ``pos += pos; pos += right``.
    Returns the split feature (index-sized), threshold and NaN-left flag per heap node, the leaf value per
    heap node of the last level, and the roots.
    """
    split = model.feature[model.feature >= 0]
    if len(split) and int(split.max()) >= len(model.feature_names):
        # the compiled walk reads the row at that offset unchecked: refuse the model, not read past the row
        raise ValueError(f"a split on feature {int(split.max())} of {len(model.feature_names)}")
    depth = max(model.depth, 1)  # a forest of bare leaves still takes the one step ``raw`` takes
    n_trees = len(model.roots)
    r = 1 << max(n_trees - 1, 0).bit_length()
    size = r << depth  # heap nodes above the leaves' level; the leaves are numbered size .. 2·size − 1
    feat = np.zeros(size, dtype=np.intp)
    thr = np.full(size, np.inf)
    dleft = np.ones(size, dtype=bool)
    leaves = np.zeros(2 * size)
    for t, root in enumerate(model.roots.tolist()):
        todo = [(int(root), r + t, 0)]
        while todo:
            src, dst, level = todo.pop()
            if model.feature[src] < 0:
                # fill every leaf below dst with this value
                below = depth - level
                leaves[dst << below : (dst + 1) << below] = model.value[src]
                continue
            feat[dst] = model.feature[src]
            thr[dst] = model.threshold[src]
            dleft[dst] = model.default_left[src]
            todo.append((int(model.left[src]), 2 * dst, level + 1))
            todo.append((int(model.right[src]), 2 * dst + 1, level + 1))
    return feat, thr, dleft, leaves, r + np.arange(n_trees, dtype=np.intp)


def from_lightgbm(dump: dict[str, Any], meta: dict[str, Any] | None = None) -> TreeModel:
    """Pack ``lightgbm.Booster.dump_model()`` output (numerical splits only) into a ``TreeModel``."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    default_left: list[bool] = []
    value: list[float] = []
    roots: list[int] = []
    max_depth = 0

    def add(node: dict[str, Any], depth: int) -> int:
        nonlocal max_depth
        max_depth = max(max_depth, depth)
        index = len(feature)
        feature.append(-1)
        threshold.append(0.0)
        left.append(index)
        right.append(index)
        default_left.append(True)
        value.append(0.0)
        if "leaf_value" in node or "split_feature" not in node:
            value[index] = float(node.get("leaf_value", 0.0))
            return index
        if node.get("decision_type", "<=") != "<=":
            raise ValueError("only numerical '<=' splits are supported")
        feature[index] = int(node["split_feature"])
        threshold[index] = float(node["threshold"])
        # NaN follows default_left only where training saw missing values; elsewhere LightGBM reads it as 0.
        if node.get("missing_type", "NaN") == "NaN":
            default_left[index] = bool(node.get("default_left", True))
        else:
            default_left[index] = threshold[index] >= 0.0
        left[index] = add(node["left_child"], depth + 1)
        right[index] = add(node["right_child"], depth + 1)
        return index

    for tree in dump["tree_info"]:
        roots.append(add(tree["tree_structure"], 0))
    return TreeModel(
        feature=np.asarray(feature, dtype=np.int32),
        threshold=np.asarray(threshold, dtype=np.float64),
        left=np.asarray(left, dtype=np.int32),
        right=np.asarray(right, dtype=np.int32),
        default_left=np.asarray(default_left, dtype=bool),
        value=np.asarray(value, dtype=np.float64),
        roots=np.asarray(roots, dtype=np.int32),
        depth=max_depth,
        feature_names=list(dump.get("feature_names", [])),
        meta=meta,
    )


@lru_cache(maxsize=8)
def load_model(name: str) -> TreeModel:
    """A model shipped in ``broadsheet/models/<name>.json.gz``."""
    raw = resources.files("broadsheet.models").joinpath(f"{name}.json.gz").read_bytes()
    return TreeModel.from_json(json.loads(gzip.decompress(raw)))
