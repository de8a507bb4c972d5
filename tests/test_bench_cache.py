"""The peer-output cache: keyed by producer, version, set, id and variant; ``None`` caches nothing."""

from __future__ import annotations

from pathlib import Path

from bench.cache import Cache, key
from bench.extractors import BASELINES, BROADSHEET, applies


def test_values_round_trip_and_a_new_version_misses(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    k1 = key("trafilatura", "2.3.1", "fundus", "00ab", "html")
    cache.put_many([(k1, {"text": "ü"})])
    cache.close()
    again = Cache(tmp_path)
    assert again.get_many([k1]) == {k1: {"text": "ü"}}
    assert again.get_many([key("trafilatura", "2.4.0", "fundus", "00ab", "html")]) == {}
    assert Cache(None).get_many([k1]) == {}


def test_baselines_read_only_text() -> None:
    assert not any(applies(name, "html") for name in BASELINES)
    assert all(applies(name, "resiliparse") for name in BASELINES)
    assert applies(BROADSHEET, "html") and applies(BROADSHEET, "text")
