"""goose3: ``Goose().extract(raw_html=...)`` with image fetching off (no network)."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..output import Output

__all__ = ["DISTRIBUTION", "extract"]

DISTRIBUTION = "goose3"


@cache
def _goose() -> Any:
    from goose3 import Goose

    return Goose({"enable_image_fetching": False, "use_meta_language": True})


def extract(html: str, url: str | None) -> Output:
    article = _goose().extract(raw_html=html)
    published = article.publish_date
    return Output(
        text=article.cleaned_text or "",
        title=article.title or None,
        authors=list(article.authors or []),
        published=str(published) if published else None,
        tags=sorted(article.tags or []),
        language=article.meta_lang or None,
        description=article.meta_description or None,
    )
