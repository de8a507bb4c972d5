"""broadsheet: raw news pages (HTML, web-archive records, flattened text) → clean, structured articles.

>>> import broadsheet
>>> article = broadsheet.extract(html_or_text, url="https://example.com/story")
>>> article.title, article.authors, article.published, article.text
"""

from __future__ import annotations

from typing import Any

from .article import Article, Block, Decision, Image, Input, Page
from .errors import BroadsheetError, MissingExtra, Reason
from .options import Options
from .pipeline import extract, extract_many

__version__ = "0.1.0"

__all__ = [
    "Archive",
    "Article",
    "Block",
    "BroadsheetError",
    "Decision",
    "Image",
    "Input",
    "MissingExtra",
    "Options",
    "Page",
    "Reason",
    "__version__",
    "extract",
    "extract_many",
]


def __getattr__(name: str) -> Any:
    # The archive pulls in more than extraction needs; load it on first use.
    if name == "Archive":
        from .archive import Archive

        return Archive
    raise AttributeError(f"module 'broadsheet' has no attribute {name!r}")
