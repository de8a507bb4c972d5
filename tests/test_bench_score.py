"""Scoring an extractor's output against labels: body normalisation, snippets, fields, summaries."""

from __future__ import annotations

import pytest
from bench.cases import Truth, group_of, sample_ids, truth_from_labels
from bench.output import Output, blocks_text, paragraphs_html
from bench.score import body_text, score_page, summarise

BODY = "First paragraph of the story has enough words.\nSecond paragraph closes the story for good."


def test_a_leading_headline_line_is_dropped_from_either_side() -> None:
    truth = Truth(body="Harbour budget approved\n" + BODY, title="Harbour budget approved")
    assert body_text(truth.body, [truth.title]) == BODY
    with_headline = score_page(truth, Output(text="HARBOUR  budget approved\n\n" + BODY))
    without = score_page(truth, Output(text=BODY))
    assert with_headline.prf == without.prf == (1.0, 0.0, 0.0)
    # only a leading line: the headline repeated inside the body stays
    assert (
        body_text("Intro\nHarbour budget approved", ["Harbour budget approved"])
        == "Intro\nHarbour budget approved"
    )


def test_snippets_count_found_must_haves_and_leaked_must_nots() -> None:
    truth = Truth(with_=["enough  words.", "not there"], without=["Subscribe now", "Second paragraph"])
    score = score_page(truth, Output(text=BODY))
    assert (score.with_found, score.with_total, score.without_found, score.without_total) == (1, 2, 1, 2)
    snippets = summarise([score])["snippets"]
    assert snippets["with_found"] == 0.5 and snippets["without_found"] == 0.5
    assert snippets["f1"] == pytest.approx(0.5)


def test_only_must_not_snippets_give_no_f1() -> None:
    snippets = summarise([score_page(Truth(without=["Most Read"]), Output(text="Most Read today"))])[
        "snippets"
    ]
    assert snippets["f1"] is None and snippets["without_found"] == 1.0


def test_fields_are_scored_only_where_labelled_with_coverage() -> None:
    truth = Truth(
        title="Budget approved", authors=["Ann Lee"], language="en-US", description=[None, "A teaser."]
    )
    empty = score_page(truth, Output())
    assert empty.fields == {
        "title_exact": 0.0,
        "title_f1": 0.0,
        "authors_f1": 0.0,
        "language": 0.0,
        "description_f1": 1.0,
    }
    assert not any(empty.filled.values())
    full = score_page(
        truth, Output(title="budget approved", authors=["By Ann Lee"], language="en", description="A teaser")
    )
    assert full.fields == {
        "title_exact": 1.0,
        "title_f1": 1.0,
        "authors_f1": 1.0,
        "language": 1.0,
        "description_f1": 1.0,
    }
    row = summarise([empty, full])["fields"]
    assert row["title_exact"] == {"score": 0.5, "coverage": 0.5, "pages": 2}
    assert "published_day" not in row


def test_fields_labelled_as_empty_score_whether_the_extractor_gives_none() -> None:
    labels = {
        "title": "Budget approved",
        "authors": [],
        "published": None,
        "extra": {"labelled_empty": ["author", "description"], "htmldate": [{"no_date": True}]},
    }
    truth = truth_from_labels(labels)
    assert truth.none == frozenset({"authors", "published"})
    quiet = score_page(truth, Output(title="Budget approved"))
    assert (quiet.fields["authors_none"], quiet.fields["published_none"]) == (1.0, 1.0)
    loud = score_page(truth, Output(title="Budget approved", authors=["Latest News"], published="2024-03-05"))
    assert (loud.fields["authors_none"], loud.fields["published_none"]) == (0.0, 0.0)
    row = summarise([quiet, loud])["fields"]
    assert row["authors_none"] == {"score": 0.5, "coverage": 0.5, "pages": 2}
    # a labelled value wins over an "empty" mark, and a field left unlabelled is not scored either way
    assert truth_from_labels({**labels, "authors": ["Ann Lee"]}).none == frozenset({"published"})
    assert truth_from_labels({"title": "Budget approved"}).none == frozenset()
    assert "authors_none" not in score_page(Truth(title="Budget approved"), Output(authors=["X"])).fields


def test_summary_counts_errors_and_bootstraps_the_body() -> None:
    truth = Truth(body=BODY)
    scores = [score_page(truth, Output(text=BODY)), score_page(truth, Output.failed(RuntimeError("boom")))]
    row = summarise(scores, bootstrap=50)
    assert row["pages"] == 2 and row["errors"] == 1
    assert row["body"]["recall"] == 0.5 and row["body"]["precision"] == 1.0
    assert row["body"]["recall_std"] > 0


def test_labels_of_every_source_come_to_one_shape() -> None:
    record = {
        "body": "a\nb",
        "with": ["a"],
        "without": [],
        "title": "T",
        "authors": ["X"],
        "lang": "de",
        "images": [{"url": "u", "caption": "C", "credit": None}],
        "description": "D",
        "page_type": "forum",
    }
    truth = truth_from_labels(record)
    assert (truth.body, truth.captions, truth.credits, truth.language, truth.description) == (
        "a\nb",
        ["C"],
        [],
        "de",
        ["D"],
    )
    seed = truth_from_labels(
        {
            "body": ["p1", "p2"],
            "never_in_body": ["Most Read"],
            "language": "en",
            "description_acceptable": [None, "D"],
        }
    )
    assert (seed.body, seed.without, seed.description) == ("p1\np2", ["Most Read"], [None, "D"])
    assert group_of("wcxb-dev", truth) == "wcxb-dev/other" and group_of("fundus", truth) == "fundus"


def test_samples_are_fixed_and_drawn_from_the_ids() -> None:
    ids = [f"{i:016x}" for i in range(100)]
    first = sample_ids(ids, 10)
    assert first == sample_ids(list(reversed(ids)), 10) and len(first) == 10 and set(first) <= set(ids)
    assert sample_ids(ids, 10, salt="other") != first
    assert sample_ids(ids, None) == sorted(ids)


def test_html_fragments_read_one_block_per_line_and_text_becomes_escaped_paragraphs() -> None:
    assert (
        blocks_text("<div><h1>Title</h1><p>One <b>two</b></p><ul><li>a</li><li>b</li></ul></div>")
        == "Title\nOne two\na\nb"
    )
    page = paragraphs_html("Fish & chips\n\n<b>not a tag</b>\n")
    assert "<p>Fish &amp; chips</p>" in page and "<p>&lt;b&gt;not a tag&lt;/b&gt;</p>" in page
    assert page.count("<p>") == 2


def test_peer_outputs_are_tidied_to_the_declared_types() -> None:
    raw = Output(
        text=None, title=["A", "B"], authors=[["Ann Lee"], None, "", "Bo Kim"], published=20240101, tags={"x"}
    )  # type: ignore[arg-type]
    tidy = raw.tidy()
    assert (tidy.text, tidy.title, tidy.authors, tidy.published, tidy.tags) == (
        "",
        "A; B",
        ["Ann Lee", "Bo Kim"],
        "20240101",
        ["x"],
    )
