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
import statistics
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
#: Timings of broadsheet and the reference per variant (``measure``).
ROUNDS = 3


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
    jobs: Sequence[tuple[str, str]], cases: Sequence[Case], *, rounds: int = ROUNDS, timeout: float = 1800
) -> list[dict[str, Any]]:
    """Time each ``(extractor, variant)`` on the ``cases`` of that variant, one fresh process each.

    broadsheet and the reference run ``rounds`` times, one after the other in each round, the other
    extractors once: the machine's speed drifts between runs by more than the targets' margins (two runs
    of the same code on the same pages minutes apart: 34 and 49 pages/s), so a ratio of two runs seconds
    apart, its median over the rounds, is what the report gives (``with_ratios``)."""
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {job: [] for job in jobs}
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        for round_ in range(rounds):
            for name, variant in jobs:
                if round_ and name not in (REFERENCE, extractors.BROADSHEET):
                    continue
                if runs[(name, variant)] and "failed" in runs[(name, variant)][-1]:
                    continue
                runs[(name, variant)].append(_run_child(Path(tmp), name, variant, cases, timeout))
    rows = []
    for (name, variant), results in runs.items():
        if "failed" in results[-1]:
            rows.append({"extractor": name, "variant": variant, "failed": results[-1]["failed"]})
            continue
        speeds = [r["pages_per_s"] for r in results]
        rows.append(
            {
                "extractor": name,
                "variant": variant,
                **results[0],
                "pages_per_s": statistics.median(speeds),
                "pages_per_s_rounds": speeds,
                "peak_rss_mib": max(r["peak_rss_mib"] for r in results),
            }
        )
    return with_ratios(rows)


def _run_child(tmp: Path, name: str, variant: str, cases: Sequence[Case], timeout: float) -> dict[str, Any]:
    """One timing of one extractor on one variant's cases, in a fresh process."""
    chosen = [c for c in cases if c.variant == variant]
    spec = tmp / f"{name}-{variant}.pickle"
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
        return {"failed": done.stderr.strip()[-500:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def with_ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``speed_ratio`` and ``rss_ratio`` against the reference row of the same variant. Where both
    rows were timed in the same rounds, the speed ratio is the median of the rounds' ratios."""
    reference = {r["variant"]: r for r in rows if r["extractor"] == REFERENCE and "failed" not in r}
    for row in rows:
        ref = reference.get(row["variant"])
        if ref is None or "failed" in row:
            continue
        mine, theirs = row.get("pages_per_s_rounds") or [], ref.get("pages_per_s_rounds") or []
        if len(mine) > 1 and len(mine) == len(theirs) and all(theirs):
            row["speed_ratio"] = statistics.median(a / b for a, b in zip(mine, theirs, strict=True))
        else:
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
