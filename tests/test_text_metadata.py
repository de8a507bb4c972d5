"""Headline, byline and date of flattened text: how a chosen line is read, and what a page gives."""

from __future__ import annotations

import pytest

import broadsheet
from broadsheet.article import Candidate, Document, Page
from broadsheet.pipeline.metadata import common_words
from broadsheet.pipeline.metadata_text import (
    FIELD_NAMES,
    _agency_tail,
    _authors,
    _in_headline,
    _interface,
    _prefer_printed_title,
    _printed_title,
    _text_site_name,
    _title_part,
    byline_names,
    clean_title,
    date_in_url,
    first_line_title,
    from_text,
    joint_features,
    without_kicker,
)
from broadsheet.pipeline.text import _short_role, credit_of


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Maria Lopez", ["Maria Lopez"]),
        ("By JANE DOE and John Smith, Senior Reporter | Updated 13 July 2020", ["Jane Doe", "John Smith"]),
        # words a flattening glued to the name
        ("Jen MillsPublished Jul 17, 2024, 11:21am|Updated Jul 17, 2024, 6:39pm", ["Jen Mills"]),
        ("Lucy ThorntonNews Reporter", ["Lucy Thornton"]),
        ("Sophie FosterTravel News Reporter", ["Sophie Foster"]),
        ("DeShawn McDonald Staff Writer", ["DeShawn McDonald"]),
        ("By Bhaval Patel Last Updated: December 6, 2024", ["Bhaval Patel"]),
        ("By Ann Lee ⋅ Senior Review Analyst ⋅ Updated March 5, 2025", ["Ann Lee"]),
        ("byRahimu Fadhili", ["Rahimu Fadhili"]),
        ("Dylan Jones5 hours ago", ["Dylan Jones"]),
        ("By Alissa Wilkinson@alissamarie Updated Jul 24, 2018, 2:15pm EDT", ["Alissa Wilkinson"]),
        # the names follow a by-word inside the line
        ("October 11, 2023 by Autumn Huerter", ["Autumn Huerter"]),
        ("Tuesday 15 October 2019 by Bradley M. Kuhn", ["Bradley M. Kuhn"]),
        ("News | Published: 5 hours ago | Written by Eliaser Ndeyanale", ["Eliaser Ndeyanale"]),
        # a name printed twice (a picture's alt text beside it), a place or a day after it
        ("Martin Gramnæs Martin Gramnæs", ["Martin Gramnæs"]),
        ("By John Smith in Washington", ["John Smith"]),
        # after a "By ..." part, a part without a by-word is the publisher or a date, not a name
        ("By Tom Davies - Associated Press - Friday, April 28, 2023", ["Tom Davies"]),
        ("By Aaron Kliegman | Fox News", ["Aaron Kliegman"]),
        (
            "by Daniel Gibson | Mar 11, 2023 | All About Brakes and Brake Repair | 0 comments",
            ["Daniel Gibson"],
        ),
        ("Von Diana Resnik mit AP", ["Diana Resnik"]),
        ("This post was written by Danielle Padula, Head of Marketing and Community", ["Danielle Padula"]),
        ("By Ann Lee, Former Deputy Tech Editor", ["Ann Lee"]),
        ("Stefan Trunzik, 26.04.2024 10:00 Uhr", ["Stefan Trunzik"]),
        (
            "Par Alexandre Hervaud et Jérémy Piette — 24 novembre 2017 à 18:42",
            ["Alexandre Hervaud", "Jérémy Piette"],
        ),
        ("McDonald Smith", ["McDonald Smith"]),
        # a by-word glued to the name, doubled or with a colon
        ("ByDaryl Austin", ["Daryl Austin"]),
        ("Written byby Rebecca Stone", ["Rebecca Stone"]),
        ("Written by:Elise Nass", ["Elise Nass"]),
        # two page elements flattened without a space: the second is no name
        ("By Sarah LazareTwitter", ["Sarah Lazare"]),
        ("Dan Jervis-BardyThe West Australian", ["Dan Jervis-Bardy"]),
        ("Emma MackenzieLifestyle Writer", ["Emma Mackenzie"]),
        ("Jane Doe and John MacFarlane", ["Jane Doe", "John MacFarlane"]),
        ("Steffan Rhys Deputy Content Hub Director", ["Steffan Rhys"]),
        # an agency after the names, a category word, a place before a date
        ("By Ann Lee and Bo Chan The Associated Press", ["Ann Lee", "Bo Chan"]),
        ("May 18, 2023 By Sara Harberson In", ["Sara Harberson"]),
        ("Frankfurt, October 23, 2024, 3:48 Uhr", []),
        ("Publiziert6. November 2025, 12:26", []),
        ("Posted by BrightPath", ["BrightPath"]),  # a brand written in one word stays whole
        ("Autorin/Autor Roman Goncharenko", ["Roman Goncharenko"]),
        ("Von: JÖRG ZSCHOCHE", ["Jörg Zschoche"]),
        ("Photo by me", []),
        # the date first, the name after it (with or without a by-word)
        ("21. Jan 2022 // Peter Kowalski", ["Peter Kowalski"]),
        ("3 March 2021, 10:15 | Ana Ruiz", ["Ana Ruiz"]),
        ("Erstellt von Jonas am Dienstag 6. Mai 2014", ["Jonas"]),  # a by-word vouches for one word
        ("12.05.2023 Hamburg", []),  # a lone word after a date, without a by-word, is a place
        ("Tuesday, 4 June 2024", []),
        # a picture's or a reviewer's credit is no byline
        ("Tanner Fischer. (Photo by Sarah Lazare)", []),
        ("Foto: Alexander Winger", []),
        ("A view of the harbour. — Picture by Ann Lee", []),
        (
            "Medically reviewed by Kim Rose — Written by Jill Kubala, MS, RD — Updated on March 7, 2025",
            ["Jill Kubala"],
        ),
        # a label with a colon, parts apart by slashes, a weekday, a comment count or a full stop after the name
        ("Posted by: David at December 19, 2025 12:28 PM", ["David"]),
        ("Von Felix Eisenreich // 1. November 2023", ["Felix Eisenreich"]),
        ("By Cat Lafuente/June 12, 2020 9:49 am EST/Updated: Aug. 18, 2020", ["Cat Lafuente"]),
        ("By Jane Slaughter on Thu, Nov 9, 2023 at 4:00 am", ["Jane Slaughter"]),
        ("By Jeff Cobb. Last Updated on December 11, 2025", ["Jeff Cobb"]),
        ("26. September 2019 Ulrike Stockhausen Schreibe einen Kommentar", ["Ulrike Stockhausen"]),
        # words before the date that give no name: the name after it
        ("Artikel veröffentlicht am 28. April 2024, 14:26 Uhr, Tobias Költzsch", ["Tobias Költzsch"]),
        # a month is a month's name, not a surname that begins like one ("Jung", "Marshall")
        ("Veröffentlicht von Chris Jung 28. Februar 2016", ["Chris Jung"]),
        ("von Sonia Mevißen Erstellt am 01.01.23 um 08:35, geändert am 01.01.23", ["Sonia Mevißen"]),
        # a user's handle after a date or a "published" label; an article after "by" is no handle
        ("Veröffentlicht am 12. Juni 2017 von gizzmo", ["gizzmo"]),
        ("Posted in News by damianduchamps on August 3, 2019", ["damianduchamps"]),
        ("Posted on May 3, 2020 by the editors", []),
        # an agency joined to the writers by "and" or a comma is credited beside them, as the HTML path has it
        ("Adam Vidler and AP", ["Adam Vidler", "AP"]),
        # a word of the site's interface after a by-led name ends it
        ("von Claudio Kummerfeld Twitter Account von Claudio Kummerfeld", ["Claudio Kummerfeld"]),
        ("Von Katharina Schmidt Kategorien: Mode 6. November 2023, 15:25 Uhr", ["Katharina Schmidt"]),
        ("Von Felix Schröder und Jörg Soldwisch, dpa", ["Felix Schröder", "Jörg Soldwisch", "dpa"]),
    ],
)
def test_byline_names(line: str, names: list[str]) -> None:
    assert byline_names(line) == names


@pytest.mark.parametrize(
    ("line", "url", "others", "title"),
    [
        (
            "Storm hits the coast | The Courier",
            "https://www.thecourier.example/a",
            set(),
            "Storm hits the coast",
        ),
        # a separator with nothing after it goes; a leading dash (a quotation) and a closing » stay
        ("Storm hits the coast |", None, set(), "Storm hits the coast"),
        ("- The storm will come back", None, set(), "- The storm will come back"),
        ("La « gravité de la situation »", None, set(), "La « gravité de la situation »"),
        # a hyphenated host ("harbour-courier") spelled with a space in the <title>'s tail
        (
            "Storm hits the coast - Harbour Courier",
            "https://www.harbour-courier.example/a",
            set(),
            "Storm hits the coast",
        ),
        (
            "Storm hits the coast - news.Courier.at",
            "https://courier.at/stories/1",
            set(),
            "Storm hits the coast",
        ),
        # a tail that does not name the host stays, unless the page prints the rest as its own line
        (
            "Storm hits the coast - a view",
            "https://www.courier.example/a",
            set(),
            "Storm hits the coast - a view",
        ),
        ("Storm hits the coast | Weather Desk", None, {"Storm hits the coast"}, "Storm hits the coast"),
        # a breadcrumb printed before the headline
        ("Blog » News » Storm hits the coast", None, set(), "Storm hits the coast"),
        ("Newsroom / Weather / Storm hits the coast", None, set(), "Storm hits the coast"),
        ("Home / Storm hits the coast", None, set(), "Storm hits the coast"),
        ("Nationale Demo / Storm hits the coast", None, set(), "Nationale Demo / Storm hits the coast"),
        # a headline of one word is never cut down to nothing
        ("Courier | The Courier", "https://www.courier.example/a", set(), "Courier | The Courier"),
        # " // " separates too; a separator or a date with nothing before it goes
        ("Storm hits the coast // Courier", "https://www.courier.example/a", set(), "Storm hits the coast"),
        ("| Storm hits the coast", None, set(), "Storm hits the coast"),
        ("• Storm hits the coast", None, set(), "Storm hits the coast"),
        ("23.01.2022 - Storm hits the coast", None, set(), "Storm hits the coast"),
        ("2022-01-23 | Storm hits the coast", None, set(), "Storm hits the coast"),
        ("1.5 million - the storm's toll", None, set(), "1.5 million - the storm's toll"),
    ],
)
def test_clean_title(line: str, url: str | None, others: set[str], title: str) -> None:
    assert clean_title(line, url, others) == title


@pytest.mark.parametrize(
    ("line", "page_title", "headline"),
    [
        # a kicker in its own element, joined to the headline by the flattening: the <title> has its own form
        (
            "Harbour plan Council votes to rebuild the old pier",
            "Harbour plan: Council votes to rebuild the old pier",
            "Council votes to rebuild the old pier",
        ),
        (
            "Before the storm Council votes to rebuild the old pier",
            "Council votes to rebuild the old pier",
            "Council votes to rebuild the old pier",
        ),
        (
            "Harbour plan Council votes – the pier goes",
            "Council votes - the pier goes - Courier",
            "Council votes – the pier goes",
        ),  # the <title>'s dash and site name differ from the line's
        # the line prints the kicker with a colon or a separator after it: one headline, kept whole
        (
            "Harbour plan: Council votes to rebuild the old pier",
            "Council votes to rebuild the old pier",
            "Harbour plan: Council votes to rebuild the old pier",
        ),
        (
            "Harbour plan - Council votes to rebuild the old pier",
            "Council votes to rebuild the old pier",
            "Harbour plan - Council votes to rebuild the old pier",
        ),
        # a colon inside what would be cut, a lone short word, a part under four words, the same title
        (
            "Storm: the town waits as Council votes on pier",
            "Storm at sea: Council votes on pier",
            "Storm: the town waits as Council votes on pier",
        ),
        ("The Best Harbour Walks of 2025", "Best Harbour Walks of 2025", "The Best Harbour Walks of 2025"),
        ("Harbour plan Council votes yes", "Harbour: Council votes yes", "Harbour plan Council votes yes"),
        (
            "Council votes to rebuild the pier",
            "Council votes to rebuild the pier",
            "Council votes to rebuild the pier",
        ),
    ],
)
def test_without_kicker(line: str, page_title: str, headline: str) -> None:
    assert without_kicker(line, page_title) == headline


@pytest.mark.parametrize(
    ("first", "role", "title"),
    [
        # a web-archive record's <title> line, the site's name cut where the host names it
        (
            "Harbour wall to be rebuilt by spring | The Harbour Courier",
            "",
            "Harbour wall to be rebuilt by spring",
        ),
        ("Share buttons removal test", "body", "Share buttons removal test"),
        # a byline, the site's name, a skip link, a menu button or a sentence of the text is no title
        ("By Jane Doe", "byline", None),
        ("The Harbour Courier", "", None),  # the masthead of a text that does not start with its <title>
        ("Skip to main content", "", None),
        ("Menu", "", None),
        (
            "The council said on Tuesday that the harbour wall, damaged in the January storms, would be rebuilt "
            "by spring at a cost of two million pounds",
            "body",
            None,
        ),
        ("The council met on Tuesday.", "body", None),  # kept, and a sentence: the text's first line
        ("x" * 5000, "", None),  # one long "word" (a hash, a blob) is no title either
    ],
)
def test_the_first_line_is_the_headline_when_no_line_was_taken(
    first: str, role: str, title: str | None
) -> None:
    cands = [
        Candidate(first, role=role, kept=role == "body"),
        Candidate("The council met again.", role="body"),
    ]
    assert first_line_title(cands, "https://harbour-courier.example/news/wall") == title


def test_the_first_line_taken_for_the_headline_leaves_the_body() -> None:
    text = "\n".join(
        [
            "Harbour wall to be rebuilt by spring | The Harbour Courier",
            "The council said on Tuesday that the harbour wall, damaged in the January storms, would be rebuilt "
            "by spring at a cost of two million pounds, and that work would start next month.",
            "Residents welcomed the news at a meeting in the town hall, where the engineer in charge showed the "
            "plans for the new wall and answered questions for an hour.",
        ]
    )
    article = broadsheet.extract(
        text,
        "https://harbour-courier.example/news/wall",
        kind="text",
        options=broadsheet.Options(explain=True),
    )
    assert article.title == "Harbour wall to be rebuilt by spring"
    assert article.text.startswith("The council said on Tuesday")
    assert article.explain is not None and article.explain[0].role == "title"


@pytest.mark.parametrize(
    ("name", "common"),
    [("Final Thoughts", True), ("Post Tags", True), ("Will Smith", False), ("Maria", False)],
)
def test_a_name_of_common_words_is_no_author(name: str, common: bool) -> None:
    page = "\nIn our final thoughts on the post we list the tags and what will come next, said Smith.\n"
    assert common_words(name, page) is common


def test_date_in_url() -> None:
    assert date_in_url("https://x.example/2024/03/05/story") == "2024-03-05"
    assert date_in_url("https://x.example/news/20240305-story.html") == "2024-03-05"
    assert date_in_url("https://x.example/2024/13/05/story") is None
    assert date_in_url(None) is None


PAGE = """Home News Politics Sport
Council approves the new harbour plan
By Maria Lopez
March 5, 2024 10:30
The council voted on Tuesday to approve the plan, which had been debated for months by residents of the town.
“It is a good day for the town,” said the mayor, who had backed the plan from the start of the long debate.
The harbour will be rebuilt over the next three years, with work starting in the spring if the budget allows it.
Residents who opposed the plan said they would keep raising their concerns at every council meeting this year.
Copyright © 2024 The Courier. All rights reserved.
"""


def test_fields_of_a_flattened_page() -> None:
    article = broadsheet.extract(
        PAGE, "https://courier.example/2024/03/05/council-approves-new-harbour-plan", kind="text"
    )
    assert article.title == "Council approves the new harbour plan"
    assert article.authors == ["Maria Lopez"]
    assert article.published == "2024-03-05T10:30"
    assert "Copyright" not in article.text and "Home News" not in article.text


def _byline_doc(score: float) -> Document:
    lines = [
        ("Council approves the new harbour plan", "title", False),
        ("Island Ferries", "byline", False),  # the byline model's choice: a title-case phrase, no by-word
        (
            "The council voted on Tuesday to approve the plan after months of debate in the town.",
            "body",
            True,
        ),
        ("Written by Maria Lopez", "boilerplate", False),
        ("Photo by Ann Lee", "caption", False),
    ]
    cands = [Candidate(text, role=role, kept=kept) for text, role, kept in lines]
    doc = Document(Page("\n".join(t for t, _, _ in lines), "text"), cands)
    doc.extras["byline_score"] = score
    return doc


def _dateline_doc(score: float) -> Document:
    lines = [
        ("Council approves the new harbour plan", "title", False),
        ("Thursday, 9 November 2023", "dateline", False),  # the model's choice: the site's date of today
        ("Published: 8 November 2023 | Updated: 9 November 2023", "boilerplate", False),
        (
            "The council voted on Tuesday to approve the plan after months of debate in the town.",
            "body",
            True,
        ),
    ]
    cands = [Candidate(text, role=role, kept=kept) for text, role, kept in lines]
    doc = Document(Page("\n".join(t for t, _, _ in lines), "text", fetched_at="2023-11-10"), cands)
    doc.extras["dateline_score"] = score
    return doc


@pytest.mark.parametrize(("score", "day"), [(0.2, "2023-11-08"), (0.9, "2023-11-09")])
def test_a_line_that_says_published_wins_over_a_weak_dateline_choice(score: float, day: str) -> None:
    assert from_text(_dateline_doc(score), "The council voted.").published == day


def test_the_date_after_published_is_the_published_one() -> None:
    doc = _dateline_doc(0.9)
    doc.candidates[1].text = "Updated 11 November 2023, originally published 9 November 2023"
    assert from_text(doc, "The council voted.").published == "2023-11-09"


@pytest.mark.parametrize(
    ("byline", "published"),
    [
        ("By Maria Lopez • 11/08/23 5:19pm", "2023-11-08T17:19"),
        ("von Maria Lopez, 8.5.12", "2012-05-08"),
        ("By Maria Lopez | Updated 9 November 2023", None),  # an update's date is no publication date
    ],
)
def test_the_byline_line_dates_the_post_when_no_dateline_does(byline: str, published: str | None) -> None:
    lines = [
        ("Council approves the new harbour plan", "title", False),
        (byline, "byline", False),
        (
            "The council voted on Tuesday to approve the plan after months of debate in the town.",
            "body",
            True,
        ),
    ]
    cands = [Candidate(text, role=role, kept=kept) for text, role, kept in lines]
    doc = Document(Page("\n".join(t for t, _, _ in lines), "text", fetched_at="2024-01-10"), cands)
    meta = from_text(
        doc, "The council voted on Tuesday to approve the plan after months of debate in the town."
    )
    assert (meta.authors, meta.published) == (["Maria Lopez"], published)
    # a dateline, when there is one, still dates the post
    cands.insert(2, Candidate("5 March 2022", role="dateline"))
    doc = Document(Page("\n".join(c.text for c in cands), "text", fetched_at="2024-01-10"), cands)
    assert from_text(doc, "The council voted.").published == "2022-03-05"


@pytest.mark.parametrize(("score", "authors"), [(0.2, ["Maria Lopez"]), (0.9, ["Island Ferries"])])
def test_a_line_that_says_by_wins_over_a_weak_byline_choice(score: float, authors: list[str]) -> None:
    assert from_text(_byline_doc(score), "The council voted.").authors == authors


@pytest.mark.parametrize(
    ("headline", "byline", "authors"),
    [
        # the headline printed again, chosen for the byline: its words are no writer, the runner-up is read
        ("Harbour Plan Approved", "Harbour Plan Approved", ["Maria Lopez"]),
        ("Tony Blair: why there has to be compromise", "Tony Blair", ["Maria Lopez"]),
        # the headline credits its writer, after a by-word or in brackets: kept
        ("Life is a highway – by Island Ferries", "Island Ferries", ["Island Ferries"]),
        ("The fold-and-cut problem (Island Ferries)", "Island Ferries", ["Island Ferries"]),
        # one word, or words that stand inside a longer word of the headline: kept
        ("Ferries return to the island", "Ferries", ["Ferries"]),
        ("Island Ferriesburg opens", "Island Ferries", ["Island Ferries"]),
    ],
)
def test_words_of_the_headline_are_no_byline(headline: str, byline: str, authors: list[str]) -> None:
    doc = _byline_doc(0.9)
    doc.candidates[0].text, doc.candidates[1].text = headline, byline
    doc.extras["byline_next"] = [3]  # the model's runner-up: the line that says "Written by"
    assert from_text(doc, "The council voted.").authors == authors
    assert _in_headline("Maria Lopez", None) is False


@pytest.mark.parametrize(
    "line", ["Erstellt von Maria Lopez", "Auteur: Maria Lopez", "Artikel von: Maria Lopez"]
)
def test_a_line_with_a_writer_label_wins_over_a_weak_byline_choice(line: str) -> None:
    doc = _byline_doc(0.2)
    doc.candidates[3].text = line
    assert from_text(doc, "The council voted.").authors == ["Maria Lopez"]


@pytest.mark.parametrize(
    ("by", "name", "authors"),
    [
        ("Von", "Maria Lopez", ["Maria Lopez"]),
        ("Written by:", "Maria Lopez", ["Maria Lopez"]),
        ("By", "Maria Lopez and Ann Lee", ["Maria Lopez", "Ann Lee"]),
        # the line under the by-word is the body's first sentence, not a name
        ("By", "The council voted on Tuesday to approve the plan after a long debate.", ["Island Ferries"]),
        ("By:", "New posts", ["Island Ferries"]),  # a search form's label over the forum's menu
    ],
)
def test_a_by_word_alone_reads_the_name_on_the_next_line(by: str, name: str, authors: list[str]) -> None:
    doc = _byline_doc(0.2)
    doc.candidates[3:4] = [Candidate(by, role="boilerplate"), Candidate(name, role="boilerplate")]
    assert from_text(doc, "The council voted.").authors == authors


@pytest.mark.parametrize(
    ("dateline", "authors"),
    [
        ("23.06.2016 um 16:14 Uhr - Markus Reuter - 91 Ergänzungen", ["Markus Reuter"]),
        ("2021-10-16 | Botschaft", ["Island Ferries"]),  # one capitalised word beside a date: a section
    ],
)
def test_a_weak_byline_choice_gives_way_to_the_names_of_the_dateline(
    dateline: str, authors: list[str]
) -> None:
    doc = _byline_doc(0.2)
    doc.candidates[3].text = "More from the council"  # no line that says "By A"
    doc.candidates.insert(2, Candidate(dateline, role="dateline"))
    roles = {"byline": [doc.candidates[1]], "dateline": [doc.candidates[2]]}
    assert _authors(doc, roles, {"byline": 1, "dateline": 2}, doc.candidates[0].text)[0] == authors


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        # a web-archive record's first line is the <title>: its part before the site's name, printed again
        (["Council approves harbour plan | The Courier", "Home News", "Council approves harbour plan"], 2),
        (["Council approves harbour plan – Courier", "Council approves harbour plan", "Body."], 1),
        (["Council approves harbour plan", "Council approves harbour plan"], None),  # no site part to cut
        (["Council approves harbour plan | The Courier", "Home News", "Body text."], None),  # not printed
        (["Home News Sport", "Council approves harbour plan"], None),  # a menu first, no <title> line
    ],
)
def test_the_title_line_names_the_printed_headline(lines: list[str], found: int | None) -> None:
    assert _printed_title(lines, "https://courier.example/a") == found


def _explained(text: str, url: str) -> broadsheet.Article:
    """The article of a flattened page, with the explain trace."""
    return broadsheet.extract(text, url, kind="text", options=broadsheet.Options(explain=True))


def test_a_page_whose_title_line_is_printed_again_takes_that_line_as_its_headline() -> None:
    page = "Council approves the new harbour plan | The Courier\n" + PAGE
    article = _explained(page, "https://courier.example/2024/03/05/council-approves-new-harbour-plan")
    assert article.title == "Council approves the new harbour plan"
    reasons = [d.reason for d in article.explain or [] if d.text == "Council approves the new harbour plan"]
    assert reasons == ["headline: the page's <title> line without the site's name"]


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        # the longest part of the <title> line (four words or more) printed as a line of its own
        (["The Courier - Council approves the new harbour plan", "The Courier", "Council approves the new harbour plan"], 2),
        (["Council approves the new harbour plan", "Home News", "Council approves the new harbour plan"], 2),
        (["Council approves the new harbour plan | Courier Politics", "Courier Politics", "Body."], None),
        (["Harbour plan | The Courier", "The Courier", "Harbour plan"], None),  # parts too short to tell
        (["Council approves the new harbour plan", "Council approves the new harbour plan today"], None),
        # printed in other typography, or without a word the <title> adds around the headline
        (["Mayor's 'quiet' harbour plan wins the vote | Courier", "Home", "Mayor’s ‘quiet’ harbour plan wins the vote"], 2),
        (["Chronik: Lotte Tobisch ist tot - wien.courier.example", "Wien", "Lotte Tobisch ist tot"], 2),
        (["Vanille-Porridge mit Leinsamen und Apfel Rezept", "Rezepte", "Vanille-Porridge mit Leinsamen und Apfel"], 2),
        # a run of fewer than two thirds of the title's words is a menu item or a teaser, not the headline
        (["Council approves the new harbour plan after months of debate", "Menu", "the new harbour plan"], None),
    ],
)  # fmt: skip
def test_the_title_line_part_printed_on_the_page(lines: list[str], found: int | None) -> None:
    assert _title_part(lines, "https://courier.example/a") == found


SITE_FIRST = (
    "The Courier - Council approves the new harbour plan after months of debate\n"
    "The Courier\n"
    "Home News Politics Sport\n"
    "Council approves the new harbour plan after months of debate\n"
    "Subscribe to our newsletter\n"
    "Ferry timetable changes for the summer season\n"
) + PAGE.split("\n", 2)[2]  # the byline, the dateline, the body and the footer of PAGE


def test_a_title_line_that_names_the_site_first_gives_the_headline_not_the_site() -> None:
    """ "The Courier - Headline": the site's name printed as a line of its own (its logo) is no headline; the
    headline part of the <title>, printed as a line of its own, is."""
    article = _explained(SITE_FIRST, "https://courier.example/2024/03/05/harbour")
    assert article.title == "Council approves the new harbour plan after months of debate"
    assert article.authors == ["Maria Lopez"]
    reasons = [d.reason for d in article.explain or [] if d.role == "title"]
    assert reasons == ["headline: the part of the page's <title> line printed as a line of its own"]


LONG = "The council voted on Tuesday to approve the plan, which residents of the town had debated for months at every meeting of the council and in the letters pages."  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "model", "taken"),
    [
        # the <title>'s headline printed above the article's first paragraph: it wins over the model's line
        (["Harbour plan approved after long debate | The Courier", "Harbour plan approved after long debate", "Most read", LONG], 2, 1),
        # printed only after the first paragraph (a rail's copy): the model's line stays
        (["Harbour plan approved after long debate | The Courier", "Vote on the harbour", LONG, "Harbour plan approved after long debate"], 1, 1),
        # ... unless the article's paragraphs go on right under it: what was kept above is a menu's or a promo's
        (["Harbour plan approved after long debate | The Courier", "Vote on the harbour", LONG, "Harbour plan approved after long debate", "By Maria Lopez", LONG + " It was the third vote."], 1, 3),
        # the model's line is another part of the <title> (the printed headline differs from it): it stays
        (["Harbour vote: council approves the plan - Harbour plan approved after long debate", "Harbour vote: council approves the plan", "Harbour plan approved after long debate", LONG], 1, 1),
        # ... unless that part is the site's name
        (["The Courier - Harbour plan approved after long debate", "The Courier", "Harbour plan approved after long debate", LONG], 1, 2),
    ],
)  # fmt: skip
def test_the_printed_title_part_over_the_model(lines: list[str], model: int, taken: int) -> None:
    cands = [Candidate(text, kept=text.startswith(LONG)) for text in lines]
    chosen = {"title": model}
    _prefer_printed_title(chosen, cands, lines, "https://thecourier.example/a", lines.index(LONG))
    assert chosen["title"] == taken


def test_shipped_text_models_match_the_features() -> None:
    """A model trained on other features is silently skipped at run time: retrain when features change."""
    from broadsheet.model import load_model
    from broadsheet.pipeline.body_text import CONTEXT_MODEL, CONTEXT_NAMES, LINE_INPUTS, LINE_MODEL
    from broadsheet.pipeline.metadata_text import _packed_models

    assert _packed_models() is not None
    # LINE_INPUTS is what training (text_train.py and the cross-validation in text_cv.py) feeds the line model
    assert set(load_model(LINE_MODEL).feature_names) <= set(LINE_INPUTS)
    assert set(load_model(CONTEXT_MODEL).feature_names) <= set(CONTEXT_NAMES)


def test_joint_features_place_lines_by_the_first_stage_choices() -> None:
    """The byline model's second-stage rows: distance to the best headline and dateline, the headline
    score of furniture and of lines after the body start zeroed first."""
    import numpy as np

    idx = np.array([3, 4, 5, 6, 9])
    roles = ["boilerplate"] * 10
    roles[6] = "tags"
    roles[5] = "byline"
    x = np.zeros((len(FIELD_NAMES), len(idx)))
    title = np.array([0.2, 0.7, 0.9, 0.1, 0.8])  # the byline line (5) and a body line (9) score high
    date = np.array([0.0, 0.0, 0.3, 0.6, 0.0])  # ... and so does the tags line (6)
    tags = joint_features(x, idx, 6, roles, title, date)
    row = {name: x[FIELD_NAMES.index(name)] for name in ("title_p", "to_title", "to_date")}
    assert tags.tolist() == [False, False, False, True, False]
    assert row["title_p"].tolist() == [0.2, 0.7, 0.0, 0.0, 0.0]  # byline, tags, after the start: 0
    assert row["to_title"].tolist() == [-1, 0, 1, 2, 5]  # the headline is line 4
    assert row["to_date"].tolist() == [-2, -1, 0, 1, 4]  # the dateline is line 5, not the tags line
    empty = np.zeros((len(FIELD_NAMES), 2))
    joint_features(empty, np.array([7, 8]), 6, roles, np.zeros(2), np.zeros(2))
    assert (empty[FIELD_NAMES.index("to_title")] < -10).all()  # no headline chosen: far from every line


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Related Articles", True),
        ("Story Saved", True),
        ("Weitere IT-Trainings", True),
        ("Play SRF", True),
        ("Maria Lopez", False),
        ("Ann de la Cruz", False),
        ("Tobias Költzsch", False),
    ],
)
def test_interface_words_tell_a_widget_label_from_a_name(name: str, label: bool) -> None:
    assert _interface(name) is label


def test_the_byline_model_reads_the_first_stage() -> None:
    from broadsheet.model import load_model

    assert {"title_p", "to_title", "to_date"} & set(load_model("text_byline").feature_names)


@pytest.mark.parametrize(
    ("part", "kept"),
    [
        # the longest agency name is cut, not a shorter one it ends with ("associated press")
        ("Ann Lee and Bo Chan The Associated Press", "Ann Lee and Bo Chan"),
        ("Jo Ray Kyodo News", "Jo Ray"),
        ("The Associated Press", "The Associated Press"),  # the agency alone stays
    ],
)
def test_agency_tail_cuts_the_longest_name(part: str, kept: str) -> None:
    assert _agency_tail(part) == kept


@pytest.mark.parametrize(
    ("line", "split"),
    [
        ("Fans outside the stadium (Photo: Jane Roe/AP)", ("Fans outside the stadium", "Jane Roe/AP")),
        ("Photo: Getty Images", ("", "Getty Images")),
        # the credit after the caption's last sentence, without brackets
        (
            "Der Trainer ärgerte sich über den Schiedsrichter. Foto: AFP",
            ("Der Trainer ärgerte sich über den Schiedsrichter.", "AFP"),
        ),
        # a sentence that only mentions a photo is no caption
        ("She said the photo: it was taken in May.", ("She said the photo: it was taken in May.", None)),
    ],
)
def test_caption_credits_of_flattened_lines(line: str, split: tuple[str, str | None]) -> None:
    assert credit_of(line) == split
    assert _short_role(line, 10, False, False) == (
        "" if split[1] is None else "credit" if not split[0] else "caption"
    )


@pytest.mark.parametrize(
    ("line", "split"),
    [
        # a credit that ends the line with no label, or a label with no stop before it
        (
            "Das Spiel wurde nach einer Schlägerei abgebrochen. © Alba Pacheco/Agencia LOF/dpa",
            ("Das Spiel wurde nach einer Schlägerei abgebrochen.", "Alba Pacheco/Agencia LOF/dpa"),
        ),
        (
            "Pakete aus China sind beliebt, bergen aber Risiken. dpa",
            ("Pakete aus China sind beliebt, bergen aber Risiken.", "dpa"),
        ),
        (
            "Der Autor starb am Sonntag in Lima. | Jörg Carstensen/dpa",
            ("Der Autor starb am Sonntag in Lima.", "Jörg Carstensen/dpa"),
        ),
        (
            "Ein Protestzug füllt die Avenue Foto: Editpress/Fabrizio Pizzolante",
            ("Ein Protestzug füllt die Avenue", "Editpress/Fabrizio Pizzolante"),
        ),
        (
            "The minister at the harbour on Monday. — Picture by Yusof Mat Isa",
            ("The minister at the harbour on Monday.", "Yusof Mat Isa"),
        ),
        (
            "Duties on steel could follow. (Mario Jasso/Cuartoscuro)",
            ("Duties on steel could follow.", "Mario Jasso/Cuartoscuro"),
        ),
        (
            "Farmers leave land fallow as water runs short. Jae C. Hong/AP hide caption",
            ("Farmers leave land fallow as water runs short.", "Jae C. Hong/AP"),
        ),
        # none: a sentence naming an agency, a menu, a form's buttons, a footer's notice, a book's title
        ("He said so. The AP reported it.", ("He said so. The AP reported it.", None)),
        ("Home | About. Contact | AP", ("Home | About. Contact | AP", None)),
        (
            "Du kommentierst mit Deinem Konto. ( Abmelden / Ändern )",
            ("Du kommentierst mit Deinem Konto. ( Abmelden / Ändern )", None),
        ),
        ("All rights reserved. ©2025", ("All rights reserved. ©2025", None)),
        (
            "Animals: 1,419 Copyright-Free Illustrations by Jim Harter",
            ("Animals: 1,419 Copyright-Free Illustrations by Jim Harter", None),
        ),
    ],
)
def test_a_credit_that_ends_a_caption_line(line: str, split: tuple[str, str | None]) -> None:
    assert credit_of(line) == split


def test_a_giant_line_is_read_at_its_end_only() -> None:
    line = "The quay at dawn. " * 100_000 + "The ferry at noon. © Jo Ray/dpa"
    caption, credit = credit_of(line)
    assert credit == "Jo Ray/dpa" and caption.endswith("The ferry at noon.") and len(caption) > 1_000_000
    assert credit_of("x" * 2_000_000) == ("x" * 2_000_000, None)


def test_a_flattened_caption_with_its_credit_is_a_picture_and_not_body() -> None:
    body = [
        "The harbour council approved the plan on Tuesday after a long debate about the quay and the ferries.",
        "Residents had asked for the old warehouses to be kept, and the council agreed to keep two of them.",
        "Work on the new quay starts in the spring and should take about three years to finish, officials said.",
        "The ferry company said it would keep its timetable while the work goes on along the eastern pier.",
    ]
    lines = [
        "Harbour plan approved | The Courier",
        "Harbour plan approved",
        "By Ann Lee",
        body[0],
        "The old quay at dawn, seen from the eastern pier. © Jo Ray/dpa",
        *body[1:3],
        "Foto: Bo Chan/AFP",  # a picture credited without a caption
        body[3],
        "Foto: Jo Ray/dpa",  # the first picture's credit printed again
        "Most read",
        "Gulls over the breakwater",  # a caption, then its credit on the next line
        "Foto: Ann Lee/Reuters",
    ]
    article = broadsheet.extract("\n".join(lines), "https://courier.example/news/harbour-plan", kind="text")
    assert [(i.caption, i.credit) for i in article.images] == [
        ("The old quay at dawn, seen from the eastern pier.", "Jo Ray/dpa"),
        (None, "Bo Chan/AFP"),
        ("Gulls over the breakwater", "Ann Lee/Reuters"),
    ]
    assert "old quay at dawn" not in article.text
    assert all(paragraph in article.text for paragraph in body)


@pytest.mark.parametrize(
    ("first", "url", "site"),
    [
        # the <title>'s last part names the host: the site, though the headline before it recurs as a line
        ("Harbour plan: five ideas | Harbour Times", "https://www.harbourtimes.example/a", "Harbour Times"),
        (
            "Harbour plan: five ideas – The Harbour Times",
            "https://harbourtimes.example/a",
            "The Harbour Times",
        ),
        # no part names the host: the first words, when the page prints them again and they are no headline
        ("Island Post - Harbour plan: five ideas", "https://example.org/a", "Island Post"),
        ("Harbour plan: five ideas | Harbour Times", "https://example.org/a", None),
    ],
)
def test_the_site_name_of_a_flattened_page(first: str, url: str, site: str | None) -> None:
    lines = [first, "Harbour plan: five ideas", "Island Post", "The council voted on the plan on Tuesday."]
    assert _text_site_name([Candidate(t) for t in lines], url, "Harbour plan: five ideas") == site


def test_a_tags_heading_lists_the_tags_one_a_line() -> None:
    body = [
        "The harbour council approved the plan on Tuesday after a long debate about the quay and the ferries.",
        "Residents had asked for the old warehouses to be kept, and the council agreed to keep two of them.",
        "Work on the new quay starts in the spring and should take about three years to finish, officials said.",
    ]
    head = ["Harbour plan approved | The Courier", "Harbour plan approved", "By Ann Lee", *body]
    tags = ["Topics", "Harbour", "City council", "Ferries", "Share this article"]
    article = broadsheet.extract(
        "\n".join([*head, *tags]), "https://courier.example/news/harbour", kind="text"
    )
    assert article.tags == ["Harbour", "City council", "Ferries"]  # the share button ends the list
    # under the same heading, other stories' headlines are no tags
    teasers = [
        "Topics",
        "Ferry fares rise again as fuel costs climb for the third time this year",
        "Gulls return",
    ]
    article = broadsheet.extract(
        "\n".join([*head, *teasers]), "https://courier.example/news/harbour", kind="text"
    )
    assert article.tags == []
