"""Sources: where pages come from. Each source yields ``Input`` records with a stable ``source`` key
(a path, ``path#line``, ``archive.warc.gz#offset``, a URL) so that ingestion can count, resume and
deduplicate by it. A record a source cannot read is still yielded, with ``rejection`` set; no source
raises for bad data (only ``MissingExtra`` when the ``warc`` extra is needed and absent).

``iter_inputs(spec)`` picks the reader by what ``spec`` is, first rule that matches:

1. ``http://…`` or ``https://…``: fetched (``fetch.py``); the body decides whether it is a page, a
   feed (RSS/Atom) or a sitemap (urlset, sitemap index, gzip'd, news), whose pages are then
   fetched (``web.py``). ``feed:URL``, ``sitemap:URL`` and ``page:URL`` say what the URL must be.
2. ``urls:PATH``, a ``.urls`` file, or a single ``.txt`` file whose lines are all http(s) URLs: a
   list of URLs, one per line, each read as in rule 1.
3. ``.warc``, ``.warc.gz``, ``.wet``, ``.wet.gz``: a web archive (``warc.py``); ``file.warc.gz#OFFSET``
   starts at that record (the ``source`` key of a record is exactly that, so a run can resume).
4. ``.jsonl``, ``.jsonl.gz``, ``.ndjson``: JSON lines ``{url, html | text, fetched_at}``.
5. Anything else: a folder (pages found recursively), a glob, or one page file: ``.html``, ``.htm``,
   ``.xhtml``, ``.html.gz``, ``.txt`` (flattened page text).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack

from ..article import Input
from .fetch import Fetcher, FetchOptions
from .files import is_jsonl, is_url_list, iter_files, iter_jsonl, iter_url_list
from .warc import is_warc, iter_warc
from .web import Expect, iter_url

__all__ = ["FetchOptions", "Fetcher", "iter_inputs"]

_URL = re.compile(r"^https?://", re.I)
_PREFIXED = re.compile(r"^(feed|sitemap|page):(https?://.*)$", re.I | re.S)
_WARC_AT = re.compile(r"^(.*\.(?:warc|wet)(?:\.gz)?)#(\d+)$", re.I)


def iter_inputs(spec: str, *, fetcher: Fetcher | None = None, text_only: bool = False) -> Iterator[Input]:
    """Every record of one source specification, in a stable order.

    ``fetcher`` is shared across specs to share robots.txt and per-host pacing; without one, a
    fetcher with default ``FetchOptions`` is made for this spec and closed when it is exhausted.
    ``text_only``: a JSON-lines file yields only its rows that may be flattened text (the site-template
    pass); other sources yield every record.
    """
    with ExitStack() as stack:

        def client() -> Fetcher:
            return fetcher or stack.enter_context(Fetcher())

        prefixed = _PREFIXED.match(spec)
        if prefixed:
            expect: Expect = prefixed.group(1).lower()  # type: ignore[assignment]
            yield from iter_url(prefixed.group(2), client(), expect=expect)
        elif _URL.match(spec):
            yield from iter_url(spec, client())
        elif spec.startswith("urls:") or is_url_list(spec):
            yield from _iter_url_list(spec.removeprefix("urls:"), client)
        else:
            yield from _iter_local(spec, text_only=text_only)


def _iter_url_list(path: str, client: Callable[[], Fetcher]) -> Iterator[Input]:
    fetcher: Fetcher | None = None
    for entry in iter_url_list(path):
        if isinstance(entry, Input):
            yield entry
            continue
        fetcher = fetcher or client()
        yield from iter_url(entry, fetcher)


def _iter_local(spec: str, *, text_only: bool = False) -> Iterator[Input]:
    at = _WARC_AT.match(spec)
    if at and not os.path.exists(spec):
        yield from iter_warc(at.group(1), start=int(at.group(2)))
    elif is_warc(spec):
        yield from iter_warc(spec)
    elif is_jsonl(spec):
        yield from iter_jsonl(spec, text_only=text_only)
    else:
        yield from iter_files(spec)
