"""Where broadsheet's image captions and credits differ from fundus's labels (TRAIN split).

    python -m training.html_images_diag [--show 20] [--field credits]

Each labelled caption or credit that no output matches (the bench's fuzzy match, token F1 >= 0.8) is a
miss, each output that matches no label an extra. Extras are sorted by a cause that names a rule,
not a page: a copy of a labelled image (the same picture at another size, by URL stem), an image the
labels do not list at all, or a labelled image whose text we read differently.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from typing import Any

from bench.cases import truth_from_labels
from bench.datasets import load
from bench.metrics import fuzzy_set_f1, token_f1

import broadsheet

_SIZE = re.compile(
    r"(?:[-_.,/](?:\d{2,4}x\d{2,4}|w\d{2,4}|h\d{2,4}|\d{2,4}w|q\d{1,3}|crop\w*|resize\w*))+", re.I
)


def stem(url: str | None) -> str:
    """A picture's URL without query and size markers, so size copies of one image compare equal."""
    if not url:
        return ""
    path = url.split("?", 1)[0].rsplit("/", 1)[-1]
    return _SIZE.sub("", path.rsplit(".", 1)[0]).lower()


def unmatched(want: list[str], got: list[str]) -> tuple[list[str], list[str]]:
    """Labels no output matches, and outputs no label matches (greedy, as the bench scores)."""
    left = list(got)
    missed = []
    for item in want:
        best = max(left, key=lambda c: token_f1(item, c), default=None)
        if best is not None and token_f1(item, best) >= 0.8:
            left.remove(best)
        else:
            missed.append(item)
    return missed, left


def extra_cause(text: str, field: str, ours: list[Any], labelled: list[dict[str, Any]]) -> str:
    img = next(i for i in ours if getattr(i, field[:-1]) == text)
    stems = {stem(x.get("url")) for x in labelled}
    if stem(img.url) in stems:
        same = [x for x in labelled if stem(x.get("url")) == stem(img.url)]
        if any(x.get(field[:-1]) for x in same):
            return "labelled image, text differs"
        return "labelled image, label has none"
    if any(stem(o.url) == stem(img.url) for o in ours if o is not img):
        return "copy of another output"
    return "image not labelled"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--field", default="credits", choices=["captions", "credits"])
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    total, n, shown = 0.0, 0, 0
    causes: Counter[str] = Counter()
    for rec in load("fundus", split=args.split):
        truth = truth_from_labels(rec.truth)
        want = getattr(truth, args.field)
        if not want:
            continue
        art = broadsheet.extract(rec.html, rec.url, kind="html")
        got = [getattr(i, args.field[:-1]) for i in art.images if getattr(i, args.field[:-1])]
        score = fuzzy_set_f1(want, got)
        total, n = total + score, n + 1
        missed, extra = unmatched(want, got)
        for _ in missed:
            causes["miss"] += 1
        for e in extra:
            causes["extra: " + extra_cause(e, args.field, list(art.images), rec.truth["images"])] += 1
        if (missed or extra) and shown < args.show:
            shown += 1
            print(f"--- {rec.id} {score:.2f} {rec.url}")
            for m in missed:
                print(f"    missed: {m!r}")
            for e in extra:
                print(f"    extra : {e!r}")
            print(
                f"    labels: {[(stem(x.get('url')), x.get(args.field[:-1])) for x in rec.truth['images']]}"
            )
            print(f"    ours  : {[(stem(i.url), getattr(i, args.field[:-1])) for i in art.images]}")
    print(f"== fundus {args.field} n={n} F1={total / max(1, n):.3f}")
    for c, v in causes.most_common():
        print(f"   {v:4d}  {c}")


if __name__ == "__main__":
    main()
