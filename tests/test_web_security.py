"""The reading room under attack: hostile content, forged writes, SSRF, path traversal, oversized bodies.

Everything runs against a real server on 127.0.0.1; the pages fetched for "ingest a URL" come from a
real HTTP server on 127.0.0.1 too, which is exactly what the SSRF guard must refuse unless allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import lxml.html
import pytest

pytest.importorskip("fastapi")

from broadsheet.archive import Archive
from broadsheet.article import Block
from broadsheet.web import WebSettings
from broadsheet.web.sanitize import body_html, clean, clean_snippet
from broadsheet.web.security import check_target, safe_url
from broadsheet.web.server import running
from broadsheet.web.views import summary_of
from httpserver import serve as serve_site
from webroom import HOSTILE_URL, archive_copy, hostile_ids

TOKEN = "correct horse battery staple"


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archive_copy(tmp_path_factory.mktemp("websec"))


def _settings(path: Path, **changes: object) -> WebSettings:
    return WebSettings(archive=str(path), state=str(path.with_suffix(".web")), **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def reader(archive_path: Path) -> Iterator[httpx.Client]:
    """The default: read-only, no token."""
    with running(_settings(archive_path, max_body=10_000)) as base, httpx.Client(base_url=base) as client:
        yield client


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """Writes enabled with a token; the SSRF guard on (the default)."""
    path = archive_copy(tmp_path_factory.mktemp("websec-w"))
    with running(_settings(path, token=TOKEN)) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_inert(html: str) -> None:
    """Parsed as a browser would: no script-capable element, no event handler, no script URL."""
    root = lxml.html.fromstring(html)
    dangerous = root.xpath(
        "//script|//iframe|//frame|//object|//embed|//style|//svg[not(@class='chart')]|//math|//base|//meta[@http-equiv]"
    )
    assert not dangerous, [lxml.html.tostring(e)[:200] for e in dangerous]
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            if name.lower() in ("href", "src", "action", "formaction", "srcset", "xlink:href"):
                assert re.match(r"^\s*(https?://|/|#|\?|[a-z0-9.-]+$)", value, re.I), (
                    element.tag,
                    name,
                    value,
                )
                assert not re.match(r"^\s*(javascript|data|vbscript):", value, re.I), (
                    element.tag,
                    name,
                    value,
                )


# -- hostile content ------------------------------------------------------------------------------------


def test_hostile_articles_render_inert(reader: httpx.Client, archive_path: Path) -> None:
    for article_id in hostile_ids(archive_path):
        for path in (f"/article/{article_id}", f"/article/{article_id}/explain"):
            response = reader.get(path)
            assert response.status_code == 200, path
            assert_inert(response.text)
            assert "&lt;script&gt;window.__pwned=" in response.text  # shown as text, not dropped silently
    for path in ("/", "/search?q=harbour+OR+quay", "/trending", "/archive/2024-05", "/tag/Quay"):
        assert_inert(reader.get(path).text)


def test_hostile_urls_are_not_links(reader: httpx.Client, archive_path: Path) -> None:
    _, handmade = hostile_ids(archive_path)
    html = reader.get(f"/article/{handmade}").text
    assert "Source address (not a web link)" in html
    assert not re.search(r"<img[^>]+javascript", html)
    lang = re.search(r'<article class="story"([^>]*)>', html)
    assert lang is not None and "lang=" not in lang.group(1)  # 'en" onfocus=...' is not a language


def test_sanitizer_allow_list() -> None:
    dirty = (
        '<p onclick="x()">a<script>bad()</script><a href="javascript:x()">b</a><img src=x onerror=y()>'
        '<iframe src="https://evil.example/"></iframe><style>*{}</style><mark>m</mark></p>'
    )
    cleaned = str(clean(dirty))
    assert (
        cleaned == '<p>a<a rel="noopener noreferrer nofollow">b</a><mark>m</mark></p>'
        or cleaned == "<p>ab<mark>m</mark></p>"
    )
    assert_inert(cleaned)
    assert (
        str(clean_snippet("x <mark>y</mark> <b onclick=z>w</b> <script>v</script>")) == "x <mark>y</mark> w "
    )
    from broadsheet.article import Article

    body = str(
        body_html(
            Article(
                blocks=[
                    Block("paragraph", "<script>x</script>"),
                    Block("list_item", "<a href=javascript:x>i</a>"),
                    Block("heading", "<h1>big</h1>", 1),
                    Block("table", "a | b"),
                ]
            )
        )
    )
    assert (
        "&lt;script&gt;x&lt;/script&gt;" in body
        and "<ul>\n<li>&lt;a href=javascript:x&gt;i&lt;/a&gt;</li>\n</ul>" in body
    )
    assert "<h2>&lt;h1&gt;big&lt;/h1&gt;</h2>" in body and '<pre class="table">a | b</pre>' in body


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.com/a?b=c", True),
        ("http://example.com", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>x</script>", False),
        ("//evil.example/", False),
        ("/relative", False),
        ("vbscript:x", False),
        ("https://exa\nmple.com/", False),
        ("http:/x", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_summary_of_keeps_fields(archive_path: Path) -> None:
    with Archive(archive_path, readonly=True) as archive:
        stored = archive.get(HOSTILE_URL)
        assert stored is not None
        summary = summary_of(stored)
    assert summary.id == stored.id and summary.title == stored.article.title


# -- headers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/article/1", "/api/front", "/feed.atom", "/static/style.css", "/nowhere", "/api/articles/999999"],
)
def test_security_headers_everywhere(reader: httpx.Client, path: str) -> None:
    headers = reader.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert "server" not in headers


def test_a_crash_is_a_500_with_the_same_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from broadsheet.web.views import Reading

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Reading, "front", crash)
    monkeypatch.setattr(Reading, "article", crash)
    path = archive_copy(tmp_path)
    with running(_settings(path)) as base:
        for url, kind in (("/", "text/html"), ("/api/articles/1", "application/json")):
            response = httpx.get(base + url)  # uvicorn closes a connection after a crash: one each
            assert response.status_code == 500 and response.headers["content-type"].startswith(kind)
            assert "script-src 'none'" in response.headers["content-security-policy"]
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "a bug" not in response.text  # no internals shown


def test_no_inline_script_or_style_in_any_page(reader: httpx.Client) -> None:
    for path in (
        "/",
        "/search?q=council",
        "/article/1",
        "/article/1/explain",
        "/trending",
        "/archive",
        "/saved",
        "/sources",
        "/digest",
        "/api",
    ):
        html = reader.get(path).text
        assert "<script" not in html and "<style" not in html and ' style="' not in html, path


def test_unknown_host_header_is_refused(reader: httpx.Client) -> None:
    """A DNS-rebinding page cannot read the app through a name it was not started for."""
    assert reader.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert reader.get("/", headers={"Host": "localhost"}).status_code == 200


# -- writes need the token ------------------------------------------------------------------------------


def test_read_only_by_default(reader: httpx.Client) -> None:
    for method, path, body in [
        ("POST", "/api/searches", {"name": "x", "q": "harbour"}),
        ("POST", "/api/feeds", {"url": "https://example.com/feed.xml"}),
        ("POST", "/api/ingest", {"url": "https://example.com/a"}),
        ("DELETE", "/api/searches/1", None),
    ]:
        response = reader.request(method, path, json=body, headers=auth())
        assert response.status_code == 403 and "read-only" in response.json()["detail"], path
    form = reader.post("/saved", data={"name": "x", "q": "harbour", "token": TOKEN})
    assert form.status_code == 403 and "read-only" in form.text
    assert reader.get("/api/searches").json() == []


def test_writes_need_the_right_token(writer: httpx.Client) -> None:
    body = {"name": "Harbour", "q": "harbour", "section": "Politics", "email": "reader@example.org"}
    for headers in (
        {},
        auth("wrong token, long enough"),
        auth(TOKEN + "x"),
        auth(TOKEN[:-1]),
        {"Authorization": TOKEN},
    ):
        assert writer.post("/api/searches", json=body, headers=headers).status_code == 403
    assert writer.get("/api/searches").json() == []
    created = writer.post("/api/searches", json=body, headers=auth())
    assert created.status_code == 201
    saved = created.json()
    assert saved["query"] == "harbour" and saved["filters"] == {"section": "Politics"}
    assert [s["id"] for s in writer.get("/api/searches").json()] == [saved["id"]]
    form = writer.post("/saved", data={"name": "Council", "q": "council", "token": "nope"})
    assert form.status_code == 403
    form = writer.post(
        "/saved", data={"name": "Council", "q": "council", "token": TOKEN}, follow_redirects=False
    )
    assert form.status_code == 303 and form.headers["location"] == "/saved"
    page = writer.get("/saved").text
    assert "Council" in page and "Harbour" in page and 'type="password"' in page
    assert writer.delete(f"/api/searches/{saved['id']}").status_code == 403
    assert writer.delete(f"/api/searches/{saved['id']}", headers=auth()).status_code == 204
    assert writer.delete(f"/api/searches/{saved['id']}", headers=auth()).status_code == 404
    assert writer.post("/api/searches", json={"name": "empty", "q": ""}, headers=auth()).status_code == 400
    bad_mail = writer.post(
        "/api/searches", json={"name": "x", "q": "a", "email": "a@b\r\nBcc: c@d"}, headers=auth()
    )
    assert bad_mail.status_code == 400


def test_short_tokens_are_refused() -> None:
    from broadsheet.errors import BroadsheetError

    with pytest.raises(BroadsheetError, match="at least 16"):
        WebSettings(token="hunter2")


# -- SSRF -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:9/x",
        "http://localhost/",
        "http://[::1]/",
        "http://10.0.0.8/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "http://user:pw@example.com/",
        "ftp://example.com/x",
    ],
)
def test_ssrf_targets_refused(writer: httpx.Client, target: str) -> None:
    for path in ("/api/ingest", "/api/feeds"):
        response = writer.post(path, json={"url": target}, headers=auth())
        assert response.status_code == 403, (path, target, response.text)
    assert writer.get("/api/feeds").json() == []


def test_check_target_allows_public_names_only_when_they_resolve_publicly() -> None:
    from broadsheet.web.security import TargetRefused

    with pytest.raises(TargetRefused, match="loopback"):
        check_target("http://localhost:8000/", WebSettings())
    assert check_target("http://127.0.0.1:8000/", WebSettings(allowed_networks=("127.0.0.0/8",)))


def test_ingest_a_url_when_the_network_is_allowed(tmp_path: Path) -> None:
    path = archive_copy(tmp_path)
    settings = _settings(path, token=TOKEN, allowed_networks=("127.0.0.1/32",))
    with serve_site() as site, running(settings) as base, httpx.Client(base_url=base, timeout=60) as client:
        before = client.get("/api/stats").json()["articles"]
        response = client.post("/api/ingest", json={"url": site.url("/news/3.html")}, headers=auth())
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["articles"] == 1 and result["article_id"]
        assert client.get("/api/stats").json()["articles"] == before + 1
        page = client.get(f"/article/{result['article_id']}").text
        assert site.url("/news/3.html") in page
        # a redirect to the cloud metadata address is refused by the fetcher's own guard
        hop = client.post("/api/ingest", json={"url": site.url("/to-metadata")}, headers=auth()).json()
        assert hop["articles"] == 0 and hop["rejected"] == {"blocked": 1}
        # the HTML form does the same and lands on the new article
        form = client.post(
            "/sources/ingest", data={"url": site.url("/news/4.html"), "token": TOKEN}, follow_redirects=False
        )
        assert form.status_code == 303 and form.headers["location"].startswith("/article/")
        # follow a feed, then fetch it: its pages are ingested, robots.txt and 404s are counted
        feed = client.post(
            "/api/feeds", json={"url": site.url("/feed.xml"), "name": "Test feed"}, headers=auth()
        )
        assert feed.status_code == 201
        refreshed = client.post(f"/api/feeds/{feed.json()['id']}/refresh", headers=auth()).json()
        assert refreshed["articles"] >= 2 and refreshed["rejected"]
        listed = client.get("/api/feeds").json()
        assert listed[0]["name"] == "Test feed" and listed[0]["last_report"].startswith("read ")
        assert "Test feed" in client.get("/sources").text


# -- path traversal and sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2fsettings.py",
        "/static/..\\..\\app.py",
        "/static//etc/passwd",
        "/static/style.css/../../app.py",
        "/static/%252e%252e/app.py",
    ],
)
def test_no_path_traversal(reader: httpx.Client, path: str) -> None:
    response = reader.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert (
        "root:" not in response.text
        and "create_app" not in response.text
        and "WebSettings" not in response.text
    )


def test_filter_paths_are_values_not_files(reader: httpx.Client) -> None:
    response = reader.get("/site/..%2F..%2F..%2Fetc%2Fpasswd")
    assert response.status_code == 200 and "root:" not in response.text and "0 articles" in response.text


def test_request_bodies_are_limited(reader: httpx.Client) -> None:
    big = {"name": "x", "q": "y" * 20_000}
    response = reader.post("/api/searches", json=big)
    assert response.status_code == 413 and "Content Too Large" in response.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while the body streams
        yield b'{"name": "x", "q": "'
        for _ in range(50):
            yield b"z" * 1000
        yield b'"}'

    streamed = reader.post("/api/searches", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert reader.post("/saved", data={"q": "w" * 20_000}).status_code == 413
    small = reader.post("/api/searches", json={"name": "x", "q": "y"})
    assert small.status_code == 403  # under the limit it reaches the token check
