"""Limits: every kind has a named rejection that says which limit and its value; the time and memory limits
hold in ``extract_many`` and ``broadsheet extract`` even while a C parser is stuck, and the rest go on."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import broadsheet
from broadsheet import Archive, Article, Input, Options, extract_many
from broadsheet.sources.files import iter_files, iter_jsonl
from broadsheet.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent

#: A parser stuck in C: 4,990 open <span>s (under the nesting limit) and 600,000 stray end tags after them.
#: lexbor looks down the open elements for each stray one and stops only at a special element (<body>
#: here): about 17 s in-process, 2.4 MB. The stray-step guard rejects it before parsing; with the guard
#: off (``UNGUARDED``) it stands for whatever page a guard misses, and the deadline has to stop it.
#: The deadline leaves a good page (and a fresh worker's start) room on a loaded machine.
STUCK = "<!doctype html><html><body>" + "<span>" * 4_990 + "x" + "</i>" * 600_000
UNGUARDED = Options(max_stray_steps=0)
DEADLINE = 5.0
#: Over 100 MB of parser memory: 700,000 empty elements.
HUNGRY = "<!doctype html><html><body>" + "<i></i>" * 700_000 + "</body></html>"


@pytest.mark.parametrize(
    ("content", "options", "says"),
    [
        (b"<p>x</p>" * 100, Options(max_bytes=100), "800 bytes, over the limit of 100"),
        ("<p>x</p>" * 100, Options(max_bytes=100), "800 characters, over the limit of 100"),
        (
            gzip.compress(b"<p>x</p>" * 1000),
            Options(max_decompressed=1000),
            "beyond the limit of 1,000 bytes",
        ),
        ("<html><body>" + "<b>x</b>" * 200 + "</body></html>", Options(max_nodes=100), "over 100 elements"),
        ("line\n" * 200, Options(max_lines=100, kind="text"), "over 100 lines"),
        ("<html><body>" + "<div>" * 6000 + "x" + "</div>" * 6000, Options(), "over the limit of 5,000"),
    ],
    ids=["bytes", "characters", "decompressed", "nodes", "lines", "nesting"],
)
def test_every_limit_is_a_named_rejection_that_says_which(
    content: bytes | str, options: Options, says: str
) -> None:
    article = broadsheet.extract(content, options=options)
    assert article.rejection == "too_large" and not article.is_article
    assert article.error and article.error.startswith("too_large: ") and says in article.error


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROADSHEET_MAX_MEMORY", "123456789")
    monkeypatch.setenv("BROADSHEET_TIMEOUT", "2.5")
    options = Options.from_env()
    assert (options.max_memory, options.timeout) == (123_456_789, 2.5)


def _pages(n: int, seed: int) -> list[str]:
    return [page.html for page in generate(n, seed=seed)]


def test_a_parser_stuck_in_c_is_stopped_at_the_deadline_and_the_rest_go_on() -> None:
    good = _pages(3, seed=41)
    started = time.monotonic()
    results = list(extract_many([good[0], STUCK, good[1], good[2]], timeout=DEADLINE, options=UNGUARDED))
    assert time.monotonic() - started < 40, "the stuck page held the stream up"
    assert [a.rejection for a in results] == [None, "timeout", None, None]
    assert results[1].error == "timeout: extraction took longer than 5s"
    assert [a.title for a in results[:1] + results[2:]] == [broadsheet.extract(page).title for page in good]


def test_a_page_over_the_memory_limit_is_too_large_and_the_worker_goes_on() -> None:
    good = _pages(2, seed=42)
    options = Options(max_memory=100_000_000)
    results = list(extract_many([good[0], HUNGRY, good[1]], workers=1, options=options))
    assert [a.rejection for a in results] == [None, "too_large", None]
    assert "more memory than allowed" in (results[1].error or "")


def _mixed_stream() -> list[Input]:
    """HTML and text pages of several sites, more than one template window of them (templates learned)."""
    pages = generate(72, seed=43)
    items = [
        Input(content=p.text if i % 3 else p.html, url=p.url, kind="text" if i % 3 else "html")
        for i, p in enumerate(pages)
    ]
    items.insert(5, Input(content=b"", url="https://empty.example/"))
    items.insert(9, Input(content=b"", rejection="unreadable", error="unreadable: broken record"))
    return items


def test_a_pool_gives_what_this_process_gives() -> None:
    here = [a.to_dict() for a in extract_many(_mixed_stream())]
    pooled = [a.to_dict() for a in extract_many(_mixed_stream(), workers=2)]
    assert pooled == here
    assert here[5]["rejection"] == "empty" and here[9]["rejection"] == "unreadable"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    paths = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    return subprocess.run(
        [sys.executable, "-m", "broadsheet.cli", *args],
        env={**os.environ, "PYTHONPATH": paths, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_extract_command_has_a_deadline(tmp_path: Path) -> None:
    (tmp_path / "stuck.html").write_text(STUCK)
    (tmp_path / "good.html").write_text(_pages(1, seed=44)[0])
    done = cli(
        "extract",
        "-f",
        "jsonl",
        "--timeout",
        str(DEADLINE),
        str(tmp_path / "stuck.html"),
        str(tmp_path / "good.html"),
        env={"BROADSHEET_MAX_STRAY_STEPS": "0"},
    )
    assert done.returncode == 1
    stuck, good = (json.loads(line) for line in done.stdout.splitlines())
    assert stuck["rejection"] == "timeout" and good["rejection"] is None and good["title"]
    assert f"{tmp_path / 'stuck.html'}: timeout: extraction took longer than 5s" in done.stderr


def test_files_over_the_byte_limit_are_rejected_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 5000 + b"</p>")
    done = cli("extract", "-f", "jsonl", str(big), env={"BROADSHEET_MAX_BYTES": "1000"})
    assert json.loads(done.stdout)["error"] == f"too_large: {big} is 5,007 bytes, over the limit of 1,000"
    (item,) = iter_files(str(big), options=Options(max_bytes=1000))
    assert item.rejection == "too_large" and item.content == b""


def test_an_overlong_json_line_is_skipped_unread_and_the_next_line_read(tmp_path: Path) -> None:
    path = tmp_path / "scrape.jsonl"
    good = json.dumps({"url": "https://a.example/", "html": "<p>fine</p>"})
    path.write_text(json.dumps({"html": "<p>" + "x" * 5000 + "</p>"}) + "\n" + good + "\n")
    items = list(iter_jsonl(str(path), options=Options(max_bytes=1000)))
    assert [i.rejection for i in items] == ["too_large", None]
    assert items[0].error == "line 1: over 1,000 characters, not read" and items[1].source == f"{path}#2"


# -- a bug on one page: without a pool too, the page is recorded as a pool records it and the rest go on --


def _bug_on(marker: str, real: Callable[..., Article]) -> Callable[..., Article]:
    def extract_or_fail(page: Any, *args: Any, **kwargs: Any) -> Article:
        content = page.content if hasattr(page, "content") else page
        if marker in (content if isinstance(content, str) else content.decode("utf-8", "replace")):
            raise AttributeError("a bug in a stage")
        return real(page, *args, **kwargs)

    return extract_or_fail


def test_a_bug_on_one_page_is_a_rejection_in_this_process_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import broadsheet.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_extract_page", _bug_on("BUG-HERE", pipeline._extract_page))
    good = _pages(2, seed=45)
    results = list(extract_many([good[0], "<p>BUG-HERE</p>" * 20, good[1]]))
    assert [a.rejection for a in results] == [None, "unreadable", None]
    assert results[1].error == "unreadable: extraction failed: AttributeError: a bug in a stage"


def test_a_bug_on_one_page_does_not_stop_an_ingest_in_this_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import broadsheet.ingest as ingesting

    monkeypatch.setattr(ingesting, "extract_input", _bug_on("BUG-HERE", ingesting.extract_input))
    good = generate(3, seed=46)
    inputs = [Input(content=p.html, url=p.url) for p in good]
    inputs.insert(1, Input(content="<p>BUG-HERE</p>" * 20, url="https://bug.example/"))
    with Archive(tmp_path / "a.db") as archive:
        report = archive.ingest(inputs, workers=0, progress=False)
    assert report.read == 4 and report.rejected == {"unreadable": 1} and report.articles == 3
