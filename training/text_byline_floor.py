"""The flattened-text byline floor against the pages that have no author: authors F1 where a set labels names,
and how many pages labelled authorless (the trafilatura set's ``labelled_empty``) are given an author anyway.

    python training/text_byline_floor.py [--floors 0.05,0.1] [--split train] [--jobs 2]

The floor is ``metadata_text._FLOORS["byline"]``, the least score the byline model's choice (and its runners-up)
must reach; each page is extracted once per floor from its flattened text (both converters). Run from the
repository root with the development data where ``bench.datasets`` finds it.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cases import decode, truth_from_labels
from bench.datasets import load
from bench.flatten import flatten
from bench.metrics import authors_f1

SETS = ("fundus", "readability", "trafilatura", "wcxb-dev")
CONVERTERS = ("resiliparse", "html-text")


def _authors(
    job: tuple[str, str, str | None, bytes, str, tuple[float, ...]],
) -> tuple[tuple[str, str, str], list]:
    """The authors of one page in one converter, once per floor."""
    import broadsheet
    from broadsheet.pipeline import metadata_text

    setname, rid, url, html, converter, floors = job
    text = flatten(decode(html), converter)
    found = []
    for floor in floors:
        metadata_text._FLOORS["byline"] = floor
        found.append(broadsheet.extract(text, url, kind="text").authors)
    return (setname, rid, converter), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floors", default="0.05,0.07,0.1,0.15")
    parser.add_argument("--split", default="train", choices=("train", "test"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    floors = tuple(float(f) for f in args.floors.split(","))
    records = [r for s in SETS for r in load(s, split=args.split)]
    truths = {(r.set, r.id): truth_from_labels(r.truth) for r in records}
    jobs = [(r.set, r.id, r.url, r.html, c, floors) for r in records for c in CONVERTERS]
    with ProcessPoolExecutor(args.jobs) as pool:
        found = dict(pool.map(_authors, jobs, chunksize=16))
    authorless = [rid for (s, rid), t in truths.items() if s == "trafilatura" and "authors" in t.none]
    print(
        f"{args.split} split; authors F1 per set as resiliparse / html-text; authorless pages given an author"
    )
    for k, floor in enumerate(floors):
        cells = [f"floor {floor:.2f}"]
        for s in SETS:
            labelled = [
                rid
                for (ss, rid), t in truths.items()
                if ss == s and t.authors and not (s == "wcxb-dev" and t.page_type != "article")
            ]
            f1 = [
                sum(authors_f1(truths[(s, rid)].authors, found[(s, rid, c)][k]) for rid in labelled)
                / len(labelled)
                for c in CONVERTERS
            ]
            cells.append(f"{s} {f1[0]:.3f} / {f1[1]:.3f}")
        given = [sum(bool(found[("trafilatura", rid, c)][k]) for rid in authorless) for c in CONVERTERS]
        cells.append(f"given {given[0]} / {given[1]} of {len(authorless)}")
        print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
