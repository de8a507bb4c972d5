"""Fingerprint of the text path's output: a hash of ``to_dict()`` for every flattened development page.

Run before and after a change that must not move any output (a speed-up): the two files must be equal.
With ``--body`` only the body (``text`` and ``blocks``) is hashed: for a change to the metadata alone.
Pages are the cached flattened variants (``text_flatten.py``: every set, both converters) with each
page's URL from its labels, plus the seed example.

python training/text_identity.py OUT.tsv [--sets trafilatura wcxb-dev fundus readability] [--body]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path

from bench.cases import seed_pages
from bench.datasets import load
from bench.flatten import CONVERTERS
from text_flatten import DEFAULT_SETS, flat_path

from broadsheet import extract


def _digest(text: str, url: str | None, body: bool = False) -> str:
    record = extract(text, url, kind="text").to_dict()
    if body:
        record = {"text": record["text"], "blocks": record["blocks"]}
    blob = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--sets", nargs="*", default=list(DEFAULT_SETS))
    ap.add_argument("--body", action="store_true", help="hash the body alone (text and blocks)")
    args = ap.parse_args()
    rows: list[str] = []
    for name in args.sets:
        urls = {r.id: r.url for r in load(name)}
        for conv in CONVERTERS:
            with gzip.open(flat_path(name, conv), "rt", encoding="utf-8") as fh:
                for rec in map(json.loads, fh):
                    if rec["text"] is not None:
                        rows.append(
                            f"{name}\t{conv}\t{rec['id']}\t{_digest(rec['text'], urls.get(rec['id']), args.body)}"
                        )
    for page in seed_pages():
        assert page.text is not None
        rows.append(f"seed\ttext\t{page.id}\t{_digest(page.text, page.url, args.body)}")
    args.out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} pages hashed into {args.out}")


if __name__ == "__main__":
    main()
