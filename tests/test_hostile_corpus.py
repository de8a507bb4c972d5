"""The broken-input corpus (``scripts/make_broken.py``) through the command line: every input is an
article or a named rejection, as its table says, and the archive's counts add up with nothing lost."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from broadsheet import Archive

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_broken  # noqa: E402

PAGES_THAT_ARE_NOT_ARTICLES = {"not_article", "no_body"}
_OFFSET = re.compile(r"#(\d+)$")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.run(
        [sys.executable, "-m", "broadsheet.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def matches(expected: str, rejection: str | None) -> bool:
    """Whether an outcome is what the table promised ("page": read and judged, article or not)."""
    if expected == "article":
        return rejection is None
    if expected == "page":
        return rejection is None or rejection in PAGES_THAT_ARE_NOT_ARTICLES
    return rejection == expected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("broken")
    expected = make_broken.write_corpus(folder)
    assert json.loads((folder / "expected.json").read_text()) == expected
    return folder, expected


def test_the_corpus_is_generated_the_same_every_time() -> None:
    def digest() -> list[str]:
        return [hashlib.sha256(case.make()).hexdigest() for case in make_broken.CASES]

    assert digest() == digest()
    names = [case.name for case in make_broken.CASES]
    assert len(set(names)) == len(names)
    assert all(len(case.outcomes) >= 1 for case in make_broken.CASES)


def test_every_page_file_through_extract(corpus: tuple[Path, dict]) -> None:
    folder, expected = corpus
    pages = [name for name in expected if name.endswith(make_broken.PAGE_SUFFIXES)]
    done = cli("extract", "-f", "jsonl", *(str(folder / name) for name in pages))
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [Path(r["input"]).name for r in results] == pages, "one result per input, in order"
    wrong = {
        Path(r["input"]).name: (expected[Path(r["input"]).name]["outcomes"][0], r["rejection"], r["error"])
        for r in results
        if not matches(expected[Path(r["input"]).name]["outcomes"][0], r["rejection"])
    }
    assert not wrong
    failed = [r for r in results if r["rejection"] and r["rejection"] not in PAGES_THAT_ARE_NOT_ARTICLES]
    assert done.returncode == 1, "unreadable inputs make the command fail, after the rest were done"
    for r in failed:  # each named on stderr with its reason
        assert f"{r['input']}: {r['rejection']}:" in done.stderr


def _outcomes(archive: Archive, folder: Path) -> dict[str, list[tuple[int, str | None]]]:
    """What the archive holds for each corpus file: (offset or line, rejection) per record."""
    found: dict[str, list[tuple[int, str | None]]] = {}

    def add(source: str, rejection: str | None) -> None:
        at = _OFFSET.search(source)
        name = Path(source[: at.start()] if at else source).relative_to(folder).as_posix()
        found.setdefault(name, []).append((int(at.group(1)) if at else 0, rejection))

    for stored in archive.iter_articles(all_versions=True):
        add(stored.source, None)
    for rejection in archive.rejections(limit=10**6):
        add(rejection.source, rejection.reason)
    return {name: sorted(records, key=lambda r: r[0]) for name, records in found.items()}


def test_every_record_through_ingest_and_stats(corpus: tuple[Path, dict], tmp_path: Path) -> None:
    folder, expected = corpus
    db = tmp_path / "broken.db"
    files = [str(folder / name) for name in expected]
    done = cli("ingest", *files, "-a", str(db), "--quiet")
    assert done.returncode == 0, done.stderr
    with Archive(db, readonly=True) as archive:
        held = _outcomes(archive, folder)
    wrong = {
        name: (case["outcomes"], [r for _, r in held.get(name, [])])
        for name, case in expected.items()
        if len(held.get(name, [])) != len(case["outcomes"])
        or not all(matches(e, r) for e, (_, r) in zip(case["outcomes"], held[name], strict=True))
    }
    assert not wrong

    stats = json.loads(cli("stats", "-a", str(db), "-f", "json").stdout)
    records = [outcome for case in expected.values() for outcome in case["outcomes"]]
    assert stats["inputs"] == len(records) == stats["urls"] + stats["versions"] + stats["rejected"]
    named = Counter(r for r in records if r not in ("article", "page"))
    judged = {reason: n for reason, n in stats["rejections"].items() if reason in PAGES_THAT_ARE_NOT_ARTICLES}
    assert stats["rejections"] == dict(named) | judged
    assert stats["urls"] + sum(judged.values()) == records.count("article") + records.count("page")
