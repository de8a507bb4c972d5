"""The one credit recogniser the figures and body stages share (``pipeline.credits``)."""

from __future__ import annotations

import pytest

from broadsheet.pipeline.credits import agency_credit, all_credit, is_credit_line, names_someone


@pytest.mark.parametrize(
    "text",
    [
        "Mike Marsland/Getty Images",
        "David M. Benett/Getty Images",
        "Tim P. Whitby/Stringer/Getty Images",
        "(Quelle: APA/sda/dpa)",
        "(Bild: Dieter Stork)",
        "Photo: AFP",
        "Foto [M]: Jane Doe",
        "Images: Jane Doe",
        "Bilder: Jane Doe",
        "© dpa | Kay Nietfeld",
        "Beitragsbild: Stadt Ulm",
        "Crédit photo : KB / Bondy Blog",
        "Crédits photos : Bestimage",
        "Shutterstock",
        "EPA",
        "(NTB)",
        "Pool via REUTERS",
        "Courtesy of Forests News",
    ],
)
def test_a_line_that_is_only_a_credit_is_one(text: str) -> None:
    assert is_credit_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "Low-Code/No-Code Development Costs",  # a heading: names by slashes name no agency
        "A/B Testing",
        "Sensitivity: 25mV/Pa",  # "Pa" is a unit here, not the agency PA
        "Video: 4K/30p with no crop",  # a specification, not a credit
        "Source: Bureau of Labor Statistics",  # a chart's source, no agency named
        "Shutterstock's New Generative AI Tool Will Pay Artists",
        "Foto: Die Feuerwehr rückte am Morgen aus. Zwei Menschen wurden verletzt.",
        "© 2024 is the year the council quoted in its own report, the mayor said on Monday, twice over.",
    ],
)
def test_a_heading_a_unit_or_a_sentence_is_no_credit_line(text: str) -> None:
    assert not is_credit_line(text)


def test_a_caption_may_be_names_by_slashes_a_body_line_not() -> None:
    assert all_credit("Jane Doe/Instagram") and not agency_credit("Jane Doe/Instagram")
    assert not is_credit_line("Jane Doe/Instagram")


def test_a_credit_line_leaves_the_flattened_body_as_the_html_one() -> None:
    import random

    import broadsheet
    from broadsheet.synthetic import make_story

    story = make_story(random.Random(12), 89)
    paras = story.paragraphs
    page = "\n".join([story.headline, *paras[:2], "Mike Marsland/Getty Images", *paras[2:]])
    article = broadsheet.extract(page, kind="text")
    assert "Marsland" not in article.text and paras[2] in article.text


@pytest.mark.parametrize(
    "text", ["13/03", "31.01.2022", "26.10.2025 | 2:43 min", "14:05 Uhr", "$299.99", "5.0", "℃"]
)
def test_dates_running_times_prices_and_scores_name_no_one(text: str) -> None:
    assert not names_someone(text)


@pytest.mark.parametrize("text", ["AP", "dpa", "연합뉴스", "Jane Doe 2020", "Reuters/John Doe", "EFE"])
def test_credits_with_a_name_name_someone(text: str) -> None:
    assert names_someone(text)
