"""Sources: where pages come from. Each source yields ``Input`` records with a stable ``source`` key
(a path, ``path#line``, ``archive.warc.gz#offset``, a URL) so that ingestion can count, resume and
deduplicate by it. A record a source cannot read is still yielded, with ``rejection`` set.

``iter_inputs(spec)`` picks the reader by what ``spec`` is: a folder or glob of pages, a JSON-lines
file, a WARC/WET file, an http(s) URL of a page, a feed or a sitemap.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..article import Input
from .files import is_jsonl, iter_files, iter_jsonl

__all__ = ["iter_inputs"]


def iter_inputs(spec: str) -> Iterator[Input]:
    """Every record of one source specification, in a stable order."""
    if is_jsonl(spec):
        yield from iter_jsonl(spec)
    else:
        yield from iter_files(spec)
