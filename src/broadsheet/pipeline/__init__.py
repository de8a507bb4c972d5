"""The extraction pipeline, one module per stage in the order data moves:

read → parse (html | text) → body → metadata → clean
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..article import Article, Input
from ..errors import Reason, RejectedInput
from ..options import Options
from .body import select_body
from .clean import assemble, body_blocks
from .html import parse_html
from .metadata import extract_metadata
from .read import read, read_path
from .text import parse_text

__all__ = ["extract", "extract_input", "extract_many", "rejected"]


def extract(
    content: bytes | str,
    url: str | None = None,
    *,
    kind: str | None = None,
    fetched_at: str | None = None,
    source: str | None = None,
    options: Options | None = None,
) -> Article:
    """Extract the article from one page (HTML or flattened text). Never raises for bad input.

    The cascade:
      1. read      decode bytes (BOM, declared charset, UTF-8, detection), enforce limits, detect kind
      2. parse     HTML → candidate blocks (DOM walk) | text → candidate lines (furniture marked)
      3. body      decide which candidates are the article, each with a score and a reason
      4. metadata  structured data first, then the visible page (or the roles of text lines)
      5. clean     normalise, drop repeats, assemble the Article (``explain`` keeps every decision)

    Bad input becomes an ``Article`` with ``rejection`` and ``error`` set.
    """
    opts = options or Options()
    try:
        page = read(
            content, url=url, kind=kind or opts.kind, fetched_at=fetched_at, source=source, options=opts
        )
        doc = parse_html(page, opts) if page.kind == "html" else parse_text(page, opts)
        select_body(doc, opts)
        body_text = "\n\n".join(c.text for c in doc.candidates if c.kept)
        meta = extract_metadata(doc, body_text)
        blocks = body_blocks(doc.candidates, meta.title)
        return assemble(doc, meta, blocks, explain=opts.explain)
    except RejectedInput as exc:
        return rejected(exc.reason, str(exc), url=url, source=source)
    except RecursionError:
        return rejected(Reason.TOO_LARGE, "page is nested too deeply to parse", url=url, source=source)
    except MemoryError:
        return rejected(Reason.TOO_LARGE, "page needs more memory than allowed", url=url, source=source)


def rejected(
    reason: Reason | str, message: str, *, url: str | None = None, source: str | None = None
) -> Article:
    """An ``Article`` that records why its input did not become one."""
    reason = Reason(reason)
    return Article(url=url, is_article=False, rejection=reason.value, error=f"{reason.value}: {message}")


def extract_input(item: Input, options: Options | None = None) -> Article:
    """Extract one ``Input`` record; a record its source already rejected stays rejected."""
    if item.rejection:
        return rejected(item.rejection, item.error or item.rejection, url=item.url, source=item.source)
    article = extract(
        item.content,
        item.url,
        kind=item.kind,
        fetched_at=item.fetched_at,
        source=item.source,
        options=options,
    )
    if article.fetched_at is None:
        article.fetched_at = item.fetched_at
    return article


def _as_input(item: Input | bytes | str | Path, options: Options) -> Input:
    if isinstance(item, Input):
        return item
    if isinstance(item, Path):
        try:
            return Input(content=read_path(item, options), source=str(item))
        except RejectedInput as exc:
            return Input(content=b"", source=str(item), rejection=exc.reason.value, error=str(exc))
    return Input(content=item)


def extract_many(
    items: Iterable[Input | bytes | str | Path],
    *,
    options: Options | None = None,
) -> Iterator[Article]:
    """Extract a stream of inputs, lazily, one ``Article`` per input in order. Bad inputs become rejections."""
    opts = options or Options()
    for item in items:
        yield extract_input(_as_input(item, opts), opts)
