"""The extraction pipeline, one module per stage in the order data moves:

read → parse (html | text) → body → metadata → clean
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..article import Article, Input, Page
from ..errors import Reason, RejectedInput
from ..options import Options
from .body import select_body
from .clean import assemble, body_blocks
from .html import parse_html
from .metadata import extract_metadata
from .read import read, read_path
from .templates import SiteTemplate, TemplateBook
from .text import looks_like_html, parse_text, split_lines

__all__ = ["TemplateBook", "extract", "extract_input", "extract_many", "learn_templates", "rejected", "template_lines"]

#: How many inputs ``extract_many`` reads ahead to learn site templates before deciding on them.
TEMPLATE_WINDOW = 64


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
    except RejectedInput as exc:
        return rejected(exc.reason, str(exc), url=url, source=source)
    return _extract_page(page, opts)


def _extract_page(page: Page, opts: Options, template: SiteTemplate | None = None) -> Article:
    """Stages 2-5 on a page already read; a site template, when given, steers the text body stage."""
    url, source = page.url, page.source
    if page.kind == "text" and looks_like_html(page.content):
        page.kind = "html"  # markup handed in as text (a broken WET conversion, a mislabelled file)
    try:
        doc = parse_html(page, opts) if page.kind == "html" else parse_text(page, opts)
        if template is None and page.kind == "text" and opts.site_templates and opts.templates is not None:
            template = opts.templates.for_url(page.url)
        if template is not None:
            doc.extras["template"] = template
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


def template_lines(item: Input, options: Options) -> tuple[str, list[str]] | None:
    """(URL, lines) of a flattened-text input with a URL, the lines a site template counts; None for
    anything else (HTML, no URL, unreadable)."""
    if item.rejection or not item.url or item.kind == "html":
        return None
    if item.kind != "text":  # sniff before decoding: most inputs of a crawl are HTML
        head = item.content[:4096]
        if looks_like_html(head.decode("latin-1") if isinstance(head, bytes) else head):
            return None
    try:
        page = read(item.content, url=item.url, kind=item.kind, source=item.source, options=options)
        if page.kind != "text" or not page.url or looks_like_html(page.content):
            return None
        return page.url, [line for line, _ in split_lines(page.content, options)]
    except RejectedInput:
        return None


def learn_templates(items: Iterable[Input], options: Options | None = None) -> TemplateBook:
    """A site-template book learned from every flattened-text page of ``items`` (a pass before
    extraction, so every page of a site is decided with the same template, whatever the order)."""
    opts = options or Options()
    book = TemplateBook(min_pages=opts.template_min_pages)
    for item in items:
        found = template_lines(item, opts)
        if found is not None:
            book.learn(*found)
    return book


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
    templates: TemplateBook | None = None,
) -> Iterator[Article]:
    """Extract a stream of inputs, lazily, one ``Article`` per input in order. Bad inputs become rejections.

    Flattened-text pages with a URL teach a site template (``templates.TemplateBook``): the stream is
    read ``TEMPLATE_WINDOW`` inputs ahead, every text page's lines are counted for its site, and each
    page is then decided with its site's template once that has seen enough pages. Pass a book to
    start from templates learned before; it is updated in place, so it can be saved afterwards.
    """
    opts = options or Options()
    book = templates if templates is not None else TemplateBook(min_pages=opts.template_min_pages)
    window: list[Input] = []
    for item in items:
        window.append(_as_input(item, opts))
        if len(window) >= TEMPLATE_WINDOW:
            yield from _extract_window(window, opts, book)
            window = []
    if window:
        yield from _extract_window(window, opts, book)


def _extract_window(window: list[Input], opts: Options, book: TemplateBook) -> Iterator[Article]:
    """Read a window of inputs, learn the site templates of its text pages, then extract each."""
    pages: list[Page | Article] = []
    for item in window:
        if item.rejection:
            reason = item.rejection
            pages.append(rejected(reason, item.error or reason, url=item.url, source=item.source))
            continue
        try:
            page = read(
                item.content,
                url=item.url,
                kind=item.kind,
                fetched_at=item.fetched_at,
                source=item.source,
                options=opts,
            )
        except RejectedInput as exc:
            pages.append(rejected(exc.reason, str(exc), url=item.url, source=item.source))
            continue
        if page.kind == "text" and page.url and opts.site_templates:
            with contextlib.suppress(RejectedInput):  # too many lines: extraction rejects it with its reason
                book.learn(page.url, [line for line, _ in split_lines(page.content, opts)])
        pages.append(page)
    for item, read_page in zip(window, pages, strict=True):
        if isinstance(read_page, Article):
            yield read_page
            continue
        template = book.for_url(read_page.url) if read_page.kind == "text" and opts.site_templates else None
        article = _extract_page(read_page, opts, template)
        if article.fetched_at is None:
            article.fetched_at = item.fetched_at
        yield article
