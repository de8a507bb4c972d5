"""The body metric behaves as the scrapinghub article-extraction benchmark's ``evaluate.py`` documents
(empty predictions, empty truths, duplicates, short texts, per-page normalisation), and the field
metrics score what they say."""

from __future__ import annotations

import pytest
from bench import metrics

TRUTH = "The council approved the harbour budget on Monday after a long debate about ferries."


def test_shingles_are_4_token_multisets_of_word_tokens() -> None:
    grams = metrics.shingles("a b, c-d e a b c d")
    assert grams[("a", "b", "c", "d")] == 2  # punctuation is not a token; repeats are counted
    assert sum(grams.values()) == 6  # 9 tokens make 6 shingles


def test_tokens_keep_case_as_the_reference_does() -> None:
    # the reference compiles \w+ with IGNORECASE, which does not lower-case the tokens it finds
    assert metrics.body_prf("Alpha beta gamma delta", "alpha beta gamma delta") == (0.0, 0.5, 0.5)


def test_perfect_prediction() -> None:
    tp, fp, fn = metrics.body_prf(TRUTH, TRUTH)
    assert (tp, fp, fn) == (1.0, 0.0, 0.0)
    assert metrics.aggregate([(tp, fp, fn)]) == {"f1": 1.0, "precision": 1.0, "recall": 1.0}


def test_hand_computed_page() -> None:
    # truth shingles: (the cat sat on) (cat sat on the) (sat on the mat); prediction shares only the first
    prf = metrics.body_prf("the cat sat on the mat", "the cat sat on a mat")
    assert prf == pytest.approx((1 / 5, 2 / 5, 2 / 5))
    assert metrics.aggregate([prf])["precision"] == pytest.approx(1 / 3)
    assert metrics.aggregate([prf])["recall"] == pytest.approx(1 / 3)


def test_empty_prediction_counts_for_recall_not_precision() -> None:
    empty = metrics.body_prf(TRUTH, "")
    assert empty == (0.0, 0.0, 1.0)
    result = metrics.aggregate([empty, metrics.body_prf(TRUTH, TRUTH)])
    assert result["precision"] == 1.0  # only the page that predicted something
    assert result["recall"] == 0.5


def test_empty_truth_counts_for_precision_not_recall() -> None:
    spurious = metrics.body_prf("", TRUTH)
    assert spurious == (0.0, 1.0, 0.0)
    result = metrics.aggregate([spurious, metrics.body_prf(TRUTH, TRUTH)])
    assert result["precision"] == 0.5
    assert result["recall"] == 1.0


def test_both_empty_is_left_out_of_both_means() -> None:
    nothing = metrics.body_prf(None, "")
    assert nothing == (0.0, 0.0, 0.0)
    half = metrics.body_prf("the cat sat on the mat", "the cat sat on a mat")
    assert metrics.aggregate([nothing, half]) == metrics.aggregate([half])
    assert metrics.aggregate([nothing]) == {"f1": 0.0, "precision": 0.0, "recall": 0.0}


def test_duplicated_text_halves_precision() -> None:
    tp, fp, fn = metrics.body_prf(TRUTH, TRUTH + "\n" + TRUTH)
    assert fn == 0.0
    result = metrics.aggregate([(tp, fp, fn)])
    assert result["recall"] == 1.0
    # the doubled text repeats every shingle once more, plus three spanning the join
    assert result["precision"] == pytest.approx(tp / (tp + fp)) and result["precision"] < 0.5


def test_texts_shorter_than_four_tokens_are_one_shingle() -> None:
    assert metrics.body_prf("Breaking news", "Breaking news") == (1.0, 0.0, 0.0)
    assert metrics.body_prf("Breaking news", "Breaking") == (0.0, 0.5, 0.5)
    assert metrics.shingles("one two three") == {("one", "two", "three"): 1}


def test_every_page_weighs_the_same_whatever_its_length() -> None:
    long_truth = " ".join(f"word{i}" for i in range(2000))
    short_truth = "a short page of nine words in the body"
    pages = [metrics.body_prf(long_truth, long_truth), metrics.body_prf(short_truth, "")]
    assert sum(pages[0]) == pytest.approx(1.0) and sum(pages[1]) == pytest.approx(1.0)
    assert metrics.aggregate(pages)["recall"] == pytest.approx(0.5)


def test_bootstrap_std_is_zero_for_identical_pages_and_reproducible() -> None:
    same = [metrics.body_prf(TRUTH, TRUTH)] * 20
    assert metrics.bootstrap_std(same) == {"f1": 0.0, "precision": 0.0, "recall": 0.0}
    mixed = [metrics.body_prf(TRUTH, TRUTH), metrics.body_prf(TRUTH, "")] * 10
    first, again = metrics.bootstrap_std(mixed, seed=3), metrics.bootstrap_std(mixed, seed=3)
    assert first == again and first["recall"] > 0.05


# ------------------------------------------------------------------------------------------ fields


def test_exact_and_token_f1_ignore_case_space_and_quote_style() -> None:
    assert metrics.exact("Council ‘backs’  budget", "council 'backs' budget") == 1.0
    assert metrics.exact("Council backs budget", "Council backs budget now") == 0.0
    assert metrics.token_f1("council backs budget", "council backs") == pytest.approx(0.8)
    assert metrics.token_f1("council", None) == 0.0


def test_set_and_author_f1() -> None:
    assert metrics.set_f1(["Iran", "Iraq"], ["iraq", "Military"]) == pytest.approx(0.5)
    assert metrics.set_f1([], []) == 1.0
    assert metrics.authors_f1(["Seth J. Frantzman"], ["By SETH J. FRANTZMAN"]) == 1.0
    assert metrics.authors_f1(["Ann Lee", "Bo Kim"], ["Ann Lee"]) == pytest.approx(2 / 3)


def test_same_day_compares_the_calendar_day_as_written() -> None:
    assert metrics.same_day("2020-07-13", "2020-07-13T08:49:00+03:00") == 1.0
    assert metrics.same_day("2020-07-13", "2020-07-14") == 0.0
    assert metrics.same_day("2020-07-13", None) == 0.0


def test_fuzzy_set_f1_matches_near_identical_captions_once() -> None:
    truth = ["Residents gather near the rowing club in Cork on Friday", "A map of the harbour"]
    pred = ["Residents gather near the rowing club in Cork on Friday.", "Photo: Oskar Tanaka"]
    assert metrics.fuzzy_set_f1(truth, pred) == pytest.approx(0.5)
    assert metrics.fuzzy_set_f1(truth[:1], truth[:1] * 2) == pytest.approx(2 / 3)


def test_invisible_characters_do_not_split_words_or_hide_snippets() -> None:
    from bench.cases import Truth
    from bench.output import Output
    from bench.score import score_page

    label = (
        "Funde aus dem Alt\u00adpa\u00adläo\u00adli\u00adthi\u00adkum bis in die Neuzeit, sagt die Grabung."
    )
    clean = "Funde aus dem Altpaläolithikum bis in die Neuzeit, sagt die Grabung."
    assert metrics.shingles(label) == metrics.shingles(clean)
    assert metrics.body_prf(label, clean) == (1.0, 0.0, 0.0)
    snippet = Truth(with_=["dem Alt\u00adpa\u00adläo\u00adli\u00adthi\u00adkum bis"])
    assert score_page(snippet, Output(text=clean)).with_found == 1
