"""robots.txt, fetched once per host and kept for the run (RFC 9309, parsed with Protego).

Protego rather than ``urllib.robotparser`` because news sites' robots files use ``*`` and ``$``
patterns (``Disallow: /*?query=``), which the standard library reads as literal text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

__all__ = ["ROBOTS_MAX_BYTES", "Robots", "RobotsCache"]

#: RFC 9309 asks crawlers to read at least 500 KiB of a robots file.
ROBOTS_MAX_BYTES = 512_000


@dataclass(slots=True)
class Robots:
    """What one host's robots.txt says: rules (None = everything allowed) or a refusal of all."""

    rules: Protego | None = None
    refuse_all: str | None = None  # why nothing may be fetched (robots.txt answered 5xx)

    def allows(self, url: str, agent: str) -> bool:
        if self.refuse_all:
            return False
        return self.rules is None or bool(self.rules.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float | None:
        delay = self.rules.crawl_delay(agent) if self.rules is not None else None
        return float(delay) if delay is not None else None


class RobotsCache:
    """One ``Robots`` per scheme://host:port, fetched on first use through ``fetch``.

    ``fetch(url)`` returns ``(status, body)``; it raises for network failures, which the cache
    remembers so a host that cannot be reached is not retried for every one of its URLs.
    """

    def __init__(self, fetch: Callable[[str], tuple[int, bytes]], agent: str) -> None:
        self._fetch = fetch
        self.agent = agent
        self._hosts: dict[str, Robots | Exception] = {}

    def for_url(self, url: str) -> Robots:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._hosts:
            self._hosts[origin] = self._load(origin)
        found = self._hosts[origin]
        if isinstance(found, Exception):
            raise found
        return found

    def _load(self, origin: str) -> Robots | Exception:
        try:
            status, body = self._fetch(origin + "/robots.txt")
        except Exception as exc:  # remembered and re-raised for each URL of the host
            return exc
        if 200 <= status < 300:
            return Robots(rules=Protego.parse(body.decode("utf-8", errors="replace")))
        if 400 <= status < 500:  # "unavailable": no rules, everything may be fetched
            return Robots()
        return Robots(refuse_all=f"robots.txt answered HTTP {status}; the site is treated as disallowed")
