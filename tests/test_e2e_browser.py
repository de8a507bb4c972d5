"""End to end in a real headless Chromium (Debian's, driven by Playwright) against a real server on
127.0.0.1: browse, search, read an article and its explain view, follow a feed, and check that no
script carried by an article ever runs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api", reason="end-to-end tests need playwright (test extra)")

from broadsheet.archive import Archive  # noqa: E402
from broadsheet.web import WebSettings  # noqa: E402
from broadsheet.web.server import running  # noqa: E402
from webroom import archive_copy, hostile_ids  # noqa: E402

CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
]

#: Everything the article payloads try: set a global, change the title, open a dialog.
PWNED = "() => ({pwned: window.__pwned, title: document.title})"
DOM_AUDIT = """() => ({
  scripts: document.scripts.length,
  handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name))
            .map(a => e.tagName + ' ' + a.name)),
  scriptUrls: [...document.querySelectorAll('[href],[src],[action]')].map(e => e.getAttribute('href') ||
              e.getAttribute('src') || e.getAttribute('action')).filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)),
  frames: document.querySelectorAll('iframe, frame, object, embed').length,
})"""
#: Fire at every element what a smuggled handler would wait for (a handler present would run, or at
#: least trip the CSP, which the test would see in the console).
POKE = """() => document.querySelectorAll('body *').forEach(e =>
  ['mouseover', 'mouseenter', 'focus', 'load', 'error', 'animationstart'].forEach(t => e.dispatchEvent(new Event(t))))"""
A11Y_AUDIT = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(parseFloat); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0.5) return c; } return parse(getComputedStyle(document.documentElement).backgroundColor) || {r: 255, g: 255, b: 255}; };
  const lowContrast = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el) || el.closest('svg')) continue;
    seen.add(el);
    const cs = getComputedStyle(el), box = el.getBoundingClientRect();
    if (cs.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue;
    const fg = lum(parse(cs.color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(cs.fontSize), large = size >= 24 || (parseInt(cs.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)} ${node.textContent.trim().slice(0, 30)}`);
  }
  const unlabelled = [...document.querySelectorAll('input, select, textarea')]
    .filter(i => i.type !== 'hidden' && !(i.labels && i.labels.length) && !i.getAttribute('aria-label')).map(i => i.name);
  return {
    lang: document.documentElement.lang,
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    banner: document.querySelectorAll('body > header').length,
    contentinfo: document.querySelectorAll('body > footer').length,
    navs: [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label')),
    imagesWithoutAlt: [...document.querySelectorAll('img')].filter(i => !i.hasAttribute('alt')).length,
    unlabelled, lowContrast,
    skipFirst: document.querySelector('a[href]')?.getAttribute('href'),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    path = archive_copy(tmp_path_factory.mktemp("e2e"))
    with running(WebSettings(archive=str(path), state=str(path.with_suffix(".web")), page_size=10)) as base:
        yield base, path


@pytest.fixture(scope="module")
def browser_context() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="broadsheet-chromium-")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
        )
        # nothing leaves the machine: article images point at their publishers' servers
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
            ),
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    page = browser_context.new_page()
    # what the pages do is checked, not how fast: a shared machine under load (a fuzz campaign beside the
    # suite) took over 15 s to serve the first page, which is no failure of the reading room
    page.set_default_timeout(60_000)
    page.dialogs, page.errors, page.console_lines = [], [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.console_lines.append(m.text))
    yield page
    page.close()


def test_browse_front_section_article_explain(page: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    page.goto(base + "/")
    assert page.title() == "Front page · broadsheet"
    section = page.locator("nav.sections a").nth(1)
    name = section.inner_text()
    section.click()
    assert page.locator("h1").inner_text() == name.title() or page.locator("h1").inner_text().upper() == name
    first = page.locator(".results .headline a").first
    headline = first.inner_text()
    first.click()
    assert page.locator("article.story h1").inner_text() == headline
    assert page.locator(".byline").is_visible() and page.locator(".body p").count() >= 2
    assert page.locator("figure.photo figcaption").first.is_visible()
    page.get_by_role("link", name="How this page was cleaned").click()
    assert page.locator("h1").inner_text().startswith("How “")
    assert page.locator("tr.kept").count() >= 3 and page.locator("tr.removed").count() >= 3
    assert not page.errors and not page.dialogs


def test_search_filter_and_page(page: Any, site: tuple[str, Path]) -> None:
    base, path = site
    page.goto(base + "/")
    page.get_by_label("Search the archive").fill("council")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=council")
    assert page.locator(".results mark").count() >= 3
    assert page.locator("svg.chart rect.bar").count() > 3
    assert page.get_by_role("img", name="Articles per").is_visible()
    with Archive(path, readonly=True) as archive:
        site_name, count = archive.facet("site", "council", limit=1)[0]
        total = archive.count("council")
    assert page.locator(".page-head").inner_text().find(f"{total} articles") >= 0
    page.locator(".facets a", has_text=site_name).first.click()
    assert "site=" in page.url
    assert page.locator(".page-head").inner_text().find(f"{count} articles") >= 0
    assert all(s == site_name for s in page.locator(".results .meta .site").all_inner_texts())
    page.get_by_label("From", exact=True).fill("2024-01-01")
    page.get_by_role("button", name="Search", exact=True).last.click()
    assert "since=2024-01-01" in page.url
    page.goto(base + "/search?q=council")
    page.get_by_role("link", name="Next →").click()
    assert "page=2" in page.url and "Page 2 of" in page.locator(".pager").inner_text()


def test_follow_a_feed(page: Any, site: tuple[str, Path]) -> None:
    base, path = site
    with Archive(path, readonly=True) as archive:
        section = archive.facet("section", limit=1)[0][0]
    page.goto(f"{base}/section/{section}")
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert href == f"/feed.atom?section={section}"
    response = page.request.get(base + href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.body())
    entries = feed.findall(f"{ATOM}entry")
    listed = page.locator(".results .headline a").all_inner_texts()
    assert [e.findtext(f"{ATOM}title") for e in entries][: len(listed)] == listed
    link = entries[0].find(f"{ATOM}link[@rel='alternate']")
    assert link is not None
    page.goto(link.get("href"))
    assert page.locator("article.story h1").inner_text() == entries[0].findtext(f"{ATOM}title")
    rss_link = page.locator("footer a", has_text="RSS feed")
    assert rss_link.count() == 0  # an article page offers no feed of its own; the listing did
    page.goto(f"{base}/section/{section}")
    rss = page.request.get(base + page.locator('link[type="application/rss+xml"]').get_attribute("href"))
    assert etree.fromstring(rss.body()).find("channel/item/title").text == listed[0]


def test_no_script_from_an_article_ever_runs(page: Any, site: tuple[str, Path]) -> None:
    base, path = site
    ids = hostile_ids(path)
    assert len(ids) == 2
    pages = (
        [f"/article/{i}" for i in ids]
        + [f"/article/{i}/explain" for i in ids]
        + [
            "/",
            "/search?q=harbour+OR+quay",
            "/trending",
            "/archive/2024-05",
            "/tag/Quay",
            f"/api/articles/{ids[1]}",
            "/feed.atom?q=quay",
            "/feed.rss?q=quay",
        ]
    )
    for url in pages:
        page.goto(base + url)
        page.evaluate(POKE)
        state = page.evaluate(PWNED)
        assert state["pwned"] is None, (url, state)
        assert state["title"] != "pwned", (url, state)
        if not url.startswith(("/api/", "/feed")):
            audit = page.evaluate(DOM_AUDIT)
            assert audit == {"scripts": 0, "handlers": [], "scriptUrls": [], "frames": 0}, (url, audit)
    article = page.goto(f"{base}/article/{ids[0]}")
    assert article is not None and "script-src 'none'" in article.headers["content-security-policy"]
    assert "<script>window.__pwned=1</script>" in page.locator("h1").inner_text()  # shown as text
    assert not page.dialogs and not page.errors
    assert not [line for line in page.console_lines if "Content Security Policy" in line], (
        "nothing even tried to run: escaping stopped it before the CSP had to"
    )


def test_the_checks_can_fail(page: Any, site: tuple[str, Path]) -> None:
    """Controls: the same probes see a script that does run, and the CSP blocks one that slipped in."""
    base, path = site
    page.set_content(
        "<title>t</title><script>window.__pwned = 1; document.title = 'pwned'; alert('x')</script>"
    )
    assert page.evaluate(PWNED) == {"pwned": 1, "title": "pwned"} and page.dialogs == ["x"]
    page.set_content('<p onmouseover="window.__pwned = 2">hover me</p>')
    page.evaluate(POKE)
    assert page.evaluate(PWNED)["pwned"] == 2
    article_id = hostile_ids(path)[0]

    def inject(route: Any) -> None:
        response = route.fetch()
        body = response.text().replace("</main>", "<script>window.__pwned = 'injected'</script></main>")
        route.fulfill(response=response, body=body)

    page.route(f"{base}/article/{article_id}", inject)
    page.goto(f"{base}/article/{article_id}")
    assert page.evaluate(PWNED)["pwned"] is None
    assert any("Content Security Policy" in line for line in page.console_lines)


@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=council", "/article/{id}", "/article/{id}/explain", "/trending", "/archive", "/saved"],
)
def test_accessible(page: Any, site: tuple[str, Path], path: str) -> None:
    base, archive_path = site
    with Archive(archive_path, readonly=True) as archive:
        article_id = archive.latest(limit=1)[0].id
    page.goto(base + path.format(id=article_id))
    audit = page.evaluate(A11Y_AUDIT)
    assert audit["lang"] == "en" and audit["h1"] == 1 and audit["main"] == 1
    assert audit["banner"] == 1 and audit["contentinfo"] == 1 and "Sections" in audit["navs"]
    assert audit["imagesWithoutAlt"] == 0 and audit["unlabelled"] == []
    assert audit["lowContrast"] == [], audit["lowContrast"]
    assert audit["skipFirst"] == "#main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


@pytest.mark.parametrize("path", ["/", "/search?q=council", "/article/{id}", "/article/{id}/explain"])
def test_narrow_screens_do_not_scroll_sideways(page: Any, site: tuple[str, Path], path: str) -> None:
    base, archive_path = site
    with Archive(archive_path, readonly=True) as archive:
        article_id = archive.latest(limit=1)[0].id
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(base + path.format(id=article_id))
    assert page.evaluate(A11Y_AUDIT)["overflow"] <= 0
