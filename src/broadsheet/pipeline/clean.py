"""Clean stage: kept candidates → typed body blocks and text; the page's verdict; the explain trace."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..article import Article, Block, Candidate, Decision, Document
from ..errors import Reason
from .metadata import Metadata
from .text import word_count

__all__ = ["assemble", "body_blocks", "is_cookie_notice", "normalise_text"]

_SHORT = 40  # a page with fewer words of text and no headline is not an article
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: what a page prints in place of an embedded post, video or map until the reader consents to load it
_CONSENT = re.compile(
    r"(?i)^(?:empfohlener redaktioneller inhalt|externer inhalt|externen inhalt (?:laden|anzeigen)"
    r"|ich bin (?:damit )?einverstanden, dass mir\b.{0,80}\b(?:inhalte?|angezeigt)"
    r"|an dieser stelle find(?:en sie|est du)\b.{0,60}\bexterne"
    r"|(?:hinweis: )?wenn sie dieses video\b.{0,30}\babspielen, erfolgt eine datenübertragung"
    r"|this (?:content|embed) is (?:hosted|provided) by (?:a )?third[- ]part"
    r"|to (?:view|see|display) this content,? (?:please )?(?:accept|enable|allow)\b"
    r"|ce contenu est (?:bloqué|fourni par)\b)"
)
_NOTICE_WORDS = 80  # a consent notice is short; a paragraph that opens like one and goes on is text
#: the text of a cookie-consent dialog, which a page prints before or after the article (the consent
#: platforms' own wordings: the IAB framework's purposes, the cookie categories, the banner's buttons)
COOKIE_NOTICE = re.compile(
    r"(?i)\bwe,? and our (?:\d[\d,.]* )?(?:partners|vendors)\b|store and/or access information on a device"
    r"|cannot be switched off in our systems|\bwe use cookies\b|\b(?:site|website) uses cookies\b"
    r"|^\W*(?:strictly necessary|functional|performance|targeting|social media|analytics|advertising) cookies\W*$"
    r"|^\W*these cookies (?:allow|enable|may be set|are necessary|are set|collect|track)\b"
    r"|^\W*(?:accept|reject|allow|manage) (?:all )?cookies\W*$"
    r"|\bwir (?:und unsere (?:\d+ )?partner|verwenden cookies|nutzen cookies)\b"
    r"|\bnous (?:et nos partenaires|utilisons des cookies)\b|\b(?:utilizamos|usamos) cookies\b"
)


def is_cookie_notice(text: str, folded: str | None = None) -> bool:
    """Whether the text is a cookie-consent dialog's (``COOKIE_NOTICE``); the regex reads only texts that
    name cookies, partners or devices (it costs some 0.1 ms a paragraph). ``folded``: the text casefolded,
    when the caller has it."""
    low = text.casefold() if folded is None else folded
    # one of these is in every notice's text (tested one by one: a generator over them costs three times this)
    if not ("cookie" in low or "partner" in low or "partenaire" in low or "on a device" in low):
        return False
    return COOKIE_NOTICE.search(text) is not None


def normalise_text(text: str) -> str:
    """NFC, no zero-width characters or soft hyphens, single spaces."""
    if not text.isascii():  # ASCII is NFC and has none of those characters
        text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


#: The body's opening that ``_counted_words`` counts first: 20 characters a word of ``_SHORT`` words.
_OPENING = _SHORT * 20
#: A body whose opening holds at most this many words is no text: a hash, an encoded blob, one giant token
#: cut into pieces. (Scripts written without spaces still count: CJK characters count as words, and Thai puts
#: a space between phrases.)
_BLOB_WORDS = 3


def _counted_words(text: str) -> tuple[int, int]:
    """(words in the body's first ``_OPENING`` characters, ``word_count(text)`` when that is under ``_SHORT``
    or else some count of at least ``_SHORT``): a prefix of a text never holds more words than the text, so a
    long body is not counted to its end."""
    head = word_count(text[:_OPENING])
    return head, head if head >= _SHORT or len(text) <= _OPENING else word_count(text)


def body_blocks(
    candidates: list[Candidate], title: str | None, captions: frozenset[str] = frozenset()
) -> list[Block]:
    """Kept candidates as blocks: normalised, the headline not repeated, no block printed twice.

    A block printed again is the page printing its body or a box again, and goes, unless it is the text
    repeating itself (a refrain, a paragraph quoted again), which stays: in HTML, a copy in the container
    of its first copy, or a lone copy (a text printed twice, its kept neighbours printed once) in a sibling
    container; in flattened text, which has no containers, a copy in the same unbroken run of kept lines."""
    title_key = normalise_text(title).casefold() if title else None
    kept = _kept(candidates)
    times = Counter(key for _, _, key, _ in kept)
    seen: dict[str, tuple[int, ...]] = {}  # where each kept block's text was first put in the body
    blocks: list[Block] = []
    for i, (cand, text, key, where) in enumerate(kept):
        if not blocks and title_key and key == title_key:
            cand.kept, cand.role, cand.reason = (
                False,
                "title",
                "the headline, repeated at the top of the body",
            )
            continue
        if _CONSENT.match(text) and word_count(text) <= _NOTICE_WORDS:
            cand.kept, cand.role, cand.reason = (
                False,
                "notice",
                "a consent notice in place of embedded content",
            )
            continue
        if is_cookie_notice(text, key):
            cand.kept, cand.role, cand.reason = False, "notice", "a cookie-consent dialog's text"
            continue
        if captions and cand.tag != "line" and key in captions:
            cand.kept, cand.role, cand.reason = False, "caption", "a picture's caption (the images carry it)"
            continue
        first = seen.get(key)
        if (
            first is not None
            and word_count(text) >= 6
            and not _repeating_itself(first, where, lone=_lone(kept, times, i))
        ):
            cand.kept, cand.role, cand.reason = False, "repeat", "the same block printed again"
            continue
        seen.setdefault(key, where)
        kind = (
            cand.kind
            if cand.kind in ("paragraph", "heading", "list_item", "quote", "table", "code", "embed")
            else "paragraph"
        )
        blocks.append(Block(kind, text, cand.level))  # positional: cheaper, and called for every block
    return blocks


_Kept = tuple[Candidate, str, str, tuple[int, ...]]  # a kept candidate, its text, its key, where it sits


def _kept(candidates: list[Candidate]) -> list[_Kept]:
    """The kept candidates with text: normalised, casefolded as a key, and where each sits (its containers
    in HTML; in flattened text ``(-1 - run,)``, the run of kept lines it is in: a dropped line ends a run)."""
    kept: list[_Kept] = []
    run = 0
    for cand in candidates:
        if not cand.kept:
            run += 1
            continue
        text = cand.text
        # a line of flattened text is normal already (``text.split_lines``: NFC, single spaces), unless
        # it holds a zero-width character, which only a line with a non-ASCII character can
        if cand.tag != "line" or not (text.isascii() or _ZERO_WIDTH.search(text) is None):
            text = normalise_text(text)
        if text:
            kept.append((cand, text, text.casefold(), (-1 - run,) if cand.tag == "line" else cand.ancestors))
    return kept


def _lone(kept: list[_Kept], times: Counter[str], i: int) -> bool:
    """Is kept block ``i`` one text printed twice among texts printed once: not a body, a box, a carousel
    or an item's furniture printed again, whose neighbours repeat as well, nor a line on every item?"""
    return (
        times[kept[i][2]] == 2
        and (i == 0 or times[kept[i - 1][2]] == 1)
        and (i + 1 == len(kept) or times[kept[i + 1][2]] == 1)
    )


def _repeating_itself(first: tuple[int, ...], again: tuple[int, ...], *, lone: bool) -> bool:
    """Is a copy the text repeating itself: HTML blocks in one container, or (a ``lone`` copy) in two
    children of one container; text lines (``(-1 - run,)``) in the same run of kept lines?"""
    if not first or not again:
        return False
    if first[0] < 0 or again[0] < 0:
        return first == again
    common = 0
    for a, b in zip(first, again, strict=False):
        if a != b:
            break
        common += 1
    apart = 2 if lone else 1  # steps up from each copy to the container both sit in: 2 is a sibling container
    return len(first) - common <= apart and len(again) - common <= apart


def assemble(doc: Document, meta: Metadata, blocks: list[Block], *, explain: bool) -> Article:
    page = doc.page
    text = "\n\n".join(b.text for b in blocks)
    opening, words = _counted_words(text)
    article = Article(
        url=page.url,
        canonical_url=meta.canonical_url,
        site_name=meta.site_name,
        section=meta.section,
        title=meta.title,
        description=meta.description,
        authors=meta.authors,
        published=meta.published,
        modified=meta.modified,
        language=meta.language,
        tags=meta.tags,
        images=meta.images,
        text=text,
        blocks=blocks,
        paywalled=meta.paywalled,
        kind=page.kind,
        fetched_at=page.fetched_at,
    )
    kept = [c for c in doc.candidates if c.kept]
    article.confidence = round(sum(c.score for c in kept) / len(kept), 3) if kept else 0.0
    verdict = doc.extras.get("verdict")  # the body stage's own verdict, where it gives one (HTML)
    if verdict is not None:
        article.confidence = verdict.confidence
    if words == 0:
        article.is_article = False
        article.rejection = Reason.NO_BODY.value
        article.error = "no article text found on the page"
    elif len(text) >= _OPENING and opening <= _BLOB_WORDS:
        article.is_article = False
        article.rejection = Reason.NO_BODY.value
        article.error = f"no article text found on the page: {_BLOB_WORDS} words or fewer in its first {_OPENING} characters"
    elif verdict is not None and not verdict.is_article:
        article.is_article = False
        article.rejection = Reason.NOT_ARTICLE.value
        article.error = f"not an article: {verdict.reason}"
    elif words < _SHORT and not meta.title:
        article.is_article = False
        article.rejection = Reason.NOT_ARTICLE.value
        article.error = f"not an article: {words} words of text and no headline"
    if explain:
        article.explain = [
            Decision(
                index=i,
                text=c.text,
                kind=c.kind,
                role=c.role,
                kept=c.kept,
                score=round(c.score, 3),
                reason=c.reason,
            )
            for i, c in enumerate(doc.candidates)
        ]
    return article
