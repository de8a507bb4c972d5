"""What storing extracted articles costs each archive backend: records a second and the writer's CPU a record.

    python -m bench.write_bench                                   # an SQLite archive in a temporary folder
    python -m bench.write_bench --archive postgresql://user@host/db   # and a PostgreSQL database

The records are synthetic news pages (``broadsheet.synthetic``), extracted once and made into the records a
worker hands the writer (``ingest.record_for``: fingerprint, payload and raw input included), then written
in batches of ``--batch`` as ingestion writes them, into a fresh archive each round (on PostgreSQL a fresh
schema, dropped afterwards). Wall time includes the server's work (PostgreSQL indexes each article's text
as it is inserted); CPU is this process's alone. The median round is reported: a shared machine's speed
swings between rounds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from broadsheet import extract
from broadsheet.archive.base import open_backend
from broadsheet.ingest import record_for
from broadsheet.synthetic import generate


def make_records(n: int, seed: int) -> list[Any]:
    records = []
    for i, page in enumerate(generate(n, seed=seed)):
        article = extract(page.html, page.url, kind="html")
        records.append(record_for(article, source=f"write-bench#{i}", raw=page.html))
    return records


def _postgres_schema(url: str, name: str, *, drop: bool = False) -> str:
    """Create (or drop) schema ``name`` on the database at ``url``; the archive URL that uses it."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE" if drop else f"CREATE SCHEMA {name}")
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{name}"


def write_round(location: str, records: list[Any], batch: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds a record, writing ``records`` into a fresh archive at ``location``."""
    backend = open_backend(location)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(records), batch):
            backend.write(records[start : start + batch])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        backend.close()
    return wall / len(records) * 1000, cpu / len(records) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=3072)
    parser.add_argument("--batch", type=int, default=1024, help="records a transaction, as ingestion writes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--archive", action="append", default=[], help="a postgresql:// URL (SQLite always)")
    args = parser.parse_args()
    records = make_records(args.records, args.seed)
    print(f"{len(records)} records, batches of {args.batch}, {args.rounds} rounds (medians)")
    with tempfile.TemporaryDirectory() as tmp:
        for target in ["sqlite", *args.archive]:
            rounds = []
            for r in range(args.rounds):
                if target == "sqlite":
                    rounds.append(write_round(str(Path(tmp) / f"round{r}.db"), records, args.batch))
                    continue
                schema = f"broadsheet_write_bench_{r}"
                location = _postgres_schema(target, schema)
                try:
                    rounds.append(write_round(location, records, args.batch))
                finally:
                    _postgres_schema(target, schema, drop=True)
            wall = statistics.median(w for w, _ in rounds)
            cpu = statistics.median(c for _, c in rounds)
            name = "sqlite" if target == "sqlite" else "postgresql"
            print(
                f"{name:10s} {1000 / wall:8.0f} records/s   wall {wall:.3f} ms a record   writer CPU {cpu:.3f} ms "
                f"(rounds: {', '.join(f'{w:.3f}' for w, _ in rounds)})"
            )


if __name__ == "__main__":
    main()
