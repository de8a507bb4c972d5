"""The only way HTML reaches a page: built from escaped text, then cleaned by an nh3 allow-list.

Articles are stored as typed text blocks, so the body's HTML is ours; it is still passed through
the sanitizer, so that a bug in how we build it cannot let a tag or attribute from a page through.
Search snippets come from the archive as escaped text with ``<mark>`` around matches: they are
cleaned with an allow-list of that one tag.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import nh3
from markupsafe import Markup

from ..article import Article, Block

__all__ = ["body_html", "clean", "clean_snippet", "dek_in_body"]

_BODY_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "aside",
    "figure",
    "figcaption",
    "small",
    "mark",
    "em",
    "strong",
    "br",
}
_CLASSES = {"pre": {"table"}, "aside": {"embed"}}
_BODY = nh3.Cleaner(
    tags=_BODY_TAGS,
    clean_content_tags={"script", "style"},
    attributes={},
    allowed_classes=_CLASSES,
    url_schemes={"http", "https"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_SNIPPET = nh3.Cleaner(
    tags={"mark"}, attributes={}, clean_content_tags={"script", "style"}, url_schemes=set()
)


def clean(fragment: str) -> Markup:
    """``fragment`` through the body allow-list, marked safe for templates."""
    return Markup(_BODY.clean(fragment))


def clean_snippet(snippet: str | None) -> Markup:
    """A search snippet with only its ``<mark>`` highlights kept."""
    return Markup(_SNIPPET.clean(snippet or ""))


def _block(block: Block) -> str:
    text = html.escape(block.text)
    if block.kind == "heading":
        level = min(6, max(2, block.level or 2))  # the headline is the page's only h1
        return f"<h{level}>{text}</h{level}>"
    if block.kind == "quote":
        return f"<blockquote><p>{text}</p></blockquote>"
    if block.kind == "code":
        return f"<pre><code>{text}</code></pre>"
    if block.kind == "table":
        return f'<pre class="table">{text}</pre>'
    if block.kind == "embed":
        return f'<aside class="embed"><p>{text}</p></aside>'
    return f"<p>{text}</p>"


def _html_blocks(blocks: Iterable[Block]) -> Iterable[str]:
    in_list = False
    for block in blocks:
        if (block.kind == "list_item") != in_list:
            yield "<ul>" if not in_list else "</ul>"
            in_list = not in_list
        yield f"<li>{html.escape(block.text)}</li>" if block.kind == "list_item" else _block(block)
    if in_list:
        yield "</ul>"


def body_html(article: Article) -> Markup:
    """The article body as sanitised HTML: its typed blocks, or its text split into paragraphs."""
    blocks = article.blocks or [Block("paragraph", p) for p in article.text.split("\n\n") if p.strip()]
    return clean("\n".join(_html_blocks(blocks)))


def dek_in_body(article: Article) -> bool:
    """Whether the body opens with the article's description (a standfirst the body stage kept): the page
    then shows it once, as the body's first paragraph."""
    if not article.description:
        return False
    first = next((p for p in article.text.split("\n\n") if p.strip()), "")
    return " ".join(first.split()) == " ".join(article.description.split())
