"""The packed evaluator of the text path reaches, for every line, the leaves a plain walk of each tree reaches."""

from __future__ import annotations

import numpy as np
import pytest

from broadsheet.model import TreeModel, load_model
from broadsheet.pipeline.text_trees import pack, scores


def _random_model(rng: np.random.Generator, n_features: int, n_trees: int, max_depth: int) -> TreeModel:
    """Trees of uneven shape (leaves at every level), splitting on values the inputs also take."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    deepest = 0

    def grow(depth: int) -> int:
        nonlocal deepest
        deepest = max(deepest, depth)
        index = len(feature)
        feature.append(-1)
        threshold.append(0.0)
        left.append(index)
        right.append(index)
        value.append(float(rng.normal()))
        if depth < max_depth and (depth == 0 or rng.random() < 0.75):
            feature[index] = int(rng.integers(n_features))
            threshold[index] = float(rng.integers(-3, 4)) / 2  # on the grid of the inputs: ties happen
            left[index] = grow(depth + 1)
            right[index] = grow(depth + 1)
        return index

    for _ in range(n_trees):
        roots.append(grow(0))
    return TreeModel(
        feature=np.asarray(feature, dtype=np.int32),
        threshold=np.asarray(threshold),
        left=np.asarray(left, dtype=np.int32),
        right=np.asarray(right, dtype=np.int32),
        default_left=np.ones(len(feature), dtype=bool),
        value=np.asarray(value),
        roots=np.asarray(roots, dtype=np.int32),
        depth=deepest,
        feature_names=[f"f{i}" for i in range(n_features)],
        base=float(rng.normal()),
    )


def _walk(model: TreeModel, row: np.ndarray) -> float:
    """The reference: one row, one tree at a time, leaf values added in tree order."""
    total = 0.0
    for root in model.roots:
        node = int(root)
        while model.feature[node] >= 0:
            go_right = row[model.feature[node]] > model.threshold[node]
            node = int(model.right[node] if go_right else model.left[node])
        total += float(model.value[node])
    return total + model.base


@pytest.mark.parametrize("seed", range(6))
def test_packed_models_equal_a_plain_walk(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_features = int(rng.integers(1, 9))
    models = [
        _random_model(rng, n_features, int(rng.integers(1, 12)), int(rng.integers(0, 7))) for _ in range(3)
    ]
    # the input matrix holds the features in another order, with unrelated rows in between
    order = rng.permutation(n_features + 3)
    row_of = {f"f{i}": int(order[i]) for i in range(n_features)}
    packed = pack(models, row_of.__getitem__)
    n = int(rng.integers(1, 300))
    lines = rng.integers(-4, 5, size=(n, n_features)) / 2
    x = rng.normal(size=(n_features + 3, n))
    for i in range(n_features):
        x[row_of[f"f{i}"]] = lines[:, i]
    got = scores(packed, x)
    assert got.shape == (3, n)
    for k, model in enumerate(models):
        raw = np.array([_walk(model, row) for row in lines])
        # leaf values are O(1): a wrong leaf anywhere would be far outside the summation-order tolerance
        np.testing.assert_allclose(got[k], 1.0 / (1.0 + np.exp(-raw)), rtol=0, atol=1e-12)


def test_columns_of_a_view_score_as_the_whole_matrix() -> None:
    rng = np.random.default_rng(7)
    model = _random_model(rng, 4, 20, 5)
    packed = pack([model], lambda name: int(name[1:]))
    x = rng.integers(-4, 5, size=(4, 50)) / 2
    some = np.arange(0, 50, 3)
    np.testing.assert_array_equal(scores(packed, x[:, some]), scores(packed, x)[:, some])
    assert scores(packed, x[:, :0]).shape == (1, 0)


def test_shipped_line_model_agrees_with_the_reference_evaluator() -> None:
    model = load_model("text_body_lines")
    names = model.feature_names
    packed = pack([model], names.index)
    rng = np.random.default_rng(3)
    x = np.abs(rng.normal(size=(len(names), 400))) * rng.choice([0.1, 1.0, 10.0, 100.0], size=(len(names), 1))
    np.testing.assert_allclose(scores(packed, x)[0], model.predict(x.T), rtol=1e-12, atol=0)


def test_a_matrix_with_fewer_rows_than_the_splits_read_is_refused() -> None:
    rng = np.random.default_rng(11)
    model = _random_model(rng, 6, 10, 4)
    packed = pack([model], lambda name: int(name[1:]))
    assert packed.rows <= 6
    x = rng.integers(-4, 5, size=(6, 20)) / 2
    assert scores(packed, x).shape == (1, 20)
    with pytest.raises(ValueError, match="feature rows"):
        scores(packed, x[: packed.rows - 1])


def test_a_split_past_the_feature_names_is_refused() -> None:
    model = _random_model(np.random.default_rng(12), 4, 5, 3)
    model.feature = np.where(model.feature >= 0, 7, model.feature).astype(np.int32)  # 4 names, splits on 7
    with pytest.raises(ValueError, match="a split on feature 7 of 4"):
        model.raw(np.zeros((3, 4)))
