"""Running the reading room: in the foreground (``broadsheet serve``) or in a background thread
(``running``: tests, screenshots and the benchmark start a real server on 127.0.0.1 this way)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from .app import create_app
from .settings import WebSettings

__all__ = ["free_port", "running", "serve"]


def serve(settings: WebSettings, host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
    """Serve until interrupted."""
    uvicorn.run(
        create_app(settings), host=host, port=port, proxy_headers=False, server_header=False, **options
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@contextmanager
def running(settings: WebSettings, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """A real uvicorn server in a thread for the ``with`` block; yields its base URL."""
    port = port or free_port(host)
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,
        server_header=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="broadsheet-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the reading room did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
