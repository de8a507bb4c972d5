"""The benchmark run: load pages, make variants, run every extractor (peers from the cache when they can
be), score, time, and write the report.

Work is spread over ``jobs`` forked worker processes; each page gets ``timeout`` seconds per
extractor, after which it scores an empty result counted as an error, like a page the extractor
raised on.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import signal
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from . import datasets, extractors, flatten, score, speed
from .cache import Cache, key
from .cases import HTML_VARIANTS, SEED_SET, Case, Page, decode, make_cases, pages
from .output import Output
from .peers import PEERS

__all__ = ["RESULTS", "RunConfig", "run", "score_cases"]

RESULTS = Path(__file__).resolve().parent / "results"
T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True)
class RunConfig:
    """What ``python -m bench run`` was asked for."""

    sets: tuple[str, ...] = (*datasets.SETS, SEED_SET)
    peers: tuple[str, ...] = tuple(PEERS)
    split: str = "test"
    sample: int | None = None
    variants: tuple[str, ...] = HTML_VARIANTS
    speed: bool = False
    speed_pages: int = 20
    out: Path = RESULTS
    jobs: int = 1
    timeout: float = 60.0
    use_cache: bool = True
    command: str = ""
    extractors: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """broadsheet, the chosen peers, and the text baselines when a text variant is scored."""
        names = [extractors.BROADSHEET, *self.peers]
        if any(v != "html" for v in self.variants) or SEED_SET in self.sets:
            names += list(extractors.BASELINES)
        return names


# ------------------------------------------------------------------------------ worker processes

_PAGES: list[Page] = []
_CASES: list[Case] = []
_TIMEOUT = 60.0


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout(f"no result within {_TIMEOUT:g} s")


def _quiet() -> None:
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    signal.signal(signal.SIGALRM, _alarm)


def _guarded(fn: Callable[[], Output]) -> tuple[Output, float]:
    """Run ``fn`` under the per-page deadline; an exception becomes an empty, counted result."""
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, _TIMEOUT)
    try:
        out = fn()
    except (Exception, _Timeout) as exc:
        out = Output.failed(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return out, time.perf_counter() - start


def _extract_task(task: tuple[str, int]) -> tuple[str, int, dict[str, Any], float]:
    name, index = task
    out, seconds = _guarded(lambda: extractors.run(name, _CASES[index]).tidy())
    return name, index, out.to_dict(), seconds


def _flatten_task(task: tuple[str, int]) -> tuple[str, int, str]:
    converter, index = task
    page = _PAGES[index]
    assert page.html is not None
    return converter, index, flatten.flatten(decode(page.html), converter)


def _map(
    fn: Callable[[T], R], tasks: Sequence[T], jobs: int, label: str, keep: Callable[[list[R]], None]
) -> list[R]:
    """``fn`` over ``tasks`` in ``jobs`` processes, handing every 500 results to ``keep`` (the cache)
    as they come, so that an interrupted run loses little; progress goes to stderr."""
    started = time.perf_counter()
    results: list[R] = []
    pool = None
    if jobs <= 1 or len(tasks) < 2:
        _quiet()
        stream: Iterable[R] = (fn(t) for t in tasks)
    else:
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_quiet)  # workers inherit the cases
        stream = pool.imap_unordered(fn, tasks, chunksize=4)
    try:
        for result in stream:
            results.append(result)
            if len(results) % 500 == 0 or len(results) == len(tasks):
                keep(results[-500:] if len(results) % 500 == 0 else results[-(len(results) % 500) :])
            if len(results) % 2000 == 0 or len(results) == len(tasks):
                spent = time.perf_counter() - started
                print(f"{label}: {len(results)}/{len(tasks)} in {spent:.0f} s", file=sys.stderr, flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return results


# ------------------------------------------------------------------------------------- the run


def _flattened(
    found: list[Page], variants: Sequence[str], jobs: int, cache: Cache
) -> dict[tuple[str, str], str]:
    """Flattened text of every HTML page per converter, from the cache or computed."""
    global _PAGES
    _PAGES = found
    converters = [v for v in variants if v != "html"]
    versions = {c: extractors.distribution_version(c) for c in converters}
    keys = {
        (c, i): key(f"flatten:{c}", versions[c], p.set, p.id, _variant_key(c))
        for c in converters
        for i, p in enumerate(found)
        if p.html is not None
    }
    cached = cache.get_many(keys.values())
    todo = [t for t, k in keys.items() if k not in cached]
    done = _map(
        _flatten_task,
        todo,
        jobs,
        "flatten",
        lambda batch: cache.put_many((keys[(c, i)], t) for c, i, t in batch),
    )
    texts = {(found[i].id, c): cached[k] for (c, i), k in keys.items() if k in cached}
    texts.update({(found[i].id, c): text for c, i, text in done})
    return texts


def _variant_key(variant: str) -> str:
    """The variant as the caches' keys name it (the flattened text, and every extractor's output on it): a
    flattened variant with its recipe's revision after revision 1, so nothing made from older text is reused."""
    revision = flatten.REVISION.get(variant, 1)
    return variant if revision == 1 else f"{variant}/r{revision}"


def _outputs(
    names: Sequence[str], cases: list[Case], config: RunConfig, cache: Cache
) -> tuple[dict[str, list[Output]], dict[str, Any]]:
    """Every extractor's output on every case it applies to (peers from the cache where possible), and
    the seconds each extractor spent and how many outputs were computed or cached."""
    global _CASES, _TIMEOUT
    _CASES, _TIMEOUT = cases, config.timeout
    keys = {
        (n, i): key(n, extractors.version(n), c.set, c.id, _variant_key(c.variant))
        for n in names
        for i, c in enumerate(cases)
        if extractors.applies(n, c.variant)
    }
    cached = cache.get_many(k for (n, _), k in keys.items() if n != extractors.BROADSHEET)
    todo = [t for t, k in keys.items() if k not in cached]
    print(f"run: {len(keys) - len(todo)} outputs cached, {len(todo)} to compute", file=sys.stderr, flush=True)
    done = _map(
        _extract_task,
        todo,
        config.jobs,
        "extract",
        lambda batch: cache.put_many((keys[(n, i)], o) for n, i, o, _ in batch if n != extractors.BROADSHEET),
    )
    outputs: dict[str, list[Output]] = {n: [Output() for _ in cases] for n in names}
    for (n, i), k in keys.items():
        if k in cached:
            outputs[n][i] = Output.from_dict(cached[k])
    seconds: dict[str, float] = defaultdict(float)
    for n, i, out, spent in done:
        outputs[n][i] = Output.from_dict(out)
        seconds[n] += spent
    return outputs, {"seconds": dict(seconds), "computed": len(todo), "cached": len(keys) - len(todo)}


def score_cases(
    cases: Sequence[Case], outputs: dict[str, list[Output]], *, bootstrap: int = 200
) -> list[dict[str, Any]]:
    """One summary row per (group, variant, extractor), in a stable order."""
    buckets: dict[tuple[str, str, str], list[score.PageScore]] = defaultdict(list)
    for name, outs in outputs.items():
        for case, out in zip(cases, outs, strict=True):
            if extractors.applies(name, case.variant):
                buckets[(case.group, case.variant, name)].append(score.score_page(case.truth, out))
    order = {n: i for i, n in enumerate(outputs)}
    rows = []
    for (group, variant, name), scores in sorted(
        buckets.items(), key=lambda kv: (kv[0][:2], order[kv[0][2]])
    ):
        row = {"group": group, "variant": variant, "extractor": name}
        rows.append({**row, **score.summarise(scores, bootstrap=bootstrap)})
    return rows


def _speed_rows(config: RunConfig, cache: Cache) -> list[dict[str, Any]]:
    """Speed and memory of every extractor on the same pages (``speed_pages`` per set, test split)."""
    html_sets = [s for s in config.sets if s != SEED_SET]
    found = list(pages(html_sets, "test", config.speed_pages, salt="speed"))
    texts = _flattened(found, ["resiliparse"], config.jobs, cache)
    cases = make_cases(found, ["html", "resiliparse"], lambda p, v: texts[(p.id, v)])
    jobs = [(extractors.BROADSHEET, "html"), *((p, "html") for p in config.peers)]
    jobs += [(extractors.BROADSHEET, "resiliparse"), (speed.REFERENCE, "resiliparse")]
    if speed.REFERENCE not in config.peers:
        jobs.insert(1, (speed.REFERENCE, "html"))
    return speed.measure(jobs, cases)


def _errors(outputs: dict[str, list[Output]], cases: Sequence[Case]) -> dict[str, list[dict[str, Any]]]:
    """Per extractor, the distinct errors it raised (first line), with counts and one page each."""
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for name, outs in outputs.items():
        for case, out in zip(cases, outs, strict=True):
            if out.error:
                message = out.error.splitlines()[0][:120]
                entry = found[name].setdefault(message, {"error": message, "count": 0, "example": ""})
                entry["count"] += 1
                entry["example"] = entry["example"] or f"{case.set}/{case.id} ({case.variant})"
    return {n: sorted(e.values(), key=lambda x: -x["count"]) for n, e in found.items()}


def _cpu_seconds() -> float:
    """CPU time of this process and every worker and speed child it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(config: RunConfig) -> dict[str, Any]:
    """Run the benchmark as configured and return the result (what the JSON file holds)."""
    started = time.perf_counter()
    cache = Cache(config.out / "cache" if config.use_cache else None)
    split = None if config.split == "all" else config.split
    found = list(pages(config.sets, split, config.sample))
    print(f"run: {len(found)} pages from {', '.join(config.sets)} ({config.split} split)", file=sys.stderr)
    texts = _flattened(found, config.variants, config.jobs, cache)
    cases = make_cases(found, config.variants, lambda p, v: texts[(p.id, v)])
    names = config.names()
    outputs, work = _outputs(names, cases, config, cache)
    rows = score_cases(cases, outputs)
    speed_rows = _speed_rows(config, cache) if config.speed else []
    cache.close()
    page_counts: dict[str, int] = defaultdict(int)
    for page in found:
        page_counts[page.set] += 1
    return {
        "meta": {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": config.command,
            "split": config.split,
            "sample": config.sample,
            "sets": list(config.sets),
            "variants": list(config.variants),
            "pages": dict(page_counts),
            "cases": len(cases),
            "versions": {n: extractors.version(n) for n in names},
            "converters": {c: extractors.distribution_version(c) for c in config.variants if c != "html"},
            "jobs": config.jobs,
            "extract_seconds": work["seconds"],
            "outputs_computed": work["computed"],
            "outputs_cached": work["cached"],
            "errors": _errors(outputs, cases),
            "wall_seconds": time.perf_counter() - started,
            "cpu_seconds": _cpu_seconds(),
        },
        "results": rows,
        "speed": speed_rows,
    }
