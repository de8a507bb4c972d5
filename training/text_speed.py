"""Pages per second of the text path on the flattened development sets, one core, with a stage breakdown.

Times are CPU time of this process (``time.process_time``), so that other work on a shared machine does
not count against the text path.

python training/text_speed.py [--sets fundus readability wcxb-dev] [--limit 600]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time

from bench.baselines import c4_filter
from text_flatten import flat_path

from broadsheet import Options, extract
from broadsheet.pipeline.body import select_body
from broadsheet.pipeline.clean import assemble, body_blocks
from broadsheet.pipeline.metadata import extract_metadata
from broadsheet.pipeline.read import read
from broadsheet.pipeline.text import parse_text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["fundus", "readability", "wcxb-dev"])
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    texts = []
    for name in args.sets:
        for conv in ("resiliparse", "html-text"):
            with gzip.open(flat_path(name, conv), "rt", encoding="utf-8") as fh:
                texts += [r["text"] for r in map(json.loads, fh) if r["text"] and r["text"].strip()]
    if args.limit:
        texts = texts[: args.limit]
    opts = Options(kind="text")
    for text in texts[:20]:
        extract(text, options=opts)  # warm caches (tables, models)
    spent = {"read": 0.0, "parse": 0.0, "body": 0.0, "metadata": 0.0, "clean": 0.0}
    t_all = time.process_time()
    for text in texts:
        t0 = time.process_time()
        page = read(text, kind="text", options=opts)
        t1 = time.process_time()
        doc = parse_text(page, opts)
        t2 = time.process_time()
        select_body(doc, opts)
        t3 = time.process_time()
        body = "\n\n".join(c.text for c in doc.candidates if c.kept)
        meta = extract_metadata(doc, body)
        t4 = time.process_time()
        assemble(doc, meta, body_blocks(doc.candidates, meta.title), explain=False)
        t5 = time.process_time()
        for key, a, b in (
            ("read", t0, t1),
            ("parse", t1, t2),
            ("body", t2, t3),
            ("metadata", t3, t4),
            ("clean", t4, t5),
        ):
            spent[key] += b - a
    total = time.process_time() - t_all
    chars = sum(map(len, texts))
    print(
        f"{len(texts)} pages, {chars / len(texts):,.0f} chars/page: {len(texts) / total:,.0f} pages/s on one core"
    )
    print("  ms/page: " + "  ".join(f"{k} {v / len(texts) * 1e3:.3f}" for k, v in spent.items()))
    t0 = time.process_time()
    for text in texts:
        extract(text, options=opts)
    ours = len(texts) / (time.process_time() - t0)
    print(f"  extract(): {ours:,.0f} pages/s")
    t0 = time.process_time()
    for text in texts:
        c4_filter(text)
    c4 = len(texts) / (time.process_time() - t0)
    print(
        f"  C4 line filter (bench.baselines) in the same run: {c4:,.0f} pages/s; ratio ours/C4 {ours / c4:.2f}"
    )


if __name__ == "__main__":
    main()
