"""Labelled body text the HTML parse stage never turns into a block, by cause (``train`` split only).

For each page with a labelled body, a truth word is covered when one of its 4-token shingles occurs in
the page's candidates joined in order; an uncovered run of words is looked up in the full tree (parsed
as a browser without scripts, nothing stripped) and in the raw HTML to say where it sits: inside a
dropped element (``drop:script``, ``drop:noscript``, ...), the ``<head>``, the walked body (text that
is there but joined differently, e.g. inline elements without spaces), an attribute, or nowhere
(the page does not hold it: a truncated or script-rendered snapshot).

    python -m training.html_coverage fundus,readability,wcxb-dev [examples per cause]
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from typing import Any

from bench.datasets import load
from selectolax.lexbor import LexborHTMLParser

from broadsheet.options import Options
from broadsheet.pipeline.html import DROP_TAGS, parse_html, tame
from broadsheet.pipeline.read import read

_TOKEN = re.compile(r"\w+")
_DROP = frozenset(DROP_TAGS)


def covered(truth: list[str], candidates: list[str]) -> list[bool]:
    """Per truth token: is it part of a 4-token shingle found in the candidates' tokens."""
    have = {tuple(candidates[i : i + 4]) for i in range(len(candidates) - 3)}
    out = [False] * len(truth)
    for i in range(len(truth) - 3):
        if tuple(truth[i : i + 4]) in have:
            out[i : i + 4] = [True] * 4
    return out


def runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of uncovered tokens."""
    found: list[tuple[int, int]] = []
    for i, ok in enumerate(flags):
        if ok:
            continue
        if found and found[-1][1] == i:
            found[-1] = (found[-1][0], i + 1)
        else:
            found.append((i, i + 1))
    return found


def _tree_index(content: str) -> dict[tuple[str, ...], Any]:
    """First text node holding each 4-token shingle of the whole tree's text, in document order."""
    tree = LexborHTMLParser(tame(content, content.count("<")))
    tokens: list[tuple[str, Any]] = []
    for node in tree.root.traverse(include_text=True) if tree.root is not None else ():
        if node.tag == "-text":
            tokens.extend((tok, node) for tok in _TOKEN.findall(node.text_content or ""))
    index: dict[tuple[str, ...], Any] = {}
    for i in range(len(tokens) - 3):
        index.setdefault(tuple(t for t, _ in tokens[i : i + 4]), tokens[i][1])
    return index


def _node_cause(node: Any) -> str:
    chain = []
    parent = node.parent
    while parent is not None:
        chain.append(parent.tag)
        parent = parent.parent
    dropped = [tag for tag in chain if tag in _DROP]
    if dropped:
        return "drop:" + dropped[-1]
    return "head" if "head" in chain else "in-body (joined differently)"


def _raw_cause(content: str, words: list[str]) -> str:
    found = re.search(r"\W+".join(map(re.escape, words)), content)
    if found is None:
        return "not in the HTML"
    before = content[max(found.start() - 200, 0) : found.start()]
    return "attribute" if before.rfind("<") > before.rfind(">") else "raw text elsewhere"


def cause_of(truth: list[str], start: int, end: int, index: dict[tuple[str, ...], Any], content: str) -> str:
    for i in range(max(start - 3, 0), min(end, len(truth) - 3)):
        node = index.get(tuple(truth[i : i + 4]))
        if node is not None:
            return _node_cause(node)
    return _raw_cause(content, truth[start : start + 3])


def main(sets: list[str], show: int) -> None:
    options = Options()
    words: Counter[str] = Counter()
    lost: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[tuple[int, str, str, str]]] = defaultdict(list)
    for name in sets:
        for record in load(name, split="train"):
            body = record.truth.get("body")
            if not body:
                continue
            try:
                page = read(record.html, url=record.url, kind="html")
                doc = parse_html(page, options)
            except Exception:  # a rejected page is counted by the benchmark, not here
                continue
            truth = _TOKEN.findall(body)
            flags = covered(truth, _TOKEN.findall("\n".join(c.text for c in doc.candidates)))
            words[name] += len(truth)
            missing = runs(flags)
            if not missing:
                continue
            index = _tree_index(page.content)
            for start, end in missing:
                cause = cause_of(truth, start, end, index, page.content)
                lost[name][cause] += end - start
                examples[cause].append((end - start, name, record.id, " ".join(truth[start : start + 8])))
    for name in sets:
        total = sum(lost[name].values())
        print(
            f"{name}: {total:,} of {words[name]:,} labelled words in no block ({total / max(words[name], 1):.2%})"
        )
        for cause, count in lost[name].most_common():
            print(f"    {cause:30s} {count:7,d}")
    for cause, found in examples.items():
        print(f"== {cause}")
        for example in sorted(found, reverse=True)[:show]:
            print("   ", *example)


if __name__ == "__main__":
    main(sys.argv[1].split(","), int(sys.argv[2]) if len(sys.argv) > 2 else 0)
