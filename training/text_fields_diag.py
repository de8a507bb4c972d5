"""Why the text path misses a headline, byline or date: every miss on the TRAIN split sorted into causes.

    python training/text_fields_diag.py [--sets fundus,wcxb-dev,readability,trafilatura] [--split train] [--show N]

For each page and field the text path got wrong: ``absent`` (no line of the flattened text holds the
value: a ceiling of the variant), ``none`` (a right line exists, nothing was chosen), ``wrong`` (another
line was chosen), ``clean`` (the right line was chosen, its value came out wrong).
"""

from __future__ import annotations

import argparse
from collections import Counter

from bench.cases import truth_from_labels
from bench.datasets import load
from bench.metrics import authors_f1, exact, same_day
from text_common import texts
from text_data import field_labels

from broadsheet.options import Options
from broadsheet.pipeline.body import select_body
from broadsheet.pipeline.metadata import extract_metadata
from broadsheet.pipeline.read import read
from broadsheet.pipeline.text import parse_text

ROLE = {"title": "title", "authors": "byline", "published": "dateline"}


def run_page(text: str, url: str | None) -> tuple[list[str], list[str], dict]:
    """The text path's lines, their roles and its fields."""
    opts = Options()
    page = read(text, url=url, kind="text", options=opts)
    doc = parse_text(page, opts)
    select_body(doc, opts)
    meta = extract_metadata(doc, "\n\n".join(c.text for c in doc.candidates if c.kept))
    fields = {"title": meta.title, "authors": meta.authors, "published": meta.published}
    return [c.text for c in doc.candidates], [c.role for c in doc.candidates], fields


def cause(field: str, lines: list[str], roles: list[str], right: list[bool]) -> str:
    if not any(right):
        return "absent"
    chosen = [i for i, r in enumerate(roles) if r == ROLE[field]]
    if not chosen:
        return "none"
    return "clean" if any(right[i] for i in chosen) else "wrong"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="fundus,wcxb-dev,readability,trafilatura")
    ap.add_argument("--split", default="train")
    ap.add_argument("--convs", default="resiliparse,html-text")
    ap.add_argument("--show", type=int, default=0, help="print N misses of each field and cause")
    ap.add_argument("--field", default="")
    ap.add_argument(
        "--holdout", action="store_true", help="only the pages text_train_fields.py --holdout left out"
    )
    args = ap.parse_args()
    for name in args.sets.split(","):
        recs = [
            r
            for r in load(name, split=args.split)
            if name != "wcxb-dev" or r.truth.get("page_type") == "article"
        ]
        if args.holdout:
            recs = [r for r in recs if int(r.id[1], 16) % 2]
        for conv in args.convs.split(","):
            pages = texts(name, conv)
            counts: dict[str, Counter[str]] = {f: Counter() for f in ROLE}
            scores: dict[str, list[float]] = {f: [] for f in ROLE}
            shown: Counter[tuple[str, str]] = Counter()
            for rec in recs:
                text = pages.get(rec.id)
                truth = truth_from_labels(rec.truth)
                if not text or not text.strip():
                    text = "-"  # the converter gave nothing: every field is absent
                lines, roles, got = run_page(text, rec.url)
                t_title, t_author, t_date = field_labels(lines, rec.truth, rec.url)
                checks = {
                    "title": (truth.title, exact(truth.title, got["title"]), t_title >= 0.75),
                    "authors": (truth.authors, authors_f1(truth.authors, got["authors"]), t_author >= 0.5),
                    "published": (truth.published, same_day(truth.published, got["published"]), t_date > 0),
                }
                for field, (want, score, right) in checks.items():
                    if not want:
                        continue
                    scores[field].append(score)
                    if score >= 1.0:
                        counts[field]["ok"] += 1
                        continue
                    why = cause(field, lines, roles, list(right))
                    counts[field][why] += 1
                    if args.show and shown[(field, why)] < args.show and args.field in ("", field):
                        shown[(field, why)] += 1
                        chosen = [lines[i][:150] for i, r in enumerate(roles) if r == ROLE[field]]
                        best = [lines[i][:150] for i in range(len(lines)) if right[i]][:2]
                        print(f"--- {name}/{conv} {rec.id} {field} {why} score={score:.2f} url={rec.url}")
                        print(f"    truth : {want!r}")
                        print(f"    got   : {got[field]!r}")
                        print(f"    chosen: {chosen[:2]!r}")
                        print(f"    right : {best!r}")
            for field in ROLE:
                mean = sum(scores[field]) / max(1, len(scores[field]))
                print(
                    f"{name:12s} {conv:11s} {field:9s} {mean:.3f} n={len(scores[field])} {dict(counts[field])}"
                )


if __name__ == "__main__":
    main()
