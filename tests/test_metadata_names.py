"""The shared normalisers: bylines into names, names into normal case, tag lines into tags."""

from __future__ import annotations

import pytest

from broadsheet.pipeline.metadata import is_name, normalise_name, split_authors, split_tags


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By SETH J. FRANTZMAN", ["Seth J. Frantzman"]),
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("Von Anna Müller und Max Mustermann", ["Anna Müller", "Max Mustermann"]),
        ("Jane Doe, Senior Reporter", ["Jane Doe"]),
        ("Jane Doe Senior Reporter", ["Jane Doe"]),
        ("Posted by Jane Doe on March 3, 2020", ["Jane Doe"]),
        ("View all posts by Jane Doe", ["Jane Doe"]),
        ("Jane Doe | Email the author | Follow on Twitter", ["Jane Doe"]),
        ("Reuters", ["Reuters"]),
        ("dpa", ["dpa"]),
        ("JPost Editorial", ["JPost Editorial"]),
        ("MND Staff", ["MND Staff"]),
        ("Staff", []),
        ("Elena Oberholzer (obe), Oliver Maksan (oma)", ["Elena Oberholzer", "Oliver Maksan"]),
        ("Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("This story was written by our team of experts.", []),
        ("https://example.com/author/jane", []),
        ("12:45", []),
        ("Von BR24 Redaktion", ["BR24 Redaktion"]),
        ("Posted 24 7 news", []),
        ("신현주 기자", ["신현주"]),
        # given names that are also function words; the same words inside a sentence still end it
        ("By Will Judd and Can Dündar", ["Will Judd", "Can Dündar"]),
        ("Will Judd will return next week", []),
        # degrees after a name; a part that starts with one is a degree and an affiliation
        ("By Jane Doe, MA Harbour Health News", ["Jane Doe"]),
        ("Jane Doe, PhD, and John Roe M.D.", ["Jane Doe", "John Roe"]),
        ("Ma Jun", ["Ma Jun"]),
        # "Last updated" after the byline is a date label, not a surname
        ("Jane Doe Last Updated: 7 March 2024", ["Jane Doe"]),
        ("Last updated", []),
        ("Alle Artikel von Anna Müller", ["Anna Müller"]),
        # a beat and a role is no name; a newsroom credit is kept
        ("Jane Doe | Games Editor", ["Jane Doe"]),
        ("Harbour Staff", ["Harbour Staff"]),
        ("© Jane Doe", ["Jane Doe"]),
        ("Publiziert am", []),
        ("Sponsored", []),
        ("Jane Doe Sponsored", ["Jane Doe"]),
        # Chinese names joined by the enumeration comma, after an editor's label
        ("责编：王小明、李华", ["王小明", "李华"]),
        # credits for other work than the writing end the byline
        ("By Jane Doe. Reviewed by John Roe, MD", ["Jane Doe"]),
        ("Written by Jane Doe | Edited by John Roe", ["Jane Doe"]),
        ("Revised Edition Edited by John Roe", []),
        ("Editor: John Roe", []),
        ("Jane Doe, CEPF®", ["Jane Doe"]),
        # after a name, words that end in a role are the name's title
        ("Jane Doe, Privacy and Digital Security Expert", ["Jane Doe"]),
        ("Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        # quotation marks around a name are no part of it
        ('"Jane Doe"', ["Jane Doe"]),
        ("„Anna Müller“", ["Anna Müller"]),
        # the section or the place after the name ("in Politics", "in Valencia", a category link left empty)
        ("By Jane Doe in Politics", ["Jane Doe"]),
        ("Sam Jones in Madrid and John Smith in Rome", ["Sam Jones", "John Smith"]),
        ("Von Hans Meier im Ressort Wirtschaft", ["Hans Meier"]),
        ("By Jane Doe In", ["Jane Doe"]),
        ("Park In Soo", ["Park In Soo"]),
        ("Projektleiterin der Stiftung im Bereich Bildung", []),
        # a CMS's default account posted it: no writer is named ("Linc Admin": the account of a user called Linc)
        ("admin", []),
        ("By Super User", []),
        ("Posted by Webmaster", []),
        ("publisher", []),
        ("Linc Admin", ["Linc"]),
    ],
)
def test_split_authors(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


def test_lone_words_beside_names_are_not_names() -> None:
    # a dateline place or a widget label next to a name is not a second author
    assert split_authors("Jane Doe, Frankfurt") == ["Jane Doe"]
    # but a byline that is one word is taken as given (blogs sign with first names and handles)
    assert split_authors("Heiko") == ["Heiko"]
    assert split_authors("freeman1984", strict=False) == ["freeman1984"]


def test_is_name() -> None:
    assert is_name("Jane Doe") and is_name("Mary-Jane O'Neil") and is_name("신현주")
    assert not is_name("The council met on Tuesday")
    assert not is_name("Senior Reporter")
    assert not is_name("A" * 80)


def test_family_names_spelled_like_function_words_end_a_name() -> None:
    # "das", "will", "can" are function words in German and English, and family names at a name's end
    assert is_name("Mahua Das") and is_name("George Will") and is_name("Mert Can")
    assert split_authors("By Rahul Das and George Will") == ["Rahul Das", "George Will"]
    # not where the word opens the text, nor in a lower-case phrase
    assert not is_name("Das Kapital") and not is_name("This Will") and not is_name("Rahul das")
    # nor after a pronoun: a title-case widget label ("Everyone Can", "Someone Will") names no one
    assert not is_name("Everyone Can") and not is_name("Someone Will") and not is_name("Nadie Can")


def test_a_middle_initial_a_is_no_article() -> None:
    # "A." is an initial: the article "a" in a name-like line still tells a phrase from a name
    assert is_name("Miguel A. Herguedas") and is_name("A. Smith")
    assert split_authors("Por Miguel A. Herguedas") == ["Miguel A. Herguedas"]
    assert not is_name("Life Is A Journey") and not is_name("A Tale Of Two Cities") and not is_name("A. M.")


def test_credits_for_other_work_in_german_and_french_are_no_writers() -> None:
    assert split_authors("Christian Seiler, Illustration von Markus Roost") == ["Christian Seiler"]
    assert split_authors("Nenad Stojkovic, Übersetzung Sarah-Indra Jungblut") == ["Nenad Stojkovic"]
    assert split_authors("Par Jean Dupont, photos de Marie Curie") == ["Jean Dupont"]


def test_a_placeholder_where_no_writer_was_entered_names_nobody() -> None:
    # a CMS prints "No Author" or "Unknown" in the author meta: "Author" is cut as a label, "No" is no name
    for placeholder in ("No Author", "Unknown", "N/A", "kein Autor", "none"):
        assert split_authors(placeholder) == [] and split_authors(placeholder, strict=False) == []
    assert split_authors("Noah Unknown-Smith") == ["Noah Unknown-Smith"]


def test_a_button_alone_is_no_name() -> None:
    # ... and a listing's filter heading ("By Role", "By Industry") or "Recent Posts" without its noun
    for label in ("Next", "Home", "Artikel", "Share", "mehr", "Recent", "Role", "Industry", "Nächste"):
        assert not is_name(label, strict=False)
    assert is_name("Jules") and is_name("Madonna", strict=False)


def test_normalise_name_keeps_organisations_as_written() -> None:
    assert normalise_name("JOHN MCDONALD") == "John McDonald"
    assert normalise_name("Jane McDonald-Smith") == "Jane McDonald-Smith"
    assert normalise_name("AFP") == "AFP"
    assert normalise_name("By Jane Doe") == "Jane Doe"


def test_split_tags_keeps_multi_word_tags_whole() -> None:
    assert split_tags("Iran, United States, Middle East") == ["Iran", "United States", "Middle East"]
    assert split_tags("Iran United States Military") == ["Iran", "United States", "Military"]
