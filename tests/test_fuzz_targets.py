"""The atheris targets, run for real but briefly (a fixed seed, a bounded number of inputs) so that CI
sees a target that no longer starts, or a crash that a short run finds. The long campaigns (100,000
inputs per target) are ``fuzz/campaign.py``, with their numbers in docs/benchmarks.md."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
RUNS = 1_500  # a few seconds a target on a loaded 2-core machine


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["html", "text"])
def test_a_short_fuzzing_run_finds_no_crash(kind: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [
        sys.executable,
        str(FUZZ / f"fuzz_{kind}.py"),
        str(tmp_path / "corpus"),
        f"-runs={RUNS}",
        "-seed=1",
        "-timeout=20",
        "-rss_limit_mb=2048",
        "-max_len=8192",
        f"-artifact_prefix={tmp_path}/",
        "-print_final_stats=1",
    ]
    result = subprocess.run(command, capture_output=True, env=env, timeout=300, check=False)
    log = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, log[-3000:]
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    assert executed is not None and int(executed.group(1)) >= RUNS, log[-2000:]
    assert not [
        path.name for path in tmp_path.iterdir() if path.name.startswith(("crash-", "timeout-", "oom-"))
    ]
