"""A small archive for the reading room's tests: synthetic news, wire stories in clusters, and hostile
articles whose title, dek, byline, captions, tags, body and URLs carry script payloads.

``archive_copy(dest)`` hands each test module its own copy of one archive built per test run.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from broadsheet.archive import Archive
from broadsheet.article import Article, Block, Image, Input
from broadsheet.synthetic import generate, wire_corpus

__all__ = [
    "HOSTILE_HTML",
    "HOSTILE_SOURCE",
    "HOSTILE_URL",
    "archive_copy",
    "hostile_article",
    "hostile_ids",
    "pages",
]

HOSTILE_URL = "https://www.harbourcourier.example/politics/2024/05/02/hostile-harbour-vote"
HOSTILE_SOURCE = "hand-made:hostile-article"

#: A news page whose *text* carries payloads (escaped in the HTML, so extraction keeps them as text),
#: plus live script, event handlers and javascript: links that extraction must drop.
HOSTILE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour &lt;script&gt;window.__pwned=1&lt;/script&gt; vote | The Harbour Courier</title>
<meta property="og:site_name" content="The Harbour Courier">
<meta property="og:image" content="javascript:window.__pwned=2">
<script>window.__pwned = 3; document.title = "pwned";</script>
</head><body onload="window.__pwned=4">
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav></header>
<main><article>
<h1>Harbour &lt;script&gt;window.__pwned=1&lt;/script&gt; vote splits the council</h1>
<p class="dek">A dek with &lt;img src=x onerror="window.__pwned=5"&gt; inside it.</p>
<div class="byline">By <span class="author">Ada &lt;svg onload=window.__pwned=6&gt; Lovelace</span>
<time datetime="2024-05-02T09:30">May 2, 2024</time></div>
<figure><img src="javascript:window.__pwned=7" onerror="window.__pwned=8" alt="x">
<figcaption>Residents &lt;img src=x onerror="window.__pwned=9"&gt; at the harbour
<span class="credit">(Photo: &lt;script&gt;window.__pwned=10&lt;/script&gt;)</span></figcaption></figure>
<p>The harbour council voted on Tuesday to rebuild the sea wall after a long and difficult debate
that split the chamber. &lt;script&gt;window.__pwned=11;alert(11)&lt;/script&gt; Members argued for hours
about the cost of the work and about who should pay for it in the years to come.</p>
<p onclick="window.__pwned=12">Opponents said the plan was rushed and that residents had not been asked.
&lt;a href="javascript:window.__pwned=13"&gt;click&lt;/a&gt; Supporters said the wall could not wait another
winter, and that the council had a duty to act before the next storm season arrived.</p>
<script>window.__pwned = 14; alert(14);</script>
<p>The mayor said the vote was <a href="javascript:window.__pwned=15">a turning point</a> for the town,
and promised that the first stones would be laid before the end of the summer, on time and on budget.</p>
<p>Work is due to start in June. &lt;iframe src="javascript:window.__pwned=16"&gt;&lt;/iframe&gt; The council
will publish the full costs of the project next month, along with a timetable for the construction.</p>
<div class="tags">Tags: <a rel="tag" href="/tag/x">&lt;b onmouseover=window.__pwned=17&gt;Harbour&lt;/b&gt;</a></div>
</article></main>
<footer><p>© 2024 The Harbour Courier</p></footer>
</body></html>
"""


def hostile_ids(path: Path) -> list[int]:
    """Ids of the two hostile articles in an archive made by ``archive_copy``: extracted, then hand-made."""
    with Archive(path, readonly=True) as archive:
        found = [archive.get(HOSTILE_URL), archive.get(hostile_article().url or "")]
    ids = [s.id for s in found if s is not None]
    assert len(ids) == 2, "the test archive lost a hostile article"
    return ids


def hostile_article() -> Article:
    """An article as a hostile source could make one: every field a payload, every URL a script."""
    return Article(
        url="javascript:window.__pwned=20",
        canonical_url="javascript:window.__pwned=21",
        site_name='Evil" onmouseover="window.__pwned=22',
        section="<b onmouseover=window.__pwned=23>Politics</b>",
        title="<script>window.__pwned=24;document.title='pwned'</script>Quay deal <img src=x onerror=alert(25)>",
        description='"><img src=x onerror="window.__pwned=26">',
        authors=['<svg onload="window.__pwned=27">'],
        published="2024-05-03T08:00:00",
        language='en" onfocus="window.__pwned=28',
        tags=['"><script>window.__pwned=29</script>', "Quay"],
        images=[
            Image(
                url="javascript:window.__pwned=30",
                caption='<img src=x onerror="window.__pwned=31">',
                credit="</figcaption><script>window.__pwned=32</script>",
            )
        ],
        text="<script>window.__pwned=33</script>\n\n<iframe src=javascript:window.__pwned=34>",
        blocks=[
            Block("paragraph", "<script>window.__pwned=33</script> The quay deal was signed on Friday."),
            Block("heading", '<iframe src="javascript:window.__pwned=34"></iframe>', 2),
            Block("list_item", "<a href=javascript:window.__pwned=35>first</a>"),
            Block("quote", '"><style>body{display:none}</style>'),
        ],
        kind="html",
        confidence=0.9,
    )


@functools.cache
def pages() -> tuple[Input, ...]:
    """The inputs of the test archive: 48 independent stories and 12 wire stories run by several sites."""
    synthetic = generate(48, seed=7) + wire_corpus(12, copies=(2, 4), seed=8)
    inputs = [Input(content=p.html, url=p.url, source=p.url) for p in synthetic]
    inputs.append(Input(content=HOSTILE_HTML, url=HOSTILE_URL, source=HOSTILE_URL, kind="html"))
    return tuple(inputs)


@functools.cache
def _built() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-web-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "news.db"
    with Archive(path) as archive:
        archive.ingest(list(pages()), workers=0, progress=False)
        archive.add(hostile_article(), source=HOSTILE_SOURCE, raw="<p>made by hand</p>")
    return path


def archive_copy(dest: Path) -> Path:
    """A private copy of the test archive in ``dest`` (built once per test run)."""
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / "news.db"
    shutil.copyfile(_built(), target)
    return target
