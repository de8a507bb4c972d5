"""newspaper4k: ``Article.download(input_html=...)`` then ``parse()``, with ``fetch_images=False`` (no network)."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..output import Output

__all__ = ["DISTRIBUTION", "extract"]

DISTRIBUTION = "newspaper4k"


@cache
def _config() -> Any:
    from newspaper import Config

    config = Config()
    config.fetch_images = False
    config.memorize_articles = False
    config.disable_category_cache = True
    return config


def extract(html: str, url: str | None) -> Output:
    from newspaper import Article

    article = Article(url or "http://localhost/page", config=_config())
    article.download(input_html=html)
    article.parse()
    published = article.publish_date
    return Output(
        text=article.text or "",
        title=article.title or None,
        authors=list(article.authors or []),
        published=published.isoformat() if published else None,
        tags=sorted(article.tags or []),
        language=article.meta_lang or None,
        description=article.meta_description or None,
    )
