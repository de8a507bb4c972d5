"""Dates as pages write them → ISO 8601 with the precision given; implausible dates refused."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from broadsheet.pipeline.dates import (
    date_from_url,
    day_first_for,
    find_date,
    is_plausible,
    parse_date,
    remove_dates,
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("JULY 13, 2020 08:49", "2020-07-13T08:49"),
        ("2020-07-13T08:49:00.000Z", "2020-07-13T08:49:00+00:00"),
        ("2020-07-13T08:49:00+0200", "2020-07-13T08:49:00+02:00"),
        ("Published 13 July 2020", "2020-07-13"),
        ("13. Juli 2020, 8.49 Uhr", "2020-07-13T08:49"),
        ("le 13 juillet 2020", "2020-07-13"),
        # Swedish, Norwegian, Danish and Czech (genitive) month names
        ("söndag 2 augusti 2020", "2020-08-02"),
        ("tirsdag 3. desember 2019", "2019-12-03"),
        ("4. marts 2021", "2021-03-04"),
        ("5. března 2022 10:15", "2022-03-05T10:15"),
        # Romanian and Indonesian month names
        ("duminică, 20 septembrie 2020 16:20", "2020-09-20T16:20"),
        ("5 Maret 2021", "2021-03-05"),
        # Arabic month names, Egyptian and Levantine ("Wednesday, 07 October 2020 - 12:09")
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07T12:09"),
        ("24 ابريل 2020", "2020-04-24"),
        ("3 آب 2021", "2021-08-03"),
        # Greek (with and without accents), Ukrainian and Finnish month names; Korean year-month-day
        ("19 Αυγούστου 2020 09:02", "2020-08-19T09:02"),
        ("19 ΑΥΓΟΥΣΤΟΥ 2020", "2020-08-19"),
        ("13 липня 2020", "2020-07-13"),
        ("13. heinäkuuta 2020", "2020-07-13"),
        ("입력 2020년 7월 13일 08:49", "2020-07-13T08:49"),
        ("13 de julio de 2020", "2020-07-13"),
        ("15 августа 2016, 13:43", "2016-08-15T13:43"),
        ("2020年7月13日 08:49", "2020-07-13T08:49"),
        ("13.07.2020", "2020-07-13"),
        ("Jul. 13 2020 at 8:49 pm EDT", "2020-07-13T20:49-04:00"),
        ("21. Jan 2022 // Dominik Ricker", "2022-01-21"),
    ],
)
def test_written_dates(text: str, iso: str) -> None:
    assert parse_date(text, not_after="2024-01-01") == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("19.10.19, 11:29 Uhr", "2019-10-19T11:29"),  # a two-digit year
        ("Party, 30.10.23", "2023-10-30"),
        ("lassú kilábalás 2020. 08. 18. 21:35", "2020-08-18"),  # spaced numbers
        ("by Jeffrey ZeldmanNovember 20, 2007", "2007-11-20"),  # a month glued to the word before it
        ("Mental HealthDECEMBER 22, 2022Updated: JANUARY 02, 2023", "2022-12-22"),  # the earliest wins
    ],
)
def test_loose_dates_of_flattened_text(text: str, iso: str) -> None:
    assert parse_date(text, not_after="2024-01-01", loose=True) == iso


@pytest.mark.parametrize("text", ["19.10.19, 11:29 Uhr", "by Jeffrey ZeldmanNovember 20, 2007"])
def test_loose_forms_are_read_only_when_asked(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize("text", ["version 1.2.3", "v2.10.15", "summary 5, 2020"])
def test_version_numbers_are_no_loose_dates(text: str) -> None:
    assert find_date(text, loose=True) is None


def test_a_two_digit_year_is_of_this_century_unless_that_is_to_come() -> None:
    assert parse_date("13.07.99", not_after="2024-01-01", loose=True) == "1999-07-13"
    assert parse_date("13.07.25", not_after="2024-01-01", loose=True) is None  # 2025: after the crawl


def test_ambiguous_slashes_follow_the_page_convention() -> None:
    assert parse_date("03/04/2020", not_after="2024-01-01") == "2020-03-04"  # month first by default
    assert parse_date("03/04/2020", not_after="2024-01-01", day_first=True) == "2020-04-03"
    assert parse_date("25/04/2020", not_after="2024-01-01") == "2020-04-25"  # impossible month: day first
    assert parse_date("03-09-2026", not_after="2026-12-31") == "2026-03-09"


@pytest.mark.parametrize(
    ("language", "url", "day_first"),
    [
        ("fr", None, True),
        ("de", "https://www.zeit.de/x", True),
        ("en", "https://www.bbc.co.uk/news/x", True),
        ("en", "https://www.abc.net.au/news/x", True),
        ("en", "https://www.nytimes.com/x", None),
        ("en", None, None),
        ("es", "https://example.us/x", False),
        (None, "https://www.lemonde.fr/x", True),
        (None, "https://startup.io/x", None),
    ],
)
def test_day_first_by_language_and_host(
    language: str | None, url: str | None, day_first: bool | None
) -> None:
    assert day_first_for(language, url) is day_first


def test_a_french_page_reads_slashes_day_first() -> None:
    text = (
        "Accueil Actualités\nLe conseil adopte le plan du port\nPublié le 06/01/2026 à 10:30\n"
        "Le conseil municipal a voté mardi pour adopter le plan, débattu pendant des mois par les habitants.\n"
        "« C'est un bon jour pour la ville », a déclaré le maire, qui soutenait le projet depuis le début.\n"
        "Les travaux du port commenceront au printemps et dureront trois ans, selon le calendrier de la mairie.\n"
        "Les opposants au projet ont annoncé qu'ils continueraient à se faire entendre lors des prochaines séances.\n"
    )
    from broadsheet import extract

    article = extract(text, "https://journal.example.fr/le-conseil-adopte-le-plan", kind="text")
    assert article.published == "2026-01-06T10:30"


def test_future_and_ancient_dates_are_refused() -> None:
    assert parse_date("2203-01-01", not_after="2024-03-10") is None
    assert parse_date("2024-03-12", not_after="2024-03-10") is None
    assert parse_date("2024-03-11", not_after="2024-03-10") == "2024-03-11"  # a day of time-zone slack
    assert parse_date("1899-05-01", not_after="2024-03-10") is None
    assert not is_plausible("2020-02-30")
    assert parse_date("February 30, 2020") is None


def test_remove_dates_leaves_the_rest() -> None:
    assert remove_dates("By Jane Doe | March 3, 2020 at 10:15 am", "|").split() == [
        "By",
        "Jane",
        "Doe",
        "|",
        "|",
    ]


def test_dates_in_urls() -> None:
    assert date_from_url("https://x.example/2020/07/13/story/") == "2020-07-13"
    assert date_from_url("https://x.example/news/story-2020-07-13.html") == "2020-07-13"
    assert date_from_url("https://x.example/a/20200713/story") == "2020-07-13"
    assert date_from_url("https://x.example/blog/2023/october/03/story/") == "2023-10-03"
    assert date_from_url("https://x.example/blog/2023/octopus/03/story/") is None
    assert date_from_url("https://x.example/a/120200713123/story") is None  # an id, not a date
    assert date_from_url("https://x.example/2030/01/01/story", not_after="2024-01-01") is None
    assert date_from_url(None) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
@example("2000/1/1")  # with the latest limit there is: a day added to 9999-12-31 overflowed
def test_any_text_gives_none_or_a_valid_iso_date(text: str) -> None:
    found = find_date(text)
    if found is not None:
        assert is_plausible(found[:10], not_after="9999-12-31") or found[:4] < "1990"
    parsed = parse_date(text, not_after="2024-03-10")
    assert parsed is None or "1990-01-01" <= parsed[:10] <= "2024-03-11"
