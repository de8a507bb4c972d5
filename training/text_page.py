"""Page-level body decisions compared on out-of-fold scores (train split only).

    python training/text_page.py [--variants current runs ...]   # after text_cv.py (p1.npy, p2.npy)

Every train page goes through the real text pipeline (``extract``) with the body models' scores replaced
by the page's out-of-fold scores, so a variant of the page-level decision is judged with everything
else as it ships (hysteresis, furniture, repeated text, headline). Prints the body F1 per set/converter
(wcxb-dev: article pages), their mean, and each variant's paired gain over the current decision with
its standard error.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from bench.metrics import aggregate, body_prf
from text_common import Table, texts, truths, urls
from text_flatten import cache_dir

from broadsheet import Options, extract
from broadsheet.pipeline import body_text

SETS = ("fundus", "readability", "wcxb-dev")
Chooser = Callable[[np.ndarray, np.ndarray, object, list], np.ndarray]


def groups(table: Table) -> dict[str, np.ndarray]:
    out = {}
    for name in SETS:
        for conv in ("resiliparse", "html-text"):
            sel = [
                p
                for p in table.pages_where(split="train", set=name, conv=conv)
                if name != "wcxb-dev" or table.meta[p]["page_type"] == "article"
            ]
            out[f"{name[:5]}/{conv[:4]}"] = np.array(sel)
    return out


def page_scores(table: Table, pages: np.ndarray, p1: np.ndarray, p2: np.ndarray, choose: Chooser | None):
    """Per page (F1, P, R) of the pipeline's body with the out-of-fold scores and the page decision ``choose``."""
    grow = body_text.__dict__["_grow"]
    score_lines = body_text.score_lines
    opts = Options(kind="text")
    out = []
    try:
        for p in pages:
            a, b = table.bounds[p], table.bounds[p + 1]
            s1, s2 = p1[a:b], p2[a:b]

            def scored(feats, s1=s1, s2=s2):  # type: ignore[no-untyped-def]
                assert feats.n == len(s1), "the table's lines are not the pipeline's"
                return s1, s2.copy()

            body_text.score_lines = scored
            if choose is not None:
                page_p = s2

                def grown(kept, near, cands, page_p=page_p):  # type: ignore[no-untyped-def]
                    k = grow(kept, near, cands)
                    return choose(k, page_p, _feats[0], cands)

                body_text._grow = grown
            meta = table.meta[p]
            art = _extract(texts(meta["set"], meta["conv"])[meta["id"]], urls(meta["set"])[meta["id"]], opts)
            out.append(body_prf(truths(meta["set"])[meta["id"]], art.text))
    finally:
        body_text.score_lines = score_lines
        body_text._grow = grow
    return out


_feats: list = [None]


def _extract(text: str, url: str | None, opts: Options):  # type: ignore[no-untyped-def]
    from broadsheet.pipeline import text as text_mod

    parse = text_mod.parse_text

    def keep_feats(page, options):  # type: ignore[no-untyped-def]
        doc = parse(page, options)
        _feats[0] = doc.extras["features"]
        return doc

    import broadsheet.pipeline as pipe

    pipe.parse_text = keep_feats
    try:
        return extract(text, url, options=opts)
    finally:
        pipe.parse_text = parse


# ----------------------------------------------------------------------------------- variants


def _runs(kept: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """[start, end) of the runs of kept lines, gaps up to ``gap`` lines bridged."""
    idx = np.flatnonzero(kept)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = idx[np.concatenate(([0], breaks + 1))]
    ends = idx[np.concatenate((breaks, [len(idx) - 1]))] + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def best_run(gap: int, share: float) -> Chooser:
    """Keep the run with the most kept words, and the others holding at least ``share`` of its words."""

    def choose(kept, p, feats, cands):  # type: ignore[no-untyped-def]
        runs = _runs(kept, gap)
        if len(runs) < 2:
            return kept
        words = feats["words"] * kept
        mass = np.array([words[s:e].sum() for s, e in runs])
        out = kept.copy()
        for (s, e), m in zip(runs, mass, strict=True):
            if m < share * mass.max():
                out[s:e] = False
        return out

    return choose


VARIANTS: dict[str, Chooser | None] = {
    "current": None,
    "run_g3_s10": best_run(3, 0.10),
    "run_g3_s25": best_run(3, 0.25),
    "run_g6_s25": best_run(6, 0.25),
    "run_g10_s25": best_run(10, 0.25),
}


def _page_f1(prfs: list) -> np.ndarray:
    a = np.array(prfs)
    return 2 * a[:, 0] / np.maximum(2 * a[:, 0] + a[:, 1] + a[:, 2], 1e-9)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", nargs="*", default=list(VARIANTS))
    ap.add_argument("--limit", type=int, default=0, help="pages per group (0: all)")
    args = ap.parse_args()
    table = Table()
    p1, p2 = np.load(cache_dir() / "p1.npy"), np.load(cache_dir() / "p2.npy")
    sel = {k: (v[: args.limit] if args.limit else v) for k, v in groups(table).items()}
    base = {k: page_scores(table, v, p1, p2, None) for k, v in sel.items()}
    for name in args.variants:
        res = base if name == "current" else {k: page_scores(table, v, p1, p2, VARIANTS[name]) for k, v in sel.items()}
        cells, gains, ses = [], [], []
        for k in sel:
            f1 = aggregate(res[k])["f1"]
            gain = f1 - aggregate(base[k])["f1"]
            d = _page_f1(res[k]) - _page_f1(base[k])  # paired, for the noise of the gain
            gains.append(gain)
            ses.append(d.std() / np.sqrt(len(d)))
            cells.append(f"{k}={f1:.3f}({gain:+.4f})")
        print(
            f"{name:14}",
            " ".join(cells),
            f"mean={np.mean([aggregate(res[k])['f1'] for k in sel]):.4f}",
            f"gain={np.mean(gains):+.4f}±{np.sqrt(np.sum(np.square(ses))) / len(ses):.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
