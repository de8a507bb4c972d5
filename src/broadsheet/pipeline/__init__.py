"""The extraction pipeline, one module per stage in the order data moves:

read → parse (html | text) → body → metadata → clean
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import SelectolaxError

from ..article import Article, Input, Page
from ..errors import Reason, RejectedInput
from ..options import Options
from ..workers import crash_message
from .body import select_body
from .clean import assemble, body_blocks, normalise_text
from .html import parse_html
from .metadata import extract_metadata
from .read import read, read_path
from .templates import SiteTemplate, TemplateBook
from .text import looks_like_html, parse_text, split_lines

__all__ = [
    "TemplateBook",
    "extract",
    "extract_input",
    "extract_many",
    "learn_templates",
    "rejected",
    "template_lines",
]

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
        caps = frozenset(normalise_text(i.caption).casefold() for i in meta.images if i.caption)
        blocks = body_blocks(doc.candidates, meta.title, caps)
        article = assemble(doc, meta, blocks, explain=opts.explain)
        if article.rejection and not opts.keep_rejected_body:
            article.text, article.blocks = "", []  # the verdict and its reason stay; the best guess goes
        return article
    except RejectedInput as exc:
        return rejected(exc.reason, str(exc), url=url, source=source)
    except RecursionError:
        return rejected(Reason.TOO_LARGE, "page is nested too deeply to parse", url=url, source=source)
    except MemoryError:
        return rejected(Reason.TOO_LARGE, "page needs more memory than allowed", url=url, source=source)
    except SelectolaxError as exc:  # lexbor fails to parse only when it cannot allocate memory
        message = f"page needs more memory than allowed (the HTML parser failed: {exc})"
        return rejected(Reason.TOO_LARGE, message, url=url, source=source)


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
    workers: int = 0,
    timeout: float | None = None,
) -> Iterator[Article]:
    """Extract a stream of inputs, lazily, one ``Article`` per input in order. Bad inputs become rejections.

    Flattened-text pages with a URL teach a site template (``templates.TemplateBook``): the stream is
    read ``TEMPLATE_WINDOW`` inputs ahead, every text page's lines are counted for its site, and each
    page is then decided with its site's template once that has seen enough pages. Pass a book to
    start from templates learned before; it is updated in place, so it can be saved afterwards.

    ``workers``: extraction processes (0: this process). ``timeout``: seconds one page may take
    (default ``options.timeout``). Only a process can be stopped in the middle of a parse, so a
    timeout runs the pages on at least one worker (``broadsheet.workers``): a page over it becomes a
    ``timeout`` rejection, one over ``options.max_memory`` a ``too_large`` one, and the stream goes on.
    """
    opts = options or Options()
    book = templates if templates is not None else TemplateBook(min_pages=opts.template_min_pages)
    deadline = opts.timeout if timeout is None else timeout
    pool = workers > 0 or deadline > 0
    jobs = _jobs(items, opts, book, frozen=pool)
    if not pool:
        yield from (_run_safely(job, opts) for job in jobs)
        return
    from ..workers import DEFAULT_TIMEOUT, pooled

    yield from pooled(
        _run_all, jobs, opts, workers=max(workers, 1), timeout=deadline or DEFAULT_TIMEOUT, fail=_failed
    )


@dataclass(slots=True)
class _Job:
    """One input of ``extract_many`` once read: a page and its site template, or its rejection."""

    page: Page | None = None
    template: SiteTemplate | None = None
    fetched_at: str | None = None
    done: Article | None = None


def _jobs(
    items: Iterable[Input | bytes | str | Path], opts: Options, book: TemplateBook, *, frozen: bool
) -> Iterator[_Job]:
    window: list[Input] = []
    for item in items:
        window.append(_as_input(item, opts))
        if len(window) >= TEMPLATE_WINDOW:
            yield from _read_window(window, opts, book, frozen)
            window = []
    if window:
        yield from _read_window(window, opts, book, frozen)


def _read_window(window: list[Input], opts: Options, book: TemplateBook, frozen: bool) -> list[_Job]:
    """Read a window of inputs and learn the site templates of its text pages; a job for each input.

    ``frozen``: each job gets a copy of its site's template as it stands after this window, not the
    live one (a pool extracts the job later, after more windows have been learned).
    """
    jobs: list[_Job] = []
    for item in window:
        if item.rejection:
            reason = item.rejection
            jobs.append(_Job(done=rejected(reason, item.error or reason, url=item.url, source=item.source)))
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
            jobs.append(_Job(done=rejected(exc.reason, str(exc), url=item.url, source=item.source)))
            continue
        if page.kind == "text" and page.url and opts.site_templates:
            with contextlib.suppress(RejectedInput):  # too many lines: extraction rejects it with its reason
                book.learn(page.url, [line for line, _ in split_lines(page.content, opts)])
        jobs.append(_Job(page=page, fetched_at=item.fetched_at))
    copies: dict[str, SiteTemplate] = {}
    for job in jobs:
        if job.page is not None and job.page.kind == "text" and opts.site_templates:
            live = book.for_url(job.page.url)
            if frozen and live is not None:
                if live.site not in copies:
                    copies[live.site] = _frozen(live)
                live = copies[live.site]
            job.template = live
    return jobs


def _frozen(template: SiteTemplate) -> SiteTemplate:
    """A copy of ``template`` with what ``SiteTemplate.matches`` reads: the lines it calls template."""
    counts = {key: n for key, n in template.counts.items() if n >= template.min_pages}
    return SiteTemplate(site=template.site, pages=template.pages, counts=counts, min_pages=template.min_pages)


def _run(job: _Job, opts: Options) -> Article:
    if job.done is not None:
        return job.done
    assert job.page is not None
    article = _extract_page(job.page, opts, job.template)
    if article.fetched_at is None:
        article.fetched_at = job.fetched_at
    return article


def _run_all(jobs: list[_Job], opts: Options) -> list[Article]:
    """A chunk of jobs, in a pool worker."""
    return [_run(job, opts) for job in jobs]


def _run_safely(job: _Job, opts: Options) -> Article:
    """``_run``, a bug on one page recorded as its rejection, as a pool records it: the stream goes on."""
    try:
        return _run(job, opts)
    except Exception as exc:
        return _failed(job, Reason.UNREADABLE, crash_message(exc))


def _failed(job: _Job, reason: Reason, message: str) -> Article:
    page = job.page
    return rejected(reason, message, url=page.url if page else None, source=page.source if page else None)
