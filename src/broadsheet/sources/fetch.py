"""HTTP fetching with httpx, as a polite and careful crawler does it.

- timeouts: connect and read per operation, and a total deadline per URL (redirects included);
- redirects followed by hand, at most ``max_redirects``, a loop refused as soon as a URL repeats;
- bodies streamed and refused past ``max_bytes`` (compressed and decompressed both counted);
- robots.txt obeyed (``robots.py``), one request per host at most every ``min_interval`` seconds
  (or the site's Crawl-delay, capped), a user agent that names broadsheet and where to read about it;
- the SSRF guard (``guard.py``) on every connection, redirects included, unless ``allow_private``.

``Fetcher.get`` raises ``FetchError`` carrying a ``Reason`` (``fetch_failed``, ``blocked`` or
``too_large``); the sources turn it into a rejected ``Input``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .. import __version__
from ..errors import Reason, RejectedInput, SourceError
from .guard import AddressGuard, Blocked, GuardedBackend
from .payload import Inflater
from .robots import ROBOTS_MAX_BYTES, RobotsCache

__all__ = ["USER_AGENT", "FetchError", "FetchOptions", "Fetched", "Fetcher"]

PROJECT_URL = "https://github.com/broadsheet/broadsheet"
USER_AGENT = f"broadsheet/{__version__} (+{PROJECT_URL})"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch. The defaults suit following a few dozen news sites."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # per URL, all redirects and the whole body included
    max_redirects: int = 5
    max_bytes: int = 10_000_000  # body bytes, after decompression
    min_interval: float = 1.0  # seconds between two requests to one host
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay is honoured up to this
    obey_robots: bool = True
    allow_private: bool = False  # lift the SSRF guard entirely (tests, intranet crawls)
    allowed_networks: tuple[str, ...] = ()  # or lift it for these networks only ("127.0.0.1/32")


@dataclass(slots=True)
class Fetched:
    """One successful fetch: the final URL after redirects, the status, the body."""

    url: str  # as requested
    final_url: str
    status: int
    content_type: str  # lower case, without parameters; "" when the server sent none
    charset: str | None
    body: bytes
    fetched_at: str  # ISO 8601, UTC


class FetchError(SourceError):
    """A URL that could not be fetched; ``reason`` is what its rejection records."""

    def __init__(
        self, message: str, reason: Reason = Reason.FETCH_FAILED, *, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status  # the HTTP status when the server answered with an error


class Fetcher:
    """An HTTP client with its robots cache and per-host clock. Use as a context manager."""

    def __init__(self, options: FetchOptions | None = None) -> None:
        self.options = opts = options or FetchOptions()
        self._guard = AddressGuard(allow_private=opts.allow_private, allowed_networks=opts.allowed_networks)
        self._client = httpx.Client(
            transport=_guarded_transport(self._guard),
            headers={"User-Agent": opts.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,  # an environment proxy would connect for us, around the guard
        )
        self._robots = RobotsCache(self._fetch_robots, opts.user_agent.split("/")[0])
        self._last_request: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()
        self._guard.close()

    def get(self, url: str) -> Fetched:
        """Fetch ``url`` following redirects; raises ``FetchError`` with the reason it failed."""
        deadline = time.monotonic() + self.options.total_timeout
        return self._follow(
            url, deadline, obey_robots=self.options.obey_robots, max_bytes=self.options.max_bytes
        )

    def _follow(self, url: str, deadline: float, *, obey_robots: bool, max_bytes: int) -> Fetched:
        seen = [url]
        current = url
        for _ in range(self.options.max_redirects + 1):
            _check_scheme(current)
            if obey_robots:
                self._check_robots(current)
            fetched, location = self._request(url, current, deadline, max_bytes)
            if location is None:
                assert fetched is not None
                return fetched
            try:
                current = urljoin(current, location)
            except ValueError as exc:  # a Location urllib cannot read ("http://[bad/")
                raise FetchError(f"redirect to {location}: not a URL ({exc})") from exc
            if current in seen:
                raise FetchError("redirect loop: " + " → ".join([*seen[seen.index(current) :], current]))
            seen.append(current)
        raise FetchError(f"more than {self.options.max_redirects} redirects ({seen[0]} → … → {seen[-1]})")

    def _check_robots(self, url: str) -> None:
        robots = self._robots.for_url(url)
        if not robots.allows(url, self._robots.agent):
            raise FetchError(robots.refuse_all or f"robots.txt disallows {url}", Reason.BLOCKED)

    def _request(
        self, original: str, url: str, deadline: float, max_bytes: int
    ) -> tuple[Fetched | None, str | None]:
        """One request: ``(Fetched, None)``, or ``(None, Location)`` for a redirect."""
        self._pace(url)
        timeout = self._timeout(deadline)
        try:
            with self._client.stream("GET", url, timeout=timeout) as response:
                if response.status_code in _REDIRECTS and response.headers.get("Location"):
                    return None, response.headers["Location"]
                if response.status_code >= 300:
                    raise FetchError(
                        f"HTTP {response.status_code} {response.reason_phrase} for {url}",
                        status=response.status_code,
                    )
                body = _read_body(response, max_bytes, deadline)
                return _fetched(original, url, response, body), None
        except Blocked as exc:
            raise FetchError(str(exc), Reason.BLOCKED) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out fetching {url} ({type(exc).__name__})") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
            raise FetchError(f"cannot fetch {url}: {exc or type(exc).__name__}") from exc
        except (ValueError, UnicodeError) as exc:  # a URL or header httpx cannot even encode
            raise FetchError(f"cannot fetch {url}: {exc}") from exc

    def _timeout(self, deadline: float) -> httpx.Timeout:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"gave up after the total timeout of {self.options.total_timeout:g} s")
        opts = self.options
        return httpx.Timeout(
            connect=min(opts.connect_timeout, left),
            read=min(opts.read_timeout, left),
            write=min(opts.read_timeout, left),
            pool=min(opts.connect_timeout, left),
        )

    def _pace(self, url: str) -> None:
        """Wait until this host may be asked again (min interval, or its robots Crawl-delay)."""
        host = urlsplit(url).netloc.lower()
        interval = self.options.min_interval
        if self.options.obey_robots and not url.endswith("/robots.txt"):
            delay = self._robots.for_url(url).crawl_delay(self._robots.agent)
            if delay is not None:
                interval = max(interval, min(delay, self.options.max_crawl_delay))
        last = self._last_request.get(host)
        if last is not None and (wait := last + interval - time.monotonic()) > 0:
            time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _fetch_robots(self, url: str) -> tuple[int, bytes]:
        deadline = time.monotonic() + self.options.total_timeout
        try:
            fetched = self._follow(url, deadline, obey_robots=False, max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.status is not None:
                return exc.status, b""
            if exc.reason == Reason.BLOCKED:
                raise  # the guard's own words say it best
            if exc.reason == Reason.TOO_LARGE:
                raise FetchError(
                    f"robots.txt of {url} is over {ROBOTS_MAX_BYTES:,} bytes", Reason.BLOCKED
                ) from exc
            raise FetchError(f"robots.txt could not be fetched: {exc}", exc.reason) from exc
        return fetched.status, fetched.body


def _guarded_transport(guard: AddressGuard) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(retries=0)
    # httpx has no public hook for the network backend, so the pool it built is replaced by the same
    # pool with a backend that runs the SSRF guard on every connect.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=10,
        max_keepalive_connections=10,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(guard),
    )
    return transport


def _check_scheme(url: str) -> None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:  # a URL urllib cannot read ("http://[bad/", an unclosed IPv6 bracket)
        raise FetchError(f"{url}: not a URL ({exc})") from exc
    if scheme not in ("http", "https"):
        raise FetchError(
            f"{url}: only http and https URLs are fetched, not {scheme or 'a relative URL'}",
            Reason.BLOCKED if scheme else Reason.FETCH_FAILED,
        )


def _read_body(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """The body, decoded, refused past ``max_bytes`` (before reading when the server says so)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"body of {int(declared):,} bytes is over the limit of {max_bytes:,}", Reason.TOO_LARGE
        )
    coding = response.headers.get("Content-Encoding", "identity")
    if coding.strip().lower() not in ("identity", "gzip", "x-gzip", "deflate", ""):
        raise FetchError(f"unsupported content-encoding {coding!r}")
    inflater = Inflater("gzip" if coding.strip().lower() == "x-gzip" else coding, max_bytes)
    body, raw = bytearray(), 0
    try:
        for chunk in response.iter_raw():  # raw, so decompression stays bounded (see Inflater)
            raw += len(chunk)
            if raw > max_bytes:
                raise FetchError(f"body is over the limit of {max_bytes:,} bytes", Reason.TOO_LARGE)
            body += inflater.feed(chunk)
            if time.monotonic() > deadline:
                raise FetchError("gave up reading the body after the total timeout")
    except RejectedInput as exc:  # a decompression bomb or corrupt compressed data
        raise FetchError(f"{response.url}: {exc}", exc.reason) from exc
    return bytes(body)


def _fetched(original: str, url: str, response: httpx.Response, body: bytes) -> Fetched:
    ctype = response.headers.get("Content-Type", "")
    mime = ctype.split(";")[0].strip().lower()
    charset = response.charset_encoding
    return Fetched(
        url=original,
        final_url=url,
        status=response.status_code,
        content_type=mime,
        charset=charset,
        body=body,
        fetched_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )
