"""The command-line contract of ``broadsheet extract``."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.cli import build_parser
from broadsheet.synthetic import generate


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "broadsheet.cli", *args], input=stdin, capture_output=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pages")
    page = generate(1, seed=5)[0]
    (d / "a.html").write_text(page.html, encoding="utf-8")
    (d / "b.htm").write_text(page.html, encoding="utf-8")
    (d / "c.html.gz").write_bytes(gzip.compress(page.html.encode()))
    (d / "d.txt").write_text(page.text, encoding="utf-8")
    (d / "empty.html").write_bytes(b"")
    (d / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (d / "latin.txt").write_bytes(
        "Überschrift\nEin Satz über Köln, der lang genug ist für einen Absatz.\n".encode("latin-1")
    )
    return {p.name: p for p in d.iterdir()} | {"_truth": page.truth, "_dir": d}  # type: ignore[dict-item]


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        out = run(name, "--help")
        assert out.returncode == 0 and b"usage:" in out.stdout, name
    assert run("--help").returncode == 0


def test_all_input_kinds_give_the_same_article(pages: dict) -> None:
    names = ["a.html", "b.htm", "c.html.gz", "d.txt"]
    out = run("extract", *[str(pages[n]) for n in names], "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert [Path(r["input"]).name for r in rows] == names
    assert [r["kind"] for r in rows] == ["html", "html", "html", "text"]
    for row in rows:
        assert row["title"] == pages["_truth"]["title"]
        assert row["authors"] == pages["_truth"]["authors"]
        assert row["published"][:16] == pages["_truth"]["published"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "markdown", "text", "html"])
def test_formats(pages: dict, fmt: str) -> None:
    out = run("extract", str(pages["a.html"]), "--format", fmt)
    assert out.returncode == 0
    text = out.stdout.decode()
    assert pages["_truth"]["title"] in text
    if fmt in ("json", "jsonl"):
        data = json.loads(text)
        assert data["title"] == pages["_truth"]["title"]
        assert ("input" in data) == (fmt == "jsonl")


def test_stdin_and_url(pages: dict) -> None:
    out = run("extract", "-", "--url", "https://example.org/x", stdin=pages["a.html"].read_bytes())
    data = json.loads(out.stdout)
    assert out.returncode == 0 and data["url"] == "https://example.org/x"
    assert data["title"] == pages["_truth"]["title"]


def test_bad_inputs_fail_loudly_but_the_rest_go_on(pages: dict) -> None:
    missing = str(pages["_dir"] / "missing.html")
    names = [
        str(pages["empty.html"]),
        str(pages["a.html"]),
        str(pages["binary.html"]),
        missing,
        str(pages["latin.txt"]),
    ]
    out = run("extract", *names, "--format", "jsonl")
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(rows) == 5
    assert [r["rejection"] for r in rows[:4]] == ["empty", None, "binary", "unreadable"]
    assert rows[1]["title"] == pages["_truth"]["title"]
    assert "Köln" in rows[4]["text"]
    err = out.stderr.decode()
    assert "empty.html" in err and "binary.html" in err and "missing.html" in err
    assert "Traceback" not in err


def test_explain_table(pages: dict) -> None:
    out = run("extract", str(pages["d.txt"]), "--explain", "--format", "text")
    lines = out.stdout.decode().splitlines()
    assert lines[0].startswith("# text page")
    assert any(line.startswith("KEEP") for line in lines) and any(line.startswith("drop") for line in lines)
