"""Clean stage: kept candidates → typed body blocks and text; the page's verdict; the explain trace."""

from __future__ import annotations

import re
import unicodedata

from ..article import Article, Block, Candidate, Decision, Document
from ..errors import Reason
from .metadata import Metadata
from .text import word_count

__all__ = ["assemble", "body_blocks", "normalise_text"]

_SHORT = 40  # a page with fewer words of text and no headline is not an article
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_text(text: str) -> str:
    """NFC, no zero-width characters or soft hyphens, single spaces."""
    if not text.isascii():  # ASCII is NFC and has none of those characters
        text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def _words_up_to(text: str, enough: int) -> int:
    """``word_count(text)`` when it is under ``enough``, else some count of at least ``enough``: a prefix of
    a text never holds more words than the text, so a long body is not counted to its end."""
    head = word_count(text[: enough * 20])
    return head if head >= enough or len(text) <= enough * 20 else word_count(text)


def body_blocks(candidates: list[Candidate], title: str | None) -> list[Block]:
    """Kept candidates as blocks: normalised, the headline not repeated, no block printed twice.

    A block repeated in a sibling container of its first copy (HTML), or in the same unbroken run of kept
    lines (flattened text, which has no containers), is the text repeating itself (a refrain, a repeated
    paragraph) and stays; a copy elsewhere is the page printing its body or a box again."""
    blocks: list[Block] = []
    seen: dict[str, tuple[int, ...]] = {}
    run = 0  # flattened text: the run of kept lines a line is in (a dropped line ends a run)
    title_key = normalise_text(title).casefold() if title else None
    for cand in candidates:
        if not cand.kept:
            run += 1
            continue
        text = cand.text
        # a line of flattened text is normal already (``text.split_lines``: NFC, single spaces), unless
        # it holds a zero-width character, which only a line with a non-ASCII character can
        if cand.tag != "line" or not (text.isascii() or _ZERO_WIDTH.search(text) is None):
            text = normalise_text(text)
        if not text:
            continue
        key = text.casefold()
        if not blocks and title_key and key == title_key:
            cand.kept, cand.role, cand.reason = (
                False,
                "title",
                "the headline, repeated at the top of the body",
            )
            continue
        where = (-1 - run,) if cand.tag == "line" else cand.ancestors
        if key in seen and word_count(text) >= 6 and not _together(seen[key], where):
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


def _together(first: tuple[int, ...], again: tuple[int, ...]) -> bool:
    """Do two HTML blocks sit in the same container or two children of the same one; do two text lines
    (``(-1 - run,)``) sit in the same run of kept lines?"""
    if not first or not again:
        return False
    if first[0] < 0 or again[0] < 0:
        return first == again
    common = 0
    for a, b in zip(first, again, strict=False):
        if a != b:
            break
        common += 1
    return len(first) - common <= 1 and len(again) - common <= 1


def assemble(doc: Document, meta: Metadata, blocks: list[Block], *, explain: bool) -> Article:
    page = doc.page
    text = "\n\n".join(b.text for b in blocks)
    words = _words_up_to(text, _SHORT)
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
