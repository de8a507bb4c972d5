"""Property tests (hypothesis) on both parsers and every output format: whatever the input, extraction
returns an ``Article`` (never raises), the output is bounded by the input, reading is the same for text
and its bytes, and every format renders any article, escaped, with JSON and JSON lines round-tripping."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

import broadsheet
from broadsheet import Article, Block, Decision, Image, Options
from broadsheet.errors import RejectedInput
from broadsheet.formats import render, to_html, to_json, to_jsonl, to_markdown
from broadsheet.pipeline.clean import normalise_text
from broadsheet.pipeline.read import read
from broadsheet.pipeline.text import split_lines

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))
from target import REASONS, check

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- generated pages -------------------------------------------------------------------------------

TAGS = (
    "html head body title meta link div p span a b i em strong article section nav header footer main aside "
    "h1 h2 h3 ul ol li table tr td th script style noscript template br hr img figure figcaption picture "
    "source select option textarea pre code blockquote time form button iframe svg math"
).split()
ENTITIES = (
    "&amp;",
    "&lt;",
    "&gt;",
    "&nbsp;",
    "&#0;",
    "&#x1F600;",
    "&#xD800;",
    "&bogus;",
    "&",
    "&#",
    "&#x110000;",
)
JUNK = (
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "<!doctype html>",
    "<?xml?>",
    "<![CDATA[",
    "]]>",
    "\x00",
    "\r",
    "\ufeff",
)
words = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30) | st.sampled_from(
    ["The council met on Tuesday.", "By Jane Doe", "Photo: Reuters", "Home | News | Sport", "Ünïcödé → ✓"]
)
attribute = st.tuples(
    st.sampled_from(["class", "id", "href", "src", "style", "role", "itemprop", "content", "name", "x"]),
    st.text(max_size=20) | st.sampled_from(["article-body", "nav", "javascript:alert(1)", "display:none"]),
)


def _element(tag: str, attrs: list[tuple[str, str]], children: list[str], close: bool) -> str:
    shown = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in attrs)
    return f"<{tag}{shown}>" + "".join(children) + (f"</{tag}>" if close else "")


fragments = st.recursive(
    words | st.sampled_from(ENTITIES) | st.sampled_from(JUNK),
    lambda inner: st.builds(
        _element,
        st.sampled_from(TAGS),
        st.lists(attribute, max_size=3),
        st.lists(inner, max_size=6),
        st.booleans(),
    ),
    max_leaves=60,
)
pages = st.lists(fragments, min_size=1, max_size=8).map("".join)
lines = st.lists(
    words | st.sampled_from(["", " ", "\t", "date 2024-05-01", "Share this article", "© 2024"]), max_size=40
)
texts = lines.map("\n".join)


def _is_article(article: Article, given: bytes | str) -> None:
    """What every extraction result must be, whatever the input (the fuzz targets' promises)."""
    check(article, given)
    assert all(block.text and block.text == block.text.strip() for block in article.blocks)


# -- the HTML path ---------------------------------------------------------------------------------


@FAST
@given(pages)
def test_html_extraction_never_raises_and_is_bounded(page: str) -> None:
    _is_article(broadsheet.extract(page, kind="html"), page)


@FAST
@given(st.binary(max_size=3000))
def test_any_bytes_are_an_article_or_a_named_rejection(raw: bytes) -> None:
    _is_article(broadsheet.extract(raw), raw)


@FAST
@given(pages, st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_a_page_reads_the_same_as_text_and_as_its_encoded_bytes(page: str, codec: str) -> None:
    try:
        as_text = read(page)
    except RejectedInput as exc:
        as_text_reason = exc.reason
    else:
        as_text_reason = None
    try:
        as_bytes = read(page.encode(codec))
    except RejectedInput as exc:
        assert exc.reason == as_text_reason or exc.reason == "binary"  # NULs of a wide codec may look binary
        return
    assert as_text_reason is None
    assert as_bytes.content == as_text.content and as_bytes.kind == as_text.kind


# -- the flattened-text path -----------------------------------------------------------------------


@FAST
@given(texts)
def test_text_extraction_never_raises_and_keeps_only_input_text(text: str) -> None:
    article = broadsheet.extract(text, kind="text")
    _is_article(article, text)
    if article.rejection in (None, "not_article", "no_body"):
        flat = normalise_text(read(text, kind="text").content)  # as read: no NULs, no crawl-date header
        for block in article.blocks:
            assert block.text in flat


@FAST
@given(texts)
def test_splitting_lines_is_idempotent(text: str) -> None:
    options = Options()
    first = [line for line, _ in split_lines(text, options)]
    again = [line for line, _ in split_lines("\n".join(first), options)]
    assert again == first


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=300_000), st.sampled_from(["x", "word ", "A sentence. ", "\u00a0"]))
def test_lines_are_bounded_however_long_the_input_line(length: int, unit: str) -> None:
    text = (unit * (length // len(unit) + 1))[:length]
    found = [line for line, _ in split_lines(text, Options())]
    assert all(len(line) <= 20_000 for line in found)  # a longer line is cut into sentences
    assert sum(map(len, found)) <= length


# -- output formats --------------------------------------------------------------------------------

any_text = st.text(max_size=40)
some_text = st.none() | any_text
articles = st.builds(
    Article,
    url=some_text,
    canonical_url=some_text,
    site_name=some_text,
    section=some_text,
    title=some_text,
    description=some_text,
    authors=st.lists(any_text, max_size=3),
    published=some_text,
    modified=some_text,
    language=some_text,
    tags=st.lists(any_text, max_size=3),
    images=st.lists(st.builds(Image, url=some_text, caption=some_text, credit=some_text), max_size=2),
    text=any_text,
    blocks=st.lists(
        st.builds(
            Block,
            kind=st.sampled_from(
                ["paragraph", "heading", "list_item", "quote", "table", "code", "embed", "x"]
            ),
            text=any_text,
            level=st.integers(-3, 9),
        ),
        max_size=5,
    ),
    error=some_text,
    rejection=st.none() | st.sampled_from(sorted(REASONS)),
    is_article=st.booleans(),
    confidence=st.floats(allow_nan=False),
    paywalled=st.booleans(),
    kind=st.none() | st.sampled_from(["html", "text"]),
    fetched_at=some_text,
    explain=st.none()
    | st.lists(
        st.builds(
            Decision,
            index=st.integers(),
            text=any_text,
            kind=any_text,
            role=any_text,
            kept=st.booleans(),
            score=st.floats(allow_nan=False),
            reason=any_text,
        ),
        max_size=3,
    ),
)


@FAST
@given(articles)
def test_json_and_json_lines_round_trip(article: Article) -> None:
    assert Article.from_dict(json.loads(to_json(article))) == article
    line = to_jsonl(article, extra={"input": "x.html"})
    assert "\n" not in line
    assert Article.from_dict(json.loads(line)) == article


@FAST
@given(articles, st.sampled_from(["json", "jsonl", "markdown", "text", "html"]))
def test_every_format_renders_every_article(article: Article, fmt: str) -> None:
    assert isinstance(render(article, fmt), str)


_ALLOWED_TAGS = {
    "html",
    "head",
    "body",
    "meta",
    "title",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "li",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "small",
    "-text",
    "-comment",
}
_ALLOWED_ATTRIBUTES = {"lang", "charset", "class"}
# what an HTML parser turns into something else, so it cannot round-trip through one
_PARSER_CHANGES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\r\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
plain = st.text(max_size=40).map(lambda s: _PARSER_CHANGES.sub("", s))


@FAST
@given(articles)
def test_html_output_holds_no_markup_from_the_article(article: Article) -> None:
    article.rejection = None
    tree = LexborHTMLParser(to_html(article))
    assert tree.root is not None
    for node in tree.root.traverse(include_text=True):
        assert node.tag in _ALLOWED_TAGS, node.tag
        assert set(node.attributes) <= _ALLOWED_ATTRIBUTES


@FAST
@given(plain, plain, st.lists(plain, max_size=4))
def test_html_output_shows_the_article_text_exactly(title: str, dek: str, paragraphs: list[str]) -> None:
    article = Article(
        title=title.strip() or None,
        description=dek.strip() or None,
        blocks=[Block("paragraph", p) for p in paragraphs if p.strip()],
    )
    tree = LexborHTMLParser(to_html(article))
    if article.title:
        assert tree.css_first("h1").text() == article.title  # type: ignore[union-attr]
    assert [p.text() for p in tree.css("article > p:not(.dek):not(.byline)")] == [
        b.text for b in article.blocks
    ]


_MD_ESCAPED = re.compile(r"\\[\\<\[\]]")
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
_CODE = re.compile(r"^(`{3,})\n.*?\n\1$", re.M | re.S)


@FAST
@given(articles)
def test_markdown_output_carries_no_raw_html_or_unsafe_links(article: Article) -> None:
    article.rejection = None
    out = _MD_ESCAPED.sub("", _CODE.sub("", to_markdown(article)))  # what a renderer reads as markup
    assert not _RAW_HTML.search(out), "raw HTML would pass through a Markdown renderer"
    assert "[" not in out.replace("![", "")
    for target in re.findall(r"\]\(([^)]*)\)", out):
        assert target.startswith(("http://", "https://")) and " " not in target, target


@FAST
@given(any_text, any_text)
def test_a_rejection_in_markdown_stays_inside_its_comment(error: str, reason: str) -> None:
    out = to_markdown(Article(rejection="unreadable", error=error + reason))
    assert out.startswith("<!-- ") and out.endswith(" -->\n") and "--" not in out[5:-5]
