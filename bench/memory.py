"""Memory over a long run: broadsheet's resident memory while it extracts N pages of the development sets.

    PYTHONPATH=src:. python -m bench.memory --pages 10000

The pages of every set (both splits: memory is not a score) are cycled in a fixed shuffled order
until N have been extracted, each read from disk when its turn comes, so the run holds one page
at a time, as a worker does. The run happens in a fresh child process that imports nothing but
broadsheet and this module. Resident memory is read after every page; the report gives:

* ``base``  — resident memory after the first ``--warm-up`` pages (imports, models, first caches);
* ``peak``  — the process's high-water mark over the whole run (``VmHWM``), the number the budget is on;
* ``drift`` — the run after warm-up cut into ten windows, each summarised by its highest resident
  memory: how much the last two windows exceed the first two, as a share of the latter. Resident
  memory swings with the page just read (a large page leaves the allocator holding more), so
  windows of the same page mix are compared; a leak shows as drift that grows with N.

Prints a summary and writes the per-window maxima as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .datasets import SETS, data_root

__all__ = ["main", "page_list", "rss_mib"]


def rss_mib() -> tuple[float, float]:
    """(resident, high-water mark) of this process in MiB, from ``/proc/self/status``."""
    found = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line[:5]] = int(line.split()[1]) / 1024
    return found.get("VmRSS", 0.0), found.get("VmHWM", 0.0)


def page_list(sets: tuple[str, ...], seed: int = 7) -> list[tuple[str, str | None]]:
    """(page file, URL) of every page of ``sets`` in a fixed shuffled order; no page is loaded."""
    root = data_root()
    if root is None:
        raise SystemExit("bench.memory: development data not found (../shared/data or $BROADSHEET_DATA)")
    pages = []
    for name in sets:
        with (root / name / "truth.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                truth = json.loads(line)
                pages.append((str(root / name / "pages" / f"{truth['id']}.html.gz"), truth.get("url")))
    random.Random(seed).shuffle(pages)
    return pages


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    """The measured run (in a fresh process): extract ``pages`` pages, reading memory after each."""
    import broadsheet

    pages = page_list(tuple(spec["sets"]))
    count, warm_up = spec["pages"], spec["warm_up"]
    resident: list[float] = []
    errors = 0
    base = 0.0
    start = time.process_time()
    for i in range(count):
        path, url = pages[i % len(pages)]
        try:
            broadsheet.extract(gzip.decompress(Path(path).read_bytes()), url, kind="html")
        except Exception:  # extract never raises for bad input; count anything that does
            errors += 1
        if i + 1 == warm_up:
            base = rss_mib()[0]
        if i + 1 > warm_up:
            resident.append(rss_mib()[0])
    cpu = time.process_time() - start
    size = max(1, len(resident) // 10)
    windows = [max(resident[k : k + size]) for k in range(0, len(resident) - size + 1, size)] or [base]
    first, last = sum(windows[:2]) / len(windows[:2]), sum(windows[-2:]) / len(windows[-2:])
    return {
        "pages": count,
        "distinct_pages": min(count, len(pages)),
        "errors": errors,
        "cpu_s": cpu,
        "base_mib": base,
        "peak_mib": rss_mib()[1],
        "drift": (last - first) / first if first else 0.0,
        "window_pages": size,
        "window_max_mib": windows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000, help="pages to extract (default 10,000)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated sets (default: all)")
    parser.add_argument("--warm-up", type=int, default=250, help="pages before the base sample (default 250)")
    parser.add_argument("--out", type=Path, help="write the result and samples as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(json.loads(args.child))))
        return 0
    spec = {"pages": args.pages, "sets": args.sets.split(","), "warm_up": args.warm_up}
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return 1
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{result['pages']:,} pages ({result['distinct_pages']:,} distinct), {result['errors']} errors, "
        f"{result['pages'] / result['cpu_s']:.0f} pages/s (CPU)"
    )
    print(f"resident memory: base {result['base_mib']:.0f} MiB after {args.warm_up} pages, ", end="")
    print(f"peak {result['peak_mib']:.0f} MiB, drift {result['drift']:+.1%} (last two vs first two tenths)")
    print("highest per tenth:", " ".join(f"{m:.0f}" for m in result["window_max_mib"]), "MiB")
    if args.out:
        args.out.write_text(json.dumps({"command": " ".join(sys.argv), **result}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
