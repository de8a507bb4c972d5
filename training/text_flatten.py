"""Flatten the development sets once and cache the text, for training and scoring the text path.

    python training/text_flatten.py [--out DIR] [--sets fundus readability wcxb-dev trafilatura]

Writes ``DIR/<set>.<converter>-r<revision>.jsonl.gz`` (``bench.flatten.REVISION``): one ``{"id", "split", "text"}`` per page (text null when the
converter failed). Default DIR is ``$BROADSHEET_CACHE`` or ``/tmp/broadsheet-text``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.datasets import load, split_of  # noqa: E402
from bench.flatten import CONVERTERS, REVISION, flatten  # noqa: E402

from broadsheet.pipeline.read import decode  # noqa: E402

DEFAULT_SETS = ("fundus", "readability", "wcxb-dev", "trafilatura")


def cache_dir() -> Path:
    return Path(os.environ.get("BROADSHEET_CACHE", "/tmp/broadsheet-text"))


def flat_path(name: str, converter: str, folder: Path | None = None) -> Path:
    """The cached flattened pages of a set by a converter; the variant's revision is in the name, so that a
    changed variant is never read from an older cache."""
    return (folder or cache_dir()) / f"{name}.{converter}-r{REVISION[converter]}.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=cache_dir())
    ap.add_argument("--sets", nargs="*", default=list(DEFAULT_SETS))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.sets:
        records = list(load(name))
        for conv in CONVERTERS:
            path = flat_path(name, conv, args.out)
            if path.exists():
                continue
            with gzip.open(path, "wt", encoding="utf-8") as fh:
                for rec in records:
                    try:
                        html, _ = decode(rec.html)
                        text: str | None = flatten(html, conv)
                    except Exception as exc:  # a converter crash is recorded, not fatal
                        print(f"{name}/{rec.id} {conv}: {exc}", file=sys.stderr)
                        text = None
                    fh.write(json.dumps({"id": rec.id, "split": split_of(rec.id), "text": text}) + "\n")
            print(f"{path}: {len(records)} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
