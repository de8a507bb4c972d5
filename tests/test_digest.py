"""The daily digest: saved searches → new articles → HTML and text → a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="the digest tests need aiosmtpd (test extra)")

from broadsheet.archive import Archive  # noqa: E402
from broadsheet.cli import main  # noqa: E402
from broadsheet.web import WebSettings  # noqa: E402
from broadsheet.web.digest import build_digests, render_html, render_text, window  # noqa: E402
from broadsheet.web.server import free_port  # noqa: E402
from broadsheet.web.state import SavedSearch, WebState  # noqa: E402
from webroom import archive_copy  # noqa: E402


@dataclass
class Inbox:
    """What the SMTP server received: (envelope sender, recipients, parsed message)."""

    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[attr-defined]
        assert isinstance(message, EmailMessage)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def room(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """An archive, its web state with saved searches, and a two-day window with matching articles."""
    path = archive_copy(tmp_path)
    with Archive(path, readonly=True) as archive:
        days = sorted({d for d, _ in archive.counts_by_day("harbour OR quay")})
        since, until = days[0], days[len(days) // 2]
    state = WebState(tmp_path / "news.db.web")
    state.save_search("Harbour", "harbour OR quay", {}, "reader@example.org")
    state.save_search("Politics", "", {"section": "Politics"}, "reader@example.org")
    state.save_search("Unaddressed", "council", {})
    state.close()
    return path, tmp_path / "news.db.web", since, until


def test_digest_is_mailed_through_smtp(room: tuple[Path, Path, str, str], smtp: tuple[Inbox, int]) -> None:
    path, state_path, since, until = room
    inbox, port = smtp
    code = main(
        [
            "digest",
            "--archive",
            str(path),
            "--since",
            since,
            "--until",
            until,
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(port),
            "--base-url",
            "http://news.local:8000",
        ]
    )
    assert code == 0
    assert len(inbox.messages) == 1, "one message per recipient; the unaddressed search is not mailed"
    sender, recipients, message = inbox.messages[0]
    assert recipients == ["reader@example.org"] and message["To"] == "reader@example.org"
    assert sender == "broadsheet@localhost"
    with Archive(path, readonly=True) as archive:
        harbour = archive.count("harbour OR quay", since=since, until=until)
        politics = archive.count(section="Politics", since=since, until=until)
        titles = [s.title for s in archive.search("harbour OR quay", limit=50, since=since, until=until)]
    assert message["Subject"].endswith(f"{harbour + politics} new articles")
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"Harbour: {harbour} new" in html and f"== Harbour ({harbour} new" in text
    for title in titles:
        assert (title or "") in text
    assert "http://news.local:8000/article/" in html and "http://news.local:8000/article/" in text
    assert "<script" not in html, "article text is escaped in the mail too"
    state = WebState(state_path)
    assert {s.name: s.last_sent for s in state.searches()} == {
        "Harbour": until,
        "Politics": until,
        "Unaddressed": None,
    }


def test_default_window_follows_the_last_digest() -> None:
    today = date(2024, 6, 10)
    fresh = SavedSearch(1, "a", "x")
    assert window(fresh, today, None, None) == ("2024-06-09", "2024-06-09")
    sent = SavedSearch(1, "a", "x", last_sent="2024-06-05")
    assert window(sent, today, None, None) == ("2024-06-06", "2024-06-09")
    assert window(sent, today, "2024-01-01", "2024-01-31") == ("2024-01-01", "2024-01-31")


def test_nothing_new_after_a_digest(room: tuple[Path, Path, str, str]) -> None:
    path, state_path, since, until = room
    state = WebState(state_path)
    with Archive(path, readonly=True) as archive:
        first = build_digests(archive, state, since=since, until=until)
        assert {d.recipient for d in first} == {"reader@example.org", None}
        for search in state.searches():
            state.mark_sent(search.id, until)
        # the next day's run starts after ``until``: nothing published since then in this window
        later = build_digests(archive, state, until=until, today=date.fromisoformat(until))
    assert later == []


def test_digest_written_to_files_without_smtp(
    room: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, since, until = room
    out = tmp_path / "out"
    assert (
        main(["digest", "--archive", str(path), "--since", since, "--until", until, "--out", str(out)]) == 0
    )
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "digest-reader@example.org.html",
        "digest-reader@example.org.txt",
        "digest-unaddressed.html",
        "digest-unaddressed.txt",
    ]
    assert "<!doctype html>" in (out / "digest-unaddressed.html").read_text()
    assert main(["digest", "--archive", str(path), "--since", since, "--until", until]) == 0
    assert "== Unaddressed" in capsys.readouterr().out


def test_smtp_failure_is_a_clear_error(
    room: tuple[Path, Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, since, until = room
    code = main(
        [
            "digest",
            "--archive",
            str(path),
            "--since",
            since,
            "--until",
            until,
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(free_port()),
        ]
    )
    assert code == 2
    assert "cannot send the digest through 127.0.0.1" in capsys.readouterr().err


def test_rendering_escapes_untrusted_text(room: tuple[Path, Path, str, str]) -> None:
    path, state_path, _, _ = room
    state = WebState(state_path)
    state.save_search("Quay", "quay", {}, "x@example.org")
    with Archive(path, readonly=True) as archive:
        digests = build_digests(archive, state, since="2024-05-03", until="2024-05-03", searches=[4])
    assert len(digests) == 1 and digests[0].sections[0].items[0].title.startswith("<script>")  # type: ignore[union-attr]
    settings = WebSettings()
    html = render_html(digests[0], settings)
    assert "<script>" not in html and "&lt;script&gt;window.__pwned=24" in html
    assert "<script>window.__pwned=24" in render_text(digests[0], settings)  # plain text is plain text
