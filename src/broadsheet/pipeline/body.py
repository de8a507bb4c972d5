"""Body stage: which candidate blocks are the article.

Every candidate leaves this stage with ``kept``, a ``score`` in [0, 1], a ``role`` and a ``reason``
(the ``--explain`` output). HTML and flattened text reach the decision differently — HTML reasons
about containers, text about the headline/byline anchor and runs of body-like lines — but both end
in the same smoothing along the page: a short block inside a run of body is body, a sentence alone
in a rail is not.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..article import Candidate, Document
from ..options import Options
from .text import TAGS_LINE, is_sentence_like, word_count

__all__ = ["select_body"]

_BOILER_WORDS = re.compile(
    r"\b(?:nav|navigation|menu|footer|header|sidebar|aside|comment|comments|related|share|social|"
    r"promo|newsletter|subscribe|advert|ads|ad|banner|breadcrumb|breadcrumbs|widget|popular|trending|"
    r"recommended|teaser|cookie|consent|login|signup|tags|tag|author|bio|byline|meta|caption|credit)\b"
)
_BOILER_TAGS = ("nav", "footer", "aside", "header", "form")


def select_body(doc: Document, options: Options) -> None:
    """Mark each candidate kept or not, with its role, score and reason."""
    if doc.page.kind == "html":
        _html_body(doc, options)
    else:
        _text_body(doc, options)


# ----------------------------------------------------------------------------------------- HTML


def _html_score(cand: Candidate) -> tuple[float, str]:
    text_len = len(cand.text)
    words = word_count(cand.text)
    link_density = cand.link_chars / max(1, text_len)
    path = cand.path
    if link_density > 0.5:
        return 0.05, f"link density {link_density:.2f}"
    if any(f" {t}" in f" {path}" or path.startswith(t) for t in _BOILER_TAGS):
        return 0.15, "inside nav/header/footer/aside/form"
    boiler = _BOILER_WORDS.search(path.rsplit(" ", 2)[-1] if path else "")
    if cand.kind == "caption":
        return 0.1, "figure caption (kept for images)"
    if boiler and words < 40:
        return 0.25, f"class/id says '{boiler.group(0)}'"
    if words >= 25 and is_sentence_like(cand.text):
        return 0.9, f"{words} words of prose"
    if words >= 10 and is_sentence_like(cand.text):
        return 0.7, f"{words} words of prose"
    if cand.kind in ("heading", "list_item", "quote", "table", "code"):
        return 0.45, f"short {cand.kind}"
    return 0.3, f"short text ({words} words)"


def _html_body(doc: Document, options: Options) -> None:
    cands = doc.candidates
    if not cands:
        return
    weight: dict[int, float] = defaultdict(float)
    for cand in cands:
        cand.score, cand.reason = _html_score(cand)
        if cand.score >= 0.7:
            for anc in cand.ancestors:
                weight[anc] += len(cand.text)
    if not weight:
        container = None
    else:
        total = max(weight.values())
        # the deepest container that still holds most of the prose
        depth = {anc: i for cand in cands for i, anc in enumerate(cand.ancestors)}
        eligible = [a for a, w in weight.items() if w >= 0.6 * total]
        container = max(eligible, key=lambda a: (depth.get(a, 0), weight[a]))
    for cand in cands:
        inside = container is None or container in cand.ancestors
        if not inside:
            cand.score = min(cand.score, 0.2)
            cand.reason = "outside the article container; " + cand.reason
        elif 0.3 <= cand.score < 0.5 and cand.link_chars <= 0.3 * len(cand.text):
            cand.score = 0.5
            cand.reason += "; inside the article container"
    _smooth(cands, options.body_threshold)
    for cand in cands:
        if cand.kind == "caption" and not cand.role:
            cand.role = "caption"
        elif not cand.role:
            cand.role = "body" if cand.kept else "boilerplate"


# ----------------------------------------------------------------------------------------- text


def _text_body(doc: Document, options: Options) -> None:
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


def _smooth(cands: list[Candidate], threshold: float) -> None:
    """Keep a short block between two kept blocks of the same container chain; drop isolated prose."""
    kept = [c.score >= threshold for c in cands]
    for i, cand in enumerate(cands):
        if kept[i]:
            continue
        if cand.score >= 0.25 and 0 < i < len(cands) - 1 and kept[i - 1] and kept[i + 1]:
            kept[i] = True
            cand.reason += "; between two body blocks"
    for cand, keep in zip(cands, kept, strict=True):
        cand.kept = keep
