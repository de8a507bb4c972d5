"""Why the text path misses an author or a published day that the flattened text DOES print: every such
miss sorted into a cause, per set and variant (the pages where the value is not printed at all are the
ceiling, ``text_fields_ceiling.py``).

    python training/text_fields_causes.py [--split train] [--sets ...] [--convs ...] [--show CAUSE-WORD]

Authors: no byline found; a name line read but no name kept; the right line with names mangled or a part
missed (an agency, names run together); a photo credit taken; another line taken (a rail, the body, the
headline, the site's name). Days: the printed form not read by the parser; no date chosen; the modified
date taken; the right line, another date in it or the day and month swapped; another date line taken.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from datetime import date

from bench.cases import Truth, truth_from_labels
from bench.datasets import load
from bench.metrics import authors_f1, name_key, same_day
from text_common import texts
from text_fields_ceiling import day_pattern, names_printed
from text_fields_diag import run_page

from broadsheet.pipeline.dates import find_date
from broadsheet.pipeline.metadata import is_agency

_CREDIT = re.compile(r"(?i)\b(?:photo|picture|foto|bild|image|illustration|grafik|video|credit|copyright)|©")
_UPDATED = re.compile(r"(?i)updated|modified|aktualisiert|geändert|actualizado|mis à jour")


def _holds(line: str, keys: list[str]) -> bool:
    words = " " + " ".join(re.findall(r"\w+", line.lower())) + " "
    return any(f" {k} " in words for k in keys)


def author_cause(truth: Truth, got: list[str], bylines: list[str]) -> str:
    """The cause of an authors miss, from the labels, the names given and the lines taken as bylines."""
    want, have = [name_key(a) for a in truth.authors], [name_key(a) for a in got]
    inline = any(_holds(b, want) for b in bylines)
    if not got:
        return "name line read, no name kept" if inline else "no byline found"
    if any(
        set(g.split()) >= set(a.split()) and len(g.split()) > len(a.split()) + 1 for g in have for a in want
    ):
        return "names run together / extra words"
    if inline and any(map(is_agency, truth.authors)) and not any(map(is_agency, got)):
        return "agency dropped"
    if inline:
        return "partial: some names missed or extra" if set(have) & set(want) else "right line, names mangled"
    if bylines and _CREDIT.search(bylines[0]):
        return "photo credit taken as byline"
    return "other line taken (rail, body, title, site)"


def day_cause(
    iso: str, got: str | None, lines: list[str], datelines: list[str], printed: re.Pattern[str]
) -> str:
    """The cause of a published-day miss."""
    short = [line for line in lines if len(line) < 200]
    if not any(
        (find_date(x, day_first=f, loose=True) or "")[:10] == iso[:10] for x in short for f in (True, False)
    ):
        return "printed form not read by the parser"
    if not got:
        return "no date chosen"
    if got[:10] > iso[:10] and any(_UPDATED.search(x) for x in short if printed.search(x) or got[:10] in x):
        return "modified taken for published"
    if any(printed.search(x) for x in datelines):
        return "right line, other date in it / day-month order"
    return "other date line taken"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="fundus,readability,trafilatura,wcxb-dev")
    ap.add_argument("--convs", default="resiliparse,html-text")
    ap.add_argument("--split", default="train", choices=("train", "test"))
    ap.add_argument("--show", default="", help="print the misses whose cause holds this word")
    ap.add_argument(
        "--holdout", type=int, default=None, help="only the pages text_train_fields.py --holdout=K left out"
    )
    args = ap.parse_args()
    for name in args.sets.split(","):
        for conv in args.convs.split(","):
            pages = texts(name, conv)
            authors, days = Counter[str](), Counter[str]()
            f1s: dict[str, list[float]] = {"authors": [], "day": []}
            for rec in load(name, split=args.split):
                if args.holdout is not None and int(rec.id[1], 16) % 2 != args.holdout:
                    continue
                truth = truth_from_labels(rec.truth)
                text = pages.get(rec.id) or ""
                if (name.startswith("wcxb") and truth.page_type != "article") or not text.strip():
                    continue
                try:
                    printed = (
                        day_pattern(date.fromisoformat(truth.published[:10])) if truth.published else None
                    )
                except ValueError:
                    printed = None
                want_names = bool(truth.authors) and names_printed(truth.authors, text) > 0
                want_day = printed is not None and printed.search(text) is not None
                if not (want_names or want_day):
                    continue
                lines, roles, got = run_page(text, rec.url)
                of = {r: [lines[i] for i, x in enumerate(roles) if x == r] for r in ("byline", "dateline")}
                if want_names:
                    f1 = authors_f1(truth.authors, got["authors"])
                    f1s["authors"].append(f1)
                    if f1 < 1:
                        why = author_cause(truth, got["authors"], of["byline"])
                        authors[why] += 1
                        _show(args.show, why, "authors", rec.id, truth.authors, got["authors"], of["byline"])
                if want_day and printed and truth.published:  # want_day holds only with a printed day
                    day = same_day(truth.published, got["published"])
                    f1s["day"].append(day)
                    if day < 1:
                        why = day_cause(truth.published, got["published"], lines, of["dateline"], printed)
                        days[why] += 1
                        _show(
                            args.show, why, "day", rec.id, truth.published, got["published"], of["dateline"]
                        )
            means = {k: f"{sum(v) / max(1, len(v)):.3f} of {len(v)}" for k, v in f1s.items()}
            print(f"{name} {conv} where printed: authors F1 {means['authors']}, day {means['day']}")
            print(f"{name} {conv} authors {dict(authors.most_common())}")
            print(f"{name} {conv} day {dict(days.most_common())}")


def _show(
    wanted: str | None, why: str, field: str, page: str, label: object, got: object, lines: list[str]
) -> None:
    """Print one miss of a cause that ``--show`` names: the label, the output and the line the field came from."""
    if wanted and wanted in why:
        print(f"  {field}", page, label, got, [line[:100] for line in lines[:1]])


if __name__ == "__main__":
    main()
