"""The HTTP fetcher against a real server on 127.0.0.1: limits, redirects, robots.txt, pacing, SSRF."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from broadsheet.errors import Reason
from broadsheet.sources.fetch import USER_AGENT, Fetcher, FetchError, FetchOptions
from broadsheet.sources.guard import AddressGuard, Blocked, GuardedBackend, why_blocked
from httpserver import Site, serve

FAST = FetchOptions(
    allow_private=True,
    min_interval=0.0,
    connect_timeout=2.0,
    read_timeout=0.5,
    total_timeout=3.0,
    max_bytes=1_000_000,
)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as client:
        yield client


def _failure(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    return caught.value


def test_fetches_a_page_with_a_clear_user_agent(site: Site, fetcher: Fetcher) -> None:
    got = fetcher.get(site.url("/news/0.html"))
    assert got.status == 200 and got.content_type == "text/html" and got.charset == "utf-8"
    assert b"<html" in got.body.lower()
    page_hits = [h for h in site.hits if h.path == "/news/0.html"]
    assert page_hits[-1].agent == USER_AGENT and USER_AGENT.startswith("broadsheet/")


def test_gzip_content_encoding_is_decoded(site: Site, fetcher: Fetcher) -> None:
    got = fetcher.get(site.url("/news/gz.html"))
    assert got.body.lstrip().lower().startswith(b"<!doctype html") or b"<html" in got.body[:200].lower()


def test_relative_redirect_is_followed(site: Site, fetcher: Fetcher) -> None:
    got = fetcher.get(site.url("/redirect/ok"))
    assert got.final_url == site.url("/news/3.html") and got.url == site.url("/redirect/ok")


def test_redirect_loop_is_refused_with_the_loop_named(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/loop/a"))
    assert error.reason == Reason.FETCH_FAILED
    assert "redirect loop" in str(error) and "/loop/b" in str(error)


def test_too_many_redirects(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/chain/0"))
    assert error.reason == Reason.FETCH_FAILED and "more than 5 redirects" in str(error)


def test_http_error_status(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/gone"))
    assert error.reason == Reason.FETCH_FAILED and error.status == 410 and "410" in str(error)


def test_read_timeout(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/slow"))
    assert error.reason == Reason.FETCH_FAILED and "timed out" in str(error)


def test_total_deadline_stops_a_slow_drip(site: Site) -> None:
    # A byte every 0.1 s never trips the read timeout; the deadline is the property under test.
    with Fetcher(
        FetchOptions(allow_private=True, min_interval=0, read_timeout=1.0, total_timeout=0.5)
    ) as client:
        start = time.monotonic()
        error = _failure(client, site.url("/drip"))
    assert error.reason == Reason.FETCH_FAILED and "total timeout" in str(error)
    assert time.monotonic() - start < 3.0  # the drip would take 4 s


def test_declared_huge_body_is_refused_before_reading(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/huge"))
    assert error.reason == Reason.TOO_LARGE and "3,000,007 bytes" in str(error)


def test_streamed_huge_body_is_refused_while_reading(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/huge-stream"))
    assert error.reason == Reason.TOO_LARGE and "1,000,000" in str(error)


def test_gzip_bomb_is_refused(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/bomb"))
    assert error.reason == Reason.TOO_LARGE and "decompression bomb" in str(error)


def test_robots_txt_disallow_is_obeyed_and_fetched_once(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/private/secret.html"))
    assert error.reason == Reason.BLOCKED and "robots.txt disallows" in str(error)
    fetcher.get(site.url("/news/1.html"))
    robots_hits = [h for h in site.hits if h.path == "/robots.txt" and h.host.startswith("127.0.0.1")]
    assert robots_hits and "/private/secret.html" not in [h.path for h in site.hits]
    before = len(robots_hits)
    fetcher.get(site.url("/news/2.html"))
    assert len([h for h in site.hits if h.path == "/robots.txt" and h.host.startswith("127.0.0.1")]) == before


def test_robots_can_be_ignored_when_asked(site: Site) -> None:
    with Fetcher(FetchOptions(allow_private=True, min_interval=0, obey_robots=False)) as client:
        assert client.get(site.url("/private/secret.html")).status == 200


def test_robots_txt_server_error_blocks_the_host(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, f"http://localhost:{site.port}/news/0.html")
    assert error.reason == Reason.BLOCKED and "503" in str(error)


def test_per_host_rate_limit_spaces_requests(site: Site) -> None:
    # The waits are the behaviour under test; measured on the client, where the pacing happens
    # (arrival times at the server jitter with thread scheduling).
    with Fetcher(FetchOptions(allow_private=True, min_interval=0.25, obey_robots=False)) as client:
        start = time.monotonic()
        for i in range(3):
            client.get(site.url(f"/news/{i}.html?pace"))
        elapsed = time.monotonic() - start
    assert len([h for h in site.hits if h.path.endswith("?pace")]) == 3
    assert elapsed >= 0.5  # two waits of 0.25 s between three requests to one host


def test_robots_crawl_delay_slows_the_host_down() -> None:
    with (
        serve(robots=b"User-agent: broadsheet\nCrawl-delay: 0.3\n") as slow_site,
        Fetcher(FetchOptions(allow_private=True, min_interval=0.0, max_crawl_delay=5.0)) as client,
    ):
        start = time.monotonic()
        for i in range(3):
            client.get(slow_site.url(f"/news/{i}.html"))
        elapsed = time.monotonic() - start
    assert elapsed >= 0.6  # the site asked for 0.3 s between requests; min_interval alone is 0


def test_rate_limit_is_per_host(site: Site) -> None:
    with Fetcher(FetchOptions(allow_private=True, min_interval=30.0, obey_robots=False)) as client:
        start = time.monotonic()
        client.get(site.url("/news/0.html"))
        client.get(f"http://localhost:{site.port}/news/0.html")  # another host: no wait
    assert time.monotonic() - start < 30.0


def test_loopback_is_refused_by_default(site: Site) -> None:
    before = len(site.hits)
    with Fetcher(FetchOptions(min_interval=0)) as client:
        error = _failure(client, site.url("/news/0.html"))
    assert error.reason == Reason.BLOCKED and "loopback" in str(error)
    assert len(site.hits) == before  # not even robots.txt was asked for


def test_host_name_is_checked_after_dns_resolution(site: Site) -> None:
    before = len(site.hits)
    with Fetcher(FetchOptions(min_interval=0, obey_robots=False)) as client:
        error = _failure(client, f"http://localhost:{site.port}/news/0.html")
    assert error.reason == Reason.BLOCKED and "localhost" in str(error) and "loopback" in str(error)
    assert len(site.hits) == before  # refused before any connection was made


@pytest.mark.parametrize(("path", "kind"), [("/to-metadata", "link-local"), ("/to-loopback", "loopback")])
def test_redirect_to_a_private_address_is_refused(site: Site, path: str, kind: str) -> None:
    only_this_server = FetchOptions(min_interval=0, allowed_networks=("127.0.0.1/32",), connect_timeout=1.0)
    with Fetcher(only_this_server) as client:
        error = _failure(client, site.url(path))
    assert error.reason == Reason.BLOCKED and kind in str(error)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]:9/",
        "http://[::ffff:7f00:1]:9/",
        "http://0x7f000001:9/",
        "http://2130706433:9/",
        "http://127.1:9/",
        "http://169.254.169.254/latest/",
    ],
)
def test_disguised_private_addresses_are_refused(url: str) -> None:
    with Fetcher(FetchOptions(min_interval=0, connect_timeout=1.0)) as client:
        error = _failure(client, url)
    assert error.reason == Reason.BLOCKED and str(error).endswith(
        "refused (SSRF guard, allow_private to override)"
    )


def test_redirect_to_another_scheme_is_refused(site: Site, fetcher: Fetcher) -> None:
    error = _failure(fetcher, site.url("/to-file"))
    assert error.reason == Reason.BLOCKED and "only http and https" in str(error)


class _ScriptedGuard(AddressGuard):
    """The real guard with DNS answers given by the test (a rebinding resolver is not at hand)."""

    def __init__(self, answers: list[list[str]], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.answers = answers
        self.lookups = 0

    def _lookup(self, host: str, port: int, timeout: float | None) -> list:
        import ipaddress

        self.lookups += 1
        return [ipaddress.ip_address(a) for a in self.answers.pop(0)]


def test_guarded_backend_connects_to_the_address_it_checked(site: Site) -> None:
    guard = _ScriptedGuard([["127.0.0.1"]], allowed_networks=("127.0.0.1/32",))
    backend = GuardedBackend(guard)
    stream = backend.connect_tcp("news.example", site.port, timeout=2.0)
    try:
        peer = stream.get_extra_info("socket").getpeername()
    finally:
        stream.close()
        guard.close()
    assert peer == ("127.0.0.1", site.port) and guard.lookups == 1  # one lookup, the one checked


def test_one_private_answer_refuses_the_host() -> None:
    guard = _ScriptedGuard([["93.184.216.34", "10.0.0.7"]])
    with pytest.raises(Blocked, match=r"10\.0\.0\.7"):
        GuardedBackend(guard).connect_tcp("news.example", 80, timeout=1.0)
    guard.close()


def test_connection_refused_is_a_fetch_failure(fetcher: Fetcher) -> None:
    error = _failure(fetcher, "http://127.0.0.1:9/nothing-listens-here")
    assert error.reason == Reason.FETCH_FAILED


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("127.0.0.5", "loopback"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not globally routable"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_non_public_addresses_are_named(address: str, kind: str) -> None:
    import ipaddress

    assert why_blocked(ipaddress.ip_address(address)) == kind


def test_public_addresses_pass() -> None:
    import ipaddress

    assert why_blocked(ipaddress.ip_address("93.184.216.34")) is None
    assert why_blocked(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946")) is None
