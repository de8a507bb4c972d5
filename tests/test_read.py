"""The read stage: decoding, kind detection, limits. Bad input is a named rejection, never a traceback."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import broadsheet
from broadsheet.errors import InputTooLarge, Reason, RejectedInput
from broadsheet.options import Options
from broadsheet.pipeline.read import _looks_binary, _without_surrogates, decode, detect_kind, gunzip, read

HTML = "<!doctype html><html><head><meta charset='{cs}'><title>Grüße</title></head><body><p>Grüße aus Köln, sagte sie.</p></body></html>"


def test_declared_charset_is_used() -> None:
    text, enc = decode(HTML.format(cs="iso-8859-1").encode("latin-1"))
    assert "Grüße" in text and enc in ("iso8859-1", "latin-1", "iso-8859-1")


def test_page_saved_as_utf8_under_an_old_declaration_reads_as_utf8() -> None:
    text, enc = decode(HTML.format(cs="iso-8859-1").encode("utf-8"))
    assert "Grüße aus Köln" in text and "Ã" not in text and enc == "utf-8"
    ascii_page = HTML.replace("ü", "ue").replace("ß", "ss").replace("ö", "oe").format(cs="windows-1252")
    assert decode(ascii_page.encode("ascii"))[1] != "utf-8"  # nothing to tell: the declaration stands


def test_wrong_declaration_falls_back_to_utf8() -> None:
    text, _ = decode(HTML.format(cs="nonsense-charset").encode("utf-8"))
    assert "Köln" in text


def test_utf16_with_and_without_bom() -> None:
    doc = HTML.format(cs="utf-16")
    assert "Köln" in decode(doc.encode("utf-16"))[0]
    assert "Köln" in decode(doc.encode("utf-16-le"))[0]


def test_kind_detection() -> None:
    assert detect_kind(HTML) == "html"
    assert detect_kind("Headline\nBy Someone\nA paragraph of text.") == "text"
    assert detect_kind("Less than <3 symbols > here but no tags") == "text"


def test_kind_of_a_page_opening_with_a_long_style_sheet() -> None:
    # the style sheet fills the window the signs are counted in: the opening tag tells
    rules = "".join(f".box-{i} {{ opacity: 1; transition-duration: 0.4s; }}\n" for i in range(200))
    page = f"<style>\n{rules}</style>\n<!DOCTYPE html><html><head><title>T</title></head><body><p>Hi</p></body></html>"
    assert len(rules) > 4096
    assert detect_kind(page) == "html"
    assert detect_kind(f"<script>\n{rules}</script><p>x</p>") == "html"
    assert detect_kind("<3 is a heart, and this line is text\nMore text") == "text"


def test_text_header_gives_crawl_date() -> None:
    page = read("date 2020-07-13 Site - nav\nHeadline\n")
    assert page.kind == "text" and page.fetched_at == "2020-07-13" and page.content.startswith("Site")


def test_gzip_input_and_bomb_guard() -> None:
    assert "Köln" in read(gzip.compress(HTML.format(cs="utf-8").encode())).content
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(InputTooLarge):
        gunzip(bomb, 1_000_000)
    with pytest.raises(RejectedInput):
        gunzip(gzip.compress(b"abc" * 1000)[:-12], 10_000)


def test_size_limit() -> None:
    article = broadsheet.extract(b"<p>x</p>" * 100, options=Options(max_bytes=100))
    assert article.rejection == Reason.TOO_LARGE


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        ("", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"PK\x03\x04" + b"\x00\x01" * 300, "binary"),
        (zlib.compress(b"hello") * 50, None),  # random-looking bytes: binary or undecodable, never a crash
    ],
)
def test_bad_inputs_are_named_rejections(content: bytes | str, reason: str | None) -> None:
    article = broadsheet.extract(content)
    if reason:
        assert article.rejection == reason
    assert article.error is None or article.error.startswith(article.rejection or "")


def test_utf8_page_with_a_stray_latin1_line_keeps_both_right() -> None:
    raw = "Überschrift\nGrüße aus Köln\n".encode() + "Ein Satz über Köln.\n".encode("latin-1")
    text, encoding = decode(raw)
    assert encoding == "utf-8"
    assert "Überschrift" in text and "Grüße" in text and "Ein Satz über Köln." in text


def test_all_latin1_is_still_detected() -> None:
    text, _ = decode(
        "Ein ganzer Satz über Köln und Düsseldorf, ganz in Latin-1 geschrieben.".encode("latin-1")
    )
    assert "über Köln und Düsseldorf" in text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Ein Satz über Köln, ganz in Latin-1.", "latin-1"),
        ("中文新闻标题，这是一个测试句子。", "gbk"),
        ("日本語のニュース記事です。東京で会議が開かれました。", "shift_jis"),
        ("Новости дня: в Москве прошла встреча.", "cp1251"),
    ],
)
def test_undeclared_single_and_multibyte_charsets(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding))[0] == text


# lone surrogates, controls and replacement characters mixed into any text
_MIXED = st.one_of(
    st.characters(), st.sampled_from(["\ud800", "\udfff", "\x00", "\x07", "\x1f", "\x7f", "\ufffd", "\n"])
)


@given(st.text(alphabet=_MIXED, max_size=400))
def test_control_and_surrogate_counting_matches_a_character_scan(text: str) -> None:
    controls = sum(1 for ch in text[:20000] if ch in _CONTROLS)
    sample = text[:20000]
    want = controls > len(sample) // 20 or sample.count("\ufffd") > len(sample) // 4
    assert _looks_binary(text) == want
    assert _without_surrogates(text) == "".join(
        "\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text
    )


_CONTROLS = frozenset(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
