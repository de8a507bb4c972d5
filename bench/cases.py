"""The pages the benchmark scores, as ``Case`` records: one page in one input variant, with its labels.

Labels from every source (the development sets, the seed example, synthetic pages) are brought to one
``Truth`` shape. Variants: ``html`` (the page's bytes), ``resiliparse`` / ``html-text`` (the page
flattened to text by that converter, see ``bench.flatten``) and ``text`` (a page that only exists as
flattened text, like the seed example).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import datasets

__all__ = [
    "HTML_VARIANTS",
    "TEXT_VARIANTS",
    "Case",
    "Page",
    "Truth",
    "decode",
    "group_of",
    "make_cases",
    "pages",
    "sample_ids",
    "seed_pages",
    "truth_from_labels",
]

TEXT_VARIANTS = ("resiliparse", "html-text")
HTML_VARIANTS = ("html", *TEXT_VARIANTS)
SEED_SET = "seed"


@dataclass(slots=True)
class Truth:
    """A page's labels in one shape. Empty / None means "not labelled", never "the page has none"."""

    body: str | None = None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    language: str | None = None
    #: acceptable descriptions; ``None`` in the list means "no description" is acceptable too.
    description: list[str | None] = field(default_factory=list)
    page_type: str | None = None
    #: fields the labels say the page has none of ("authors", "published"): the annotators entered them as
    #: empty (trafilatura's ``labelled_empty``, htmldate's ``no_date``), unlike a field left unlabelled
    none: frozenset[str] = frozenset()


#: ``extra.labelled_empty`` names → the fields of ``Truth`` they say the page has none of.
_LABELLED_EMPTY = {"author": "authors", "date": "published"}


@dataclass(slots=True)
class Page:
    """One labelled page before it is turned into variants: its HTML bytes or (seed) its text."""

    set: str
    id: str
    url: str | None
    truth: Truth
    html: bytes | None = None
    text: str | None = None


@dataclass(slots=True)
class Case:
    """One page in one variant: what an extractor is handed (``content``) and how it is scored."""

    set: str
    id: str
    variant: str
    url: str | None
    content: bytes | str
    truth: Truth
    group: str


def truth_from_labels(labels: dict[str, Any]) -> Truth:
    """``Truth`` from a record of ``../shared/data`` or an ``expected.json`` (seed, synthetic)."""
    body = labels.get("body")
    if isinstance(body, list):
        body = "\n".join(body)
    images = labels.get("images") or []
    if "description_acceptable" in labels:
        description = list(labels["description_acceptable"])
    else:
        description = [labels["description"]] if labels.get("description") else []
    return Truth(
        body=body or None,
        with_=list(labels.get("with") or []),
        without=list(labels.get("without") or labels.get("never_in_body") or []),
        title=labels.get("title") or None,
        authors=[a for a in labels.get("authors") or [] if a],
        published=labels.get("published") or None,
        section=labels.get("section") or None,
        tags=[t for t in labels.get("tags") or [] if t],
        captions=[i["caption"] for i in images if i.get("caption")],
        credits=[i["credit"] for i in images if i.get("credit")],
        language=labels.get("lang") or labels.get("language") or None,
        description=description,
        page_type=labels.get("page_type"),
        none=_labelled_none(labels),
    )


def _labelled_none(labels: dict[str, Any]) -> frozenset[str]:
    """The fields a record's annotators entered as empty (see ``Truth.none``); a labelled value wins."""
    extra = labels.get("extra") or {}
    empty = {_LABELLED_EMPTY[k] for k in extra.get("labelled_empty") or [] if k in _LABELLED_EMPTY}
    if any(isinstance(h, dict) and h.get("no_date") for h in extra.get("htmldate") or []):
        empty.add("published")
    return frozenset(f for f in empty if not labels.get(f))


def group_of(set_name: str, truth: Truth) -> str:
    """Report group: the set, with WCXB's article pages apart from its other page types."""
    if set_name.startswith("wcxb"):
        return f"{set_name}/{'article' if truth.page_type == 'article' else 'other'}"
    return set_name


def sample_ids(ids: Iterable[str], n: int | None, salt: str = "bench") -> list[str]:
    """A fixed pseudo-random choice of ``n`` ids (all when ``n`` is None), in id order."""
    ids = sorted(ids)
    if n is None or n >= len(ids):
        return ids
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{salt}:{i}".encode()).hexdigest())
    return sorted(ranked[:n])


def seed_pages(root: Path | None = None) -> list[Page]:
    """The seed example(s) beside the data: ``../shared/examples/*.txt`` with ``*.expected.json``."""
    root = root or datasets.data_root()
    folder = root.parent / "examples" if root else None
    if folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.txt")):
        expected = path.with_name(path.stem + ".expected.json")
        if expected.exists():
            labels = json.loads(expected.read_text(encoding="utf-8"))
            text = path.read_bytes().decode("utf-8")
            found.append(Page(SEED_SET, path.stem, None, truth_from_labels(labels), text=text))
    return found


def pages(
    sets: Iterable[str], split: str | None, sample: int | None, *, salt: str = "bench"
) -> Iterator[Page]:
    """Labelled pages of ``sets`` (``"seed"`` included when named), ``sample`` per set at most."""
    for name in sets:
        if name == SEED_SET:
            yield from seed_pages()
            continue
        records = {r.id: r for r in datasets.load(name, split=split)}
        for rid in sample_ids(records, sample, salt):
            record = records[rid]
            yield Page(name, rid, record.url, truth_from_labels(record.truth), html=record.html)


def decode(data: bytes) -> str:
    """HTML bytes as text the way a crawler would: declared or detected charset (resiliparse)."""
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    return str(bytes_to_str(data, detect_encoding(data) or "utf-8"))


Flattener = Callable[[Page, str], str]


def make_cases(found: Iterable[Page], variants: Iterable[str], flatten: Flattener) -> list[Case]:
    """Every page in every requested variant it has: HTML pages in ``variants``, text pages as ``text``."""
    variants = tuple(variants)
    cases = []
    for page in found:
        group = group_of(page.set, page.truth)
        if page.html is None:
            assert page.text is not None
            cases.append(Case(page.set, page.id, "text", page.url, page.text, page.truth, group))
            continue
        for variant in variants:
            content: bytes | str = page.html if variant == "html" else flatten(page, variant)
            cases.append(Case(page.set, page.id, variant, page.url, content, page.truth, group))
    return cases
