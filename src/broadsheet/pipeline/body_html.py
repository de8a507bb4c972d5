"""Body decisions for HTML pages: score blocks, find the article's container, keep its good blocks."""

from __future__ import annotations

import re
from collections import defaultdict

from ..article import Candidate, Document
from ..options import Options
from .body import smooth
from .text import is_sentence_like, word_count

__all__ = ["decide_html"]

_BOILER_WORDS = re.compile(
    r"\b(?:nav|navigation|menu|footer|header|sidebar|aside|comment|comments|related|share|social|"
    r"promo|newsletter|subscribe|advert|ads|ad|banner|breadcrumb|breadcrumbs|widget|popular|trending|"
    r"recommended|teaser|cookie|consent|login|signup|tags|tag|author|bio|byline|meta|caption|credit)\b"
)
_BOILER_TAGS = ("nav", "footer", "aside", "header", "form")


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


def decide_html(doc: Document, options: Options) -> None:
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
    smooth(cands, options.body_threshold)
    for cand in cands:
        if cand.kind == "caption" and not cand.role:
            cand.role = "caption"
        elif not cand.role:
            cand.role = "body" if cand.kept else "boilerplate"
