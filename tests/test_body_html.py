"""The HTML body stage on generated pages: the article's blocks and only them, reasons, the verdict."""

from __future__ import annotations

import html as htmlmod

import pytest

import broadsheet
from broadsheet.options import Options
from broadsheet.synthetic import generate, make_story


@pytest.fixture(scope="module")
def pages():  # type: ignore[no-untyped-def]
    return generate(8, seed=11)


def test_synthetic_articles_body_is_found(pages) -> None:  # type: ignore[no-untyped-def]
    for page in pages:
        article = broadsheet.extract(page.html, url=page.url)
        assert article.ok and article.is_article, article.error
        got = article.text.split("\n\n")
        truth = page.truth["body"]
        found = sum(p in got for p in truth)
        assert found >= 0.9 * len(truth), (page.url, found, len(truth))
        for snippet in page.truth["never_in_body"]:
            assert snippet not in article.text
        assert 0.3 < article.confidence <= 1.0


def test_blocks_are_typed_and_captions_stay_out(pages) -> None:  # type: ignore[no-untyped-def]
    def body_html(p) -> str:  # type: ignore[no-untyped-def]
        return p.html.split('<div class="article-body">')[1].split("</div>")[0]

    page = next(p for p in pages if "<h2>" in body_html(p) and "<li>" in body_html(p))
    article = broadsheet.extract(page.html, url=page.url)
    kinds = {b.kind for b in article.blocks}
    assert {"paragraph", "heading", "list_item"} <= kinds
    caption = page.truth["images"][0]["caption"]
    assert all(caption not in b.text for b in article.blocks)


def test_explain_says_what_decided(pages) -> None:  # type: ignore[no-untyped-def]
    article = broadsheet.extract(pages[0].html, url=pages[0].url, options=Options(explain=True))
    assert article.explain
    kept = [d for d in article.explain if d.kept]
    dropped = [d for d in article.explain if not d.kept]
    assert kept and dropped
    for d in article.explain:
        if d.role in ("title", "repeat"):  # the clean stage's decisions (a headline repeated, a copy) say so
            assert d.reason and not d.kept
            continue
        assert "block model" in d.reason and "in page context" in d.reason
        assert "article container" in d.reason
    assert all(d.role == "body" for d in kept)
    assert any(d.role == "caption" and "caption" in d.reason for d in article.explain)


def _listing_page(n: int = 24) -> str:
    stories = [make_story(__import__("random").Random(i), 500 + i) for i in range(n)]
    items = "".join(
        f'<li class="card"><a href="/s/{s.id}"><h3>{htmlmod.escape(s.headline)}</h3></a>'
        f"<p>{htmlmod.escape(s.dek)}</p></li>"
        for s in stories
    )
    return (
        "<!doctype html><html><head><title>World news | The Daily Example</title></head><body>"
        '<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
        f'<main><h1>World</h1><ul class="story-list">{items}</ul></main>'
        "<footer><p>© The Daily Example</p></footer></body></html>"
    )


def test_listing_page_is_not_an_article() -> None:
    article = broadsheet.extract(_listing_page(), url="https://example.com/world")
    assert not article.is_article
    assert article.rejection == "not_article"
    assert article.error and "not an article" in article.error


def test_a_not_article_keeps_its_best_guess_text_unless_told_not_to() -> None:
    kept = broadsheet.extract(_listing_page(), url="https://example.com/world")
    dropped = broadsheet.extract(
        _listing_page(), url="https://example.com/world", options=Options(keep_rejected_body=False)
    )
    assert kept.rejection == dropped.rejection == "not_article"
    assert kept.text and kept.blocks
    assert dropped.text == "" and dropped.blocks == [] and dropped.title == kept.title


def test_empty_body_page_is_a_rejection() -> None:
    article = broadsheet.extract("<html><body><nav><a href='/'>Home</a></nav></body></html>", kind="html")
    assert not article.is_article
    assert article.rejection in ("no_body", "not_article")


def test_a_paragraph_repeated_by_its_text_stays_and_a_copy_elsewhere_goes() -> None:
    from broadsheet.article import Candidate
    from broadsheet.pipeline.clean import body_blocks

    refrain = "We shall go on to the end, we shall fight on the beaches and in the fields."
    other = "Another paragraph of the same story, with enough words to count as prose."
    cands = [
        Candidate(refrain, ancestors=(0, 1, 2), kept=True),
        Candidate(other, ancestors=(0, 1, 3), kept=True),
        Candidate(refrain, ancestors=(0, 1, 4), kept=True),  # a sibling of the first copy: the text itself
        Candidate(refrain, ancestors=(0, 5, 6), kept=True),  # another part of the page: printed again
    ]
    texts = [b.text for b in body_blocks(cands, None)]
    assert texts == [refrain, other, refrain]
    assert cands[3].role == "repeat" and not cands[3].kept
    # text lines know no containers: a copy in the same run of kept lines stays, one after a dropped line goes
    line = Candidate(refrain, tag="line", kept=True)
    run = [line, Candidate(other, tag="line", kept=True), Candidate(refrain, tag="line", kept=True)]
    assert [b.text for b in body_blocks(run, None)] == [refrain, other, refrain]
    apart = [Candidate(refrain, tag="line", kept=True), Candidate("Most read", tag="line"), line]
    assert [b.text for b in body_blocks(apart, None)] == [refrain]
    assert line.role == "repeat" and not line.kept
