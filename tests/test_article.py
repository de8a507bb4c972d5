from __future__ import annotations

import json

import broadsheet
from broadsheet import Article, Block, Image
from broadsheet.formats import FORMATS, render

REQUIRED = [
    "url",
    "canonical_url",
    "site_name",
    "section",
    "title",
    "description",
    "authors",
    "published",
    "modified",
    "language",
    "tags",
    "images",
    "text",
    "blocks",
    "error",
]


def test_json_field_names_are_exact() -> None:
    data = Article().to_dict()
    for name in REQUIRED:
        assert name in data
    assert list(data)[: len(REQUIRED)] == REQUIRED
    assert set(Image().__slots__) == {"url", "caption", "credit"}  # type: ignore[attr-defined]


def test_round_trip_through_json() -> None:
    article = Article(
        title="T",
        authors=["A B"],
        tags=["x", "y z"],
        images=[Image(url="u", caption="c", credit="k")],
        blocks=[Block(kind="heading", text="H", level=2), Block(kind="paragraph", text="P")],
        text="H\n\nP",
    )
    again = Article.from_dict(json.loads(render(article, "json")))
    assert again == article


def test_every_format_renders_and_html_escapes() -> None:
    article = broadsheet.extract(
        "<html><head><title>x</title></head><body><article><h1>Hi &lt;b&gt;</h1>"
        + "<p>"
        + "A sentence with <script>alert(1)</script> some words in it. " * 5
        + "</p>"
        + "</article></body></html>"
    )
    for fmt in FORMATS:
        out = render(article, fmt)
        assert isinstance(out, str) and out
    html_out = render(article, "html")
    assert "<script" not in html_out and "&lt;b&gt;" in html_out


def test_extract_many_streams_in_order() -> None:
    items = [
        "",
        "plain text line that is a sentence of some length, as flattened pages are.",
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ]
    results = list(broadsheet.extract_many(items))
    assert [r.rejection for r in results] == ["empty", results[1].rejection, "binary"]
    assert results[1].kind == "text"
