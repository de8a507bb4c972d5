"""What every extractor hands back to the scorer: one flat record, the same for broadsheet and the peers."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Output", "blocks_text", "paragraphs_html"]


@dataclass(slots=True)
class Output:
    """An extractor's answer for one page. ``error`` is set (and the rest empty) when it raised."""

    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    language: str | None = None
    description: str | None = None
    error: str | None = None

    def tidy(self) -> Output:
        """The same output with every field of the declared type (peers return nested lists, dates...)."""
        return Output(
            text=_string(self.text) or "",
            title=_string(self.title),
            authors=_strings(self.authors),
            published=_string(self.published),
            section=_string(self.section),
            tags=_strings(self.tags),
            captions=_strings(self.captions),
            credits=_strings(self.credits),
            language=_string(self.language),
            description=_string(self.description),
            error=self.error,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Output:
        return cls(**data)

    @classmethod
    def failed(cls, exc: BaseException) -> Output:
        """The empty result a page scores when the extractor raised on it."""
        return cls(error=f"{type(exc).__name__}: {exc}"[:300])


def _string(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple | set):
        return "; ".join(_strings(value)) or None
    return value if isinstance(value, str) else str(value)


def _strings(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list | tuple | set | frozenset):
        return [s for item in value for s in _strings(item)]
    return [str(value)]


# Block-level tags whose text starts a new line when an extractor's HTML output is read as text.
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote pre table tr section article header footer "
    "figure figcaption dl dt dd aside main nav br hr".split()
)


def blocks_text(fragment: str) -> str:
    """Text of an HTML fragment, one block element per line (for peers that return HTML)."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def paragraphs_html(text: str) -> str:
    """Flattened text as an HTML page with one escaped ``<p>`` per non-empty line (peers on text)."""
    body = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n{body}</body></html>\n'
