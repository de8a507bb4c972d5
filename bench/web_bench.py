"""Server time of the reading room's pages on a large archive: p50/p95/max per route.

Builds (once) an archive of N synthetic articles through the archive's own ingestion: independent
stories over four publishers plus wire stories run by two to four sites (story clusters). Then it
serves the archive with a real uvicorn on 127.0.0.1 and requests every route with varied arguments,
reading the app's own ``Server-Timing`` header (time in the app, not in the client or the network).

    python -m bench.web_bench --archive /tmp/bench-100k.db --articles 100000 --requests 40
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from broadsheet.archive import Archive
from broadsheet.article import Input
from broadsheet.synthetic import SITES, make_story, render_page

_WIRES = ("Reuters", "Associated Press", "AFP")
_VARIANTS = ("original", "edited_headline", "extra_boilerplate", "truncated")


def synthetic_inputs(n: int, seed: int = 0) -> Iterator[Input]:
    """``n`` pages, lazily: nine in ten independent stories, the rest wire stories copied by 2-4 sites."""
    rng = random.Random(seed)
    made = index = 0
    english = [s for s in SITES if s.lang == "en"]
    while made < n:
        if rng.random() < 0.1:
            story = make_story(rng, index, wire=rng.choice(_WIRES))
            sites = rng.sample(english, k=min(rng.randint(2, 4), len(english)))
            pages = [render_page(story, site, rng, variant="original" if j == 0 else rng.choice(_VARIANTS))
                     for j, site in enumerate(sites)]
        else:
            site = SITES[index % len(SITES)]
            pages = [render_page(make_story(rng, index, lang=site.lang), site, rng)]
        index += 1
        for page in pages[: n - made]:
            made += 1
            yield Input(content=page.html, url=page.url, source=page.url)


def build(path: Path, n: int, workers: int) -> None:
    with Archive(path) as archive:
        have = archive.stats().articles
        if have >= n:
            print(f"{path}: {have} articles already", file=sys.stderr)
            return
        started = time.perf_counter()
        report = archive.ingest(synthetic_inputs(n), workers=workers, progress=True)
        print(f"{path}: {report} ({time.perf_counter() - started:.0f}s)", file=sys.stderr)
        optimize = getattr(archive.backend, "optimize", None)  # the SQLite backend merges its index
        if optimize:
            optimize()


def routes(archive: Archive, rng: random.Random, k: int) -> dict[str, list[str]]:
    """For each route, ``k`` URLs with different arguments, taken from the archive itself."""
    latest = archive.latest(limit=2000)
    ids = [s.id for s in rng.sample(latest, min(k, len(latest)))]
    sections = [v for v, _ in archive.facet("section", limit=20)]
    sites = [v for v, _ in archive.facet("site", limit=20)]
    authors = [v for v, _ in archive.facet("author", limit=200)]
    days = [d for d, _ in archive.counts_by_day()]
    clusters = [c.id for c in archive.clusters(limit=k)] or [0]
    words = ["council", "harbour", "budget", "observatory", "rail fares", "energy supplier", "referendum", "seed bank"]
    common = ["council", "residents", "plan"]

    def pick(values: list[str]) -> str:
        return rng.choice(values) if values else ""

    return {
        "front /": ["/"] * k,
        "search rare words": [f"/search?q={pick(words).replace(' ', '+')}" for _ in range(k)],
        "search common word": [f"/search?q={pick(common)}" for _ in range(k)],
        "search phrase + filters": [f"/search?q=%22rail+fares%22&section={pick(sections)}&since={pick(days)}"
                                    for _ in range(k)],
        "search page 10": [f"/search?q={pick(common)}&page=10" for _ in range(k)],
        "section": [f"/section/{pick(sections)}" for _ in range(k)],
        "site": [f"/site/{pick(sites)}" for _ in range(k)],
        "author": [f"/author/{pick(authors)}" for _ in range(k)],
        "archive": ["/archive"] * k,
        "archive month": [f"/archive/{pick(days)[:7]}" for _ in range(k)],
        "archive day": [f"/archive/{pick(days)}" for _ in range(k)],
        "article": [f"/article/{i}" for i in ids],
        "explain": [f"/article/{i}/explain" for i in ids],
        "story": [f"/story/{rng.choice(clusters)}" for _ in range(k)],
        "trending": ["/trending"] * k,
        "feed.atom search": [f"/feed.atom?q={pick(words).replace(' ', '+')}" for _ in range(k)],
        "feed.rss section": [f"/feed.rss?section={pick(sections)}" for _ in range(k)],
        "api articles": [f"/api/articles?q={pick(words).replace(' ', '+')}" for _ in range(k)],
        "api article": [f"/api/articles/{i}" for i in ids],
        "api front": ["/api/front"] * k,
    }


def _server_ms(response: httpx.Response) -> float:
    timing = response.headers.get("server-timing", "")
    return float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")


def measure(base: str, plan: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, urls in plan.items():
            cold = _server_ms(client.get(urls[0]))  # first: templates compiled, aggregates not cached yet
            times = []
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
                times.append(_server_ms(response))
            times.sort()
            results[name] = {
                "p50": statistics.median(times), "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "max": times[-1], "cold": cold, "n": len(times),
            }
    return results


def main() -> None:
    from broadsheet.web import WebSettings
    from broadsheet.web.server import running

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=Path("/tmp/broadsheet-web-bench.db"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None, help="ingestion processes (default: all cores)")
    parser.add_argument("--requests", type=int, default=40, help="requests per route")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    build(args.archive, args.articles, args.workers if args.workers is not None else 0 if args.articles < 2000 else 2)
    state = args.archive.with_suffix(".bench-web")
    state.unlink(missing_ok=True)
    with Archive(args.archive, readonly=True) as archive:
        plan = routes(archive, random.Random(1), args.requests)
        articles = archive.stats().urls
    with running(WebSettings(archive=str(args.archive), state=str(state))) as base:
        results = measure(base, plan)
    print(f"\nServer time per route, {articles:,} articles, {args.requests} requests each (ms)\n")
    print("| route | p50 | p95 | max | first request |\n|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {r['cold']:.1f} |")
    slow = [n for n, r in results.items() if r["p95"] > 200]
    print(f"\nroutes with p95 over 200 ms: {', '.join(slow) or 'none'}")
    if args.out:
        args.out.write_text(json.dumps({"articles": articles, "results": results}, indent=2))


if __name__ == "__main__":
    main()
