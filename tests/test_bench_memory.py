"""bench/memory_flat.py on a few synthetic pages: it samples where asked and gives a verdict only after
the warm-up (the real run, 100,000 pages, is in docs/benchmarks.md)."""

from __future__ import annotations

from bench.memory_flat import run


def test_a_short_run_samples_and_judges_after_the_warm_up() -> None:
    result = run(total=60, every=20, mix=(4, 0), warm_up=20)
    assert [s["pages"] for s in result["samples"]] == [20, 40, 60]
    assert result["kinds"] == {"html": 30, "text": 30}
    assert result["warmed_up"] and isinstance(result["flat"], bool)
    assert result["peak_at_end_mib"] >= result["peak_after_warm_up_mib"] > 0


def test_a_run_shorter_than_the_warm_up_gives_no_verdict() -> None:
    result = run(total=20, every=10, mix=(4, 0), warm_up=100)
    assert result["warmed_up"] is False and result["flat"] is None
