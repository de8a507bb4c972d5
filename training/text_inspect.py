"""Look at pages of the line table: worst pages by OOF score, and one page line by line.

python training/text_inspect.py worst fundus resiliparse
python training/text_inspect.py page <page-number>
"""

from __future__ import annotations

import sys

import numpy as np
from bench.metrics import body_prf
from text_common import Table, page_lines, truths


def page_f1(table: Table, p: int, keep: np.ndarray) -> tuple[float, float, float]:
    meta = table.meta[p]
    lines = page_lines(meta)
    k = keep[table.bounds[p] : table.bounds[p + 1]]
    pred = "\n".join(line for line, kk in zip(lines, k, strict=True) if kk)
    return body_prf(truths(meta["set"])[meta["id"]], pred)


def main() -> None:
    table = Table()
    pred = np.load(sys.argv[-1]) if sys.argv[-1].endswith(".npy") else np.load("/tmp/broadsheet-text/p2.npy")
    if sys.argv[1] == "worst":
        name, conv = sys.argv[2], sys.argv[3]
        pages = [
            p
            for p in table.pages_where(split="train", set=name, conv=conv)
            if name != "wcxb-dev" or table.meta[p]["page_type"] == "article"
        ]
        rows = []
        for p in pages:
            tp, fp, fn = page_f1(table, p, pred >= 0.5)
            rows.append((tp, fp, fn, p))
        rows.sort()
        print("mean fp", np.mean([r[1] for r in rows]), "mean fn", np.mean([r[2] for r in rows]))
        for tp, fp, fn, p in rows[:25]:
            print(f"page {p} {table.meta[p]['id']} tp={tp:.2f} fp={fp:.2f} fn={fn:.2f}")
    else:
        p = int(sys.argv[2])
        lines = page_lines(table.meta[p])
        a = table.bounds[p]
        for i, line in enumerate(lines):
            print(f"{i:4} y={table.y[a + i]} f={table.frac[a + i]:.2f} p={pred[a + i]:.2f} {line[:110]}")


if __name__ == "__main__":
    main()
