"""The HTML training run records where its models came from, and reuses labelled pages only from the same code."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from training import train_html


def _page(set_: str, id_: str) -> SimpleNamespace:
    return SimpleNamespace(set=set_, id=id_)


def _tree(root: Path, body: str) -> None:
    for part in ("src/broadsheet/pipeline/html.py", "training/label_html.py", "bench/datasets.py"):
        (root / part).parent.mkdir(parents=True, exist_ok=True)
        (root / part).write_text(body if part.endswith("html.py") else "x = 1\n")


def test_provenance_names_the_pages_not_their_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no git tree above tmp_path counts
    _tree(tmp_path, "a = 1\n")
    pages = [_page("fundus", "b"), _page("wcxb-dev", "a"), _page("fundus", "c")]
    one = train_html.provenance(pages, tmp_path)
    assert one["pages_per_set"] == {"fundus": 2, "wcxb-dev": 1}
    assert train_html.provenance(pages[::-1], tmp_path)["pages_sha256"] == one["pages_sha256"]
    other = [*pages[:2], _page("fundus", "d")]
    assert train_html.provenance(other, tmp_path)["pages_sha256"] != one["pages_sha256"]
    assert one["commit"] == "unknown"  # tmp_path is no git tree


def test_provenance_records_the_commit_and_whether_the_code_differs(tmp_path: Path) -> None:
    _tree(tmp_path, "a = 1\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], cwd=tmp_path, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert train_html.provenance([], tmp_path)["commit"] == head.strip()
    (tmp_path / "src/broadsheet/models").mkdir()
    (tmp_path / "src/broadsheet/models/html_block.json.gz").write_bytes(b"new model")
    assert train_html.provenance([], tmp_path)["commit"] == head.strip()  # a written model is not code
    (tmp_path / "training/label_html.py").write_text("x = 2\n")
    assert train_html.provenance([], tmp_path)["commit"] == head.strip() + "+dirty"
    assert re.fullmatch(r"[0-9a-f]{16}", str(train_html.provenance([], tmp_path)["source"]))


def test_cache_is_reused_only_by_the_code_that_labelled_it(tmp_path: Path) -> None:
    _tree(tmp_path, "a = 1\n")
    before = train_html.source_digest(tmp_path)
    _tree(tmp_path, "a = 2\n")
    after = train_html.source_digest(tmp_path)
    assert before != after
    cache = tmp_path / "pages.pkl"
    assert train_html.read_cache(cache, after) is None
    pages = [_page("fundus", "a")]
    train_html.write_cache(cache, after, pages)
    assert train_html.read_cache(cache, after) == pages
    assert train_html.read_cache(cache, before) is None
