"""Build the line-level training table for the text body model from the flattened development sets.

    python training/text_data.py [--out $BROADSHEET_CACHE/lines.npz]
    python training/text_data.py --fields   # $BROADSHEET_CACHE/fields_extra.npz: trafilatura's TRAIN
                                            # pages, field labels only (the set labels no full body)

For every page with a body (fundus, readability, wcxb-dev; both converters) the flattened text is split
and featurised exactly as the pipeline does it, and every line is labelled by aligning the page's tokens
to the truth body's tokens (``difflib`` on token sequences, so a teaser printed above the body does not
take the body's label): a line is body when most of its tokens align. A leading headline line is dropped
from the truth first, as the pipeline never keeps the headline in the body.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import re
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(HERE)]

from bench.datasets import load, split_of  # noqa: E402
from bench.metrics import exact, name_key, token_f1  # noqa: E402
from text_eval import truth_body  # noqa: E402
from text_flatten import cache_dir, flat_path  # noqa: E402

from broadsheet.options import Options  # noqa: E402
from broadsheet.pipeline.dates import find_date  # noqa: E402
from broadsheet.pipeline.metadata_text import clean_title  # noqa: E402
from broadsheet.pipeline.text import _split  # noqa: E402
from broadsheet.pipeline.text_features import FEATURES, line_features  # noqa: E402

_TOKEN = re.compile(r"\w+")
SETS = ("fundus", "readability", "wcxb-dev")
FIELD_SETS = ("trafilatura",)  # sets labelling headline, authors and date but no body: field models only


def align_labels(lines: list[str], truth: str) -> np.ndarray:
    """Fraction of each line's tokens that align to the truth body."""
    tokens: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        toks = _TOKEN.findall(line.lower())
        tokens.extend(toks)
        owner.extend([i] * len(toks))
    truth_tokens = _TOKEN.findall(truth.lower())
    matched = np.zeros(len(tokens), dtype=bool)
    if tokens and truth_tokens:
        sm = difflib.SequenceMatcher(None, tokens, truth_tokens, autojunk=False)
        for block in sm.get_matching_blocks():
            if block.size >= 3 or (block.size and block.size == _line_len(owner, block.a, block.size)):
                matched[block.a : block.a + block.size] = True
    per_line = np.bincount(np.asarray(owner, dtype=np.int64), weights=matched, minlength=len(lines))
    counts = np.bincount(np.asarray(owner, dtype=np.int64), minlength=len(lines))
    return np.where(counts > 0, per_line / np.maximum(counts, 1), 0.0)


def _line_len(owner: list[int], start: int, size: int) -> int:
    """Tokens of the line at ``start`` when the block covers exactly that whole line, else -1."""
    line = owner[start]
    if owner[start + size - 1] != line:
        return -1
    first = start
    while first > 0 and owner[first - 1] == line:
        first -= 1
    last = start + size
    while last < len(owner) and owner[last] == line:
        last += 1
    return size if first == start and last == start + size else -1


def field_labels(
    lines: list[str], truth: dict, url: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per line: token F1 of the line as the headline it gives (site name cleaned off) with the labelled
    headline, plus 1 when the two are equal; share of the authors' name tokens it holds; whether it
    states the published day."""
    n = len(lines)
    title = np.zeros(n, dtype=np.float32)
    author = np.zeros(n, dtype=np.float32)
    date = np.zeros(n, dtype=np.float32)
    name_tokens = set(" ".join(name_key(a) for a in truth.get("authors") or []).split())
    day = (truth.get("published") or "")[:10]
    for i, line in enumerate(lines):
        if len(line) > 400:
            continue
        if truth.get("title"):
            head = clean_title(line, url, set(lines) - {line})
            title[i] = token_f1(truth["title"], head) + exact(truth["title"], head)
        if name_tokens:
            toks = set(_TOKEN.findall(line.lower()))
            author[i] = len(name_tokens & toks) / len(name_tokens)
        if day and len(line) < 200:
            found = find_date(line)
            date[i] = float(bool(found) and found[:10] == day)
    return title, author, date


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=cache_dir() / "lines.npz")
    ap.add_argument("--split", default="all")
    ap.add_argument("--fields", action="store_true", help="the field-only sets' train pages")
    args = ap.parse_args()
    if args.fields:
        args.split = "train"
        if args.out == cache_dir() / "lines.npz":
            args.out = cache_dir() / "fields_extra.npz"
    opts = Options()
    blocks, labels, fracs, page_ids, meta = [], [], [], [], []
    fields: list[list[np.ndarray]] = [[], [], []]
    page_no = 0
    for name in FIELD_SETS if args.fields else SETS:
        recs = [r for r in load(name) if args.fields or r.truth.get("body")]
        for conv in ("resiliparse", "html-text"):
            with gzip.open(flat_path(name, conv), "rt", encoding="utf-8") as fh:
                texts = {r["id"]: r["text"] for r in map(json.loads, fh)}
            for rec in recs:
                text = texts.get(rec.id)
                if not text or (args.split != "all" and split_of(rec.id) != args.split):
                    continue
                lines, groups = _split(text, opts)
                if not lines:
                    continue
                feats = line_features(lines, groups, rec.url)
                frac = np.zeros(len(lines)) if args.fields else align_labels(lines, truth_body(rec.truth))
                blocks.append(feats.x.T.astype(np.float32))
                fracs.append(frac.astype(np.float32))
                labels.append((frac >= 0.5).astype(np.int8))
                for store, values in zip(fields, field_labels(lines, rec.truth, rec.url), strict=True):
                    store.append(values)
                page_ids.append(np.full(len(lines), page_no, dtype=np.int32))
                meta.append(
                    {
                        "set": name,
                        "conv": conv,
                        "id": rec.id,
                        "split": split_of(rec.id),
                        "page_type": rec.truth.get("page_type"),
                    }
                )
                page_no += 1
        print(name, page_no, file=sys.stderr)
    np.savez_compressed(
        args.out,
        x=np.concatenate(blocks),
        y=np.concatenate(labels),
        frac=np.concatenate(fracs),
        title=np.concatenate(fields[0]),
        author=np.concatenate(fields[1]),
        date=np.concatenate(fields[2]),
        page=np.concatenate(page_ids),
        names=np.array(FEATURES),
        meta=np.array(json.dumps(meta)),
    )
    print(f"{args.out}: {page_no} pages, {sum(len(b) for b in blocks)} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
