"""The reading room's pages, JSON API and feeds, against a real server on 127.0.0.1 over a test archive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

pytest.importorskip("fastapi")

from broadsheet.archive import Archive
from broadsheet.web import WebSettings
from broadsheet.web.server import running
from webroom import HOSTILE_URL, archive_copy

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archive_copy(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def archive(archive_path: Path) -> Iterator[Archive]:
    with Archive(archive_path, readonly=True) as a:
        yield a


@pytest.fixture(scope="module")
def client(archive_path: Path) -> Iterator[httpx.Client]:
    settings = WebSettings(
        archive=str(archive_path), state=str(archive_path.with_suffix(".web")), page_size=10
    )
    with running(settings) as base, httpx.Client(base_url=base, timeout=30) as c:
        yield c


def ok(client: httpx.Client, url: str, **params: object) -> httpx.Response:
    response = client.get(url, params=params or None)  # type: ignore[arg-type]
    assert response.status_code == 200, (url, response.status_code, response.text[:500])
    return response


def text_of(html: str) -> str:
    """Visible text, roughly: tags dropped, entities left as they are."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def plain_facet(archive: Archive, kind: str) -> tuple[str, int]:
    """The most common value of ``kind`` that is not one of the hostile article's payloads."""
    return next((v, n) for v, n in archive.facet(kind) if not set(v) & set("<>\"'"))


# -- pages ---------------------------------------------------------------------------------------------


def test_front_page_groups_latest_by_section(client: httpx.Client, archive: Archive) -> None:
    html = ok(client, "/").text
    newest = archive.latest(limit=1)[0]
    assert f'href="/article/{newest.id}"' in html
    for name, _ in archive.facet("section", limit=3):
        assert f'href="/section/{name}"' in html
    assert "Most covered" in html and "Most read here" in html
    biggest = archive.clusters(limit=1)[0]
    assert f'href="/story/{biggest.id}"' in html
    front = ok(client, "/api/front").json()
    shown = front["lead"] + [s for block in front["sections"] for s in block["items"]]
    stories = [s["cluster_id"] for s in shown if s["cluster_id"] is not None]  # None: a story run once
    assert len(stories) == len(set(stories)), "a story run by several sites is on the front page once"


def test_search_highlights_and_counts(client: httpx.Client, archive: Archive) -> None:
    html = ok(client, "/search", q="council").text
    total = archive.count("council")
    assert total > 10
    assert f"{total} articles" in html
    assert "<mark>council</mark>" in html.lower() or "<mark>Council</mark>" in html
    assert "Page 1 of" in html and 'rel="next"' in html


def test_search_filters_narrow_results(client: httpx.Client, archive: Archive) -> None:
    site, _ = archive.facet("site", "council", limit=1)[0]
    section, _ = archive.facet("section", "council", limit=1, site=site)[0]
    data = ok(client, "/api/articles", q="council", site=site, section=section).json()
    assert data["total"] == archive.count("council", site=site, section=section)
    assert data["items"] and all(i["site"] == site and i["section"] == section for i in data["items"])
    days = sorted((i.published or "")[:10] for i in archive.latest(limit=200) if i.published)
    since, until = days[len(days) // 4], days[3 * len(days) // 4]
    data = ok(client, "/api/articles", since=since, until=until).json()
    assert data["total"] == archive.count(since=since, until=until) > 0
    assert all(since <= i["published"][:10] <= until for i in data["items"])
    assert ok(client, "/api/articles", lang="de").json()["total"] == archive.count(lang="de") > 0


def test_pagination_pages_are_disjoint(client: httpx.Client) -> None:
    first = ok(client, "/api/articles", page=1).json()
    second = ok(client, "/api/articles", page=2).json()
    assert first["pages"] > 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    html = ok(client, "/search", page=2).text
    assert 'rel="prev"' in html and "Page 2 of" in html
    assert client.get("/search", params={"page": first["pages"] + 1}).status_code == 404
    assert client.get("/search", params={"page": 0}).status_code == 400
    assert client.get("/search", params={"page": 10_000}).status_code == 400


@pytest.mark.parametrize("kind", ["site", "section", "author", "tag"])
def test_filter_pages(client: httpx.Client, archive: Archive, kind: str) -> None:
    value, count = plain_facet(archive, kind)
    html = ok(client, f"/{kind}/{value}").text
    assert f"<h1>{value}</h1>" in html
    assert f"{count} articles" in html
    assert f"/feed.atom?{kind}=" in html


def test_archive_by_date(client: httpx.Client, archive: Archive) -> None:
    html = ok(client, "/archive").text
    day = archive.latest(limit=1)[0].published[:10]
    assert f'href="/archive/{day[:7]}"' in html and f'href="/archive/{day[:4]}"' in html
    month = ok(client, f"/archive/{day[:7]}").text
    assert f"{archive.count(since=day[:7] + '-01', until=day[:7] + '-31')} articles" in month
    assert f"{archive.count(since=day, until=day)} article" in ok(client, f"/archive/{day}").text
    assert client.get("/archive/2024-13").status_code == 404
    assert client.get("/archive/yesterday").status_code == 404


def test_article_page_shows_everything(client: httpx.Client, archive: Archive) -> None:
    summary = next(s for s in archive.latest(limit=50) if s.cluster_size > 1 and s.authors)
    stored = archive.get(summary.id)
    assert stored is not None
    a = stored.article
    html = ok(client, f"/article/{summary.id}").text
    assert f"<h1>{a.title}</h1>" in html
    assert a.description and a.description in html
    assert all(f'href="/author/{name.replace(" ", "%20")}"' in html for name in a.authors)
    assert (
        a.images
        and a.images[0].caption
        and a.images[0].caption in html
        and (a.images[0].credit or "") in html
    )
    assert a.url and f'href="{a.url}"' in html
    assert f'href="/article/{summary.id}/explain"' in html
    assert "Also published by" in html
    cluster = archive.cluster(summary.cluster_id or 0)
    assert cluster is not None
    for other in cluster.members:
        if other.id != summary.id:
            assert f'href="/article/{other.id}"' in html
    first = text_of(html).find(a.text.split("\n\n")[0][:60])
    assert first > 0


def test_explain_view_lists_kept_and_removed_blocks(client: httpx.Client, archive: Archive) -> None:
    article_id = archive.latest(limit=1)[0].id
    html = ok(client, f"/article/{article_id}/explain").text
    assert html.count('<tr class="kept">') >= 3
    assert html.count('<tr class="removed">') >= 3
    assert "Why blocks were removed" in html
    data = ok(client, f"/api/articles/{article_id}/explain").json()
    assert data["kept"] == html.count('<tr class="kept">') and data["removed"] == html.count(
        '<tr class="removed">'
    )
    assert any(d["role"] == "body" and d["kept"] for d in data["decisions"])


def test_story_and_trending(client: httpx.Client, archive: Archive) -> None:
    biggest = archive.clusters(limit=1)[0]
    html = ok(client, f"/story/{biggest.id}").text
    assert all(f'href="/article/{m.id}"' in html for m in biggest.members)
    trending = ok(client, "/trending").text
    assert f'href="/story/{biggest.id}"' in trending
    assert client.get("/story/999999").status_code == 404


def test_most_read_counts_views(client: httpx.Client, archive: Archive) -> None:
    target = archive.latest(limit=30)[-1].id
    for _ in range(3):
        ok(client, f"/article/{target}")
    ok(client, f"/api/articles/{target}")  # the API does not count as a reader
    data = ok(client, "/api/trending").json()
    reads = {r["article"]["id"]: r["views"] for r in data["most_read"]}
    assert reads[target] == 3
    assert data["most_read"][0]["views"] >= 3
    assert f'href="/article/{target}"' in ok(client, "/trending").text


def test_attention_chart(client: httpx.Client, archive: Archive) -> None:
    html = ok(client, "/search", q="harbour").text
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S)
    assert svg is not None
    bars = re.findall(r'<rect class="bar"', svg.group(0))
    counted = sum(int(n) for n in re.findall(r": (\d+) articles?</title>", svg.group(0)))
    assert counted == archive.count("harbour") and bars
    assert 'href="/search?q=harbour&amp;since=' in svg.group(0)
    days = ok(client, "/api/attention", q="harbour").json()
    assert sum(d["count"] for d in days) == archive.count("harbour")


def test_other_pages(client: httpx.Client) -> None:
    assert "Saved searches" in ok(client, "/saved").text
    assert "read-only" in ok(client, "/saved").text
    assert "Followed feeds" in ok(client, "/sources").text
    assert "What the saved searches would receive" in ok(client, "/digest").text
    api = ok(client, "/api").text
    assert "/api/articles/{article_id}/explain" in api
    assert ok(client, "/robots.txt").text.startswith("User-agent: *")
    assert ok(client, "/static/style.css").headers["content-type"].startswith("text/css")
    assert ok(client, "/static/favicon.svg").text.startswith("<svg")


def test_errors_are_pages_or_json(client: httpx.Client) -> None:
    missing = client.get("/article/999999")
    assert (
        missing.status_code == 404
        and "Not found" in missing.text
        and "text/html" in missing.headers["content-type"]
    )
    assert client.get("/api/articles/999999").json() == {"detail": "no article 999999"}
    bad = client.get("/search", params={"since": "last tuesday"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
    assert client.get("/api/articles", params={"until": "2024-02-31"}).status_code == 400
    assert client.get("/api/articles", params={"q": "x" * 201}).status_code == 422
    assert client.get("/nowhere").status_code == 404
    assert client.post("/search").status_code == 405


# -- JSON API ------------------------------------------------------------------------------------------


def test_openapi_lists_every_endpoint(client: httpx.Client) -> None:
    doc = ok(client, "/api/openapi.json").json()
    paths = set(doc["paths"])
    assert {
        "/api/front",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/articles/{article_id}/explain",
        "/api/articles/{article_id}/versions",
        "/api/attention",
        "/api/facets/{field}",
        "/api/stories/{cluster_id}",
        "/api/trending",
        "/api/archive",
        "/api/stats",
        "/api/searches",
        "/api/feeds",
        "/api/ingest",
        "/api/digest",
        "/api/feeds/{feed_id}/refresh",
        "/api/searches/{search_id}",
    } <= paths
    assert not any(not p.startswith("/api/") for p in paths), "HTML pages stay out of the API document"
    assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_api_matches_archive(client: httpx.Client, archive: Archive) -> None:
    front = ok(client, "/api/front").json()
    assert front["total"] == archive.count()
    assert front["lead"][0]["id"] == archive.latest(limit=1)[0].id
    assert {b["name"] for b in front["sections"]} <= {n for n, _ in archive.facet("section")}
    stats = ok(client, "/api/stats").json()
    assert stats["articles"] == archive.stats().articles
    facets = ok(client, "/api/facets/site").json()
    assert [tuple(x) for x in facets] == archive.facet("site")
    assert client.get("/api/facets/colour").status_code == 404
    months = ok(client, "/api/archive").json()
    assert sum(y["count"] for y in months) == sum(n for _, n in archive.counts_by_day())
    one = archive.latest(limit=1)[0]
    detail = ok(client, f"/api/articles/{one.id}").json()
    assert detail["article"]["title"] == one.title and detail["id"] == one.id
    versions = ok(client, f"/api/articles/{one.id}/versions").json()
    assert [v["id"] for v in versions] == [one.id]
    cluster = archive.clusters(limit=1)[0]
    story = ok(client, f"/api/stories/{cluster.id}").json()
    assert story["size"] == cluster.size and len(story["members"]) == cluster.size
    listing = ok(client, "/api/articles", q="harbour", facets=["site", "section"]).json()
    assert set(listing["facets"]) == {"site", "section"}
    assert sum(b["count"] for b in listing["bins"]) == listing["total"]
    assert client.get("/api/articles", params={"facets": "colour"}).status_code == 400


# -- feeds ---------------------------------------------------------------------------------------------


def _atom_titles(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]


def test_feeds_follow_any_listing(client: httpx.Client, archive: Archive) -> None:
    atom = ok(client, "/feed.atom", q="council")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    expected = [s.title for s in archive.search("council", limit=20)]
    assert _atom_titles(atom.content) == expected
    rss = ok(client, "/feed.rss", q="council")
    assert rss.headers["content-type"].startswith("application/rss+xml")
    channel = etree.fromstring(rss.content).find("channel")
    assert channel is not None
    assert [i.findtext("title") for i in channel.iter("item")] == expected
    links = [i.findtext("link") for i in channel.iter("item")]
    assert all(link and link.startswith(str(client.base_url).rstrip("/") + "/article/") for link in links)
    for kind in ("site", "section", "author", "tag"):
        value, count = plain_facet(archive, kind)
        titles = _atom_titles(ok(client, "/feed.atom", **{kind: value}).content)
        assert len(titles) == min(count, 20)


def test_feeds_escape_hostile_titles(client: httpx.Client) -> None:
    for path in ("/feed.atom", "/feed.rss"):
        raw = ok(client, path, q="quay OR harbour").content
        etree.fromstring(raw)  # well-formed whatever the titles held
        assert b"<script>" not in raw and b"&lt;script&gt;" in raw


def test_hostile_page_was_extracted_with_its_payloads(archive: Archive) -> None:
    """The security tests mean something only if the payloads really reached the archive as text."""
    stored = archive.get(HOSTILE_URL)
    assert stored is not None
    assert "<script>" in (stored.article.title or "")
    assert any("onerror" in (img.caption or "") for img in stored.article.images)
    assert "<script>" in stored.article.text and "javascript:" in stored.article.text


def test_broad_listings_leave_facets_out(archive_path: Path, archive: Archive) -> None:
    settings = WebSettings(
        archive=str(archive_path), state=str(archive_path.with_suffix(".web2")), facet_limit=10
    )
    with running(settings) as base, httpx.Client(base_url=base) as c:
        broad = c.get("/api/articles", params={"q": "council", "facets": ["site"]}).json()
        assert broad["total"] > 10 and broad["facets"] == {} and broad["facets_left_out"] is True
        assert "add a word or a filter" in c.get("/search", params={"q": "council"}).text
        narrow = c.get("/api/articles", params={"q": "quay", "facets": ["site"]}).json()
        assert 0 < narrow["total"] <= 10 and narrow["facets"]["site"] and not narrow["facets_left_out"]
