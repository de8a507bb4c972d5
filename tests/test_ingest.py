"""Ingestion: the same archive on any number of workers, per-page time limits, crash and resume, readers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from broadsheet import Archive, Input, Options
from broadsheet.synthetic import generate, wire_corpus

ROOT = Path(__file__).resolve().parent.parent


def corpus_lines() -> list[str]:
    """A scrape as JSON lines: wire copies, independent stories, a broken line and an empty page."""
    pages = wire_corpus(25, seed=31) + generate(40, seed=32)
    lines = [json.dumps({"url": p.url, "html": p.html, "fetched_at": "2025-06-01"}) for p in pages]
    lines.insert(17, "{not json")
    lines.insert(40, json.dumps({"url": "https://empty.example/", "html": ""}))
    return lines


@pytest.fixture(scope="module")
def scrape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scrape") / "scrape.jsonl"
    path.write_text("\n".join(corpus_lines()) + "\n", encoding="utf-8")
    return path


def dump(archive: Archive) -> dict:
    """Everything the archive holds, in a comparable form (no timestamps)."""
    articles = []
    for s in archive.iter_articles(all_versions=True):
        given = archive.input_of(s.id)
        raw = given.content if given else b""
        digest = hashlib.sha256(raw.encode() if isinstance(raw, str) else raw).hexdigest()
        # the input's type too: JSON lines give text, which a worker receives as bytes and must store as text
        kind = type(raw).__name__
        articles.append(
            (s.id, s.version, s.latest, s.source, s.cluster_id, s.article.to_dict(), digest, kind)
        )
    stats = archive.stats()
    return {
        "articles": articles,
        "rejections": [
            (r.input_id, r.source, r.reason, r.error, r.duplicate_of) for r in archive.rejections(limit=10**6)
        ],
        "clusters": [
            (c.id, c.size, c.source, c.wire, [m.id for m in c.members]) for c in archive.clusters(limit=10**6)
        ],
        "counts": (
            stats.inputs,
            stats.articles,
            stats.urls,
            stats.rejections,
            stats.clusters,
            stats.raw_bytes,
        ),
    }


def cli(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.Popen(
        [sys.executable, "-m", "broadsheet.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.fixture(scope="module")
def reference(scrape: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The archive an uninterrupted, single-process run makes."""
    with Archive(tmp_path_factory.mktemp("ref") / "ref.db") as archive:
        report = archive.ingest([str(scrape)], workers=0)
        assert report.read == len(corpus_lines())
        return dump(archive)


def test_accounting_of_a_scrape(reference: dict) -> None:
    inputs, _articles, urls, rejections, clusters, _ = reference["counts"]
    assert inputs == len(corpus_lines()) == urls + sum(rejections.values())
    assert rejections == {"unreadable": 1, "empty": 1}
    assert clusters >= 10
    assert {a[-1] for a in reference["articles"]} == {"str"}, "JSON lines are text, given back as text"


def test_a_process_pool_makes_the_same_archive(scrape: Path, reference: dict, tmp_path: Path) -> None:
    with Archive(tmp_path / "pool.db") as archive:
        archive.ingest([str(scrape)], workers=2, batch_size=7)
        assert dump(archive) == reference


def test_a_page_over_the_time_limit_is_a_timeout_rejection(tmp_path: Path) -> None:
    pages = generate(3, seed=4)
    slow = (
        "<html><body><article>"
        + "".join(
            f"<div><p>Paragraph {i} of a page far too large to finish in time.</p><span>x</span></div>"
            for i in range(200_000)  # about 16 CPU-seconds
        )
        + "</article></body></html>"
    )
    inputs = [Input(content=p.html, url=p.url, source=f"ok#{i}") for i, p in enumerate(pages)]
    inputs.insert(1, Input(content=slow, url="https://slow.example/", source="slow"))
    with Archive(tmp_path / "t.db") as archive:
        started = time.monotonic()
        # 3 s: room for a good page and a fresh worker's start on a loaded machine, far from the slow page
        report = archive.ingest(inputs, workers=1, options=Options(timeout=3))
        assert time.monotonic() - started < 60
        assert report.articles == 3 and report.rejected == {"timeout": 1}
        (rejection,) = archive.rejections()
        assert rejection.source == "slow" and "3s" in (rejection.error or "")


def _committed(path: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM inputs").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize(
    ("workers", "kill_after"), [("0", 16), pytest.param("2", 48, marks=pytest.mark.slow)]
)
def test_sigkill_mid_run_then_resume_gives_the_same_archive(
    scrape: Path, reference: dict, tmp_path: Path, workers: str, kill_after: int
) -> None:
    path = tmp_path / "killed.db"
    with cli(
        "ingest",
        str(scrape),
        "-a",
        str(path),
        "-j",
        workers,
        "--batch-size",
        "8",
        "--quiet",
        start_new_session=True,
    ) as proc:
        deadline = time.monotonic() + 120
        while _committed(path) < kill_after and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, at once
    done = _committed(path)
    assert kill_after <= done < len(corpus_lines()), "killed mid-run"
    with cli("ingest", str(scrape), "-a", str(path), "-j", workers) as resumed:
        _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert f"{done} unchanged" in err
    with Archive(path, readonly=True) as archive:
        assert dump(archive) == reference


@pytest.mark.slow
def test_readers_see_consistent_snapshots_while_a_writer_ingests(scrape: Path, tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    Archive(path).close()
    seen: list[int] = []
    with (
        cli("ingest", str(scrape), "-a", str(path), "-j", "0", "--batch-size", "4", "--quiet") as proc,
        Archive(path, readonly=True) as reader,
    ):
        while proc.poll() is None:
            stats = reader.stats()
            assert stats.inputs == stats.urls + stats.versions + stats.rejected
            assert stats.inputs % 4 == 0 or stats.inputs == len(corpus_lines()), "whole batches only"
            reader.search("council", limit=5)
            seen.append(stats.inputs)
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
        assert seen == sorted(seen) and len(set(seen)) > 2, "the reader saw the archive grow"
        assert reader.stats().inputs == len(corpus_lines())


def test_progress_bar_only_on_a_terminal_or_when_asked(scrape: Path, tmp_path: Path) -> None:
    with cli("ingest", str(scrape), "-a", str(tmp_path / "a.db"), "-j", "0") as quiet:
        _, err = quiet.communicate(timeout=300)
    assert quiet.returncode == 0 and err.count("\n") == 1 and "ingest:" not in err
    assert err.startswith("broadsheet: read ")
    with cli("ingest", str(scrape), "-a", str(tmp_path / "b.db"), "-j", "0", "--progress") as shown:
        _, err = shown.communicate(timeout=300)
    assert shown.returncode == 0 and "ingest: 108 inputs" in err
