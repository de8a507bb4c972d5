"""Extraction on a process pool: per-page deadlines and memory limits that hold whatever a parser does.

A page that hangs a C parser cannot be interrupted in its own process; it can only be stopped by
killing the process. ``pooled`` maps a work function over chunks of items on pebble worker processes:

1. chunks    items go to the workers in chunks, ``workers * 4`` chunks in flight, results in order
2. deadline  a chunk gets ``timeout`` seconds; over it (or when its worker dies) the worker is
             killed and replaced, and the chunk is run again item by item, each with ``timeout``,
             so only the item at fault fails: ``timeout``, or ``unreadable`` when its worker died
3. memory    each worker may grow its address space by ``Options.max_memory`` bytes (RLIMIT_AS);
             past it an allocation fails and the page becomes a ``too_large`` rejection
4. options   go to each worker once, when it starts, not with every chunk: they may carry a corpus's
             site templates (hundreds of kB for a web-archive segment's sites)

Used by ``ingest`` (items are inputs, results archive records) and ``extract_many`` (pages, articles).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from itertools import islice
from typing import Any, TypeVar

from .errors import Reason
from .options import Options

__all__ = ["CHUNK", "DEFAULT_TIMEOUT", "crash_message", "limit_memory", "pooled"]

#: Seconds one page may take in a worker when ``Options.timeout`` does not say.
DEFAULT_TIMEOUT = 30.0
CHUNK = 16  # items per task sent to a worker: amortises the hand-over, small enough to re-run
_PIPE_BYTES = 1 << 20  # the pool's pipes: /proc/sys/fs/pipe-max-size is 1 MiB by default

T = TypeVar("T")
R = TypeVar("R")
#: ``work(chunk, options)`` runs in a worker (a module-level function, so it pickles); one result per item.
Work = Callable[[list[T], Options], list[R]]
#: ``fail(item, reason, message)`` makes the result of an item that could not be worked.
Fail = Callable[[T, Reason, str], R]


def pooled(
    work: Work[T, R],
    items: Iterable[T],
    options: Options,
    *,
    workers: int,
    timeout: float,
    fail: Fail[T, R],
    chunk: int = CHUNK,
    ahead: int = 0,
) -> Iterator[R]:
    """``work`` over ``items`` on ``workers`` processes, one result per item in order (see the module doc).
    ``chunk``: items per task. ``ahead``: chunks in flight (default ``workers * 4``), enough to keep every
    worker busy while the consumer is away: a consumer that stops to write a batch wants a batch's worth.
    A chunk's deadline starts when a worker takes it up, not when it is queued."""
    from pebble import ProcessPool

    window = max(ahead, workers * 4)
    pool = ProcessPool(
        max_workers=workers, context=_context(), initializer=_start_worker, initargs=(options,)
    )
    try:
        pending: deque[tuple[list[T], Any]] = deque()
        it = iter(items)
        while part := list(islice(it, chunk)):
            pending.append((part, pool.schedule(_run, args=(work, part), timeout=timeout)))
            if len(pending) == 1:  # the first schedule started the pool: its pipes exist now
                _widen_pipes(pool)
            while len(pending) >= window:
                done, future = pending.popleft()
                yield from _collect(pool, work, done, future, options, timeout, fail)
        while pending:
            done, future = pending.popleft()
            yield from _collect(pool, work, done, future, options, timeout, fail)
    except BaseException:  # interrupted, or the consumer failed: do not wait for the chunks in flight
        pool.stop()
        raise
    finally:
        pool.close()
        pool.join()


def _widen_pipes(pool: Any) -> bool:
    """Let the pool's pipes hold 1 MiB (Linux; the default is 64 KiB) once it has started; whether they do.

    A chunk's results (some 200 KB) then go into the pipe in one write and the worker takes up its next
    chunk at once, instead of waiting, one 64 KiB piece at a time, for this process's receiving thread
    to get the GIL between the writer's SQL statements. pebble does not expose its pipes: where its
    internals differ, or the system refuses, the pipes stay as they are (only slower).
    """
    try:
        import fcntl

        channel = pool._pool_manager.worker_manager.pool_channel
        for conn in (channel.reader, channel.writer):
            fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (AttributeError, ImportError, OSError, ValueError):
        return False
    return True


def _context() -> multiprocessing.context.BaseContext:
    # Workers fork from a small server process that has imported broadsheet, not from this process:
    # they start fast, inherit no large heap (no copy-on-write churn) and no threads.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["broadsheet.ingest"])
    return ctx


#: The options of the run, in a worker: set once by ``_start_worker`` (see the module doc, step 4).
_options: Options | None = None


def _start_worker(options: Options) -> None:
    """Set a worker up: the run's options, its memory limit, and a SIGTERM that ends it even in the middle
    of C code.

    pebble stops a worker over its deadline with SIGTERM, handled in Python, which cannot run while a
    parser is stuck in C; pebble then waits 3 s before SIGKILL. The default action ends it at once.
    """
    global _options
    _options = options
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    limit_memory(options.max_memory)


def _run(work: Work[T, R], items: list[T]) -> list[R]:
    """``work`` over a chunk, in a worker, with the options the worker was started with."""
    if _options is None:
        raise RuntimeError("not a worker started by pooled()")
    return work(items, _options)


def limit_memory(max_memory: int) -> None:
    """Let this process grow its address space by at most ``max_memory`` bytes (0: no limit; Linux only).

    The limit is relative to the size the process has now, so that the libraries it has mapped (numpy,
    the parsers, the models) do not count against the page; a worker calls it once, at start.
    """
    if max_memory <= 0:
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            size = int(fh.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError):
        return  # no address-space figure to start from: leave the process unlimited
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + max_memory
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _collect(
    pool: Any,
    work: Work[T, R],
    chunk: list[T],
    future: Any,
    options: Options,
    timeout: float,
    fail: Fail[T, R],
) -> list[R]:
    """A chunk's results; when the chunk timed out or killed its worker, each item again on its own."""
    try:
        results: list[R] = future.result()
        return results
    except Exception:  # a timeout, a dead worker or a bug: find the item at fault
        singles = [pool.schedule(_run, args=(work, [item]), timeout=timeout) for item in chunk]
        return [_single(item, f, timeout, options, fail) for item, f in zip(chunk, singles, strict=True)]


def _single(item: T, future: Any, timeout: float, options: Options, fail: Fail[T, R]) -> R:
    from pebble import ProcessExpired

    try:
        result: R = future.result()[0]
        return result
    except FutureTimeout:
        return fail(item, Reason.TIMEOUT, f"extraction took longer than {timeout:g}s")
    except MemoryError:
        return fail(
            item, Reason.TOO_LARGE, f"extraction needs more than {options.max_memory:,} bytes of memory"
        )
    except ProcessExpired as exc:
        memory = f"; over the memory limit of {options.max_memory:,} bytes?" if options.max_memory else ""
        return fail(item, Reason.UNREADABLE, f"the extraction worker died on this page ({exc}{memory})")
    except Exception as exc:  # recorded, the run goes on
        return fail(item, Reason.UNREADABLE, crash_message(exc))


def crash_message(exc: Exception) -> str:
    """What a page that raised is recorded with (a bug in broadsheet: the run goes on, the page says why)."""
    return f"extraction failed: {type(exc).__name__}: {exc}"
