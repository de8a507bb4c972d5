"""Body stage: which candidate blocks are the article.

Every candidate leaves this stage with ``kept``, a ``score`` in [0, 1], a ``role`` and a ``reason``
(the ``--explain`` output). HTML and flattened text reach the decision differently — HTML reasons
about containers (``body_html``), text about the headline/byline anchor and runs of body-like lines
(``body_text``) — and share the smoothing along the page here: a short block inside a run of body is
body, a sentence alone in a rail is not.
"""

from __future__ import annotations

from ..article import Candidate, Document
from ..options import Options

__all__ = ["select_body", "smooth"]


def select_body(doc: Document, options: Options) -> None:
    """Mark each candidate kept or not, with its role, score and reason."""
    if doc.page.kind == "html":
        from .body_html import decide_html

        decide_html(doc, options)
    else:
        from .body_text import decide_text

        decide_text(doc, options)


def smooth(cands: list[Candidate], threshold: float) -> None:
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
