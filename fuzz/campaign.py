"""A fuzzing campaign: run an atheris target until it has executed N inputs, going on after a crash.

    nice -n 10 python fuzz/campaign.py html --runs 100000 --work /tmp/fuzz [--max-len 16384] [--timeout 10]

libFuzzer stops at the first crash or hang; a campaign starts it again on the same (grown) corpus until
the inputs executed add up to ``--runs``, and keeps every ``crash-*``/``timeout-*``/``oom-*`` file in
``WORK/KIND-artifacts``. It prints one JSON line: inputs executed, rounds, seconds and the artifacts
found. Each artifact is a finding to triage: reproduce with ``python fuzz/fuzz_KIND.py ARTIFACT``, then
add it to ``tests/fixtures/fuzz`` (see ``tests/test_fuzz_regressions.py``).

    nice -n 10 python fuzz/campaign.py text --plain 8000 --work /tmp/fuzz

``--plain N`` triages an ``oom-*`` that does not reproduce alone: N inputs made by mutating the grown
corpus at random go through the same check in a plain process (no instrumentation, no libFuzzer),
with its resident memory every 1,000 inputs. Flat there, the growth was the fuzzing harness's.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
_EXECUTED = re.compile(rb"stat::number_of_executed_units:\s*(\d+)")
_DONE = re.compile(rb"Done (\d+) runs")


def _round(kind: str, corpus: Path, artifacts: Path, runs: int, args: argparse.Namespace, log: Path) -> int:
    """One libFuzzer run of at most ``runs`` inputs; how many it executed (its log goes to ``log``)."""
    command = [
        sys.executable,
        str(HERE / f"fuzz_{kind}.py"),
        str(corpus),
        f"-runs={runs}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_limit_mb}",
        f"-max_len={args.max_len}",
        f"-artifact_prefix={artifacts}/",
        "-print_final_stats=1",
    ]
    result = subprocess.run(command, capture_output=True, check=False)
    log.write_bytes(result.stdout + result.stderr)
    found = _EXECUTED.findall(result.stderr) or _DONE.findall(result.stderr)
    return int(found[-1]) if found else 0


def campaign(kind: str, args: argparse.Namespace) -> dict[str, object]:
    corpus, artifacts = args.work / f"{kind}-corpus", args.work / f"{kind}-artifacts"
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    executed, rounds, started = 0, 0, time.perf_counter()
    while executed < args.runs and rounds < args.max_rounds:
        rounds += 1
        done = _round(
            kind, corpus, artifacts, args.runs - executed, args, args.work / f"{kind}-round{rounds}.log"
        )
        if done == 0:  # nothing ran: a broken setup, not a finding; the log says why
            break
        executed += done
    return {
        "kind": kind,
        "executed": executed,
        "rounds": rounds,
        "seconds": round(time.perf_counter() - started),
        "corpus_files": sum(1 for _ in corpus.iterdir()),
        "artifacts": sorted(path.name for path in artifacts.iterdir()),
    }


def _rss_mib() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) // 1024 for line in fh if line.startswith("VmRSS:"))


def plain(kind: str, inputs: int, work: Path) -> dict[str, object]:
    """``inputs`` mutations of the corpus through ``target.check`` without atheris; memory as it goes."""
    sys.path.insert(0, str(HERE))
    from target import check

    from broadsheet import extract

    corpus = [path.read_bytes() for path in sorted((work / f"{kind}-corpus").iterdir())]
    rng, failures, rss = random.Random(1), 0, []
    for n in range(1, inputs + 1):
        data = bytearray(rng.choice(corpus) or b"\x00")
        # insertions of random bytes: a cheap stand-in for libFuzzer's mutators
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data) + 1)
            data[at:at] = rng.randbytes(rng.randint(1, 16))
        given: bytes | str = bytes(data[1:]) if data[0] & 1 else bytes(data[1:]).decode("utf-8", "replace")
        try:
            check(extract(given, kind=kind), given)
        except Exception:  # counted; reproduce with the campaign's targets
            failures += 1
        if n % 1000 == 0:
            rss.append(_rss_mib())
    return {"kind": kind, "plain_inputs": inputs, "failures": failures, "rss_mib_every_1000": rss}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python fuzz/campaign.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["html", "text"])
    parser.add_argument(
        "--runs", type=int, default=100_000, help="inputs to execute in all (default 100,000)"
    )
    parser.add_argument("--work", type=Path, default=Path("fuzz-work"), help="corpus, artifacts and logs")
    parser.add_argument("--max-len", type=int, default=16_384, help="longest input in bytes")
    parser.add_argument("--timeout", type=int, default=10, help="seconds for one input before it is a hang")
    parser.add_argument("--rss-limit-mb", type=int, default=4096)
    parser.add_argument(
        "--plain", type=int, metavar="N", help="N mutated corpus inputs without atheris (see above)"
    )
    parser.add_argument("--max-rounds", type=int, default=50, help="give up after this many crashes")
    args = parser.parse_args(argv)
    if args.plain:
        print(json.dumps(plain(args.kind, args.plain, args.work)))
        return 0
    result = campaign(args.kind, args)
    print(json.dumps(result))
    return 0 if not result["artifacts"] and result["executed"] >= args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
