"""Archive benchmark: ingestion throughput against single-process extraction, search latency, archive
size, and story-cluster precision/recall on a generated wire corpus.

    python -m bench.archive_bench                      # 100,000 pages (the target), all cores
    python -m bench.archive_bench --pages 5000 --wire-stories 300 --queries 200   # a quick look

Targets (issue 7): ingestion >= 0.8 x single-process extraction speed x cores; search p95 < 50 ms;
clusters precision and recall >= 0.95. Results go to bench/results/archive.json and stdout.

The ingestion is one run over the whole scrape, stopped ``--pauses`` times while the single-process rate is
read: the ratio compares each stretch of it with the readings on either side, since a shared machine's speed
drifts by more than the target's margin over the minutes one ingestion takes (``ingest_rate``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import queue
import random
import signal
import sqlite3
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from broadsheet import Archive, Input
from broadsheet.pipeline import extract_many
from broadsheet.sources import iter_inputs
from broadsheet.synthetic import generate, wire_corpus

RESULTS = Path(__file__).resolve().parent / "results"


def write_pages(path: Path, n: int, seed: int) -> None:
    """The synthetic pages as a JSON-lines scrape (made once; generating is not what we measure)."""
    if path.exists() and sum(1 for _ in path.open()) == n:
        return
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for start in range(0, n, 1000):
            for p in generate(min(1000, n - start), seed=seed + start):
                fh.write(json.dumps({"url": p.url, "html": p.html, "fetched_at": "2025-06-01"}) + "\n")
    tmp.replace(path)


def single_process_rate(scrape: Path, sample: int) -> float:
    """Pages per second of plain extraction in this process, reading the same scrape."""
    inputs = list(itertools.islice(iter_inputs(str(scrape)), sample))
    started = time.perf_counter()
    for _ in extract_many(inputs):
        pass
    return len(inputs) / (time.perf_counter() - started)


def pool_extract_rate(scrape: Path, sample: int, workers: int) -> float:
    """Pages per second of plain extraction on ``workers`` processes (``extract_many``): what the cores
    give extraction alone, with no archive. Not the baseline (that stays single x workers); it tells
    parallel extraction's own loss from what ingestion adds."""
    inputs = list(itertools.islice(iter_inputs(str(scrape)), sample))
    started = time.perf_counter()
    for _ in extract_many(inputs, workers=workers):
        pass
    return len(inputs) / (time.perf_counter() - started)


def _extract_share(scrape: str, start: int, stop: int, ready: Any, go: Any, out: Any) -> None:
    """One process of ``parallel_extract_rate``: its share of the sample, timed from the common start."""
    inputs = list(itertools.islice(iter_inputs(scrape), start, stop))
    ready.put(True)
    go.wait()
    started = time.perf_counter()
    for _ in extract_many(inputs):
        pass
    out.put(time.perf_counter() - started)


def parallel_extract_rate(scrape: Path, sample: int, workers: int) -> float:
    """Pages per second of ``workers`` independent processes, each doing what ``single_process_rate`` does
    over its share of the sample, started together: what this machine's cores give extraction with no
    pool and no archive at all, the ceiling that ingestion's ratio is bounded by."""
    ctx = multiprocessing.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    share = -(-sample // workers)
    procs = [
        ctx.Process(
            target=_extract_share, args=(str(scrape), k * share, min(sample, (k + 1) * share), ready, go, out)
        )
        for k in range(workers)
    ]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get()
    go.set()
    slowest = max(out.get() for _ in procs)
    for proc in procs:
        proc.join()
    return sample / slowest


def serial_ingest_rate(scrape: Path, db: Path, sample: int) -> float:
    """Pages per second of ingestion in this process (workers=0): extraction plus everything stored."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    inputs = list(itertools.islice(iter_inputs(str(scrape)), sample))
    with Archive(db) as archive:
        started = time.perf_counter()
        archive.ingest(inputs, workers=0, progress=False)
        return len(inputs) / (time.perf_counter() - started)


class CpuMeter:
    """CPU seconds of this process and of every process it starts (the extraction workers and the server
    they fork from), over a ``with`` block, read at its two ends only (psutil, the ``bench`` extra).

    A process's own time plus the time of the children it has waited for (``children_user`` and
    ``children_system``, which the kernel adds up at each ``wait``, grandchildren included) covers a worker
    that ended and was reaped by the fork server as well as one still running. No thread samples during
    the block: reading every process of the machine four times a second (what ``children(recursive=True)``
    does) took 0.06 ms of CPU per ingested page from the ingestion it measured.
    """

    def __enter__(self) -> CpuMeter:
        self._before = self._descendants()
        self._main = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.main = time.process_time() - self._main
        self.children = self._descendants() - self._before

    @staticmethod
    def _descendants() -> float:
        import psutil

        me = psutil.Process()
        mine = me.cpu_times()
        total = mine.children_user + mine.children_system
        for proc in me.children(recursive=True):
            try:
                t = proc.cpu_times()
            except psutil.Error:  # ended between the listing and the reading: its parent's figures hold it
                continue
            total += t.user + t.system + t.children_user + t.children_system
        return total


@contextmanager
def stopped(pgid: int) -> Iterator[None]:
    """Every process of the group ``pgid`` stopped (SIGSTOP) for the ``with`` block, then continued."""
    os.killpg(pgid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(pgid, signal.SIGCONT)


def _committed(db: Path) -> int | None:
    """Inputs the archive holds so far (committed ones; a stopped writer's open batch is not among them)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)) as con:
            return int(con.execute("SELECT count(*) FROM inputs").fetchone()[0])
    except sqlite3.Error:  # a lock held by the stopped writer: the count is only for the report
        return None


def _ingest_child(scrape: str, db: str, workers: int, ready: Any, go: Any, out: Any) -> None:
    """The ingestion of ``ingest_rate``, in a process group of its own so that it can be stopped whole."""
    os.setpgid(0, 0)  # a group of its own in the same session (the same scheduling autogroup as the readings)
    with Archive(db) as archive:
        ready.set()
        go.wait()
        with CpuMeter() as meter:
            started = time.perf_counter()
            report = archive.ingest([scrape], workers=workers, progress=False)
            seconds = time.perf_counter() - started
    out.put(
        {
            "seconds": seconds,
            "main_cpu": meter.main,
            "worker_cpu": meter.children,
            "read": report.read,
            "articles": report.articles,
            "versions": report.versions,
            "rejected": dict(report.rejected),
        }
    )


def _result(child: Any, out: Any, wait: float | None) -> dict[str, Any] | None:
    """The ingestion's report once it comes within ``wait`` seconds (None: however long it takes); None when
    it has not come yet. Raises when the ingestion process ended without one."""
    deadline = None if wait is None else time.monotonic() + wait
    while True:
        left = 1.0 if deadline is None else min(1.0, deadline - time.monotonic())
        try:
            report: dict[str, Any] = out.get(timeout=max(0.0, left))
            return report
        except queue.Empty:
            if not child.is_alive() and out.empty():
                raise RuntimeError(f"the ingestion process ended with code {child.exitcode}") from None
            if deadline is not None and time.monotonic() >= deadline:
                return None


def ingest_rate(
    scrape: Path, pages: int, db: Path, workers: int, pauses: int, sample: int
) -> tuple[float, dict]:
    """One ingestion of the whole scrape into a new archive, as a user runs it (``Archive.ingest`` on the file:
    one template pass, one pool, one recluster at the end), against the single-process extraction rate read
    before it, after it, and ``pauses`` times during it.

    A shared machine's speed drifts by more than the target's margin over the minutes an ingestion takes, so
    one reading minutes away from most of the run does not do. The ingestion runs in a child process group;
    for each reading in the middle the whole group (writer, fork server, workers) is stopped, the reading runs
    on the machine the ingestion leaves, and the group goes on; stopped time is not counted. Each stretch
    of ingestion between two readings is weighed against their mean."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    ctx = multiprocessing.get_context("spawn")
    ready, go, out = ctx.Event(), ctx.Event(), ctx.Queue()
    child = ctx.Process(target=_ingest_child, args=(str(scrape), str(db), workers, ready, go, out))
    child.start()
    spans: list[float] = []  # each stretch's running seconds
    counts: list[int | None] = []  # inputs committed at the end of each stretch
    halted = 0.0
    try:
        if not ready.wait(120):
            raise RuntimeError("the ingestion process did not open the archive")
        singles = [single_process_rate(scrape, sample)]
        # a stretch's length from the first reading, aiming at pauses + 1 stretches of about equal length
        stretch = pages / (0.8 * workers * singles[0]) / (pauses + 1)
        go.set()
        last = time.perf_counter()
        # the last stretch runs to the end, however long it takes
        while (done := _result(child, out, stretch if len(spans) < pauses else None)) is None:
            with stopped(child.pid):
                halt = time.perf_counter()
                spans.append(halt - last)
                counts.append(_committed(db))
                singles.append(single_process_rate(scrape, sample))
                last = time.perf_counter()
                halted += last - halt
    except BaseException:  # interrupted: the ingestion's group is not in the terminal's, so it is ended here
        if child.pid is not None and child.is_alive():
            os.killpg(child.pid, signal.SIGKILL)
        raise
    child.join()
    singles.append(single_process_rate(scrape, sample))
    seconds = done["seconds"] - halted
    spans.append(seconds - sum(spans))
    counts.append(done["read"])
    with Archive(db, readonly=True) as archive:
        stats = archive.stats()
    n = max(1, done["read"])
    known = [0, *counts]
    return done["read"] / seconds, {
        # each stretch: its pages/s over the mean of the readings just before and after it
        "stretches": [
            {
                "seconds": round(t, 2),
                "read": None if c is None or b is None else c - b,
                "ratio": None
                if c is None or b is None
                else round((c - b) / t / (workers * (s0 + s1) / 2), 3),
            }
            for t, b, c, s0, s1 in zip(spans, known, counts, singles, singles[1:], strict=False)
        ],
        "single_process_extract_per_s": [round(x, 1) for x in singles],
        # the time-weighted baseline: each stretch's neighbouring readings, weighed by its seconds
        "baseline_per_s": round(
            sum(t * (a + b) / 2 for t, a, b in zip(spans, singles, singles[1:], strict=False)) / seconds, 1
        ),
        "stopped_seconds": round(halted, 2),
        # the writer's share: reading the scrape, handing pages over, storing, indexing, clustering
        "main_process_cpu_ms_per_page": round(done["main_cpu"] / n * 1000, 3),
        # the workers': extraction plus fingerprinting, compressing and handing results back
        "worker_cpu_ms_per_page": round(done["worker_cpu"] / n * 1000, 3),
        # CPU the run used per second of it: below the number of cores, cores stood idle or served others
        "busy_cores": round((done["main_cpu"] + done["worker_cpu"]) / seconds, 2),
        "read": done["read"],
        "articles": done["articles"],
        "versions": done["versions"],
        "rejected": done["rejected"],
        "seconds": round(seconds, 2),
        "size_bytes": stats.size_bytes,
        "raw_bytes": stats.raw_bytes,
    }


def queries(archive: Archive, n: int, seed: int) -> list[tuple[str, dict]]:
    """Realistic queries: one or two title words, a phrase, with and without filters."""
    rng = random.Random(seed)
    titles = [h.title for h in archive.latest(limit=2000) if h.title]
    sites = [s for s, _ in archive.facet("site")]
    out: list[tuple[str, dict]] = []
    for i in range(n):
        words = [w.strip(",.:") for w in rng.choice(titles).split() if len(w) > 3]
        q = " ".join(rng.sample(words, min(len(words), 1 + i % 2))) if words else "harbour"
        if i % 5 == 3:
            q = f'"{" ".join(words[:2])}"'
        filters = {"site": rng.choice(sites)} if i % 4 == 1 else {"since": "2024-06-01"} if i % 4 == 2 else {}
        out.append((q, filters))
    return out


def search_latency(db: Path, n: int, seed: int) -> dict:
    with Archive(db, readonly=True) as archive:
        qs = queries(archive, n, seed)
        archive.search(*qs[0][:1])  # warm the page cache once
        times, cpu = [], []
        for q, filters in qs:
            started, used = time.perf_counter(), time.process_time()
            archive.search(q, limit=20, **filters)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        started = time.perf_counter()
        archive.counts_by_day("harbour")
        per_day = (time.perf_counter() - started) * 1000
    times.sort()
    cpu.sort()
    return {
        "queries": n,
        # CPU time of the query: what a machine shared with other jobs does not inflate
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 2),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        "max_ms": round(times[-1], 2),
        "counts_by_day_ms": round(per_day, 2),
    }


def cluster_scores(stories: int, db: Path, seed: int, workers: int) -> dict:
    """Pairwise precision and recall of the archive's story clusters against the generator's truth."""
    pages = wire_corpus(stories, seed=seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Archive(db) as archive:
        archive.ingest(
            [Input(content=p.html, url=p.url, source=f"wire#{i}") for i, p in enumerate(pages)],
            workers=workers,
            progress=False,
        )
        label = {s.source: (s.cluster_id or -s.id) for s in archive.iter_articles()}
    truth, found = defaultdict(list), defaultdict(list)
    for i, page in enumerate(pages):
        truth[page.story_id].append(i)
        found[label[f"wire#{i}"]].append(i)

    def pairs(groups: dict) -> set:
        return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}

    t, f = pairs(truth), pairs(found)
    return {
        "stories": stories,
        "pages": len(pages),
        "true_pairs": len(t),
        "found_pairs": len(f),
        "precision": round(len(t & f) / max(1, len(f)), 4),
        "recall": round(len(t & f) / max(1, len(t)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--sample", type=int, default=3000, help="pages for the single-process extraction rate"
    )
    parser.add_argument(
        "--pauses", type=int, default=4, help="single-process readings in the middle of the ingestion"
    )
    parser.add_argument(
        "--between",
        type=int,
        default=2000,
        help="pages for each single-process reading around and during the ingestion",
    )
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--wire-stories", type=int, default=2000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/broadsheet-archive-bench"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    scrape = args.work / f"pages-{args.pages}-{args.seed}.jsonl"
    write_pages(scrape, args.pages, args.seed)
    load_before = os.getloadavg()[0]
    single = single_process_rate(scrape, args.sample)
    serial = serial_ingest_rate(scrape, args.work / "serial.db", args.sample)
    pool = pool_extract_rate(scrape, args.sample, args.workers)
    ceiling = parallel_extract_rate(scrape, args.sample, args.workers)
    rate, run = ingest_rate(
        scrape, args.pages, args.work / "archive.db", args.workers, args.pauses, args.between
    )
    baseline = run["baseline_per_s"]
    result = {
        "pages": args.pages,
        "workers": args.workers,
        "cores": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "single_process_extract_per_s": round(single, 1),
        "baseline_single_process_extract_per_s": baseline,  # around and during the ingestion (ingest_rate)
        "single_process_ingest_per_s": round(serial, 1),
        "storing_cost_share": round(1 - serial / single, 3),  # of a page's time in one process
        "ingest_per_s": round(rate, 1),
        "ratio_to_single_x_workers": round(rate / (baseline * args.workers), 3),
        # why the ratio is what it is: it equals (extraction's share of the CPU a page costs in ingestion)
        # x (busy cores / cores); the first is what broadsheet can change, the second what the machine gives
        "extraction_share_of_ingest_cpu": round(
            1000 / baseline / (run["main_process_cpu_ms_per_page"] + run["worker_cpu_ms_per_page"]), 3
        ),
        "pool_extract_per_s": round(pool, 1),  # extraction alone on the workers, for comparison
        "ratio_to_pool_extract": round(rate / pool, 3),
        # independent processes, no pool, no archive: how far this machine's cores scale extraction at all
        "parallel_extract_per_s": round(ceiling, 1),
        "parallel_ratio_to_single_x_workers": round(ceiling / (single * args.workers), 3),
        "ratio_to_parallel_extract": round(rate / ceiling, 3),
        "archive_mb": round(run["size_bytes"] / 1e6, 1),
        "archive_bytes_per_article": round(run["size_bytes"] / max(1, run["articles"])),
        "input_mb": round(run["raw_bytes"] / 1e6, 1),
        "ingest": run,
        "search": search_latency(args.work / "archive.db", args.queries, args.seed),
        "clusters": cluster_scores(args.wire_stories, args.work / "wire.db", args.seed + 1, args.workers),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "archive.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
