"""Metadata of flattened text: headline, byline and dateline chosen by small learned models, the rest read
off the roles the body stage gave to lines.

Three models (``text_title``, ``text_byline``, ``text_date``) score the lines above and around the body
start: each line's own features, where it sits relative to the body the body stage found, and whether
its shape already says byline or dateline. The best line above a floor wins. Without the models (a
checkout without ``models/``) the body stage's heuristic roles are used. Names and dates then go
through the same normalisers as HTML (``metadata.split_authors``, ``dates.parse_date``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from ..article import Candidate, Document, Image
from ..model import load_model
from .body_text import mark_headline_block
from .dates import day_first_for, find_date, is_plausible, parse_date, remove_dates
from .metadata import (
    Metadata,
    agency_names,
    common_words,
    detect_language,
    is_agency,
    split_authors,
    split_tags,
    word_list,
)
from .text import TAG_HEADS, TAGS_LINE, LineFeatures, credit_of, labelled_credit, word_count
from .text_trees import Packed, pack, scores
from .urls import split_url

__all__ = [
    "FIELD_COLUMNS",
    "FIELD_NAMES",
    "byline_names",
    "clean_title",
    "date_in_url",
    "field_candidates",
    "field_matrix",
    "from_text",
    "joint_features",
]

FIELD_COLUMNS = (
    "words",
    "log_chars",
    "title_words",
    "upper",
    "end_sentence",
    "end_colon",
    "digits",
    "stopwords",
    "repeats",
    "shared_phrases",
    "kw_by",
    "kw_time",
    "kw_month",
    "kw_day",
    "kw_nav",
    "kw_media",
    "dated",
    "headline_like",
    "first_upper",
    "seps",
    "cjk",
    "position",
    "group_size",
    "group_pos",
    "prev1_dated",
    "next1_dated",
    "prev1_logw",
    "next1_logw",
    "next1_prose",
    "furniture",
    "url_overlap",
    "from_slug",
)
_EXTRA = (
    "to_body",
    "after_body",
    "line",
    "p_body",
    "p_next",
    "role_byline",
    "role_dateline",
    "has_date",
    "date_above",
    "date_below",
    "url_day",
    "updated",
    "by_inside",
    "site_tail",
    "name_like",
    "name_words_common",
    "title_p",
    "to_title",
    "to_date",
)
FIELD_NAMES = (*FIELD_COLUMNS, *_EXTRA)
_NO_LINE = -50.0  # to_title, to_date of a page where the first stage chose no headline or dateline
_FIELDS = ("title", "byline", "dateline")
_FLOORS = {"title": 0.0, "byline": 0.05, "dateline": 0.1}  # least score to be taken (chosen on train pages)
_PROSE_LINES = 60  # body lines whose words tell a page's ordinary words (a bounded cost per page)
_PROSE_CHARS = 8000  # ... and characters of the body text
_BYLINE_WORDS = 30  # the longest line the byline model scores (and learnt from: text_train_fields.py)
_RUNNERS_UP = 2  # byline lines read after the best one when it holds no name
_SURE_BYLINE = 0.5  # a byline model score under which a line that begins "By A" anywhere on the page wins
_EXPLICIT_WORDS = 20  # ... when it is that short
# The by-words a byline begins with ("By A", "Von A", "Par A", "Door A", "Av A", "Przez A"), the labels it
# may begin with instead ("Text: A", "Autorin: A"), and the words before "by" ("Written by A"): the three
# patterns below read a byline's start from them, each with its own additions.
_BY_WORDS = "by|von|par|por|door|av|af|przez"
_BY_LABELS = "text|autor(?:in)?|auteur|author"
_BY_LEADS = "written|words|reported"
# a line that begins with a by-word and a capital: "By A", "Written by: A", "Von A", "Text: A"
_EXPLICIT_BY = re.compile(
    rf"(?i:(?:(?:{_BY_LEADS}|posted|published|story|erstellt|eingestellt|geschrieben|verfasst|artikel|"
    rf"escrito|écrit)\s+)?(?:{_BY_WORDS})|{_BY_LABELS})\s*:?\s+[A-ZÀ-ÞĀ-ŽА-Я]"
)
_SURE_DATELINE = 0.5  # a dateline model score under which a line that says "Published ..." wins
# labels that say the date after them is the publication's: "Published:", "Veröffentlicht am", "Publié le"
_PUBLISHED_WORDS = (
    "published",
    "posted on",
    "publié",
    "publicado",
    "veröffentlicht",
    "erschienen",
    "publiziert",
    "pubblicato",
    "gepubliceerd",
    "opublikowano",
    "erstellt",
)
# ... as a pattern ("originally published" too), before a number
_PUBLISHED = re.compile(
    r"(?i)\b(?:(?:originally\s+)?"
    + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in _PUBLISHED_WORDS)
    + r")\b(?=\D{0,25}\d)"
)
_EXPLICIT_BY_LINE = re.compile("\n" + _EXPLICIT_BY.pattern)
_INTO_BODY = 10  # lines into the body where a byline or a dateline is still looked for
_PUBLISHED_HITS = 40  # lines read for them at most (a page that says "published" everywhere)
_FURNITURE = frozenset(("byline", "dateline", "credit", "caption", "caption_repeat", "tags"))
_UNREAD = ("body", "boilerplate")  # roles the metadata is not read from: most lines of a page
_LANGUAGE_BYTES = 300
_HEAD = 3  # the page's first lines: a <title> flattened at the top, however far above the body
_ABOVE = 40  # lines above the body start that may hold the headline block
_BELOW = 4  # ... and below it (a byline printed after the first paragraph)
_AFTER = 8  # lines after the body's end
# a by-word followed by a name anywhere in a line: "October 11, 2023 by Autumn Huerter", "Text: A. Writer"
_BY_INSIDE = re.compile(
    r"(?:^|[\s|•·,])(?i:by|von|par|por|di|door|av|af|przez|text:|autor(?:in)?:|author:)\s*[A-ZÀ-ÞА-Я@]"
)
# ... or a user's handle after a date or a "published" label: "Veröffentlicht am 12. Juni 2017 von gizzmo",
# "Posted in News by damianduchamps on August 3, 2019" (an article word after "by" is no handle: "by the")
_BY_HANDLE = re.compile(
    r"(?i:\b(?:posted|published|veröffentlicht|publiziert|erstellt|eingestellt|geschrieben)\b|\d)"
    r"[^\n]{0,60}?(?:^|[\s|•·,])(?i:by|von|par|por)\s+"
    r"(?!(?:the|a|an|his|her|their|our|der|die|das|den|dem|des|ein|eine|einem|einer|le|la|les|un|une|el|los)\b)"
    r"(?=[a-z][\w.-]+(?:\s*$|\s*[|•·,;/–—]|\s+(?:on|am|um|in|at|le|el|à|-)\s))"
)
_URL_DATE = re.compile(r"[/_-]((?:19|20)\d{2})[/-]?(\d{2})[/-]?(\d{2})(?=[/_.-]|$)")
_UPDATED = re.compile(r"(?i)updated|modified|aktualisiert|mis à jour|actualizado|geändert")
_BYLINE_PARTS = re.compile(r"\s*(\||•|·|⋅|—|–|\s-\s|\s//?\s|(?<=[a-zà-ÿ])/(?=[A-ZÀ-Þ])|\n|\x1f)\s*")
# a credit for a picture or a review, not the article's author: "Photo by A", "Foto: A", "Reviewed by A"
_CREDIT = re.compile(
    r"(?i)(?:\b(?:(?:photos?|pictures?|images?|illustrations?|graphics?|videos?|fotos?|bilder?|grafiken?)\s+"
    r"(?:by|von|par|por|di|door|av|af)|(?:medically\s+|fact[- ]?)?(?:reviewed|checked|edited|translated|"
    r"illustrated|photographed)\s+by)\b|(?<![\w-])(?:photos?|pictures?|images?|fotos?|bild|credits?|quelle|"
    r"source)\s*:)[^|•·⋅—–]*"
)
_BY_COLON = re.compile(r"(?i)\b(by|von|par|por)\s*:\s*")  # "Posted by: A" reads as "Posted by A"
_LAST_DOT = re.compile(r"(?<=[a-zà-ÿ]{2})\.$")  # "By Tatyana Turner." ends a sentence, not the name
_NOT_NAMES = re.compile(
    r"(?i)\b(?:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mär(?:z)?|mar(?:ch)?|apr(?:il)?|may|mai|jun(?:e|i)?|jul(?:y|i)?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?)\.?\s+\d|\d"
    r"|\b(?:last\s+(?:updated|modified|reviewed)|published|updated|posted|veröffentlicht|publiziert|aktualisiert|erstellt"
    r"|geändert|publié|min read|ago|minutes?|hours?)\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)\.?,\s|\b(?:kommentare?|comments?|schreibe einen|leave a (?:comment|reply))\b"
)
_JOB_TITLE = re.compile(
    r"(?i),?\s*\b(?:(?:former|senior|chief|political|business|staff|news|sports?|deputy|foreign|special|"
    r"contributing|freelance|science|health|tech(?:nology)?|economics|washington|europe|legal|digital|associate|"
    r"managing|executive|travel|entertainment|crime|royal|showbiz|money|consumer|education|environment|"
    r"weather|culture|film|music|food|motoring|property|political|content|hub|audience|lifestyle|shopping|"
    r"commerce|trends|fashion|beauty|homes|gardening|breaking|general|assistant)\s+){0,3}"
    r"(?:reporter|correspondent|editor|writer|journalist|columnist|contributor|redakteur(?:in)?|"
    r"korrespondent(?:in)?|rédacteur|rédactrice|redactor|periodista|head of|director|founder)s?\b.*$"
)
# a word glued to the end of a name: a byline label, a role or a time word after a lower-case letter
_GLUED_WORD = re.compile(
    r"(?<=[a-zà-ÿ])(?=(?:Published|Updated|Posted|Last|News|Senior|Staff|Chief|Reporter|Correspondent|Editor|"
    r"Writer|Journalist|Columnist|Contributor|Founder|Head|In|On|At|For|Follow|Share|Read|Veröffentlicht|"
    r"Aktualisiert|Stand|Redakteur|Redaktion|Publié|Mis)\b)"
)
# ... or a beat glued before a role: "Sophie FosterTravel News Reporter"
_GLUED_BEAT = re.compile(
    r"(?<=[a-zà-ÿ])(?=(?:Travel|Entertainment|Crime|Royal|Showbiz|Money|Consumer|Education|Politics|Political|"
    r"Business|Sports?|Health|Science|Culture|Music|Food|Property|Weather)\s+(?:News\s+)?"
    r"(?:Reporter|Editor|Correspondent|Writer)\b)"
)
_GLUED_BY = re.compile(r"^([Bb]y|[Vv]on|[Pp]ar|[Pp]or)(?=[A-ZÀ-Þ][a-zà-ÿ])")
# two page elements flattened without a space: "Sarah LazareTwitter", "Dan Jervis-BardyThe West Australian".
# Three lower-case letters before the capital keep "McDonald", "MacFarlane" and "DeSantis" whole, a word
# before the glued one keeps a brand ("ServiceTitan", "Posted by FlowGuard") whole.
_GLUED_PARTS = re.compile(r"(\b[A-ZÀ-Þ][\w'’.-]*\s+[A-ZÀ-Þ][\w'’-]*?[a-zà-ÿ]{3})(?=[A-ZÀ-Þ][a-zà-ÿ])")
_GLUE = "\x1f"  # the separator _unglue puts between such elements
_DATE_MARK = "\x1e"  # where _after_date found a date
# a run of dates, times and separators: "\x1e // ", "\x1e Uhr, "
_AFTER_DATE = re.compile(r"^(?:[\s\x1e/|·•,;:–—-]|\b(?i:uhr|h|am|pm|gmt|utc|[ecmp][sd]t|cet|cest)\b)*")
_GLUED_DIGIT = re.compile(r"(?<=[a-zà-ÿ])(?=\d)")
_DANGLING = re.compile(r"(?i)[\s,;:(]*(?:\b(?:on|in|am|um|le|el|il|at|de|du)\b[\s,]*)*$")
_NAME_WORD = r"(?:[A-ZÀ-ÞĀ-ŽА-Я][\w'’.-]*|de|da|dos|van|von|der|den|del|la|le|di|du|al|bin|ter)"
_NAME_LINE = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}")  # two to five words, each a name's
_DIGIT = re.compile(r"\d")
_TRAILING_PREP = re.compile(
    r"\s+(?:in|on|at)$", re.I
)  # "May 18, 2023 By Sara Harberson In": a category follows
_WORKS_FOR = re.compile(r"(?i)\s+(?:for|für|pour|para|in|at)\s+\S.*$")
_WITH = re.compile(r"(?i)\s+(?:with|mit|avec|con)\s+.*$")  # "By A with Agencies", "Von A mit AP": the agency
#: The separators a <title> puts between the headline and the site's name, » aside (it ends a French quotation).
_SEPS = r"(?:[|–—-]|::|//|·|•)"
# what a <title> puts between the headline and the site's name: "Headline | Site", "Headline - The Site"
_TITLE_SEP = re.compile(rf"\s+(?:{_SEPS}|»)\s+")
# at the end only (a leading dash opens a quotation in Scandinavian headlines: "- Angsten vil øke"), and not
# », which French prints as a closing quotation mark after a space
_DANGLING_SEP = re.compile(rf"\s+{_SEPS}$")
#: a separator or a date before the headline, with the flattening's or the site's nothing before it
#: ("| Headline", "23.01.2022 - Headline"); not a dash alone (it opens a quotation in Scandinavian headlines)
_LEADING = re.compile(
    rf"^(?:(?:[|·•]|::|//)|(?:\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})\s+{_SEPS})\s+"
)
_CRUMB_SEP = re.compile(r"\s+[»›>/]\s+")
_HOME = frozenset({"home", "start", "startseite", "accueil", "inicio", "inizio", "首页"})
_TAIL_WORDS = 6  # a site's name is short; a longer tail is part of the headline
_HOST_NOISE = frozenset({"www", "com", "org", "net", "co", "de", "uk", "html", "news"})
# the start of a byline before its names: a by-word (Italian "di" too; "byby" as a flattening doubles it), or
# a label and a colon ("Reporter: A" too), or a CJK reporter's word
_NAME_PREFIX = re.compile(
    rf"^(?:(?:(?:(?:{_BY_LEADS}) )?by(?:by)?|{_BY_WORDS}|di)(?:\s*:\s*|\s+)|"
    rf"(?:{_BY_LABELS}|reporter)\s*:\s*|autorin/autor\s+|(?:記者|记者|作者|撰文)\s*)",
    re.I,
)

# a by-word alone on its line: the page printed it and the name in two elements
_BARE_BY = re.compile(rf"(?i)^\s*(?:(?:(?:{_BY_LEADS}) )?by|{_BY_WORDS}|{_BY_LABELS})\s*:?\s*$")
_NAME_WORDS = 6  # the longest line read as the name under a bare by-word


def from_text(doc: Document, body_text: str) -> Metadata:
    meta = Metadata()
    cands = doc.candidates
    feats: LineFeatures | None = doc.extras.get("features")
    chosen = _pick_fields(doc, feats) if feats is not None and feats.n else {}
    roles: dict[str, list[Candidate]] = {}
    for cand in cands:
        if cand.role not in _UNREAD:
            roles.setdefault(cand.role, []).append(cand)
    if "title" in roles:
        title = roles["title"][0].text
        # clean_title reads the other lines only for a headline with a separator in it (most have none)
        others = {c.text for c in cands if c.role != "title"} if _TITLE_SEP.search(title) else set()
        meta.title = clean_title(title, doc.page.url, others)
        if cands and roles["title"][0] is not cands[0]:
            meta.title = without_kicker(meta.title, clean_title(cands[0].text, doc.page.url))
    elif cands:
        meta.title = first_line_title(cands, doc.page.url)
        if meta.title:  # the headline, not the body's first line
            cands[0].kept, cands[0].role = False, "title"
            cands[0].reason = "headline: the first line, a <title> (no other line was taken for the headline)"
    if "dek" in roles:
        meta.description = _repair_teaser(roles["dek"][0].text, body_text)
    # around: the text around the body, when the byline's search read it (the dateline's reads it too)
    meta.authors, around = _authors(doc, roles, chosen, meta.title)
    meta.language = _language(body_text, meta.title)
    day_first = day_first_for(meta.language, doc.page.url)
    datelines = roles.get("dateline", [])
    if "dateline" in chosen:  # the model's dateline is the published date; others may say "updated"
        datelines = [cands[chosen["dateline"]]] + [c for c in datelines if c is not cands[chosen["dateline"]]]
    if doc.extras.get("dateline_score", 1.0) < _SURE_DATELINE and not any(
        _PUBLISHED.search(c.text) for c in datelines[:1]
    ):
        # a weak choice gives way to a line that says "Published ..."
        around = around or _around_body(cands)
        said = _published_lines(around, cands)
        datelines = [cands[i] for i in _lines_saying(said, cands)] + datelines
    for cand in datelines:
        m = _PUBLISHED.search(cand.text)  # "Updated 11 May 2024, originally published 9 May 2024"
        text = cand.text[m.start() :] if m else cand.text
        iso = parse_date(text, not_after=doc.page.fetched_at, day_first=day_first, loose=True)
        if not iso:
            continue
        if meta.published:
            meta.modified = meta.modified or iso
        elif not meta.published:
            meta.published = iso
    if not meta.published and "byline" in roles:
        # one line may be both ("von Klaus-Peter Schöppner, 8.5.12"): the byline that named the authors dates the
        # post too, unless it dates an update
        line = roles["byline"][0].text
        folded = line.casefold()
        if any(name.casefold() in folded for name in meta.authors) and not _UPDATED.search(line):
            meta.published = parse_date(line, not_after=doc.page.fetched_at, day_first=day_first, loose=True)
    if not meta.published:
        day = date_in_url(doc.page.url)
        if day and is_plausible(day, not_after=doc.page.fetched_at):
            meta.published = day
    meta.images = _pictures(cands)
    for cand in roles.get("tags", [])[:1]:
        m = TAGS_LINE.match(cand.text)
        if m:
            page_text = "\n".join(c.text for c in cands if c.role != "tags")
            meta.tags = split_tags(m.group("tags"), page_text)
    if not meta.tags:
        meta.tags = _tags_block(cands)
    meta.site_name = _text_site_name(cands, doc.page.url, meta.title)
    if "breadcrumb" in roles:
        meta.section = _section_from_crumb(roles["breadcrumb"][0].text, meta.site_name)
    return meta


#: A tags list's heading on a line of its own, the tags one a line under it ("Topics", "THEMEN", "Schlagworte").
_TAGS_HEAD = re.compile(
    rf"(?i)^(?:{TAG_HEADS}"
    r"|thema|sujets|argomenti|onderwerpen|emner|ämnen|aiheet|mehr lesen über|read more about)\s*:?$"
)
_TAG_WORDS = 4  # a tag is a name: "Donald Trump", "US politics", "Prominente auf Mallorca"
_TAGS_MAX = 20


def _tags_block(cands: list[Candidate]) -> list[str]:
    """The tags a heading line ("Topics") lists under it, one a line: short lines without a sentence's end or
    a widget's words, two at least, up to the first line that is not one. None from the body's own lines."""
    for k, cand in enumerate(cands):
        if cand.kept or len(cand.text) > 30 or not _TAGS_HEAD.match(cand.text.strip()):
            continue
        tags: list[str] = []
        for below in cands[k + 1 : k + 1 + _TAGS_MAX]:
            text = below.text.strip()
            if (
                below.kept
                or word_count(text) > _TAG_WORDS
                or not text
                or text[-1] in ".!?:;,"
                or _interface(text)
            ):
                break  # the list ends: a sentence, a heading, a widget's label ("Share this article")
            tags.append(text)
        if len(tags) >= 2:
            return list(dict.fromkeys(tags))
    return []


def _pictures(cands: list[Candidate]) -> list[Image]:
    """The pictures the text's captions and labelled credit lines ("Foto: A/dpa") describe, in page order. A
    credit line captions the short line above it when that line is neither body nor a field (the caption
    printed, then its credit); a credit line that repeats a caption's credit is that picture's, printed again
    (the seed page prints "(photo credit: …)" after its caption and once more on a line of its own)."""
    found: list[tuple[str, str | None]] = []
    for k, c in enumerate(cands):
        if c.role == "caption":
            found.append(credit_of(c.text))
        elif c.role == "credit" and labelled_credit(c.text):
            caption, credit = credit_of(c.text)
            above = cands[k - 1] if k else None
            if (
                above is not None
                and not above.kept
                and above.role in ("repeat", "boilerplate", "")
                and 2 <= word_count(above.text) <= 40
                and not above.text.endswith(":")
            ):
                caption = above.text
            found.append((caption, credit))
    captioned = {credit.casefold() for caption, credit in found if caption and credit}
    return [
        Image(url=None, caption=caption or None, credit=credit)
        for caption, credit in found
        if caption or (credit and credit.casefold() not in captioned)
    ]


def _authors(
    doc: Document, roles: dict[str, list[Candidate]], chosen: dict[str, int], title: str | None
) -> tuple[list[str], list[tuple[int, str]]]:
    """The article's authors, from the byline the model chose, and the text around the body when it was
    read (the dateline's search reads it too).

    A weak choice gives way to a line that says "By A", then to the names the chosen dateline prints
    beside its date ("23.06.2016 - Markus Reuter - 3 Kommentare"); a choice that holds no name to the
    model's runners-up. Words of the headline (``title``) are no name (``_in_headline``)."""
    cands = doc.candidates
    bylines = (
        [chosen["byline"]] if "byline" in chosen else [cands.index(c) for c in roles.get("byline", [])[:1]]
    )
    around: list[tuple[int, str]] = []
    dated: list[int] = []
    if doc.extras.get("byline_score", 1.0) < _SURE_BYLINE and not any(
        _EXPLICIT_BY.match(cands[i].text) for i in bylines
    ):
        around = _around_body(cands)
        if "dateline" in chosen and chosen["dateline"] not in bylines:
            dated = [chosen["dateline"]]
        bylines = [*_lines_saying(_by_lines(around), cands), *dated, *bylines]
    prose = ""  # the page's text, joined only once a line holds names (on many pages none does)
    for i in [*bylines, *doc.extras.get("byline_next", ())]:
        found = _names_at(cands, i)
        if found and not prose:
            prose = "\n".join(c.text for c in cands)
        names = [
            name
            for name in found
            if not common_words(name, prose)
            and not _interface(name)
            and not (i in dated and _section_like(name))
            and not _in_headline(name, title)
        ]
        if names:
            return names, around
    return [], around


#: A headline that credits its writer: "... – by Jane Doe", "Interview von Jane Doe".
_CREDITS_BEFORE = re.compile(rf"(?i)(?:^|\W)(?:{_BY_WORDS})\s*$")


def _in_headline(name: str, title: str | None) -> bool:
    """Whether a name read from a byline is words of the headline: the line the byline model chose was the
    headline or the page's ``<title>`` printed again ("Backup Strategy", "Install Docker Engine"), or names
    the story's subject ("Tony Blair: why there has to be compromise ..."). Not when the headline credits it
    as its writer, after a by-word or in closing brackets ("Life is a Highway – by Lorraine Weightman", "The
    Fold-and-Cut Problem (Erik Demaine)"). A one-word name is left alone: a blog's handle or a company's name
    is often in its own page's headline."""
    if not title or " " not in name.strip():
        return False
    low = title.lower()
    # its first occurrence as whole words: no letter or digit (``[^\W_]``) on either side
    m = re.search(rf"(?<![^\W_]){re.escape(name.lower())}(?![^\W_])", low)
    if m is None:
        return False
    before = low[: m.start()]
    return not (
        _CREDITS_BEFORE.search(before) or (before.endswith("(") and low[m.end() : m.end() + 1] == ")")
    )


def _language(body_text: str, title: str | None) -> str | None:
    """Language from a sample of the body: the middle of the longest paragraphs is enough and is quick."""
    paragraphs = sorted(body_text.split("\n\n"), key=len, reverse=True)[:3]
    sample = " ".join(p[:200] for p in paragraphs) or (title or "")
    # langid reads bytes: about 300 are enough, and cost the same for CJK (3 bytes a character) as for Latin
    return detect_language(sample.encode("utf-8")[:_LANGUAGE_BYTES].decode("utf-8", "ignore"))


# ----------------------------------------------------------------------------------- field models


def field_candidates(n: int, body_start: int, body_end: int, texts: list[str], url: str | None) -> np.ndarray:
    """Line indexes where headline, byline and dateline are looked for: above and at the start of the body,
    just after its end (many sites print the byline or the date below it), and a first line of the page
    that ends in the site's name (a <title> flattened at the top, however far above the body)."""
    where = np.zeros(n, dtype=bool)
    labels = _host_labels(url)
    where[:_HEAD] = [_site_tail(texts[i], labels) is not None for i in range(min(n, _HEAD))]
    where[max(0, body_start - _ABOVE) : min(n, body_start + _BELOW)] = True
    where[max(0, body_end - 3) : min(n, body_end + _AFTER)] = True
    return where.nonzero()[0]


def field_matrix(
    feats: LineFeatures,
    idx: np.ndarray,
    body_start: int,
    body_end: int,
    p_body: np.ndarray,
    roles: list[str],
    texts: list[str],
    url: str | None = None,
) -> np.ndarray:
    """Features of the candidate lines ``idx`` for the field models: rows ``FIELD_NAMES``, a column per line."""
    m = len(idx)
    x = np.empty((len(FIELD_NAMES), m))
    x[: len(FIELD_COLUMNS)] = feats.rows(FIELD_COLUMNS, idx)
    n = feats.n
    digits = feats["digits"][idx] * feats["chars"][idx]
    words = feats["words"][idx]
    # a date needs a number with a month name, or five digits and more (13.07.2020, 2020年7月13日)
    datable = (words <= 25) & (((feats["kw_month"][idx] > 0) & (digits > 0)) | (digits >= 5))
    dates = [
        find_date(texts[i], loose=True) if ok else None
        for i, ok in zip(idx.tolist(), datable.tolist(), strict=True)
    ]
    url_day = date_in_url(url)
    on_page = np.zeros(n + 2)
    on_page[idx + 1] = [d is not None for d in dates]
    short = (words <= 40).tolist()
    e = {name: len(FIELD_COLUMNS) + k for k, name in enumerate(_EXTRA)}
    # np.minimum(np.maximum(...)) for np.clip: a third of its cost on short arrays
    x[e["to_body"]] = np.minimum(np.maximum(idx - body_start, -60), 10)
    x[e["after_body"]] = np.minimum(np.maximum(idx - body_end, -10), 10)
    x[e["line"]] = np.minimum(idx, 300)
    x[e["p_body"]] = p_body[idx]
    x[e["p_next"]] = p_body[np.minimum(idx + 1, n - 1)]
    at = [roles[i] for i in idx.tolist()]
    x[e["role_byline"]] = [r == "byline" for r in at]
    x[e["role_dateline"]] = [r == "dateline" for r in at]
    x[e["has_date"]] = on_page[idx + 1]
    x[e["date_above"]] = on_page[idx]
    x[e["date_below"]] = on_page[idx + 2]
    x[e["url_day"]] = [-1.0 if not url_day else float(d is not None and d[:10] == url_day) for d in dates]
    x[e["updated"]] = [
        bool(d and _UPDATED.search(texts[i])) for i, d in zip(idx.tolist(), dates, strict=True)
    ]
    x[e["by_inside"]] = [
        bool(ok and _BY_INSIDE.search(texts[i])) for i, ok in zip(idx.tolist(), short, strict=True)
    ]
    labels = _host_labels(url)
    x[e["site_tail"]] = [
        -1.0 if not labels else float(ok and _site_tail(texts[i], labels) is not None)
        for i, ok in zip(idx.tolist(), short, strict=True)
    ]
    few = ((words >= 2) & (words <= 7)).tolist()  # a name and its by-word
    named = [ok and _looks_like_name(texts[i]) for i, ok in zip(idx.tolist(), few, strict=True)]
    x[e["name_like"]] = named
    # the words of the body's first lines, once: where a page prints its ordinary words in lower case
    prose = texts[body_start : min(body_end, body_start + _PROSE_LINES)]
    ordinary = frozenset(" ".join(prose).split()) if any(named) else frozenset()
    x[e["name_words_common"]] = [
        _common_share(texts[i], ordinary) if ok else -1.0 for i, ok in zip(idx.tolist(), named, strict=True)
    ]
    x[e["title_p"]] = 0.0  # the second stage's rows: joint_features fills them
    x[e["to_title"]] = x[e["to_date"]] = _NO_LINE
    return x


def joint_features(
    x: np.ndarray, idx: np.ndarray, start: int, roles: list[str], title: np.ndarray, dateline: np.ndarray
) -> np.ndarray:
    """Fill the byline model's rows that read the first stage: the headline model's score of each line and
    its distance in lines to the best headline and dateline (a byline sits just under the headline, by the
    date; a name line far from them is a rail's). ``title`` and ``dateline`` are the first stage's scores,
    zeroed here where the layout rules a line out; returns the mask of tags lines (no byline either)."""
    at = [roles[i] for i in idx.tolist()]
    furniture = np.array([r in _FURNITURE for r in at], dtype=bool)
    tags = furniture.copy()  # tags lines are furniture: only those few lines are read again
    tags[furniture] = [at[j] == "tags" for j in furniture.nonzero()[0].tolist()]
    dateline[tags] = 0.0  # "Tags: Economy, Ports" is no dateline
    title[furniture | (idx > start)] = 0.0  # the headline is none of the page's furniture, before the body
    e = FIELD_NAMES.index
    x[e("title_p")] = title
    for row, p, floor in (("to_title", title, _FLOORS["title"]), ("to_date", dateline, _FLOORS["dateline"])):
        best = int(np.argmax(p)) if len(p) else 0
        found = len(p) and p[best] > 0 and p[best] >= floor
        x[e(row)] = np.minimum(np.maximum(idx - idx[best], -10), 20) if found else _NO_LINE
    return tags


def _lines_saying(found: list[int], cands: list[Candidate]) -> list[int]:
    """Those of the lines ``found`` that are short and no caption or credit, the nearest to the body's start
    first."""
    start = next((i for i, c in enumerate(cands) if c.kept), 0)
    ok = [
        i
        for i in found
        if i < len(cands)  # a line of the joined text is a candidate: candidates hold no newline
        and cands[i].role not in ("caption", "credit")
        and word_count(cands[i].text) <= _EXPLICIT_WORDS
    ]
    return sorted(ok, key=lambda i: abs(i - start))


def _around_body(cands: list[Candidate]) -> list[tuple[int, str]]:
    """The page's lines joined by newlines in two parts, each with its first line's number: up to a few lines
    into the body (a byline printed after the first paragraph), and from the body's end on (an author box).
    The body's middle holds no byline or dateline and is most of a page's text."""
    kept = [i for i, c in enumerate(cands) if c.kept] or [0]
    a = min(len(cands), kept[0] + _INTO_BODY)
    b = max(a, kept[-1] + 1)
    return [(0, "\n".join(c.text for c in cands[:a])), (b, "\n".join(c.text for c in cands[b:]))]


def _by_lines(parts: list[tuple[int, str]]) -> list[int]:
    """Lines of ``parts`` that begin "By A": one search over each part, whose literal first character makes it
    quicker than a call per line."""
    return [
        first + text.count("\n", 0, m.start())
        for first, text in parts
        for m in _EXPLICIT_BY_LINE.finditer("\n" + text)
    ]


def _published_lines(parts: list[tuple[int, str]], cands: list[Candidate]) -> list[int]:
    """Lines of ``parts`` that say "Published ..." before a number. The label words are found by ``str.find``
    (a regex with a case-blind alternation at every position costs several times more), then each line they
    stand in is read."""
    lines: set[int] = set()
    for first, text in parts:
        low = text.lower()  # lowering keeps every newline, so line numbers hold
        for word in _PUBLISHED_WORDS:
            at = low.find(word)
            while at >= 0 and len(lines) < _PUBLISHED_HITS:
                lines.add(first + low.count("\n", 0, at))
                at = low.find(word, at + len(word))
    return sorted(i for i in lines if i < len(cands) and _PUBLISHED.search(cands[i].text))


def _section_like(name: str) -> bool:
    """Whether a "name" read off a dateline is one capitalised word, as a section beside the date is
    ("2021-10-16 | Botschaft", "March 22nd, 2024 | Reviews |"); a user name there is not ("reineckefuchs",
    "ThE_PaiN")."""
    return " " not in name and name[:1].isupper() and (name[1:].islower() or not name[1:])


def _interface(name: str) -> bool:
    """Whether a "name" holds a word of a site's interface ("Related Articles", "Weitere IT-Trainings")."""
    interface = word_list("interface_words.txt")
    return any(w in interface for w in name.lower().split())


def _common_share(line: str, page_words: frozenset[str]) -> float:
    """Share of a name-like line's words the page also prints in lower case, as ordinary words: high for
    "Get Started" or "Select Page", nil for a person's name."""
    words = _NAME_PREFIX.sub("", line.strip()).split()
    found = sum(w.lower() in page_words for w in words if w[:1].isupper())
    return found / max(1, len(words))


def _looks_like_name(line: str) -> bool:
    """Whether a line is only a person's name, by-word allowed: "Marta Cañete", "By Ann de la Cruz"."""
    line = _NAME_PREFIX.sub("", line.strip())
    return len(line) <= 60 and not _DIGIT.search(line) and bool(_NAME_LINE.fullmatch(line))


def date_in_url(url: str | None) -> str | None:
    """The day a URL path states (/2024/03/05/, /20240305-), or None."""
    if not url:
        return None
    m = _URL_DATE.search(split_url(url).path)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


@lru_cache(maxsize=1)
def _packed_models() -> tuple[Packed, Packed] | None:
    """The headline and dateline models packed for one pass, the byline model (which reads their choices)
    for a second; None when they are missing or read features the field matrix does not have."""
    try:
        models = [load_model(f"text_{name}") for name in ("title", "date", "byline")]
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    if any(not set(m.feature_names) <= set(FIELD_NAMES) for m in models):
        return None  # each model reads its own features: a subset of the field matrix's rows
    return pack(models[:2], FIELD_NAMES.index), pack(models[2:], FIELD_NAMES.index)


def _pick_fields(doc: Document, feats: LineFeatures) -> dict[str, int]:
    """Headline, byline and dateline lines chosen by the field models: {field: line index}."""
    models = _packed_models()
    cands = doc.candidates
    kept = [i for i, c in enumerate(cands) if c.kept]
    if models is None or not kept:
        return {}
    start, end = kept[0], kept[-1] + 1
    texts = [c.text for c in cands]
    idx = field_candidates(len(cands), start, end, texts, doc.page.url)
    free = np.array([not cands[i].kept for i in idx])
    if not free.any():
        return {}
    roles = [c.role for c in cands]
    x = field_matrix(feats, idx, start, end, np.array([c.score for c in cands]), roles, texts, doc.page.url)
    chances = {name: np.zeros(len(idx)) for name in _FIELDS}  # a body line is none of them: not scored
    chances["title"][free], chances["dateline"][free] = scores(models[0], x[:, free])
    printed = _printed_title(texts, doc.page.url)
    if printed is not None and not _above_article(cands, start, printed):
        printed = None
    at = int(np.searchsorted(idx, printed)) if printed is not None else len(idx)
    if at < len(idx) and idx[at] == printed and free[at]:
        chances["title"][at] = 1.0  # the page's own <title> says which line is the headline
    else:
        printed = None
    tags = joint_features(x, idx, start, roles, chances["title"], chances["dateline"])
    # a byline is short (the model learnt from lines of at most 30 words) and no tags line
    short = free & ~tags & (x[FIELD_NAMES.index("words")] <= _BYLINE_WORDS)
    chances["byline"][short] = scores(models[1], x[:, short])[0]
    chosen: dict[str, int] = {}
    for name in ("byline", "dateline", "title"):
        if name == "title":  # nor the line taken as byline or dateline
            for j in chosen.values():  # idx is sorted and holds every chosen line
                chances[name][np.searchsorted(idx, j)] = 0.0
        best = int(np.argmax(chances[name]))
        if name == "byline":
            ranked = np.argsort(-chances[name])[1 : 1 + _RUNNERS_UP]
            doc.extras["byline_next"] = [int(idx[j]) for j in ranked if chances[name][j] >= _FLOORS[name]]
            doc.extras["byline_score"] = float(chances[name][best])
        if name == "dateline":
            doc.extras["dateline_score"] = float(chances[name][best])
        if chances[name][best] > 0 and chances[name][best] >= _FLOORS[name]:
            chosen[name] = int(idx[best])
            what = "headline" if name == "title" else name
            cands[chosen[name]].reason = f"{what}: field model {chances[name][best]:.2f}"
            if name == "title" and chosen[name] == printed:
                cands[printed].reason = "headline: the page's <title> line without the site's name"
    _prefer_printed_title(chosen, cands, texts, doc.page.url, start)
    if "title" in chosen:
        mark_headline_block(cands, chosen["title"], start)
    # one line may be both, "By A. Writer, 3 May 2024": it shows as the byline
    picked = (chosen.get("byline"), chosen.get("dateline"))
    others = [j for j, cand in enumerate(cands) if cand.role in ("dateline", "byline") and j not in picked]
    for name in ("dateline", "byline"):
        if name in chosen:
            for j in others:
                if cands[j].role == name:
                    cands[j].role = "boilerplate"
                    cands[j].reason = f"a {name}, not the article's"
            cands[chosen[name]].role = name
    return chosen


def _printed_title(texts: list[str], url: str | None) -> int | None:
    """The line that prints the page's ``<title>`` without the site's name, if one does.

    A web-archive text record starts with the page's ``<title>`` ("Headline | The Site"); when the part
    before the site's name stands on the page as a line of its own (the printed headline), that line is
    the headline, whatever the field model makes of it."""
    if len(texts) < 2 or not _TITLE_SEP.search(texts[0]):
        return None
    others = set(texts[1:])
    head = clean_title(texts[0], url, others)
    if head == texts[0] or head not in others:
        return None
    return texts.index(head, 1)


def _prefer_printed_title(
    chosen: dict[str, int], cands: list[Candidate], texts: list[str], url: str | None, start: int
) -> None:
    """Take the line that prints the headline part of the page's ``<title>`` (``_title_part``) as the
    headline over the field model's choice, unless the model's headline is itself a part of the
    ``<title>`` that does not hold that line's text (the page's printed headline differs from its
    ``<title>``) and is not the site's name."""
    at = _title_part(texts, url)
    if at is None or at in chosen.values() or not _above_article(cands, start, at):
        return
    part = texts[at]
    if "title" in chosen:
        model = clean_title(texts[chosen["title"]], url, set(texts) - {texts[chosen["title"]]})
        site = _names_host(model, _host_labels(url))
        if model and model in texts[0] and not site and (part not in model or part == model):
            return
    chosen["title"] = at
    cands[at].reason = "headline: the part of the page's <title> line printed as a line of its own"


def _above_article(cands: list[Candidate], start: int, at: int) -> bool:
    """Whether line ``at`` stands above the article's first paragraph (a kept line of ``_PARAGRAPH_WORDS``
    words or more from ``start`` on), or right above a paragraph of it (one within ``_UNDER_HEADLINE`` lines
    under it): a headline does; a copy of it further down is a rail's or a footer's. The second case is a
    page whose menu or promo text was kept above its headline (a mega-menu's program blurbs, a consent
    text): the article begins under the headline all the same."""
    if not any(c.kept and word_count(c.text) >= _PARAGRAPH_WORDS for c in cands[start:at]):
        return True
    return any(
        c.kept and word_count(c.text) >= _PARAGRAPH_WORDS for c in cands[at + 1 : at + 1 + _UNDER_HEADLINE]
    )


def _title_part(texts: list[str], url: str | None) -> int | None:
    """The line that prints the longest part of the page's ``<title>`` line (its first line, as a
    web-archive text record has it) of ``_PRINTED_WORDS`` words or more, once a last part naming the site
    (its host) is cut off: "Headline | Site", "Site - Headline" or the headline alone. None when no line
    prints one."""
    if len(texts) < 2:
        return None
    title = clean_title(texts[0], url)
    seps = list(_TITLE_SEP.finditer(title))
    parts = [title, *(title[m.end() :] for m in seps), *(title[: m.start()] for m in seps)]
    others = set(texts[1:])
    printed = [p for p in parts if p in others and word_count(p) >= _PRINTED_WORDS]
    return texts.index(max(printed, key=len), 1) if printed else _title_retold(texts, title)


def _title_retold(texts: list[str], title: str) -> int | None:
    """The first line that prints the ``<title>``'s headline in other typography (curly quotes where the
    ``<title>`` has straight ones) or without a word the ``<title>`` adds around it ("Chronik: Headline",
    "Headline Rezept"): its words, casefolded, are a run of the title's words, ``_PRINTED_WORDS`` or more
    and at least ``_RETOLD_SHARE`` of them. Only lines about as long as the title are read."""
    key = f" {_title_key(title)} "
    words = key.count(" ") - 1
    low, high = int(_RETOLD_SHARE * len(title)) - 2, len(title) + 2
    for i, text in enumerate(texts):
        # its first characters first: most lines of the right length are not in the title at all
        if i and low <= len(text) <= high and text[:3].translate(_TYPOGRAPHY).casefold() in key:
            line = _title_key(text)
            n = line.count(" ") + 1
            if n >= _PRINTED_WORDS and n >= _RETOLD_SHARE * words and f" {line} " in key:
                return i
    return None


#: What a <title> and the headline printed on the page may differ in: quotation marks, dashes, spaces (also
#: what ``without_kicker`` reads words through).
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "\xa0": " "}
)


def _title_key(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).casefold().split())


_PRINTED_WORDS = 4  # a site's name or a menu item printed again is shorter
_RETOLD_SHARE = 2 / 3  # of the title's words a line that retells it prints
_PARAGRAPH_WORDS = 25  # a body line this long is the article's text, below its headline
# lines under a headline where the article's first paragraph may begin (byline, dateline, dek between)
_UNDER_HEADLINE = 8


# ---------------------------------------------------------------------------------------- values


def clean_title(text: str, url: str | None, others: set[str] | frozenset[str] = frozenset()) -> str:
    """A headline without the site's name a <title> line appends: "Headline | Site News" → "Headline".

    A tail goes when it names the URL's host, or when what is left before it is printed on the page as a
    line of its own (the page's own headline, beside the <title>). A separator with nothing after it
    ("Headline |") goes too."""
    text = _LEADING.sub("", _DANGLING_SEP.sub("", text))
    crumbs = _CRUMB_SEP.split(text)
    if (len(crumbs) >= 3 and word_count(crumbs[-1]) >= 3) or (
        len(crumbs) == 2 and crumbs[0].lower() in _HOME
    ):
        text = crumbs[-1]  # "Blog » News » Headline", "Home / Headline": a breadcrumb before it
    labels = _host_labels(url)
    while True:
        cut = _site_tail(text, labels)
        if cut is None:
            sep = list(_TITLE_SEP.finditer(text))
            head = text[: sep[-1].start()] if sep else ""
            if not head or head not in others or word_count(head) < 2:
                return text
            cut = sep[-1].start()
        text = text[:cut].rstrip()


_ENDS_SENTENCE = re.compile(r"[.!?。！？][\"'”’»)]*$")  # a kept first line that ends so is the text's
#: Words a title line stays under: a longer first line is a sentence of the text, or a menu run together.
_TITLE_LINE_WORDS = 15
_TITLE_LINE_CHARS = 300  # and characters: a line of one long "word" (a hash, a blob) is no title either
#: A first line that is the page's skip link or menu button, not its ``<title>``.
_NOT_TITLE = re.compile(
    r"(?i)^\W*(?:skip to|jump to|zum inhalt|aller au contenu|ir al contenido|menu|menü|navigation)\b"
)


def first_line_title(cands: list[Candidate], url: str | None) -> str | None:
    """The headline when no line was taken for it: the page's first line without the site's name, as a
    web-archive text record prints the page's ``<title>`` there (the HTML path falls back on ``<title>`` as
    well). None when that line is a byline, dateline, credit or tags line, a skip link or a menu, the site's
    name alone (a text that does not start with a ``<title>`` often starts with the masthead), or too long to
    be a title (over 15 words or 300 characters)."""
    first = cands[0]
    if (
        len(first.text) > _TITLE_LINE_CHARS
        or first.role in _FURNITURE
        or _NOT_TITLE.match(first.text)
        or (first.kept and _ENDS_SENTENCE.search(first.text))
    ):
        return None
    others = {c.text for c in cands[1:]} if _TITLE_SEP.search(first.text) else set()
    title = clean_title(first.text, url, others)
    if not 1 <= word_count(title) <= _TITLE_LINE_WORDS:
        return None
    squashed = _SQUASH.sub("", title.lower())
    if any(squashed in label or squashed.removeprefix("the") == label for label in _host_labels(url)):
        return None
    return title


def without_kicker(headline: str, page_title: str) -> str:
    """The headline without a kicker the page printed before it in its own element, which the flattening
    joined to it: "Interne Unterlagen im Netz Daten von Rheinmetall gehackt" under the ``<title>``
    "Interne Unterlagen im Netz: Daten von Rheinmetall gehackt" → "Daten von Rheinmetall gehackt".

    The headline is cut when it ends with the whole ``<title>`` (its site's name cut off) or with a part of
    it before or after a separator or after a colon, of ``_PRINTED_WORDS`` words or more, and what comes
    before that is 1 to ``_KICKER_WORDS`` words with no colon or separator, ending in a letter or digit
    (and more than a short word such as "The"). A kicker the line prints with a colon or a separator after
    it ("Laufen im Winter: Von ...", "Love is War - Sehnsucht") is printed as part of one headline and
    stays: only two elements run together have nothing between them."""
    words = list(_WORD_SPAN.finditer(headline))
    mine = [_word_key(w.group()) for w in words]
    if mine == [_word_key(w) for w in page_title.split()]:
        return headline
    seps = list(_TITLE_SEP.finditer(page_title))
    heads = [page_title[: m.start()] for m in seps]  # "Headline - site.net": a site's name not cut off
    tails = [page_title[m.end() :] for m in [*seps, *_COLON.finditer(page_title)]]
    for part in [page_title, *heads, *tails]:
        theirs = [_word_key(w) for w in part.split()]
        kicker = len(mine) - len(theirs)
        if (
            len(theirs) >= _PRINTED_WORDS
            and 1 <= kicker <= _KICKER_WORDS
            and mine[kicker:] == theirs
            and words[kicker - 1].group()[-1].isalnum()
            and not _TITLE_SEP.search(kicker_text := headline[: words[kicker].start()])
            and ":" not in kicker_text
            and len(kicker_text.strip()) >= _KICKER_CHARS  # "The Best ..." under "Best ...": not a kicker
        ):
            return headline[words[kicker].start() :]
    return headline


_KICKER_WORDS = 6
_KICKER_CHARS = 4
_WORD_SPAN = re.compile(r"\S+")
_COLON = re.compile(r":\s+")


def _word_key(word: str) -> str:
    return word.translate(_TYPOGRAPHY).casefold()


@lru_cache(maxsize=256)
def _host_labels(url: str | None) -> tuple[str, ...]:
    """The distinctive labels of a URL's host as ``_names_host`` compares them, without their hyphens:
    "news.orf.at" → ("orf",), "www.dailystar.co.uk" → ("dailystar",), "handwerk-magazin.de" →
    ("handwerkmagazin",). Cached: a page asks for them several times."""
    host = split_url(url).hostname or ""
    return tuple(_SQUASH.sub("", p) for p in host.split(".") if len(p) >= 3 and p not in _HOST_NOISE)


def _site_tail(text: str, labels: tuple[str, ...]) -> int | None:
    """Where a last part that names the site ("| The Globe and Mail" on theglobeandmail.com) begins, or None."""
    if not labels:
        return None
    sep = list(_TITLE_SEP.finditer(text))
    if not sep:
        return None
    head, tail = text[: sep[-1].start()], text[sep[-1].end() :]
    if word_count(head) < 2 or word_count(tail) > _TAIL_WORDS:
        return None
    return sep[-1].start() if _names_host(tail, labels) else None


def _names_host(text: str, labels: tuple[str, ...]) -> bool:
    """Whether ``text`` spells one of the host's ``labels`` (``_host_labels``), spaces and punctuation aside
    ("The Globe and Mail" on theglobeandmail.com, "Courier" on thecourier.example, "handwerk magazin" on
    handwerk-magazin.de)."""
    squashed = _SQUASH.sub("", text.lower())
    return len(squashed) >= 3 and any(
        label in squashed or (len(squashed) >= 4 and squashed in label) for label in labels
    )


_SQUASH = re.compile(r"\W+")


def byline_names(text: str) -> list[str]:
    """Person names of a byline line: "By A and B, Political Correspondent | 3 May 2024" → ["A", "B"]."""
    text = _BY_COLON.sub(r"\1 ", _unglue(text.strip()))
    credited = _CREDIT.sub(" | ", text)
    if credited != text and not _BY_INSIDE.search(credited) and not _NAME_PREFIX.match(credited):
        return []  # a caption's credit line ("Tanner Fischer. (Photo by Sarah Lazare)")
    text = credited.strip(" |")
    inner = _BY_INSIDE.search(text)
    by_inside = inner is not None and inner.start() > 0
    if inner and by_inside:  # "October 11, 2023 by Autumn Huerter": the names follow the by-word
        text = text[inner.end() - 1 :]
    elif inner is None and (handle := _BY_HANDLE.search(text)):
        text, by_inside = text[handle.end() :], True  # "12. Juni 2017 von gizzmo": a user's handle
    by_led = by_inside or bool(_NAME_PREFIX.match(text))
    text = _NAME_PREFIX.sub("", text)
    names: list[str] = []
    pieces = _BYLINE_PARTS.split(text)  # parts with their separators between them
    for k in range(0, len(pieces), 2):
        part, glued = pieces[k], k > 0 and pieces[k - 1] == _GLUE
        if k and names and (glued or by_led) and not _NAME_PREFIX.match(part):
            break  # "By A. Writer | Fox News", "By A - Associated Press - Friday", "A WriterTwitter"
        cut = _NOT_NAMES.search(part)
        if cut is None:
            names.extend(_part_names(part, by_led=by_led, dated=False))
            continue
        # "Maria Lopez on March 5, 2024": the names end where the date begins
        found = _part_names(_DANGLING.sub("", part[: cut.start()]), by_led=by_led, dated=True)
        if not found and not names:
            # "21. Jan 2022 // Dominik Ricker", "Artikel veröffentlicht am 3. Mai 2024, A": the name after it
            after = _after_date(part)
            end = _NOT_NAMES.search(after)
            found = _part_names(
                _DANGLING.sub("", after[: end.start()] if end else after), by_led=by_led, dated=True
            )
        if not found and names:
            break  # "by A | Mar 11, 2023 | Brakes, Repair": after the date come sections, not names
        names.extend(found)
    return names


def _after_date(part: str) -> str:
    """What follows the first date of a byline part, its time and separators skipped:
    "26. September 2019 Ulrike Stockhausen" → "Ulrike Stockhausen"; "" when it holds no date."""
    marked = remove_dates(part, _DATE_MARK)
    start = marked.find(_DATE_MARK)
    return "" if start < 0 else _AFTER_DATE.sub("", marked[start:]).split(_DATE_MARK, 1)[0]


def _part_names(part: str, *, by_led: bool, dated: bool) -> list[str]:
    """The names in one part of a byline, its roles, employer and agency removed."""
    part = _JOB_TITLE.sub("", part)
    part = _WORKS_FOR.sub("", part)
    part = _WITH.sub("", _NAME_PREFIX.sub("", part.strip()))
    part = _LAST_DOT.sub("", _TRAILING_PREP.sub("", _agency_tail(part)).strip())
    if by_led:
        part = _before_interface(part)
    if not part or word_count(part) > 12:
        return []
    names = [_undouble(name) for name in split_authors(part)]
    if dated and not by_led and len(names) == 1 and " " not in names[0] and not is_agency(names[0]):
        return []  # "Frankfurt, October 23, 2024": a place before the date, not an author
    return names


def _before_interface(part: str) -> str:
    """A by-led part up to a word of the site's interface after the name: "Claudio Kummerfeld Twitter Account"
    → "Claudio Kummerfeld", "Katharina Schmidt Kategorien: Mode" → "Katharina Schmidt"."""
    words = part.split()
    interface = word_list("interface_words.txt")
    for k in range(2, len(words)):
        if words[k].lower().rstrip(":") in interface:
            return " ".join(words[:k])
    return part


_CO_WRITER = re.compile(r"(?:,|;|&|\b(?:and|und|et|y|e|og|och|en|i)\b)$")  # what joins a writer to the next


def _agency_tail(part: str) -> str:
    """ "A and B The Associated Press" → "A and B": an agency printed after the names, without a separator."""
    if is_agency(part):
        return part
    lowered = part.lower()
    for agency in agency_names():  # the longest first: "the associated press" before "associated press"
        if lowered.endswith(" " + agency) and len(lowered) > len(agency) + 3:
            before = lowered[: -len(agency)].rstrip()
            if _CO_WRITER.search(before):
                return part  # "A and AP", "A und B, dpa": the agency is credited beside the writers
            return part[: -len(agency)].rstrip(" ,;")
    return part


def _names_at(cands: list[Candidate], i: int) -> list[str]:
    """The names of byline line ``i``; of a by-word alone ("Von", "By:"), the name printed just below it; of a
    role line alone ("Senior Staff Writer"), the name printed just above it."""
    if _BARE_BY.match(cands[i].text):  # the by-word and the name were two elements of the page
        below = cands[i + 1].text if i + 1 < len(cands) else ""
        # a name's two words first: not a form's "By:" over its menu ("New posts", "Home")
        named = word_count(below) <= _NAME_WORDS and _NAME_LINE.match(below) is not None
        return byline_names(below) if named else []
    names = byline_names(cands[i].text)
    role = _JOB_TITLE.search(cands[i].text)
    if not names and role and i > 0 and word_count(cands[i].text[: role.start()]) <= 1:
        above = cands[i - 1].text
        names = byline_names(above) if word_count(above) <= 5 else []
    return names


def _unglue(text: str) -> str:
    """Words a flattening glued together split again: "Jen MillsPublished", "Lucy ThorntonNews Reporter",
    "byRahimu Fadhili", "Dylan Jones5 hours ago", "Alissa Wilkinson@alissamarie"."""
    text = _GLUED_BY.sub(r"\1 ", text)
    text = _GLUED_BEAT.sub(" ", _GLUED_WORD.sub(" ", text))
    text = _GLUED_PARTS.sub(lambda m: m.group(1) + _GLUE, text)
    return _GLUED_DIGIT.sub(" ", text.split("@", 1)[0] if "@" in text else text)


def _undouble(name: str) -> str:
    """ "Martin Gramnæs Martin Gramnæs" (a picture's alt text beside the name) → "Martin Gramnæs"."""
    words = name.split()
    half = len(words) // 2
    return " ".join(words[:half]) if half and len(words) % 2 == 0 and words[:half] == words[half:] else name


def _repair_teaser(dek: str, body: str) -> str:
    """A teaser cut mid-word ("nce led by …") is restored from the body sentence it repeats."""
    if dek[:1].islower() and dek in body:
        pos = body.index(dek)
        start = max(
            body.rfind(". ", 0, pos) + 2 if body.rfind(". ", 0, pos) >= 0 else 0, body.rfind("\n", 0, pos) + 1
        )
        return body[start : pos + len(dek)].strip()
    return dek


def _text_site_name(cands: list[Candidate], url: str | None, title: str | None) -> str | None:
    """The last part of the first line (the ``<title>``) when it names the host ("Climate change: 5
    innovative solutions | Neste" on neste.com), else the page's first words before a " - " or " | " (a logo
    and tagline), if they recur on the page and are not the headline (``title``) printed again."""
    if not cands:
        return None
    first = cands[0].text
    tail = _site_tail(first, _host_labels(url))
    if tail is not None:
        return _TITLE_SEP.split(first[tail:], 1)[-1].strip() or None
    m = re.match(r"^(.{3,50}?)\s+[-|–—:]\s+", first)
    if m:
        name = m.group(1).strip()
        core = re.sub(r"(?i)^the\s+", "", name)
        # the name holds no line break, so it recurs on a line exactly when it occurs in the joined rest
        recurs = core.lower() in "\n".join(c.text for c in cands[1:]).lower()
        host = split_url(url).hostname or ""
        if (recurs or (host and core.replace(" ", "").lower()[:5] in host)) and not (
            title and _title_key(name) == _title_key(title)
        ):
            return name
    return None


def _section_from_crumb(crumb: str, site_name: str | None) -> str | None:
    parts = [p.strip() for p in re.split(r"\s*[>›»/|]\s*", crumb) if p.strip()]
    if len(parts) > 1:
        parts = [
            p for p in parts if p.lower() not in ("home", "start", "startseite", "accueil", "inicio", "首页")
        ]
        if site_name:
            parts = [p for p in parts if p.lower() not in site_name.lower()]
        return parts[-1] if parts else None
    text = crumb
    if site_name:
        core = re.sub(r"(?i)^the\s+", "", site_name)
        for prefix in (site_name, core):
            if text.lower().startswith(prefix.lower()):
                text = text[len(prefix) :].strip(" -:|")
                break
    return text or None if word_count(text) <= 5 else None
