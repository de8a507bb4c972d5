"""Is memory flat over a long run? One process extracts N pages and reports its resident memory as it goes.

    python -m bench.memory_flat --pages 100000 --every 5000 [--seconds 1200] [--json out.json]

The pages cycle through synthetic HTML pages, their flattened text (``broadsheet.synthetic``, a new
seed every batch, so no two are the same) and the development pages (``../shared/data``, HTML, all
sets; left out when absent), in the proportions of ``--mix``. Every ``--every`` pages it records the
current resident memory (``VmRSS``) and the high-water mark so far (``VmHWM``).

The verdict compares the high-water mark at the end, and the largest resident memory sampled, with
their values after the warm-up (every kind of page seen once, every development page included; at least
``--warm-up`` pages): flat when both are within 10%. A run too short to finish the warm-up gives none. A
leak (a cache without bound, a growing list, parser memory not given back) grows both lines; a large
page raises the high-water mark once, and it then stays.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "pages", "run"]

FLAT = 0.10  # the high-water mark may grow by this much after the warm-up


def _status(field: str) -> float:
    """A ``/proc/self/status`` memory field in MiB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def _synthetic() -> Iterator[tuple[str, str, str]]:
    """(kind, content, url) of synthetic pages, HTML and text in turn, new seeds forever."""
    from broadsheet.synthetic import generate

    for seed in itertools.count(1):
        for page in generate(50, seed=seed):
            yield "html", page.html, page.url
            yield "text", page.text, page.url


def _dev_pages() -> list[tuple[Path, str | None]]:
    """Where each development page is, and its URL: read from disk when its turn comes, not held."""
    from bench.datasets import SETS, data_root, load

    if data_root() is None:
        return []
    return [(record.path, record.url) for name in SETS for record in load(name)]


def pages(
    mix: tuple[int, int], dev: list[tuple[Path, str | None]]
) -> Iterator[tuple[str, bytes | str, str | None]]:
    """Pages in the proportion ``mix`` = (synthetic pages, development pages) per round."""
    synthetic = _synthetic()
    cycle = itertools.cycle(dev) if dev else None
    while True:
        yield from itertools.islice(synthetic, mix[0])
        if cycle is not None:
            for path, url in itertools.islice(cycle, mix[1]):
                yield "auto", gzip.decompress(path.read_bytes()), url


def run(
    total: int, every: int, mix: tuple[int, int], warm_up: int, seconds: float | None = None
) -> dict[str, Any]:
    """Extract ``total`` pages (fewer when ``seconds`` run out first: at a sample) and judge the memory."""
    from broadsheet import extract

    dev = _dev_pages()
    dev = dev if mix[1] else []
    per_round = mix[0] + mix[1]
    # warm-up: every development page seen once, and at least ``warm_up`` pages
    warm = max(warm_up, -(-len(dev) // mix[1]) * per_round if dev else 0)
    samples: list[dict[str, float]] = []
    kinds: dict[str, int] = {}
    started, cpu = time.perf_counter(), time.process_time()
    done = 0
    for n, (kind, content, url) in enumerate(itertools.islice(pages(mix, dev), total), start=1):
        extract(content, url, kind=kind)
        kinds[kind] = kinds.get(kind, 0) + 1
        done = n
        if n % every == 0 or n in (total, warm):
            samples.append(
                {"pages": n, "rss_mib": round(_status("VmRSS"), 1), "peak_mib": round(_status("VmHWM"), 1)}
            )
            print(
                f"{n:>8} pages  rss {samples[-1]['rss_mib']:8.1f} MiB  peak {samples[-1]['peak_mib']:8.1f} MiB",
                file=sys.stderr,
            )
            if seconds is not None and time.perf_counter() - started > seconds:
                break
    at_warm = next((s for s in samples if s["pages"] >= warm), None)
    end = samples[-1]
    verdict: dict[str, Any] = {"warm_up_pages": warm, "warmed_up": at_warm is not None and at_warm is not end}
    if at_warm is not None and at_warm is not end:
        after = [s for s in samples if s["pages"] >= at_warm["pages"]]
        peak_growth = (end["peak_mib"] - at_warm["peak_mib"]) / at_warm["peak_mib"]
        rss_growth = (max(s["rss_mib"] for s in after) - at_warm["rss_mib"]) / at_warm["rss_mib"]
        verdict |= {
            "peak_after_warm_up_mib": at_warm["peak_mib"],
            "peak_at_end_mib": end["peak_mib"],
            "rss_after_warm_up_mib": at_warm["rss_mib"],
            "rss_max_after_warm_up_mib": max(s["rss_mib"] for s in after),
            "peak_growth": round(peak_growth, 4),
            "rss_growth": round(rss_growth, 4),
            "flat": peak_growth <= FLAT and rss_growth <= FLAT,
        }
    else:  # too few pages to say: no verdict rather than a comparison with the warm-up itself
        verdict["flat"] = None
    return {
        "pages": done,
        "pages_asked": total,
        "kinds": kinds,
        "dev_pages": len(dev),
        **verdict,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "samples": samples,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_flat", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100_000, help="pages to extract (default: 100,000)")
    parser.add_argument("--every", type=int, default=5_000, help="pages between two samples")
    parser.add_argument("--mix", default="4:1", help="synthetic:development pages per round (default 4:1)")
    parser.add_argument("--warm-up", type=int, default=10_000, help="pages before the baseline is taken")
    parser.add_argument("--seconds", type=float, help="stop at the first sample after this many seconds")
    parser.add_argument("--json", type=Path, help="write the result here as JSON")
    args = parser.parse_args(argv)
    synthetic, dev = (int(x) for x in args.mix.split(":"))
    result = run(args.pages, args.every, (synthetic, dev), args.warm_up, args.seconds)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0 if result["flat"] else 1  # None (not warmed up) fails too: no verdict


if __name__ == "__main__":
    sys.exit(main())
