"""The page broadsheet was born from comes out exactly as a careful reader takes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import broadsheet

FIELDS = ("site_name", "section", "title", "authors", "published", "tags", "language")


def _check(article: dict, expected: dict) -> None:
    for name in FIELDS:
        assert article[name] == expected[name], name
    assert [(i["caption"], i["credit"]) for i in article["images"]] == [
        (i["caption"], i["credit"]) for i in expected["images"]
    ]
    assert article["description"] in expected["description_acceptable"]
    assert article["text"].split("\n\n") == expected["body"]
    assert [b["text"] for b in article["blocks"]] == expected["body"]
    for snippet in expected["never_in_body"]:
        assert snippet not in article["text"]


def test_seed_library(seed_path: Path, seed_expected: dict) -> None:
    article = broadsheet.extract(seed_path.read_bytes())
    assert article.kind == "text" and article.ok
    _check(article.to_dict(), seed_expected)


def test_seed_cli_json(seed_path: Path, seed_expected: dict) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "broadsheet.cli", "extract", str(seed_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    _check(json.loads(out.stdout), seed_expected)


def test_seed_explain_names_every_line(seed_path: Path) -> None:
    article = broadsheet.extract(seed_path.read_bytes(), options=broadsheet.Options(explain=True))
    assert article.explain is not None
    roles = {d.role for d in article.explain}
    assert {"title", "byline", "dateline", "caption", "tags", "body", "boilerplate"} <= roles
    kept = [d.text for d in article.explain if d.kept]
    assert kept == [b.text for b in article.blocks]
    assert all(d.reason for d in article.explain)
