"""Renderers: an ``Article`` as JSON, JSON lines, Markdown, plain text or a standalone HTML page.

Everything extracted from the web is untrusted: the HTML renderer escapes every string it writes, and
the Markdown renderer every character that would make raw HTML or a link of it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from .article import Article

__all__ = ["FORMATS", "render", "to_html", "to_json", "to_jsonl", "to_markdown", "to_text"]


def to_json(article: Article, *, extra: dict[str, Any] | None = None) -> str:
    data = article.to_dict()
    if extra:
        data = {**extra, **data}
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_jsonl(article: Article, *, extra: dict[str, Any] | None = None) -> str:
    data = article.to_dict()
    if extra:
        data = {**extra, **data}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _byline(article: Article) -> str:
    parts = []
    if article.authors:
        parts.append("By " + ", ".join(article.authors))
    if article.published:
        parts.append(article.published)
    if article.site_name:
        parts.append(article.site_name)
    return " · ".join(parts)


_BACKTICKS = re.compile("`+")
_MD_ESCAPES = str.maketrans({"\\": "\\\\", "<": "\\<", "[": "\\[", "]": "\\]"})


def _md(text: str) -> str:
    """Text Markdown shows as it is: no raw HTML (``<``), no link or image (``[``), no escape of ours undone."""
    return text.translate(_MD_ESCAPES)


def _md_url(url: str | None) -> str | None:
    """An http(s) URL fit for ``(...)`` in Markdown, or None: other schemes (javascript:, data:) are dropped."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._")


def to_markdown(article: Article, *, extra: dict[str, Any] | None = None) -> str:
    """Markdown that renders as the article's text, whatever that text holds: untrusted text is escaped."""
    if article.rejection:
        return f"<!-- {(article.error or '').replace('--', '- -')} -->\n"  # "-->" would end the comment
    out: list[str] = []
    if article.title:
        out.append(f"# {_md(article.title)}")
    if article.description:
        out.append(f"*{_md(article.description)}*")
    if _byline(article):
        out.append(_md(_byline(article)))
    for img in article.images:
        if img.caption or img.credit:
            line = " ".join(filter(None, [img.caption, f"({img.credit})" if img.credit else None]))
            url = _md_url(img.url)
            out.append(f"![{_md(img.caption or '')}]({url})" if url else f"> {_md(line)}")
    for block in article.blocks:
        text = _md(block.text)
        if block.kind == "heading":
            out.append("#" * min(6, max(2, block.level or 2)) + " " + text)
        elif block.kind == "list_item":
            out.append("- " + text)
        elif block.kind == "quote":
            out.append("> " + text)
        elif block.kind == "code":
            fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(block.text)), default=0))
            out.append(f"{fence}\n{block.text}\n{fence}")  # longer than any run of backticks inside
        else:
            out.append(text)
    if article.tags:
        out.append("Tags: " + _md(", ".join(article.tags)))
    return "\n\n".join(out) + "\n"


def to_text(article: Article, *, extra: dict[str, Any] | None = None) -> str:
    if article.rejection:
        return ""
    head = [x for x in (article.title,) if x]
    return "\n\n".join([*head, article.text]).strip() + "\n"


def to_html(article: Article, *, extra: dict[str, Any] | None = None) -> str:
    e = html.escape
    if article.rejection:
        return f"<!-- {e(article.error or '')} -->\n"
    body: list[str] = []
    list_open = False
    for block in article.blocks:
        if block.kind == "list_item" and not list_open:
            body.append("<ul>")
            list_open = True
        elif block.kind != "list_item" and list_open:
            body.append("</ul>")
            list_open = False
        tag = {
            "heading": f"h{min(6, max(2, block.level or 2))}",
            "list_item": "li",
            "quote": "blockquote",
            "code": "pre",
        }.get(block.kind, "p")
        body.append(f"<{tag}>{e(block.text)}</{tag}>")
    if list_open:
        body.append("</ul>")
    figures = [
        f"<figure><figcaption>{e(img.caption or '')}"
        + (f" <small>{e(img.credit)}</small>" if img.credit else "")
        + "</figcaption></figure>"
        for img in article.images
        if img.caption or img.credit
    ]
    lang = f' lang="{e(article.language)}"' if article.language else ""
    return (
        f'<!doctype html>\n<html{lang}><head><meta charset="utf-8">'
        f"<title>{e(article.title or '')}</title></head><body><article>\n"
        + (f"<h1>{e(article.title)}</h1>\n" if article.title else "")
        + (f'<p class="dek">{e(article.description)}</p>\n' if article.description else "")
        + (f'<p class="byline">{e(_byline(article))}</p>\n' if _byline(article) else "")
        + "\n".join(figures + body)
        + "\n</article></body></html>\n"
    )


FORMATS: dict[str, Callable[..., str]] = {
    "json": to_json,
    "jsonl": to_jsonl,
    "markdown": to_markdown,
    "text": to_text,
    "html": to_html,
}


def render(article: Article, fmt: str, *, extra: dict[str, Any] | None = None) -> str:
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return renderer(article, extra=extra)
