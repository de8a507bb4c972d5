"""Golden cases: each folder under tests/golden holds an input and the truth it must yield.

Regenerate with ``python scripts/make_examples.py``; run one case with ``pytest -k <case>``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import broadsheet

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "expected.json").exists())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    source = next(p for p in case.iterdir() if p.name.startswith("input"))
    article = broadsheet.extract(source.read_bytes(), url=expected.get("url"))
    assert article.ok, article.error
    assert article.title == expected["title"]
    assert article.authors == expected["authors"]
    assert (article.published or "")[:16] == expected["published"]
    assert article.site_name == expected["site_name"]
    assert article.section == expected["section"]
    assert article.language == expected["language"]
    for snippet in expected["never_in_body"]:
        assert snippet not in article.text
    got = article.text.split("\n\n")
    for paragraph in expected["body"]:
        assert paragraph in got
    caption = expected["images"][0]
    assert any(i.caption == caption["caption"] and i.credit == caption["credit"] for i in article.images)
