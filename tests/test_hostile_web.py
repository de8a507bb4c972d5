"""The reading room read with an attacker's eye, beyond tests/test_web_security.py: fuzzed URLs never make
a server error, numbers past SQLite's range are a 404, redirects stay on the site, forwarded headers and
CR/LF in parameters do not reach what the app writes, and only the Host names it serves build links."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")

from broadsheet.web import WebSettings
from broadsheet.web.security import security_headers
from broadsheet.web.server import running
from webroom import archive_copy

HUGE = "9" * 30


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    path = archive_copy(tmp_path_factory.mktemp("hostile-web"))
    settings = WebSettings(archive=str(path), state=str(path.with_suffix(".web")), token="t" * 32)
    with running(settings) as base, httpx.Client(base_url=base, timeout=60) as http:
        yield http


ROUTES = (
    "/search?q={v}",
    "/search?site={v}&since={v}",
    "/search?page={v}",
    "/api/articles?q={v}&lang={v}",
    "/api/articles?until={v}",
    "/api/attention?q={v}",
    "/api/facets/{v}",
    "/api/facets/site?q={v}",
    "/feed.rss?q={v}",
    "/feed.atom?tag={v}",
    "/site/{v}",
    "/tag/{v}",
    "/author/{v}",
    "/section/{v}",
    "/archive/{v}",
    "/article/{v}",
    "/api/articles/{v}",
    "/api/articles/{v}/versions",
    "/story/{v}",
    "/trending?since={v}",
    "/api/trending?limit={v}",
    "/digest?since={v}&until={v}",
    "/sources?message={v}",
    "/saved?q={v}",
    "/static/{v}",
)
values = st.text(max_size=40) | st.sampled_from(
    [
        HUGE,
        "-" + HUGE,
        "0",
        "-1",
        "1e9",
        "2024-13-45",
        "9999-12",
        "0000-01",
        '"',
        "NEAR(a b)",
        "a:b",
        "*",
        "^",
        " OR ".join("x" * 50),
        "..",
        "%2e%2e",
        "\r\nSet-Cookie: a=b",
        "\x00",
        "<script>",
        "é" * 40,
    ]
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(ROUTES), values)
def test_fuzzed_urls_never_make_a_server_error(client: httpx.Client, route: str, value: str) -> None:
    response = client.get(route.format(v=quote(value, safe="")), follow_redirects=False)
    assert response.status_code < 500, (route, value, response.text[:300])
    for name in security_headers():
        assert name in response.headers
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        f"/api/articles/{HUGE}",
        f"/article/{HUGE}",
        f"/article/{HUGE}/explain",
        f"/story/{HUGE}",
        f"/api/stories/{HUGE}",
        f"/api/articles/-{HUGE}",
    ],
)
def test_numbers_past_sqlite_are_not_found(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_deleting_a_search_past_sqlite_is_not_found(client: httpx.Client) -> None:
    response = client.delete(f"/api/searches/{HUGE}", headers={"Authorization": "Bearer " + "t" * 32})
    assert response.status_code == 404


def test_the_last_month_there_is_can_be_listed(client: httpx.Client) -> None:
    assert client.get("/archive/9999-12").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "//evil.example/%2f..",
        "/\\evil.example",
        "/search/",
        "/static",
        "/%5Cevil.example/",
        "/sources/..//evil.example",
    ],
)
def test_redirects_stay_on_the_site(client: httpx.Client, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    location = response.headers.get("location")
    if location is not None:
        assert httpx.URL(location).host in ("", "127.0.0.1"), location
        assert not location.startswith("//")


def test_forwarded_headers_do_not_change_links(client: httpx.Client) -> None:
    """Behind a cache, a forged X-Forwarded-Host must not end up in a cached feed's links."""
    forged = {
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "https",
        "Forwarded": "host=evil.example",
    }
    feed = client.get("/feed.atom", headers=forged)
    assert feed.status_code == 200 and "evil.example" not in feed.text
    assert str(client.base_url).rstrip("/") in feed.text


def test_only_served_host_names_build_links(client: httpx.Client) -> None:
    assert client.get("/feed.rss", headers={"Host": "evil.example"}).status_code == 400
    local = client.get("/feed.rss", headers={"Host": "localhost"})
    assert local.status_code == 200 and "http://localhost/" in local.text


def test_cr_lf_in_a_parameter_never_becomes_a_header(client: httpx.Client) -> None:
    for path in (
        "/search?q=a%0d%0aX-Injected:%20yes",
        "/sources?message=%0d%0aX-Injected:%20yes",
        "/site/a%0d%0aX-Injected:%20yes",
        "/feed.rss?q=%0d%0aX-Injected:%20yes",
    ):
        response = client.get(path)
        assert "x-injected" not in response.headers, path


def test_the_server_names_no_software_and_sets_no_cookies(client: httpx.Client) -> None:
    response = client.get("/")
    assert "server" not in response.headers
    assert "set-cookie" not in response.headers
