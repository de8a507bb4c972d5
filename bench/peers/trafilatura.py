"""trafilatura: ``bare_extraction(with_metadata=True)``, as shipped and with ``favor_precision`` or ``favor_recall``:
its best setting is the best of the three on each set."""

from __future__ import annotations

from typing import Any

from ..output import Output

__all__ = ["DISTRIBUTION", "extract", "extract_precision", "extract_recall"]

DISTRIBUTION = "trafilatura"


def _run(html: str, url: str | None, **options: Any) -> Output:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **options)
    if doc is None:
        return Output()
    assert not isinstance(doc, dict)
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    categories = list(doc.categories or [])
    return Output(
        text=doc.text or "",
        title=doc.title,
        authors=authors,
        published=doc.date,
        section=categories[0] if categories else None,
        tags=list(doc.tags or []),
        language=doc.language,
        description=doc.description,
    )


def extract(html: str, url: str | None) -> Output:
    """trafilatura's defaults (comments included, as shipped)."""
    return _run(html, url)


def extract_precision(html: str, url: str | None) -> Output:
    return _run(html, url, favor_precision=True)


def extract_recall(html: str, url: str | None) -> Output:
    return _run(html, url, favor_recall=True)
