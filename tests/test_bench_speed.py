"""The speed harness's paired timing: two real timing children on the same slices of pages, in turn."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import speed
from bench.cases import Page, make_cases, truth_from_labels

from broadsheet.synthetic import generate


def _text_cases(n: int) -> list:
    made = generate(n, seed=5)
    found = [
        Page("synthetic", f"{i:016x}", p.url, truth_from_labels(p.truth), html=p.html.encode())
        for i, p in enumerate(made)
    ]
    texts = {f"{i:016x}": p.text for i, p in enumerate(made)}
    return make_cases(found, ("resiliparse",), lambda page, variant: texts[page.id])


def test_paired_timing_gives_each_side_every_round_on_the_same_pages(tmp_path: Path) -> None:
    cases = _text_cases(7)
    rows = speed.paired(
        tmp_path, ("keep-everything", "c4-lines"), "resiliparse", cases, rounds=3, slice_=3, timeout=120
    )
    assert len(rows) == 2
    for row in rows:
        assert "failed" not in row, row
        assert row["pages"] == 7 and row["errors"] == 0
        assert len(row["pages_per_s_rounds"]) == 3 and all(s > 0 for s in row["pages_per_s_rounds"])
        assert row["peak_rss_mib"] >= row["base_rss_mib"] > 0
    ratios = speed.with_ratios(
        [
            {"extractor": "trafilatura", "variant": "resiliparse", **rows[0]},
            {"extractor": "broadsheet", "variant": "resiliparse", **rows[1]},
        ]
    )
    assert ratios[1]["speed_ratio"] > 0


def test_a_page_that_raises_is_counted_and_a_dead_child_is_named(tmp_path: Path) -> None:
    rows = speed.paired(
        tmp_path,
        ("keep-everything", "no-such-extractor"),
        "resiliparse",
        _text_cases(2),
        rounds=1,
        timeout=120,
    )
    assert rows[1]["errors"] == 2 and rows[0]["errors"] == 0  # an unknown extractor raises on each page
    server = speed._Server(tmp_path, "c4-lines", "resiliparse", _text_cases(2), timeout=120)
    server.proc.kill()
    with pytest.raises(speed._ChildFailed, match="c4-lines"):
        server.ask("0 2")
    server.close()
