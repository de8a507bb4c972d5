"""How much of the labelled authors and published days the flattened text prints at all: the ceiling of
the text path's authors and day scores ("reachable from the text"), per set, variant and split.

    python training/text_fields_ceiling.py [--sets fundus,readability,trafilatura,wcxb-dev] [--split train]

A labelled name counts when its words, in order, are words of the text (case-insensitive, punctuation
ignored: "J. Smith" is printed by "J Smith"). A labelled day counts when the text prints that day with its
year in any common form ("July 13, 2020", "13 July 2020", "13.07.2020", "13.7.20", "2020-07-13",
"07/13/2020", "2020年7月13日"); relative dates ("3 hours ago") and days without a year do not. The
matching is written here, apart from ``broadsheet.pipeline.dates``, so that the ceiling is not bounded
by what the parser reads. wcxb-dev counts its article pages only, as the benchmark reports them.
"""

from __future__ import annotations

import argparse
import re
from datetime import date

from bench.cases import truth_from_labels
from bench.datasets import load
from bench.metrics import name_key, normalise
from text_common import texts

from broadsheet.pipeline.dates import _MONTHS, date_from_url

_WORDS = re.compile(r"\w+")


def names_printed(names: list[str], text: str) -> float:
    """Share of ``names`` whose words stand in ``text`` in order."""
    words = " " + " ".join(_WORDS.findall(normalise(text))) + " "
    keys = [name_key(n) for n in names if name_key(n)]
    return sum(f" {k} " in words for k in keys) / max(1, len(keys))


def day_pattern(day: date) -> re.Pattern[str]:
    """Every printed form of ``day`` with its year (numeric, month-name and CJK orders)."""
    d, m, y = day.day, day.month, day.year
    dd = rf"0?{d}"
    mm = rf"0?{m}"
    # the month's names and their three-letter stems ("Mär", "Sept" and "Sep" from "September")
    words = {k for k, v in _MONTHS.items() if v == m} | {k[:3] for k, v in _MONTHS.items() if v == m}
    names = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    ordinal = r"(?:st|nd|rd|th|er|º)?"
    forms = [
        rf"{y}\s?[-/.]\s?{mm}\s?[-/.]\s?{dd}",  # 2020-07-13, 2020/7/13, 2020. 07. 13
        rf"{dd}\s?[./-]\s?{mm}\s?[./-]\s?(?:{y}|{y % 100:02d})",  # 13.07.2020, 13-07-2020, 13.7.20
        rf"{mm}\s?[/-]\s?{dd}\s?[/-]\s?(?:{y}|{y % 100:02d})",  # 07/13/2020, 7-13-20
        rf"(?:{names})\.?\s+{dd}{ordinal},?\s+{y}",  # July 13, 2020; Jul. 13th 2020
        rf"{dd}{ordinal}\.?(?:\s+|-)(?:de\s+)?(?:{names})\.?,?(?:\s+|-)(?:de\s+)?{y}",  # 13 July 2020, 13. Juli
        rf"{y}\s*年\s*{mm}\s*月\s*{dd}\s*日",
        rf"{y}\s+(?:{names})\.?\s+{dd}\b",  # 2020 July 13
    ]
    return re.compile(rf"(?<![\w]){'|'.join(f'(?:{f})' for f in forms)}(?!\d)", re.I)


def day_printed(iso: str, text: str) -> bool:
    """Whether ``text`` prints the day of ``iso`` (its year included)."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return False
    return day_pattern(day).search(text) is not None


def ceiling(name: str, conv: str, split: str) -> dict[str, tuple[float, float, int]]:
    """Per field: (share of pages where every label is printed, mean share printed or for the day the share
    printed or spelt by the URL, pages labelled)."""
    pages = texts(name, conv)
    authors: list[float] = []
    days: list[float] = []
    in_url: list[float] = []  # ... or the URL given with the text spells it
    for rec in load(name, split=split):
        truth = truth_from_labels(rec.truth)
        if name.startswith("wcxb") and truth.page_type != "article":
            continue
        text = pages.get(rec.id) or ""
        if truth.authors:
            authors.append(names_printed(truth.authors, text))
        if truth.published:
            printed = day_printed(truth.published, text)
            days.append(float(printed))
            in_url.append(float(printed or date_from_url(rec.url) == truth.published[:10]))
    return {
        "authors": (
            sum(a >= 1 for a in authors) / max(1, len(authors)),
            sum(authors) / max(1, len(authors)),
            len(authors),
        ),
        "day": (sum(days) / max(1, len(days)), sum(in_url) / max(1, len(days)), len(days)),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="fundus,readability,trafilatura,wcxb-dev")
    ap.add_argument("--convs", default="resiliparse,html-text")
    ap.add_argument("--split", default="train", choices=("train", "test", "all"))
    args = ap.parse_args()
    split = None if args.split == "all" else args.split
    print(f"split={args.split}: share of labelled pages whose value the flattened text prints")
    print("| set | variant | authors: all names (mean share) | pages | day (or in the URL) | pages |")
    print("|---|---|---:|---:|---:|---:|")
    for name in args.sets.split(","):
        for conv in args.convs.split(","):
            got = ceiling(name, conv, split)  # type: ignore[arg-type]
            a, d = got["authors"], got["day"]
            label = "wcxb-dev/article" if name.startswith("wcxb") else name
            print(
                f"| {label} | {conv} | {a[0]:.2f} ({a[1]:.2f}) | {a[2]} | {d[0]:.2f} ({d[1]:.2f}) | {d[2]} |"
            )


if __name__ == "__main__":
    main()
