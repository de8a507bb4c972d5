"""The report writer: tables per set and variant, headline, speed ratios, and a JSON twin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import report, speed
from bench.cases import Page, make_cases, truth_from_labels
from bench.output import Output
from bench.run import score_cases

from broadsheet.synthetic import generate


def _result() -> dict:
    made = generate(3, seed=11)
    found = [
        Page("synthetic", f"{i:016x}", p.url, truth_from_labels(p.truth), html=p.html.encode())
        for i, p in enumerate(made)
    ]
    texts = {f"{i:016x}": p.text for i, p in enumerate(made)}
    cases = make_cases(found, ("html", "resiliparse"), lambda page, variant: texts[page.id])
    outputs = {
        "perfect": [Output(text=c.truth.body or "", title=c.truth.title) for c in cases],
        "keep-everything": [Output(text=c.content if isinstance(c.content, str) else "") for c in cases],
    }
    rows = score_cases(cases, outputs, bootstrap=20)
    speed_rows = speed.with_ratios(
        [
            {
                "extractor": "trafilatura",
                "variant": "html",
                "pages": 3,
                "pages_per_s": 10.0,
                "peak_rss_mib": 100.0,
                "base_rss_mib": 30.0,
                "errors": 0,
            },
            {
                "extractor": "perfect",
                "variant": "html",
                "pages": 3,
                "pages_per_s": 25.0,
                "peak_rss_mib": 50.0,
                "base_rss_mib": 30.0,
                "errors": 0,
            },
        ]
    )
    meta = {
        "date": "2026-01-01 00:00 UTC",
        "command": "python -m bench run --sample 3",
        "split": "test",
        "sample": 3,
        "pages": {"synthetic": 3},
        "versions": {"perfect": "1"},
        "converters": {},
        "jobs": 1,
        "wall_seconds": 12.0,
        "errors": {
            "keep-everything": [
                {"error": "ValueError: bad page", "count": 2, "example": "synthetic/00 (html)"}
            ]
        },
    }
    return {"meta": meta, "results": rows, "speed": speed_rows}


def test_speed_ratios_are_against_trafilatura_on_the_same_input() -> None:
    rows = _result()["speed"]
    mine = next(r for r in rows if r["extractor"] == "perfect")
    assert mine["speed_ratio"] == pytest.approx(2.5) and mine["rss_ratio"] == pytest.approx(0.5)


def test_markdown_has_the_headline_details_speed_and_how_to_read() -> None:
    text = report.markdown(_result())
    assert "Split: **test**" in text and "`python -m bench run --sample 3`" in text
    assert "| perfect | 1.000 ± 0.000 |" in text  # headline: body F1 ± std per set
    assert "### synthetic — html (3 pages)" in text and "### synthetic — resiliparse (3 pages)" in text
    assert "| perfect | html | 3 | 2.50 | 0.50 |" in text
    assert "## How to read this" in text
    assert "- keep-everything: 2 × `ValueError: bad page` (e.g. synthetic/00 (html))" in text
    # keep-everything never fills the title: its field cell says so
    line = next(ln for ln in text.splitlines() if ln.startswith("| keep-everything | 3 |"))
    assert "0.00 (0%)" in line


def test_write_gives_markdown_and_json_twins(tmp_path: Path) -> None:
    md, js = report.write(_result(), tmp_path)
    assert md.read_text().startswith("# broadsheet benchmark")
    data = json.loads(js.read_text())
    assert {r["extractor"] for r in data["results"]} == {"perfect", "keep-everything"}
    docs = report.write_docs(_result(), tmp_path / "docs" / "benchmarks.md")
    assert docs.read_text().startswith("# Benchmarks")


def test_write_docs_keeps_the_sections_other_commands_measured(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text(
        "# Benchmarks\n\nold table\n\n" + report.KEPT + "\n\n## Hostile input\n\n100,000 inputs\n"
    )
    text = report.write_docs(_result(), path).read_text()
    assert "old table" not in text and "## How to read this" in text
    assert text.endswith(report.KEPT + "\n\n## Hostile input\n\n100,000 inputs\n")
    assert text.count(report.KEPT) == 1


def test_speed_ratio_is_the_median_of_the_rounds_ratios() -> None:
    def row(name: str, speeds: list[float]) -> dict:
        return {
            "extractor": name,
            "variant": "html",
            "pages_per_s": sorted(speeds)[1],
            "peak_rss_mib": 10.0,
            "pages_per_s_rounds": speeds,
        }

    # each round's pair was timed seconds apart: ratios 2, 1 and 3, while the medians' ratio would be 1.5
    rows = speed.with_ratios([row("trafilatura", [5.0, 20.0, 10.0]), row("broadsheet", [10.0, 20.0, 30.0])])
    assert rows[1]["speed_ratio"] == 2.0 and rows[0]["speed_ratio"] == 1.0
