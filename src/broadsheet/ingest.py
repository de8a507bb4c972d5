"""Ingestion: sources → inputs → extraction on every core → archive, in order, resumable.

  1. read     ``sources.iter_inputs`` yields ``Input`` records, each with a stable source key
  2. skip     inputs whose (source key, content hash) the archive holds already: re-runs and resumed
              runs do no work twice, and an input given twice is stored once
  3. extract  chunks of inputs go to a process pool (pebble); each worker extracts, fingerprints the
              body for dedup and compresses the raw input. A chunk over the time limit or whose worker
              died is re-run page by page, so only the page at fault becomes a ``timeout`` (or
              ``unreadable``) rejection, and the pool replaces the worker
  4. write    results in input order, in batched transactions (``Archive.write``): the archive is the
              same whatever the number of workers, and a killed run resumes where its last batch ended
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING

from . import dedup
from .article import Article, Input
from .errors import Reason
from .options import Options
from .pipeline import extract_input
from .sources import iter_inputs

from .archive.records import encode_article

if TYPE_CHECKING:
    from .archive import Archive
    from .archive.records import IngestReport, Record

__all__ = ["DEFAULT_TIMEOUT", "ingest", "make_record", "record_for"]

#: Seconds one page may take in a worker when ``Options.timeout`` does not say.
DEFAULT_TIMEOUT = 30.0
_CHUNK = 16  # inputs per task sent to a worker: amortises the hand-over, small enough to re-run
_BATCH = 256  # records per write transaction
_FLUSH_SECONDS = 2.0  # a slow source still commits this often
_Task = tuple[Input, str]  # an input and its content hash


def _raw(content: bytes | str) -> tuple[bytes, bool]:
    if isinstance(content, str):
        return content.encode("utf-8", "surrogatepass"), True
    return bytes(content), False


def _content_hash(item: Input, raw: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{item.kind}\x00{item.url or ''}\x00{item.rejection or ''}\x00".encode("utf-8", "surrogatepass"))
    h.update(raw)
    return h.hexdigest()


def _task(item: Input) -> _Task:
    digest = _content_hash(item, _raw(item.content)[0])
    if not item.source:
        item.source = f"input:{digest}"
    return item, digest


def _record(item: Input, digest: str, **outcome: object) -> Record:
    from .archive.records import Record

    raw, is_text = _raw(item.content)
    return Record(
        source=item.source or f"input:{digest}", content_hash=digest, raw=zlib.compress(raw, 1),
        raw_is_text=is_text, size=len(raw), url=item.url, kind=item.kind, fetched_at=item.fetched_at,
        **outcome,  # type: ignore[arg-type]
    )


def make_record(item: Input, digest: str, options: Options) -> Record:
    """Extract one input and prepare what the archive stores of it (runs in a worker)."""
    article = extract_input(item, options)
    if article.rejection:
        return _record(item, digest, reason=article.rejection, error=article.error)
    return _record(
        item, digest, article=article, fingerprint=dedup.fingerprint(article.text), payload=encode_article(article)
    )


def record_for(article: Article, *, source: str, raw: bytes | str = b"") -> Record:
    """A record for an article extracted elsewhere (``Archive.add``)."""
    item = Input(content=raw, url=article.url, fetched_at=article.fetched_at, source=source, kind=article.kind or "auto")
    digest = _content_hash(item, _raw(raw)[0] + json.dumps(article.to_dict(explain=False), sort_keys=True).encode())
    if article.rejection:
        return _record(item, digest, reason=article.rejection, error=article.error)
    return _record(item, digest, article=article, fingerprint=dedup.fingerprint(article.text))


def _failed(item: Input, digest: str, reason: Reason, message: str) -> Record:
    return _record(item, digest, reason=reason.value, error=f"{reason.value}: {message}")


def _extract_chunk(tasks: list[_Task], options: Options) -> list[Record]:
    return [make_record(item, digest, options) for item, digest in tasks]


# -- extraction: in this process, or on a pool ------------------------------------------------------


def _serial(tasks: Iterable[_Task], options: Options) -> Iterator[Record]:
    for item, digest in tasks:
        yield make_record(item, digest, options)


def _pooled(tasks: Iterable[_Task], options: Options, workers: int, timeout: float) -> Iterator[Record]:
    from pebble import ProcessPool

    window = workers * 4
    with ProcessPool(max_workers=workers) as pool:
        pending: deque = deque()
        it = iter(tasks)
        while chunk := list(islice(it, _CHUNK)):
            pending.append((chunk, pool.schedule(_extract_chunk, args=(chunk, options), timeout=timeout)))
            while len(pending) >= window:
                yield from _collect(pool, *pending.popleft(), options, timeout)
        while pending:
            yield from _collect(pool, *pending.popleft(), options, timeout)


def _collect(pool: object, chunk: list[_Task], future: object, options: Options, timeout: float) -> list[Record]:
    """A chunk's records; when the chunk timed out or killed its worker, each page again on its own."""
    try:
        return future.result()  # type: ignore[attr-defined, no-any-return]
    except Exception:  # noqa: BLE001 - a timeout, a dead worker or a bug: find the page at fault
        singles = [pool.schedule(_extract_chunk, args=([t], options), timeout=timeout) for t in chunk]  # type: ignore[attr-defined]
        return [_single(task, f, timeout) for task, f in zip(chunk, singles, strict=True)]


def _single(task: _Task, future: object, timeout: float) -> Record:
    from pebble import ProcessExpired

    item, digest = task
    try:
        return future.result()[0]  # type: ignore[attr-defined, no-any-return]
    except FutureTimeout:
        return _failed(item, digest, Reason.TIMEOUT, f"extraction took longer than {timeout:g}s")
    except ProcessExpired as exc:
        return _failed(item, digest, Reason.UNREADABLE, f"the extraction worker died on this page ({exc})")
    except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
        return _failed(item, digest, Reason.UNREADABLE, f"extraction failed: {type(exc).__name__}: {exc}")


# -- the run ----------------------------------------------------------------------------------------


def _inputs(sources: Iterable[str | Input]) -> Iterator[Input]:
    for source in sources:
        if isinstance(source, Input):
            yield source
        else:
            yield from iter_inputs(str(source))


def _new_tasks(archive: Archive, inputs: Iterator[Input], report: IngestReport) -> Iterator[_Task]:
    """Inputs the archive does not hold yet (resume and idempotence), counted as read either way."""
    while chunk := [_task(item) for item in islice(inputs, 512)]:
        report.read += len(chunk)
        known = archive.known((item.source or "", digest) for item, digest in chunk)
        for item, digest in chunk:
            if (item.source, digest) in known:
                report.unchanged += 1
            else:
                yield item, digest


def _progress(enabled: bool | None):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(desc="ingest", unit=" inputs", disable=not show, dynamic_ncols=True, smoothing=0.05)


def ingest(
    archive: Archive,
    sources: Iterable[str | Input],
    *,
    options: Options | None = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> IngestReport:
    """Extract every input of ``sources`` into ``archive``; see the module docstring for the steps.

    ``workers``: extraction processes (default: every core; 0 runs in this process, without a time
    limit). ``progress``: a progress bar on stderr (default: when stderr is a terminal).
    """
    from .archive.records import IngestReport

    opts = options or Options()
    workers = os.cpu_count() or 1 if workers is None else workers
    timeout = opts.timeout or DEFAULT_TIMEOUT
    started, clock = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
    report = IngestReport()
    named = [s for s in sources if isinstance(s, str)] if isinstance(sources, list | tuple) else []
    tasks = _new_tasks(archive, _inputs(sources), report)
    records = _pooled(tasks, opts, workers, timeout) if workers > 0 else _serial(tasks, opts)
    batch: list[Record] = []
    last_flush = time.monotonic()
    with _progress(progress) as bar:
        for record in records:
            batch.append(record)
            if len(batch) >= _BATCH or time.monotonic() - last_flush > _FLUSH_SECONDS:
                _flush(archive, batch, report, bar)
                last_flush = time.monotonic()
        _flush(archive, batch, report, bar)
        bar.update(report.read - bar.n)
    archive.recluster()
    report.seconds = time.perf_counter() - clock
    archive.log_run(named, report, started)
    return report


def _flush(archive: Archive, batch: list[Record], report: IngestReport, bar) -> None:  # type: ignore[no-untyped-def]
    if not batch:
        return
    done = archive.write(batch)
    report.articles += done.articles
    report.versions += done.versions
    report.unchanged += done.unchanged
    report.rejected.update(done.rejected)
    bar.update(report.read - bar.n)
    bar.set_postfix(articles=report.articles + report.versions, rejected=sum(report.rejected.values()), refresh=False)
    batch.clear()
