"""What the archive hands back: plain records, the same whichever backend holds the articles."""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any

from ..article import Article, Block, Image
from ..dedup import Fingerprint

try:  # Intel's ISA-L deflate: the zlib format, read back by zlib, about four times faster at level 1
    from isal.isal_zlib import compress as _deflate
except ImportError:  # a platform without an isal wheel: the standard library, same format
    from zlib import compress as _deflate

__all__ = [
    "Cluster",
    "IngestReport",
    "Record",
    "Rejection",
    "Stats",
    "Stored",
    "Summary",
    "compress",
    "decode_article",
    "encode_article",
]

_SCALARS = tuple(f.name for f in fields(Article) if f.name not in ("text", "images", "blocks", "explain"))
_IMAGE = tuple(f.name for f in fields(Image))
_BLOCK = tuple(f.name for f in fields(Block))
_PARAGRAPH = "\n\n"  # between the blocks of an article's text


def encode_article(article: Article) -> bytes:
    """The article without its text (stored beside it) and explain trace, as compressed JSON.

    The body text is its blocks' texts joined by blank lines; when it splits back into them exactly, the
    blocks are stored without their texts (``decode_article`` cuts them from the text): half the bytes.
    Raises ``UnicodeEncodeError`` for text with lone surrogates, which UTF-8 stores cannot hold.
    """
    data: dict[str, Any] = {name: getattr(article, name) for name in _SCALARS}
    data["images"] = [{k: getattr(i, k) for k in _IMAGE} for i in article.images]
    blocks = article.blocks
    if blocks and article.text.split(_PARAGRAPH) == [b.text for b in blocks]:
        data["blocks"] = [{"kind": b.kind, "level": b.level} for b in blocks]
    else:
        data["blocks"] = [{k: getattr(b, k) for k in _BLOCK} for b in blocks]
    return compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def compress(data: bytes) -> bytes:
    """What the archive stores compressed (raw inputs, article payloads): zlib format, fastest level."""
    return _deflate(data, 1)


def decode_article(payload: bytes, text: str) -> Article:
    """The article ``encode_article`` stored, with its text put back."""
    data = json.loads(zlib.decompress(payload).decode("utf-8"))
    data["text"] = text
    blocks = data.get("blocks")
    if blocks and "text" not in blocks[0]:
        for block, piece in zip(blocks, text.split(_PARAGRAPH), strict=True):
            block["text"] = piece
    return Article.from_dict(data)


@dataclass(slots=True)
class Record:
    """One input as ingestion writes it: where it came from, its raw bytes, and what extraction made of it.

    ``article`` is None when the input was rejected (``reason`` then says why). Workers build these so
    the writer only stores them.
    """

    source: str
    content_hash: str
    raw: bytes  # the input as given, zlib-compressed
    raw_is_text: bool  # the input was a str (JSON lines, WET text), not bytes
    size: int  # bytes of the input
    url: str | None = None
    kind: str = "auto"
    fetched_at: str | None = None
    article: Article | None = None  # what is indexed of it: ``payload`` holds its blocks and images
    fingerprint: Fingerprint | None = None
    payload: bytes | None = None  # ``encode_article(article)``, made by the worker
    reason: str | None = None
    error: str | None = None


@dataclass(slots=True)
class Summary:
    """An article as listings, search results and clusters show it. ``snippet`` is set by search only."""

    id: int
    url: str | None
    title: str | None
    description: str | None
    site: str | None
    section: str | None
    published: str | None
    day: str | None  # publication day (YYYY-MM-DD), or the crawl day when the page gives none
    language: str | None
    authors: list[str]
    tags: list[str]
    image: str | None
    cluster_id: int | None
    cluster_size: int = 1
    version: int = 1
    #: search only: the best passage, HTML-escaped, matched terms in ``<mark>``…``</mark>``
    snippet: str | None = None
    score: float | None = None  # search only: bm25, higher is better


@dataclass(slots=True)
class Stored:
    """One stored article version with its place in the archive."""

    id: int
    article: Article
    version: int
    latest: bool
    source: str
    cluster_id: int | None
    ingested_at: str | None = None


@dataclass(slots=True)
class Cluster:
    """A story published more than once: its source, its canonical article, every member."""

    id: int
    size: int
    source: str | None  # the wire agency, or the site of the earliest member
    wire: bool  # True when ``source`` is a news agency named in a byline
    canonical: Summary
    members: list[Summary] = field(default_factory=list)  # canonical first, then by publication date

    @property
    def also_published_by(self) -> list[str]:
        """Sites other than the canonical one that ran the story, in order of publication."""
        seen = [self.canonical.site]
        out: list[str] = []
        for m in self.members:
            if m.site not in seen and m.site:
                seen.append(m.site)
                out.append(m.site)
        return out


@dataclass(slots=True)
class Rejection:
    """An input that did not become an article, and why."""

    input_id: int
    source: str
    url: str | None
    reason: str
    error: str | None
    duplicate_of: int | None = None


@dataclass(slots=True)
class Stats:
    """Counts over the whole archive. Every input is an article or a rejection: ``inputs`` is their sum."""

    inputs: int
    articles: int  # stored article versions
    urls: int  # distinct articles (latest versions)
    versions: int  # versions beyond the first
    rejections: dict[str, int]  # by reason
    clusters: int  # stories with more than one member
    clustered: int  # latest articles in those stories
    largest_cluster: int
    sites: int
    raw_bytes: int  # inputs as given, uncompressed
    size_bytes: int  # the archive on disk
    schema_version: int

    @property
    def rejected(self) -> int:
        return sum(self.rejections.values())


@dataclass(slots=True)
class IngestReport:
    """What one ingestion run did."""

    read: int = 0  # input records seen
    unchanged: int = 0  # already in the archive (same source key and content): skipped
    articles: int = 0  # new articles (first versions)
    versions: int = 0  # new versions of articles already stored
    rejected: Counter[str] = field(default_factory=Counter)  # by reason, duplicates included
    seconds: float = 0.0

    @property
    def stored(self) -> int:
        """Inputs written by this run (articles, versions and rejections)."""
        return self.articles + self.versions + sum(self.rejected.values())

    def add(self, other: IngestReport) -> None:
        self.read += other.read
        self.unchanged += other.unchanged
        self.articles += other.articles
        self.versions += other.versions
        self.rejected.update(other.rejected)

    def __str__(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.rejected.items())) or "none"
        return (
            f"read {self.read} inputs in {self.seconds:.1f}s ({rate:.0f}/s): {self.articles} new articles, "
            f"{self.versions} new versions, {self.unchanged} unchanged, "
            f"{sum(self.rejected.values())} rejected ({reasons})"
        )
