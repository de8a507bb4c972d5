"""Metadata of HTML pages, reconciled from four kinds of evidence.

Sources, read once each: JSON-LD (``metadata_ld``), microdata, ``<meta>``/``<link>`` tags
(OpenGraph, ``article:*``, Dublin Core, the usual ``name=`` variants), and the visible page
(``metadata_page``: headline, byline, dateline, breadcrumb, tag list; ``figures``: pictures,
captions and credits).

Precedence, field by field (the first source that gives a valid value wins, then cross-checks):

- title: the visible ``<h1>`` when it agrees with a declared title (JSON-LD headline, og:title,
  twitter:title, ``<title>``); when one contains the other, the one without the extra (a kicker,
  a subtitle, a site name). When none agrees, the page's one real ``<h1>`` (declared titles are
  often SEO variants), else the declared title without the site name.
- authors: JSON-LD persons > microdata > ``<meta>`` author tags > a "Written by" pair of
  ``twitter:label1``/``twitter:data1`` > the visible byline nearest after the headline > a "By"
  line near it; a declared login ("jdoe") gives way to a full name the page prints, and a name the
  page credits only with other work ("Edited by", "Reviewed by", "Editor:") is no author. An
  organisation is kept only when no person is named; a name that is the site, the publisher or the
  section is dropped while another source may name a writer, and kept when none does and the page
  declares it (markup or a "By" line, not a bare "author" class): personal sites bear their
  author's name, companies sign their own blogs.
- published: JSON-LD > microdata (when its items agree on a day) > ``article:published_time`` and
  other date ``<meta>`` tags > visible dateline > the URL's date > a dated line in or near the body
  > a date in the page's scripts. A UTC timestamp whose day differs by one from the visible day
  gives way to the visible (local) day when both can be the same moment; an ambiguous printed
  "03/10/2023" follows the URL's date. Dates after the crawl date or before 1990 are refused.
- modified: JSON-LD > ``<meta>`` > visible "Updated" line; never earlier than ``published``.
- section: JSON-LD ``articleSection`` > ``article:section`` > breadcrumb (its last item that is
  neither home, the site nor the headline).
- tags: JSON-LD ``keywords`` > ``article:tag`` > the visible tag list > ``news_keywords``.
- images: the lead image (og:image / JSON-LD image) first, then ``<figure>``s, deduplicated;
  captions and credits from figcaptions and JSON-LD ImageObjects.
- site_name, canonical_url, language, description: declared values.
- paywalled: the page says it is not free (``isAccessibleForFree``, ``content_tier``, a paywall
  element); the metadata stage sets the flag only when the body is also short (a teaser).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any

from ..article import Document, Image
from .credits import names_someone
from .dates import date_from_url, day_first_for, find_date, parse_date, remove_dates
from .elements import FURNITURE, one_page
from .figures import clean_credit, data_pictures, figures, fill_from_data, split_credit
from .html import Marked
from .metadata import (
    Metadata,
    common_words,
    declared_cased,
    dedupe,
    ends_in_role,
    is_agency,
    split_authors,
    split_tags,
    word_list,
)
from .metadata_ld import Structured, clean_text, microdata, read_json_ld, text_of
from .metadata_page import Visible, headline_text, read_page
from .urls import join_url, split_url

__all__ = ["from_html"]


class _Metas(dict[str, str]):
    """``<meta>`` content by lower-cased name/property; the first value wins, all are kept."""

    def __init__(self) -> None:
        super().__init__()
        #: every value by name, in page order (the readers ask for a dozen names a page)
        self.by_name: dict[str, list[str]] = {}

    def first(self, *keys: str) -> str | None:
        for key in keys:
            if self.get(key):
                return self[key]
        return None

    def every(self, key: str) -> list[str]:
        return list(self.by_name.get(key, ()))

    def add(self, name: str, value: str) -> None:
        self.setdefault(name, value)
        self.by_name.setdefault(name, []).append(value)


def _meta_tags(tree: Any, nodes: list[Any] | None = None) -> _Metas:
    out = _Metas()
    # RDFa writes the pairs of <meta> on any element (<span property="dc:date" content="...">)
    for node in tree.css("meta, [property][content]") if nodes is None else nodes:
        attrs = node.attributes
        key = (
            attrs.get("property")
            or attrs.get("name")
            or attrs.get("itemprop")
            or attrs.get("http-equiv")
            or ""
        )
        value = clean_text(attrs.get("content") or "")
        if not value:
            continue
        # RDFa lets one tag carry several properties: property="og:title twitter:title" (but
        # "twitter:misc:Written by" is one name with a space)
        names = key.lower().split()
        if len(names) > 1 and not all(":" in n for n in names):
            names = [" ".join(names)]
        for name in names:
            out.add(name, value)
    return out


_ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/\d+(?:[a-z_]+)?/", re.I)


def _unwrap_archive(url: str | None) -> str | None:
    """The original URL of a web-archive capture ("web.archive.org/web/2019.../https://site/...")."""
    if url and _ARCHIVE.match(url):
        return _ARCHIVE.sub("", url)
    return url


class _Evidence:
    """Everything the page declares or shows, read once."""

    def __init__(self, doc: Document) -> None:
        tree = doc.tree
        self.doc = doc
        self.base = doc.page.url
        self.fetched = doc.page.fetched_at
        # the parse stage found the elements read here during its walk (html.Marked); else query
        self.marked: Marked | None = doc.extras.get("marked")
        marked = self.marked
        self.metas = _meta_tags(tree, marked.metas if marked else None)
        self.ld: Structured = read_json_ld(doc.extras.get("ld_json", []))
        self.micro = microdata(tree, marked.itemprops if marked else None)
        self.page: Visible = read_page(tree, marked.scan if marked else None)
        self.title_tag = clean_text(doc.title_hint or "") or None
        self.site_names = self._site_names()

    @cached_property
    def h1_blocks(self) -> list[int]:
        """Indices of the ``<h1>`` blocks among the page's blocks: the byline and dateline readers ask often."""
        return [i for i, c in enumerate(self.doc.candidates) if c.tag == "h1"]

    def _site_names(self) -> list[str]:
        names = [
            self.metas.get("og:site_name"),
            self.metas.get("application-name"),
            self.metas.get("apple-mobile-web-app-title"),
            _publisher(self.ld),
        ]
        for site in self.ld.of_type("website", "organization", "newsmediaorganization"):
            if not _is_person(site):  # a blog's publisher may be its author (["Person", "Organization"])
                names.append(text_of(site.get("name")))
        out = [n for n in names if n and len(n) <= 80]
        host = split_url(_unwrap_archive(self.base)).hostname or ""
        if host:
            out.append(host.removeprefix("www."))
        return out

    def ld_str(self, key: str) -> str | None:
        return text_of(self.ld.get(key))

    def micro_first(self, key: str) -> str | None:
        values = self.micro.get(key)
        return values[0] if values else None


def from_html(doc: Document) -> Metadata:
    with one_page():
        return _read_metadata(doc)


def _read_metadata(doc: Document) -> Metadata:
    ev = _Evidence(doc)
    meta = Metadata()
    meta.site_name = _site_name(ev)
    meta.title = _tidy_title(_title(ev))
    meta.description = _description(ev)
    meta.published, meta.modified = _dates(ev)
    meta.section = _section(ev, meta.title)
    meta.authors = _authors(ev, meta)
    meta.tags = _tags(ev)
    meta.images = _images(ev)
    meta.canonical_url = _canonical(ev)
    meta.language = _language(ev)
    meta.paywalled = _declared_paywall(ev)
    return meta


# ------------------------------------------------------------------------------------ title

# "ㅣ" (a Hangul vowel) is the pipe of Korean page titles ("Headline-정치ㅣ한국일보")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:·•»›/-]\s+|\s+::\s+|\s*[|·•ㅣ]\s*(?=\S)")
_NORM = re.compile(r"[\W_]+")


def _norm(text: str | None) -> str:
    return _NORM.sub(" ", (text or "").casefold()).strip()


def _spaced(text: str) -> str:
    """Case- and spacing-insensitive form that keeps punctuation (separators matter here)."""
    return " ".join(text.casefold().split())


def _squash(text: str | None) -> str:
    return _NORM.sub("", (text or "").casefold())


def _is_site(segment: str, site_names: list[str]) -> bool:
    seg = _squash(segment)
    if not seg:
        return True
    for name in site_names:
        site = _squash(name)
        if not site:
            continue
        host_label = _squash(name.split(".")[0]) if "." in name and " " not in name else ""
        if seg == site or (len(seg) >= 4 and seg in site) or (site in seg and len(seg) - len(site) <= 4):
            return True
        if host_label and len(host_label) >= 3 and (seg == host_label or seg.startswith(host_label)):
            return True
    return False


def _ends_in_name(title: str, names: set[str]) -> bool:
    """Whether a title's first or last segment is exactly one of the site's declared names (``_squash``-ed)."""
    parts = [p for p in _split_title(title) if p]
    return len(parts) > 1 and (_squash(parts[0]) in names or _squash(parts[-1]) in names)


def strip_site_name(title: str, site_names: list[str], *, loose: bool = False) -> str:
    """A title without the site name it carries at either end ("Headline | The Courier").

    ``loose`` (for ``<title>``) also drops a short last segment that names no known site, since
    page titles end in a site name far more often than headlines contain " | ".
    """
    parts = [p for p in _split_title(title) if p]
    if len(parts) < 2:
        return title
    while len(parts) > 1 and _is_site(parts[-1], site_names):
        parts.pop()
    while len(parts) > 1 and _is_site(parts[0], site_names):
        parts.pop(0)
    if loose and len(parts) > 1:
        # "Headline | Section | Site": the headline is the longest part
        longest = max(parts, key=lambda p: len(p.split()))
        if len(longest.split()) >= 3:
            return longest
    kept = " ".join(parts)
    # put the original separators back when nothing was dropped between the kept parts
    start = title.find(parts[0])
    end = title.rfind(parts[-1])
    if start >= 0 and end >= start:
        return title[start : end + len(parts[-1])].strip()
    return kept


def _split_title(title: str) -> list[str]:
    return [p.strip() for p in _TITLE_SEPARATORS.split(title)]


def _agrees(headline: str, declared: str) -> bool:
    h, d = _norm(headline), _norm(declared)
    if not h or not d:
        return False
    if h == d:
        return True
    if (h in d or d in h) and min(len(h), len(d)) >= 12:
        return True
    hw, dw = set(h.split()), set(d.split())
    return len(hw & dw) / max(1, len(hw | dw)) >= 0.7


def _title(ev: _Evidence) -> str | None:
    declared = [
        _ld_title(ev),
        _micro_headline(ev),
        ev.metas.first("og:title"),
        ev.metas.first("twitter:title"),
        ev.metas.first("title", "dc.title", "dc:title", "dcterms.title", "sailthru.title", "parsely-title"),
        ev.ld_str("name") if ev.ld.article else None,
    ]
    known = {_squash(s) for s in ev.site_names}
    # a heading that is only a link to the home page is the masthead (a logo, a blog's name): it
    # names the site, as <title> may print it beside the headline
    firsts = list(zip(ev.page.headlines[:4], ev.page.headline_nodes[:4], strict=True))
    mastheads = [h for (_, h), node in firsts if _links_home(node, ev.base)]
    sites = ev.site_names + mastheads
    sites += _sites_beside(ev.title_tag, [d for d in declared if d and _squash(d) not in known])
    cleaned = [strip_site_name(t, sites) for t in [*declared, ev.title_tag] if t]
    named = {_squash(s) for s in sites}
    # a heading that is only the site's name (a blog's masthead in <h1>) is no headline
    headlines = [h for (_, h), _node in firsts if _squash(h) not in named]
    exact = {_spaced(d) for d in declared if d}
    # a declared title names the article, <title> may name only the page ("News - Site"): the first
    # heading that is a whole declared title comes first, then the first that agrees with any title
    declared_only = cleaned[: len(cleaned) - bool(ev.title_tag)]
    # a page without an <h1> headline sets it a level lower: an <h2> that agrees with a title
    printed_headings = headlines or [h for h in _subheadings(ev, cleaned) if _squash(h) not in named]
    stripped = [(h, strip_site_name(h, sites)) for h in printed_headings]
    for pool, whole in ((declared_only, True), (cleaned, False)):
        for printed, headline in stripped:
            if whole and _spaced(printed) in exact and not _ends_in_name(printed, known):
                # printed as declared: a segment the site-name rules would cut ("Welpen kaufen – ...",
                # "... - DRK: ...") is the headline's own unless it is the site's declared name
                return printed
            agreeing = [c for c in pool if _agrees(headline, c) and not (whole and _is_fragment(headline, c))]
            if agreeing:
                return _prefer_shorter(headline, agreeing[0])
    # no headline agrees: a single real <h1> is the headline, the declared title an SEO variant
    # ... but a "heading" of a paragraph's length is a teaser set in <h1>, not a headline
    real = [h for h in headlines if not _is_site(h, sites) and 3 <= len(h.split()) <= _HEADLINE_WORDS]
    if len(real) == 1 and not real[0].endswith(":") and _shares_words(real[0], cleaned):
        return strip_site_name(real[0], sites)
    if any(declared):
        first = next(d for d in declared if d)
        if ev.title_tag and _spaced(first) == _spaced(ev.title_tag):
            return _drop_piped_tail(cleaned[0])
        return cleaned[0]
    page_title = strip_site_name(ev.title_tag, sites, loose=True) if ev.title_tag else None
    visible = [h for h in headlines if not _is_site(h, sites)]
    if visible and (not page_title or len(page_title.split()) < 2):
        return strip_site_name(visible[0], sites)  # a one-word <title> is a placeholder
    return page_title


def _micro_headline(ev: _Evidence) -> str | None:
    """The microdata headline, unless it is the text of a visible ``<h1>`` itself (itemprop set on
    the heading): that declares nothing the heading does not show, kicker included."""
    micro = ev.micro_first("headline")
    if micro and any(_is_marked_headline(node) for node in ev.page.headline_nodes[:4]):
        return None
    return micro


def _is_marked_headline(node: Any) -> bool:
    return "headline" in (node.attributes.get("itemprop") or "").split()


def _subheadings(ev: _Evidence, titles: list[str]) -> list[str]:
    """The first ``<h2>`` texts of the page's body that are part of a declared title (read only when
    the page has no ``<h1>`` headline): an ``<h2>`` that says more than the title is a section's."""
    body = ev.doc.tree.body
    if body is None or not titles:
        return []
    keys = [_norm(t) for t in titles]
    found = (headline_text(node) for node in body.css("h2")[:4])
    return [h for h in found if h and any(_norm(h) in key for key in keys)]


def _links_home(node: Any, base: str | None) -> bool:
    """Whether a heading is nothing but a link to the site's home page: a masthead (the logo or
    the blog's name set in ``<h1>`` above every page), not the headline of this one."""
    links = node.css("a[href]")
    if len(links) != 1 or _squash(links[0].text()) != _squash(node.text()):
        return False
    link = links[0].attributes
    if "home" in (link.get("rel") or "").lower().split():
        return True
    target = split_url(_unwrap_archive(join_url(base, link.get("href") or "")))
    here = split_url(_unwrap_archive(base))
    same_site = (target.hostname or "").removeprefix("www.") == (here.hostname or "").removeprefix("www.")
    return same_site and target.path.rstrip("/") in _HOME_PATHS and not target.query


_HOME_PATHS = frozenset({"", "/index.html", "/index.htm", "/index.php", "/home"})


def _drop_piped_tail(title: str) -> str:
    """A declared title that copies ``<title>`` without a short last part after a pipe, which there
    names the site ("Headline | Brand Tires") far more often than it continues the headline."""
    head, sep, tail = title.rpartition(" | ")
    if sep and len(tail.split()) <= 3 and len(head.split()) >= 3:
        return head.strip()
    return title


_HEADLINE_WORDS = 30  # longer is prose: 5 of the 2,562 labelled titles in the dev sets exceed 25 words


def _sites_beside(page_title: str | None, declared: list[str]) -> list[str]:
    """The site's name as ``<title>`` prints it around a declared title ("Blog Name: Headline") or
    in brackets at its end ("Headline [Site Name]").

    Read only for the title: a name found this way may be the writer's (a blog titled after them),
    which the authors must keep.
    """
    if not page_title:
        return []
    found = []
    bracketed = _BRACKETED_TAIL.search(page_title)  # "Headline [Site Name]"
    if bracketed:
        found.append(bracketed.group(1))
    for title in declared:
        title = title.strip()
        if len(title) < 12 or title == page_title:
            continue
        if page_title.startswith(title):
            rest = _SITE_TAIL.match(page_title[len(title) :])
        elif page_title.endswith(title):
            rest = _SITE_HEAD.match(page_title[: -len(title)])
        else:
            continue
        # the name is the shorter part, never the headline left beside a declared site name
        if rest and len(rest.group(1).split()) <= min(6, len(title.split())):
            found.append(rest.group(1))
    return found


_BRACKETED_TAIL = re.compile(r"\S\s*\[([^\[\]]{2,40})\]\s*$")
_SITE_TAIL = re.compile(r"^\s*(?:[|–—:·•»›/-]|::)\s*([^|–—:·•»›/]+?)\s*$")
_SITE_HEAD = re.compile(r"^\s*([^|–—:·•»›/]+?)\s*(?:[|–—:·•»›/-]|::)\s*$")


def _tidy_title(title: str | None) -> str | None:
    """A title without a separator left dangling at either end (": Headline", "Site -") and
    without a date printed in front of it ("23.01.2022 - Headline"), in Unicode's composed form
    (NFC, as the text path reads a page): a page may spell a letter with another sequence."""
    if not title:
        return title
    if not title.isascii() and not unicodedata.is_normalized("NFC", title):
        title = unicodedata.normalize("NFC", title)
    m = _LEADING_DATE.match(title)
    if m and find_date(m.group(0)):
        title = title[m.end() :]
    # a leading dash may be a quote dash ("– Magisk"): only a dangling colon or pipe goes
    return title.lstrip(" :|").rstrip(" |-–—") or title


_LEADING_DATE = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*[-–—|:]\s+(?=\S)")


def _ld_title(ev: _Evidence) -> str | None:
    """The JSON-LD article's headline; its ``name`` instead when only the name matches the page.

    Some pages put a description in ``headline`` (a wiki's short description) or the site in
    ``name``: of the two, the one closer to the other declared titles and the ``<h1>`` wins.
    """
    headline = ev.ld_str("headline")
    name = text_of(ev.ld.article.get("name")) if ev.ld.article else None
    if not headline or not name or _norm(headline) == _norm(name):
        return headline  # a name alone is weak (an embedded video's): it is the last resort
    declared = (ev.metas.first("og:title"), ev.metas.first("twitter:title"), ev.title_tag)
    others = [t for t in declared if t] + [h for _, h in ev.page.headlines[:2]]

    def closeness(title: str) -> int:
        return sum(_agrees(title, strip_site_name(o, ev.site_names)) for o in others)

    return name if closeness(name) > closeness(headline) else headline


def _is_fragment(headline: str, declared: str) -> bool:
    """Whether a heading is only a part of a declared title (a headline set in two elements)."""
    h, d = _norm(headline), _norm(declared)
    return h != d and h in d


def _shares_words(headline: str, titles: list[str]) -> bool:
    """Whether a headline and the declared titles have a content word in common (same story)."""
    words = {w for w in _norm(headline).split() if len(w) >= 4}
    return any(words & {w for w in _norm(t).split() if len(w) >= 4} for t in titles)


def _prefer_shorter(headline: str, declared: str) -> str:
    """Of a headline and a declared title that agree, the one that is only the headline.

    The visible headline wins, except where it carries more than the headline (a kicker in
    front, a subtitle or date after it): then the declared title contained in it. A declared
    title cut off mid-word (at a length limit) never wins, and a headline that is only a
    fragment of the declared title (a kicker ending in a colon) gives way to it.
    """
    h, d = _norm(headline), _norm(declared)
    if d == h:
        # the same words: the shorter spelling, without the marks a heading may carry around them
        # (a permalink "¶", a "[>" bullet, quotes the declared headline does without), but with
        # the full stop or question mark that ends the headline
        if len(declared) < len(headline) and not _ends_sentence(headline, declared):
            return declared
        return headline
    if d in h and len(d.split()) >= 3:
        end = h.find(d) + len(d)
        truncated = end < len(h) and h[end].isalnum()
        if truncated or (h.startswith(d) and not _tail_is_extra(headline, len(d.split()))):
            return headline  # the declared title is the headline's start, shortened for search
        return declared
    if h in d and headline.rstrip().endswith(":"):
        return declared  # the visible headline is only its first line ("Kicker:")
    return headline


def _ends_sentence(headline: str, declared: str) -> bool:
    """Whether the headline ends in a sentence mark ("?", ".", "!") that the declared title lacks."""
    end = headline.rstrip()[-1:]
    return bool(end) and end in _SENTENCE_END and not declared.rstrip().endswith(end)


_SENTENCE_END = frozenset(".?!…")


def _tail_is_extra(headline: str, words: int) -> bool:
    """Whether what the headline prints after its first ``words`` words is an appendage set off by
    a separator, a bracket or a date ("| Site", "(site.com)", "• 02.02.2022"), not the rest of the
    headline (": a subtitle")."""
    tokens = list(_WORD.finditer(headline))
    if len(tokens) <= words:
        return True
    tail = headline[tokens[words - 1].end() :].lstrip()
    return not tail or tail[0] in "|–—·•»›/-([" or tail[0].isdigit()


_WORD = re.compile(r"[^\W_]+")


# ------------------------------------------------------------------------------------ people


def _ld_people(value: Any, ld: Structured) -> tuple[list[str], list[str]]:
    """(persons, organisations) named by a JSON-LD author value."""
    persons: list[str] = []
    orgs: list[str] = []
    for item in _ld_items(value, ld):
        if isinstance(item, dict):
            name = text_of(item.get("name"))
            if not name:
                given, family = text_of(item.get("givenName")), text_of(item.get("familyName"))
                name = " ".join(filter(None, [given, family])) or None
            if not name:
                continue
            kind = str(item.get("@type") or "").lower()
            if "organization" in kind or "organisation" in kind:
                orgs.append(name)
            else:
                found = split_authors(declared_cased(name), strict=False)
                persons.extend(found)
                if not found and " " in name and name != name.lower() and len(name) <= 60:
                    orgs.append(name)  # "FOCUS online" declared a person: a newsroom credit
        elif isinstance(item, str) and not item.startswith("http"):
            persons.extend(split_authors(clean_text(item), strict=False))
    return persons, orgs


def _ld_items(value: Any, ld: Structured) -> Iterator[Any]:
    """The items of a JSON-LD author value (one or a list, the first 20), references resolved."""
    for item in (value if isinstance(value, list) else [value])[:20]:
        yield ld.resolve(item)


def _ld_authors(ev: _Evidence) -> tuple[list[str], list[str]]:
    """(persons, organisations) of the JSON-LD article; another block describing the article with
    the same writers and more (all its authors where the first names one) wins."""
    if not ev.ld.article:
        return [], []
    persons, orgs = _ld_people(ev.ld.get("author"), ev.ld)
    known = {p.casefold() for p in persons}
    for other in ev.ld.articles:
        if other is not ev.ld.article and known:
            more, _ = _ld_people(other.get("author"), ev.ld)
            if known < {p.casefold() for p in more}:
                persons, known = more, {p.casefold() for p in more}
    return persons, orgs


def _authors(ev: _Evidence, meta: Metadata) -> list[str]:
    not_names = [n for n in [*ev.site_names, meta.section or ""] if n]
    persons, orgs = _ld_authors(ev)
    # (source, whether the page declares its names as the author: markup or a "By" label, not
    # merely an element classed "author", which may be the site's header)
    sources = [
        # an agency the JSON-LD credits beside its writers is an author too ("Jane Doe", "dpa")
        (lambda: persons + [o for o in orgs if is_agency(o)] if persons else [], True),
        (lambda: _microdata_authors(ev), True),
        (lambda: _meta_authors(ev), True),
        (lambda: _labelled_author(ev), True),
        (lambda: _visible_byline(ev, meta.title), False),
        (lambda: _byline_line(ev, meta.title), True),
        (lambda: _signed_body(ev), True),
        (lambda: orgs, True),
    ]
    credited = _credited_otherwise(ev)
    as_site = _site_authors(ev)

    def names_of(source: Callable[[], list[str]]) -> tuple[list[str], list[str]]:
        found = [_site_form(n, as_site) for n in source() if n.casefold() not in credited]
        names = _drop_sites(found, not_names)
        if len(names) > 1:
            names = _drop_extended(_drop_newsroom(names, ev.site_names))
        return found, names

    named_as_site: list[str] = []
    for i, (source, declares) in enumerate(sources):
        found, names = names_of(source)
        if names and i < _PRINTED and all(_is_login(n) for n in names) and not _is_thread(ev):
            # a CMS login declared ("jdoe", "jane.doe") where the page prints the writer's full name
            # (in a forum's thread the login is the poster's name, and the page prints no other)
            for printed, _ in sources[_PRINTED : _PRINTED + 2]:
                full = names_of(printed)[1]
                if full and all(" " in n for n in full):
                    return full[:10]
        if names:
            return names[:10]
        named_as_site = named_as_site or (found if declares else [])
    # nobody else is named: the author the page declares, even when it is the site itself (a
    # personal blog named after its author, a newsroom credit "ORF.at", a company's own blog)
    declared = [_site_form(n, as_site) for n in persons] or [
        o for org in orgs if len(o := clean_text(org)) <= 80 and "://" not in o
    ]
    return _drop_sites(declared or named_as_site, [meta.section or ""])[:10]


_PRINTED = 4  # the index of the first source read from the visible page in ``_authors``


def _is_login(name: str) -> bool:
    """An account's login ("jdoe", "KatieS", "andrew.keaveney"), not a one-word name ("Tine"): one
    ASCII token, in lower case, with a capital inside, or with digits or punctuation."""
    if " " in name or not name.isascii() or is_agency(name):
        return False
    return name[:1].islower() or any(c.isupper() for c in name[1:]) or not name.isalpha()


def _credited_otherwise(ev: _Evidence) -> set[str]:
    """Names the page credits with other work only ("Editor: Jane Doe", "Reviewed by"): no writers,
    wherever declared, unless a byline of their own names them too (an editor who also writes)."""
    credited = {n.casefold() for text in ev.page.other_credits() for n in split_authors(text)}
    if credited:
        credited -= {n.casefold() for _, text, _ in ev.page.bylines(-1) for n in split_authors(text)}
    return credited


def _drop_newsroom(names: list[str], site_names: list[str]) -> list[str]:
    """Beside a person, a credit named after the site is the newsroom ("Jane Doe, MDR THÜRINGEN")."""
    sites = {_squash(s.split(".")[0] if "." in s and " " not in s else s) for s in site_names}
    sites.discard("")
    kept = [n for n in names if _squash(n.split()[0]) not in sites or is_agency(n)]
    # "Adam Aaronson PhillyVoice": a name that ends in the site's name is the name
    kept = [_without_last(n) if len(n.split()) >= 3 and _squash(n.split()[-1]) in sites else n for n in kept]
    return dedupe(kept) or names


def _site_authors(ev: _Evidence) -> list[str]:
    """The authors the page's markup declares that are the site itself, as declared ("Luxury Travel Expert"
    of theluxurytravelexpert.com, "Audiophile On" of audiophileon.com)."""
    raw = [v for key in _AUTHOR_METAS for v in ev.metas.every(key)]
    raw.append(_written_by(ev))
    raw += (ev.micro.get("author.name") or ev.micro.get("author") or [])[:10]
    for item in _ld_items(ev.ld.get("author"), ev.ld) if ev.ld.article else ():
        if isinstance(item, dict):
            raw.append(text_of(item.get("name")) or "")
        elif isinstance(item, str):
            raw.append(item)
    sites = _site_keys(ev.site_names)
    return dedupe([" ".join(v.split()) for v in raw if v and _squash(v) in sites and not is_agency(v)])


def _site_form(name: str, site_authors: list[str]) -> str:
    """The site, as the markup declares it the author, where ``name`` is it without words the byline reader
    cuts as a label or role ("Luxury Travel" of "Luxury Travel Expert", "Audiophile" of "Audiophile On"): an
    organisation's name is kept as given. A shorter form the markup declares itself ("Soliant" of
    "Soliant Health") stays as it is."""
    words = name.casefold().split()
    for site in site_authors:
        full = site.split()
        if len(full) <= len(words) or len(full) > 6:
            continue
        lowered = [w.casefold() for w in full]
        if lowered[: len(words)] == words:
            extra = lowered[len(words) :]
        elif lowered[-len(words) :] == words:
            extra = lowered[: -len(words)]
        else:
            continue
        if all(w in word_list("byline_noise.txt") or w in word_list("roles.txt") for w in extra):
            return site
    return name


def _drop_extended(names: list[str]) -> list[str]:
    """Without a name that is another one with words after it: the byline read twice, once with
    the role or employer that follows the name ("Jane Doe Sports", "Jane Doe")."""
    keys = [n.casefold().split() for n in names]
    return [
        n
        for n, k in zip(names, keys, strict=True)
        if not any(len(o) < len(k) and k[: len(o)] == o and len(o) >= 2 for o in keys)
    ]


def _without_last(name: str) -> str:
    return name.rsplit(None, 1)[0]


def _microdata_authors(ev: _Evidence) -> list[str]:
    micro = ev.micro.get("author.name") or ev.micro.get("author") or []
    names = [n for raw in micro[:10] for n in split_authors(raw, strict=False)]
    # many names, or names that come back: the posts of a thread, whose first is the article's
    return names[:1] if _many_posters(names) else names


def _many_posters(names: list[str]) -> bool:
    distinct = {n.casefold() for n in names}
    return len(distinct) > 4 or len(distinct) < len(names)


_POSTINGS = ("discussionforumposting", "socialmediaposting", "comment", "question")


def _is_thread(ev: _Evidence) -> bool:
    """A forum's or a social site's thread: the JSON-LD says so, or its microdata names many posters."""
    kind = str((ev.ld.article or {}).get("@type") or "").lower()
    micro = ev.micro.get("author.name") or ev.micro.get("author") or []
    return any(p in kind for p in _POSTINGS) or _many_posters(micro[:10])


#: ``<meta>`` names and properties that name the writer, most used first (the Open Graph ones are not in the
#: protocol, but publishers declare them; ``citation_author`` is Google Scholar's)
_AUTHOR_METAS = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "og:article:author",
    "og:author",
    "cxenseparse:author",
    "citation_author",
)


def _meta_authors(ev: _Evidence) -> list[str]:
    # "Deutsche Welle (www.dw.com)", "example.com developer": the site credited, not a writer
    hosts = [s.lower() for s in ev.site_names if "." in s and " " not in s]
    for key in _AUTHOR_METAS:
        values = [v for v in ev.metas.every(key) if not any(h in v.lower() for h in hosts)]
        names = [n for v in values if not v.startswith("http") for n in split_authors(declared_cased(v))]
        if names:
            return names
    return []


_WRITTEN_BY = frozenset(
    [
        "written by",
        "verfasst von",
        "geschrieben von",
        "escrito por",
        "écrit par",
        "scritto da",
        "door",
        "autor",
    ]
)


def _labelled_author(ev: _Evidence) -> list[str]:
    """The writer in a "Written by" pair of ``twitter:label1``/``twitter:data1`` (WordPress SEO plugins)."""
    return split_authors(_written_by(ev))


def _written_by(ev: _Evidence) -> str:
    """The value of the "Written by" pair of ``twitter:labelN``/``twitter:dataN`` (N up to 4), else of
    ``twitter:misc:written by``: the writer as the page's SEO plugin states it."""
    for n in range(1, 5):
        label = (ev.metas.get(f"twitter:label{n}") or "").casefold().strip(" :")
        if label in _WRITTEN_BY:
            return ev.metas.get(f"twitter:data{n}") or ""
    return ev.metas.get("twitter:misc:written by") or ""


def _drop_sites(names: list[str], not_names: list[str]) -> list[str]:
    """Names that are not the site, its host or its section (a blog's author may share its domain's words)."""
    banned = _site_keys(not_names)
    return [n for n in names if is_agency(n) or _squash(n) not in banned]


def _site_keys(site_names: list[str]) -> frozenset[str]:
    """The site's names as ``_squash`` compares them: as given, without "The", a host without its suffix."""
    keys = set()
    for name in site_names:
        keys.add(_squash(name))
        keys.add(_squash(name.removeprefix("the ").removeprefix("The ")))
        if "." in name and " " not in name:
            keys.add(_squash(name.rsplit(".", 1)[0]))
    keys.discard("")
    return frozenset(keys)


def _visible_byline(ev: _Evidence, title: str | None) -> list[str]:
    """Names in the byline nearest after the headline (else nearest before it)."""
    names: list[str] = []
    last = -10
    day: str | None = None
    for pos, text, strong in ev.page.bylines(_headline_pos(ev, title)):
        if names and (pos < 0 or abs(pos - last) > 3):
            break  # names come from one byline, not from every author box on the page
        dated = find_date(text)
        if names and dated and day and dated[:10] != day[:10]:
            break  # a byline of another day: the next story of a list
        day = day or dated
        if names and not strong and ends_in_role(text):
            continue  # the title printed under the name ("EdTech Content writer"), no second writer
        found = split_authors(text, strict=not strong)
        if found:
            seen = {x.casefold() for x in names}
            names.extend(n for n in found if n.casefold() not in seen)
            last = pos
    return names[:8]


_BY_LINE = re.compile(
    r"^(?:(?:posted|written|words|story|text|reported|published)\s+|"
    r"(?:ein(?:e)?\s+)?(?:gast)?(?:beitrag|artikel|kommentar|analyse|reportage|interview)\s+)?"
    r"(?:by|von|par|por|di|door|av|af|przez|text|autor|autorin|author|auteur|autore)\b\s*:?\s+(?P<names>.{2,150})$",
    re.I,
)


def _byline_line(ev: _Evidence, title: str | None) -> list[str]:
    """A "By Jane Doe" line among the few blocks after the headline (pages that mark up nothing)."""
    cands = ev.doc.candidates
    first = _headline_index(ev, title)
    fallback: list[str] = []
    starts: list[int] = [first] if first is not None else []
    starts += [i for i in ev.h1_blocks if i != first][:2]
    for start in starts:
        for cand in cands[max(0, start - 3) : start + 15]:
            text = _spaced_by(cand.text.lstrip("-–—•·* "))
            m = _BY_LINE.match(text)
            if m and len(text) <= 160:
                names = split_authors(m.group("names").split(" on ")[0])
                if names:
                    return names
                # a name and the site's buttons after it ("By A. J. Neal View In Digital Edition"): the
                # flattened-text path's byline reader cuts the line at the interface words; taken only
                # when no line reads as a byline whole
                fallback = fallback or _byline_names(text)
            if len(text) <= 80 and cand.kind != "embed" and find_date(text):
                # "11.12.2019 - Amelie Loevenich": a dateline that signs the story (an embedded post's
                # "— Jane Doe (@jdoe) May 2, 2020" signs the post)
                rest = remove_dates(text, " ").strip(" -–—|·•,/")
                names = split_authors(rest) if 2 <= len(rest.split()) <= 4 else []
                if len(names) == 1 and " " in names[0]:
                    return names
    # "Written by" / "Autor:" alone on its line, the name on the next (author boxes), or an
    # "Autorin/Autor Jane Doe" line of an article's fact list, wherever it is printed
    for cand, nxt in itertools.pairwise(cands[:600]):
        if _BY_LABEL.match(cand.text) and not FURNITURE.search(_path(ev, cand)) and len(nxt.text) <= 60:
            names = split_authors(nxt.text)
            if names:
                return names[:3]
        m = (_AUTHOR_FIELD.match(cand.text) or _cjk_field(cand.text)) if len(cand.text) <= 80 else None
        if m and not FURNITURE.search(_path(ev, cand)):
            names = split_authors(m.group("names"))
            if names:
                return names[:3]
    return fallback


def _signed_body(ev: _Evidence) -> list[str]:
    """Writers who sign the article with their names in bold as a paragraph of their own, at the top of the
    body or at its end (``<p><strong>Jane Doe</strong></p>``, "Jane Doe/John Roe"), on a page that declares
    itself an article and names nobody else: one to three names of two words or more, none made of words
    the body prints in lower case ("Key Takeaways"), none the site's. The signature is the byline, so it
    leaves the body."""
    kept = [c for c in ev.doc.candidates if c.kept]
    declared = (ev.metas.get("og:type") or "").lower() == "article" or bool(ev.ld.article)
    if len(kept) < 4 or not declared:  # a landing page's testimonial is signed in bold too
        return []
    edges = [c for c in (*kept[:3], *kept[-2:]) if len(c.text) <= 80 and not c.text.endswith(":")]
    if not edges:
        return []
    bold = set()
    for node in ev.doc.tree.css("p > strong, p > b"):
        text = " ".join(node.text().split())
        if len(text) <= 80 and " ".join((node.parent.text() or "").split()) == text:
            bold.add(text)
    prose = None
    for cand in edges:
        if cand.text not in bold:
            continue
        names = _drop_sites(split_authors(cand.text.replace("/", " and ")), ev.site_names)
        if not names or len(names) > 3 or any(" " not in n for n in names):
            continue
        prose = prose or " " + " ".join(c.text for c in kept) + " "
        if not any(common_words(n, prose) for n in names):
            cand.kept, cand.role, cand.reason = False, "byline", "the writers' names signing the article"
            return names
    return []


def _byline_names(text: str) -> list[str]:
    from .metadata_text import byline_names  # the text path's reader of a whole byline line

    return byline_names(text)


def _spaced_by(text: str) -> str:
    """ "ByJane Doe" as "By Jane Doe": the label and the name in two inline elements the page's style sheet
    spaces apart (``<span>By</span><span>Jane Doe</span>``), read without a space between them."""
    if text.startswith("By") and text[2:3].isupper() and text[3:4].islower():
        return "By " + text[2:]
    return text


_AUTHOR_FIELD = re.compile(
    r"^(?:autorin|autor|author|auteur|autore|verfasser|verfasserin)(?:\s*/\s*(?:autorin|autor|author)s?)?"
    r"(?:\(?(?:in|en|s)\)?)?\s*:?\s+(?P<names>.{2,70})$",
    re.I,
)


#: "（责编：牛镛、岳弘彬）", "【纠错】 责任编辑： 焦鹏": Chinese portals credit a story at its end, in brackets.
_CJK_FIELD = re.compile(
    r"(?:^|[\s(（【\[])(?:责任编辑|责编|作者|记者|撰文)\s*[：:]\s*"
    r"(?P<names>[^\s()（）【】\[\]][^()（）【】\[\]]{0,40}?)\s*[)）】\]]?$"
)


def _cjk_field(text: str) -> re.Match[str] | None:
    """``_CJK_FIELD`` in ``text``, searched only when a character every label of it holds is there."""
    return _CJK_FIELD.search(text) if "编" in text or "者" in text or "撰" in text else None


_BY_LABEL = re.compile(
    r"^(?:(?:article|story|post)\s+)?(?:written\s+by|by|author|autor|autorin|auteur|verfasst\s+von)\s*:?$",
    re.I,
)


def _path(ev: _Evidence, cand: Any) -> str:
    """A block's container path ("div[article body] p"), from the layout the parse stage made."""
    layout = ev.doc.extras.get("layout")
    return layout.path(cand.container) if layout is not None and cand.container >= 0 else cand.path


def _headline_index(ev: _Evidence, title: str | None) -> int | None:
    """Index of the headline among the page's blocks: the ``<h1>`` agreeing with the title, else the first;
    on a page whose blocks hold no ``<h1>`` of their own (its text sits in a ``<center>`` or ``<span>``
    inside one, or old markup has none), the first block agreeing with the title."""
    cands = ev.doc.candidates
    h1s = ev.h1_blocks
    agreeing = [i for i in h1s if title and _agrees(cands[i].text, title)]
    found = agreeing or h1s
    if not found and title:
        found = [i for i, c in enumerate(cands[:200]) if len(c.text) < 300 and _agrees(c.text, title)][:1]
    return found[0] if found else None


def _headline_pos(ev: _Evidence, title: str | None) -> int:
    for pos, text in ev.page.headlines:
        if title and _agrees(text, title):
            return pos
    return ev.page.headlines[0][0] if ev.page.headlines else -1


# ------------------------------------------------------------------------------------ dates

_PUBLISHED_METAS = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "published_time",
    "published",
    "published-date",
    "publish-date",
    "publishdate",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "datepublished",
    "originalpublicationdate",
    "article.published",
    "displaydate",
    "dc.date.created",
    "created",
)
#: Names a CMS may fill with any date of the document (often its last change), not necessarily its
#: publication: a dateline the page prints by the headline is preferred to them when no other tag speaks.
_GENERIC_METAS = frozenset(("date", "dc.date", "dcterms.date"))
#: Names fewer sites use, and RDFa's prefixed forms (Drupal writes property="dc:date dc:created"): read
#: after the date the page prints, which they contradict more often than the names above do.
_RARE_PUBLISHED_METAS = (
    "og:article:published_time",
    "shareaholic:article_published_time",
    "cxenseparse:recs:publishtime",
    "cxenseparse:publishtime",
    "prism.publicationdate",
    "dcsext.articlefirstpublished",
    "bt:pubdate",
    "publish_date",
    "pub_date",
    "pdate",
    "schema:datepublished",
    "dcterms:issued",
    "dc:date",
    "dcterms:created",
    "dc:created",
    "schema:datecreated",
)
_MODIFIED_METAS = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "modified_time",
    "last-modified",
    "dcterms.modified",
    "datemodified",
    "lastmod",
    "og:article:modified_time",
    "shareaholic:article_modified_time",
    "bt:moddate",
    "date.modified",
    "date.updated",
    "last_updated_date",
    "schema:datemodified",
    "dcterms:modified",
    "dc:modified",
)


def _dates(ev: _Evidence) -> tuple[str | None, str | None]:
    day_first = _day_first(ev)

    def parse(value: str | None) -> str | None:
        return parse_date(value, not_after=ev.fetched, day_first=day_first) if value else None

    def first(values: Iterable[str | None]) -> str | None:
        return next((d for d in (parse(v) for v in values) if d), None)

    def one_day(key: str) -> str | None:
        """A microdata date, unless the page's items give several days (a list of other articles)."""
        found = [d for d in (parse(v) for v in ev.micro.get(key, [])[:20]) if d]
        return found[0] if len({d[:10] for d in found}) == 1 else None

    declared, generic = _declared(ev, parse, one_day("datePublished"))
    utc = bool(declared) and len(declared or "") > 10 and (declared or "").endswith(("+00:00", "Z"))
    # the visible dates are read only when needed: no declared date, a UTC one or a generic one to check
    printed = list(ev.page.dates(_headline_pos(ev, None))) if not declared or utc or generic else []
    visible = [(parse(v), mod) for v, mod in printed]
    visible_pub = next((v for v, mod in visible if v and not mod), None)
    if generic:
        # a lone <meta name="date"> is often the document's last change: a dateline by the headline wins
        declared = _dateline(ev, parse) or visible_pub or declared
    url_day = date_from_url(_unwrap_archive(ev.base), not_after=ev.fetched) if not declared else None
    published = (
        declared
        or _agree_with_url(
            visible_pub
            or first(ev.metas.get(k) for k in _RARE_PUBLISHED_METAS)
            or _dateline(ev, parse)
            or url_day
            or _lead_date(ev, parse)
            or _dateline(ev, parse, after=150, before=20, kept_only=True)
            or _embedded_date(ev),
            url_day,
        )
        or _short_year_date(ev, printed, day_first)
    )
    modified = first(
        [
            ev.ld_str("dateModified"),
            one_day("dateModified"),
            *(ev.metas.get(k) for k in _MODIFIED_METAS),
        ]
    ) or next((v for v, mod in visible if v and mod), None)
    if declared and visible_pub:
        published = _local_day(declared, visible_pub)
    if (
        declared
        and utc
        and published == declared
        and (url_local := date_from_url(_unwrap_archive(ev.base), not_after=ev.fetched))
    ):
        published = _local_day(declared, url_local)  # a URL spells the day of the publisher's own clock
    if modified and published and modified[:10] < published[:10]:
        modified = None  # an "update" before publication is a wrong reading
    return published, modified


#: A text that ends with a date of two-digit year, and perhaps its time ("Party, 30.10.23", "3/09/15 8:00am")
_ENDS_SHORT_YEAR = re.compile(
    r"(?<![\w.])\d{1,2}([./])\d{1,2}\1\d{2}(?:,?\s+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|uhr|h)?)?\s*$", re.I
)


def _short_year_date(ev: _Evidence, printed: list[tuple[str, bool]], day_first: bool | None) -> str | None:
    """A date printed with a two-digit year at the end of a date element or of a short line by the headline
    ("Party, 30.10.23", "Von: A. Autor | 31.10.23"). Read only when no other source gives a date, and only
    where it ends the text: "14.11.12 Error-correcting conditions" (a chapter number) and "Das Magazin am
    01.07.17 (Podcast)" (another story's link) are not dates of the page. ``printed``: the date elements'
    (value, is_modified) pairs, as ``_dates`` read them."""

    def parse(value: str | None) -> str | None:
        if not value or not _ENDS_SHORT_YEAR.search(value):
            return None
        return parse_date(value, not_after=ev.fetched, day_first=day_first, loose=True)

    visible = (parse(v) for v, mod in printed if not mod)
    return next((d for d in visible if d), None) or _dateline(ev, parse)


def _declared(ev: _Evidence, parse: Any, micro_day: str | None) -> tuple[str | None, bool]:
    """The publication date the markup declares (JSON-LD > microdata > ``<meta>``), and whether only a
    generic ``<meta>`` (``_GENERIC_METAS``) declares it. Each declaration is parsed once."""
    values = [
        (ev.ld_str("datePublished"), False),
        (micro_day, False),
        *((ev.metas.get(k), k in _GENERIC_METAS) for k in _PUBLISHED_METAS),
        (ev.ld_str("dateCreated"), False),
        (ev.ld_str("uploadDate"), False),
    ]
    found = [(day, generic) for value, generic in values if value and (day := parse(value))]
    return _printed_or_first(ev, parse, [day for day, _ in found]), bool(found) and all(g for _, g in found)


def _printed_or_first(ev: _Evidence, parse: Any, found: list[str]) -> str | None:
    """The first declared publication date (``found``, parsed), unless the declarations disagree on the day:
    then the first whose day the page prints by its headline (a CMS that re-stamps one tag at each edit, a
    template's stale JSON-LD), else the first as before."""
    if len({d[:10] for d in found}) <= 1:
        return found[0] if found else None
    printed = _printed_days(ev, parse)
    return next((d for d in found if d[:10] in printed), found[0])


def _printed_days(ev: _Evidence, parse: Any) -> set[str]:
    """The days written as text (not in attributes) in the date elements and short lines around the
    headline, those marked as updates left out (a declared date the page prints as its update is one)."""
    days = {d[:10] for d in map(parse, ev.page.printed_dates(_headline_pos(ev, None))) if d}
    start = _headline_index(ev, None)
    if start is not None:
        days.update(d[:10] for d in _short_line_dates(ev, parse, start))
    return days


def _agree_with_url(printed: str | None, url_day: str | None) -> str | None:
    """A printed "03/10/2023" read one way while the URL spells the other (".../2023/10/03/"): the URL's."""
    if printed and url_day and printed[:4] == url_day[:4] and printed[5:7] == url_day[8:10] != url_day[5:7]:
        return url_day if printed[8:10] == url_day[5:7] else printed
    return printed


_DATELINE_WORDS = 14


def _dateline(
    ev: _Evidence, parse: Any, *, after: int = 8, before: int = 4, kept_only: bool = False
) -> str | None:
    """A short line with a date among the blocks around the headline (unmarked datelines).

    ``kept_only`` looks further, but only at the body and the lines the body stage kept near it
    (a date at the foot of the article), never at rails and comment threads.
    """
    cands = ev.doc.candidates
    start = _headline_index(ev, None)
    if start is None:
        start = next((i for i, c in enumerate(cands) if c.kept), None)
        if start is None:
            return None
    return next(_short_line_dates(ev, parse, start, after=after, before=before, kept_only=kept_only), None)


def _short_line_dates(
    ev: _Evidence, parse: Any, start: int, *, after: int = 8, before: int = 4, kept_only: bool = False
) -> Iterator[str]:
    """The dates of the short lines (not update lines) among the blocks from ``before`` blocks before
    block ``start`` to ``after`` blocks after it, in page order (``_dateline`` says what ``kept_only`` does)."""
    for cand in ev.doc.candidates[max(0, start - before) : start + after]:
        text = cand.text
        if len(text) > 160 or len(text.split()) > _DATELINE_WORDS:
            continue  # the cheapest test first: most blocks are paragraphs
        if _MODIFIED_WORDS.search(text):
            continue
        found = parse(text)
        # the container's path last: it costs more to build and search than a short line to parse, and few
        # lines give a date (the tests only filter, so their order changes nothing)
        if found and not (kept_only and not cand.kept and _furniture_path(_path(ev, cand))):
            yield str(found)


def _furniture_path(path: str) -> bool:
    return bool(FURNITURE.search(path)) or "footer" in path


_LEAD_SEPARATOR = re.compile(r"\s[-–—]\s|\)\.?\s|:\s")


def _lead_date(ev: _Evidence, parse: Any) -> str | None:
    """A date that opens one of the article's first paragraphs ("29.11.2022 – The council...",
    "Karlsruhe, (12.11.2021). The ..."): a dateline printed in the body."""
    kept = [c for c in ev.doc.candidates if c.kept and c.kind == "paragraph"][:3]
    for cand in kept:
        m = _LEAD_SEPARATOR.search(cand.text[:50])
        head = cand.text[: m.start() + 1] if m else ""
        if head and len(head.split()) <= 5:
            found = parse(head)
            if found:
                return str(found)
    return None


_EMBEDDED_KEYS = (
    "datePublished",
    "publishDate",
    "publishedDate",
    "published_at",
    "publishedAt",
    "date_published",
    "firstPublished",
    "publicationDate",
    "publication_date",
    "pubDate",
)
_EMBEDDED_VALUE = re.compile(r'\w*["\']?\s*[:=]\s*["\']([^"\'<>]{8,40})["\']')


#: What all ``_EMBEDDED_KEYS`` but "pubDate" hold, and where: one scan of the page for it finds them all.
_EMBEDDED_STEM = "ubli"
_STEMMED_KEYS = tuple((key, key.index(_EMBEDDED_STEM)) for key in _EMBEDDED_KEYS if _EMBEDDED_STEM in key)


def _embedded_date(ev: _Evidence) -> str | None:
    """A publication date in the page's scripts (``__NEXT_DATA__``, app state, analytics objects): after
    each key in turn, the first value of its first five (non-overlapping) occurrences that reads as one."""
    content = ev.doc.page.content
    stemmed = _stemmed_positions(content)
    for key in _EMBEDDED_KEYS:
        tries = 0
        free = 0  # where the next occurrence may start
        for pos in stemmed.get(key, []) if _EMBEDDED_STEM in key else _positions(content, key):
            if pos < free:
                continue
            if tries == 5:
                break
            m = _EMBEDDED_VALUE.match(content, pos + len(key))
            found = parse_date(m.group(1), not_after=ev.fetched) if m else None
            if found:
                return found
            free = pos + len(key)
            tries += 1
    return None


def _stemmed_positions(content: str) -> dict[str, list[int]]:
    """Where each key of ``_STEMMED_KEYS`` starts in ``content``, in order.

    A page reaches this last fallback in one case of four, and is often large (300,000 characters):
    one scan instead of one per key.
    """
    out: dict[str, list[int]] = {}
    stem = content.find(_EMBEDDED_STEM)
    while stem >= 0:
        for key, offset in _STEMMED_KEYS:
            start = stem - offset
            if start >= 0 and content.startswith(key, start):
                out.setdefault(key, []).append(start)
        stem = content.find(_EMBEDDED_STEM, stem + len(_EMBEDDED_STEM))  # the stem cannot overlap itself
    return out


def _positions(content: str, key: str) -> list[int]:
    """Where ``key`` starts in ``content``, in order."""
    out = []
    pos = content.find(key)
    while pos >= 0:
        out.append(pos)
        pos = content.find(key, pos + 1)
    return out


_MODIFIED_WORDS = re.compile(r"(?i)updat|aktualisiert|geändert|mis à jour|actualiz|aggiornat|last revis")


def _local_day(declared: str, visible: str) -> str:
    """A UTC timestamp whose day is one off the day the page prints: the printed (local) day wins.

    Only when the printed date can be the same moment in some time zone (UTC-12 to UTC+14): a printed
    time with an offset must name the same instant, one without an offset must differ from UTC by a
    zone's offset (to the minute), a day alone must be reachable from the UTC hour.
    """
    if len(declared) <= 10 or not declared.endswith(("+00:00", "Z")) or declared[:10] == visible[:10]:
        return declared
    if re.match(r"T00:00(?::00(?:\.0+)?)?(?:Z|\+00:00)$", declared[10:]):
        return declared  # a date written as midnight UTC names that day, not an instant
    try:
        utc = datetime.fromisoformat(declared.replace("Z", "+00:00"))
        shown = datetime.fromisoformat(visible)
    except ValueError:
        return declared
    if len(visible) <= 10:
        gap = (shown.date() - utc.date()).days
        hours = utc.hour + utc.minute / 60
        reachable = (gap == 1 and hours >= 24 - _MAX_AHEAD) or (gap == -1 and hours < _MAX_BEHIND)
        return visible if reachable else declared
    if shown.tzinfo is not None:
        return visible if abs((shown - utc).total_seconds()) <= 60 else declared
    # a printed time may leave out the seconds: compare to the minute, zones are whole quarter hours
    minutes = (shown - utc.replace(tzinfo=None, second=0, microsecond=0)).total_seconds() / 60
    zone_like = (
        -_MAX_BEHIND * 60 <= minutes <= _MAX_AHEAD * 60 and abs(minutes - 15 * round(minutes / 15)) <= 1
    )
    return visible if zone_like else declared


_MAX_AHEAD, _MAX_BEHIND = 14, 12  # hours: the world's time zones run from UTC-12 to UTC+14


_DAY_FIRST_ENGLISH = ("gb", "uk", "au", "nz", "ie", "in", "za", "sg", "pk", "ng", "ke")


def _day_first(ev: _Evidence) -> bool | None:
    """Whether "03/04/2020" means 3 April here: everywhere but American English."""
    lang = _declared_language(ev)
    if lang is None:
        return None
    if lang != "en":
        return True
    node = ev.doc.tree.css_first("html")
    attrs = node.attributes if node is not None else {}
    # the first English locale with a region ("en-GB" in lang or xml:lang, "en_GB" in og:locale)
    for value in (
        attrs.get("lang"),
        attrs.get("xml:lang"),
        ev.metas.get("og:locale"),
        ev.ld_str("inLanguage"),
    ):
        language, _, region = (value or "").lower().replace("_", "-").partition("-")
        if language == "en" and region:
            return region in _DAY_FIRST_ENGLISH or None
    return day_first_for("en", _unwrap_archive(ev.base))  # else the host's country ("example.co.uk")


# ------------------------------------------------------------------------------------ section, tags


def _section(ev: _Evidence, title: str | None) -> str | None:
    section = (
        ev.ld_str("articleSection")
        or ev.metas.first("article:section", "section", "parsely-section", "category", "article.section")
        or _unlabelled(ev.micro_first("articleSection"))
    )
    if section and "," in section:
        parts = [p.strip() for p in section.split(",")]
        section = next((p for p in parts if p.casefold() not in _GENERIC_SECTIONS), parts[0])
    if section and len(section) <= 60 and not section.startswith("http"):
        return section
    categories = ev.page.categories()
    if categories:
        return categories[0]
    for crumbs in _breadcrumbs(ev):
        picked = _section_from_crumbs(crumbs, ev.site_names, title)
        if picked:
            return picked
    return None


#: The label a blog prints before the post's categories or tags, inside the element that carries the
#: ``itemprop`` ("Posted in News", "Tagged jobs, stack overflow"): the element's text is read as the value.
_FILING_LABEL = re.compile(
    r"^[^\w/]*(?:posted in|filed (?:under|in)|tagged(?: with| as)?|tags|categor(?:y|ies)|kategorien?|"
    r"schlagw(?:orte|örter)|stichw(?:orte|örter)|etiquetas|mots-clés)(?:\s*:\s*|\s+)",
    re.I,
)


def _unlabelled(value: str | None) -> str | None:
    """A microdata value without the label its element prints before it; None when only the label is left."""
    if not value:
        return value
    return _FILING_LABEL.sub("", value, count=1) or None


_GENERIC_SECTIONS = frozenset(
    [
        *"aktuell aktuelles news home posts post articles article highlight highlights featured top".split(),
        *"uncategorized allgemein blog startseite".split(),
        *("à la une", "top stories", "latest news"),
    ]
)


def _breadcrumbs(ev: _Evidence) -> Iterable[list[str]]:
    for crumb_list in ev.ld.of_type("breadcrumblist"):
        items = crumb_list.get("itemListElement")
        if isinstance(items, list):
            names = []
            ordered = sorted(
                (i for i in items if isinstance(i, dict)),
                key=lambda i: int(str(i.get("position"))) if str(i.get("position", "")).isdigit() else 0,
            )
            for item in ordered:
                name = text_of(item.get("name")) or text_of(item.get("item"))
                if name and not name.startswith("http"):
                    names.append(name)
            yield names
    yield from ev.page.crumbs()


_HOME = frozenset(
    "home homepage start startseite accueil inicio portada home page главная 首页 news nachrichten".split()
)


def _section_from_crumbs(crumbs: list[str], site_names: list[str], title: str | None) -> str | None:
    items = [
        c
        for c in crumbs
        if c.casefold() not in _HOME and not _is_site(c, site_names) and not (title and _agrees(c, title))
    ]
    items = [c for c in items if len(c) <= 40 and len(c.split()) <= 5]
    return items[0] if items else None


def _tags(ev: _Evidence) -> list[str]:
    keywords = ev.ld.get("keywords")
    if isinstance(keywords, list):
        tags = [t for k in keywords if (t := text_of(k))]
        if len(tags) == 1 and "," in tags[0]:
            tags = split_tags(tags[0])
    elif isinstance(keywords, str) and keywords.strip():
        tags = split_tags(clean_text(keywords)) if re.search(r"[,;|]", keywords) else [clean_text(keywords)]
    else:
        tags = []
    declared = ev.metas.every("article:tag")
    if len(declared) == 1 and "," in declared[0]:
        declared = split_tags(declared[0])  # all the tags in one article:tag, comma-separated
    tags = tags or declared
    if not tags and ev.micro.get("keywords"):
        tags = split_tags(_unlabelled(ev.micro["keywords"][0]) or "")
    if not tags:
        lists = ev.page.tag_lists()
        tags = max(lists, key=len) if lists else []
    for key in ("news_keywords", "keywords"):
        if not tags and ev.metas.get(key):
            tags = split_tags(ev.metas[key])
    cleaned = (_TAG_NOISE.sub("", " ".join(t.split())).strip(" #,;") for t in tags)
    return [t for t in cleaned if t and len(t) <= 80][:50]


_TAG_NOISE = re.compile(r"^#\s*|\s*\(\d[\d.,]*(?:\s+\w+)?\)$")


# ------------------------------------------------------------------------------------ images


def _images(ev: _Evidence) -> list[Image]:
    base = ev.base
    lead_url = ev.metas.first(
        "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"
    )
    lead = Image(url=join_url(base, lead_url)) if lead_url else None
    media = ev.marked.media if ev.marked is not None and ev.marked.walked else None
    images = _merge_images(lead, figures(ev.page, base, ev.doc.tree, media), list(_ld_images(ev)))
    declared = data_pictures(ev.ld.of_type("imageobject"), ev.doc.extras.get("json_data", []))
    fill_from_data(images, declared, _image_key)
    for image in images:
        if image.credit and not names_someone(image.credit):
            image.credit = None  # a teaser's date, a video's running time, a price where a credit would be
    # a caption that neither a picture nor a credit came to: a teaser's or a widget's caption-classed text;
    # a credit alone that a picture of the page carries already: a lightbox's copy
    credited = {i.credit for i in images if i.url and i.credit}
    return [i for i in images if i.url or (i.credit and (i.caption or i.credit not in credited))]


def _ld_images(ev: _Evidence) -> Iterable[Image]:
    value = ev.ld.get("image") if ev.ld.article else None
    items = value if isinstance(value, list) else [value]
    for item in items[:20]:
        item = ev.ld.resolve(item)
        if isinstance(item, str):
            yield Image(url=join_url(ev.base, item))
        elif isinstance(item, dict):
            url = text_of(item.get("url")) or text_of(item.get("contentUrl"))
            caption = text_of(item.get("caption")) or text_of(item.get("description"))
            credit = clean_credit(
                text_of(item.get("creditText"))
                or text_of(item.get("copyrightHolder"))
                or text_of(item.get("author"))
                or text_of(item.get("creator"))
                or ""
            )
            if caption and not credit:
                caption, credit = _split_declared_credit(caption)
            if url or caption:
                yield Image(url=join_url(ev.base, url) if url else None, caption=caption, credit=credit)


def _split_declared_credit(caption: str) -> tuple[str | None, str | None]:
    """A declared caption that carries its credit ("коллаж: Jane Doe", "Caption. Foto: X"), split as printed ones are."""
    text, credit = split_credit(caption)
    return text or None, clean_credit(credit or "")


def _image_key(url: str | None) -> str:
    """An image's identity across its sizes: the file name without size/format suffixes."""
    if not url:
        return ""
    path = split_url(url).path.rstrip("/")
    folder, _, name = path.lower().rpartition("/")
    name = re.sub(r"\.(?:jpe?g|png|webp|gif|avif)$", "", name)
    ids = [n for n in _PICTURE_ID.findall(name) if not _DATE_NUMBER.fullmatch(n)]
    if ids:
        # "409956368_1757422506_v16_9_1600" and "…_v4_3_800", "1200x675_cmsv2_…-8368274" and "1920x1080_…":
        # the picture's number names it; its renditions differ in sizes and ratios only (numbers, not words)
        return "/".join(ids) + "/" + _DIGITS.sub("", name)
    # "…_1200x630.jpg", "wide__360x202__mobile__scale_2": a size, then anything after it
    name = re.sub(
        r"[-_](?:\d{2,4}x\d{2,4}|w\d{2,4}|\d{2,4}w|scaled|large|medium|small|thumb)(?![a-z\d]).*$", "", name
    )
    name = _RENDITION.sub("", name)
    if len(name.strip("-_")) < _NAMED_FILE:
        # a rendition's name ("wide__1300x731", "original"): the picture is named by its folder
        name = f"{folder.rsplit('/', 1)[-1]}/{name}"
    return name.strip("/") or path


_NAMED_FILE = 6
#: a picture's number in its file name: seven digits or more (sizes and ratios have four at most, a date
#: written "220125" six), and not a date written "20220125"
_PICTURE_ID = re.compile(r"(?<!\d)\d{7,}(?!\d)")
_DATE_NUMBER = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_DIGITS = re.compile(r"\d+")
#: a rendition named after the file ("meteorit142_v-contentxl", "feuerwehr-222~_v-gseagaleriexl"): the
#: Sophora CMS of the German public broadcasters and the sites built on it
_RENDITION = re.compile(r"~?_v-[a-z\d]+$")


def _merge_images(lead: Image | None, shown: list[Image], declared: list[Image]) -> list[Image]:
    """Lead first; one entry per image (by file name, else caption), captions filled from duplicates.

    Pictures the page ``shown`` under one file name with different captions stay apart (a lazy-loading
    placeholder under each); a ``declared`` (JSON-LD) image only fills in what the page left open.
    """
    out: list[Image] = []
    by_key: dict[str, Image] = {}
    on_page = {id(img) for img in shown}
    for img in [*([lead] if lead else []), *shown, *declared]:
        # the caption first: under one placeholder file, the same caption is the same picture
        keys = [k for k in (_norm(img.caption)[:80], _image_key(img.url)) if k]
        known = next((by_key[k] for k in keys if k in by_key), None)
        if known is not None and id(img) in on_page and _other_caption(known, img):
            known = None
        if known is None and id(img) not in on_page and _restates(img, out):
            continue  # a declared crop (1:1, 4:3, 16:9) of a picture the page shows
        if known is None:
            known = Image(url=img.url, caption=img.caption, credit=img.credit)
            out.append(known)
        else:
            known.url = known.url or img.url
            if id(img) not in on_page:
                _split_at_declared(known, img.caption)
            known.caption = known.caption or img.caption
            known.credit = known.credit or img.credit
        for key in (_image_key(known.url), _norm(known.caption)[:80]):
            if key:
                by_key.setdefault(key, known)
    return out[:50]


def _split_at_declared(shown: Image, declared: str | None) -> None:
    """ "Caption / Jane Doe / Agency": where the declared caption ends, the printed credit begins."""
    if not shown.caption or not declared or shown.credit:
        return
    if shown.caption.startswith(declared) and len(shown.caption) > len(declared):
        rest = shown.caption[len(declared) :].strip(" /|-–—,;")
        if rest and len(rest) <= 120:
            shown.caption, shown.credit = declared, clean_credit(rest)


def _restates(img: Image, images: list[Image]) -> bool:
    """Whether a declared image carries only a caption or credit that a listed image already has."""
    caption, credit = _norm(img.caption), _norm(img.credit)
    if not caption and not credit:
        return False
    return any(
        (not caption or caption == _norm(other.caption)) and (not credit or credit == _norm(other.credit))
        for other in images
    )


def _other_caption(known: Image, img: Image) -> bool:
    """Whether two images with one file name carry different captions (so are different pictures)."""
    if not known.caption or not img.caption:
        return False
    a, b = _norm(known.caption), _norm(img.caption)
    return not (a.startswith(b[:40]) or b.startswith(a[:40]))


# ------------------------------------------------------------------------------------ the rest


def _site_name(ev: _Evidence) -> str | None:
    name = (
        ev.metas.get("og:site_name")
        or _publisher(ev.ld)
        or next(
            (text_of(s.get("name")) for s in ev.ld.of_type("website") if text_of(s.get("name"))),
            None,
        )
        or ev.metas.first("application-name", "apple-mobile-web-app-title")
    )
    return name if name and len(name) <= 80 else None


def _publisher(ld: Structured) -> str | None:
    pub = ld.resolve(ld.get("publisher"))
    if isinstance(pub, list):
        pub = ld.resolve(pub[0]) if pub else None
    if isinstance(pub, dict) and not _is_person(pub):
        return text_of(pub.get("name"))
    return None


def _is_person(obj: dict[str, Any]) -> bool:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v.lower().endswith("person") for v in values)


def _description(ev: _Evidence) -> str | None:
    declared = (
        ev.metas.first("og:description", "description", "twitter:description", "dc.description")
        or ev.ld_str("description")
        or None
    )
    if declared:
        return declared
    # no declared teaser: the article's first paragraph is its excerpt
    first = next(
        (c.text for c in ev.doc.candidates if c.kept and c.kind == "paragraph" and len(c.text.split()) >= 8),
        None,
    )
    return first


def _canonical(ev: _Evidence) -> str | None:
    node = ev.doc.tree.css_first('link[rel="canonical"]')
    href = node.attributes.get("href") if node is not None else None
    href = href or ev.metas.get("og:url") or ev.ld_str("url")
    if not href or href.startswith(("javascript:", "data:")):
        return None
    return join_url(ev.base, href.strip())


def _declared_language(ev: _Evidence) -> str | None:
    node = ev.doc.tree.css_first("html")
    values = [
        node.attributes.get("lang") if node is not None else None,
        node.attributes.get("xml:lang") if node is not None else None,
        ev.metas.get("content-language"),
        ev.metas.get("og:locale"),
        ev.ld_str("inLanguage"),
        ev.metas.get("language"),
        ev.metas.get("dc.language"),
    ]
    for value in values:
        code = (value or "").strip().replace("_", "-").split("-")[0].split(",")[0].lower()
        if 2 <= len(code) <= 3 and code.isalpha():
            return code
    return None


def _language(ev: _Evidence) -> str | None:
    return _declared_language(ev)


def _declared_paywall(ev: _Evidence) -> bool:
    """The page says its content is not free: schema.org, ``content_tier``, or a paywall element."""
    for obj in [ev.ld.article, *ev.ld.objects[:50]]:
        if str(obj.get("isAccessibleForFree", "")).lower() in ("false", "0", "no"):
            return True
        part = obj.get("hasPart")
        parts = part if isinstance(part, list) else [part]
        if any(
            isinstance(p, dict) and str(p.get("isAccessibleForFree", "")).lower() == "false" for p in parts
        ):
            return True
    tier = (ev.metas.get("article:content_tier") or "").lower()
    if tier in ("locked", "metered"):
        return True
    if _words_reach(ev.doc.candidates, _TEASER_WORDS):
        return False  # a long body is no teaser, whatever the page says: skip the search
    if ev.marked is not None:
        return ev.marked.paywall
    return ev.doc.tree.css_first(_PAYWALL_MARKERS) is not None


_TEASER_WORDS = 250


def _words_reach(candidates: list[Any], limit: int) -> bool:
    """Whether the kept blocks hold at least ``limit`` words, counted only as far as needed."""
    words = 0
    for cand in candidates:
        if cand.kept:
            words += len(cand.text.split())
            if words >= limit:
                return True
    return False


_PAYWALL_MARKERS = (
    "[class*=paywall i], [id*=paywall i], [class*=premium-content i], [class*=subscriber-only i], "
    "[class*=piano-offer i], [class*=plus-teaser i], [class*=regwall i]"
)
