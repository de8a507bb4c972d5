"""The ASGI application: the archive and the web state opened once, pages, API and feeds mounted,
and the security layers wrapped around everything (outermost first):

    SecurityHeaders → ServerTiming → TrustedHost → body limit → routes (pages, /api, feeds, /static)
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..archive import Archive
from ..errors import ArchiveError, BroadsheetError
from .security import Forbidden, SecurityHeaders, TargetRefused, security_headers
from .settings import WebSettings
from .state import WebState
from .templating import environment
from .views import BadRequest, NotFound, Reading

__all__ = ["STATIC", "create_app", "render"]

STATIC = Path(__file__).parent / "static"
#: A crash is shown without templates: they may be what failed.
_CRASH_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error 500 · broadsheet</title>'
    '<link rel="stylesheet" href="/static/style.css"></head><body><main id="main"><h1>Something went wrong</h1>'
    '<p>The error is in the server\'s log.</p><p><a href="/">Back to the front page</a></p></main></body></html>'
)
_STATUS: list[tuple[type[BroadsheetError], int]] = [
    (NotFound, 404),
    (BadRequest, 400),
    (Forbidden, 403),
    (TargetRefused, 403),
    (ArchiveError, 503),
]


class ServerTiming:
    """Reports the time the app spent on a request in a ``Server-Timing`` header (the benchmark reads it):
    wall time, and process CPU time, which a busy shared machine does not inflate."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, cpu = time.perf_counter(), time.process_time()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                spent = (time.perf_counter() - start) * 1000
                # CPU of the whole process meanwhile: this request's own when requests come one at a time
                used = (time.process_time() - cpu) * 1000
                timing = f"app;dur={spent:.1f}, cpu;dur={used:.1f}".encode()
                message["headers"] = [*message.get("headers", []), (b"server-timing", timing)]
            await send(message)

        await self.app(scope, receive, timed_send)


def reading(request: Request) -> Reading:
    room: Reading = request.app.state.reading
    return room


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from ``template`` with what every page shows (navigation, whether writes are on)."""
    room = reading(request)
    try:
        nav = room.sections()
    except BroadsheetError:
        nav = []
    context.setdefault("feeds", [])
    context.setdefault("q", "")
    html = (
        environment()
        .get_template(template)
        .render(
            path=request.url.path,
            nav=nav,
            writable=room.settings.writable,
            remote_images=room.settings.remote_images,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", status, status=status, message=message, title=f"Error {status}")


def _install_errors(app: FastAPI) -> None:
    async def broadsheet_error(request: Request, exc: Exception) -> Response:
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
        return _error(request, status, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        response = _error(request, exc.status_code, detail)
        response.headers.update(exc.headers or {})
        return response

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if _is_api(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return _error(request, 400, "the request's parameters are not valid")

    async def crash(request: Request, exc: Exception) -> Response:
        # answered by Starlette outside every middleware: the security headers are added here
        settings: WebSettings = request.app.state.settings
        headers = security_headers(settings.remote_images)
        if _is_api(request):
            return JSONResponse({"detail": "internal error (see the server log)"}, 500, headers=headers)
        return HTMLResponse(_CRASH_PAGE, 500, headers=headers)

    app.add_exception_handler(Exception, crash)
    app.add_exception_handler(BroadsheetError, broadsheet_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The reading room over ``settings.archive``: read-only unless a write token is configured."""
    from . import api, pages

    settings = settings or WebSettings.from_env()
    archive = Archive(settings.archive, readonly=not settings.writable)
    state = WebState(settings.state_path)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        room.warm(pages.LISTING_FACETS)
        yield
        room.close()
        archive.close()
        state.close()

    app = FastAPI(
        lifespan=lifespan,
        title="broadsheet reading room",
        version=_version(),
        description="Read, search and follow a broadsheet archive. Writes need the configured bearer token.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the Swagger and ReDoc pages load scripts from a CDN: the CSP forbids both
        redoc_url=None,
        max_body_size=settings.max_body,  # 413 for larger bodies, announced or streamed
    )
    app.state.reading = room = Reading(archive, state, settings)
    app.state.settings = settings
    _install_errors(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.add_middleware(ServerTiming)
    app.add_middleware(SecurityHeaders, remote_images=settings.remote_images)

    return app


def _version() -> str:
    from .. import __version__

    return __version__
