"""Ingestion: sources → inputs → extraction on every core → archive, in order, resumable.

0. learn    local sources are read once first to learn the site templates of their flattened-text
            pages (``pipeline.learn_templates``): every page of a site is then decided alike
1. read     ``sources.iter_inputs`` yields ``Input`` records, each with a stable source key
2. skip     inputs whose (source key, content hash) the archive holds already: re-runs and resumed
            runs do no work twice, and an input given twice is stored once
3. extract  chunks of inputs go to a process pool (``workers.pooled``); each worker extracts,
            fingerprints the body for dedup and compresses the raw input. A chunk over the time limit
            or whose worker died is re-run page by page, so only the page at fault becomes a
            ``timeout`` (``too_large`` over the memory limit, ``unreadable`` when the worker died)
            rejection, and the pool replaces the worker
4. write    results in input order, in batched transactions (``Archive.write``): the archive is the
            same whatever the number of workers, and a killed run resumes where its last batch ended
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from . import dedup
from .archive.records import compress, encode_article
from .article import Article, Input
from .errors import Reason
from .options import Options
from .pipeline import extract_input, learn_templates
from .pipeline.templates import may_hold_text
from .sources import iter_inputs
from .workers import DEFAULT_TIMEOUT, crash_message, pooled

if TYPE_CHECKING:
    from .archive.base import Backend
    from .archive.records import IngestReport, Record

__all__ = ["DEFAULT_TIMEOUT", "ingest", "record_for"]

_BATCH = 1024  # records per write transaction (fewer commits: fewer full-text index segments to merge)
_CHUNK = 32  # inputs per worker task: half the hand-overs of ``workers.CHUNK``, still quick to re-run
_FLUSH_SECONDS = 2.0  # a slow source still commits this often
#: An input whose content is its UTF-8 bytes (``_task``), its content hash, and whether it was text.
_Task = tuple[Input, str, bool]


def _raw(content: bytes | str) -> tuple[bytes, bool]:
    if isinstance(content, str):
        return content.encode("utf-8", "surrogatepass"), True
    return bytes(content), False


def _content_hash(item: Input, raw: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(
        f"{item.kind}\x00{item.url or ''}\x00{item.rejection or ''}\x00".encode("utf-8", "surrogatepass")
    )
    h.update(raw)
    return h.hexdigest()


def _task(item: Input) -> _Task:
    """The input as a worker gets it: its text encoded once, for its hash, and handed over as those bytes
    (a worker decodes them back; the record stores them), not encoded again to be pickled and stored."""
    raw, is_text = _raw(item.content)
    digest = _content_hash(item, raw)
    return replace(item, content=raw, source=item.source or f"input:{digest}"), digest, is_text


def _given(item: Input, is_text: bool) -> Input:
    """The input as its source gave it: a text that ``_task`` handed over as UTF-8 bytes is text again."""
    if is_text and isinstance(item.content, bytes):
        return replace(item, content=item.content.decode("utf-8", "surrogatepass"))
    return item


def _record(item: Input, digest: str, is_text: bool | None, **outcome: object) -> Record:
    """The record of an input and its outcome. ``is_text``: whether the source gave the input as text, when
    its content is no longer what the source gave (a task's UTF-8 bytes); None reads it from the content."""
    from .archive.records import Record

    raw, was_text = _raw(item.content)
    return Record(
        source=item.source or f"input:{digest}",
        content_hash=digest,
        raw=compress(raw),
        raw_is_text=was_text if is_text is None else is_text,
        size=len(raw),
        url=item.url,
        kind=item.kind,
        fetched_at=item.fetched_at,
        **outcome,  # type: ignore[arg-type]
    )


def _outcome(item: Input, digest: str, article: Article, is_text: bool | None = None) -> Record:
    if article.rejection:
        return _record(item, digest, is_text, reason=article.rejection, error=article.error)
    try:
        if _SURROGATE.search(article.text):  # the text is stored beside the payload, not in it
            raise UnicodeEncodeError("utf-8", article.text, 0, 1, "lone surrogate")
        payload = encode_article(article)  # raises for a lone surrogate in any other field
    except UnicodeEncodeError:
        # Lone surrogates ("\\ud800" escapes in JSON input) have no UTF-8 form: store them replaced.
        article = _without_surrogates(article)
        payload = encode_article(article)
    return _record(
        item,
        digest,
        is_text,
        article=_indexed(article),
        fingerprint=dedup.fingerprint(article.text),
        payload=payload,
    )


def _indexed(article: Article) -> Article:
    """The article without what only ``payload`` needs (blocks, images past the first, the explain
    trace): what the writer indexes, and less for a worker to pickle and the writer to unpickle."""
    return replace(article, blocks=[], images=article.images[:1], explain=None)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(article: Article) -> Article:
    text = json.dumps(article.to_dict(explain=False), ensure_ascii=False)
    clean = text.encode("utf-8", "replace").decode("utf-8")
    return Article.from_dict(json.loads(clean))


def record_for(article: Article, *, source: str, raw: bytes | str = b"") -> Record:
    """A record for an article extracted elsewhere (``Archive.add``)."""
    item = Input(
        content=raw,
        url=article.url,
        fetched_at=article.fetched_at,
        source=source,
        kind=article.kind or "auto",
    )
    digest = _content_hash(item, _raw(raw)[0] + encode_article(_without_surrogates(article)))
    return _outcome(item, digest, article)


def _extract_chunk(tasks: list[_Task], options: Options) -> list[Record]:
    """A worker's chunk (or one task in this process): every input extracted as its source gave it, then
    every record made (fingerprint, payload, the bytes compressed as handed over). Stage by stage, each
    stage's code and data stay warm in the processor's caches across the chunk; made page by page, the
    records cost 0.14 ms a page more in one process (± 0.03: 256 chunks of synthetic pages timed both ways
    in turn), about 3% of a page. In the pool the gain hides in the machine's noise."""
    articles = [extract_input(_given(item, is_text), options) for item, _, is_text in tasks]
    return [
        _outcome(item, digest, article, is_text)
        for (item, digest, is_text), article in zip(tasks, articles, strict=True)
    ]


# -- extraction: in this process, or on a pool ------------------------------------------------------


def _serial(tasks: Iterable[_Task], options: Options) -> Iterator[Record]:
    for task in tasks:
        try:
            (record,) = _extract_chunk([task], options)
        except Exception as exc:  # a bug on one page: recorded as a pool records it, the run goes on
            record = _task_failed(task, Reason.UNREADABLE, crash_message(exc))
        yield record


def _task_failed(task: _Task, reason: Reason, message: str) -> Record:
    """The record of a task that could not be worked: a rejection with ``reason``."""
    item, digest, is_text = task
    return _record(item, digest, is_text, reason=reason.value, error=f"{reason.value}: {message}")


# -- the run ----------------------------------------------------------------------------------------


def _inputs(sources: Iterable[str | Input], *, text_only: bool = False) -> Iterator[Input]:
    """Every input of every source; URLs, feeds and sitemaps share one fetcher (robots.txt, pacing).
    ``text_only``: leave out JSON-lines rows that cannot be flattened text (``iter_inputs``)."""
    from .sources import Fetcher

    with ExitStack() as stack:
        fetcher: Fetcher | None = None
        for source in sources:
            if isinstance(source, Input):
                yield source
                continue
            spec = str(source)
            if not os.path.exists(spec) and not any(ch in spec for ch in "*?["):
                fetcher = fetcher or stack.enter_context(Fetcher())
            yield from iter_inputs(spec, fetcher=fetcher, text_only=text_only)


def _rereadable(sources: Iterable[str | Input]) -> list[str | Input] | None:
    """The sources worth reading a second time to learn site templates: files, folders, globs, WET files and
    inputs; not what would be fetched again (URLs, feeds, sitemaps, URL lists) nor WARC files (responses:
    HTML). None when ``sources`` is a stream."""
    from .sources.files import is_url_list

    if not isinstance(sources, list | tuple):
        return None
    fetched = re.compile(r"^(?:https?|feed|sitemap|page|urls):", re.I)
    return [
        s
        for s in sources
        if not isinstance(s, str) or not (fetched.match(s) or is_url_list(s) or not may_hold_text(s))
    ]


def _with_templates(sources: Iterable[str | Input], opts: Options) -> Options:
    """Options carrying the site templates of every flattened-text page in ``sources``, learned in a first
    pass so that each page of a site is decided with the same template whatever the order, the number of
    workers or a resumed run (and as the Spark job decides it). Remote sources are not read twice."""
    if not opts.site_templates or opts.templates is not None:
        return opts
    again = _rereadable(sources)
    if not again:
        return opts
    book = learn_templates(_inputs(again, text_only=True), opts).compact()
    return opts.with_(templates=book) if len(book) else opts


def _new_tasks(archive: Backend, inputs: Iterator[Input], report: IngestReport) -> Iterator[_Task]:
    """Inputs the archive does not hold yet (resume and idempotence), counted as read either way."""
    while chunk := [_task(item) for item in islice(inputs, 512)]:
        report.read += len(chunk)
        known = archive.known((item.source or "", digest) for item, digest, _ in chunk)
        for task in chunk:
            if (task[0].source, task[1]) in known:
                report.unchanged += 1
            else:
                yield task


def _progress(enabled: bool | None) -> Any:
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(desc="ingest", unit=" inputs", disable=not show, dynamic_ncols=True, smoothing=0.05)


def ingest(
    archive: Backend,
    sources: Iterable[str | Input],
    *,
    options: Options | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    batch_size: int = _BATCH,
) -> IngestReport:
    """Extract every input of ``sources`` into ``archive``; see the module docstring for the steps.

    ``workers``: extraction processes (default: every core; 0 runs in this process, without a time
    limit). ``progress``: a progress bar on stderr (default: when stderr is a terminal).
    ``batch_size``: records per transaction, the most a crash can take back.
    """
    from .archive.records import IngestReport

    opts = _with_templates(sources, options or Options())
    workers = os.cpu_count() or 1 if workers is None else workers
    timeout = opts.timeout or DEFAULT_TIMEOUT
    started, clock = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
    report = IngestReport()
    named = [s for s in sources if isinstance(s, str)] if isinstance(sources, list | tuple) else []
    tasks = _new_tasks(archive, _inputs(sources), report)
    records = (
        pooled(
            _extract_chunk,
            tasks,
            opts,
            workers=workers,
            timeout=timeout,
            fail=_task_failed,
            chunk=_CHUNK,
            # two batches of pages in flight: the workers go on while this process writes one
            ahead=-(-2 * batch_size // _CHUNK),
        )
        if workers > 0
        else _serial(tasks, opts)
    )
    batch: list[Record] = []
    opened = 0.0  # when the batch got its first record: the clock starts there, not at reading or start-up
    with _progress(progress) as bar:
        for record in records:
            if not batch:
                opened = time.monotonic()
            batch.append(record)
            if len(batch) >= batch_size or time.monotonic() - opened > _FLUSH_SECONDS:
                _flush(archive, batch, report, bar)
        _flush(archive, batch, report, bar)
        bar.update(report.read - bar.n)
    archive.recluster()
    report.seconds = time.perf_counter() - clock
    archive.log_run(named, report, started)
    return report


def _flush(archive: Backend, batch: list[Record], report: IngestReport, bar: Any) -> None:
    if not batch:
        return
    done = archive.write(batch)
    report.articles += done.articles
    report.versions += done.versions
    report.unchanged += done.unchanged
    report.rejected.update(done.rejected)
    bar.update(report.read - bar.n)
    bar.set_postfix(
        articles=report.articles + report.versions, rejected=sum(report.rejected.values()), refresh=False
    )
    batch.clear()
