"""Experiments on segment-level decisions over out-of-fold context scores (train split only).

python training/text_segments.py      # after text_cv.py (reads p2.npy from the cache folder)
"""

from __future__ import annotations

import numpy as np
from text_common import Table
from text_cv import report
from text_flatten import cache_dir

GAP = 3


def segments(p: np.ndarray, t: float = 0.5) -> list[tuple[int, int]]:
    kept = np.flatnonzero(p >= t)
    if not len(kept):
        return []
    breaks = np.flatnonzero(np.diff(kept) > GAP + 1)
    starts = kept[np.concatenate(([0], breaks + 1))]
    ends = kept[np.concatenate((breaks, [len(kept) - 1]))]
    return list(zip(starts.tolist(), (ends + 1).tolist(), strict=True))


def main() -> None:
    table = Table()
    pages = table.pages_where(split="train")
    p2 = np.load(cache_dir() / "p2.npy")
    words = table.x[:, table.names.index("words")]
    base = p2 >= 0.5
    report(table, pages, base, "p2>=0.5")
    oracle = base.copy()
    best_only = base.copy()
    for p in pages:
        a, b = table.bounds[p], table.bounds[p + 1]
        segs = segments(p2[a:b])
        if not segs:
            continue
        w = words[a:b]
        y = table.y[a:b]
        keep = base[a:b]
        mass = [float((w[s:e] * keep[s:e]).sum()) for s, e in segs]
        top = int(np.argmax(mass))
        for j, (s, e) in enumerate(segs):
            good = (w[s:e] * y[s:e] * keep[s:e]).sum() >= 0.5 * (w[s:e] * keep[s:e]).sum()
            if not good:
                oracle[a + s : a + e] = False
            if j != top:
                best_only[a + s : a + e] = False
    report(table, pages, oracle, "oracle segments")
    report(table, pages, best_only, "best segment only")


if __name__ == "__main__":
    main()
