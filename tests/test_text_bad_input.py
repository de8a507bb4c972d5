"""Bad flattened text: a clear result or a named reason, never a crash or a hang."""

from __future__ import annotations

import random

import broadsheet
from broadsheet import Options

SENTENCE = "The harbour council met again on Tuesday and agreed to study the plan further. "
_WORDS = "council harbour plan ferry budget residents mayor vote study port city night noise rules".split()


def _sentences(n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    return " ".join(
        "The " + " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 16))) + "." for _ in range(n)
    )


def test_empty_and_blank_text() -> None:
    for content in ("", "\n\n\n", b"   \r\n  "):
        article = broadsheet.extract(content, kind="text")
        assert article.rejection == "empty"


def test_one_giant_line_is_cut_into_paragraphs() -> None:
    giant = "Harbour plan approved\n" + _sentences(4000)  # about 300k characters, no line break
    article = broadsheet.extract(giant, kind="text")
    assert article.ok, article.error
    assert len(article.blocks) > 50
    assert max(len(b.text) for b in article.blocks) <= 2_000


def test_one_giant_token_is_no_text() -> None:
    # a hash or an encoded blob with no spaces: cut into pieces, it is still not words
    for kind, content in (
        ("text", "x" * 2_000_000),
        ("html", f"<html><body><p>{'y' * 200_000}</p></body></html>"),
    ):
        article = broadsheet.extract(content, kind=kind)
        assert article.rejection == "no_body" and "words" in (article.error or ""), (kind, article.error)
    # a few long tokens among words are text: a link written out, a chemical name
    line = "https://example.org/" + "a" * 300 + " " + _sentences(20)
    article = broadsheet.extract("Harbour plan approved\n" + line, kind="text")
    assert article.ok, article.error


def test_line_limit_is_a_named_rejection() -> None:
    article = broadsheet.extract("line\n" * 1000, kind="text", options=Options(max_lines=100))
    assert article.rejection == "too_large" and "lines" in (article.error or "")


def test_binary_bytes() -> None:
    article = broadsheet.extract(b"\x00\x01\x02\xff" * 500, kind="text")
    assert article.rejection == "binary"


def test_mixed_encodings_still_read() -> None:
    # UTF-8 text with one Latin-1 line: read, and the article found (the read stage picks one charset
    # for the whole input, so the UTF-8 umlauts of this input may come out as another charset's letters)
    utf8 = ("Über den Hafenplan wurde am Dienstag lange und kontrovers im Rat gestritten. " * 3).encode()
    latin = "Die Bürger äußerten sich größtenteils zufrieden über das Ergebnis.".encode("latin-1")
    content = b"Hafenplan beschlossen\n\n" + utf8 + b"\n" + latin + b"\n" + utf8 + b"\n"
    article = broadsheet.extract(content, kind="text")
    assert article.kind == "text"
    assert article.ok, article.error
    assert "den Hafenplan wurde am Dienstag" in article.text and "zufrieden" in article.text


def test_html_handed_in_as_text_is_read_as_html() -> None:
    html = (
        "<!doctype html><html><head><title>Harbour plan approved</title></head><body><nav>Home News</nav>"
        f"<article><h1>Harbour plan approved</h1><p>{SENTENCE * 3}</p><p>{SENTENCE * 2}</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    for kind in ("auto", "text"):
        article = broadsheet.extract(html, kind=kind)
        assert article.kind == "html", kind
        assert "<p>" not in article.text and "harbour council" in article.text
        assert "Copyright" not in article.text


def test_only_furniture_is_not_an_article() -> None:
    text = "Home\nNews\nSport\nWeather\nAbout us\nContact\nPrivacy Policy\n"
    article = broadsheet.extract(text, kind="text")
    assert not article.is_article and article.rejection in ("no_body", "not_article")
    assert article.error
