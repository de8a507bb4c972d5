"""Elements of a parsed page and where they sit: their text, class words, nesting, and whether
they lie in page furniture (comments, rails of other articles, navigation, footers).

Shared by the readers of the visible page (``metadata_page``) and of its figures (``figures``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .metadata_ld import clean_text, squeeze, undecoded

__all__ = [
    "EXCLUDE_TAGS",
    "FURNITURE",
    "class_words",
    "contains",
    "excluded",
    "excluded_strict",
    "has_text",
    "inside",
    "node_text",
    "one_page",
    "text_longer",
    "text_pieces",
]

_WORDS = re.compile(r"[a-z]+")
#: An element inside one of these is not the article's own byline, date or tag list.
FURNITURE = re.compile(
    r"\b(?:comment|related|recommend|teaser|sidebar|widget|footer|newsletter|promo|popular|trending|"
    r"mostread|most read|more from|morefrom|read more|readmore|next article|also|outbrain|taboola|"
    r"share|social|nav|menu|cookie|consent|login|subscribe|advert|sponsor|listing|rail|carousel|"
    r"slider|ticker|breaking)"
)
EXCLUDE_TAGS = frozenset({"nav", "footer", "aside", "form", "button", "select", "header_never"})


def contains(outer: Any, inner: Any, depth: int = 8) -> bool:
    """Whether ``inner`` lies within ``outer``, at most ``depth`` levels down."""
    target = outer.mem_id
    node = inner.parent
    for _ in range(depth):
        if node is None:
            return False
        if node.mem_id == target:
            return True
        node = node.parent
    return False


def class_words(node: Any) -> str:
    """The lower-cased words of an element's class and id ("article__byline" gives "article byline")."""
    memo = _MEMO.get()
    if memo is None:
        return _class_words(node)
    key = node.mem_id
    words = memo.words.get(key)
    if words is None:
        words = memo.words[key] = _class_words(node)
    return words


def _class_words(node: Any) -> str:
    attrs = node.attributes
    return " ".join(_WORDS.findall(f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()))


def excluded(node: Any, depth: int = 12, layout: frozenset[int] = frozenset()) -> bool:
    """Whether ``node`` sits in a comment thread, a rail of other articles, navigation or a footer.

    ``layout``: ids of containers named like furniture that are not ("sno-story-sidebar-mode" holding
    the headline), so they do not count.
    """
    current = node
    for _ in range(depth):
        if current is None:
            return False
        tag = current.tag  # a new string at each reading: read once
        if tag in (None, "html", "body", "-document"):
            return False
        if tag in ("article", "main"):
            return False  # the article's own container: what is inside belongs to it
        if tag in EXCLUDE_TAGS:
            return True
        # a figure's own class describes the figure ("widget-picture", "shareable-item"), not a rail
        words = class_words(current) if tag != "figure" else ""
        if words and FURNITURE.search(words) and current.mem_id not in layout:
            return True
        current = current.parent
    return False


def excluded_strict(node: Any) -> bool:
    """Like ``excluded`` for page furniture that legitimately sits in navigation (breadcrumbs)."""
    current = node
    for _ in range(12):
        if current is None or current.tag in (None, "html", "body", "-document"):
            return False
        if current.tag in ("footer", "aside"):
            return True
        current = current.parent
    return False


def inside(node: Any, selector: str) -> list[Any]:
    """Descendants of ``node`` matching ``selector`` (selectolax's ``css`` includes the node itself)."""
    own = node.mem_id
    return [n for n in node.css(selector) if n.mem_id != own]


def text_pieces(node: Any, leaving_out: Iterable[Any] = ()) -> list[str]:
    """The texts of the text nodes under ``node``, in document order (what ``node.text(separator=...)``
    joins), without those inside any of the elements ``leaving_out`` (elements under ``node``)."""
    skipped = {t.mem_id for part in leaving_out for t in part.traverse(include_text=True) if t.tag == "-text"}
    return [
        t.text_content or ""
        for t in node.traverse(include_text=True)
        if t.tag == "-text" and t.mem_id not in skipped
    ]


class _Memo:
    """What ``node_text`` and ``class_words`` gave on the page being read, by element (``mem_id``), and
    for texts not cleaned whole, how long their cleaned beginning already is (``at_least``)."""

    __slots__ = ("at_least", "texts", "words")

    def __init__(self) -> None:
        self.texts: dict[int, str] = {}
        self.words: dict[int, str] = {}
        self.at_least: dict[int, int] = {}


_MEMO: ContextVar[_Memo | None] = ContextVar("_MEMO", default=None)


@contextmanager
def one_page() -> Iterator[None]:
    """Within it, ``node_text`` cleans each element's text once and ``class_words`` reads each element's
    class once (the readers of bylines, dates and figures ask again for the same boxes and for their
    ancestors), and ``has_text`` and ``text_longer`` answer from the texts kept.

    For one parsed page at a time, while its tree lives: ``mem_id`` is the element's address, which
    another tree may reuse once this one is freed.
    """
    token = _MEMO.set(_Memo())
    try:
        yield
    finally:
        _MEMO.reset(token)


def node_text(node: Any) -> str:
    """An element's text, its parts joined by spaces, whitespace collapsed."""
    memo = _MEMO.get()
    if memo is None:
        return clean_text(node.text(separator=" "))
    key = node.mem_id
    text = memo.texts.get(key)
    if text is None:
        text = memo.texts[key] = clean_text(node.text(separator=" "))
    return text


def has_text(node: Any) -> bool:
    """Whether ``node_text(node)`` is not empty, mostly told without cleaning the text."""
    memo = _MEMO.get()
    if memo is not None:
        return _known_longer(memo, node, 0)
    text = node.text(separator=" ")
    if undecoded(text):  # entities or mojibake: only cleaning tells
        return bool(clean_text(text))
    text = text.replace("\u00ad", "")  # what ``squeeze`` drops besides white space
    return bool(text) and not text.isspace()


def text_longer(node: Any, limit: int) -> bool:
    """Whether ``len(node_text(node)) > limit``, mostly told without cleaning all of a long text.

    Cleaning never lengthens a text; and with nothing to decode in it, the squeezed beginning of a text
    begins the squeezed whole.
    """
    memo = _MEMO.get()
    if memo is not None:
        return _known_longer(memo, node, limit)
    text = node.text(separator=" ")
    if len(text) <= limit:
        return False
    if undecoded(text):
        return len(clean_text(text)) > limit
    return len(squeeze(text[: 2 * limit + 64])) > limit or len(squeeze(text)) > limit


def _known_longer(memo: _Memo, node: Any, limit: int) -> bool:
    """``text_longer`` within ``one_page``: a text cleaned before answers; a long one is judged from its
    cleaned beginning, whose length is kept for the next question (the wrappers of a page's pictures are
    asked about again and again, and cleaning all of a page-long text to learn that it is long is waste)."""
    key = node.mem_id
    text = memo.texts.get(key)
    if text is not None:
        return len(text) > limit
    if memo.at_least.get(key, -1) > limit:
        return True
    raw = node.text(separator=" ")
    if len(raw) > _LONG_TEXT and not undecoded(raw):
        begins = len(squeeze(raw[: 2 * max(limit, _LONG_TEXT) + 64]))
        if begins > limit:
            memo.at_least[key] = begins
            return True
    text = memo.texts[key] = clean_text(raw)
    return len(text) > limit


#: Texts up to this length are cleaned whole (it costs less than judging them from their beginning).
_LONG_TEXT = 2000
