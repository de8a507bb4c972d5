"""The archive benchmark's own parts: stopping the ingestion's process group for a reading, and the CPU meter."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def test_cpu_meter_counts_a_child_process() -> None:
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass\n"
    with CpuMeter() as meter:
        subprocess.run([sys.executable, "-c", burn], check=True)
    # the child's CPU is read while it runs (every 0.25 s), so most of its 0.6 s is seen
    assert meter.children >= 0.25
