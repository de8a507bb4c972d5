"""The archive: accounting, idempotence, versions, search and filters, exports, errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from broadsheet import Archive, Input
from broadsheet.archive import parse_query
from broadsheet.archive.export import read_export
from broadsheet.archive.sqlite import sqlite_path
from broadsheet.errors import ArchiveError, BroadsheetError
from broadsheet.synthetic import SITES, generate, make_story, render_page


@pytest.fixture(scope="module")
def pages():
    return generate(24, seed=5)


def page_inputs(pages) -> list[Input]:
    return [
        Input(content=p.html, url=p.url, source=f"gen#{i}", fetched_at="2025-05-01")
        for i, p in enumerate(pages)
    ]


def edit_body(html: str, addition: str) -> str:
    """The page with a sentence added to its first body paragraph."""
    start = html.index('<div class="article-body">')
    end = html.index("</p>", start)
    return html[:end] + " " + addition + html[end:]


def bad_inputs() -> list[Input]:
    return [
        Input(content=b"", source="bad#empty"),
        Input(content=b"\x00\x01\x02\x03PK\x00\x00binary", source="bad#binary"),
        Input(content=b"", source="bad#truncated", rejection="unreadable", error="truncated gzip member"),
        Input(
            content="<html><body><ul>" + "<li><a href='/x'>Link</a></li>" * 40 + "</ul></body></html>",
            url="https://listing.example/",
            source="bad#listing",
        ),
    ]


@pytest.fixture
def archive(tmp_path: Path):
    with Archive(tmp_path / "news.db") as a:
        yield a


@pytest.fixture
def filled(archive: Archive, pages) -> Archive:
    archive.ingest(page_inputs(pages), workers=0)
    return archive


def test_every_input_is_an_article_or_a_counted_rejection(archive: Archive, pages) -> None:
    inputs = page_inputs(pages) + bad_inputs()
    report = archive.ingest(inputs, workers=0)
    stats = archive.stats()
    assert report.read == len(inputs) == stats.inputs
    assert stats.urls + stats.rejected == stats.inputs
    assert report.articles == stats.urls == len(pages)
    assert stats.rejections["unreadable"] == 1 and stats.rejections["empty"] == 1
    assert stats.rejections["binary"] == 1
    rejected = {r.source: r for r in archive.rejections()}
    assert set(rejected) == {"bad#empty", "bad#binary", "bad#truncated", "bad#listing"}
    assert rejected["bad#truncated"].error and "truncated" in rejected["bad#truncated"].error
    assert [r.source for r in archive.rejections("empty")] == ["bad#empty"]


def test_an_unreadable_page_url_is_stored_without_a_site(archive: Archive, pages) -> None:
    # ``urlsplit`` raises on an unclosed IPv6 bracket; it once stopped the whole ingestion in the writer
    page = pages[0]
    report = archive.ingest([Input(content=page.html, url="http://[bad/story", source="odd#url")], workers=0)
    assert report.articles == 1 and archive.stats().urls == 1
    stored = archive.get("http://[bad/story")
    assert stored is not None and stored.article.title


def test_ingesting_the_same_inputs_twice_adds_nothing(archive: Archive, pages) -> None:
    inputs = page_inputs(pages) + bad_inputs()
    archive.ingest(inputs, workers=0)
    before = archive.stats()
    again = archive.ingest(inputs, workers=0)
    after = archive.stats()
    assert again.unchanged == len(inputs) and again.stored == 0
    assert (after.inputs, after.articles, after.rejections) == (
        before.inputs,
        before.articles,
        before.rejections,
    )


def test_a_changed_article_at_the_same_url_becomes_a_new_version(archive: Archive, pages) -> None:
    page = pages[0]
    archive.ingest([Input(content=page.html, url=page.url, source="crawl-1")], workers=0)
    changed = edit_body(page.html, "A correction was appended to this paragraph.")
    report = archive.ingest([Input(content=changed, url=page.url, source="crawl-2")], workers=0)
    assert report.versions == 1
    same_again = archive.ingest([Input(content=changed, url=page.url, source="crawl-3")], workers=0)
    assert same_again.rejected == {"duplicate": 1}
    versions = archive.versions(page.url)
    assert [v.version for v in versions] == [1, 2]
    assert [v.latest for v in versions] == [False, True]
    latest = archive.get(page.url)
    assert latest is not None and latest.version == 2 and "correction was appended" in latest.article.text
    assert archive.count("correction appended") == 1
    assert archive.count() == 1, "search sees only the latest version"
    stats = archive.stats()
    assert (stats.inputs, stats.articles, stats.urls, stats.versions) == (3, 2, 1, 1)
    duplicate = archive.rejections("duplicate")[0]
    assert duplicate.source == "crawl-3" and duplicate.duplicate_of == latest.id


def test_get_by_id_and_url_and_stored_input(filled: Archive, pages) -> None:
    stored = filled.get(pages[3].url)
    assert stored is not None
    assert filled.get(stored.id) == stored
    assert stored.source == "gen#3" and stored.article.title
    given = filled.input_of(stored.id)
    assert given is not None and given.content == pages[3].html and given.url == pages[3].url
    explained = filled.explain(stored.id)
    assert explained is not None and explained.explain
    removed = [d for d in explained.explain if not d.kept]
    assert any("Most Read" in d.text for d in removed)
    assert filled.get(10_000) is None and filled.get("https://nowhere.example/") is None


def test_search_ranks_snippets_and_filters(filled: Archive, pages) -> None:
    target = pages[7]
    stored = filled.get(target.url)
    assert stored is not None and stored.article.title
    words = stored.article.title.split()
    hits = filled.search(" ".join(words))
    assert hits and hits[0].id == stored.id, "the page whose headline is the query ranks first"
    assert all(h.snippet and "<mark>" in h.snippet for h in hits)
    assert hits[0].score is not None and hits[0].score >= hits[-1].score  # type: ignore[operator]
    site = stored.article.site_name
    assert site
    in_site = filled.search(words[0], site=site, limit=100)
    assert in_site and all(h.site == site for h in in_site)
    lang = filled.search("", lang="de", limit=100)
    assert lang and all(h.language == "de" for h in lang)
    assert filled.count("", lang="de") == len(lang)


def test_date_author_section_filters_and_listings(filled: Archive) -> None:
    newest = filled.latest(limit=100)
    assert len(newest) == filled.count()
    dated = [h for h in newest if h.published]
    assert dated == sorted(dated, key=lambda h: h.published or "", reverse=True)
    assert all(h.day == (h.published or "2025-05-01")[:10] for h in newest), "undated: the crawl day"
    day = dated[len(dated) // 2].day
    assert day
    on_day = filled.latest(since=day, until=day, limit=100)
    assert on_day and all(h.day == day for h in on_day)
    later = filled.latest(since=day, limit=100)
    assert later and all((h.day or "") >= day for h in later)
    assert len(later) + len(filled.latest(until=day, limit=100)) == len(newest) + len(on_day)
    author = next(h.authors[0] for h in newest if h.authors)
    assert all(author in h.authors for h in filled.latest(author=author, limit=100))
    assert filled.latest(author=author.upper(), limit=100), "filters ignore case"
    section = next(h.section for h in newest if h.section)
    assert all(h.section == section for h in filled.latest(section=section, limit=100))
    per_day = filled.counts_by_day()
    assert sum(n for _, n in per_day) == len(newest) and per_day == sorted(per_day)
    sites = dict(filled.facet("site"))
    assert sum(sites.values()) == filled.count() and len(sites) == len(SITES)
    assert filled.facet("author", limit=3)
    with pytest.raises(ValueError):
        filled.facet("colour")
    with pytest.raises(BroadsheetError):
        filled.latest(since="last tuesday")


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed phrase',
        "NEAR(a b)",
        "a AND OR NOT",
        "*",
        "-",
        "title:harbour",
        "col^1",
        "'; DROP TABLE articles; --",
        "ü ß 東京",
        "(((",
        "a\x00b",
    ],
)
def test_hostile_queries_are_words_not_syntax(filled: Archive, query: str) -> None:
    filled.search(query)
    filled.count(query)


def test_query_syntax() -> None:
    q = parse_query('harbour "flood barrier" ferr* -budget council OR mayor')
    assert [[t.words for t in g] for g in q.groups] == [
        [("harbour",)],
        [("flood", "barrier")],
        [("ferr",)],
        [("council",), ("mayor",)],
    ]
    assert q.groups[2][0].prefix and [t.words for t in q.exclude] == [("budget",)]
    assert not parse_query("  - * ")


def test_phrase_prefix_or_and_exclusion_search(archive: Archive) -> None:
    rng_pages = generate(6, seed=9)
    archive.ingest(page_inputs(rng_pages), workers=0)
    one = archive.get(rng_pages[0].url)
    assert one is not None
    words = one.article.text.split()[:2]
    phrase = f'"{words[0]} {words[1]}"'
    assert archive.count(phrase) >= 1
    assert archive.count(phrase + f" -{words[1]}") == 0
    assert archive.count(words[0][:3].strip(",.") + "*") >= archive.count(words[0].strip(",."))
    assert archive.count("zzzunknownword OR " + words[0].strip(",.")) == archive.count(words[0].strip(",."))


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "csv"])
def test_export_round_trip(filled: Archive, tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    path = tmp_path / f"out.{fmt}"
    count = filled.export(path)
    stored = {s.id: s for s in filled.iter_articles()}
    assert count == len(stored) == filled.count()
    back = list(read_export(path))
    assert len(back) == count
    for place, article in back:
        original = stored[place["archive_id"]]
        assert place["version"] == original.version and place["source"] == original.source
        assert article == original.article


def _state(archive: Archive, site: str, urls: int) -> tuple[list[object], list[object]]:
    """What the archive holds of one site's records, with the site left out of every name."""
    versions = [
        [
            (s.version, s.latest, s.article.text, s.source.split("#")[1])
            for s in archive.versions(f"https://{site}/{u}")
        ]
        for u in range(urls)
    ]
    by_id = {
        s.id: s.source.split("#")[1] for u in range(urls) for s in archive.versions(f"https://{site}/{u}")
    }
    rejected = [
        (r.source.split("#")[1], r.reason, by_id.get(r.duplicate_of) if r.duplicate_of else None)
        for r in archive.rejections(limit=1000)
        if r.source.startswith(site)
    ]
    return versions, rejected


def test_a_batch_is_decided_as_its_records_one_by_one(archive: Archive) -> None:
    """One batch holding an input twice, new versions of one URL, copies of a version's text and rejections
    ends as the same records written one batch each: each record sees the ones before it."""
    import random

    from broadsheet import Article
    from broadsheet.ingest import record_for

    rng = random.Random(7)
    plan = [(rng.randrange(3), rng.randrange(3), rng.randrange(8), rng.random() < 0.15) for _ in range(60)]

    def records(site: str) -> list:
        out = []
        for url, text, source, rejected in plan:
            article = Article(
                url=f"https://{site}/{url}", title=f"Story {url}", text=f"Body {text} of story {url}."
            )
            record = record_for(article, source=f"{site}#{source}-{url}-{text}-{rejected}")
            if rejected:
                record.article, record.reason = None, "not_article"
            out.append(record)
        return out

    archive.backend.write(records("batch.example"))
    for record in records("single.example"):
        archive.backend.write([record])
    batch, single = _state(archive, "batch.example", 3), _state(archive, "single.example", 3)
    assert batch == single
    assert sum(len(v) for v in batch[0]) > 3 and {r[1] for r in batch[1]} == {"duplicate", "not_article"}


def test_export_filters_and_versions(filled: Archive, tmp_path: Path, pages) -> None:
    changed = edit_body(pages[0].html, "Updated.")
    filled.ingest([Input(content=changed, url=pages[0].url, source="update")], workers=0)
    assert filled.export(tmp_path / "all.jsonl", all_versions=True) == len(pages) + 1
    assert filled.export(tmp_path / "latest.jsonl") == len(pages)
    assert filled.export(tmp_path / "de.jsonl", lang="de") == filled.count(lang="de")
    rows = [json.loads(line) for line in (tmp_path / "de.jsonl").read_text().splitlines()]
    assert all(r["language"] == "de" for r in rows)
    with pytest.raises(BroadsheetError):
        filled.export(tmp_path / "out.xlsx")


def test_readonly_archive_refuses_writes(filled: Archive, pages) -> None:
    path = filled.location
    with Archive(path, readonly=True) as ro:
        assert ro.count() == len(pages)
        with pytest.raises(ArchiveError, match="read-only"):
            ro.ingest([Input(content=pages[0].html, url="https://x.example/new", source="new")], workers=0)


def test_missing_foreign_and_garbage_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no such archive"):
        Archive(tmp_path / "missing.db", readonly=True)
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(ArchiveError, match="not a broadsheet archive"):
        Archive(foreign)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ArchiveError, match="not a broadsheet archive"):
        Archive(garbage)
    with pytest.raises(ArchiveError, match="scheme"):
        Archive("mongodb://localhost/news")


def test_writable_archives_merge_their_search_index_16_segments_at_a_time(tmp_path: Path, pages) -> None:
    path = tmp_path / "a.db"

    def automerge() -> object:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()
        return row and row[0]

    with Archive(path) as archive:
        archive.ingest(page_inputs(pages[:3]), workers=0)
    assert automerge() == 16
    with sqlite3.connect(path) as db:  # an archive made before the setting: FTS5's default
        db.execute("DELETE FROM articles_fts_config WHERE k = 'automerge'")
    with Archive(path, readonly=True) as ro:  # reading changes nothing
        assert ro.count() == 3
    assert automerge() is None
    with sqlite3.connect(path, isolation_level=None) as writer:  # another process writing: opening waits not
        writer.execute("BEGIN IMMEDIATE")
        with Archive(path, timeout=5) as archive:
            assert archive.count() == 3
        writer.execute("ROLLBACK")
    assert automerge() is None
    with Archive(path) as archive:
        assert archive.search(pages[0].truth["title"].split()[0])
    assert automerge() == 16


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Archive(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(ArchiveError, match="newer"):
        Archive(path)


def test_sqlite_urls() -> None:
    assert sqlite_path("sqlite:///news.db") == Path("news.db")
    assert sqlite_path("sqlite:////var/news.db") == Path("/var/news.db")
    assert sqlite_path("plain/path.db") == Path("plain/path.db")
    with pytest.raises(ArchiveError):
        sqlite_path("sqlite://host/news.db")


def test_disk_full_rolls_back_the_batch_and_resume_completes(tmp_path: Path, pages) -> None:
    inputs = page_inputs(pages)
    path = tmp_path / "full.db"
    archive = Archive(path)
    archive.ingest(inputs[:4], workers=0)
    backend = archive.backend
    db = backend._db  # type: ignore[attr-defined]
    pages_now = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages_now + 3}")  # SQLite's own "disk is full" (SQLITE_FULL)
    with pytest.raises(ArchiveError, match="disk is full"):
        archive.ingest(inputs, workers=0, batch_size=8)
    archive.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Archive(path) as resumed:
        stats = resumed.stats()
        assert stats.inputs == stats.urls + stats.rejected and stats.inputs % 4 == 0
        report = resumed.ingest(inputs, workers=0)
        assert report.unchanged == stats.inputs
        assert resumed.stats().urls == len(pages)


def test_add_and_summary_fields(archive: Archive) -> None:
    import random

    story = make_story(random.Random(3), 1, wire="Reuters")
    page = render_page(story, SITES[1], random.Random(4))
    from broadsheet import extract

    article = extract(page.html, page.url)
    article_id = archive.add(article, source="made-elsewhere", raw=page.html)
    assert article_id is not None
    stored = archive.get(article_id)
    assert stored is not None and stored.article == article
    assert archive.add(article, source="made-elsewhere", raw=page.html) == article_id, "idempotent"
    summary = archive.latest()[0]
    assert summary.id == article_id and summary.title == article.title and summary.site == article.site_name


@pytest.mark.parametrize(
    "texts", [["First paragraph.", "Second one.", ""], ["A block\n\nwith a blank line inside.", "Another."]]
)
def test_stored_record_gives_back_the_article_blocks_and_all(texts: list[str]) -> None:
    from broadsheet.archive.records import decode_article, encode_article
    from broadsheet.article import Article, Block, Image

    article = Article(
        url="https://example.org/a",
        title="T",
        text="\n\n".join(texts),
        blocks=[Block("heading" if i == 0 else "paragraph", t, level=i % 2) for i, t in enumerate(texts)],
        images=[Image("https://example.org/1.jpg", caption="c"), Image("https://example.org/2.jpg")],
    )
    assert decode_article(encode_article(article), article.text) == article


def test_a_rewritten_version_leaves_its_story_cluster(archive: Archive) -> None:
    from broadsheet.synthetic import wire_corpus

    pages = wire_corpus(6, copies=(3, 3), seed=12)
    archive.ingest(
        [Input(content=p.html, url=p.url, source=f"w#{i}") for i, p in enumerate(pages)], workers=0
    )
    story = archive.clusters(limit=1)[0]
    member = story.members[-1]
    assert member.url
    other = generate(1, seed=99)[0]
    archive.ingest([Input(content=other.html, url=member.url, source="rewrite")], workers=0)
    rewritten = archive.get(member.url)
    assert rewritten is not None and rewritten.version == 2 and rewritten.cluster_id is None
    after = archive.cluster(min(m.id for m in story.members if m.id != member.id))
    assert after is not None and after.size == story.size - 1
    assert member.id not in {m.id for m in after.members}
    stale = archive.get(member.id)
    assert stale is not None and not stale.latest and stale.cluster_id is None


def test_lone_surrogates_in_json_input_are_stored_replaced(archive: Archive, tmp_path: Path, pages) -> None:
    html = pages[0].html.replace("<h1>", "<h1>Odd \ud800 title ", 1)
    scrape = tmp_path / "odd.jsonl"
    scrape.write_text(json.dumps({"url": pages[0].url, "html": html}) + "\n", encoding="utf-8")
    report = archive.ingest([str(scrape)], workers=0)
    assert report.articles == 1
    stored = archive.get(pages[0].url)
    assert stored is not None and "\ud800" not in (stored.article.title or "") + stored.article.text
    given = archive.input_of(stored.id)
    assert given is not None and given.content == html, "the raw input is kept exactly"


def test_added_since_selects_what_a_later_run_stored(archive: Archive, pages) -> None:
    from datetime import UTC, datetime, timedelta

    archive.ingest(page_inputs(pages[:5]), workers=0)
    assert archive.count(added_since="2000-01-01") == 5
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert archive.count(added_since=future) == 0
    with pytest.raises(BroadsheetError):
        archive.count(added_since="soon")


def test_broad_queries_rank_the_newest_matches(
    archive: Archive, pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    import broadsheet.archive.sqlite as backend

    archive.ingest(page_inputs(pages[:6]), workers=0)
    every = archive.search("the", limit=10)
    assert len(every) == 6
    monkeypatch.setattr(backend, "_RANK_WINDOW", 3)
    newest = archive.search("the", limit=10)
    assert sorted(h.id for h in newest) == sorted(h.id for h in every)[-3:]
    assert archive.count("the") == 6, "counting is not windowed"


def test_lone_surrogate_in_a_body_is_stored_replaced(tmp_path) -> None:
    from broadsheet import Article

    with Archive(str(tmp_path / "s.db")) as archive:
        ref = archive.add(Article(title="T", text="bad \ud800 text", url="https://e.example/1"), source="s1")
        assert ref is not None
        stored = archive.get(ref)
        assert stored is not None and stored.article.text == "bad ? text"


def test_wide_matches_counted_in_memory_agree_with_sql(
    filled: Archive, pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    import broadsheet.archive.sqlite as backend

    first = filled.latest(limit=1)[0]
    author = first.authors[0] if first.authors else "nobody"
    tag = first.tags[0] if first.tags else "none"
    days = sorted(d for d, _ in filled.counts_by_day())
    middle = days[len(days) // 2]
    cases = [
        {},
        {"site": first.site},
        {"site": "WWW." + (first.url or "").split("/")[2].upper()},
        {"section": first.section},
        {"lang": "de"},
        {"since": middle},
        {"until": middle},
        {"since": days[1], "until": days[-2]},
        {"author": author},
        {"tag": tag},
        {"site": first.site, "since": middle},
        {"section": "no such section"},
    ]
    queries = ["the", "said", '"the city"', "council OR harbour", "the -said"]

    def answers(q: str, c: dict) -> tuple:
        facets = [filled.facet(f, q, limit=3, **c) for f in ("site", "section", "language", "day")]
        return filled.count(q, **c), filled.counts_by_day(q, **c), facets

    sql = {(q, i): answers(q, c) for q in queries for i, c in enumerate(cases)}
    assert any(a[0] for a in sql.values()) and any(a[0] == 0 for a in sql.values())
    monkeypatch.setattr(backend, "_WIDE", 0)  # every match is "wide": the in-memory columns answer
    for (q, i), expected in sql.items():
        assert answers(q, cases[i]) == expected, (q, cases[i])
    # articles stored after the columns were read are seen: the columns grow with the archive
    more = generate(4, seed=77)
    filled.ingest(
        [Input(content=p.html, url=p.url, source=f"more#{i}") for i, p in enumerate(more)], workers=0
    )
    monkeypatch.setattr(backend, "_WIDE", 10**9)
    expected = filled.count("the", since=middle), filled.counts_by_day("the")
    monkeypatch.setattr(backend, "_WIDE", 0)
    assert (filled.count("the", since=middle), filled.counts_by_day("the")) == expected


def test_a_new_archive_has_large_pages_and_an_old_one_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from broadsheet.archive import sqlite as backend

    def inputs() -> list[Input]:
        return [Input(content=p.html, url=p.url, source=f"s{i}") for i, p in enumerate(generate(3, seed=5))]

    with monkeypatch.context() as patch:
        patch.setattr(backend, "_PAGE_SIZE", 4096)  # as archives were made before
        with Archive(tmp_path / "old.db") as archive:
            archive.ingest(inputs()[:1], workers=0)
    for name in ("old.db", "new.db"):
        with Archive(tmp_path / name) as archive:
            archive.ingest(inputs(), workers=0)
            assert archive.stats().articles == 3
    sizes = [
        sqlite3.connect(tmp_path / name).execute("PRAGMA page_size").fetchone()[0]
        for name in ("old.db", "new.db")
    ]
    assert sizes == [4096, backend._PAGE_SIZE] and backend._PAGE_SIZE > 4096
