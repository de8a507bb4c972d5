"""Label the blocks of development-set HTML pages as body or not, by aligning them to the labelled bodies.

A block is body when at least half of its 4-token shingles occur in the truth body (a shingle is used
up when matched, so a body printed twice on the page counts once, as the metric counts it); a block
too short for a shingle is body when it is a whole truth line. Pages with only ``with``/``without``
snippets (the trafilatura set) give weak labels: a block holding a ``with`` snippet is body, one
holding a ``without`` snippet is not, every other block is unlabelled (-1).

Only ``train``-split pages are labelled for training (``bench.datasets.split_of``).

    python -m training.label_html            # counts of labelled blocks per set, as a check
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from bench.datasets import SETS, Record, load

from broadsheet.article import Candidate
from broadsheet.options import Options
from broadsheet.pipeline.body_html import PageSignals, page_signals
from broadsheet.pipeline.html import parse_html
from broadsheet.pipeline.html_features import PageArrays, block_features
from broadsheet.pipeline.read import read

__all__ = ["LabelledPage", "block_labels", "labelled_pages", "signals_of", "snippet_labels"]

_TOKEN = re.compile(r"\w+")
NOT_ARTICLE_TYPES = frozenset({"forum", "product", "collection", "listing", "documentation", "service"})


@dataclass
class LabelledPage:
    set: str
    id: str
    record: Record
    cands: list[Candidate]
    layout: object
    x: np.ndarray  # BLOCK_FEATURES rows
    arr: PageArrays
    y: np.ndarray  # 1 body, 0 not, -1 unlabelled
    is_article: int  # 1, 0, or -1 unknown
    signals: PageSignals | None = None


def block_labels(cands: list[Candidate], body: str) -> np.ndarray:
    """1/0 per block: does it belong to the truth body (see the module docstring)."""
    truth = _TOKEN.findall(body)
    pool = Counter(zip(truth, truth[1:], truth[2:], truth[3:], strict=False))
    lines = {" ".join(_TOKEN.findall(line)) for line in body.split("\n")}
    out = np.zeros(len(cands), dtype=np.int8)
    for i, cand in enumerate(cands):
        toks = _TOKEN.findall(cand.text)
        if len(toks) < 4:
            out[i] = bool(toks) and " ".join(toks) in lines
            continue
        grams = list(zip(toks, toks[1:], toks[2:], toks[3:], strict=False))
        hits = 0
        for gram in grams:
            if pool[gram] > 0:
                pool[gram] -= 1
                hits += 1
        out[i] = hits * 2 >= len(grams)
    return out


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def snippet_labels(cands: list[Candidate], with_: list[str], without: list[str]) -> np.ndarray:
    """Weak labels from snippets: 1 holds a ``with`` snippet, 0 a ``without`` one, else -1."""
    good = [_norm(s) for s in with_ if s.strip()]
    bad = [_norm(s) for s in without if s.strip()]
    out = np.full(len(cands), -1, dtype=np.int8)
    for i, cand in enumerate(cands):
        text = _norm(cand.text)
        if len(text) < 15:
            continue
        if any(s in text or (len(text) >= 40 and text in s) for s in bad):
            out[i] = 0
        elif any(s in text or (len(text) >= 40 and text in s) for s in good):
            out[i] = 1
    return out


def signals_of(record: Record) -> PageSignals:
    """The page-level signals of a record (structured data, og:type, URL), read afresh."""
    return page_signals(parse_html(read(record.html, url=record.url, kind="html"), Options()))


def page_is_article(record: Record) -> int:
    """1 article, 0 not (WCXB page types; Readability's ``readerable`` flag), -1 unknown."""
    page_type = record.truth.get("page_type")
    if page_type:
        return int(page_type not in NOT_ARTICLE_TYPES)
    if record.set == "readability":
        return int(bool(record.truth["extra"].get("readerable", True)))
    if record.set == "fundus":
        return 1
    return -1


def labelled_pages(split: str = "train", sets: tuple[str, ...] = SETS) -> Iterator[LabelledPage]:
    """Every page of ``split`` with a body or snippets, parsed, featurised and labelled."""
    options = Options()
    for name in sets:
        for record in load(name, split=split):
            truth = record.truth
            if not truth.get("body") and not truth.get("with"):
                continue
            try:
                doc = parse_html(read(record.html, url=record.url, kind="html"), options)
            except Exception:  # a page the reader rejects teaches nothing here
                continue
            if not doc.candidates:
                continue
            layout = doc.extras["layout"]
            x, arr = block_features(doc.candidates, layout)
            if truth.get("body"):
                y = block_labels(doc.candidates, truth["body"])
            else:
                y = snippet_labels(doc.candidates, truth["with"], truth["without"])
            yield LabelledPage(
                name,
                record.id,
                record,
                doc.candidates,
                layout,
                x,
                arr,
                y,
                page_is_article(record),
                page_signals(doc),
            )


def main() -> None:
    counts: Counter[tuple[str, int]] = Counter()
    for page in labelled_pages():
        for value in page.y.tolist():
            counts[(page.set, value)] += 1
    for (name, value), count in sorted(counts.items()):
        print(f"{name:12s} label {value:2d}: {count:7d} blocks")


if __name__ == "__main__":
    main()
