"""Where the text path's time goes: CPU ms/page of each stage and of the main functions inside it.

Each listed function is wrapped with a CPU-time counter (``time.process_time``), so times are inclusive
(a function's time holds the functions it calls) and cost a microsecond or so per call. Pages are the
cached flattened variants (``text_flatten.py``), both converters.

With ``--ab REV`` the tree at commit REV is loaded beside this one (``text_speed_ab``) and both are timed
page by page in turns, so that the load of a shared machine falls on both alike.

With ``--batch N`` the line features of N pages are computed as one page (their lines concatenated, page
boundaries ignored: an upper bound on what batching the feature stage could save), beside page by page.

With ``--fit`` each page is timed alone (the best of ``--reps``) and the times are fitted as a fixed cost
per page plus a cost per line: the fixed part is what batching many pages into one numpy call would share.

python training/text_stages.py [--sets fundus readability wcxb-dev] [--limit 0] [--ab REV] [--reps 3] [--fit] [--batch 64]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import importlib
import json
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from text_flatten import flat_path
from text_speed_ab import _other

import broadsheet

#: (module, function, label): the stage of ``extract`` first, then parts of stages (indented labels).
WATCHED = (
    ("pipeline", "read", "read"),
    ("pipeline", "parse_text", "parse"),
    ("pipeline.text", "_split", "  split lines"),
    ("pipeline.text", "line_features", "  line features"),
    ("pipeline.text_features", "_char_features", "    characters"),
    ("pipeline.text_features", "_token_features", "    tokens"),
    ("pipeline.text_features", "_context_features", "    context"),
    ("pipeline.text", "shape_roles", "  shape roles"),
    ("pipeline", "select_body", "body"),
    ("pipeline.body_text", "score_lines", "  line + context trees"),
    ("pipeline.body_text", "context_features", "    context features"),
    ("pipeline", "extract_metadata", "metadata"),
    ("pipeline.metadata_text", "_pick_fields", "  field models (metadata_text)"),
    ("pipeline.metadata_text", "field_matrix", "    field matrix"),
    ("pipeline.metadata_text", "scores", "    field trees"),
    ("pipeline", "body_blocks", "clean: body blocks"),
    ("pipeline", "assemble", "clean: assemble"),
)


def _timed(fn: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - t0

    return wrapper


def _watch(package: Any, spent: dict[str, float]) -> None:
    """Wrap the ``WATCHED`` functions of ``package`` (``broadsheet`` or another tree's copy) with counters."""
    for module_name, fn_name, label in WATCHED:
        module = importlib.import_module(f"{package.__name__}.{module_name}")
        setattr(module, fn_name, _timed(getattr(module, fn_name), label, spent))


def _texts(sets: list[str], limit: int) -> list[str]:
    texts: list[str] = []
    for name in sets:
        for conv in ("resiliparse", "html-text"):
            with gzip.open(flat_path(name, conv), "rt", encoding="utf-8") as fh:
                texts += [r["text"] for r in map(json.loads, fh) if r["text"] and r["text"].strip()]
    return texts[:: max(1, len(texts) // limit)][:limit] if limit else texts


def _run(versions: dict[str, Any], texts: list[str], reps: int) -> dict[str, list[dict[str, float]]]:
    """Per version, per rep: ms/page of every watched label and of the whole ``extract`` ("total")."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in versions}
    for rep in range(reps):
        spent = {name: defaultdict(float) for name in versions}
        for name, package in versions.items():
            importlib.import_module(f"{package.__name__}.pipeline.dates")._find_date.cache_clear()
            _watch(package, spent[name])
        turns = list(versions.items()) if rep % 2 == 0 else list(versions.items())[::-1]
        for text in texts:
            for name, package in turns:
                t0 = time.process_time()
                package.extract(text, kind="text")
                spent[name]["total"] += time.process_time() - t0
        for name in versions:
            runs[name].append({k: v / len(texts) * 1e3 for k, v in spent[name].items()})
            _unwatch(versions[name])
    return runs


def _fit(texts: list[str], reps: int) -> None:
    """Least-squares fit of each page's CPU time (best of ``reps``) as ``fixed + per_line x lines``."""
    import numpy as np

    lines, ms = [], []
    for text in texts:
        best = float("inf")
        for _ in range(max(reps, 1)):
            t0 = time.process_time()
            broadsheet.extract(text, kind="text")
            best = min(best, time.process_time() - t0)
        lines.append(text.count("\n") + 1)
        ms.append(best * 1e3)
    x, y = np.array(lines, dtype=float), np.array(ms)
    (fixed, per_line), *_ = np.linalg.lstsq(np.stack([np.ones_like(x), x], axis=1), y, rcond=None)
    typical = float(np.median(x))
    r2 = 1 - ((y - fixed - per_line * x) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    share = fixed / (fixed + per_line * typical)
    print(f"{len(texts)} pages: CPU ms/page = {fixed:.3f} + {per_line * 1e3:.2f} us x lines (R^2 {r2:.2f})")
    print(f"at the median page ({typical:.0f} lines) the fixed part is {share:.0%} of its time")


def _batched(texts: list[str], size: int, reps: int) -> None:
    """CPU ms/page of the line features page by page, and of ``size`` pages' lines as one page."""
    text_module = importlib.import_module("broadsheet.pipeline.text")
    features = text_module.line_features
    pages: list[tuple[list[str], list[int]]] = []

    def keep(lines: list[str], groups: list[int], url: str | None = None) -> Any:
        pages.append((lines, groups))
        return features(lines, groups, url)

    text_module.line_features = keep
    try:
        for text in texts:
            broadsheet.extract(text, kind="text")
    finally:
        text_module.line_features = features
    batches = [pages[k : k + size] for k in range(0, len(pages), size)]
    joined = [([ln for p in b for ln in p[0]], [g for p in b for g in p[1]]) for b in batches]
    for rep in range(max(reps, 1)):
        spent = []
        for work in (pages, joined) if rep % 2 == 0 else (joined, pages):
            t0 = time.process_time()
            for lines, groups in work:
                features(lines, groups)
            spent.append((time.process_time() - t0) / len(pages) * 1e3)
        alone, together = spent if rep % 2 == 0 else spent[::-1]
        print(
            f"line features, {len(pages)} pages: {alone:.3f} ms/page alone, {together:.3f} in batches of {size}"
        )


def _unwatch(package: Any) -> None:
    for module_name, fn_name, _ in WATCHED:
        module = importlib.import_module(f"{package.__name__}.{module_name}")
        setattr(module, fn_name, getattr(module, fn_name).__wrapped__)


def _warm(package: Any, texts: list[str]) -> None:
    """Extract a few pages untimed: the first calls load tables and models."""
    for text in texts[:20]:
        package.extract(text, kind="text")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["fundus", "readability", "wcxb-dev"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--ab", help="a commit to time beside this tree, page by page in turns")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--fit", action="store_true", help="fit page time as fixed + per-line cost")
    ap.add_argument("--batch", type=int, default=0, help="time line features on N pages joined as one")
    args = ap.parse_args()
    texts = _texts(args.sets, args.limit)
    if args.batch:
        _batched(texts, args.batch, args.reps)
        return
    if args.fit:
        _warm(broadsheet, texts)
        _fit(texts, args.reps)
        return
    with tempfile.TemporaryDirectory(prefix="text-stages-") as tmp:
        versions = {"this tree": broadsheet}
        if args.ab:
            versions[args.ab] = _other(args.ab, Path(tmp))
        for package in versions.values():
            _warm(package, texts)
        runs = _run(versions, texts, args.reps)
    med = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    names = list(versions)
    print(f"{len(texts)} pages, {args.reps} rep(s); median CPU ms/page")
    print(f"  {'stage':<36} " + " ".join(f"{n:>10}" for n in names))
    for label in ("total", *(label for _, _, label in WATCHED)):
        print(f"  {label:<36} " + " ".join(f"{med[n].get(label, 0.0):10.3f}" for n in names))
    for name in names:
        print(f"{name}: {1e3 / med[name]['total']:,.0f} pages/s")


if __name__ == "__main__":
    main()
