"""Parse stage for HTML: the DOM (selectolax/lexbor) → candidate blocks in reading order, and the layout.

One pass over lexbor's document-order traversal, with no per-node recursion in Python: a text node
is attached to its nearest block-level ancestor (found through a cache of element → container, so
inline elements cost nothing until a text node sits under them), and a block element entered, or a
text node under another container, ends the current block. Each block-level element becomes a
container of the ``Layout``: its tag, parent, depth and what its class/id/role words say (bit masks
of word groups such as "comment", "related", "share"), so the body stage can compute its features
as arrays instead of walking the tree again.

Where the install built it, ``_walk.pyx`` makes the same walk over lexbor's own nodes (``COMPILED``): the
decisions stay here, it only reads the nodes without Python wrappers.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from ..article import Candidate, Document, Page
from ..errors import InputTooLarge
from ..options import Options
from .compiled import compiled

__all__ = ["BLOCK_TAGS", "MEDIA_WORDS", "STRUCT_TAGS", "WORD_GROUPS", "Layout", "Marked", "parse_html"]

#: Removed before walking: never visible article text (<head> stays for the metadata stage).
DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "select",
    "textarea",
    "input",
    "button",
]
BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 ul ol li blockquote pre "
    "table thead tbody tfoot tr td th figure figcaption form dl dt dd address details summary hr "
    "center fieldset legend caption body html picture video audio menu dialog hgroup".split()
)
#: Structural tags whose presence among a block's containers is a feature (bit i of ``Layout.tags``).
STRUCT_TAGS = (
    "article main section aside nav footer header form figure table li blockquote details dl "
    "address h1 h2 h3 h4 h5 h6 a".split()
)
_TAG_BIT = {t: 1 << i for i, t in enumerate(STRUCT_TAGS)}
_TAG_BIT.update({"ul": _TAG_BIT["li"], "ol": _TAG_BIT["li"], "menu": _TAG_BIT["nav"]})

#: Groups of class/id/role words; bit i of a container's mask says group i is named there.
# fmt: off
WORD_GROUPS: dict[str, tuple[str, ...]] = {
    "content": (
        "article", "content", "body", "story", "post", "entry", "text", "main", "prose", "richtext",
        "copy", "blog", "detail", "news", "articlebody", "paragraph", "column", "page",
    ),
    "comment": ("comment", "comments", "disqus", "discussion", "reply", "replies", "respond", "kommentar"),
    "related": (
        "related", "recommend", "recommended", "more", "read", "also", "teaser", "popular", "trending",
        "most", "next", "prev", "previous", "outbrain", "taboola", "suggest", "feed", "card", "cards",
        "list", "listing", "stream", "latest", "top", "headlines", "river", "mehr",
    ),
    "share": ("share", "sharing", "social", "facebook", "twitter", "whatsapp", "print", "email", "follow", "shariff"),
    "nav": ("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "pagination", "pager", "skip", "toc"),
    "footer": ("footer", "foot", "bottom", "copyright", "legal", "colophon", "imprint"),
    "header": ("header", "masthead", "banner", "logo", "brand", "topbar", "hero"),
    "sidebar": ("sidebar", "aside", "rail", "side", "widget", "widgets", "secondary", "complementary"),
    "ad": (
        "ad", "ads", "advert", "advertisement", "adslot", "sponsor", "sponsored", "promo", "promotion",
        "dfp", "gpt", "commercial", "anzeige", "partner", "affiliate", "marketing", "native",
    ),
    "subscribe": (
        "newsletter", "subscribe", "subscription", "signup", "login", "register", "paywall", "cta",
        "donate", "membership", "premium", "offer", "abo",
    ),
    "meta": (
        "author", "authors", "byline", "meta", "date", "time", "published", "timestamp", "dateline",
        "info", "bio", "avatar", "contributor", "source", "credits",
    ),
    "media": ("caption", "credit", "figure", "photo", "image", "img", "media", "gallery", "video", "slideshow", "picture", "figcaption"),
    "tags": ("tag", "tags", "topic", "topics", "keyword", "keywords", "category", "categories", "label", "labels"),
    "hidden": ("hidden", "hide", "sr", "visually", "modal", "popup", "overlay", "cookie", "consent", "gdpr", "dialog", "tooltip"),
    "title": ("title", "headline", "heading", "hed", "dek", "subtitle", "summary", "lead", "intro", "standfirst", "excerpt", "kicker"),
    "embed": ("tweet", "twitter-tweet", "instagram", "tiktok", "embed", "oembed", "bluesky"),
}
# fmt: on
_GROUP_OF: dict[str, int] = {}
for _i, _words in enumerate(WORD_GROUPS.values()):
    for _w in _words:
        _GROUP_OF.setdefault(_w, 1 << _i)
_HIDDEN_BIT = 1 << list(WORD_GROUPS).index("hidden")
_EMBED_BIT = 1 << list(WORD_GROUPS).index("embed")
#: Long stems also count inside compound words ("commentlist", "articlebody", "relatedposts").
_STEM_GROUP = {
    "comment": "comment",
    "related": "related",
    "recommend": "related",
    "teaser": "related",
    "popular": "related",
    "trending": "related",
    "outbrain": "related",
    "taboola": "related",
    "sidebar": "sidebar",
    "widget": "sidebar",
    "footer": "footer",
    "header": "header",
    "newsletter": "subscribe",
    "subscri": "subscribe",
    "paywall": "subscribe",
    "advert": "ad",
    "sponsor": "ad",
    "promo": "ad",
    "caption": "media",
    "gallery": "media",
    "byline": "meta",
    "author": "meta",
    "breadcrumb": "nav",
    "navigation": "nav",
    "social": "share",
    "share": "share",
    "article": "content",
    "content": "content",
    "story": "content",
    "cookie": "hidden",
    "consent": "hidden",
}
_STEMS = re.compile("|".join(_STEM_GROUP))
_STEM_BIT = {stem: 1 << list(WORD_GROUPS).index(group) for stem, group in _STEM_GROUP.items()}
#: Bytes that are no letter a-z, as spaces: the words of a lower-cased value are then what ``[a-z]+`` finds
#: (a character beyond ASCII is bytes of 0x80 and above in UTF-8, so it parts words as it does for the regex).
_NOT_LETTER = bytes(b if 97 <= b <= 122 else 32 for b in range(256))
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: Kind given to text by the container it sits in (the innermost one that names a kind wins).
_CONTEXT_KIND = {
    "li": "list_item",
    "dd": "list_item",
    "dt": "list_item",
    "blockquote": "quote",
    "pre": "code",
    "figcaption": "caption",
    "caption": "caption",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_BR = "\u2028"  # stands for <br> until the block is flushed
_BREAKS = re.compile(r"(?:\u2028\s*){2,}")  # <br><br> separates paragraphs in old-style pages
MAX_NESTING = 5_000  # deeper markup is rejected before parsing (see nesting_depth)
# lexbor's tree builder is also quadratic in the attributes of one element and in the <option>s of a
# page (20,000 of either take it a second, 100,000 forty): such markup is tamed before parsing (tame).
# Real elements carry a few dozen attributes; 2,000 on each of 200 elements still took lexbor 2.5 s.
MAX_ATTRIBUTES = 256
MAX_OPTIONS = 5_000
_MANY_MARKS = 20_000  # '<' beyond what ordinary pages hold (2 of 3,092 development pages): every start tag is read (tame)
_LONG_GAP = 2 * MAX_ATTRIBUTES  # a crowded start tag is at least this long
# one attribute and what goes before it: a slash separates attributes as a space does (the tokenizer's
# self-closing state); atomic groups, so no backtracking over thousands of them
_ATTRIBUTE = r"""[\s/]+[^\s=>"'/]+(?>\s*=\s*(?>"[^"]*"|'[^']*'|[^\s>]*))?"""
# a start tag, its name (1), and its first MAX_ATTRIBUTES + 1 attributes
_CROWDED_TAG = re.compile(rf"<([A-Za-z][^\s/>]*)(?>{_ATTRIBUTE}){{{MAX_ATTRIBUTES + 1}}}")
_REST_OF_TAG = re.compile(rf"(?>{_ATTRIBUTE})*[\s/]*>?")
_OPTION = re.compile(r"<option\b[^>]*>[^<]*(?:</option\s*>)?", re.I)
#: Elements that cannot nest deeply: void ones, and ones that close themselves.
_NEVER_NEST = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd tr td th option".split()
)
#: Their start and end tags (the look-ahead ends the name, so the order of the names does not matter).
_FLAT_TAGS = re.compile(rf"</?(?:{'|'.join(sorted(_NEVER_NEST))})(?![a-zA-Z0-9])[^>]*>", re.IGNORECASE)
#: The HTML standard's "special" elements: looking down the open elements for an end tag stops at one.
_SPECIAL = frozenset(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup "
    "dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head "
    "header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes "
    "noscript object ol p param plaintext pre script search section select source style summary table tbody td "
    "template textarea tfoot th thead title tr track ul wbr xmp".split()
)
#: Under this many (end tags x start tags) stray end tags cannot cost lexbor much more than a second (about
#: 180 million steps a second here): not counted. Lower, the count would run on many more ordinary big pages.
_STRAY_BOUND = 200_000_000
#: Names of start and end tags, for following the open elements (``_open_depth``, ``stray_steps``).
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_DROP_BUT_NOSCRIPT = [t for t in DROP_TAGS if t != "noscript"]
#: A page showing less text than this with scripts running may be a shell that scripts fill in
SHELL_CHARS = 1_000
MAX_DEPTH = 200  # deeper block elements are read as inline: bounded work on pathological nesting
_ATTR_CHARS = 300  # class/id/role text looked at per element
_NAMING = ("class", "id", "role", "itemprop")  # attributes whose words name what an element is


_NONE = np.zeros(0, dtype=np.int64)
_INVISIBLE = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*hidden)(?![\w-])", re.I)


def is_hidden(attrs: dict[str, str | None]) -> bool:
    """Whether an element's own attributes hide it from readers: ``hidden`` (not ``hidden="until-found"``,
    which a reader's search reveals) or an inline style of ``display: none`` or ``visibility: hidden``."""
    if "hidden" in attrs and (attrs["hidden"] or "").lower() != "until-found":
        return True
    style = attrs.get("style")
    if style is None:
        return False
    # the regex only where it can match: its "none" and "hidden" have no letters that match non-ASCII
    # ignoring case but the i's, so "none" or "dden" is in the lower-cased style wherever it matches
    low = style.lower()
    return ("none" in low or "dden" in low) and _INVISIBLE.search(style) is not None


@dataclass(slots=True)
class Layout:
    """The page's block-level containers, indexed by container id (``Candidate.container``).

    ``tags`` and ``ancestor_words`` are made arrays when the walk ends; the walk ORs them down as it
    adds each container (a parent always comes before its children).
    """

    tag: list[str] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)  # -1 for the root
    depth: list[int] = field(default_factory=list)
    words: list[int] = field(default_factory=list)  # bit mask of WORD_GROUPS named by the element itself
    label: list[tuple[str, ...]] = field(default_factory=list)  # its first class/id/role words (explain)
    tags: np.ndarray = field(default_factory=lambda: _NONE)  # STRUCT_TAGS bits of itself and its ancestors
    ancestor_words: np.ndarray = field(default_factory=lambda: _NONE)  # WORD_GROUPS bits of its ancestors
    hidden: list[int] = field(default_factory=list)  # containers the page hides (``is_hidden``), in order

    def name(self, cid: int) -> str:
        """``tag[class id words]`` of a container, as the explain output shows it."""
        words = self.label[cid]
        return f"{self.tag[cid]}[{' '.join(words)}]" if words else self.tag[cid]

    def path(self, cid: int, levels: int = 4) -> str:
        """The names of a container and its nearest ancestors, outermost first ("div[content] p")."""
        names: list[str] = []
        while cid >= 0 and len(names) < levels:
            names.append(self.name(cid))
            cid = self.parent[cid]
        return " ".join(reversed(names))


@dataclass(slots=True)
class Marked:
    """Elements the metadata stage reads, found during the walk so it needs no CSS scan of its own.

    ``scan`` holds, in document order, exactly the elements ``metadata_page.SCAN`` selects in the body.
    """

    scan: list[Any] = field(default_factory=list)
    itemprops: list[Any] = field(default_factory=list)  # [itemprop] elements of the body
    metas: list[Any] = field(default_factory=list)  # <meta> elements of the body, and RDFa property+content
    paywall: bool = False  # an element whose class or id names a paywall
    #: exactly what ``figures.MEDIA_TEXT`` selects in the body (each element once per selector it
    #: matches, as lexbor's grouped query lists it); meaningful only when ``walked``
    media: list[Any] = field(default_factory=list)
    walked: bool = False  # the body was walked (a frameset page's is not)


_mask_cache: dict[str, tuple[int, tuple[str, ...]]] = {}
_CACHE_SIZE = 8192  # attribute strings remembered across pages (bounded: memory stays flat)


_word_cache: dict[str, int] = {}


def _word_bits(word: str) -> int:
    """Group bits of one word: the group it names, and the groups of long stems inside it (memoised)."""
    bits = _GROUP_OF.get(word, 0)
    for stem in _STEMS.findall(word):  # stems are letters only, so none spans two words
        bits |= _STEM_BIT[stem]
    if len(_word_cache) > _CACHE_SIZE:
        _word_cache.clear()
    _word_cache[word] = bits
    return bits


def _words_mask(value: str) -> tuple[int, tuple[str, ...]]:
    """(group bit mask, lower-cased words) of one class, id, role or itemprop value; memoised, pages repeat them.

    The words of each attribute are read on their own: ids are often unique, classes repeat, so
    caching them apart keeps the classes cached.
    """
    value = value[:_ATTR_CHARS]  # the cache keys stay short whatever a page puts in an attribute
    hit = _mask_cache.get(value)
    if hit is not None:
        return hit
    # ``re.findall("[a-z]+", value.lower())``, three times as fast
    words = value.lower().encode("utf-8", "surrogatepass").translate(_NOT_LETTER).decode("ascii").split()
    mask = 0
    for word in words:
        bits = _word_cache.get(word)
        if bits is None:
            bits = _word_bits(word)
        mask |= bits
    result = (mask, tuple(words[:8]))
    if len(_mask_cache) > _CACHE_SIZE:
        _mask_cache.clear()
    _mask_cache[value] = result
    return result


#: What ``metadata_page.SCAN`` selects, as checks on one element: its tag, and words in its class.
_MARK_TAGS = frozenset({"h1", "time", "figure", "figcaption"})
_MARK_WORDS = (
    "author", "byline", "autor", "date", "publish", "time", "breadcrumb", "tags", "keyword", "caption",
    "bildunterschrift",
)  # fmt: skip
_NO_MARKS = (0, False, 0)
_PAYWALL_WORDS = frozenset("paywall premium-content subscriber-only piano-offer plus-teaser regwall".split())


#: The characters beyond ASCII that the regex engine matches to an ASCII letter ignoring case (dotted and
#: dotless i, long s, Kelvin sign): tests check this over all of Unicode.
_FOLDED_TO_ASCII = "\u0130\u0131\u017f\u212a"


def by_first_character(openings: Iterable[str], *, ignore_case: bool = False) -> str:
    """``(?:opening|...)`` as a regex with the openings (regex fragments) grouped by their first character,
    ``a(?:uthor|utor)``: the regex engine then tries one branch where a character opens several openings,
    not every opening. Within a group the openings keep their order.

    ``ignore_case``: each group is led by the plain set of characters its first one matches ignoring
    case (``s``: s, S and ſ; ``k``: k, K and the Kelvin sign; as the regex engine itself tells) and the
    rest ignores case. The engine skips a group led by a plain set at one test but would try every
    case-ignoring branch in full: same matches as ``(?i:opening|...)``, a few tests, not one per opening.
    """
    groups: dict[str, list[str]] = {}
    for opening in openings:
        first = opening[:2] if opening[0] == "\\" else opening[0]
        groups.setdefault(first, []).append(opening[len(first) :])
    branches = []
    for first, rests in groups.items():
        if ignore_case:
            plain = first[-1]
            pool = {plain, plain.lower(), plain.upper(), *_FOLDED_TO_ASCII}
            chars = "".join(sorted(c for c in pool if len(c) == 1 and re.fullmatch("(?i)" + first, c)))
            branches.append(f"[{re.escape(chars)}](?i:{'|'.join(rests)})")
        else:
            branches.append(first + (rests[0] if len(rests) == 1 else f"(?:{'|'.join(rests)})"))
    return "(?:" + "|".join(branches) + ")"


# no two of the words overlap in a real class name, so one findall sees every one that is there
_CLASS_WORDS = re.compile(by_first_character(map(re.escape, [*_MARK_WORDS, *sorted(_PAYWALL_WORDS)])))
#: The attributes ``mark`` reads (with <meta> elements): an element with none of them is marked, or not,
#: by its class and href alone (read inline).
_MARKING = frozenset("rel itemprop itemtype property id".split())
#: Class substrings naming the text parts of an image box: ``figures.MEDIA_TEXT`` selects by them, and the
#: walk collects what it would select (``Marked.media``).
MEDIA_WORDS = ("subtitle", "description", "infotext")
_MEDIA_1, _MEDIA_2, _MEDIA_3 = MEDIA_WORDS  # named one by one: three tests, not a loop, per class
_class_cache: dict[str, tuple[int, bool, int]] = {}


def _class_marks(cls: str) -> tuple[int, bool, int]:
    """(how many ``SCAN`` class selectors match, names a paywall, how many ``MEDIA_TEXT`` selectors
    match) for a class string; memoised."""
    lower = cls.lower()
    in_media = (_MEDIA_1 in lower) + (_MEDIA_2 in lower) + (_MEDIA_3 in lower)
    found = _CLASS_WORDS.findall(lower)
    if found:
        named = set(found)
        hit = (len(named - _PAYWALL_WORDS), bool(named & _PAYWALL_WORDS), in_media)
    else:
        hit = (0, False, in_media)
    if len(_class_cache) > _CACHE_SIZE:
        _class_cache.clear()
    _class_cache[cls] = hit
    return hit


def _attr_marks(attrs: dict[str, str | None]) -> int:
    """How many of the ``SCAN`` selectors on rel, itemprop and itemtype match (href is checked inline)."""
    count = 0
    rel = attrs.get("rel")
    if rel:
        tokens = rel.lower().split()
        count += ("author" in tokens) + ("tag" in tokens)
    prop = attrs.get("itemprop")
    if prop and "author" in prop.split():
        count += 1
    if "BreadcrumbList" in (attrs.get("itemtype") or ""):
        count += 1
    return count


def _style_hides(style: str) -> bool:
    """``_HIDDEN_STYLE`` in a style (the regex only where its words are)."""
    return ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style) is not None


def _naming(attrs: dict[str, str | None]) -> tuple[int, tuple[str, ...]]:
    """(``WORD_GROUPS`` bit mask, first words) of what an element's class, id, role and itemprop say, with the
    hidden group's bit when its attributes hide it."""
    mask = 0
    words: tuple[str, ...] = ()
    for key in _NAMING:
        value = attrs.get(key)
        if value:
            bits, more = _mask_cache.get(value) or _words_mask(value)
            if words:
                mask, words = mask | bits, (words + more)[:8]
            else:
                mask, words = mask | bits, more
    if (
        "hidden" in attrs
        or attrs.get("aria-hidden") == "true"
        or ("style" in attrs and _style_hides((attrs.get("style") or "")[:_ATTR_CHARS]))
    ):
        mask |= _HIDDEN_BIT
    return mask, words


#: A container as the walk adds it: tag, parent, depth, words, label (``Layout``'s columns), its
#: ``Layout.tags`` bits, its ``Layout.ancestor_words`` bits, and the context kind for text inside it.
_Row = tuple[str, int, int, int, tuple[str, ...], int, int, str]
_COLUMN = [itemgetter(i) for i in range(8)]


class _Walker:
    """Turns the tree under <body>, walked depth first in document order, into candidates and containers."""

    def __init__(self) -> None:
        self.layout = Layout()
        self.marked = Marked()
        self.candidates: list[Candidate] = []
        self.rows: list[_Row] = []  # per container, in the order added; ``finish`` makes them the layout
        self.chains: dict[int, tuple[int, ...]] = {}  # container → its ancestors and itself (made on demand)
        self.buf: list[str] = []  # the text of the block being read, flushed when it ends

    def mark(self, node: Any, tag: str, attrs: dict[str, str | None], count: int, paywall: bool) -> None:
        """Keep the elements the metadata stage will read (see ``Marked``); ``count`` and ``paywall``
        are what the element's class says."""
        marked = self.marked
        count += _attr_marks(attrs)
        if "itemprop" in attrs:
            marked.itemprops.append(node)
        if tag == "meta" or ("property" in attrs and "content" in attrs):  # RDFa states a <meta>'s pair
            marked.metas.append(node)
        if count:
            # once per selector it matches: lexbor's grouped query lists an element that often, and
            # the metadata stage's positions (distances between bylines) count those repeats
            marked.scan.extend([node] * count)
        if paywall or "paywall" in (attrs.get("id") or "").lower():
            marked.paywall = True

    def walk_head(self, head: Any) -> None:
        """``<meta>``, ``[itemprop]`` and paywall markers of the head (which has no candidates)."""
        marked = self.marked
        for node in head.traverse():
            attrs = node.attributes if node.is_element_node else None
            if not attrs:
                continue
            if "itemprop" in attrs:
                marked.itemprops.append(node)
            if node.tag == "meta":
                marked.metas.append(node)
            cls = attrs.get("class")
            if (cls and _class_marks(cls)[1]) or "paywall" in (attrs.get("id") or "").lower():
                marked.paywall = True

    def walk(self, body: Any) -> None:
        """<body> and every node under it, in document order.

        The walk goes depth first by hand (first child, next sibling, a stack of the siblings still to
        come) so that the container a node sits in comes down with it: ``code`` is the container id * 2
        + 1 inside a link. The page's root container is <body>'s; <body> itself is then the first
        container under it, as every block element is a container under the nearest one above it.
        """
        rows = self.rows
        attrs = body.attributes
        mask, words = _naming(attrs) if attrs else (0, ())
        rows.append(("body", -1, 0, mask, words, _TAG_BIT.get("body", 0), 0, ""))
        buf = self.buf
        block_tags = BLOCK_TAGS
        mark_tags = _MARK_TAGS
        context_kind = _CONTEXT_KIND
        tag_bit = _TAG_BIT
        scan = self.marked.scan
        media = self.marked.media
        self.marked.walked = True
        class_get = _class_cache.get
        mask_get = _mask_cache.get
        stack: list[tuple[Any, int]] = []  # per element being walked: its next sibling, the code around it
        buf_cid = -1  # the container of the text in ``buf``
        links = 0  # characters of link text in ``buf``
        node = body
        code = 0
        while True:
            tag = node.tag
            if tag == "-text":
                value = node.text_content
                if not value or value.isspace():
                    if buf and value:
                        buf.append(" ")
                else:
                    if code >> 1 != buf_cid:
                        if buf:
                            self.flush(buf_cid, links)
                            links = 0
                        buf_cid = code >> 1
                    buf.append(value)
                    if code & 1:
                        links += len(value.strip())
                after = node.next
            elif tag == "-comment":
                after = node.next
            else:
                attrs = node.attributes
                cls = None
                if attrs:
                    # the metadata stage's elements (``mark``), with the common case inlined: a class alone
                    cls = attrs.get("class")
                    count, paywall, in_media = (
                        (class_get(cls) or _class_marks(cls)) if cls is not None else _NO_MARKS
                    )
                    if in_media:
                        media.extend([node] * in_media)
                    if tag in mark_tags:
                        count += 1
                    if len(attrs) > (cls is not None):
                        if tag == "a":
                            href = attrs.get("href")
                            if href:
                                href = href.lower()
                                count += ("/author" in href) + ("/autor" in href)
                        # the rarer attributes (rel, itemprop, itemtype, id) and <meta> are read in ``mark``
                        if tag == "meta" or not _MARKING.isdisjoint(attrs):
                            self.mark(node, tag, attrs, count, paywall)
                            count, paywall = 0, False
                    if count:
                        scan.extend([node] * count)
                    if paywall:
                        self.marked.paywall = True
                elif tag in mark_tags:
                    scan.append(node)
                inner = code  # the code of the nodes inside this element
                if tag in block_tags:
                    if buf:
                        self.flush(buf_cid, links)
                        links = 0
                    buf_cid = -1
                    parent = code >> 1
                    up = rows[parent]
                    depth = up[2] + 1
                    if depth <= MAX_DEPTH:  # deeper, the element is read as inline
                        if not attrs:
                            mask, words = 0, ()
                        elif cls is not None and len(attrs) == 1:
                            mask, words = (mask_get(cls) or _words_mask(cls)) if cls else (0, ())
                        else:
                            mask, words = _naming(attrs)
                        kind = up[7]
                        if tag in context_kind and kind != "caption" and kind != "code":
                            kind = context_kind[tag]
                        if tag == "blockquote" and mask & _EMBED_BIT:
                            kind = "embed"
                        inner = len(rows) * 2 + (code & 1)
                        if attrs and len(attrs) > (cls is not None) and is_hidden(attrs):
                            self.layout.hidden.append(len(rows))
                        rows.append(
                            (
                                tag,
                                parent,
                                depth,
                                mask,
                                words,
                                tag_bit.get(tag, 0) | up[5],
                                up[6] | up[3],
                                kind,
                            )
                        )
                elif tag == "a":
                    inner = code | 1
                elif tag == "br":
                    if buf:
                        buf.append(_BR)
                elif tag == "img" and buf:
                    buf.append(" ")
                child = node.first_child
                if child is not None:
                    stack.append((node.next if stack else None, code))  # <body>'s siblings are not walked
                    node, code = child, inner
                    continue
                after = node.next if stack else None
            while after is None and stack:
                after, code = stack.pop()
            if after is None:
                break
            node = after
        if buf:
            self.flush(buf_cid, links)
        self.finish()

    def finish(self) -> None:
        """The layout's columns from the containers' rows."""
        lay = self.layout
        if not self.rows:
            lay.tags = lay.ancestor_words = np.zeros(0, dtype=np.int64)
            return
        rows = self.rows
        # column by column (``zip(*rows)`` makes an iterator per row: twice the time)
        lay.tag, lay.parent, lay.depth, lay.words, lay.label = (list(map(_COLUMN[i], rows)) for i in range(5))
        lay.tags = np.fromiter(map(_COLUMN[5], rows), dtype=np.int64, count=len(rows))
        lay.ancestor_words = np.fromiter(map(_COLUMN[6], rows), dtype=np.int64, count=len(rows))

    def flush(self, buf_cid: int, links: int) -> None:
        """The block read into ``buf``: its container (-1: text after a block element ended, read as the
        root's), and how many of its characters are link text."""
        buf = self.buf
        joined = "".join(buf)
        buf.clear()
        cid = buf_cid if buf_cid > 0 else 0
        if _BR in joined:
            parts = [p for p in (" ".join(p.split()) for p in _BREAKS.split(joined)) if p]
            total = sum(len(p) for p in parts) or 1
            for part in parts:
                self.emit(part, cid, int(links * len(part) / total))
        else:
            self.emit(" ".join(joined.split()), cid, links)  # str.split() knows \u2028 as space

    def chain(self, cid: int) -> tuple[int, ...]:
        """The container's ancestors, outermost first, itself last."""
        chains = self.chains
        found = chains.get(cid)
        if found is not None:
            return found
        rows = self.rows
        climbed = []
        node = cid
        while node >= 0 and node not in chains:
            climbed.append(node)
            node = rows[node][1]
        found = chains[node] if node >= 0 else ()
        for node in reversed(climbed):
            found = (*found, node)
            chains[node] = found
        return found

    def emit(self, text: str, cid: int, links: int) -> None:
        if not text:
            return
        row = self.rows[cid]
        tag = row[0]
        level = _HEADINGS.get(tag, 0)
        if level:
            kind = "heading"
        elif tag == "td" or tag == "th":
            kind = "table"
        else:
            kind = row[7] or "paragraph"
        # positional, in Candidate's field order: text, kind, level, tag, path (read from the layout when
        # needed: ``Layout.path``), container, ancestors, link_chars
        self.candidates.append(
            Candidate(
                text,
                kind,
                level,
                tag,
                "",
                cid,
                self.chains.get(cid) or self.chain(cid),
                links if links < len(text) else len(text),
            )
        )


def _check_size(tags: int, tree: LexborHTMLParser, options: Options) -> None:
    """Reject pages over the element limit; the count of '<' bounds it cheaply before an exact count."""
    if tags <= options.max_nodes or tree.root is None:
        return
    for count, _ in enumerate(tree.root.traverse(), start=1):
        if count > options.max_nodes:
            raise InputTooLarge(f"page has over {options.max_nodes:,} elements")


def nesting_depth(content: str, limit: int = MAX_NESTING, tags: int | None = None) -> int:
    """An upper bound on how deep the page's elements nest, found without parsing (0 when under ``limit``).

    lexbor's tree builder is quadratic in the depth of open block elements (each start tag looks down
    the stack for a ``<p>`` to close): 100,000 nested ``<div>`` take minutes. Start tags minus end tags
    bound the depth; only when that exceeds the limit is the running depth computed, over the page
    without the tags that never nest (void elements, and ``p``/``li``/``td``... which close themselves).
    Under the limit that way, the open elements are counted by name (``_open_depth``), which stray end
    tags cannot fool (about 1.5% of the development pages get that far; 10 ms on a large one).
    ``tags``: the page's count of ``<``, when the caller has it.
    """
    if tags is None:
        tags = content.count("<")
    if tags <= limit:
        return 0
    opens = tags - content.count("</")
    if opens <= limit:
        return 0
    if _running_depth(content) > limit and (deepest := _running_depth(_FLAT_TAGS.sub("", content))) > limit:
        return deepest
    # stray end tags cancel starts in the counts above: counted by name
    deepest = COMPILED_OPEN_DEPTH(content, _NEVER_NEST) if COMPILED_OPEN_DEPTH is not None else -1
    if deepest < 0:
        deepest = _open_depth(content)
    return deepest if deepest > limit else 0


def _running_depth(content: str) -> int:
    """The deepest point of a running count: +1 at every start tag, -1 at every end tag."""
    raw = np.frombuffer(content.encode("utf-8", "replace"), dtype=np.uint8)
    lt = np.flatnonzero(raw[:-1] == 60)
    after = raw[lt + 1]
    letter = ((after | 32) >= 97) & ((after | 32) <= 122)
    step = np.where(after == 47, -1, letter.astype(np.int64))
    return int(np.cumsum(step).max()) if step.size else 0


def stray_steps(content: str, tags: int) -> int:
    """About how many open elements lexbor looks at for end tags that close nothing, found without parsing.

    An end tag is matched by looking down the open elements for its name, stopping at a special element
    (``<div>``, ``<p>``, ``<body>``...); one with no match is ignored after that walk. 4,990 open ``<span>``
    and 600,000 stray ``</i>`` make 3 billion steps (17 s). Each stray costs at most the open elements,
    so (end tags x start tags) bounds the total, and that is at most (``tags`` / 2)^2, ``tags`` being the
    page's count of ``<``: under ``_STRAY_BOUND`` (every one of the 3,092 development pages) nothing is
    counted. Otherwise the open elements are followed by name, each end tag closing its nearest element
    above the nearest special one; followed so, the development pages reach at most 9,030 steps.
    """
    if tags * tags // 4 <= _STRAY_BOUND:
        return 0
    ends = content.count("</")
    if ends * (tags - ends) <= _STRAY_BOUND:
        return 0
    stack: list[str] = []
    where: dict[str, list[int]] = {}  # the stack positions of each open name
    specials: list[int] = []  # the stack positions of open special elements
    steps = 0
    for slash, raw in _TAG_NAME.findall(content):
        name = raw.lower()
        if name in _NEVER_NEST:
            continue
        if not slash:
            where.setdefault(name, []).append(len(stack))
            if name in _SPECIAL:
                specials.append(len(stack))
            stack.append(name)
            continue
        floor = specials[-1] if specials else -1
        found = where.get(name)
        if not found or found[-1] < floor:  # a stray: the walk went down to the special element
            steps += len(stack) - 1 - floor
            continue
        cut = found[-1]
        while len(stack) > cut:
            where[stack.pop()].pop()
            if specials and specials[-1] == len(stack):
                specials.pop()
    return steps


def _open_depth(content: str) -> int:
    """The deepest the open elements get when every end tag closes one open element of its name, and an
    end tag with none open (a stray) closes nothing; elements that never nest are left out. Strays cannot
    cancel unclosed elements as they do in a plain count: ``<a><b>x</a></i>`` repeated deepens by one each
    time. Still a bound within a small factor: the parser closes more at some end tags (``</div>`` closes
    the ``<span>``s left open in it) and ignores some whose element is open (one under a ``<div>``)."""
    open_by_name: dict[str, int] = {}
    depth = deepest = 0
    for slash, raw in _TAG_NAME.findall(content):
        name = raw.lower()
        if name in _NEVER_NEST:
            continue
        if not slash:
            open_by_name[name] = open_by_name.get(name, 0) + 1
            depth += 1
            deepest = max(deepest, depth)
        elif open_by_name.get(name):
            open_by_name[name] -= 1
            depth -= 1
    return deepest


def tame(content: str, tags: int) -> str:
    """The page without the markup lexbor is quadratic on: a start tag with more than ``MAX_ATTRIBUTES``
    attributes keeps only its name, and over ``MAX_OPTIONS`` ``<option>``s are dropped (a form's list
    of choices; none carries article text). ``tags``: the page's count of ``<``.

    Such a start tag is looked for where ``<``s are far apart; a page with more ``<`` than ordinary pages
    hold (attribute names and values may contain ``<``, one each at least) has every start tag read instead.
    """
    if tags > MAX_OPTIONS and content.count("<option") + content.count("<OPTION") > MAX_OPTIONS:
        content = _OPTION.sub("", content)
    found: Iterator[re.Match[str] | None]
    if tags > _MANY_MARKS:
        found = _CROWDED_TAG.finditer(content)
    else:
        found = (_CROWDED_TAG.match(content, at) for at in _long_gaps(content))
    pieces, done = [], 0
    for tag in found:
        if tag is None or tag.start() < done:  # not crowded, or a "<" inside a tag already tamed
            continue
        pieces += [content[done : tag.start()], "<" + tag.group(1) + ">"]
        rest = _REST_OF_TAG.match(content, tag.end())
        done = rest.end() if rest else tag.end()
    return "".join([*pieces, content[done:]]) if pieces else content


def _long_gaps(content: str) -> Iterator[int]:
    """Where a ``<`` is followed by ``_LONG_GAP`` characters that hold no ``<`` (the matches of the regex
    ``<[^<]{_LONG_GAP}``), found with jumps: of the ``<``s within reach of one, only the last can start
    such a gap, so it is the next looked at (about one step per ``_LONG_GAP`` characters of markup)."""
    end = len(content)
    at = content.find("<")
    while 0 <= at < end - _LONG_GAP:
        last = content.rfind("<", at + 1, at + _LONG_GAP + 1)
        if last < 0:
            yield at
            at = content.find("<", at + _LONG_GAP + 1)
        else:
            at = last


def _strip(tree: LexborHTMLParser, drop: list[str]) -> None:
    """Detach the ``drop`` elements with what they hold, as ``tree.strip_tags(drop)`` but in one query
    rather than one walk of the tree per tag; a ``<button>`` that holds a figure (it opens it in a
    lightbox) is unwrapped instead, so the figure stays. (An element inside one detached before it is
    detached or unwrapped with the rest: nothing of it is left in the page either way.)"""
    for node in tree.css(", ".join(drop)):
        if node.tag == "button" and node.css_first("figure, figcaption") is not None:
            node.unwrap()
        else:
            node.decompose(recursive=False)


def _walk(tree: LexborHTMLParser, drop: list[str]) -> _Walker:
    """The walk of a parsed tree, once the ``drop`` elements are stripped from it."""
    _strip(tree, drop)
    walker = _Walker()
    walks = (
        COMPILED if COMPILED is not None else _Walker
    )  # both have walk_head(walker, head), walk(walker, body)
    if tree.head is not None:
        walks.walk_head(walker, tree.head)
    body = tree.body
    # A <frameset> replaces the body: lexbor then still names the detached old body, whose text is no
    # longer part of the page (a frames page has no article of its own)
    if body is not None and body.parent is not None:
        walks.walk(walker, body)
    else:
        walker.finish()
    return walker


def _text_chars(walker: _Walker) -> int:
    return sum(len(c.text) for c in walker.candidates)


def parse_html(page: Page, options: Options) -> Document:
    """The page's blocks in reading order and its layout, plus the parsed tree for the metadata stage.

    The page is read as a browser running its scripts shows it, except a page that shows next to
    nothing that way but has ``<noscript>`` content (a script-rendered shell whose readable version
    is in ``<noscript>``, as forum software serves it): that page is read as a browser without
    scripts shows it, when that holds more text.
    """
    tags = page.content.count("<")
    depth = nesting_depth(page.content, tags=tags) if tags > MAX_NESTING else 0
    if depth > MAX_NESTING:
        raise InputTooLarge(f"page nests elements {depth:,} deep, over the limit of {MAX_NESTING:,}")
    if options.max_stray_steps and (steps := stray_steps(page.content, tags)) > options.max_stray_steps:
        raise InputTooLarge(
            f"page's stray end tags would take the parser {steps:,} steps, over the limit of {options.max_stray_steps:,}"
        )
    content = tame(page.content, tags)
    # the parser reads UTF-8: the bytes the page came in, when they are exactly that, else the text encoded
    markup: str | bytes = page.utf8 if page.utf8 is not None and content is page.content else content
    # as a browser running scripts parses it: a <noscript> is one text node (a broken element inside
    # one cannot swallow the rest of the page, nor a tracking pixel in one end the <head>)
    tree = LexborHTMLParser(markup, scripting=True)
    _check_size(tags, tree, options)
    title_hint, structured, data = _script_data(tree)
    walker = _walk(tree, DROP_TAGS)
    shown = _text_chars(walker)
    if shown < SHELL_CHARS and "<noscript" in content:
        bare = LexborHTMLParser(markup)  # as a browser without scripts: <noscript> content is markup
        bare_walker = _walk(bare, _DROP_BUT_NOSCRIPT)
        if _text_chars(bare_walker) > 2 * shown:
            tree, walker = bare, bare_walker
    return Document(
        page=page,
        candidates=walker.candidates,
        title_hint=title_hint,
        tree=tree,
        extras={"ld_json": structured, "json_data": data, "layout": walker.layout, "marked": walker.marked},
    )


#: Data scripts kept for the pictures' captions and credits, in characters: a page's state can be megabytes.
MAX_DATA_CHARS = 2_000_000


def _script_data(tree: Any) -> tuple[str | None, list[str], list[str]]:
    """The text of the page's first ``<title>``, the texts of its JSON-LD scripts, and of its JSON data
    scripts that mention a caption (one query for the three)."""
    title: str | None = None
    structured: list[str] = []
    data: list[str] = []
    budget = MAX_DATA_CHARS
    for node in tree.css('title, script[type="application/ld+json"], script[type="application/json"]'):
        if node.tag == "title":
            if title is None:
                title = node.text(strip=True)
            continue
        text = node.text()
        if (node.attributes.get("type") or "").endswith("ld+json"):
            structured.append(text)
        elif '"caption"' in text and len(text) <= budget:
            data.append(text)
            budget -= len(text)
    return title, structured, data


#: The probe page the compiled walk must read exactly as the Python walk before it is used.
_PROBE = (
    '<html><head><meta property="og:title" content="t"></head><body class="page"><div id="main" class="story">'
    '<h1 class="headline">A <b>probe</b></h1><p class="byline">By <a href="/author/x" rel="author">X Y</a></p>'
    '<time datetime="2020-01-02">2 Jan</time><article itemprop="articleBody"><p>One \u00e9t\u00e9, two.<br>'
    '<br>Three <a href="/b">link</a> four.</p><blockquote class="twitter-tweet">embed</blockquote>'
    '<figure><img src="a.jpg"><figcaption class="caption">Cap <span class="credit">Credit</span>'
    '</figcaption></figure><ul><li>item</li></ul><div hidden>gone</div><div style="display:none">x</div>'
    '<custom-el class="subtitle description">media</custom-el><!-- c --><pre>code</pre></article>'
    '<aside class="related paywall"><h2>More</h2></aside></div>text after</body></html>'
)


def _walk_signature(walker: _Walker) -> tuple[Any, ...]:
    """What a walk produced, comparable between the two walks (nodes by their address)."""
    marked, lay = walker.marked, walker.layout
    return (
        [(c.text, c.kind, c.level, c.tag, c.container, c.ancestors, c.link_chars) for c in walker.candidates],
        walker.rows,
        lay.hidden,
        [n.mem_id for n in marked.scan],
        [n.mem_id for n in marked.itemprops],
        [n.mem_id for n in marked.metas],
        [n.mem_id for n in marked.media],
        marked.paywall,
        marked.walked,
    )


def walk_both(tree: LexborHTMLParser) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The Python walk's and the compiled walk's results on one parsed page (tests hold them equal)."""
    if COMPILED is None:
        raise RuntimeError("the compiled walk is not available")
    _strip(tree, DROP_TAGS)
    results = []
    for walks in (_Walker, COMPILED):
        walker = _Walker()
        if tree.head is not None:
            walks.walk_head(walker, tree.head)
        if tree.body is not None:
            walks.walk(walker, tree.body)
        results.append(_walk_signature(walker))
    return results[0], results[1]


def _bind_compiled() -> Any:
    """The compiled walk (``_walk.pyx``), when it is built, binds to this selectolax and reads the probe
    page as the Python walk does; else None."""
    module = compiled("_walk")
    if module is None:
        return None
    from selectolax.lexbor import LexborNode

    if not module.bind(sys.modules[__name__], LexborHTMLParser, LexborNode):
        return None
    global COMPILED
    COMPILED = module
    try:
        by_python, by_module = walk_both(LexborHTMLParser(_PROBE, scripting=True))
    except Exception:  # a compiled walk that fails on its probe page is not used: the Python walk runs
        return None
    finally:
        COMPILED = None
    return module if by_python == by_module else None


#: ``_open_depth`` compiled (``_counts.open_depth``), or None.
COMPILED_OPEN_DEPTH: Any = compiled("_counts", "open_depth")
#: The compiled walk's module (``walk_head`` and ``walk``), or None: the Python walk runs.
COMPILED: Any = None
COMPILED = _bind_compiled()
