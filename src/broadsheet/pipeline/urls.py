"""URLs as pages give them, split without raising.

``urllib.parse.urlsplit`` raises ``ValueError`` on a host it cannot read ("http://[abc/x.jpg", an unclosed
IPv6 bracket); a page's image address, link or base is any text its author wrote, so the stages split
addresses through ``split_url``, which reads such a URL as empty, and resolve them through ``join_url``.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit

__all__ = ["join_url", "split_url"]

_EMPTY = urlsplit("")


def split_url(url: str | None) -> SplitResult:
    """``urlsplit(url)``, or an empty split for no URL or one ``urlsplit`` rejects."""
    if not url:
        return _EMPTY
    try:
        return urlsplit(url)
    except ValueError:
        return _EMPTY


def join_url(base: str | None, url: str) -> str:
    """``urljoin(base, url)``, or ``url`` as given where either is a URL ``urlsplit`` rejects."""
    try:
        return urljoin(base or "", url)
    except ValueError:
        return url
