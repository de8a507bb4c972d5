"""Local sources: folders, globs, JSON lines, URL lists, and which reader ``iter_inputs`` picks."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from broadsheet.sources import iter_inputs
from broadsheet.sources.files import is_url_list
from broadsheet.synthetic import generate
from warcgen import captures, write_warc


def test_folder_yields_pages_sorted_with_kinds(tmp_path: Path) -> None:
    page = generate(1, seed=3)[0]
    (tmp_path / "b.html").write_text(page.html)
    (tmp_path / "a.txt").write_text(page.text)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html.gz").write_bytes(gzip.compress(page.html.encode()))
    (tmp_path / "notes.md").write_text("not a page")
    items = list(iter_inputs(str(tmp_path)))
    assert [Path(i.source or "").name for i in items] == ["a.txt", "b.html", "c.html.gz"]
    assert [i.kind for i in items] == ["text", "auto", "auto"]


def test_glob_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "x1.html").write_text("<p>1</p>")
    (tmp_path / "x2.html").write_text("<p>2</p>")
    assert len(list(iter_inputs(str(tmp_path / "x*.html")))) == 2
    (missing,) = iter_inputs(str(tmp_path / "absent.html"))
    assert missing.rejection == "unreadable"


def test_jsonl_rows_and_broken_lines_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "scrape.jsonl"
    rows = [
        json.dumps({"url": "https://a.example/1", "html": "<p>x</p>", "fetched_at": "2024-01-01"}),
        "{broken",
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"url": "https://a.example/2", "text": "flattened"}),
    ]
    path.write_text("\n".join(rows) + "\n")
    items = list(iter_inputs(str(path)))
    assert [i.source for i in items] == [f"{path}#{n}" for n in (1, 2, 3, 5)]
    assert [i.rejection for i in items] == [None, "unreadable", "unreadable", None]
    assert (items[0].kind, items[0].fetched_at, items[3].kind) == ("html", "2024-01-01", "text")


def test_jsonl_text_only_reads_just_the_rows_that_may_be_flattened_text(tmp_path: Path) -> None:
    # The site-template pass reads a scrape a second time: rows without a "text" key are skipped undecoded,
    # including HTML that quotes the word, and a row whose value (not key) is "text" is read and kept apart.
    path = tmp_path / "scrape.jsonl"
    rows = [
        json.dumps({"url": "https://a.example/1", "html": '<p class="text">"text"</p>'}),
        json.dumps({"url": "https://a.example/2", "text": "flattened one"}),
        json.dumps({"url": "https://a.example/3", "html": "<p>x</p>", "kind": "text"}),
        json.dumps({"url": "https://a.example/4", "text": "flattened two"}),
    ]
    path.write_text("\n".join(rows) + "\n")
    every = list(iter_inputs(str(path)))
    texts = list(iter_inputs(str(path), text_only=True))
    assert [i.kind for i in every] == ["html", "text", "html", "text"]
    assert [i.source for i in texts] == [f"{path}#{n}" for n in (2, 3, 4)]
    assert [i.content for i in texts if i.kind == "text"] == ["flattened one", "flattened two"]


def test_url_list_detection_is_strict_for_txt(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# follow\nhttps://a.example/feed\nhttp://b.example/\n")
    page = tmp_path / "page.txt"
    page.write_text("https://a.example/story\nHeadline of the story\nBody text follows here.\n")
    named = tmp_path / "list.urls"
    named.write_text("anything\n")
    assert is_url_list(str(urls)) and is_url_list(str(named))
    assert not is_url_list(str(page)) and not is_url_list(str(tmp_path / "absent.txt"))


def test_warc_and_wet_suffixes_pick_the_archive_reader(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", captures(2))
    items = list(iter_inputs(str(path)))
    assert [i.url for i in items] == [c.url for c in captures(2)]
    assert all("#" in (i.source or "") for i in items)
