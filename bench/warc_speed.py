"""WARC reading speed: broadsheet's reader (FastWARC + checks) against warcio and bare FastWARC.

    PYTHONPATH=src:. python bench/warc_speed.py --records 20000

Writes a gzip WARC of synthetic captures (request + response pairs, as crawlers write them) to a
temporary folder and reads it three times with each reader, keeping the best time. Each reader
returns the HTML payload of every response record, so the work compared is the same.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.warcgen import captures, write_warc

from broadsheet.sources.warc import iter_warc


def _broadsheet(path: Path) -> int:
    return sum(1 for item in iter_warc(str(path)) if item.rejection is None)


def _warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                record.content_stream().read()
                count += 1
    return count


def _fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    count = 0
    for record in ArchiveIterator(str(path), record_types=WarcRecordType.response, fsspec_args=False):
        record.reader.read()
        count += 1
    return count


def _best(reader: Callable[[Path], int], path: Path, rounds: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = reader(path)
        best = min(best, time.perf_counter() - start)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000, help="response records in the WARC")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_warc(Path(tmp) / "bench.warc.gz", captures(args.records), with_requests=True)
        print(
            f"{args.records:,} responses (+ as many requests), {path.stat().st_size / 1e6:.1f} MB gzip WARC"
        )
        results = {
            name: _best(fn, path, args.rounds)
            for name, fn in (("broadsheet", _broadsheet), ("warcio", _warcio), ("fastwarc (bare)", _fastwarc))
        }
    base = results["warcio"][0]
    for name, (seconds, count) in results.items():
        print(
            f"{name:16} {count:>7,} pages  {count / seconds:>9,.0f} records/s  {base / seconds:4.2f}x warcio"
        )


if __name__ == "__main__":
    main()
