"""The records every stage passes on: ``Page`` (what we were given) and ``Article`` (what we found).

A ``Page`` is made by the read stage; the parse stages turn it into a ``Document`` of candidate
blocks; the body and metadata stages decide which candidates are the article and what its fields
are; the clean stage assembles the ``Article``. Every input ends as an ``Article``: when it could
not be read, or is not an article, ``rejection`` names why (a value, never a silent ``None``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

__all__ = [
    "BLOCK_KINDS",
    "Article",
    "Block",
    "Candidate",
    "Decision",
    "Document",
    "Image",
    "Input",
    "Page",
]

Kind = Literal["html", "text"]

#: Kinds of body block. ``embed`` is the text of an embedded post (tweet, Instagram, ...).
BLOCK_KINDS = ("paragraph", "heading", "list_item", "quote", "table", "code", "embed")


@dataclass(slots=True)
class Image:
    """An article image: where it is, what its caption says, who took it."""

    url: str | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass(slots=True)
class Block:
    """One piece of the article body, typed. ``level`` is the heading level or list depth."""

    kind: str
    text: str
    level: int = 0


@dataclass(slots=True)
class Decision:
    """Why one candidate block of the page was kept or removed (``--explain``)."""

    index: int
    text: str
    kind: str
    role: str  # body, title, dek, byline, dateline, caption, credit, tags, breadcrumb, boilerplate, ...
    kept: bool
    score: float
    reason: str


@dataclass(slots=True)
class Page:
    """What the read stage was given, decoded: one HTML document or one flattened page text."""

    content: str
    kind: Kind
    url: str | None = None
    fetched_at: str | None = None  # crawl date (ISO 8601), used to reject future dates
    source: str | None = None  # where it came from: a path, a WARC record id, "-"
    encoding: str | None = None
    size: int = 0  # bytes read
    #: ``content`` as UTF-8, when the read stage was given exactly these bytes: the HTML parser reads them
    #: as they are rather than encoding the text again
    utf8: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Input:
    """One raw record handed to ``extract_many``/ingestion: content plus what the source knows of it.

    A source that could not read a record (a truncated WARC member, a failed fetch) still yields an
    ``Input`` with ``rejection`` set, so the record is counted rather than lost.
    """

    content: bytes | str
    url: str | None = None
    fetched_at: str | None = None
    source: str | None = None
    kind: str = "auto"
    rejection: str | None = None
    error: str | None = None


@dataclass(slots=True)
class Candidate:
    """A block of the page before the body stage has decided on it."""

    text: str
    kind: str = "paragraph"  # one of BLOCK_KINDS, or "caption", "other"
    level: int = 0
    tag: str = ""  # HTML tag or "line"
    path: str = ""  # ancestor tag/class path; HTML leaves it to ``Layout.path(container)``
    container: int = -1  # id of the nearest block-level container (HTML) or the paragraph group (text)
    ancestors: tuple[int, ...] = ()  # ids of all block-level containers, outermost first (HTML)
    link_chars: int = 0
    role: str = ""  # filled by the body/metadata stages
    score: float = 0.0
    reason: str = ""
    kept: bool = False


@dataclass(slots=True)
class Document:
    """A parsed page: its candidate blocks in reading order, and whatever the parser could see."""

    page: Page
    candidates: list[Candidate]
    title_hint: str | None = None  # <title> or the best headline guess from the parser
    tree: Any = None  # the parsed HTML tree (HTML pages only)
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """What broadsheet found on a page. Its JSON form uses exactly these field names."""

    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    section: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    error: str | None = None  # human-readable reason when rejected
    rejection: str | None = None  # a ``Reason`` code when rejected, else None
    is_article: bool = True
    confidence: float = 0.0
    paywalled: bool = False
    kind: str | None = None  # "html" or "text": what the input was read as
    fetched_at: str | None = None
    explain: list[Decision] | None = None

    @property
    def ok(self) -> bool:
        """True when the page was read and is an article."""
        return self.rejection is None

    def to_dict(self, *, explain: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not explain or self.explain is None:
            data.pop("explain")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["images"] = [Image(**img) for img in kwargs.get("images") or []]
        kwargs["blocks"] = [Block(**blk) for blk in kwargs.get("blocks") or []]
        if kwargs.get("explain") is not None:
            kwargs["explain"] = [Decision(**d) for d in kwargs["explain"]]
        return cls(**kwargs)
