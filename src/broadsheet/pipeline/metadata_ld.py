"""Structured data of HTML pages: JSON-LD (``@graph``, arrays, ``@id`` references) and microdata.

Pages write JSON-LD by hand and by template, so a block that ``json.loads`` refuses is repaired
once (HTML comments and CDATA markers, trailing commas, several objects back to back, raw control
characters in strings) and skipped if it still fails. Every object of every block is indexed; the
article is the object of an article type, preferring one with a headline, then the most fields.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ARTICLE_TYPES", "Structured", "microdata", "read_json_ld"]

#: schema.org types whose object is the article itself (lower-cased).
ARTICLE_TYPES = frozenset(
    """newsarticle article reportagenewsarticle analysisnewsarticle opinionnewsarticle blogposting
    liveblogposting backgroundnewsarticle reviewnewsarticle askpublicnewsarticle factcheck report
    scholarlyarticle techarticle socialmediaposting discussionforumposting review satiricalarticle
    advertisercontentarticle medicalscholarlyarticle posting videoobject recipe howto""".split()
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "faqpage", "qapage"})
_MAX_OBJECTS = 2000  # a page that lists a whole catalogue in JSON-LD is read no further


@dataclass(slots=True)
class Structured:
    """What the page's JSON-LD says: the article object, the page object, and every object by @id."""

    article: dict[str, Any] = field(default_factory=dict)
    page: dict[str, Any] = field(default_factory=dict)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    objects: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)

    def resolve(self, value: Any) -> Any:
        """``{"@id": ...}`` replaced by the object it names, when the page defines it."""
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            return self.by_id.get(str(value["@id"]), value)
        return value

    def get(self, key: str) -> Any:
        """``key`` of the article object, else of the page object."""
        value = self.article.get(key)
        if value in (None, "", []):
            value = self.page.get(key)
        return self.resolve(value)

    def of_type(self, *types: str) -> list[dict[str, Any]]:
        return [o for o in self.objects if _types(o) & set(types)]


def read_json_ld(blocks: list[str]) -> Structured:
    """Every object of the page's JSON-LD blocks, and which of them is the article."""
    out = Structured()
    for raw in blocks:
        for data in _load(raw):
            _collect(data, out)
            if len(out.objects) > _MAX_OBJECTS:
                break
    for obj in out.objects:
        if isinstance(obj.get("@id"), str):
            # the fuller definition wins over a bare reference
            known = out.by_id.get(obj["@id"])
            if known is None or len(obj) > len(known):
                out.by_id[obj["@id"]] = obj
    out.articles = [o for o in out.objects if _types(o) & ARTICLE_TYPES]
    if out.articles:
        out.article = max(out.articles, key=_article_rank)
    pages = out.of_type(*_PAGE_TYPES)
    if pages:
        out.page = max(pages, key=len)
    return out


def _article_rank(obj: dict[str, Any]) -> tuple[int, int, int]:
    types = _types(obj)
    newsy = bool(types - {"videoobject", "recipe", "howto", "review", "posting"})
    return ("headline" in obj or "name" in obj, newsy, len(obj))


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _collect(data: Any, out: Structured) -> None:
    stack = [data]
    while stack and len(out.objects) <= _MAX_OBJECTS:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.objects.append(item)
            graph = item.get("@graph")
            if graph is not None:
                stack.append(graph)
            main = item.get("mainEntity")
            if isinstance(main, dict | list):
                stack.append(main)


_COMMENTS = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_LINE_COMMENT = re.compile(r"^\s*//[^\n]*$", re.M)


def _load(raw: str) -> list[Any]:
    """The JSON values in one block; a broken block is repaired once, else yields nothing."""
    text = raw.strip()
    if not text:
        return []
    try:
        return [json.loads(text, strict=False)]
    except (ValueError, RecursionError):
        pass
    text = _COMMENTS.sub("", _LINE_COMMENT.sub("", text)).strip().rstrip(";")
    text = _TRAILING_COMMA.sub(r"\1", text)
    values: list[Any] = []
    decoder = json.JSONDecoder(strict=False)
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        values.append(value)
    return values


# ------------------------------------------------------------------------------------ values


def text_of(value: Any) -> str | None:
    """A JSON-LD value as one clean string: first of a list, ``name``/``@value`` of an object."""
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("text")
    if value is None or isinstance(value, dict | list | bool):
        return None
    return clean_text(str(value)) or None


_MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00bf]|â[\u0080-\u009f]")


def clean_text(value: str) -> str:
    """Entities decoded (twice: CMSs double-escape), UTF-8 read as Latin-1 repaired, spaces collapsed."""
    if "&" in value:
        value = html.unescape(html.unescape(value))
    # the pattern needs one of three letters: looking for them first spares scanning long texts with it
    if ("Ã" in value or "Â" in value or "â" in value) and _MOJIBAKE.search(value):
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("latin-1").decode("utf-8")
    return squeeze(value)


def squeeze(value: str) -> str:
    """What ``clean_text`` does to a text with nothing to decode: soft hyphens dropped, spaces collapsed."""
    return " ".join(value.replace("\u00ad", "").split())


def undecoded(value: str) -> bool:
    """Whether ``clean_text`` may decode something in ``value`` (an entity, mojibake); when not, it only
    ``squeeze``-s it, and never lengthens a text either way."""
    return "&" in value or "Ã" in value or "Â" in value or "â" in value


# ------------------------------------------------------------------------------------ microdata


def microdata(tree: Any, nodes: list[Any] | None = None) -> dict[str, list[str]]:
    """``itemprop`` values of the page (content, datetime, href/src, else text), by property name.

    Properties inside a nested ``itemscope`` that is a Person/Organization are kept under
    ``author.name``-style keys so that an author's name is not read as the article's name.
    ``nodes``: the page's ``[itemprop]`` elements when the parse stage has found them already.
    """
    out: dict[str, list[str]] = {}
    for node in tree.css("[itemprop]") if nodes is None else nodes:
        attrs = node.attributes
        props = (attrs.get("itemprop") or "").split()
        if not props:
            continue
        value = (
            attrs.get("content")
            or attrs.get("datetime")
            or (attrs.get("href") if node.tag in ("a", "link") else None)
            or (attrs.get("src") if node.tag in ("img", "meta") else None)
            # a date in hAtom's machine-readable form, as Blogger prints it: <abbr title="2017-09-09T10:52">10:52
            or (
                attrs.get("title") if node.tag == "abbr" and any("date" in p.lower() for p in props) else None
            )
        )
        if value is None:
            if "itemscope" in attrs:
                value = ""
            else:
                value = node.text(separator=" ")
        value = clean_text(value or "")
        parent = _scope_prop(node)
        for prop in props:
            key = f"{parent}.{prop}" if parent else prop
            if value or key not in out:
                out.setdefault(key, [])
                if value:
                    out[key].append(value)
    return out


_ENTITY_PROPS = {"mainEntity", "mainEntityOfPage", "hasPart", "about", "articleBody", "blogPost", "blogPosts"}


def _scope_prop(node: Any) -> str:
    """The ``itemprop`` of the nearest enclosing item (e.g. "author"), or "" at the article level."""
    parent = node.parent
    depth = 0
    while parent is not None and depth < 30:
        attrs = parent.attributes if parent.tag and not parent.tag.startswith("-") else {}
        if "itemscope" in attrs:
            prop = (attrs.get("itemprop") or "").split()
            # an article nested as the page's main entity is still the article
            return prop[0] if prop and prop[0] not in _ENTITY_PROPS else ""
        parent = parent.parent
        depth += 1
    return ""
