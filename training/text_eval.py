"""Score the text path on the flattened development sets against keep-everything and the C4 filter.

    python training/text_eval.py [--split test] [--sets fundus readability wcxb-dev] [--html-fields]

Body: the scrapinghub metric (``bench.metrics``), a leading headline line dropped from the truth as the
data README advises. wcxb-dev is reported twice: article pages, and the other page types. Fields:
headline token F1 / exact, authors F1, published same day — with ``--html-fields`` also for the HTML
path on the same pages, the reference the text path is held to.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.baselines import c4_filter, keep_everything  # noqa: E402
from bench.datasets import load  # noqa: E402
from bench.metrics import aggregate, authors_f1, body_prf, normalise, same_day, token_f1  # noqa: E402

from broadsheet import Options, extract  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from text_flatten import flat_path  # noqa: E402


def truth_body(truth: dict) -> str:
    lines = (truth.get("body") or "").split("\n")
    if lines and truth.get("title") and normalise(lines[0]) == normalise(truth["title"]):
        lines = lines[1:]
    return "\n".join(lines)


def flattened(name: str, conv: str) -> dict[str, str | None]:
    with gzip.open(flat_path(name, conv), "rt", encoding="utf-8") as fh:
        return {r["id"]: r["text"] for r in map(json.loads, fh)}


def groups(name: str, split: str | None) -> dict[str, list]:
    recs = [r for r in load(name, split=split) if r.truth.get("body")]
    if name != "wcxb-dev":
        return {name: recs}
    return {
        "wcxb-dev/article": [r for r in recs if r.truth.get("page_type") == "article"],
        "wcxb-dev/other": [r for r in recs if r.truth.get("page_type") != "article"],
    }


def fields(truth: dict, art) -> dict[str, float | None]:  # type: ignore[no-untyped-def]
    return {
        "title": token_f1(truth["title"], art.title) if truth.get("title") else None,
        "authors": authors_f1(truth["authors"], art.authors) if truth.get("authors") else None,
        "published": same_day(truth["published"], art.published) if truth.get("published") else None,
    }


def mean_fields(rows: list[dict]) -> dict[str, str]:
    out = {}
    for key in ("title", "authors", "published"):
        vals = [r[key] for r in rows if r[key] is not None]
        out[key] = f"{statistics.fmean(vals):.3f}(n={len(vals)})" if vals else "-"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test")
    ap.add_argument("--sets", nargs="*", default=["fundus", "readability", "wcxb-dev"])
    ap.add_argument("--convs", nargs="*", default=["resiliparse", "html-text"])
    ap.add_argument("--html-fields", action="store_true")
    ap.add_argument("--worst", type=int, default=0, help="print the ids of the N worst pages")
    args = ap.parse_args()
    split = None if args.split == "all" else args.split
    opts = Options(kind="text")
    for name in args.sets:
        for label, recs in groups(name, split).items():
            html_rows = []
            if args.html_fields:
                html_rows = [fields(r.truth, extract(r.html, r.url)) for r in recs]
            for conv in args.convs:
                texts = flattened(name, conv)
                ours, keep, c4, rows, worst = [], [], [], [], []
                spent = 0.0
                for r in recs:
                    text = texts.get(r.id) or ""
                    truth = truth_body(r.truth)
                    t0 = time.perf_counter()
                    art = extract(text, r.url, options=opts)
                    spent += time.perf_counter() - t0
                    prf = body_prf(truth, art.text)
                    ours.append(prf)
                    worst.append((prf[0], r.id))
                    keep.append(body_prf(truth, keep_everything(text)))
                    c4.append(body_prf(truth, c4_filter(text)))
                    rows.append(fields(r.truth, art))
                a, k, c = aggregate(ours), aggregate(keep), aggregate(c4)
                print(
                    f"{label:18} {conv:11} n={len(recs):4} ours F1={a['f1']:.3f} (P={a['precision']:.3f} "
                    f"R={a['recall']:.3f})  keep={k['f1']:.3f}  c4={c['f1']:.3f}  "
                    f"{len(recs) / spent:.0f} pages/s  fields {mean_fields(rows)}"
                )
                if args.worst:
                    print("   worst:", " ".join(f"{i}:{s:.2f}" for s, i in sorted(worst)[: args.worst]))
            if html_rows:
                print(f"{label:18} {'HTML':11} fields {mean_fields(html_rows)}")


if __name__ == "__main__":
    main()
