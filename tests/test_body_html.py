"""The HTML body stage on generated pages: the article's blocks and only them, reasons, the verdict."""

from __future__ import annotations

import html as htmlmod
import random

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


def test_one_paragraph_printed_again_in_a_sibling_container_stays_a_body_printed_again_goes() -> None:
    from broadsheet.article import Candidate
    from broadsheet.pipeline.clean import body_blocks

    texts = [f"Paragraph number {n} of the story, with enough words to count as prose." for n in range(4)]

    def cands(*placed: tuple[int, tuple[int, ...]]) -> list[Candidate]:
        return [Candidate(texts[n], ancestors=where, kept=True) for n, where in placed]

    # article(2) > div(3) > p, then article(2) > div(4) > p: paragraph 0 again, alone, in the next section
    refrain = cands(
        (0, (0, 1, 2, 3, 10)), (1, (0, 1, 2, 3, 11)), (2, (0, 1, 2, 4, 12)), (0, (0, 1, 2, 4, 13))
    )
    assert len(body_blocks(refrain, None)) == 4
    # the whole body printed again in a sibling container (a second rendering): every copy goes
    twice = cands((0, (0, 1, 2, 3, 10)), (1, (0, 1, 2, 3, 11)), (0, (0, 1, 2, 4, 12)), (1, (0, 1, 2, 4, 13)))
    assert [b.text for b in body_blocks(twice, None)] == texts[:2]
    assert [c.role for c in twice[2:]] == ["repeat", "repeat"]
    # a line printed under every item is furniture, not a refrain, even between items printed once
    items = cands(
        (0, (0, 1, 2, 3, 10)), (1, (0, 1, 2, 3, 11)), (2, (0, 1, 2, 4, 12)), (1, (0, 1, 2, 4, 13)),
        (3, (0, 1, 2, 5, 14)), (1, (0, 1, 2, 5, 15)),
    )  # fmt: skip
    assert [b.text for b in body_blocks(items, None)] == [texts[0], texts[1], texts[2], texts[3]]


def test_a_paragraph_printed_again_in_the_next_section_stays_in_the_body() -> None:
    para = "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla."
    first = "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt."
    second = "Tempor incididunt ut labore et dolore magna aliqua, ut enim ad minim veniam, quis nostrud."
    html = (
        "<html><head><title>Sections</title></head><body><article><h1>Sections</h1>"
        f"<div><p>{first}</p><p>{para}</p></div><h2>More</h2><div><p>{second}</p><p>{para}</p></div>"
        "</article></body></html>"
    )
    article = broadsheet.extract(html, kind="html")
    assert article.text.count(para) == 2


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


def _story_with(seed: int, between: str, footer: str) -> str:
    """A generated story's page with ``between`` after its third paragraph and ``footer`` after the article."""
    story = make_story(random.Random(seed), 70 + seed)
    paras = [htmlmod.escape(p) for p in story.paragraphs]
    return (
        f"<!doctype html><html><head><title>{htmlmod.escape(story.headline)}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{htmlmod.escape(story.headline)}</h1>"
        + "".join(f"<p>{p}</p>" for p in paras[:3])
        + between
        + "".join(f"<p>{p}</p>" for p in paras[3:])
        + f"</article><footer>{footer}</footer></body></html>"
    )


def test_a_table_between_two_body_paragraphs_is_kept_whole() -> None:
    rows = "".join(
        f"<tr><td>{2019 + k}</td><td>{12 + 3 * k}.{k}%</td><td>{400 + 17 * k}</td></tr>" for k in range(6)
    )
    table = f"<table><tr><th>Year</th><th>Share</th><th>Seats</th></tr>{rows}</table>"
    page = _story_with(7, table, "<table><tr><td>Contact</td><td>Imprint</td></tr></table>")
    article = broadsheet.extract(
        page, url="https://example.com/politics/results", options=Options(explain=True)
    )
    assert all(f"{400 + 17 * k}" in article.text for k in range(6)) and "Seats" in article.text
    assert "Imprint" not in article.text  # a table after the body, not between two of its blocks
    assert any(d.kept and "a table that sits between two body blocks" in d.reason for d in article.explain)


def test_a_table_of_tables_with_cells_in_divs_is_kept_whole() -> None:
    def ranking(title: str, base: int) -> str:  # cells that hold a <div> or a <p>, as editors write them
        rows = "".join(
            f"<tr><td><div>Member {base + k}</div></td><td><p>{90 - 7 * k}</p></td><td><div>{30 - k}.5%</div></td></tr>"
            for k in range(5)
        )
        return f"<table><tr><th><div>{title}</div></th></tr>{rows}</table>"

    tables = f"<table><tr><td>{ranking('By changes', 10)}</td><td>{ranking('By lines', 40)}</td></tr></table>"
    page = _story_with(8, tables, "<p>Contact us</p>")
    article = broadsheet.extract(page, url="https://example.com/tech/statistics")
    assert all(f"Member {b + k}" in article.text for b in (10, 40) for k in range(5))
    assert "By lines" in article.text and "26.5%" in article.text
    assert "Contact us" not in article.text


_CONSENT_BOX = (
    "Empfohlener redaktioneller Inhalt",
    "An dieser Stelle finden Sie einen externen Inhalt, der den Artikel ergänzt.",
    "Externen Inhalt anzeigen",
    "Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden. Damit können personenbezogene "
    "Daten an Drittplattformen übermittelt werden.",
)


@pytest.mark.parametrize("kind", ["html", "text"])
def test_a_consent_box_in_place_of_an_embed_leaves_the_body(kind: str) -> None:
    story = make_story(__import__("random").Random(11), 88)
    paras = story.paragraphs
    if kind == "html":
        box = "".join(f"<p>{htmlmod.escape(t)}</p>" for t in _CONSENT_BOX)
        page = (
            f"<html><head><title>{htmlmod.escape(story.headline)}</title></head><body><article>"
            f"<h1>{htmlmod.escape(story.headline)}</h1>"
            + "".join(f"<p>{htmlmod.escape(p)}</p>" for p in paras[:3])
            + f'<div class="embed">{box}</div>'
            + "".join(f"<p>{htmlmod.escape(p)}</p>" for p in paras[3:])
            + "</article></body></html>"
        )
    else:
        page = "\n".join([story.headline, *paras[:3], *_CONSENT_BOX, *paras[3:]])
    article = broadsheet.extract(page, kind=kind, options=Options(explain=True))
    assert paras[0] in article.text and paras[-1] in article.text
    assert not any(line in article.text for line in _CONSENT_BOX)
    assert any(d.role == "notice" for d in article.explain)


_COOKIE_DIALOG = (
    "We Care About Your Privacy",
    "We and our 100 partners store and/or access information on a device, such as unique IDs in cookies to "
    "process personal data. You may accept or manage your choices by clicking below.",
    "We and our partners process data to provide:",
    "Store and/or access information on a device. Use limited data to select advertising.",
    "Strictly Necessary Cookies",
    "These cookies are necessary for the website to function and cannot be switched off in our systems.",
    "Accept All Cookies",
)


@pytest.mark.parametrize("kind", ["html", "text"])
def test_a_cookie_dialog_before_the_article_leaves_the_body(kind: str) -> None:
    story = make_story(__import__("random").Random(21), 90)
    paras = story.paragraphs
    about = "The council said these cookies are the ones the bakery sold at the harbour fair for a decade."
    if kind == "html":
        dialog = "".join(f"<p>{htmlmod.escape(t)}</p>" for t in _COOKIE_DIALOG)
        page = (
            f"<html><head><title>{htmlmod.escape(story.headline)}</title></head><body>"
            f'<div class="consent">{dialog}</div><article><h1>{htmlmod.escape(story.headline)}</h1>'
            + "".join(f"<p>{htmlmod.escape(p)}</p>" for p in [*paras[:3], about, *paras[3:]])
            + "</article></body></html>"
        )
    else:
        page = "\n".join([story.headline, *_COOKIE_DIALOG, story.headline, *paras[:3], about, *paras[3:]])
    article = broadsheet.extract(page, kind=kind, options=Options(explain=True))
    assert paras[0] in article.text and paras[-1] in article.text and about in article.text
    assert not any(line in article.text for line in _COOKIE_DIALOG)
    assert article.title == story.headline


def test_a_credit_line_between_paragraphs_leaves_the_html_body() -> None:
    story = make_story(__import__("random").Random(12), 89)
    paras = [htmlmod.escape(p) for p in story.paragraphs]
    page = (
        f"<html><head><title>{htmlmod.escape(story.headline)}</title></head><body><article>"
        f"<h1>{htmlmod.escape(story.headline)}</h1>"
        + "".join(f"<p>{p}</p>" for p in paras[:2])
        + "<p>© dpa | Kay Nietfeld</p><p>Beitragsbild: Stadt Ulm</p>"
        + "".join(f"<p>{p}</p>" for p in paras[2:])
        + "<p>© 2024 is the year the council quoted in its own report, the mayor said on Monday.</p>"
        + "</article></body></html>"
    )
    article = broadsheet.extract(page, kind="html")
    assert "Kay Nietfeld" not in article.text and "Stadt Ulm" not in article.text
    assert story.paragraphs[2] in article.text
    assert "the mayor said on Monday" in article.text  # a sentence opening with ©, not a credit


def test_a_caption_the_metadata_stage_finds_leaves_the_body() -> None:
    story = make_story(__import__("random").Random(13), 90)
    paras = [htmlmod.escape(p) for p in story.paragraphs]
    caption = "Older trams carry their cooling on the roof, where the heat of the summer reaches it first."
    page = (
        f"<html><head><title>{htmlmod.escape(story.headline)}</title></head><body><article>"
        f"<h1>{htmlmod.escape(story.headline)}</h1>"
        + "".join(f"<p>{p}</p>" for p in paras[:2])
        + '<div class="media"><a href="/big.jpg"><img src="/tram.jpg" alt="A tram"></a>'
        + f'<span class="caption small">{caption}</span></div>'
        + "".join(f"<p>{p}</p>" for p in paras[2:])
        + "</article></body></html>"
    )
    article = broadsheet.extract(page, url="https://example.com/news/trams", kind="html")
    assert any(i.caption == caption for i in article.images)
    assert caption not in article.text and story.paragraphs[2] in article.text


def test_a_news_lead_above_the_byline_and_picture_joins_the_body() -> None:
    from types import SimpleNamespace

    import numpy as np

    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_html import PageSignals, news_lead

    lead = "Berlin. Die Füchse stehen im Pokal-Viertelfinale, und als der Ball ins Tor rollt, sind die Kräfte am Ende."
    cands = [
        Candidate("Füchse Berlin mit Machtdemonstration", kind="heading"),
        Candidate(lead),
        Candidate("Von Robin Amberg"),
        Candidate(
            "Der Kapitän sichert den Ball gegen zwei Gegenspieler im Halbfinale der Saison am Donnerstag.",
            kind="caption",
        ),
        Candidate("Der Spielmacher blickt auf. " * 8),
        Candidate("Zuschauer sahen am Donnerstagabend ein Spiel. " * 6),
    ]
    p = np.array([0.2, 0.6, 0.05, 0.1, 0.95, 0.95])
    arr = SimpleNamespace(prose=np.array([False, True, False, True, True, True]))
    kept = np.array([False, False, False, False, True, True])
    news = PageSignals(ld='{"@type": "NewsArticle"}')
    assert news_lead(cands, p, arr, kept, news) == 1  # type: ignore[arg-type]
    # a blog's sentence above its body is a teaser its labels leave out; a weak or disclosing one is no lead
    assert news_lead(cands, p, arr, kept, PageSignals(ld='{"@type": "BlogPosting"}')) == -1  # type: ignore[arg-type]
    assert news_lead(cands, np.where(np.arange(6) == 1, 0.3, p), arr, kept, news) == -1  # type: ignore[arg-type]
    cands[1] = Candidate(
        "Every item on this page was chosen by an editor. We may earn commission on some of the items."
    )
    assert news_lead(cands, p, arr, kept, news) == -1  # type: ignore[arg-type]
    # a heading is a lead only when it is a sentence with a full stop, not a teaser's title
    cands[1] = Candidate(lead, kind="heading")
    assert news_lead(cands, p, arr, kept, news) == 1  # type: ignore[arg-type]
    cands[1] = Candidate(lead.rstrip(".") + "?", kind="heading")
    assert news_lead(cands, p, arr, kept, news) == -1  # type: ignore[arg-type]


def test_the_blocks_of_a_news_articles_fact_box_leave_the_body() -> None:
    from types import SimpleNamespace

    import numpy as np

    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_html import fact_boxes

    # containers: 0 the article, 1 "metro-factbox", 2 its content, 3 "info-box", 4 "box-office" (no fact box)
    layout = SimpleNamespace(
        label=[("article", "body"), ("metro", "factbox"), ("content",), ("info", "box"), ("box", "office")]
    )
    cands = [
        Candidate("The minister said the bill would pass before the summer recess.", ancestors=(0,)),
        Candidate("Other key measures in the programme include:", ancestors=(0, 1, 2)),
        Candidate(
            "Unter den Geflüchteten sind rund 65.500 Menschen im erwerbsfähigen Alter.", ancestors=(0, 3)
        ),
        Candidate("The film took 40 million on its first weekend.", ancestors=(0, 4)),
        Candidate("A dropped line in a fact box stays dropped.", ancestors=(0, 1)),
    ]
    kept = np.array([True, True, True, True, False])
    assert fact_boxes(cands, layout, kept) == [1, 2]  # type: ignore[arg-type]


def test_a_pull_quote_whose_words_the_body_holds_leaves_the_body() -> None:
    import numpy as np

    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_html import pull_quotes

    said = "They have such anger and disdain and disgust that they can't control it."
    cands = [
        Candidate(f"Zephyr walked out of the chamber. “{said}” she told reporters on Thursday."),
        Candidate(f"“{said}”", kind="quote"),
        Candidate("“A quote of its own, printed nowhere else in the article.”", kind="quote"),
        Candidate("“Too short to tell.”", kind="quote"),
        Candidate("The vote was 68 to 32."),
    ]
    kept = np.array([True, True, True, True, True])
    assert pull_quotes(cands, kept) == [1]
    kept[0] = False  # the paragraph that holds its words is not body: the quote is the text
    assert pull_quotes(cands, kept) == []


def test_the_lines_of_a_sign_up_box_leave_the_body() -> None:
    import numpy as np

    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_html import sign_up_lines

    cands = [
        Candidate(
            "Get daily Canada news delivered to your inbox so you'll never miss the day's top stories."
        ),
        Candidate("A welcome email is on its way. If you don't see it, please check your junk folder."),
        Candidate("Sign In or Create an Account"),
        Candidate("The council said residents would find the new bins outside their homes by Monday."),
        Candidate(
            "The company says its newsletter reached a million readers, and that the mail delivered to your "
            "inbox each morning is now its main product, ahead of the website, the app and the podcast, "
            "which it plans to sell to a rival publisher before the end of the year."
        ),
    ]
    kept = np.array([True, True, True, True, True])
    chars = np.array([len(c.text) for c in cands], dtype=np.float64)
    assert sign_up_lines(cands, kept, chars) == [0, 1, 2]  # a long paragraph about a newsletter is text


def test_a_heading_with_nothing_of_the_body_under_it_leaves_the_body() -> None:
    import numpy as np

    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_html import trailing_headings

    prose = [Candidate(f"Paragraph {i} of the report, which goes on for a while.") for i in range(3)]
    heading = Candidate("You may also like", kind="heading", level=2)
    teaser = Candidate("Another story the rail links to", kind="list_item")
    cands = [*prose, heading, teaser]
    assert trailing_headings(cands, np.array([True, True, True, True, False])) == [3]
    # something of the body after it: the heading heads that
    assert trailing_headings(cands, np.array([True, True, True, True, True])) == []
    # two headings in a row at the end are a list set as headings, and a body of a line or two may be a
    # post under its own title: both stay
    two = [*prose, Candidate("1. First point", kind="heading"), Candidate("2. Second point", kind="heading")]
    assert trailing_headings(two, np.ones(5, dtype=bool)) == []
    assert trailing_headings(cands, np.array([False, True, True, True, False])) == []


def test_case_ignoring_openings_grouped_by_plain_first_characters_match_as_written() -> None:
    """The furniture and date patterns lead each group of case-ignoring openings with a plain character set:
    each set must hold exactly what the regex engine matches to that character ignoring case, over all of
    Unicode, and the patterns must find what the plain case-ignoring alternations find."""
    import re

    from broadsheet.pipeline import html_features as hf
    from broadsheet.pipeline.html import by_first_character

    everything = "".join(map(chr, range(0x110000)))
    for openings in (hf._FURNITURE_OPENINGS, hf._MONTHS):
        firsts = {o[:2] if o[0] == "\\" else o[0] for o in openings}
        for first in firsts:
            expected = set(re.findall("(?i)" + first, everything))
            led = re.findall(r"\[([^\]]*)\]\(\?i:", by_first_character((first + "x",), ignore_case=True))
            assert {c for c in re.sub(r"\\(.)", r"\1", led[0])} == expected, first
    furniture = re.compile(r"(?i)\n(?:" + "|".join(hf._FURNITURE_OPENINGS) + ")")
    months = "|".join(hf._MONTHS)
    date = re.compile(
        r"(?i)\b(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|(?:"
        + months
        + r")[a-z]*\.? \d{1,2}\b)"
    )
    lines = ["ſhare this", "SHARE", "İmage: x", "ımage", "\u212aommentar", "Commentary", "Comments: 3", "(C) AP",
             "© x", "Tags: a", "by", "By Ann", "VERÖFFENTLICHT", "ſep 12", "SEPT. 3", "um 12:30", "MÄRZ 5",
             "Mai 2024", "jul 12a", "3/4/22", "2024-01-02", "Decembers 4", "the end"]  # fmt: skip
    for line in lines:
        assert bool(furniture.search("\n" + line)) == bool(hf._FURNITURE.search("\n" + line)), line
        assert bool(date.search(line)) == bool(hf._DATE.search(line)), line


def test_the_printed_description_above_the_body_joins_it() -> None:
    import numpy as np

    from broadsheet.article import Candidate
    from broadsheet.pipeline.body_html import printed_description

    dek = (
        "The council approved the harbour plan after a year of hearings, and the first cranes arrive in May."
    )
    cands = [
        Candidate("Council approves the harbour plan", kind="heading"),
        Candidate(dek),
        Candidate("By Maria Lopez"),
        Candidate("Photo of the harbour at dawn", kind="caption"),
        Candidate("The vote on Tuesday ended a year of hearings in the town hall."),
    ]
    kept = np.array([False, False, False, False, True])
    said = " ".join(dek.split()).casefold()
    assert printed_description(cands, kept, (said,)) == 1
    assert printed_description(cands, kept, (said[:60].rstrip() + "…",)) == 1  # a shortened description
    assert printed_description(cands, kept, ()) == -1
    assert (
        printed_description(cands, kept, ("a description the page never prints as a block of its own",)) == -1
    )
    kept[1] = True  # printed inside the body: nothing to add
    assert printed_description(cands, kept, (said,)) == -1


def test_the_page_signals_hold_its_descriptions_of_itself() -> None:
    from broadsheet.pipeline.body_html import page_signals
    from broadsheet.pipeline.html import parse_html
    from broadsheet.pipeline.read import read

    dek = "The plan was years in the making, and residents have   until spring to comment."
    page = (
        "<html><head><title>Plan</title>"
        f'<meta property="og:description" content="{dek}"><meta name="description" content="{dek}">'
        '<meta name="twitter:description" content="Read the plan">'  # a slogan: too short to be a standfirst
        '<meta property="og:type" content="article"></head><body><p>Text.</p></body></html>'
    )
    sig = page_signals(parse_html(read(page, url="https://example.com/a", kind="html"), Options()))
    assert sig.descriptions == (" ".join(dek.split()).casefold(),) and sig.og_type == "article"


def test_a_standfirst_printed_outside_the_article_container_joins_the_body() -> None:
    story = make_story(random.Random(11), 81)
    rail = "".join(
        f'<li><a href="/n/{k}">{htmlmod.escape(make_story(random.Random(100 + k), 90 + k).headline)}</a></li>'
        for k in range(8)
    )
    dek = "The plan was years in the making, and residents have until spring to comment on the first phase."

    def page(meta: str) -> str:
        return (
            f"<!doctype html><html><head><title>{htmlmod.escape(story.headline)}</title>{meta}</head><body>"
            '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
            f'<div class="hero"><h1>{htmlmod.escape(story.headline)}</h1><div class="hero__teaser">{dek}</div></div>'
            '<div class="layout"><article class="article-body">'
            + "".join(f"<p>{htmlmod.escape(p)}</p>" for p in story.paragraphs)
            + f'</article><aside class="rail"><h3>Most read</h3><ul>{rail}</ul></aside></div>'
            "<footer><p>Contact us</p></footer></body></html>"
        )

    described = broadsheet.extract(
        page(f'<meta property="og:description" content="{dek}">'),
        url="https://example.com/news/plan",
        options=Options(explain=True),
    )
    assert described.text.startswith(dek) and described.description == dek
    assert any(d.kept and "(the standfirst)" in d.reason for d in described.explain)
    # the same block, when the page does not describe itself so: the context model leaves it out
    assert dek not in broadsheet.extract(page(""), url="https://example.com/news/plan").text


@pytest.mark.parametrize(
    "hidden",
    [
        "<p hidden>{}</p>",
        '<p style="color: grey; DISPLAY : none">{}</p>',
        '<div style="visibility:hidden">{}</div>',
    ],
)
def test_a_paragraph_the_page_hides_leaves_the_body(hidden: str) -> None:
    secret = "Keyword stuffing nobody reading the story ever sees on the page, printed here for robots alone."
    page = _story_with(11, hidden.format(secret), "<p>Contact us</p>")
    article = broadsheet.extract(page, url="https://example.com/news/hidden", options=Options(explain=True))
    assert secret not in article.text
    assert article.text.count("\n\n") >= 4  # the story itself is all there
    assert any(not d.kept and "the page hides it" in d.reason for d in article.explain if d.text == secret)


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div class="tab-panel" style="display:none"><p>{}</p></div>',  # a section a reader opens
        '<p hidden="until-found">{}</p>',  # an accordion the browser opens when a reader searches in it
        '<p style="display: none-ish">{}</p>',  # not a display value
    ],
)
def test_text_a_reader_can_open_stays_in_the_body(wrapper: str) -> None:
    story = make_story(random.Random(12), 82)
    shown = htmlmod.escape(story.paragraphs[3])
    page = _story_with(12, "", "<p>Contact us</p>").replace(f"<p>{shown}</p>", wrapper.format(shown), 1)
    assert wrapper.format(shown) in page
    article = broadsheet.extract(page, url="https://example.com/news/tabs")
    assert story.paragraphs[3] in article.text
