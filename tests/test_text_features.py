"""Per-line features computed over the whole page agree with the same quantities computed line by line."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.options import Options
from broadsheet.pipeline.text import (
    _hash_token,
    _split,
    _tables,
    _token_hashes,
    line_features,
    split_lines,
    word_count,
)

PAGE = """The Courier - Home News Politics Sport
Subscribe to our newsletter

Council approves the new harbour plan

By Maria Lopez
March 5, 2024 10:30
The council voted on Tuesday to approve the plan, which had been debated for months by residents.
“It is a good day for the town,” said the mayor, who had backed the plan from the start.
Share on Facebook
東京都は新しい計画を発表した。住民は歓迎している。
Copyright © 2024 The Courier. All rights reserved.
"""


def _feats(text: str):  # type: ignore[no-untyped-def]
    lines, groups = _split(text, Options())
    return lines, line_features(lines, groups)


def test_counts_match_line_by_line() -> None:
    lines, f = _feats(PAGE)
    assert f.n == len(lines)
    np.testing.assert_array_equal(f["chars"], [len(x) for x in lines])
    for i, line in enumerate(lines):
        assert f["words"][i] == word_count(line) or abs(f["words"][i] - word_count(line)) <= 0.5, line
        assert f["end_sentence"][i] == float(bool(re.search(r"[.!?。]['\"”’)]?$", line))), line
        assert f["digits"][i] * len(line) == sum(c.isdigit() for c in line)


def test_keywords_stopwords_and_repeats() -> None:
    lines, f = _feats(PAGE)
    row = {line[:12]: i for i, line in enumerate(lines)}
    assert f["kw_nav"][row["Subscribe to"]] >= 2  # subscribe, newsletter
    assert f["kw_share"][row["Share on Fac"]] >= 2  # share, facebook
    assert f["kw_legal"][row["Copyright © "]] >= 3  # copyright, rights, reserved (+ "all rights")
    assert f["kw_month"][row["March 5, 202"]] == 1
    assert f["kw_by"][row["By Maria Lop"]] == 1
    prose = row["The council "]
    assert f["stopwords"][prose] > 0.3 and f["stopwords"][row["Council appr"]] < f["stopwords"][prose]
    cjk = row["東京都は新しい計画を発表"]
    assert f["cjk"][cjk] > 0.8 and f["end_sentence"][cjk] == 1.0
    assert f["words"][cjk] == 23 / 2  # two CJK characters count as one word


def test_token_hashes_match_the_scalar_hash() -> None:
    cls, lower, wordish = _tables()
    text = "Hello World, Straße 東京"
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    prev = np.concatenate(([False], wordish[cp][:-1]))
    starts, hashes = _token_hashes(lower[cp], cls[cp], wordish[cp], wordish[cp] & ~prev)
    tokens = [text[s:e] for s, e in ((0, 5), (6, 11), (13, 19), (20, 21), (21, 22))]
    assert list(starts) == [0, 6, 13, 20, 21]
    assert [int(h) for h in hashes] == [_hash_token(t.lower()) for t in tokens]


def test_phrases_shared_between_lines() -> None:
    text = "A teaser that repeats the opening words of the story\nOther line\nA teaser that repeats the opening words of the story, and more follows here.\n"
    _, f = _feats(text)
    assert f["shared_phrases"][0] == 7 / 10  # all 7 four-word phrases of the 10-word teaser recur
    assert f["shared_phrases"][1] == 0.0


def test_groups_and_whitespace() -> None:
    text = "one\ttwo  three\u00a0four\n\n\nfive\r\nsix\u2028seven\n"
    assert split_lines(text, Options()) == [("one two three four", 0), ("five", 2), ("six seven", 2)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=12))
def test_any_text_gives_finite_features(chunks: list[str]) -> None:
    lines, f = _feats("\n".join(chunks))
    if not lines:
        return
    for name, col in f.columns.items():
        assert col.shape == (len(lines),), name
        assert np.isfinite(col).all(), name
