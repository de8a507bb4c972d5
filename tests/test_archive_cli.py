"""The archive commands: ingest, search, get, stats, export, clusters (each with --help)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.cli import main
from broadsheet.synthetic import wire_corpus

COMMANDS = ("ingest", "search", "get", "stats", "export", "clusters")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_archive_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: broadsheet {command}" in out and "--archive" in out


@pytest.fixture
def archive_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    scrape = tmp_path / "scrape.jsonl"
    pages = wire_corpus(8, seed=41)
    scrape.write_text(
        "\n".join(json.dumps({"url": p.url, "html": p.html, "fetched_at": "2025-01-01"}) for p in pages)
        + "\n"
    )
    path = tmp_path / "cli.db"
    assert main(["ingest", str(scrape), "--archive", str(path), "--workers", "0"]) == 0
    err = capsys.readouterr().err
    assert f"read {len(pages)} inputs" in err and f"{len(pages)} new articles" in err
    return path


def test_search_stats_get_clusters_export(
    archive_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = ["--archive", str(archive_path)]
    assert main(["stats", *a, "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["inputs"] == stats["urls"] + stats["rejected"] and stats["clusters"] >= 1

    assert main(["search", "the", *a, "--format", "jsonl", "--limit", "3"]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert hits and all("<mark>" in h["snippet"] for h in hits)
    assert main(["search", "the", *a]) == 0
    out = capsys.readouterr().out
    assert "article(s) match" in out and f"[{hits[0]['id']}]" in out

    assert main(["get", str(hits[0]["id"]), *a, "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["archive_id"] == hits[0]["id"] and got["title"] == hits[0]["title"]
    assert main(["get", hits[0]["url"], *a, "--format", "markdown"]) == 0
    assert hits[0]["title"] in capsys.readouterr().out
    assert main(["get", str(hits[0]["id"]), *a, "--explain"]) == 0
    assert "drop" in capsys.readouterr().out
    assert main(["get", "999999", *a]) == 2
    assert "no article" in capsys.readouterr().err

    assert main(["clusters", *a, "--format", "jsonl"]) == 0
    clusters = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert clusters and clusters[0]["size"] >= 2
    assert main(["clusters", *a, "--id", str(clusters[0]["id"])]) == 0
    assert f"story {clusters[0]['id']}" in capsys.readouterr().out

    assert main(["export", str(tmp_path / "out.jsonl"), *a]) == 0
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == stats["urls"]
    assert main(["export", "-", *a, "--format", "csv", "--query", "the"]) == 0
    assert capsys.readouterr().out.startswith("archive_id,version,cluster_id,source,url")


def test_read_commands_on_a_missing_archive_fail_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--archive", str(tmp_path / "none.db")]) == 2
    assert "no such archive" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists(), "reading never creates an archive"


def test_bad_date_filter_is_a_clear_error(archive_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "x", "--archive", str(archive_path), "--since", "yesterday"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
