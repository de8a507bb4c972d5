"""The numpy tree evaluator gives LightGBM's own predictions."""

from __future__ import annotations

import numpy as np
import pytest

from broadsheet.model import TreeModel, from_lightgbm

lgb = pytest.importorskip("lightgbm", reason="the 'train' extra (lightgbm) is not installed")


def test_matches_lightgbm_including_missing_values(tmp_path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 6))
    y = ((x[:, 0] + x[:, 1] * x[:, 2] - 0.5 * x[:, 3]) > 0).astype(int)
    x[rng.random(x.shape) < 0.05] = np.nan
    booster = lgb.train(
        {"objective": "binary", "num_leaves": 15, "verbose": -1, "min_data_in_leaf": 5},
        lgb.Dataset(x, y, feature_name=[f"f{i}" for i in range(6)]),
        num_boost_round=40,
    )
    model = from_lightgbm(booster.dump_model())
    path = tmp_path / "m.json.gz"
    model.save(path)
    import gzip
    import json

    again = TreeModel.from_json(json.loads(gzip.decompress(path.read_bytes())))
    test = rng.normal(size=(500, 6))
    test[rng.random(test.shape) < 0.1] = np.nan
    np.testing.assert_allclose(again.predict(test), booster.predict(test), rtol=1e-6, atol=1e-9)
    assert again.feature_names == [f"f{i}" for i in range(6)]
    with pytest.raises(ValueError):
        again.predict(test[:, :3])


def test_nan_on_a_feature_never_missing_in_training() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1000, 3))
    y = (x[:, 0] > 0.2).astype(int)
    booster = lgb.train(
        {"objective": "binary", "num_leaves": 7, "verbose": -1}, lgb.Dataset(x, y), num_boost_round=10
    )
    model = from_lightgbm(booster.dump_model())
    test = rng.normal(size=(200, 3))
    test[:50, 0] = np.nan
    np.testing.assert_allclose(model.predict(test), booster.predict(test), rtol=1e-6, atol=1e-9)
