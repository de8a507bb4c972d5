"""A real HTTP server on 127.0.0.1 for the fetch tests: pages, feeds, sitemaps, robots.txt and traps.

Started in a thread by the tests themselves (stdlib ``http.server``); every route is written here.
Requests are logged (path, Host, User-Agent, arrival time) so tests can check what was asked.
"""

from __future__ import annotations

import functools
import gzip
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from broadsheet.synthetic import generate

__all__ = ["Site", "serve"]

PAGES = generate(6, seed=11)


@dataclass(slots=True)
class Hit:
    path: str
    host: str
    agent: str
    at: float


@dataclass(slots=True)
class Site:
    """The running server: its base URL, its port and the requests it saw."""

    base: str
    port: int
    robots: bytes = b"User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n"
    hits: list[Hit] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]


def _rss(site: Site, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{escape(site.url(p))}</link></item>"
        for i, p in enumerate(paths)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title>'
        f"<link>{site.base}/</link>{items}</channel></rss>"
    ).encode()


def _atom(paths: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>E{i}</title><link rel="alternate" href="{p.lstrip("/")}"/>'
        f'<link rel="self" href="/self/{i}"/><id>urn:e:{i}</id></entry>'
        for i, p in enumerate(paths)
    )
    return (
        f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="/">'
        f"<title>T</title>{entries}</feed>"
    ).encode()


def _urlset(site: Site, paths: list[str], news: bool = False) -> bytes:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    extra = (
        (
            "<news:news><news:publication><news:name>Test</news:name><news:language>en</news:language>"
            "</news:publication><news:publication_date>2024-05-01</news:publication_date>"
            "<news:title>T</news:title></news:news>"
        )
        if news
        else ""
    )
    urls = "".join(f"<url><loc>{escape(site.url(p))}</loc>{extra}</url>" for p in paths)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        f"{ns}>{urls}</urlset>"
    ).encode()


def _index(site: Site, paths: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{site.url(p)}</loc></sitemap>" for p in paths)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{maps}</sitemapindex>"
    ).encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><item><link>https://example.com/&lol3;</link></item></channel></rss>"""

HTML = "text/html; charset=utf-8"


def _routes(site: Site) -> dict[str, Callable[[Handler], None]]:
    page = {f"/news/{i}.html": p.html.encode() for i, p in enumerate(PAGES)}
    news = ["/news/0.html", "/news/1.html", "/private/secret.html", "/missing.html", "/news/0.html"]

    def body(data: bytes, ctype: str = HTML, status: int = 200, headers: tuple[tuple[str, str], ...] = ()):
        return lambda h: h.reply(status, data, ctype, headers)

    def redirect(to: Callable[[], str] | str, status: int = 302):
        return lambda h: h.reply(status, b"", HTML, (("Location", to() if callable(to) else to),))

    routes: dict[str, Callable[[Handler], None]] = {path: body(data) for path, data in page.items()}
    routes.update(
        {
            "/robots.txt": lambda h: h.robots(),
            "/private/secret.html": body(page["/news/0.html"]),
            "/news/gz.html": body(
                gzip.compress(page["/news/2.html"]), headers=(("Content-Encoding", "gzip"),)
            ),
            "/news/latin1.html": body(
                "<html><body><p>Café crème à Zürich</p></body></html>".encode("latin-1"),
                "text/html; charset=iso-8859-1",
            ),
            "/feed.xml": body(_rss(site, news), "application/rss+xml"),
            "/atom.xml": body(_atom(["/news/3.html", "/news/4.html"]), "application/atom+xml"),
            "/sitemap.xml": body(
                _index(
                    site, ["/sitemap-news.xml.gz", "/sitemap-pages.xml", "/sitemap-html.xml", "/sitemap.xml"]
                ),
                "application/xml",
            ),
            "/sitemap-news.xml.gz": body(
                gzip.compress(_urlset(site, ["/news/1.html", "/news/2.html"], news=True)),
                "application/x-gzip",
            ),
            "/sitemap-pages.xml": body(_urlset(site, ["/news/2.html", "/news/5.html"]), "application/xml"),
            "/sitemap-html.xml": body(page["/news/0.html"]),
            "/feed-html.xml": body(page["/news/0.html"], "application/rss+xml"),
            # an item whose link urllib cannot read (an unclosed IPv6 bracket), beside a good one
            "/feed-bad-link.xml": body(
                _rss(site, ["/news/1.html"]).replace(
                    b"<item>", b"<item><link>http://[bad/x</link></item><item>", 1
                ),
                "application/rss+xml",
            ),
            "/rss": body(page["/news/1.html"]),
            "/billion.xml": body(BILLION_LAUGHS, "application/rss+xml"),
            "/loop/a": redirect("/loop/b"),
            "/loop/b": redirect("/loop/a"),
            "/redirect/ok": redirect("../news/3.html", 301),
            "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
            "/to-loopback": redirect(lambda: f"http://127.0.0.2:{site.port}/news/0.html"),
            "/to-file": redirect("file:///etc/passwd"),
            "/to-unreadable": redirect("http://[bad/x"),
            "/slow": lambda h: h.slow(),
            "/drip": lambda h: h.drip(),
            "/huge": body(b"<p>" + b"x" * 3_000_000 + b"</p>"),
            "/huge-stream": lambda h: h.stream(b"<p>" + b"y" * 65536, 60),
            "/bomb": body(_bomb(), headers=(("Content-Encoding", "gzip"),)),
            "/pdf": body(b"%PDF-1.4 not really", "application/pdf"),
            "/gone": body(b"<p>gone</p>", status=410),
        }
    )
    for i in range(8):
        routes[f"/chain/{i}"] = redirect(f"/chain/{i + 1}")
    return routes


@functools.cache
def _bomb() -> bytes:
    """gzip of 64 MB of zeros: about 64 KB on the wire."""
    return gzip.compress(bytes(64_000_000), compresslevel=9)


class Handler(BaseHTTPRequestHandler):
    site: Site
    routes: dict[str, Callable[[Handler], None]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.site.hits.append(
            Hit(self.path, self.headers.get("Host", ""), self.headers.get("User-Agent", ""), time.monotonic())
        )
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.reply(404, b"<p>not found</p>", HTML)
        else:
            route(self)

    def reply(self, status: int, data: bytes, ctype: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def robots(self) -> None:
        if self.headers.get("Host", "").startswith("localhost"):  # a second "site": its robots.txt is down
            self.reply(503, b"unavailable", "text/plain")
        else:
            self.reply(200, self.site.robots, "text/plain")

    def slow(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", HTML)
        self.end_headers()
        self.wfile.flush()
        time.sleep(2.0)  # longer than the tests' read timeout
        self._write(b"<p>late</p>")

    def drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", HTML)
        self.end_headers()
        for _ in range(40):  # a byte every 0.1 s: never a read timeout, but the total deadline
            if not self._write(b"<"):
                return
            time.sleep(0.1)

    def stream(self, chunk: bytes, count: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", HTML)  # no Content-Length: the size is only known by reading
        self.end_headers()
        for _ in range(count):
            if not self._write(chunk):
                return

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except OSError:  # the client gave up, as it should
            return False


class _Server(ThreadingHTTPServer):
    """The stdlib server, quiet when a client hangs up: the fetcher gives up on the traps (slow bodies, endless
    redirects) on purpose, and the handler's write into the closed socket is then no error of the test."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(robots: bytes | None = None) -> Iterator[Site]:
    """Run the test site on 127.0.0.1 (a free port) for the duration of the block."""
    server = _Server(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    site = Site(base=f"http://127.0.0.1:{port}", port=port)
    if robots is not None:
        site.robots = robots
    handler = type("SiteHandler", (Handler,), {"site": site, "routes": {}})
    handler.routes = _routes(site)
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
