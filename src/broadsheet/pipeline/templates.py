"""Site templates: lines a site prints on many of its pages (navigation, footer, customer-service
paragraph, promo blocks) are boilerplate for that site, whatever they look like.

A ``SiteTemplate`` counts, for one site, on how many distinct pages each line occurs; a line seen on
at least ``min_pages`` pages is template. A ``TemplateBook`` holds the templates of many sites, keyed
by host. Both are plain data (``to_dict``/``from_dict``, JSON-safe), so ingestion and the Spark adapter
can persist a book per site and reuse it on the next batch. ``extract_many`` learns a book as it
reads, and a page is decided with its site's template once the template has seen enough pages; a
single page, or a site seen once, is decided without one.

Lines are keyed by a 64-bit hash of their case-folded text with digits blanked (a copyright year or
a date in a footer does not make it a new line), so a template holds no page text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .urls import split_url

__all__ = ["SiteTemplate", "TemplateBook", "line_key", "may_hold_text", "page_keys", "site_of"]

_DIGITS = re.compile(r"\d+")
_MAX_KEYS = 50_000  # per site; rare keys are pruned beyond this


def line_key(text: str) -> str:
    """The key a line is counted under: case-folded, digits blanked, hashed to 16 hex characters."""
    norm = _DIGITS.sub("0", " ".join(text.casefold().split()))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def page_keys(lines: Sequence[str]) -> tuple[str, set[str]] | None:
    """A page's distinct line keys and its fingerprint (the same page seen twice counts once), or None
    for a page without lines worth counting."""
    keys = {line_key(line) for line in lines if len(line) >= 2}
    if not keys:
        return None
    return hashlib.blake2b("".join(sorted(keys)).encode(), digest_size=8).hexdigest(), keys


def may_hold_text(name: str) -> bool:
    """Whether a source named so may hold flattened-text pages: a WARC file holds responses (HTML), its
    text conversions come as WET files, so ingestion and the Spark job skip WARC files when learning."""
    return not name.lower().split("#", 1)[0].endswith((".warc", ".warc.gz"))


def site_of(url: str | None) -> str | None:
    """The host a page belongs to ("www." dropped), or None without a URL."""
    if not url:
        return None
    host = split_url(url if "//" in url else "//" + url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


@dataclass(slots=True)
class SiteTemplate:
    """Line counts over the pages of one site."""

    site: str
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    fingerprints: set[str] = field(
        default_factory=set
    )  # pages already counted (a page seen twice counts once)
    min_pages: int = 3

    def learn(self, lines: Sequence[str]) -> bool:
        """Count one page's lines; False when the same page was counted before."""
        counted = page_keys(lines)
        if counted is None:
            return False
        fingerprint, keys = counted
        if fingerprint in self.fingerprints:
            return False
        self.fingerprints.add(fingerprint)
        self.pages += 1
        for key in keys:
            self.counts[key] = self.counts.get(key, 0) + 1
        if len(self.counts) > _MAX_KEYS:
            self._prune()
        return True

    @property
    def ready(self) -> bool:
        """Whether the template has seen enough pages to say anything."""
        return self.pages >= self.min_pages

    def matches(self, lines: Sequence[str]) -> list[int]:
        """For each line, the number of the site's pages it occurs on when that makes it template, else 0."""
        if not self.ready:
            return [0] * len(lines)
        out = []
        for line in lines:
            seen = self.counts.get(line_key(line), 0)
            out.append(seen if seen >= self.min_pages else 0)
        return out

    def boilerplate(self) -> int:
        """How many distinct lines are template."""
        return sum(1 for c in self.counts.values() if c >= self.min_pages)

    def _prune(self) -> None:
        """Forget lines seen on one page only: they can never have been template so far."""
        self.counts = {k: c for k, c in self.counts.items() if c > 1}

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "pages": self.pages,
            "min_pages": self.min_pages,
            "counts": dict(sorted(self.counts.items())),
            "fingerprints": sorted(self.fingerprints),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteTemplate:
        return cls(
            site=str(data["site"]),
            pages=int(data.get("pages", 0)),
            counts={str(k): int(v) for k, v in (data.get("counts") or {}).items()},
            fingerprints=set(data.get("fingerprints") or []),
            min_pages=int(data.get("min_pages", 3)),
        )


@dataclass(slots=True)
class TemplateBook:
    """Site templates by host."""

    sites: dict[str, SiteTemplate] = field(default_factory=dict)
    min_pages: int = 3

    def learn(self, url: str | None, lines: Sequence[str]) -> SiteTemplate | None:
        site = site_of(url)
        if site is None:
            return None
        template = self.sites.get(site)
        if template is None:
            template = self.sites[site] = SiteTemplate(site=site, min_pages=self.min_pages)
        template.learn(lines)
        return template

    def compact(self) -> TemplateBook:
        """The ready templates with their template lines only: what extraction needs, small enough to
        ship to every worker (learning cannot continue from it)."""
        book = TemplateBook(min_pages=self.min_pages)
        for t in self.sites.values():
            if t.ready:
                counts = {k: c for k, c in t.counts.items() if c >= t.min_pages}
                book.sites[t.site] = SiteTemplate(t.site, t.pages, counts, min_pages=t.min_pages)
        return book

    def for_url(self, url: str | None) -> SiteTemplate | None:
        """The site's template when it is ready, else None."""
        site = site_of(url)
        template = self.sites.get(site) if site else None
        return template if template is not None and template.ready else None

    def to_dict(self) -> dict[str, Any]:
        sites = sorted(self.sites.values(), key=lambda t: t.site)
        return {"min_pages": self.min_pages, "sites": [t.to_dict() for t in sites]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TemplateBook:
        book = cls(min_pages=int(data.get("min_pages", 3)))
        for item in data.get("sites") or []:
            template = SiteTemplate.from_dict(item)
            book.sites[template.site] = template
        return book

    def __len__(self) -> int:
        return len(self.sites)

    def __iter__(self) -> Iterator[SiteTemplate]:
        return iter(self.sites.values())
