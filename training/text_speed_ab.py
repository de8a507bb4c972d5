"""Is the text path quicker than at another commit? Both versions in one process, page by page in turns.

On a shared machine two timing runs minutes apart differ by 10% and more; the same pages timed by both
versions in alternation, in one process, differ by about 1%. The other commit's ``src/broadsheet`` is
unpacked (``git archive``) as the package ``broadsheet_ab``; package data (models, word lists) are read from
the current tree, so compare code, not models. Times are CPU time of this process.

python training/text_speed_ab.py REV [--sets fundus readability wcxb-dev] [--limit 200] [--reps 5]
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from text_flatten import ROOT, flat_path

import broadsheet


def _other(rev: str, into: Path) -> Any:
    """``broadsheet`` as of ``rev``, imported as ``broadsheet_ab``."""
    raw = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src/broadsheet"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        tar.extractall(into, filter="data")
    (into / "src" / "broadsheet").rename(into / "broadsheet_ab")
    sys.path.insert(0, str(into))
    return importlib.import_module("broadsheet_ab")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rev", help="the commit to compare with (e.g. main, HEAD~3)")
    ap.add_argument("--sets", nargs="*", default=["fundus", "readability", "wcxb-dev"])
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    texts: list[str] = []
    for name in args.sets:
        with gzip.open(flat_path(name, "resiliparse"), "rt", encoding="utf-8") as fh:
            texts += [r["text"] for r in map(json.loads, fh) if r["text"] and r["text"].strip()]
    texts = texts[:: max(1, len(texts) // args.limit)][: args.limit]
    with tempfile.TemporaryDirectory(prefix="text-ab-") as tmp:
        versions = {"this tree": broadsheet, args.rev: _other(args.rev, Path(tmp))}
        for module in versions.values():
            for text in texts[:5]:
                module.extract(text, kind="text")  # warm up: tables, models
        spent: dict[str, list[float]] = {name: [] for name in versions}
        for rep in range(args.reps):
            total = dict.fromkeys(versions, 0.0)
            turns = list(versions.items()) if rep % 2 == 0 else list(versions.items())[::-1]
            for module in versions.values():  # a page's date lines are cached: each rep starts cold
                importlib.import_module(f"{module.__name__}.pipeline.dates")._find_date.cache_clear()
            for text in texts:
                for name, module in turns:
                    t0 = time.process_time()
                    module.extract(text, kind="text")
                    total[name] += time.process_time() - t0
            for name in versions:
                spent[name].append(total[name] / len(texts) * 1e3)
    for name, runs in spent.items():
        print(
            f"{name:>12}: {statistics.median(runs):.3f} ms/page (runs {' '.join(f'{v:.2f}' for v in runs)})"
        )
    ours, theirs = (statistics.median(v) for v in spent.values())
    print(f"{len(texts)} pages: this tree is {theirs / ours:.3f}x the speed of {args.rev}")


if __name__ == "__main__":
    main()
