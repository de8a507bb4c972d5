"""Body decisions for flattened text: find the headline/byline anchor and the run of prose after it."""

from __future__ import annotations

from ..article import Candidate, Document
from ..options import Options
from .text import TAGS_LINE, is_sentence_like, word_count

__all__ = ["decide_text"]


def decide_text(doc: Document, options: Options) -> None:
    cands = doc.candidates
    n = len(cands)
    if not n:
        return
    for cand in cands:
        words = word_count(cand.text)
        if cand.role:
            cand.score, cand.reason = 0.0, f"{cand.role} line"
        elif is_sentence_like(cand.text) and words >= 12:
            cand.score, cand.reason = 0.8, f"{words} words of prose"
        elif is_sentence_like(cand.text):
            cand.score, cand.reason = 0.55, f"{words} words, ends like a sentence"
        else:
            cand.score, cand.reason = 0.2, f"short, not a sentence ({words} words)"

    anchor = _find_anchor(cands)
    start, end = _best_run(cands, anchor)
    for i, cand in enumerate(cands):
        if start <= i < end and not cand.role and cand.score >= 0.2:
            cand.kept = True
            if cand.score < options.body_threshold:
                cand.reason += "; inside the body run"
                cand.kind = (
                    "heading"
                    if not is_sentence_like(cand.text) and word_count(cand.text) <= 14
                    else "paragraph"
                )
            cand.score = max(cand.score, options.body_threshold)
        elif not cand.role:
            cand.score = min(cand.score, 0.3)
            cand.reason += "; outside the body run"
    _mark_text_roles(cands, anchor, start, end)
    _drop_teaser_repeats(cands)
    for cand in cands:
        if not cand.role:
            cand.role = "body" if cand.kept else "boilerplate"


def _find_anchor(cands: list[Candidate]) -> int | None:
    """The byline/dateline block that opens the article: the first one followed closely by prose."""
    for i, cand in enumerate(cands):
        if cand.role in ("byline", "dateline"):
            ahead = cands[i + 1 : i + 10]
            if any(not c.role and c.score >= 0.8 for c in ahead):
                return i
    return None


def _best_run(cands: list[Candidate], anchor: int | None) -> tuple[int, int]:
    """[start, end) of the body: the run of prose after the anchor, else the longest run of prose."""
    runs: list[tuple[int, int, int]] = []  # (start, end, words)
    i, n = 0, len(cands)
    while i < n:
        if cands[i].role or cands[i].score < 0.55:
            i += 1
            continue
        start, words, j, gap = i, 0, i, 0
        while j < n:
            cand = cands[j]
            if cand.role == "tags" and gap <= 6:
                gap = 0  # the tags line closes the article: short lines before it are its last list
                break
            if cand.role in ("tags", "byline") or (cand.role == "dateline" and j > start):
                break
            if not cand.role and cand.score >= 0.55:
                words += word_count(cand.text)
                gap = 0
            else:
                gap += 1
                short = word_count(cand.text) <= 14
                if gap > (6 if short else 2):
                    break
            j += 1
        end = j - gap
        runs.append((start, end, words))
        i = max(j, i + 1)
    if not runs:
        return 0, 0
    if anchor is not None:
        after = [r for r in runs if r[0] > anchor]
        if after:
            first = after[0]
            best = max(after, key=lambda r: r[2])
            return first[:2] if first[2] >= 0.3 * best[2] else best[:2]
    return max(runs, key=lambda r: r[2])[:2]


def _mark_text_roles(cands: list[Candidate], anchor: int | None, start: int, end: int) -> None:
    """Headline, dek and breadcrumb sit just above the byline/date block (or above the body)."""
    top = anchor if anchor is not None else start
    while top > 0 and cands[top - 1].role in ("byline", "dateline"):
        top -= 1
    above = [i for i in range(max(0, top - 6), top) if cands[i].role in ("", "repeat")]
    title_idx = None
    for i in reversed(above):
        text = cands[i].text
        words = word_count(text)
        if 3 <= words <= 30 and not text.rstrip().endswith((".", ":")):
            title_idx = i
            break
    if title_idx is not None:
        cands[title_idx].role, cands[title_idx].reason = "title", "headline: title-like line above the byline"
        for i in range(title_idx + 1, top):
            if not cands[i].role and word_count(cands[i].text) >= 6:
                cands[i].role, cands[i].reason = "dek", "between headline and byline"
        if title_idx > 0:
            prev = cands[title_idx - 1]
            if not prev.role and word_count(prev.text) <= 8 and not is_sentence_like(prev.text):
                prev.role, prev.reason = "breadcrumb", "short line just above the headline"
    for i in range(end, min(len(cands), end + 4)):
        if TAGS_LINE.match(cands[i].text):
            cands[i].role = "tags"
    for cand in cands:
        if cand.role in ("dek", "title", "breadcrumb", "tags"):
            cand.kept = False


def _drop_teaser_repeats(cands: list[Candidate]) -> None:
    """A line that repeats part of a kept body line (a teaser, a pull quote) is not body twice."""
    kept_text = " ".join(c.text for c in cands if c.kept)
    for cand in cands:
        if cand.kept:
            continue
        if cand.role in ("", "repeat") and len(cand.text) >= 40 and cand.text in kept_text:
            cand.role = "teaser"
            cand.reason = "repeats a sentence of the body"
