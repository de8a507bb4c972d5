"""Page-level body decisions compared on out-of-fold scores (train split only).

    python training/text_page.py [--variants current runs ...]   # after text_cv.py (p1.npy, p2.npy)

Every train page goes through the real text pipeline (``extract``) with the body models' scores replaced
by the page's out-of-fold scores, so a variant of the page-level decision is judged with everything
else as it ships (hysteresis, furniture, repeated text, headline). Prints the body F1 per set/converter
(wcxb-dev: article pages), their mean, and each variant's paired gain over the current decision with
its standard error.

Findings (shipped models' configuration, 2026-11-26; mean of the six cells 0.8987 for the current decision):
keeping only the heaviest runs of kept lines (``run_*``, ``anchor_*``) and cutting the kept text at a later
byline/dateline (``cut_*``) lose 0.001-0.034: runs away from the heaviest are mostly body split by ads and
sub-headings, and byline/date-shaped lines occur inside bodies. Recovering a page that kept under 60-100
words (``rec_*``) gains 0.008-0.010, all of it on pages without prose (readability's "Test", "abc def ghi"
fixtures): with prose lines only (``rec_*_prose``) the gain is 0, and keeping non-prose lines turns a page
of navigation words into an article. ``text_segments.py``'s oracle (drop every kept run that is mostly not
body) bounds the gain of choosing among runs at +0.0055: the loss is in the line scores, not the choice.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from bench.metrics import aggregate, body_prf
from text_common import Table, texts, truths, urls
from text_flatten import cache_dir

import broadsheet.pipeline as pipe
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
    """Per page (tp, fp, fn) of the pipeline's body with the out-of-fold scores, and the page decision
    ``choose`` (when given) run on the kept lines after the hysteresis."""
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

                def grown(kept, near, cands, page_p=s2):  # type: ignore[no-untyped-def]
                    return choose(grow(kept, near, cands), page_p, _feats[0], cands)

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
    """``extract`` keeping the page's line features in ``_feats`` for the page decision."""
    parse = pipe.parse_text

    def keep_feats(page, options):  # type: ignore[no-untyped-def]
        doc = parse(page, options)
        _feats[0] = doc.extras["features"]
        return doc

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


def _keep_heavy(kept: np.ndarray, runs: list[tuple[int, int]], mass: np.ndarray, share: float) -> np.ndarray:
    """``kept`` without the runs holding less than ``share`` of the heaviest run's ``mass``."""
    out = kept.copy()
    for (s, e), m in zip(runs, mass, strict=True):
        if m < share * mass.max():
            out[s:e] = False
    return out


def best_run(gap: int, share: float) -> Chooser:
    """Keep the run with the most kept words, and the others holding at least ``share`` of its words."""

    def choose(kept, p, feats, cands):  # type: ignore[no-untyped-def]
        runs = _runs(kept, gap)
        if len(runs) < 2:
            return kept
        words = feats["words"] * kept
        return _keep_heavy(kept, runs, np.array([words[s:e].sum() for s, e in runs]), share)

    return choose


_ANCHOR = ("byline", "dateline")


def rail_cut(min_words: float, same_shape: bool, back: int) -> Chooser:
    """Cut the kept text at another story: a byline/dateline line after ``min_words`` kept words with kept
    lines after it (``same_shape``: only when its first word is the first word of an anchor line above);
    the up to ``back`` title-like lines just above it go too (that story's headline and teaser)."""

    def choose(kept, p, feats, cands):  # type: ignore[no-untyped-def]
        idx = np.flatnonzero(kept)
        if len(idx) < 2:
            return kept
        words = feats["words"] * kept
        before = np.cumsum(words) - words
        first_words = [c.text.split(maxsplit=1)[0].lower() if c.text.strip() else "" for c in cands]
        seen: set[str] = set()
        for j, c in enumerate(cands):
            if c.role not in _ANCHOR:
                continue
            if before[j] < min_words or not kept[j + 1 :].any():
                seen.add(first_words[j])
                continue
            if same_shape and first_words[j] not in seen:
                continue
            cut = j
            title_like = feats["end_sentence"] == 0
            while (
                cut > 0 and j - cut < back and cands[cut - 1].role in (*_ANCHOR, "") and title_like[cut - 1]
            ):
                cut -= 1
            out = kept.copy()
            out[cut:] = False
            return out
        return kept

    return choose


_NEVER = ("byline", "dateline", "credit", "caption", "caption_repeat", "tags")


def recover(min_words: float, frac: float, gap: int, prose: bool = False) -> Chooser:
    """A page whose kept text is under ``min_words`` words lost its body to low scores: keep also the run
    (gaps up to ``gap``) with the most words among lines scored at least ``frac`` of the page's best (with
    ``prose``: only prose lines join)."""

    def choose(kept, p, feats, cands):  # type: ignore[no-untyped-def]
        words = feats["words"]
        if (words * kept).sum() >= min_words or not len(p):
            return kept
        allowed = np.array([c.role not in _NEVER for c in cands])
        if prose:
            allowed &= feats["prose"] > 0
        ok = (p >= frac * p.max()) & allowed | kept
        runs = _runs(ok, gap)
        if not runs:
            return kept
        mass = [float((words * ok)[s:e].sum()) for s, e in runs]
        s, e = runs[int(np.argmax(mass))]
        out = kept.copy()
        out[s:e] |= ok[s:e]
        return out

    return choose


def anchored_runs(gap: int, bonus: float, share: float) -> Chooser:
    """Runs weigh their kept words, times ``bonus`` when one starts within 8 lines below a byline/dateline
    line (the article's anchor); runs under ``share`` of the heaviest are dropped."""

    def choose(kept, p, feats, cands):  # type: ignore[no-untyped-def]
        runs = _runs(kept, gap)
        if len(runs) < 2:
            return kept
        anchor = np.array([c.role in _ANCHOR for c in cands])
        c = np.concatenate(([0], np.cumsum(anchor)))
        words = feats["words"] * kept
        mass = np.array([words[s:e].sum() * (bonus if c[s] - c[max(s - 8, 0)] > 0 else 1.0) for s, e in runs])
        return _keep_heavy(kept, runs, mass, share)

    return choose


VARIANTS: dict[str, Chooser | None] = {
    "current": None,
    "run_g3_s10": best_run(3, 0.10),
    "run_g3_s25": best_run(3, 0.25),
    "run_g6_s25": best_run(6, 0.25),
    "run_g10_s25": best_run(10, 0.25),
    "anchor_g3_b2_s25": anchored_runs(3, 2.0, 0.25),
    "anchor_g6_b3_s15": anchored_runs(6, 3.0, 0.15),
    "cut_50_any_b2": rail_cut(50, False, 2),
    "cut_100_any_b2": rail_cut(100, False, 2),
    "cut_50_same_b2": rail_cut(50, True, 2),
    "cut_100_same_b0": rail_cut(100, True, 0),
    "rec_60_03": recover(60, 0.3, 3),
    "rec_100_03": recover(100, 0.3, 3),
    "rec_100_02": recover(100, 0.2, 3),
    "rec_60_03_prose": recover(60, 0.3, 3, prose=True),
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
        res = (
            base
            if name == "current"
            else {k: page_scores(table, v, p1, p2, VARIANTS[name]) for k, v in sel.items()}
        )
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
