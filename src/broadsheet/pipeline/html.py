"""Parse stage for HTML: the DOM (selectolax/lexbor) → candidate blocks in reading order.

One pass over the tree. Inline content accumulates into the current block; a block-level element
starts and ends blocks. Each candidate records its tag, its ancestor path with class/id words, the
ids of its block-level ancestors (so the body stage can reason about containers) and how much of
its text sits inside links.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..article import Candidate, Document, Page
from ..errors import InputTooLarge
from ..options import Options

__all__ = ["BLOCK_TAGS", "parse_html"]

#: Removed before walking: never visible article text.
DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "select",
    "option",
    "textarea",
    "input",
    "button",
    "link",
    "meta",
    "head",
]
BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 ul ol li blockquote pre "
    "table thead tbody tfoot tr td th figure figcaption form dl dt dd address details summary hr "
    "center fieldset legend caption body html picture video audio menu".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_KIND = {
    "li": "list_item",
    "dd": "list_item",
    "dt": "list_item",
    "blockquote": "quote",
    "pre": "code",
    "td": "table",
    "th": "table",
    "tr": "table",
    "figcaption": "caption",
    "caption": "caption",
}
_SPACE = re.compile(r"[\s\u2028]+")
_BR = "\u2028"  # stands for <br> until the block is flushed
_BREAKS = re.compile(r"(?:\u2028\s*){2,}")  # <br><br> separates paragraphs in old-style pages
_CLASS_WORD = re.compile(r"[a-z]+")


class _Walker:
    __slots__ = ("buf", "candidates", "link_chars", "link_depth", "next_id", "path", "stack")

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self.buf: list[str] = []
        self.link_chars = 0
        self.next_id = 0
        self.stack: list[tuple[int, str, str]] = []  # (container id, tag, "tag.class#id")
        self.link_depth = 0

    def flush(self) -> None:
        if not self.buf:
            return
        joined = "".join(self.buf)
        self.buf = []
        links = self.link_chars
        self.link_chars = 0
        if _BR in joined:
            parts = [_SPACE.sub(" ", p).strip() for p in _BREAKS.split(joined)]
            parts = [p for p in parts if p]
            total = sum(len(p) for p in parts) or 1
            for part in parts:
                self._emit(part, int(links * len(part) / total))
        else:
            self._emit(_SPACE.sub(" ", joined).strip(), links)

    def _emit(self, text: str, links: int) -> None:
        if not text:
            return
        cid, tag, _ = self.stack[-1] if self.stack else (-1, "body", "body")
        kind = "heading" if tag in _HEADINGS else _KIND.get(tag, "paragraph")
        # a block inside a quote/list item/table cell takes that kind
        if kind == "paragraph":
            for _, anc_tag, _ in reversed(self.stack):
                if anc_tag in ("blockquote", "li", "td", "th", "figcaption", "pre"):
                    kind = _KIND[anc_tag]
                    break
        self.candidates.append(
            Candidate(
                text=text,
                kind=kind,
                level=_HEADINGS.get(tag, 0),
                tag=tag,
                path=" ".join(p for _, _, p in self.stack[-6:]),
                container=cid,
                ancestors=tuple(i for i, _, _ in self.stack),
                link_chars=min(links, len(text)),
            )
        )

    def walk(self, node: LexborNode) -> None:
        # Explicit stack: (node, entering). Deep markup cannot overflow the Python stack.
        todo: list[tuple[Any, bool]] = [(node, True)]
        while todo:
            current, entering = todo.pop()
            tag = current.tag
            if not entering:
                if tag in BLOCK_TAGS:
                    self.flush()
                    self.stack.pop()
                elif tag == "a":
                    self.link_depth -= 1
                continue
            if tag == "-text":
                value = current.text_content
                if value:
                    self.buf.append(value)
                    if self.link_depth:
                        self.link_chars += len(value.strip())
                continue
            if tag == "br":
                self.buf.append(_BR)
                continue
            if tag is None or tag.startswith("-") or tag == "_comment":
                continue
            if tag in BLOCK_TAGS:
                self.flush()
                self.stack.append((self.next_id, tag, _label(current, tag)))
                self.next_id += 1
            elif tag == "a":
                self.link_depth += 1
            elif tag == "img" and self.buf:
                self.buf.append(" ")
            todo.append((current, False))
            children = list(current.iter(include_text=True))
            for child in reversed(children):
                todo.append((child, True))


def _label(node: LexborNode, tag: str) -> str:
    attrs = node.attributes
    cls = attrs.get("class") or ""
    ident = attrs.get("id") or ""
    role = attrs.get("role") or ""
    words = " ".join(_CLASS_WORD.findall(f"{cls} {ident} {role}".lower()))
    return f"{tag}[{words}]" if words else tag


def parse_html(page: Page, options: Options) -> Document:
    """The page's blocks in reading order, plus the parsed tree for the metadata stage."""
    tree = LexborHTMLParser(page.content)
    nodes = tree.root.traverse() if tree.root is not None else ()
    for count, _ in enumerate(nodes, start=1):
        if count > options.max_nodes:
            raise InputTooLarge(f"page has over {options.max_nodes:,} elements")
    title_node = tree.css_first("title")
    title_hint = title_node.text(strip=True) if title_node is not None else None
    structured = [n.text() for n in tree.css('script[type="application/ld+json"]')]
    body = tree.body
    walker = _Walker()
    # <head> keeps its <meta>/<link> for the metadata stage; everything else invisible goes.
    for node in tree.css(",".join(t for t in DROP_TAGS if t not in ("head", "meta", "link"))):
        node.decompose()
    if body is not None:
        walker.walk(body)
        walker.flush()
    return Document(
        page=page,
        candidates=walker.candidates,
        title_hint=title_hint,
        tree=tree,
        extras={"ld_json": structured},
    )
