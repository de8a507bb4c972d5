"""Baselines for flattened text, scored like any extractor: keep every line, or a C4-style line filter.

The C4 filter follows the line rules of the C4 corpus (Raffel et al., 2020): keep lines that end in
terminal punctuation and have at least three words; drop lines mentioning javascript and the usual
policy boilerplate. Page-level rules (minimum sentences, bad words) are not applied: the baseline must
return some text for every page so that it can be scored page by page.
"""

from __future__ import annotations

import re

__all__ = ["c4_filter", "keep_everything"]

_TERMINAL = (".", "!", "?", '"', "”", "'", "’", "。", "！", "？")
_POLICY = re.compile(r"(?i)javascript|terms of use|privacy policy|cookie policy|uses cookies|use of cookies")


def keep_everything(text: str) -> str:
    """Every non-empty line."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def c4_filter(text: str) -> str:
    """Lines that look like prose by C4's line rules."""
    kept = []
    for line in text.splitlines():
        line = line.strip()
        if not line or not line.endswith(_TERMINAL):
            continue
        if len(line.split()) < 3 and not re.search(r"[\u3040-\u30ff\u3400-\u9fff]{10,}", line):
            continue
        if _POLICY.search(line):
            continue
        kept.append(line)
    return "\n".join(kept)
