"""The ``serve`` and ``digest`` commands: thin shells over ``broadsheet.web``. Importing this module
needs no web dependency, so ``broadsheet --help`` works without the ``web`` extra."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import BroadsheetError
from .settings import WebSettings

__all__ = ["register"]


def _token(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise BroadsheetError(f"cannot read the token file {path}: {exc.strerror}") from None


def _settings(args: argparse.Namespace, **extra: object) -> WebSettings:
    return WebSettings.from_env(
        archive=args.archive, state=args.state, token=_token(getattr(args, "token_file", None)), **extra
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from . import serve

    settings = _settings(
        args,
        allow_private=args.allow_private or None,
        allowed_networks=tuple(args.allowed_network) or None,
        allowed_hosts=tuple(args.allowed_host) or WebSettings.hosts_for(args.host),
        remote_images=False if args.no_remote_images else None,
        base_url=f"http://{args.host}:{args.port}",
    )
    mode = "writes need the token" if settings.writable else "read-only"
    print(
        f"broadsheet: serving {settings.archive} on http://{args.host}:{args.port}/ ({mode})", file=sys.stderr
    )
    serve(settings, args.host, args.port, log_level="warning" if args.quiet else "info")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from ..archive import Archive
    from .digest import build_digests, render_text, send_digests, write_digests
    from .state import WebState

    settings = _settings(args, base_url=args.base_url, smtp_host=args.smtp_host, smtp_port=args.smtp_port)
    state = WebState(settings.state_path)
    with Archive(settings.archive, readonly=True) as archive:
        digests = build_digests(
            archive, state, since=args.since, until=args.until, searches=args.search or None
        )
    if not digests:
        print("broadsheet: nothing new for any saved search", file=sys.stderr)
        return 0
    if args.out:
        for path in write_digests(digests, settings, Path(args.out)):
            print(path)
    if settings.smtp_host and not args.dry_run:
        sent = send_digests(digests, settings, state)
        print(
            f"broadsheet: sent {sent} digest(s) through {settings.smtp_host}:{settings.smtp_port}",
            file=sys.stderr,
        )
    elif not args.out:
        for digest in digests:
            sys.stdout.write(render_text(digest, settings) + "\n")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` and ``digest`` to the ``broadsheet`` command."""
    default_archive = os.environ.get("BROADSHEET_ARCHIVE", "broadsheet.db")

    p = sub.add_parser(
        "serve",
        help="serve the archive as a web reading room (pages, JSON API, feeds)",
        description="Serve an archive over HTTP. Read-only unless a write token is given "
        "(--token-file or BROADSHEET_WEB_TOKEN).",
    )
    p.add_argument("--archive", default=default_archive, help="archive file or URL (default: %(default)s)")
    p.add_argument("--state", help="the web state file (saved searches, feeds, views); default: ARCHIVE.web")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    p.add_argument("--token-file", help="file holding the write token (at least 16 characters)")
    p.add_argument(
        "--allow-private",
        action="store_true",
        help="let writes fetch private and loopback addresses (turns the SSRF guard off)",
    )
    p.add_argument(
        "--allowed-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="let writes fetch this network only, e.g. 10.1.0.0/16 (repeatable)",
    )
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="Host header to answer (repeatable; default: loopback names and --host)",
    )
    p.add_argument(
        "--no-remote-images", action="store_true", help="do not load article images from their sites"
    )
    p.add_argument("--quiet", action="store_true", help="log warnings only")
    p.set_defaults(func=cmd_serve)

    d = sub.add_parser(
        "digest",
        help="mail (or write) each saved search's new articles",
        description="Build the daily digest of the saved searches. Sends it by SMTP when a server is "
        "configured (--smtp-host or BROADSHEET_WEB_SMTP_HOST), otherwise prints it or writes --out.",
    )
    d.add_argument("--archive", default=default_archive, help="archive file or URL (default: %(default)s)")
    d.add_argument("--state", help="the web state file (default: ARCHIVE.web)")
    d.add_argument("--since", help="first day (YYYY-MM-DD); default: the day after each search's last digest")
    d.add_argument("--until", help="last day (YYYY-MM-DD); default: yesterday")
    d.add_argument(
        "--search", type=int, action="append", metavar="ID", help="only this saved search (repeatable)"
    )
    d.add_argument("--out", metavar="DIR", help="write each digest as HTML and text into DIR")
    d.add_argument("--base-url", help="where the reading room is, for links (default: http://127.0.0.1:8000)")
    d.add_argument("--smtp-host", help="SMTP server to send through")
    d.add_argument("--smtp-port", type=int, help="SMTP port (default: 25)")
    d.add_argument("--dry-run", action="store_true", help="do not send, even when SMTP is configured")
    d.set_defaults(func=cmd_digest)
