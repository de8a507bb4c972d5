"""WARC/WET reading: good archives record by record, and every kind of damage as a counted rejection."""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from broadsheet.errors import MissingExtra
from broadsheet.sources import iter_inputs
from broadsheet.sources.warc import WarcLimits, iter_warc
from broadsheet.synthetic import generate
from warcgen import Capture, bomb, captures, chunked, http_block, raw_record, write_warc, write_wet

pytest.importorskip("fastwarc")


def _pages(items: list) -> list:
    return [i for i in items if i.rejection is None]


def _offsets(path: Path) -> list[int]:
    return [int(i.source.rsplit("#", 1)[1]) for i in iter_warc(str(path))]


@pytest.mark.parametrize("gz", [True, False])
def test_good_warc_yields_every_response_in_order(tmp_path: Path, gz: bool) -> None:
    caps = captures(6)
    path = write_warc(tmp_path / ("a.warc.gz" if gz else "a.warc"), caps, gz=gz, with_requests=True)
    items = list(iter_warc(str(path)))
    assert [i.url for i in items] == [c.url for c in caps]  # request records are not pages
    assert all(i.rejection is None and i.kind == "html" for i in items)
    assert [i.content for i in items] == [c.body for c in caps]
    assert all(i.fetched_at == "2024-05-01T10:00:00Z" for i in items)
    assert all(re.fullmatch(re.escape(str(path)) + r"#\d+", i.source or "") for i in items)


def test_record_offsets_are_stable_resume_points(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "a.warc.gz", captures(5), with_requests=True)
    offsets = _offsets(path)
    assert offsets == sorted(offsets) and len(set(offsets)) == 5 and offsets == _offsets(path)
    resumed = list(iter_warc(str(path), start=offsets[3]))
    assert [i.source for i in resumed] == [f"{path}#{o}" for o in offsets[3:]]
    via_spec = list(iter_inputs(f"{path}#{offsets[2]}"))
    assert [i.source for i in via_spec] == [f"{path}#{o}" for o in offsets[2:]]


@pytest.mark.parametrize("gz", [True, False])
def test_wet_conversion_records_are_flattened_text(tmp_path: Path, gz: bool) -> None:
    pages = generate(3, seed=4)
    path = write_wet(tmp_path / ("a.wet.gz" if gz else "a.wet"), pages, gz=gz)
    items = list(iter_inputs(str(path)))
    assert [i.kind for i in items] == ["text"] * 3  # the warcinfo record is not a page
    assert [i.content for i in items] == [p.text.encode() for p in pages]
    assert [i.url for i in items] == [p.url for p in pages]


def test_chunked_and_gzip_encoded_payloads_are_decoded(tmp_path: Path) -> None:
    body = captures(1)[0].body
    caps = [
        Capture(
            "https://a.example/chunked",
            chunked(body),
            headers=(("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")),
        ),
        Capture(
            "https://a.example/gzip",
            gzip.compress(body),
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
        Capture(
            "https://a.example/both",
            chunked(gzip.compress(body)),
            headers=(
                ("Content-Type", "text/html"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ),
        ),
        # Crawlers often store the decoded body under the original header: taken as it is.
        Capture(
            "https://a.example/already",
            body,
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
    ]
    items = list(iter_warc(str(write_warc(tmp_path / "enc.warc.gz", caps))))
    assert [i.rejection for i in items] == [None] * 4
    assert all(i.content == body for i in items)


def test_http_charset_is_used_when_the_page_declares_none(tmp_path: Path) -> None:
    html = "<html><body><p>Café crème à Zürich</p></body></html>"
    caps = [
        Capture(
            "https://a.example/latin",
            html.encode("latin-1"),
            headers=(("Content-Type", "text/html; charset=iso-8859-1"),),
        )
    ]
    (item,) = iter_warc(str(write_warc(tmp_path / "cs.warc", caps, gz=False)))
    assert item.content == html


def test_non_pages_are_counted_with_their_reason(tmp_path: Path) -> None:
    caps = [
        Capture(
            "https://a.example/img.png", b"\x89PNG\r\n\x1a\n....", headers=(("Content-Type", "image/png"),)
        ),
        Capture(
            "https://a.example/moved",
            b"",
            status="301 Moved Permanently",
            headers=(("Location", "https://a.example/new"), ("Content-Type", "text/html")),
        ),
        Capture("https://a.example/missing", b"<p>nope</p>", status="404 Not Found"),
        Capture("https://a.example/untyped", b"<!doctype html><html><p>ok</p></html>", headers=()),
        Capture("https://a.example/untyped-bin", b"\x00\x01binary", headers=()),
    ]
    items = list(iter_warc(str(write_warc(tmp_path / "mixed.warc.gz", caps))))
    assert [i.rejection for i in items] == ["not_html", "fetch_failed", "fetch_failed", None, "not_html"]
    assert "image/png" in (items[0].error or "")
    assert "HTTP 301 to https://a.example/new" in (items[1].error or "")


# --- damage -------------------------------------------------------------------------------------


def _good(n: int = 4) -> list[bytes]:
    return [raw_record(c.url, http_block(c.body)) for c in captures(n)]


def _run(tmp_path: Path, name: str, data: bytes, limits: WarcLimits | None = None) -> list:
    path = tmp_path / name
    path.write_bytes(data)
    return list(iter_warc(str(path), limits=limits))


def _urls(items: list) -> list[str | None]:
    return [i.url for i in _pages(items)]


def test_truncated_record_at_the_end(tmp_path: Path) -> None:
    records = _good()
    data = b"".join(records)
    items = _run(tmp_path, "cut.warc", data[: len(data) - len(records[-1]) // 2])
    assert _urls(items) == [c.url for c in captures(3)]
    assert items[-1].rejection == "unreadable" and "truncated" in (items[-1].error or "")
    assert items[-1].source == f"{tmp_path / 'cut.warc'}#{len(data) - len(records[-1])}"


def test_truncated_gzip_member(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "full.warc.gz", captures(4))
    data = path.read_bytes()
    offsets = _offsets(path)
    items = _run(tmp_path, "cut.warc.gz", data[: offsets[3] + (len(data) - offsets[3]) // 2])
    assert _urls(items) == [c.url for c in captures(3)]
    assert [i.rejection for i in items[3:]] == ["unreadable"]


@pytest.mark.parametrize("delta", [+40, -40])
def test_wrong_content_length_rejects_that_record_only(tmp_path: Path, delta: int) -> None:
    records = _good()
    c = captures(4)[1]
    block = http_block(c.body)
    records[1] = raw_record(c.url, block, length=len(block) + delta)
    items = _run(tmp_path, "len.warc", b"".join(records))
    assert _urls(items) == [captures(4)[i].url for i in (0, 2, 3)]
    bad = [i for i in items if i.rejection]
    assert len(bad) == 1 and bad[0].rejection == "unreadable" and "Content-Length" in (bad[0].error or "")
    assert bad[0].source and bad[0].source.endswith(f"#{len(records[0])}")


@pytest.mark.parametrize("gz", [True, False])
def test_garbage_between_records(tmp_path: Path, gz: bool) -> None:
    path = write_warc(tmp_path / ("g.warc.gz" if gz else "g.warc"), captures(4), gz=gz)
    data, offsets = path.read_bytes(), _offsets(path)
    junk = b"\x00garbage that is no record\r\n\r\n" * 3
    items = _run(tmp_path, "junk" + path.name, data[: offsets[2]] + junk + data[offsets[2] :])
    assert _urls(items) == [c.url for c in captures(4)]
    bad = [i for i in items if i.rejection]
    assert len(bad) == 1 and bad[0].source and bad[0].source.endswith(f"#{offsets[2]}")


def test_garbage_before_and_after(tmp_path: Path) -> None:
    data = b"".join(_good(2))
    items = _run(tmp_path, "edges.warc", b"leading junk\n" + data + b"trailing junk")
    assert _urls(items) == [c.url for c in captures(2)]
    assert [i.rejection for i in items] == ["unreadable", None, None, "unreadable"]


@pytest.mark.parametrize("data", [b"", b"not a warc at all", bytes(range(256)) * 50, b"WARC/1.0\r\n"])
def test_files_without_records(tmp_path: Path, data: bytes) -> None:
    items = _run(tmp_path, "none.warc", data)
    assert len(items) == 1 and items[0].rejection in ("empty", "unreadable")


def test_missing_file_is_a_rejection(tmp_path: Path) -> None:
    (item,) = iter_warc(str(tmp_path / "absent.warc.gz"))
    assert item.rejection == "unreadable" and "absent.warc.gz" in (item.error or "")


def test_decompression_bomb_payload_is_too_large(tmp_path: Path) -> None:
    caps = [
        Capture(
            "https://a.example/bomb",
            bomb(40_000_000),
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
        *captures(1),
    ]
    path = write_warc(tmp_path / "bomb.warc.gz", caps)
    items = list(iter_warc(str(path), limits=WarcLimits(max_payload_bytes=5_000_000)))
    assert [i.rejection for i in items] == ["too_large", None]
    assert "decompression bomb" in (items[0].error or "")


def test_oversized_record_is_too_large(tmp_path: Path) -> None:
    items = _run(tmp_path, "big.warc", b"".join(_good(3)), WarcLimits(max_record_bytes=1000))
    assert [i.rejection for i in items] == ["too_large"] * 3


def test_unparseable_or_huge_http_header(tmp_path: Path) -> None:
    huge = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Junk: " + b"a" * 100_000 + b"\r\n\r\n<p>x</p>"
    records = [
        raw_record("https://a.example/x", b"GARBAGE NOT HTTP\r\n\r\n<p>x</p>"),
        raw_record("https://a.example/y", huge),
        *_good(1),
    ]
    items = _run(tmp_path, "http.warc", b"".join(records))
    assert [i.rejection for i in items] == ["unreadable", "unreadable", None]


def test_resource_records_with_html_are_pages(tmp_path: Path) -> None:
    records = [
        raw_record(
            "https://a.example/r",
            b"<!doctype html><html><p>r</p></html>",
            kind="resource",
            content_type="text/html",
        ),
        raw_record("https://a.example/i", b"GIF89a", kind="resource", content_type="image/gif"),
        raw_record(
            "https://a.example/m", b"fetchTimeMs: 5", kind="metadata", content_type="application/warc-fields"
        ),
    ]
    items = _run(tmp_path, "res.warc", b"".join(records))
    assert [(i.url, i.rejection) for i in items] == [
        ("https://a.example/r", None),
        ("https://a.example/i", "not_html"),
    ]


def test_missing_fastwarc_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_warc(tmp_path / "a.warc.gz", captures(1))
    monkeypatch.setitem(sys.modules, "fastwarc", None)  # as if the extra were not installed
    monkeypatch.setitem(sys.modules, "fastwarc.warc", None)
    with pytest.raises(MissingExtra, match=r"broadsheet\[warc\]"):
        list(iter_warc(str(path)))


_JUNK = st.one_of(
    st.binary(max_size=40), st.sampled_from([b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", b"\r\n\r\n"])
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    at=st.one_of(st.integers(0, 40_000), st.tuples(st.integers(0, 9), st.integers(-80, 80))),
    remove=st.one_of(st.integers(0, 400), st.integers(0, 9000)),
    junk=_JUNK,
    gz=st.booleans(),
)
@example(
    at=(1, -1), remove=0, junk=b"WARC/1.0\r\n", gz=False
)  # a version line inside the blank lines before a record
# a cut inside a record's HTTP header whose declared length then runs over the next record's WARC header
@example(at=1031, remove=1130, junk=b"\x1f\x8b\x08\x00", gz=False)
def test_damage_anywhere_loses_only_the_damaged_records(
    tmp_path: Path, at: int | tuple[int, int], remove: int, junk: bytes, gz: bool
) -> None:
    """One splice (bytes removed, junk inserted) anywhere, or near a record boundary: the reader ends
    without raising, and every record the splice did not touch comes out intact under its own key."""
    from fastwarc.warc import ArchiveIterator

    caps = captures(5)
    original = write_warc(tmp_path / ("o.warc.gz" if gz else "o.warc"), caps, gz=gz, with_requests=True)
    data = original.read_bytes()
    every = [r.stream_pos for r in ArchiveIterator(str(original), parse_http=False)]  # requests too
    cut = max(0, every[at[0]] + at[1]) if isinstance(at, tuple) else at % len(data)
    starts = _offsets(original)
    ends = [([e for e in every if e > start] + [len(data)])[0] for start in starts]
    items = _run(tmp_path, "fuzz" + original.name, data[:cut] + junk + data[cut + remove :])
    shift = len(junk) - min(remove, len(data) - cut)
    good = {i.url: i for i in _pages(items)}
    for cap, start, end in zip(caps, starts, ends, strict=True):
        if end <= cut or start >= cut + remove:  # untouched by the splice
            item = good.get(cap.url)
            assert item is not None and item.content == cap.body
            moved = start if end <= cut else start + shift
            # Junk right before a record, or inside the blank lines that end the one before it (a stray
            # version line), may be read as the start of that record: it is then keyed where the junk is.
            keys = {moved, cut} if 0 <= start - (cut + remove) <= 4 else {moved}
            assert item.source in {f"{tmp_path / ('fuzz' + original.name)}#{key}" for key in keys}
    assert len({i.source for i in items}) == len(items)  # distinct keys: nothing counted twice


def test_reader_is_a_source_of_the_same_records_via_iter_inputs(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "a.warc", captures(3), gz=False)
    assert [i.source for i in iter_inputs(str(path))] == [i.source for i in iter_warc(str(path))]
