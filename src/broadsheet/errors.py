"""Errors and rejection reasons.

Per-page problems are not exceptions for the caller: ``extract`` turns them into an ``Article``
whose ``rejection`` is a ``Reason`` and whose ``error`` says what happened. Exceptions are for
problems the caller must act on (a missing extra, a broken archive, bad arguments)::

    BroadsheetError
    ├── RejectedInput          a page that cannot become an article (carries a Reason)
    │   ├── InputTooLarge      bytes, decompressed bytes, DOM nodes or lines over the limit
    │   └── Unreadable         empty, binary, undecodable, truncated
    ├── MissingExtra           an optional part is not installed: "pip install 'broadsheet[web]'"
    ├── SourceError            a source (file, WARC, feed, URL) could not be opened or fetched
    └── ArchiveError           the archive cannot be opened or written (not a broadsheet archive, disk full)
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ArchiveError",
    "BroadsheetError",
    "InputTooLarge",
    "MissingExtra",
    "Reason",
    "RejectedInput",
    "SourceError",
    "Unreadable",
]


class Reason(StrEnum):
    """Why an input record did not become an article. Stored and counted; never silent."""

    EMPTY = "empty"  # nothing to read, or only whitespace
    BINARY = "binary"  # not text: NUL bytes, an image, a zip
    UNDECODABLE = "undecodable"  # no charset yields readable text
    TOO_LARGE = "too_large"  # over a size, node or line limit
    TIMEOUT = "timeout"  # over the per-page time limit
    UNREADABLE = "unreadable"  # cannot be opened or parsed at all (truncated gzip, broken record)
    NOT_ARTICLE = "not_article"  # a listing, index, error or other non-article page
    NO_BODY = "no_body"  # looks like a page, but no article text was found
    DUPLICATE = "duplicate"  # same text as an article already stored
    NOT_HTML = "not_html"  # a web-archive record that is not an HTML/text response
    FETCH_FAILED = "fetch_failed"  # HTTP error, timeout, refused, redirect loop
    BLOCKED = "blocked"  # robots.txt or the SSRF guard refused the URL


class BroadsheetError(Exception):
    """Base of every error broadsheet raises."""


class RejectedInput(BroadsheetError):
    """A page that cannot become an article. ``extract`` catches it and returns a rejection."""

    reason: Reason = Reason.UNREADABLE

    def __init__(self, message: str, reason: Reason | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class InputTooLarge(RejectedInput):
    reason = Reason.TOO_LARGE


class Unreadable(RejectedInput):
    reason = Reason.UNREADABLE


class MissingExtra(BroadsheetError, ImportError):
    """An optional dependency is not installed; the message names the extra."""

    def __init__(self, extra: str, what: str) -> None:
        super().__init__(f"{what} needs the '{extra}' extra: pip install 'broadsheet[{extra}]'")
        self.extra = extra


class SourceError(BroadsheetError):
    """A source could not be opened or fetched."""


class ArchiveError(BroadsheetError):
    """The archive cannot be opened or written."""
