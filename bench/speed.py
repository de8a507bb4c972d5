"""Speed and memory: every extractor on the same fixed pages, each in its own fresh Python process.

The child pins itself to one core, loads the pages, warms the extractor up on a few of them (imports,
lazy models), then times the pages in CPU seconds (robust to other work on a shared machine) and
reports its peak resident memory. Absolute numbers drift from machine to machine and run to run; the
report leads with ratios to trafilatura run in the same way on the same pages.

broadsheet and trafilatura (the ratio's two sides) are timed *paired*: both children stay up, pinned to
the same core, and take the same slices of pages in turn (``SLICE`` pages, the order alternating
slice by slice), ``ROUNDS`` times over; every other extractor makes one pass in its own child. A
neighbour's load that comes and goes over seconds then falls on both sides of the ratio alike.

Run as ``python -m bench.speed SPEC`` (a pickle written by ``measure``; prints one JSON line), or
``python -m bench.speed --serve SPEC`` (times the slices asked on stdin, see ``_serve``).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import resource
import select
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
#: Passes over the pages of broadsheet and the reference per variant, paired slice by slice (``measure``).
ROUNDS = 5
#: Pages per slice of a paired timing: a slice of trafilatura's takes about one second.
SLICE = 10


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


def _ready(spec: Path) -> tuple[str, list[Case], float]:
    """A child set up: pinned to the last core, its job loaded, the extractor warmed up. (name, cases, the
    memory before the extractor was imported)."""
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[-1]})
    with spec.open("rb") as fh:
        job = pickle.load(fh)
    name: str = job["name"]
    cases: list[Case] = job["cases"]
    base = _peak_rss_mib()
    for case in cases[:WARM_UP]:
        with contextlib.suppress(Exception):
            extractors.run(name, case)
    return name, cases, base


def _timed(name: str, cases: Sequence[Case]) -> dict[str, Any]:
    """CPU and wall seconds of one pass over ``cases``, and how many raised."""
    errors = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for case in cases:
        try:
            extractors.run(name, case)
        except Exception:
            errors += 1
    return {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall, "errors": errors}


def _child(spec: Path) -> dict[str, Any]:
    name, cases, base = _ready(spec)
    timed = _timed(name, cases)
    cpu = timed["cpu_s"]
    return {
        "pages": len(cases),
        **timed,
        "pages_per_s": len(cases) / cpu if cpu else 0.0,
        "peak_rss_mib": _peak_rss_mib(),
        "base_rss_mib": base,
    }


def _serve(spec: Path) -> None:
    """A paired timing's child: ready, it prints ``{"ready": ...}``; then each line "i j" on stdin times
    ``cases[i:j]`` (one JSON line out), and "end" prints the peak memory and ends it."""
    name, cases, base = _ready(spec)
    print(json.dumps({"ready": len(cases), "base_rss_mib": base}), flush=True)
    for line in sys.stdin:
        if line.strip() == "end":
            print(json.dumps({"peak_rss_mib": _peak_rss_mib()}), flush=True)
            return
        start, stop = map(int, line.split())
        print(json.dumps(_timed(name, cases[start:stop])), flush=True)


def measure(
    jobs: Sequence[tuple[str, str]], cases: Sequence[Case], *, rounds: int = ROUNDS, timeout: float = 1800
) -> list[dict[str, Any]]:
    """Time each ``(extractor, variant)`` on the ``cases`` of that variant, one fresh process each.

    broadsheet and the reference are timed ``paired``, ``rounds`` passes each, the other extractors once:
    the machine's speed drifts by more than the targets' margins (two runs of the same code on the same
    pages minutes apart: 34 and 49 pages/s), so the report gives the median of the rounds' ratios, each
    from the same slices timed in turn (``with_ratios``)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    pair = (extractors.BROADSHEET, REFERENCE)
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        for name, variant in jobs:
            if name in pair and all((n, variant) in jobs for n in pair):
                if (name, variant) not in found:
                    chosen = [c for c in cases if c.variant == variant]
                    timed = paired(Path(tmp), pair, variant, chosen, rounds=rounds, timeout=timeout)
                    found.update({(n, variant): row for n, row in zip(pair, timed, strict=True)})
                continue
            found[(name, variant)] = _run_child(Path(tmp), name, variant, cases, timeout)
    rows = []
    for name, variant in jobs:
        result = found[(name, variant)]
        if "failed" in result:
            rows.append({"extractor": name, "variant": variant, "failed": result["failed"]})
        else:
            rows.append({"extractor": name, "variant": variant, **result})
    return with_ratios(rows)


def paired(
    tmp: Path,
    names: tuple[str, str],
    variant: str,
    cases: Sequence[Case],
    *,
    rounds: int = ROUNDS,
    slice_: int = SLICE,
    timeout: float = 1800,
) -> list[dict[str, Any]]:
    """Two extractors timed on the same ``cases`` slice by slice, in turn (see the module doc): per
    extractor its result as ``_child`` gives it, with ``pages_per_s`` the median over the ``rounds`` and
    ``pages_per_s_rounds`` each round's; or ``{"failed": ...}`` for both when a child fails."""
    servers = [_Server(tmp, name, variant, cases, timeout) for name in names]
    try:
        cpu = [[0.0] * rounds for _ in names]
        wall = [0.0 for _ in names]
        errors = [0 for _ in names]
        turn = 0
        for round_ in range(rounds):
            for start in range(0, len(cases), slice_):
                turn += 1
                order = (0, 1) if turn % 2 else (1, 0)  # ABBA: a drift within a pair falls on both
                for k in order:
                    got = servers[k].ask(f"{start} {start + slice_}")
                    cpu[k][round_] += got["cpu_s"]
                    wall[k] += got["wall_s"]
                    if round_ == 0:
                        errors[k] += got["errors"]
        peaks = [server.ask("end")["peak_rss_mib"] for server in servers]
    except _ChildFailed as exc:
        return [{"failed": str(exc)} for _ in names]
    finally:
        for server in servers:
            server.close()
    out = []
    for k, server in enumerate(servers):
        speeds = [len(cases) / c if c else 0.0 for c in cpu[k]]
        out.append(
            {
                "pages": len(cases),
                "cpu_s": sum(cpu[k]) / rounds,
                "wall_s": wall[k] / rounds,
                "errors": errors[k],
                "pages_per_s": statistics.median(speeds),
                "pages_per_s_rounds": speeds,
                "peak_rss_mib": peaks[k],
                "base_rss_mib": server.base_rss_mib,
            }
        )
    return out


class _ChildFailed(RuntimeError):
    """A timing child died, or did not answer within its time."""


class _Server:
    """A ``_serve`` child of a paired timing, asked one line at a time."""

    def __init__(self, tmp: Path, name: str, variant: str, cases: Sequence[Case], timeout: float) -> None:
        spec = tmp / f"{name}-{variant}-paired.pickle"
        with spec.open("wb") as fh:
            pickle.dump({"name": name, "cases": list(cases)}, fh)
        print(f"speed: {name} on {len(cases)} {variant} pages (paired)", file=sys.stderr, flush=True)
        self.name, self.timeout, self.stderr = name, timeout, ""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.speed", "--serve", str(spec)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        self.base_rss_mib = float(self._answer()["base_rss_mib"])

    def ask(self, line: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise _ChildFailed(self._failure()) from None
        return self._answer()

    def _answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            raise _ChildFailed(
                self._failure() if ready else f"{self.name}: no answer in {self.timeout:.0f} s"
            )
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _failure(self) -> str:
        self.close()
        return f"{self.name}: " + (self.stderr.strip()[-500:] or "the timing child ended")

    def close(self) -> None:
        """End the child (at once: its answers are all in) and close its pipes; idempotent."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None and not pipe.closed:
                if pipe is self.proc.stderr:
                    self.stderr = pipe.read()
                with contextlib.suppress(BrokenPipeError):  # a line the dead child never read
                    pipe.close()


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
    if argv[0] == "--serve":
        _serve(Path(argv[1]))
        return 0
    print(json.dumps(_child(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
