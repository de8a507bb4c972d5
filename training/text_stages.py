"""Where the text path's time goes: CPU ms/page of each stage and of the main functions inside it.

Each listed function is wrapped with a CPU-time counter (``time.process_time``), so times are inclusive
(a function's time holds the functions it calls) and cost a microsecond or so per call. Pages are the
cached flattened variants (``text_flatten.py``), both converters.

python training/text_stages.py [--sets fundus readability wcxb-dev] [--limit 0]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import importlib
import json
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from text_flatten import cache_dir

from broadsheet import Options, extract

#: (module, function, label): the stage of ``extract`` first, then parts of stages (indented labels).
WATCHED = (
    ("broadsheet.pipeline", "read", "read"),
    ("broadsheet.pipeline", "parse_text", "parse"),
    ("broadsheet.pipeline.text", "_split", "  split lines"),
    ("broadsheet.pipeline.text", "line_features", "  line features"),
    ("broadsheet.pipeline.text_features", "_char_features", "    characters"),
    ("broadsheet.pipeline.text_features", "_token_features", "    tokens"),
    ("broadsheet.pipeline.text_features", "_context_features", "    context"),
    ("broadsheet.pipeline.text", "shape_roles", "  shape roles"),
    ("broadsheet.pipeline", "select_body", "body"),
    ("broadsheet.pipeline.body_text", "score_lines", "  line + context trees"),
    ("broadsheet.pipeline.body_text", "context_features", "    context features"),
    ("broadsheet.pipeline", "extract_metadata", "metadata"),
    ("broadsheet.pipeline.metadata_text", "_pick_fields", "  field models (metadata_text)"),
    ("broadsheet.pipeline.metadata_text", "field_matrix", "    field matrix"),
    ("broadsheet.pipeline.metadata_text", "scores", "    field trees"),
    ("broadsheet.pipeline", "body_blocks", "clean: body blocks"),
    ("broadsheet.pipeline", "assemble", "clean: assemble"),
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["fundus", "readability", "wcxb-dev"])
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    texts: list[str] = []
    for name in args.sets:
        for conv in ("resiliparse", "html-text"):
            with gzip.open(cache_dir() / f"{name}.{conv}.jsonl.gz", "rt", encoding="utf-8") as fh:
                texts += [r["text"] for r in map(json.loads, fh) if r["text"] and r["text"].strip()]
    if args.limit:
        texts = texts[:: max(1, len(texts) // args.limit)][: args.limit]
    opts = Options(kind="text")
    for text in texts[:20]:
        extract(text, options=opts)  # warm caches (tables, models)
    spent: dict[str, float] = defaultdict(float)
    for module_name, fn_name, label in WATCHED:
        module = importlib.import_module(module_name)
        setattr(module, fn_name, _timed(getattr(module, fn_name), label, spent))
    t0 = time.process_time()
    for text in texts:
        extract(text, options=opts)
    total = time.process_time() - t0
    print(f"{len(texts)} pages: {total / len(texts) * 1e3:.3f} ms/page, {len(texts) / total:,.0f} pages/s")
    for _, _, label in WATCHED:
        ms = spent[label] / len(texts) * 1e3
        print(f"  {label:<36} {ms:7.3f} ms/page  {spent[label] / total:6.1%}")


if __name__ == "__main__":
    main()
