"""readability-lxml: ``Document(html).summary()`` read as text, one block per line; its title."""

from __future__ import annotations

from ..output import Output, blocks_text

__all__ = ["DISTRIBUTION", "extract"]

DISTRIBUTION = "readability-lxml"


def extract(html: str, url: str | None) -> Output:
    from readability import Document

    doc = Document(html, url=url)
    return Output(text=blocks_text(doc.summary(html_partial=True)), title=doc.short_title() or None)
