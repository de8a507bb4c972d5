"""Speed and memory: every extractor on the same fixed pages, each in its own fresh Python process.

The child pins itself to one core, loads the pages, warms the extractor up on a few of them (imports,
lazy models), then times one pass over all pages in CPU seconds (robust to other work on a shared
machine) and reports its peak resident memory. Absolute numbers drift from machine to machine and
run to run; the report leads with ratios to trafilatura run in the same way on the same pages.

Run as ``python -m bench.speed SPEC`` (a pickle written by ``measure``); prints one JSON line.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import extractors
from .cases import Case

__all__ = ["REFERENCE", "measure", "with_ratios"]

#: the yardstick: trafilatura's ``bare_extraction(with_metadata=True)`` on the same input.
REFERENCE = "trafilatura"
WARM_UP = 3


def _peak_rss_mib() -> float:
    """This process's resident-memory high-water mark.

    ``/proc/self/status`` VmHWM belongs to the process's own address space; ``getrusage``'s
    ``ru_maxrss`` would carry over the high-water mark of the (large) parent that forked us.
    """
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: best effort


def _child(spec: Path) -> dict[str, Any]:
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[-1]})
    with spec.open("rb") as fh:
        job = pickle.load(fh)
    name: str = job["name"]
    cases: list[Case] = job["cases"]
    base = _peak_rss_mib()
    errors = 0
    for case in cases[:WARM_UP]:
        with contextlib.suppress(Exception):
            extractors.run(name, case)
    cpu, wall = time.process_time(), time.perf_counter()
    for case in cases:
        try:
            extractors.run(name, case)
        except Exception:
            errors += 1
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "pages": len(cases),
        "cpu_s": cpu,
        "wall_s": wall,
        "pages_per_s": len(cases) / cpu if cpu else 0.0,
        "peak_rss_mib": _peak_rss_mib(),
        "base_rss_mib": base,
        "errors": errors,
    }


def measure(
    jobs: Sequence[tuple[str, str]], cases: Sequence[Case], *, timeout: float = 1800
) -> list[dict[str, Any]]:
    """Time each ``(extractor, variant)`` on the ``cases`` of that variant, one fresh process each."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        for name, variant in jobs:
            chosen = [c for c in cases if c.variant == variant]
            spec = Path(tmp) / f"{name}-{variant}.pickle"
            with spec.open("wb") as fh:
                pickle.dump({"name": name, "cases": chosen}, fh)
            print(f"speed: {name} on {len(chosen)} {variant} pages", file=sys.stderr, flush=True)
            done = subprocess.run(
                [sys.executable, "-m", "bench.speed", str(spec)],
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            if done.returncode != 0:
                rows.append({"extractor": name, "variant": variant, "failed": done.stderr.strip()[-500:]})
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append({"extractor": name, "variant": variant, **result})
    return with_ratios(rows)


def with_ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``speed_ratio`` and ``rss_ratio`` against the reference row of the same variant."""
    reference = {r["variant"]: r for r in rows if r["extractor"] == REFERENCE and "failed" not in r}
    for row in rows:
        ref = reference.get(row["variant"])
        if ref is None or "failed" in row:
            continue
        row["speed_ratio"] = row["pages_per_s"] / ref["pages_per_s"] if ref["pages_per_s"] else None
        row["rss_ratio"] = row["peak_rss_mib"] / ref["peak_rss_mib"] if ref["peak_rss_mib"] else None
    return rows


def main(argv: Sequence[str]) -> int:
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    print(json.dumps(_child(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
