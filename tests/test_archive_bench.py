"""The archive benchmarks' own parts: stopping the ingestion's process group for a reading, the CPU meter,
and the write benchmark on both backends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from bench.archive_bench import CpuMeter, stopped


def test_stopped_halts_a_whole_process_group_and_lets_it_go_on(tmp_path: Path) -> None:
    ticks = tmp_path / "ticks"
    # a parent and its own child, each adding a byte to the file every 10 ms
    loop = f"import time\nwhile True:\n    open({str(ticks)!r}, 'ab').write(b'.')\n    time.sleep(0.01)\n"
    both = f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', {loop!r}])\nexec({loop!r})\n"
    group = subprocess.Popen([sys.executable, "-c", both], start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while (not ticks.exists() or ticks.stat().st_size < 20) and time.monotonic() < deadline:
            time.sleep(0.05)
        with stopped(group.pid):
            time.sleep(0.1)  # a write under way when the signal came lands
            size = ticks.stat().st_size
            time.sleep(0.5)
            assert ticks.stat().st_size == size, "nothing in the group runs while it is stopped"
        time.sleep(0.5)
        assert ticks.stat().st_size > size + 10, "both go on afterwards"
    finally:
        os.killpg(group.pid, signal.SIGKILL)
        group.wait()


_BURN = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass\n"


def test_cpu_meter_counts_a_child_process() -> None:
    with CpuMeter() as meter:
        subprocess.run([sys.executable, "-c", _BURN], check=True)
    assert 0.6 <= meter.children < 3.0


def test_cpu_meter_counts_a_grandchild_that_ended_under_a_living_parent() -> None:
    # as a pool worker ends under the fork server, which lives on: the parent waited for the grandchild
    script = (
        f"import subprocess, sys, time\nsubprocess.run([sys.executable, '-c', {_BURN!r}])\n"
        "print('done', flush=True)\ntime.sleep(30)\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as parent:
        try:
            with CpuMeter() as meter:
                assert parent.stdout is not None and parent.stdout.readline().strip() == "done"
        finally:
            parent.kill()
    # the meter starts as the parent starts up, before the grandchild burns (a margin for a slow start)
    assert 0.5 <= meter.children < 3.0


@pytest.mark.postgres
def test_the_write_benchmark_stores_every_record_on_both_backends(tmp_path: Path, pg_server: Any) -> None:
    from bench.write_bench import _postgres_schema, make_records, write_round

    from broadsheet import Archive

    records = make_records(24, seed=3)
    targets = [str(tmp_path / "write.db"), _postgres_schema(pg_server.url(), "write_bench_test")]
    try:
        for location in targets:
            wall, cpu = write_round(location, records, batch=10)
            assert wall > 0 and cpu > 0
            with Archive(location) as archive:
                stats = archive.stats()
                assert stats.inputs == 24 and stats.articles == len({r.url for r in records})
    finally:
        _postgres_schema(pg_server.url(), "write_bench_test", drop=True)
