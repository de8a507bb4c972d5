"""The reading room's parts on their own: the attention chart, feeds, listings, settings, the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

pytest.importorskip("fastapi")

from broadsheet.archive import Summary
from broadsheet.errors import BroadsheetError
from broadsheet.web import WebSettings
from broadsheet.web.chart import attention_svg, bin_counts
from broadsheet.web.feeds import FeedInfo, atom, rss, xml_text
from broadsheet.web.pages import period_range
from broadsheet.web.server import free_port
from broadsheet.web.views import BadRequest, Listing
from webroom import archive_copy

ROOT = Path(__file__).resolve().parent.parent


# -- chart ----------------------------------------------------------------------------------------------


def test_bins_fill_gaps_and_widen_with_the_span() -> None:
    bins, unit = bin_counts([("2024-05-01", 2), ("2024-05-04", 1), ("not a day", 9)])
    assert unit == "day" and [b.count for b in bins] == [2, 0, 0, 1]
    bins, unit = bin_counts([("2024-01-01", 1), ("2024-12-30", 3)])
    assert unit == "week" and bins[0].start == "2024-01-01" and sum(b.count for b in bins) == 4
    assert all((b.start < b.end) for b in bins)
    bins, unit = bin_counts([("2020-02-15", 1), ("2024-02-29", 2), ("2024-03-01", 1)])
    assert unit == "month" and bins[0].start == "2020-02-01" and bins[-1].end == "2024-03-31"
    assert bins[-2].end == "2024-02-29" and bins[-2].count == 2
    assert bin_counts([]) == ([], "day")


def test_svg_is_accessible_and_escaped() -> None:
    bins, unit = bin_counts([("2024-05-01", 2), ("2024-05-02", 0), ("2024-05-03", 5)])
    svg = str(
        attention_svg(bins, unit, label='<b>"x"</b>', link=lambda b: f"/search?since={b.start}&until={b.end}")
    )
    root = etree.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == '<b>"x"</b>'
    links = root.findall("{http://www.w3.org/2000/svg}a")
    assert [a.get("href") for a in links] == [
        "/search?since=2024-05-01&until=2024-05-01",
        "/search?since=2024-05-03&until=2024-05-03",
    ]
    heights = [float(r.get("height") or 0) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert heights[2] > heights[0] > heights[1] == 0
    assert str(attention_svg([], "day", label="x")) == ""


# -- feeds ----------------------------------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from("<>&\"'\x00\x0b\ufffe"),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(title=_text, dek=st.none() | _text, author=_text, tag=_text, published=st.none() | _text)
def test_feeds_are_well_formed_whatever_the_text(
    title: str, dek: str | None, author: str, tag: str, published: str | None
) -> None:
    item = Summary(
        id=1,
        url="https://example.com/a?b=1&c=2",
        title=title,
        description=dek,
        site="Site & Co",
        section=tag,
        published=published,
        day=None,
        language="en",
        authors=[author],
        tags=[tag],
        image=None,
        cluster_id=None,
    )
    info = FeedInfo(f"feed {title}", "http://127.0.0.1/search?q=a&b", "http://127.0.0.1/feed.atom?q=a&b")
    for make in (rss, atom):
        root = etree.fromstring(make(info, [item], lambda s: f"http://127.0.0.1/article/{s.id}"))
        texts = [t for t in root.itertext()]
        assert (" ".join(xml_text(title).split()) or "(untitled)") in texts


def test_feed_dates() -> None:
    item = Summary(
        id=1,
        url=None,
        title="t",
        description=None,
        site=None,
        section=None,
        published="2024-05-01T10:30:00+02:00",
        day="2024-05-01",
        language=None,
        authors=[],
        tags=[],
        image=None,
        cluster_id=None,
    )
    channel = etree.fromstring(
        rss(FeedInfo("f", "http://h/", "http://h/f"), [item], lambda s: "http://h/a/1")
    )
    assert channel.findtext("channel/item/pubDate") == "Wed, 01 May 2024 10:30:00 +0200"
    feed = etree.fromstring(atom(FeedInfo("f", "http://h/", "http://h/f"), [item], lambda s: "http://h/a/1"))
    assert feed.findtext("{http://www.w3.org/2005/Atom}updated") == "2024-05-01T10:30:00+02:00"


# -- listings and settings ------------------------------------------------------------------------------


def test_listing_parameters() -> None:
    listing = Listing.of(
        {"q": " harbour ", "site": "", "since": "2024-05-01T10:00", "page": "2", "junk": "x"}
    )
    assert (
        listing.q == "harbour"
        and listing.site is None
        and listing.since == "2024-05-01"
        and listing.page == 2
    )
    assert listing.filters == {"since": "2024-05-01"}
    assert listing.query_string() == "q=harbour&since=2024-05-01&page=2"
    assert listing.query_string(page=None, since=None, tag="a b") == "q=harbour&tag=a+b"
    assert listing.describe() == "“harbour” since 2024-05-01"
    assert Listing.of({}, tag="x").filters == {"tag": "x"}
    for bad in ({"page": "two"}, {"page": "-1"}, {"until": "31/12/2024"}, {"q": "x" * 201}):
        with pytest.raises(BadRequest):
            Listing.of(bad)


def test_archive_periods() -> None:
    assert period_range("2024") == ("2024-01-01", "2024-12-31")
    assert period_range("2024-02") == ("2024-02-01", "2024-02-29")
    assert period_range("2023-12-31") == ("2023-12-31", "2023-12-31")


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROADSHEET_WEB_TOKEN", "a-long-enough-token")
    monkeypatch.setenv("BROADSHEET_WEB_ALLOWED_NETWORKS", "10.0.0.0/8, 127.0.0.1/32")
    monkeypatch.setenv("BROADSHEET_WEB_MAX_BODY", "5000")
    monkeypatch.setenv("BROADSHEET_WEB_SMTP_STARTTLS", "yes")
    s = WebSettings.from_env(archive="x.db", max_body=None)
    assert s.writable and s.allowed_networks == ("10.0.0.0/8", "127.0.0.1/32") and s.max_body == 5000
    assert s.smtp_starttls and s.state_path == Path("x.web").with_name("x.db.web")
    with pytest.raises(BroadsheetError, match="not a network"):
        WebSettings(allowed_networks=("intranet",))
    with pytest.raises(BroadsheetError, match="--state"):
        _ = WebSettings(archive="postgresql://db/news").state_path
    assert WebSettings.hosts_for("0.0.0.0") == ("*",)
    assert "192.168.1.5" in WebSettings.hosts_for("192.168.1.5")


# -- the commands ---------------------------------------------------------------------------------------


def test_serve_and_digest_have_help() -> None:
    for command in ("serve", "digest"):
        out = subprocess.run(
            [sys.executable, "-m", "broadsheet.cli", command, "--help"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            check=True,
        )
        assert "--archive" in out.stdout


def test_serve_refuses_a_missing_archive(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "broadsheet.cli", "serve", "--archive", str(tmp_path / "no.db")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=60,
    )
    assert out.returncode == 2 and "no such archive" in out.stderr


def test_serve_command_serves(tmp_path: Path) -> None:
    path = archive_copy(tmp_path)
    port = free_port()
    token = tmp_path / "token"
    token.write_text("a-token-of-sufficient-length\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "broadsheet.cli",
            "serve",
            "--archive",
            str(path),
            "--port",
            str(port),
            "--quiet",
            "--token-file",
            str(token),
        ],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert response.status_code == 200 and "broadsheet" in response.text
        saved = httpx.post(
            f"http://127.0.0.1:{port}/api/searches",
            json={"name": "n", "q": "harbour"},
            headers={"Authorization": "Bearer a-token-of-sufficient-length"},
        )
        assert saved.status_code == 201
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert "writes need the token" in err
    assert (tmp_path / "news.db.web").exists()


def test_aggregates_are_cached_served_stale_and_refreshed(tmp_path: Path) -> None:
    from broadsheet.archive import Archive
    from broadsheet.web.state import WebState
    from broadsheet.web.views import Reading

    path = archive_copy(tmp_path)
    room = Reading(Archive(path, readonly=True), WebState(tmp_path / "state"), WebSettings(archive=str(path)))
    calls: list[int] = []

    def make() -> int:
        calls.append(1)
        return len(calls)

    try:
        assert room._cached("k", 60, make) == 1 and room._cached("k", 60, make) == 1 and len(calls) == 1
        time.sleep(0.05)
        assert room._cached("k", 0.01, make) == 1  # stale: served at once, refreshed aside
        deadline = time.monotonic() + 5
        while room._cached("k", 60, make) != 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert room._cached("k", 60, make) == 2 and len(calls) == 2
        room.invalidate()
        assert room._cached("k", 60, make) == 3
        assert room.total() == room.archive.count()
    finally:
        room.close()


def test_a_standfirst_the_body_opens_with_is_shown_once() -> None:
    from broadsheet.article import Article
    from broadsheet.web.sanitize import dek_in_body

    dek = "The plan was years in the making, and residents have until spring to comment."
    kept = Article(title="Plan", description=dek, text=f"{dek}\n\nThe vote on Tuesday ended the hearings.")
    apart = Article(title="Plan", description=dek, text="The vote on Tuesday ended the hearings.")
    assert dek_in_body(kept) and not dek_in_body(apart)
    assert not dek_in_body(Article(title="Plan", text=f"{dek}\n\nMore."))  # no description at all
