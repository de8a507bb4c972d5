"""Screenshots of the reading room's main pages for the README: docs/screenshots/*.png.

Builds a demo archive from broadsheet's synthetic news (independent stories and wire stories run by
several sites), serves it on 127.0.0.1 and photographs it in Debian's headless Chromium through
Playwright. The synthetic pages' images live on invented hosts, so image requests are answered with
a drawn placeholder; nothing leaves the machine.

    python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path

from playwright.sync_api import Route, ViewportSize, sync_playwright

from broadsheet.archive import Archive
from broadsheet.article import Input
from broadsheet.synthetic import generate, wire_corpus
from broadsheet.web import WebSettings
from broadsheet.web.server import running

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
ROOT = Path(__file__).resolve().parent.parent


def placeholder(url: str) -> str:
    """A quiet landscape in a colour taken from the URL: harbour, hills, sky."""
    h = hashlib.blake2b(url.encode(), digest_size=3).digest()
    hue = h[0] * 360 // 256
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1600 900">'
        f'<rect width="1600" height="900" fill="hsl({hue} 25% 82%)"/>'
        f'<circle cx="{1100 + h[1]}" cy="260" r="90" fill="hsl({hue} 40% 92%)"/>'
        f'<path d="M0 600 Q400 {380 + h[2] // 2} 800 560 T1600 520 V900 H0Z" fill="hsl({hue} 20% 55%)"/>'
        f'<path d="M0 720 Q500 640 900 700 T1600 680 V900 H0Z" fill="hsl({(hue + 180) % 360} 25% 35%)"/></svg>'
    )


def build(folder: Path) -> Path:
    path = folder / "demo.db"
    pages = generate(160, seed=3) + wire_corpus(40, copies=(2, 4), seed=4)
    with Archive(path) as archive:
        archive.ingest(
            [Input(content=p.html, url=p.url, source=p.url) for p in pages], workers=0, progress=False
        )
    return path


def shoot(base: str, archive: Path, out: Path, chromium: str) -> list[Path]:
    with Archive(archive, readonly=True) as a:
        story = a.clusters(limit=1)[0]
        article = next(m for m in story.members if m.language == "en")
        stories = {s.cluster_id: s.id for s in reversed(a.latest(limit=40))}
        popular = list(stories.values())[-6:]
    desktop: ViewportSize = {"width": 1280, "height": 1000}
    shots: list[tuple[str, str, ViewportSize]] = [
        ("front", "/", desktop),
        ("article", f"/article/{article.id}", desktop),
        ("search", "/search?q=council+OR+harbour", desktop),
        ("explain", f"/article/{article.id}/explain", desktop),
        ("mobile", f"/article/{article.id}", {"width": 390, "height": 844}),
    ]
    written = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 1000},
        )

        def images(route: Route) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            elif route.request.resource_type == "image":
                route.fulfill(status=200, content_type="image/svg+xml", body=placeholder(route.request.url))
            else:
                route.abort()

        context.route("**/*", images)
        page = context.new_page()
        for n, article_id in enumerate(popular):  # give "Most read here" something to show
            for _ in range(len(popular) - n):
                page.goto(f"{base}/article/{article_id}")
        for name, path, viewport in shots:
            page.set_viewport_size(viewport)
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            written.append(target)
        context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        archive = build(Path(folder))
        settings = WebSettings(archive=str(archive), state=str(Path(folder) / "demo.web"))
        with running(settings) as base:
            for path in shoot(base, archive, args.out, args.chromium):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
