"""The reading room: a server-rendered web app, JSON API, feeds and a daily digest over an archive.

    settings.py   one settings record (CLI and BROADSHEET_WEB_* variables)
    app.py        the ASGI app: archive and state opened once, security layers around every route
    pages.py      HTML pages; api.py: the same data as JSON (OpenAPI at /api/openapi.json)
    views.py      what each page shows, asked of the archive once for both
    feeds.py      RSS and Atom; chart.py: attention over time as SVG; digest.py: saved searches by mail
    security.py   CSP and headers, body limits, write token, SSRF check; sanitize.py: the nh3 allow-list
    state.py      saved searches, followed feeds, view counts (a SQLite file beside the archive)

Needs the ``web`` extra (FastAPI, Jinja2, nh3, uvicorn): ``pip install 'broadsheet[web]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import MissingExtra
from .settings import WebSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["WebSettings", "create_app", "serve"]


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The reading room as an ASGI app (FastAPI)."""
    try:
        from .app import create_app as make
    except ImportError as exc:
        raise MissingExtra("web", f"the reading room ({exc.name} is missing)") from exc
    return make(settings)


def serve(settings: WebSettings, host: str = "127.0.0.1", port: int = 8000, **uvicorn_options: Any) -> None:
    """Serve the reading room with uvicorn until interrupted."""
    try:
        from .server import serve as run
    except ImportError as exc:
        raise MissingExtra("web", f"broadsheet serve ({exc.name} is missing)") from exc
    run(settings, host, port, **uvicorn_options)
