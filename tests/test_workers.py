"""The extraction pool's hand-over: results in order, and pipes wide enough for a chunk's results."""

from __future__ import annotations

import os
import pickle
import sys

import pytest

from broadsheet import Input, Options
from broadsheet.ingest import _extract_chunk, _task, _task_failed
from broadsheet.synthetic import generate
from broadsheet.workers import _PIPE_BYTES, _context, _widen_pipes, pooled

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")


@linux_only
def test_the_pool_pipes_are_widened_once_it_runs() -> None:
    import fcntl

    from pebble import ProcessPool

    pool = ProcessPool(max_workers=1, context=_context())
    try:
        assert pool.schedule(os.getpid).result(timeout=30) != os.getpid()
        channel = pool._pool_manager.worker_manager.pool_channel
        before = [fcntl.fcntl(c.fileno(), fcntl.F_GETPIPE_SZ) for c in (channel.reader, channel.writer)]
        assert _widen_pipes(pool)
        after = [fcntl.fcntl(c.fileno(), fcntl.F_GETPIPE_SZ) for c in (channel.reader, channel.writer)]
    finally:
        pool.stop()
        pool.join()
    assert before == [65536, 65536]
    assert after == [_PIPE_BYTES, _PIPE_BYTES]


def test_widening_what_is_not_a_pebble_pool_changes_nothing() -> None:
    assert not _widen_pipes(object())  # internals missing: the pool runs with the pipes it has


def test_chunks_with_results_larger_than_a_default_pipe_come_back_in_order() -> None:
    pages = generate(24, seed=3)
    tasks = [_task(Input(content=p.html, url=p.url, source=f"p{i}")) for i, p in enumerate(pages)]
    records = list(
        pooled(_extract_chunk, tasks, Options(), workers=2, timeout=60, fail=_task_failed, chunk=12)
    )
    assert [r.source for r in records] == [f"p{i}" for i in range(24)]
    assert all(r.article is not None and r.article.text for r in records)
    # twelve records with their compressed inputs and payloads: more than a 64 KiB pipe holds at once
    assert len(pickle.dumps(records[:12], -1)) > 65536
