"""Spark local mode against the plain multiprocess ingestion, on the same WARC files and the same cores.

    PYTHONPATH=src:. python bench/spark_bench.py --files 4 --pages 500 --cores 2 --rounds 2

Writes ``--files`` gzip WARCs of synthetic captures (request + response pairs, as crawlers write them;
``--pages`` responses each) to a temporary folder, then alternates, ``--rounds`` times:

  ingest  ``Archive.ingest(files, workers=cores)``: the process pool extracting into SQLite
  spark   ``broadsheet.spark.run(files)`` on ``local[cores]``: extraction, story clusters, Parquet

keeping each one's best time (other work on the machine only ever slows a run down). The Spark session
is started once, before the rounds, and warmed with a one-file job; its start-up time is reported apart,
as a cluster pays it once per job, not per file. The throughput per core is what cluster sizing uses
(docs/cluster.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from tests.warcgen import Capture, write_warc

from broadsheet.archive import Archive
from broadsheet.synthetic import generate


def _corpus(folder: Path, files: int, pages: int) -> list[str]:
    paths = []
    for n in range(files):
        made = generate(pages, seed=100 + n)
        # HTTP header lines are ASCII
        captures = [
            Capture(url=quote(f"{p.url}?f={n}", safe=":/?#[]@!$&'()*+,;=%"), body=p.html.encode())
            for p in made
        ]
        paths.append(str(write_warc(folder / f"part-{n:03d}.warc.gz", captures, with_requests=True)))
    return paths


def _ingest(paths: list[str], folder: Path, cores: int) -> tuple[float, int, int]:
    db = folder / "ingest.db"
    for leftover in folder.glob("ingest.db*"):
        leftover.unlink()
    clock = time.perf_counter()
    with Archive(db) as archive:
        report = archive.ingest(paths, workers=cores, progress=False)
    return time.perf_counter() - clock, report.read, report.articles


def _spark(paths: list[str], folder: Path, spark: object) -> tuple[float, int, int]:
    from broadsheet.spark import run

    out = folder / "spark-out"
    shutil.rmtree(out, ignore_errors=True)
    clock = time.perf_counter()
    report = run(paths, str(out), spark=spark)  # type: ignore[arg-type]
    return time.perf_counter() - clock, report.read, report.articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4, help="WARC files (Spark runs one task per file)")
    parser.add_argument("--pages", type=int, default=500, help="responses per file")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    from broadsheet.spark import session

    with tempfile.TemporaryDirectory(prefix="spark-bench-") as tmp:
        folder = Path(tmp)
        paths = _corpus(folder, args.files, args.pages)
        size = sum(Path(p).stat().st_size for p in paths) / 1e6
        print(
            f"{args.files} gzip WARCs, {args.files * args.pages:,} pages (+ as many requests), {size:.1f} MB; "
            f"{args.cores} cores",
            file=sys.stderr,
        )
        clock = time.perf_counter()
        spark = session(f"local[{args.cores}]", conf={"spark.sql.shuffle.partitions": str(args.cores)})
        started = time.perf_counter() - clock
        _spark(paths[: args.cores], folder, spark)  # warm: the JVM's compiler, a Python worker per core
        best = {"ingest": (float("inf"), 0, 0), "spark": (float("inf"), 0, 0)}
        for _ in range(args.rounds):
            for name, run in (
                ("ingest", lambda: _ingest(paths, folder, args.cores)),
                ("spark", lambda: _spark(paths, folder, spark)),
            ):
                result = run()
                best[name] = min(best[name], result)
                print(f"  {name:6} {result[0]:7.1f}s", file=sys.stderr)
        spark.stop()

    results = {
        "cores": args.cores,
        "files": args.files,
        "records": best["ingest"][1],
        "spark_session_start_s": round(started, 1),
    }
    for name, (seconds, read, articles) in best.items():
        results[name] = {
            "seconds": round(seconds, 2),
            "records": read,
            "articles": articles,
            "records_per_s": round(read / seconds, 1),
            "records_per_s_per_core": round(read / seconds / args.cores, 1),
        }
    ratio = best["ingest"][0] / best["spark"][0]
    results["spark_vs_ingest"] = round(ratio, 3)
    for name in ("ingest", "spark"):
        r = results[name]
        print(
            f"{name:6} {r['records']:>6,} records in {r['seconds']:7.1f}s  {r['records_per_s']:7.1f}/s  "  # type: ignore[index]
            f"{r['records_per_s_per_core']:6.1f}/s per core"
        )  # type: ignore[index]
    print(f"spark / ingest throughput: {ratio:.2f}  (target >= 0.70); Spark session start {started:.1f}s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
