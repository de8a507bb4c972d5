"""Dates as pages write them → ISO 8601 with the precision given; implausible dates refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.pipeline.dates import date_from_url, find_date, is_plausible, parse_date, remove_dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("JULY 13, 2020 08:49", "2020-07-13T08:49"),
        ("2020-07-13T08:49:00.000Z", "2020-07-13T08:49:00+00:00"),
        ("2020-07-13T08:49:00+0200", "2020-07-13T08:49:00+02:00"),
        ("Published 13 July 2020", "2020-07-13"),
        ("13. Juli 2020, 8.49 Uhr", "2020-07-13T08:49"),
        ("le 13 juillet 2020", "2020-07-13"),
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


def test_ambiguous_slashes_follow_the_page_convention() -> None:
    assert parse_date("03/04/2020", not_after="2024-01-01") == "2020-03-04"  # month first by default
    assert parse_date("03/04/2020", not_after="2024-01-01", day_first=True) == "2020-04-03"
    assert parse_date("25/04/2020", not_after="2024-01-01") == "2020-04-25"  # impossible month: day first
    assert parse_date("03-09-2026", not_after="2026-12-31") == "2026-03-09"


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
    assert date_from_url("https://x.example/a/120200713123/story") is None  # an id, not a date
    assert date_from_url("https://x.example/2030/01/01/story", not_after="2024-01-01") is None
    assert date_from_url(None) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_none_or_a_valid_iso_date(text: str) -> None:
    found = find_date(text)
    if found is not None:
        assert is_plausible(found[:10], not_after="9999-12-31") or found[:4] < "1990"
    parsed = parse_date(text, not_after="2024-03-10")
    assert parsed is None or "1990-01-01" <= parsed[:10] <= "2024-03-11"
