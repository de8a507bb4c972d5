"""Per-line features computed over the whole page agree with the same quantities computed line by line."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.options import Options
from broadsheet.pipeline.text import _split, split_lines, word_count
from broadsheet.pipeline.text_features import FEATURES, hash_token, line_features, token_hashes

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


def _feats(text: str, url: str | None = None):  # type: ignore[no-untyped-def]
    lines, groups = _split(text, Options())
    return lines, line_features(lines, groups, url)


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
    text = "hello world, straße 東京"
    low = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    spans = ((0, 5), (6, 11), (13, 19), (20, 21), (21, 22))
    hashes = token_hashes(low, np.array([s for s, _ in spans]), np.array([e for _, e in spans]))
    assert [int(h) for h in hashes] == [hash_token(text[s:e]) for s, e in spans]


def test_frequent_words_are_counted_exactly() -> None:
    # "the" four times, every other word fewer: only the lines holding "the" have frequent words
    text = "the cat sat\nthe dog ran\nthe bird flew\nthe end\nno article here"
    _, f = _feats(text)
    np.testing.assert_allclose(f["frequent_tokens"], [1 / 3, 1 / 3, 1 / 3, 1 / 2, 0.0])


def test_url_slug_overlap_marks_the_headline() -> None:
    url = "https://news.example/2024/03/05/council-approves-new-harbour-plan"
    lines, f = _feats(PAGE, url)
    row = {line[:12]: i for i, line in enumerate(lines)}
    headline = row["Council appr"]
    assert f["url_overlap"][headline] == 1.0  # council, approves, new, harbour, plan
    assert f["url_overlap"][row["Subscribe to"]] == 0.0
    assert f["from_slug"][headline] == 0 and f["from_slug"][row["By Maria Lop"]] == 1
    _, without = _feats(PAGE)
    assert (without["url_overlap"] == -1).all() and (without["from_slug"] == -99).all()


def test_phrases_shared_between_lines() -> None:
    text = "A teaser that repeats the opening words of the story\nOther line\nA teaser that repeats the opening words of the story, and more follows here.\n"
    _, f = _feats(text)
    assert f["shared_phrases"][0] == pytest.approx(
        7 / 10
    )  # all 7 four-word phrases of the 10-word teaser recur
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
    assert f.x.shape == (len(FEATURES), len(lines))
    for name, col in f.columns.items():
        assert np.isfinite(col).all(), name


def test_lines_just_under_the_threshold_join_adjacent_body() -> None:
    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_text import _groups, _grow
    from broadsheet.pipeline.text_features import LineFeatures

    groups = [0, 1, 1, 1, 1, 2, 2]  # a blank line before line 1 and before line 5
    cands = [Candidate(text=str(i), tag="line", container=g) for i, g in enumerate(groups)]
    group = _groups(LineFeatures(np.zeros((1, 7)), 7), cands)  # features without groups: the candidates'
    assert group.tolist() == groups
    kept = np.array([False, False, True, False, False, False, False])
    near = np.array([True, True, False, True, True, True, False])
    got = _grow(kept, near, group)
    # lines 1, 3, 4 continue the kept line 2 in its group; 0 and 5 are near but in other groups
    assert got.tolist() == [False, True, True, True, True, False, False]


def test_prose_just_under_the_threshold_joins_the_body_at_its_edges() -> None:
    from broadsheet.pipeline.body_text import _edge_prose

    kept = np.zeros(14, dtype=bool)
    kept[5:9] = True  # the body: lines 5-8
    near = np.ones(14, dtype=bool)  # every line is prose scored just under the threshold
    near[3] = False
    got = _edge_prose(kept, near)
    # up to three lines above the first body line (a byline or credit between lead and body), only the
    # line right after the last one; line 3 is not prose, the kept lines are not returned again
    assert np.flatnonzero(got).tolist() == [2, 4, 9]
    assert not _edge_prose(np.zeros(5, dtype=bool), np.ones(5, dtype=bool)).any()


def test_a_line_holding_the_body_again_is_the_copy() -> None:
    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_text import _drop_body_dumps

    body = ["The council met on Monday.", "It voted for the plan.", "Work starts in May."]
    texts = [*body, " ".join(body), "A caption, printed once."]
    cands = [Candidate(text=t, tag="line", container=i, kept=True) for i, t in enumerate(texts)]
    _drop_body_dumps(cands, np.arange(3))
    assert [c.kept for c in cands] == [True, True, True, False, True]
    assert cands[3].role == "repeat"


def _kept_page(text: str):  # type: ignore[no-untyped-def]
    """Candidates of ``text`` (every line kept), with the line features and the kept mask."""
    from broadsheet.article import Candidate

    lines, groups = _split(text, Options())
    cands = [
        Candidate(text=t, tag="line", container=g, kept=True) for t, g in zip(lines, groups, strict=True)
    ]
    return cands, line_features(lines, groups, None), np.ones(len(lines), dtype=bool)


TAIL_PAGE = """The council voted on Tuesday to approve the plan, which had been debated for months by residents.
Work on the harbour is to start in May, the mayor said after the vote on Tuesday evening.
Perth: a pilot for four-day weeks
Bilbao: funding for a flood barrier

Related stories
Harbour plan wins the vote
"""


def test_short_lines_after_the_last_sentence_in_another_block_are_not_body() -> None:
    from broadsheet.pipeline.body_text import _tail

    cands, feats, kept = _kept_page(TAIL_PAGE)
    got = _tail(kept, feats, cands)
    # the list closing the body's own block stays; the block after the blank line goes
    assert np.flatnonzero(got).tolist() == [4, 5]
    many = TAIL_PAGE + "\n".join(f"Story number {i} of the day" for i in range(12))
    cands, feats, kept = _kept_page(many)
    assert not _tail(kept, feats, cands).any()  # a long run of short lines is the page's own listing


def test_calls_to_act_at_the_end_of_the_body_are_not_body() -> None:
    from broadsheet.pipeline.body_text import _calls_to_act

    text = (
        "The council voted on Tuesday to approve the plan, which had been debated for months.\n"
        "Residents saw the plan first, the mayor said after the meeting.\n"
        "Sign up for our newsletter to get the news every morning.\n"
        "Follow us on Facebook and Twitter!"
    )
    cands, feats, kept = _kept_page(text)
    # the trailing appeals go, up to the first line that calls to nothing
    assert np.flatnonzero(_calls_to_act(kept, feats["words"], cands)).tolist() == [2, 3]


def test_an_appeal_for_support_closing_the_body_is_a_call_to_act() -> None:
    from broadsheet.pipeline.body_text import _calls_to_act

    body = "The council voted on Tuesday to approve the plan, which had been debated for months by residents."
    cands, feats, kept = _kept_page("\n".join([body, body, "Jetzt unterstützen!"]))
    assert np.flatnonzero(_calls_to_act(kept, feats["words"], cands)).tolist() == [2]
    # an appeal followed by the article's own last sentence is inside the text: nothing is cut
    cands, feats, kept = _kept_page("\n".join([body, "Jetzt unterstützen!", body]))
    assert not _calls_to_act(kept, feats["words"], cands).any()


@pytest.mark.parametrize(
    "heading", ["About the author", "Über den Autor", "Über mich", "À propos de l'auteur"]
)
def test_the_writers_box_after_the_body_is_cut_like_the_comments(heading: str) -> None:
    from broadsheet.pipeline.body_text import _comments

    body = "The council voted on Tuesday to approve the plan, which had been debated for months by residents."
    bio = "Anna Writer covers the harbour and the town hall for the paper."
    cands, feats, kept = _kept_page("\n".join([body, body, body, body, heading, bio]))
    assert np.flatnonzero(_comments(kept, feats["words"], cands)).tolist() == [4, 5]
    # a heading with most of the text after it is the article's own box, not the end matter
    cands, feats, kept = _kept_page("\n".join([body, heading, body, body, body]))
    assert not _comments(kept, feats["words"], cands).any()


def test_readers_comments_after_the_body_are_cut_a_comment_count_above_it_is_not() -> None:
    from broadsheet.pipeline.body_text import _comments

    body = "The council voted on Tuesday to approve the plan, which had been debated for months by residents."
    after = "\n".join([body, body, body, body, "12 Comments", "Great news for the town, finally!"])
    cands, feats, kept = _kept_page(after)
    assert np.flatnonzero(_comments(kept, feats["words"], cands)).tolist() == [4, 5]
    above = "\n".join([body, "12 Comments", body, body, body])  # a count in the article's header
    cands, feats, kept = _kept_page(above)
    assert not _comments(kept, feats["words"], cands).any()


@pytest.mark.parametrize(
    "notice",
    [
        "Your email address will not be published. Required fields are marked *",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
        "Votre adresse e-mail ne sera pas publiée.",
        "Tu dirección de correo electrónico no será publicada.",
    ],
)
def test_the_comment_forms_notice_opens_the_comments(notice: str) -> None:
    from broadsheet.pipeline.body_text import _comments

    body = "The council voted on Tuesday to approve the plan, which had been debated for months by residents."
    cands, feats, kept = _kept_page("\n".join([body, body, body, body, notice, "Great news for the town!"]))
    assert np.flatnonzero(_comments(kept, feats["words"], cands)).tolist() == [4, 5]
    # the same words inside a sentence of the article are not the form
    quoted = f"The site says that {notice.lower()}"
    cands, feats, kept = _kept_page("\n".join([body, body, body, body, quoted, body]))
    assert not _comments(kept, feats["words"], cands).any()


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("Advertisement", "advert"),
        ("Story continues below advertisement", "advert"),
        ("- Anzeige -", "advert"),
        ("Read more: Harbour plan wins the vote", "read_also"),
        ("Lesen Sie auch » Der Hafen wird gebaut", "read_also"),
        ("Le puede interesar: El puerto abre en mayo", "read_also"),
        ("Lesen Sie hier: Der Hafen wird gebaut", "read_also"),
        ("See also how the harbour was built in the last century.", "body"),
        ("This entry was posted in Harbour news. Bookmark the permalink.", "filed_under"),
        ("Kategorien: Hafen, Stadtrat", "filed_under"),
        ("Schlagwörter:", "filed_under"),
        ("Categories of boats were set out in the plan, which the council approved on Tuesday.", "body"),
        ("© dpa | Kay Nietfeld", "credit"),
        ("(c) 2016 - 2018 harbour-news.example", "credit"),
        ("Beitragsbild: Stadt Ulm", "credit"),
        ("© marks, the council said, will be printed on every one of the new harbour maps from May.", "body"),
        ("Advertisers left the market after the vote.", "body"),
        ("Related products sold well in May.", "body"),
        ("You may also like", "read_also"),
        ("Read the full story »", "link"),
        ("« Previous post", "link"),
        ("Post navigation", "link"),
        ("Les « boîtes noires »", "body"),
    ],
)
def test_advert_labels_read_also_links_credits_and_filing_lines_are_never_body(line: str, role: str) -> None:
    import broadsheet

    body = "The council voted on Tuesday to approve the plan, which had been debated for months by residents."
    text = f"{body}\n{body.replace('Tuesday', 'Monday')}\n{line}\n{body.replace('plan', 'budget')}\n"
    article = broadsheet.extract(text, kind="text", options=Options(explain=True))
    assert article.explain is not None
    got = next(d for d in article.explain if d.text == line)
    if role == "body":  # prose that only starts like a label is left to the models
        assert got.role not in ("advert", "read_also", "credit", "filed_under", "link")
    else:
        assert (got.role, got.kept) == (role, False)


def _split_line_by_line(text: str) -> tuple[list[str], list[int]]:
    """The plain reading of ``_split``: normalise white space, strip each line, a blank line opens a group."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    lines: list[str] = []
    groups: list[int] = []
    group = 0
    for line in text.split("\n"):
        if line:
            lines.append(line)
            groups.append(group)
        else:
            group += 1
    return lines, groups


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é\n\r\t\xa0\u3000\u2009\x0b\x1f\x85.")), max_size=60))
def test_split_strips_the_whole_text_as_each_line(text: str) -> None:
    """Lines are stripped and grouped for the whole text at once, exactly as line by line."""
    assert _split(text, Options()) == _split_line_by_line(text)
