"""Server time of the reading room's pages on a large archive: p50/p95/max per route.

Builds (once) an archive of N synthetic articles through the archive's own ingestion: independent
stories over four publishers plus wire stories run by two to four sites (story clusters). Then it
serves the archive with a real uvicorn on 127.0.0.1 and requests every route with varied arguments,
reading the app's own ``Server-Timing`` header: wall time in the app (not in the client or the
network), and the process's CPU time meanwhile, which a machine shared with other jobs does not inflate.

    python -m bench.web_bench --archive /tmp/bench-100k.db --articles 100000 --requests 40
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

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
            pages = [
                render_page(story, site, rng, variant="original" if j == 0 else rng.choice(_VARIANTS))
                for j, site in enumerate(sites)
            ]
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
    # queries made of words from the archive's own headlines, each asked once: no cache can answer them
    vocabulary = sorted({w.lower() for s in latest for w in re.findall(r"[A-Za-z]{4,}", s.title or "")})
    singles = rng.sample(vocabulary, min(k, len(vocabulary)))
    pairs = [" ".join(rng.sample(vocabulary, 2)) for _ in range(k)]
    phrases = [" ".join((s.title or "").split()[:2]) for s in rng.sample(latest, k)]

    def pick(values: list[str]) -> str:
        return rng.choice(values) if values else ""

    deep: list[tuple[str, str]] = []  # (word, until) with at least five pages of results
    for word in rng.sample(vocabulary, len(vocabulary)):
        until = pick(days[len(days) // 2 :])
        if len(deep) < k and archive.count(word, until=until) > 100:
            deep.append((word, until))

    def q(text: str) -> str:
        return quote_plus(text)

    return {
        "front /": ["/"] * k,
        "search one word": [f"/search?q={q(w)}" for w in singles],
        "search two words": [f"/search?q={q(p)}" for p in pairs],
        "search phrase + filters": [
            f"/search?q={q(chr(34) + p + chr(34))}&section={q(pick(sections))}&since={pick(days)}"
            for p in phrases
        ],
        "search page 5": [f"/search?q={q(w)}&page=5&until={d}" for w, d in deep],
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
        "feed.atom search": [f"/feed.atom?q={q(p)}" for p in pairs],
        "feed.rss section": [f"/feed.rss?section={pick(sections)}" for _ in range(k)],
        "api articles": [f"/api/articles?q={q(w)}&lang=en" for w in singles],
        "api article": [f"/api/articles/{i}" for i in ids],
        "api front": ["/api/front"] * k,
    }


def _timing(response: httpx.Response) -> tuple[float, float]:
    """(wall, cpu) milliseconds from the app's Server-Timing header."""
    parts = dict(
        p.strip().split(";dur=") for p in response.headers.get("server-timing", "").split(",") if ";dur=" in p
    )
    return float(parts.get("app", "nan")), float(parts.get("cpu", "nan"))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(base: str, plan: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, urls in plan.items():
            cold, _ = _timing(client.get(urls[0]))  # templates compiled, this route's aggregates not cached
            wall, cpu = [], []
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
                w, c = _timing(response)
                wall.append(w)
                cpu.append(c)
            results[name] = {
                "p50": _pct(wall, 0.5),
                "p95": _pct(wall, 0.95),
                "max": max(wall),
                "first": cold,
                "cpu_p50": _pct(cpu, 0.5),
                "cpu_p95": _pct(cpu, 0.95),
                "n": len(wall),
            }
            r = results[name]
            print(
                f"{name}: p50 {r['p50']:.1f} p95 {r['p95']:.1f} (cpu {r['cpu_p95']:.1f}) ms", file=sys.stderr
            )
    return results


def main() -> None:
    from broadsheet.web import WebSettings
    from broadsheet.web.server import running

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=Path("/tmp/broadsheet-web-bench.db"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None, help="ingestion processes (default: all cores)")
    parser.add_argument("--requests", type=int, default=40, help="requests per route")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds between start and measuring")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    build(
        args.archive,
        args.articles,
        args.workers if args.workers is not None else 0 if args.articles < 2000 else 2,
    )
    state = args.archive.with_suffix(".bench-web")
    state.unlink(missing_ok=True)
    with Archive(args.archive, readonly=True) as archive:
        plan = routes(archive, random.Random(1), args.requests)
        articles = archive.stats().urls
    with running(WebSettings(archive=str(args.archive), state=str(state))) as base:
        time.sleep(args.settle)  # a server runs for days: let its start-up warm-up finish first
        results = measure(base, plan)
    load = os.getloadavg()[0]
    print(
        f"\nServer time per route, {articles:,} articles, {args.requests} requests each, "
        f"{os.cpu_count()} cores, load average {load:.1f} (ms)\n"
    )
    print(
        "| route | p50 | p95 | max | first request | CPU p50 | CPU p95 |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for name, r in results.items():
        print(
            f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {r['first']:.1f} | "
            f"{r['cpu_p50']:.1f} | {r['cpu_p95']:.1f} |"
        )
    slow = [n for n, r in results.items() if r["p95"] > 200]
    print(f"\nroutes with p95 over 200 ms: {', '.join(slow) or 'none'}")
    if args.out:
        args.out.write_text(json.dumps({"articles": articles, "results": results}, indent=2))


if __name__ == "__main__":
    main()
