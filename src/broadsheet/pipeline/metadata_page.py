"""What the visible page shows: headline, byline, dateline, breadcrumb, tag list, and which
elements are figures and captions (``figures`` reads those).

One grouped CSS query returns every element that may carry one of these, in document order;
each is classified by its tag, ``rel``, ``itemprop`` and class/id words. Elements inside comments,
related-article rails, navigation, footers and asides are ignored, and the byline and dateline
nearest after the headline win, since that is where an article prints its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .elements import (
    EXCLUDE_TAGS,
    FURNITURE,
    class_words,
    contains,
    excluded,
    excluded_strict,
    inside,
    node_text,
    text_longer,
    text_pieces,
)
from .metadata import other_roles
from .metadata_ld import clean_text

__all__ = ["SCAN", "Visible", "read_page"]

# Attribute-substring selectors cost about 0.1 ms each on a large page: keep the list short.
SCAN = ", ".join(
    [
        "h1",
        "time",
        "[rel~=author]",
        "[rel~=tag]",
        "[itemprop~=author]",
        "[class*=author i]",
        "[class*=byline i]",
        "[class*=autor i]",
        "a[href*='/author' i]",
        "a[href*='/autor' i]",
        "[class*=date i]",
        "[class*=publish i]",
        "[class*=time i]",
        "[class*=breadcrumb i]",
        "[itemtype*=BreadcrumbList]",
        "[class*=tags i]",
        "[class*=keyword i]",
        "figure",
        "figcaption",
        "[class*=caption i]",
        "[class*=bildunterschrift i]",
    ]
)
_MODIFIED = re.compile(
    r"(?i)updat|modif|aktualisiert|geändert|bearbeitet|mis à jour|actualiz|aggiornat|editado|revised|last edited"
)
_BYLINE_CLASS = re.compile(r"author|byline|autor|writer|reporter|journalist|verfasser")
_DATE_CLASS = re.compile(r"date|publish|\btime\b|timestamp|datetime")
_TAGS_CLASS = re.compile(r"tags|keyword")
_NOT_BYLINE = re.compile(
    r"\b(?:avatar|image|img|photo|pic|picture|bio|biography|desc|description|about|follow|social|more|"
    r"count|role|job|jobtitle|position)\b"
)
_MAX_BYLINE_CHARS = 200
_MAX_CREDITS = 40  # byline elements looked at for other credits: an article prints its own first


@dataclass(slots=True)
class Visible:
    """Candidate elements of the page in document order (``pos``); text is read only when asked."""

    headlines: list[tuple[int, str]] = field(default_factory=list)
    headline_nodes: list[Any] = field(default_factory=list)  # the <h1>s of ``headlines``
    byline_nodes: list[tuple[int, Any, bool]] = field(default_factory=list)  # (pos, node, strongly marked)
    date_nodes: list[tuple[int, Any, str]] = field(default_factory=list)  # (pos, node, class words)
    crumb_nodes: list[Any] = field(default_factory=list)
    tag_nodes: list[Any] = field(default_factory=list)
    tag_links: list[Any] = field(default_factory=list)  # <a rel=tag>
    category_links: list[Any] = field(default_factory=list)  # <a rel="category tag"> (WordPress)
    figure_nodes: list[Any] = field(default_factory=list)
    caption_nodes: list[Any] = field(default_factory=list)
    #: per byline element (``mem_id``): whether a label before it credits other work (``_credited_otherwise``),
    #: asked by ``bylines`` and ``other_credits`` alike
    credited: dict[int, bool] = field(default_factory=dict)

    def _credited(self, node: Any, text: str) -> bool:
        """``_credited_otherwise`` of a byline element whose text (``node_text``) is ``text``, asked once."""
        found = self.credited.get(node.mem_id)
        if found is None:
            found = self.credited[node.mem_id] = _credited_otherwise(node, text)
        return found

    def categories(self) -> list[str]:
        return [
            t for a in self.category_links[:10] if (t := node_text(a)) and len(t) <= 60 and not excluded(a)
        ]

    def bylines(self, anchor: int) -> Iterator[tuple[int, str, bool]]:
        """Byline texts after the headline at ``anchor`` (nearest first), then those before it."""
        nodes = _innermost(self.byline_nodes)
        after = [b for b in nodes if b[0] > anchor]
        before = [b for b in reversed(nodes) if b[0] < anchor]
        for pos, node, strong, box in [*after, (-1, None, False, None), *before]:
            if node is None:
                yield (-1, "", False)  # marks the turn from after to before the headline
                continue
            text = node_text(node)
            if (
                text
                and len(text) <= _MAX_BYLINE_CHARS
                and (not excluded(box) or (strong and _in_article_footer(box)))
                and not self._credited(node, text)
            ):
                yield pos, text, strong

    def other_credits(self) -> list[str]:
        """Byline texts that credit other work than the writing ("Editor: Jane Doe", a name after
        a "Reviewed by" label), each from its last such label on."""
        out = []
        for _, node, _, _ in _innermost(self.byline_nodes)[:_MAX_CREDITS]:
            text = node_text(node)
            credits = other_roles(text) if len(text) <= _MAX_BYLINE_CHARS else []
            if credits:
                out.append(text[credits[-1][1] :])
            elif text and len(text) <= _MAX_BYLINE_CHARS and self._credited(node, text):
                out.append(text)
        return out

    def dates(self, anchor: int) -> Iterator[tuple[str, bool]]:
        """(value, is_modified) of date elements, the nearest after the headline first."""
        order = self._nearest_dates(anchor)
        layout = self._around_headlines()
        for pos, node, words in order[:12]:
            attrs = node.attributes
            value = (
                attrs.get("datetime")
                or attrs.get("content")
                or (attrs.get("title") if node.tag == "abbr" else None)
            )
            text = node_text(node)
            if not value:
                if len(text) > 120:
                    continue
                value = text
            # a page's header prints today's date before the headline, even inside the article's layout
            if not value or excluded(node, layout=layout if pos > anchor else frozenset()):
                continue
            yield value, bool(_MODIFIED.search(words) or _MODIFIED.search(_label_of(text)))

    def printed_dates(self, anchor: int, count: int = 4) -> Iterator[str]:
        """The texts of the ``count`` date elements nearest after the headline (then before it), as the
        reader sees them: what the page shows, not what its attributes declare. Dates marked as updates
        are left out."""
        order = self._nearest_dates(anchor)
        layout = self._around_headlines()
        for _, node, words in order[:count]:
            text = node_text(node)
            if not text or len(text) > 120 or _MODIFIED.search(words) or _marked_updated(node, text):
                continue
            if not excluded(node, layout=layout):
                yield text

    def _nearest_dates(self, anchor: int) -> list[tuple[int, Any, str]]:
        """The date elements, those after the headline at ``anchor`` first, each side nearest first."""
        return sorted(self.date_nodes, key=lambda d: (d[0] < anchor, abs(d[0] - anchor)))

    def _around_headlines(self) -> frozenset[int]:
        """Ids of the containers of the first headlines: whatever their class says, they hold the
        article (a story page "in sidebar mode"), not a rail beside it."""
        ids: set[int] = set()
        for node in self.headline_nodes[:4]:
            current = node.parent
            while current is not None and current.tag not in ("body", "html") and current.mem_id not in ids:
                ids.add(current.mem_id)
                current = current.parent
        return frozenset(ids)

    def crumbs(self) -> Iterator[list[str]]:
        for node in self.crumb_nodes[:3]:
            if not excluded_strict(node):
                items = [clean_text(n.text(separator=" ")) for n in inside(node, "li, a, [itemprop=name]")]
                items = [i for i in items if i and len(i) <= 80]
                # a <li> and the <a> inside it say the same thing once
                yield [item for i, item in enumerate(items) if i == 0 or items[i - 1] != item]

    def tag_lists(self) -> list[list[str]]:
        lists = []
        links = [node_text(a) for a in self.tag_links if not _tags_excluded(a)]
        if links:
            lists.append([t for t in links if t and len(t) <= 60])
        for node in self.tag_nodes[:6]:
            if _tags_excluded(node):
                continue
            texts = [node_text(a) for a in inside(node, "a")]
            texts = [t for t in texts if t and len(t) <= 60]
            if 1 <= len(texts) <= 40:
                lists.append(texts)
        return lists


_FIRST_DIGIT = re.compile(r"\d")


def _label_of(text: str) -> str:
    """The words before a date element's first number: its label ("Updated Mar 12, 2020"), not what
    follows the date ("Written: 2023-11-07 / Updated: 2023-11-08" is a publication date)."""
    m = _FIRST_DIGIT.search(text, 0, 40)
    return text[: m.start()] if m else text[:40]


def _marked_updated(node: Any, text: str) -> bool:
    """Whether a date element's text or the label just before it in its parent says "Updated"."""
    if _MODIFIED.search(_label_of(text)):
        return True
    parent = node.parent
    label = node_text(parent) if parent is not None else ""
    return len(label) <= 200 and bool(_MODIFIED.search(label[: max(0, label.find(text)) + 1][-40:]))


def _tags_excluded(node: Any) -> bool:
    """Like ``excluded``, except that a footer inside the post is the post's own: blogs print their
    tag list there (WordPress ``<footer class="entry-footer">``, Blogger ``post-footer``)."""
    current, footer = node, False
    for _ in range(16):
        if current is None or current.tag in (None, "html", "body", "-document"):
            return footer
        words = class_words(current)
        if current.tag in ("article", "main") or (footer and _POST_CLASS.search(words)):
            return False
        furniture = set(FURNITURE.findall(words)) if current.tag != "figure" else set()
        if current.tag == "footer" or furniture == {"footer"}:
            footer = True
        elif current.tag in EXCLUDE_TAGS or furniture:
            return True
        current = current.parent
    return footer


_POST_CLASS = re.compile(r"\b(?:post|entry|hentry|article|story)\b")


def _in_article_footer(node: Any) -> bool:
    """Whether ``node`` sits in the footer of an ``<article>`` and in no other furniture: the post's own
    footer, where blog themes print "Posted by Jane Doe at 18:52" (``excluded`` counts any footer).

    Stricter than ``_tags_excluded``, its twin for tag lists: a byline needs the ``<article>`` itself
    (not ``<main>`` or a post-classed box), and a footer classed as other furniture too ("related-footer")
    is that furniture, where a tag list there still counts as the post's."""
    current, footer = node, False
    for _ in range(12):
        if current is None or current.tag in (None, "html", "body", "-document"):
            return False
        if current.tag == "article":
            return footer
        if current.tag in EXCLUDE_TAGS and current.tag != "footer":
            return False
        words = class_words(current) if current.tag != "figure" else ""
        hits = {m.group(0) for m in FURNITURE.finditer(words)} if words else set()
        if hits - {"footer"}:
            return False
        footer = footer or bool(hits) or current.tag == "footer"
        current = current.parent
    return False


def _innermost(nodes: list[tuple[int, Any, bool]]) -> list[tuple[int, Any, bool, Any]]:
    """Byline elements without those that merely contain the next one (a box around the name).

    Each kept element comes with the outermost byline box around it, from which exclusion is
    judged: a class such as "teaser__author" on the box says nothing about the page around it.
    """
    out: list[tuple[int, Any, bool, Any]] = []
    box = None
    for i, (pos, node, strong) in enumerate(nodes):
        nxt = nodes[i + 1][1] if i + 1 < len(nodes) else None
        box = box or node
        if nxt is not None and contains(node, nxt) and _mostly(nxt, node):
            if strong and not nodes[i + 1][2]:
                out.append((pos, node, strong, box))  # a rel=author link around a name span
            continue
        out.append((pos, node, strong, box))
        if nxt is None or not contains(box, nxt):
            box = None
    return out


def _credited_otherwise(node: Any, own: str) -> bool:
    """Whether the label printed before the element (whose text is ``own``) credits other work than the
    writing: the nearest enclosing element that prints more than this one starts "Reviewed by",
    "Fact-checked by", "Contributions from: Jane Doe, ..." before it, with no "By" after that label."""
    current = node.parent
    for _ in range(_LABEL_LEVELS):
        if current is None or current.tag in ("body", "html"):
            return False
        if text_longer(current, _MAX_BYLINE_CHARS * 2):
            return False
        text = node_text(current)
        prefix = text[: max(0, text.find(own))] if own else ""
        if prefix.strip():
            credits = other_roles(prefix)
            return bool(credits) and not _WRITER_AFTER.search(prefix[credits[-1][1] :])
        current = current.parent
    return False


_LABEL_LEVELS = 4
_WRITER_AFTER = re.compile(r"(?i)\b(?:written\s+by|by|author|von|par)\b")


def _mostly(inner: Any, outer: Any) -> bool:
    """Whether ``inner`` holds most of ``outer``'s text (else the box says more than its child)."""
    return len(node_text(inner)) >= 0.6 * len(node_text(outer))


_KICKER = re.compile(
    r"\b(?:kicker|dachzeile|overline|topline|eyebrow|roofline|supertitle|overhead|spitzmarke)"
)


_CAPTION_CLASS = re.compile(r"caption|bildunterschrift")
_GLUED = re.compile(r"([:;!?,])(?=[^\W\d_])")


def headline_text(node: Any) -> str:
    """A headline's text without the kicker printed inside it ("Corona-Lockerungen" above the line).

    Inline children are joined without added spaces (a ``<span>`` may split a word), unless the
    tight reading glues two words that a spaced reading keeps apart.
    """
    kickers = [n for n in inside(node, "[class]") if _KICKER.search(class_words(n))]
    cut = bool(kickers) and len(kickers) <= 2
    texts = text_pieces(node, kickers if cut else ())
    # a kicker the headline continues with a colon ("Kicker: Headline") is part of it
    if cut and clean_text(" ".join(texts)).startswith(":"):
        texts, cut = text_pieces(node), False
    tight = _GLUED.sub(r"\1 ", clean_text("".join(texts)))
    loose = clean_text(" ".join(texts))
    text = loose if len(loose.split()) > len(tight.split()) + 1 else tight  # loose: blocks written unspaced
    # the dash or pipe that set the kicker off goes with it ("Kicker - «Headline»")
    return _KICKER_SEPARATOR.sub("", text) if cut else text


_KICKER_SEPARATOR = re.compile(r"^[-–—|/•·]\s+(?=\S)")


#: Utility classes that set a typeface ("text-caption" in Tailwind-style sites), not a role.
_STYLE_CAPTION = re.compile(r"(?<![\w-])(?:text|font|type|typo|fs)-(?:[a-z]+-)?caption\S*")
#: "withoutCaption", "no-caption": a class that says the element has none.
_NO_CAPTION = re.compile(r"(?:without|no|hide|hidden)[-_]?caption\S*")
#: Elements that are never a caption whatever their class: links, labels, lists, controls.
_NOT_CAPTION_TAGS = frozenset({"a", "label", "ul", "ol", "li", "nav", "button", "input", "select", "option"})


def _caption_role(node: Any, tag: str) -> bool:
    """Whether a caption-classed element is a caption, not a link or text styled in the caption face."""
    if tag in _NOT_CAPTION_TAGS:
        return False
    cls = _STYLE_CAPTION.sub(" ", (node.attributes.get("class") or "").lower())
    cls = _NO_CAPTION.sub(" ", cls)
    return bool(_CAPTION_CLASS.search(f"{cls} {node.attributes.get('id') or ''}".lower()))


def read_page(tree: Any, scan: list[Any] | None = None) -> Visible:
    """Headline, byline, date, breadcrumb and tag elements of the visible page.

    ``scan`` is what ``SCAN`` selects in the body when the parse stage has found it already
    (``html.Marked``); without it the tree is queried.
    """
    out = Visible()
    if scan is None:
        root = tree.body if tree.body is not None else tree.root
        if root is None:
            return out
        scan = root.css(SCAN)
    for pos, node in enumerate(scan):
        tag = node.tag
        if tag == "h1":
            text = headline_text(node)
            if text:
                out.headlines.append((pos, text))
                out.headline_nodes.append(node)
            continue
        attrs = node.attributes
        words = class_words(node)
        if tag == "figure":
            out.figure_nodes.append(node)
            continue
        if tag == "figcaption" or (_CAPTION_CLASS.search(words) and _caption_role(node, tag)):
            out.caption_nodes.append(node)
            continue
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "time" or (_DATE_CLASS.search(words) and not _BYLINE_CLASS.search(words)):
            out.date_nodes.append((pos, node, words))
        elif "category" in rel:
            out.category_links.append(node)
        elif "tag" in rel:
            out.tag_links.append(node)
        elif _TAGS_CLASS.search(words):
            out.tag_nodes.append(node)
        elif "breadcrumb" in words or "BreadcrumbList" in (attrs.get("itemtype") or ""):
            out.crumb_nodes.append(node)
        elif tag not in ("img", "picture", "svg", "meta", "link") and not _NOT_BYLINE.search(words):
            strong = "author" in rel or "author" in (attrs.get("itemprop") or "").split()
            out.byline_nodes.append((pos, node, strong))
    return out
