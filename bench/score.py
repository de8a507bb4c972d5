"""Score one extractor's ``Output`` against a page's ``Truth``, and sum pages into a report row.

Bodies are compared after one normalisation, the same for every set and every extractor (the data
README's advice): split into non-empty lines and drop a leading line that is the headline (the
labelled title or the extractor's own), because the sets disagree on whether the headline belongs to
the body (WCXB sometimes keeps it, fundus never does) and the shingle metric would count that
disagreement as extraction error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import metrics
from .cases import Truth
from .output import Output

__all__ = ["FIELD_METRICS", "PageScore", "body_text", "score_page", "summarise"]

#: field metric → the labelled field it needs (the coverage column is per field).
FIELD_METRICS = {
    "title_exact": "title",
    "title_f1": "title",
    "authors_f1": "authors",
    "published_day": "published",
    "section": "section",
    "tags_f1": "tags",
    "captions_f1": "captions",
    "credits_f1": "credits",
    "language": "language",
    "description_f1": "description",
    # pages whose annotators entered the field as empty: 1 when the extractor gives none either (precision
    # where the page has nothing to give; an extractor that never gives the field scores 1 trivially)
    "authors_none": "authors_none",
    "published_none": "published_none",
}


@dataclass(slots=True)
class PageScore:
    """One page's scores; ``prf`` is None when the page has no labelled body."""

    prf: metrics.PRF | None = None
    with_found: int = 0
    with_total: int = 0
    without_found: int = 0
    without_total: int = 0
    fields: dict[str, float] = field(default_factory=dict)
    filled: dict[str, bool] = field(default_factory=dict)
    error: bool = False


def body_text(text: str | None, titles: Iterable[str | None]) -> str:
    """Non-empty lines of ``text``, without a leading line that equals one of ``titles``."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    keys = {metrics.normalise(t) for t in titles if t}
    if lines and metrics.normalise(lines[0]) in keys:
        lines = lines[1:]
    return "\n".join(lines)


def _squash(text: str) -> str:
    """Spacing and invisible characters do not count when a snippet is looked for (``metrics.visible``)."""
    return " ".join(metrics.visible(text).split())


def _language(truth: str, pred: str | None) -> float:
    """Same primary language subtag (``en-US`` matches ``en``)."""

    def primary(code: str) -> str:
        return code.replace("_", "-").split("-")[0].strip().lower()

    return float(bool(pred) and primary(truth) == primary(pred or ""))


def _description(acceptable: Sequence[str | None], pred: str | None) -> float:
    if not pred:
        return float(None in acceptable)
    return max((metrics.token_f1(a, pred) for a in acceptable if a), default=0.0)


def _field_scores(truth: Truth, out: Output) -> tuple[dict[str, float], dict[str, bool]]:
    scores: dict[str, float] = {}
    filled: dict[str, bool] = {}
    if truth.title:
        scores["title_exact"] = metrics.exact(truth.title, out.title)
        scores["title_f1"] = metrics.token_f1(truth.title, out.title)
        filled["title"] = bool(out.title)
    if truth.authors:
        scores["authors_f1"] = metrics.authors_f1(truth.authors, out.authors)
        filled["authors"] = bool(out.authors)
    if truth.published:
        scores["published_day"] = metrics.same_day(truth.published, out.published)
        filled["published"] = bool(out.published)
    if truth.section:
        scores["section"] = metrics.exact(truth.section, out.section)
        filled["section"] = bool(out.section)
    for name in ("tags", "captions", "credits"):
        labelled: list[str] = getattr(truth, name)
        predicted: list[str] = getattr(out, name)
        if labelled:
            metric = metrics.set_f1 if name == "tags" else metrics.fuzzy_set_f1
            scores[f"{name}_f1"] = metric(labelled, predicted)
            filled[name] = bool(predicted)
    for name in ("authors", "published"):
        if name in truth.none:
            given = bool(getattr(out, name))
            scores[f"{name}_none"] = float(not given)
            filled[f"{name}_none"] = given
    if truth.language:
        scores["language"] = _language(truth.language, out.language)
        filled["language"] = bool(out.language)
    if truth.description:
        scores["description_f1"] = _description(truth.description, out.description)
        filled["description"] = bool(out.description)
    return scores, filled


def score_page(truth: Truth, out: Output) -> PageScore:
    """Body shingle P/R (normalised bodies), snippet hits and field scores of one page."""
    score = PageScore(error=out.error is not None)
    if truth.body is not None:
        titles = (truth.title, out.title)
        score.prf = metrics.body_prf(body_text(truth.body, titles), body_text(out.text, titles))
    text = _squash(out.text)
    score.with_total = len(truth.with_)
    score.with_found = sum(_squash(s) in text for s in truth.with_)
    score.without_total = len(truth.without)
    score.without_found = sum(_squash(s) in text for s in truth.without)
    score.fields, score.filled = _field_scores(truth, out)
    return score


def _snippets(scores: Sequence[PageScore]) -> dict[str, Any] | None:
    """Snippet rates over all snippets of the pages, and trafilatura's evaluation F1 over them."""
    w_total = sum(s.with_total for s in scores)
    wo_total = sum(s.without_total for s in scores)
    if not w_total and not wo_total:
        return None
    tp = sum(s.with_found for s in scores)
    fn = w_total - tp
    fp = sum(s.without_found for s in scores)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "pages": sum(1 for s in scores if s.with_total or s.without_total),
        "with_found": tp / w_total if w_total else None,
        "without_found": fp / wo_total if wo_total else None,
        # without must-have snippets there is nothing to recall: no F1, only the leak rate
        "f1": (2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        if w_total
        else None,
    }


def _fields(scores: Sequence[PageScore]) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for metric, name in FIELD_METRICS.items():
        values = [s.fields[metric] for s in scores if metric in s.fields]
        if not values:
            continue
        filled = [s.filled[name] for s in scores if name in s.filled]
        out[metric] = {
            "score": sum(values) / len(values),
            "coverage": sum(filled) / len(filled),
            "pages": len(values),
        }
    return out


def summarise(scores: Sequence[PageScore], *, bootstrap: int = 200) -> dict[str, Any]:
    """A report row: page and error counts, body P/R/F1 ± bootstrap std, snippet rates, fields."""
    prfs = [s.prf for s in scores if s.prf is not None]
    body: dict[str, Any] | None = None
    if prfs:
        body = {"pages": len(prfs), **metrics.aggregate(prfs)}
        if bootstrap > 0:
            body.update({f"{k}_std": v for k, v in metrics.bootstrap_std(prfs, rounds=bootstrap).items()})
    return {
        "pages": len(scores),
        "errors": sum(s.error for s in scores),
        "body": body,
        "snippets": _snippets(scores),
        "fields": _fields(scores),
    }
