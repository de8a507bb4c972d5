"""The archive benchmark's own parts: the scrape's split into consecutive runs, and the CPU meter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.archive_bench import CpuMeter, split_scrape


def test_split_scrape_keeps_every_line_in_order(tmp_path: Path) -> None:
    scrape = tmp_path / "pages.jsonl"
    lines = [f'{{"n": {i}}}\n' for i in range(11)]
    scrape.write_text("".join(lines), encoding="utf-8")
    parts = split_scrape(scrape, 11, 3)
    assert len(parts) == 3
    read = [p.read_text(encoding="utf-8") for p in parts]
    assert "".join(read) == "".join(lines)
    assert [len(r.splitlines()) for r in read] == [4, 3, 4]
    assert split_scrape(scrape, 11, 3) == parts  # made once, found the second time


def test_cpu_meter_counts_a_child_process() -> None:
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass\n"
    with CpuMeter() as meter:
        subprocess.run([sys.executable, "-c", burn], check=True)
    # the child's CPU is read while it runs (every 0.25 s), so most of its 0.6 s is seen
    assert meter.children >= 0.25
