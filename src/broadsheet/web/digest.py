"""The daily digest: each saved search's new articles, one message per recipient, as HTML and text.

"New" means published in the window: by default the days after the search's last digest up to
yesterday (whole days only, so an article published late in the day is not missed), or yesterday for
a search never sent. The messages go out by SMTP when a server is configured; otherwise they are
written to files or shown.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlencode

from ..archive import Archive, Summary
from ..errors import BroadsheetError
from .settings import WebSettings
from .state import SavedSearch, WebState
from .templating import environment

__all__ = ["Digest", "DigestSection", "build_digests", "render_html", "render_text", "send_digests", "window"]

_PER_SEARCH = 50


@dataclass(slots=True)
class DigestSection:
    """One saved search's new articles (the first ``_PER_SEARCH`` of ``total``)."""

    search: SavedSearch
    since: str
    until: str
    items: list[Summary]
    total: int


@dataclass(slots=True)
class Digest:
    """What one recipient receives (``recipient`` None: searches with no address, for files or preview)."""

    recipient: str | None
    sections: list[DigestSection] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    @property
    def subject(self) -> str:
        days = sorted({s.since for s in self.sections} | {s.until for s in self.sections})
        span = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
        return f"broadsheet digest, {span}: {self.total} new article{'s' if self.total != 1 else ''}"


def window(search: SavedSearch, today: date, since: str | None, until: str | None) -> tuple[str, str]:
    """The days a search's digest covers: given, or from the day after its last digest to yesterday."""
    end = until or (today - timedelta(days=1)).isoformat()
    if since:
        return since, end
    if search.last_sent:
        return (date.fromisoformat(search.last_sent) + timedelta(days=1)).isoformat(), end
    return end, end


def build_digests(
    archive: Archive,
    state: WebState,
    *,
    since: str | None = None,
    until: str | None = None,
    searches: list[int] | None = None,
    today: date | None = None,
) -> list[Digest]:
    """The digests due: one per recipient, each with a section per saved search that has new articles."""
    today = today or date.today()
    by_recipient: dict[str | None, Digest] = {}
    for search in state.searches():
        if searches and search.id not in searches:
            continue
        start, end = window(search, today, since, until)
        if start > end:
            continue
        filters = {
            **search.filters,
            "since": max(start, search.filters.get("since", start)),
            "until": min(end, search.filters.get("until", end)),
        }
        total = archive.count(search.query, **filters)
        if not total:
            continue
        items = archive.search(search.query, limit=_PER_SEARCH, **filters)  # type: ignore[arg-type]
        if search.query:  # newest first reads better in a digest than relevance
            items.sort(key=lambda s: s.published or "", reverse=True)
        digest = by_recipient.setdefault(search.email, Digest(search.email))
        digest.sections.append(DigestSection(search, start, end, items, total))
    return list(by_recipient.values())


def _search_link(base: str, section: DigestSection) -> str:
    params = {
        "q": section.search.query,
        **section.search.filters,
        "since": section.since,
        "until": section.until,
    }
    return f"{base}/search?{urlencode({k: v for k, v in params.items() if v})}"


def render_html(digest: Digest, settings: WebSettings) -> str:
    """A standalone HTML message (styles in the head: mail readers do not load stylesheets)."""
    base = settings.base_url.rstrip("/")
    return (
        environment()
        .get_template("digest_email.html")
        .render(digest=digest, base=base, search_link=lambda s: _search_link(base, s))
    )


def render_text(digest: Digest, settings: WebSettings) -> str:
    """The plain-text alternative of the same message."""
    base = settings.base_url.rstrip("/")
    lines = [digest.subject, ""]
    for section in digest.sections:
        lines += [f"== {section.search.name} ({section.total} new, {section.since} to {section.until}) =="]
        for item in section.items:
            lines.append(f"- {item.title or '(untitled)'}")
            meta = " · ".join(
                x for x in (item.site, (item.published or "")[:10], ", ".join(item.authors)) if x
            )
            if meta:
                lines.append(f"  {meta}")
            lines.append(f"  {base}/article/{item.id}")
        if section.total > len(section.items):
            lines.append(f"  … and {section.total - len(section.items)} more: {_search_link(base, section)}")
        lines.append("")
    return "\n".join(lines)


def message(digest: Digest, settings: WebSettings) -> EmailMessage:
    if not digest.recipient:
        raise BroadsheetError("a digest without a recipient cannot be mailed")
    msg = EmailMessage()
    msg["Subject"] = digest.subject
    msg["From"] = settings.smtp_from
    msg["To"] = digest.recipient
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or "localhost")
    msg.set_content(render_text(digest, settings))
    msg.add_alternative(render_html(digest, settings), subtype="html")
    return msg


def send_digests(digests: list[Digest], settings: WebSettings, state: WebState) -> int:
    """Mail every digest that has a recipient over one SMTP connection; marks its searches sent."""
    if not settings.smtp_host:
        raise BroadsheetError("no SMTP server configured: set BROADSHEET_WEB_SMTP_HOST or --smtp-host")
    due = [d for d in digests if d.recipient]
    if not due:
        return 0
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            for digest in due:
                smtp.send_message(message(digest, settings))
                for section in digest.sections:
                    state.mark_sent(section.search.id, section.until)
    except (smtplib.SMTPException, OSError) as exc:
        raise BroadsheetError(
            f"cannot send the digest through {settings.smtp_host}:{settings.smtp_port}: {exc}"
        ) from exc
    return len(due)


def write_digests(digests: list[Digest], settings: WebSettings, folder: Path) -> list[Path]:
    """Each digest as ``<recipient>.html`` and ``.txt`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for digest in digests:
        stem = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in (digest.recipient or "unaddressed"))
        for suffix, text in (
            (".html", render_html(digest, settings)),
            (".txt", render_text(digest, settings)),
        ):
            path = folder / f"digest-{stem}{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
