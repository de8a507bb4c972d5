"""Where the shipped text path loses body words on the TRAIN split: the pipeline's own line verdicts.

    python training/text_pipeline_loss.py [--sets readability fundus wcxb-dev] [--worst 10] [--show ID]

Unlike ``text_loss.py`` (out-of-fold scores of the two models alone), this runs ``extract``'s stages on each
train page, so hysteresis, furniture, repeats and the headline rule are in the verdicts. Every wrong line
(labels aligned as ``text_data.py`` aligns them) is put in one class — kept above / inside / after the
labelled body, dropped at the edge / inside (short or prose), or the whole page lost (F1 < 0.5) — and its
words are divided by the page's body words, so the shares add up to the page-averaged loss.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np
from text_common import loss_causes, print_causes, texts, truths, urls
from text_data import align_labels

from broadsheet.options import Options
from broadsheet.pipeline.body import select_body
from broadsheet.pipeline.read import read
from broadsheet.pipeline.text import parse_text, word_count

SETS = ("readability", "fundus", "wcxb-dev")


def verdicts(text: str, url: str | None, opts: Options) -> tuple[list[str], np.ndarray, list[str]]:
    """The page's lines, whether each is kept, and each line's role."""
    doc = parse_text(read(text, url=url, kind="text", options=opts), opts)
    select_body(doc, opts)
    cands = doc.candidates
    return [c.text for c in cands], np.array([c.kept for c in cands], dtype=bool), [c.role for c in cands]


def classify(lines: list[str], kept: np.ndarray, label: np.ndarray) -> dict[str, float]:
    words = np.array([word_count(x) for x in lines], dtype=float)
    ends = (".", "!", "?", '"', "”", "。")
    short = np.array(
        [w <= 14 and not line.rstrip().endswith(ends) for w, line in zip(words, lines, strict=True)],
        dtype=bool,
    )
    tp = words[label & kept].sum()
    f1 = 2 * tp / max(words[label].sum() + words[kept].sum(), 1.0)
    return loss_causes(label, kept, words, short, wrong_page=f1 < 0.5)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--convs", nargs="*", default=["resiliparse", "html-text"])
    ap.add_argument("--split", default="train")
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--show", default="", help="print one page (id) line by line: label, kept, role")
    args = ap.parse_args()
    from bench.datasets import load

    opts = Options(kind="text")
    for name in args.sets:
        recs = {r.id: r for r in load(name, split=args.split) if r.truth.get("body")}
        if name == "wcxb-dev":
            recs = {k: r for k, r in recs.items() if r.truth.get("page_type") == "article"}
        for conv in args.convs:
            pages = texts(name, conv)
            total: dict[str, float] = defaultdict(float)
            worst = []
            for pid in recs:
                if args.show and pid != args.show:
                    continue
                if not (pages.get(pid) or "").strip():
                    continue  # the converter gave nothing: text_eval.py counts the page lost
                lines, kept, roles = verdicts(pages[pid], urls(name)[pid], opts)
                label = align_labels(lines, truths(name)[pid]) >= 0.5
                causes = classify(lines, kept, label)
                worst.append((sum(causes.values()), pid, dict(causes)))
                for cause, share in causes.items():
                    total[cause] += share / len(recs)
                if args.show:
                    for i, line in enumerate(lines):
                        print(f"{i:4} y={int(label[i])} k={int(kept[i])} {roles[i][:8]:8} {line[:120]}")
            print_causes(f"{name}/{conv}", len(recs), total)
            for loss, pid, causes in sorted(worst, reverse=True)[: args.worst]:
                top = ", ".join(f"{k} {v:.2f}" for k, v in sorted(causes.items(), key=lambda kv: -kv[1])[:3])
                print(f"    {pid} {loss:.2f}: {top}")


if __name__ == "__main__":
    main()
