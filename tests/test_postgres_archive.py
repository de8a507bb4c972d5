"""The archive interface, method by method, on both backends: SQLite, and PostgreSQL on a real server.

Every test taking ``archive_location`` runs once per backend (the fixture is in ``pg_server.py``);
the PostgreSQL runs are skipped with the reason when no server binaries are installed. The tests
at the end are PostgreSQL's own: language-aware search, text it cannot hold, concurrent writers,
URLs and schemas that are not archives, and the two backends agreeing on the same input.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet import dedup
from broadsheet.archive import Archive
from broadsheet.article import Article, Block, Image, Input
from broadsheet.errors import ArchiveError
from broadsheet.ingest import record_for
from broadsheet.pipeline import extract_input
from broadsheet.synthetic import generate, wire_corpus

PAGES = wire_corpus(8, copies=(1, 4), seed=12) + generate(4, seed=3)  # English wire copies, and a German site


@pytest.fixture(scope="module")
def extracted() -> list[tuple[str, Article, str]]:
    """(source, article, raw html) of every corpus page, extracted once for the module."""
    out = []
    for i, page in enumerate(PAGES):
        article = extract_input(Input(content=page.html, url=page.url, source=f"page-{i}"))
        assert article.ok, page.url
        out.append((f"page-{i}", article, page.html))
    return out


@pytest.fixture
def archive(archive_location: str, extracted: list[tuple[str, Article, str]]) -> Iterator[Archive]:
    """An archive of the corpus, clusters computed."""
    with Archive(archive_location) as archive:
        archive.backend.write([record_for(a, source=s, raw=raw) for s, a, raw in extracted])
        archive.recluster()
        yield archive


def _stories(archive: Archive) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for stored in archive.iter_articles():
        if stored.cluster_id is not None:
            groups.setdefault(stored.cluster_id, set()).add(stored.source)
    return {frozenset(g) for g in groups.values()}


# -- the interface, on both backends --------------------------------------------------------------


def test_ingest_stores_every_input_once_and_resumes(archive_location: str) -> None:
    inputs = [Input(content=p.html, url=p.url, source=f"p{i}") for i, p in enumerate(PAGES[:6])]
    inputs += [Input(content=b"", source="empty"), Input(content=b"\x00\x01\x02PNG" * 50, source="binary")]
    with Archive(archive_location) as archive:
        report = archive.ingest(inputs, workers=0, progress=False)
        assert (report.read, report.articles, dict(report.rejected)) == (8, 6, {"empty": 1, "binary": 1})
        again = archive.ingest(inputs, workers=0, progress=False)
        assert (again.read, again.unchanged, again.articles, again.stored) == (8, 8, 0, 0)
        stats = archive.stats()
        assert (stats.inputs, stats.articles, stats.rejected) == (8, 6, 2)
        assert stats.size_bytes > 0 and stats.raw_bytes == sum(
            len(i.content.encode() if isinstance(i.content, str) else i.content) for i in inputs
        )


def test_articles_come_back_as_they_went_in(
    archive: Archive, extracted: list[tuple[str, Article, str]]
) -> None:
    for source, article, raw in extracted:
        stored = archive.backend.get_by_source(source)
        assert stored is not None and stored.latest and stored.version == 1
        assert stored.article.to_dict(explain=False) == article.to_dict(explain=False)
        assert archive.get(stored.id) == stored
        assert archive.get(article.url or "") == stored
        item = archive.input_of(stored.id)
        assert item is not None and item.content == raw and item.url == article.url
    assert archive.get(10**9) is None and archive.get("https://nowhere.example/") is None


def test_a_changed_page_is_a_new_version_and_the_same_text_a_duplicate(
    archive: Archive, extracted: list[tuple[str, Article, str]]
) -> None:
    _, first, _ = extracted[0]
    edited = Article.from_dict(first.to_dict(explain=False))
    edited.text = first.text + "\n\nCorrection: an earlier version misspelt a name."
    edited.title = "Zanzibarian correction headline"
    new_id = archive.add(edited, source="page-0-again")
    assert new_id is not None
    versions = archive.versions(first.url or "")
    assert [v.version for v in versions] == [1, 2] and [v.latest for v in versions] == [False, True]
    assert archive.get(first.url or "").id == new_id  # type: ignore[union-attr]
    assert [h.id for h in archive.search("Zanzibarian")] == [new_id]
    assert archive.stats().versions == 1
    assert archive.add(edited, source="page-0-third") is None  # same text again: a duplicate
    duplicate = archive.rejections("duplicate")
    assert (
        len(duplicate) == 1 and duplicate[0].duplicate_of == new_id and duplicate[0].source == "page-0-third"
    )
    assert len(list(archive.iter_articles(all_versions=True))) == len(list(archive.iter_articles())) + 1


def test_search_query_syntax_and_snippets(
    archive: Archive, extracted: list[tuple[str, Article, str]]
) -> None:
    _, lone, _ = extracted[-3]  # a story told once, on an English site
    title = lone.title or ""
    hits = archive.search(title)
    assert hits and hits[0].title == title and hits[0].score is not None
    assert all(a.score >= b.score for a, b in pairwise(hits))  # type: ignore[operator]
    snippet = archive.search(title.split()[0])[0].snippet or ""
    assert "<mark>" in snippet and "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    words = [w for w in title.split() if len(w) > 4]  # no stop words
    first, second = next(
        (a, b) for a, b in zip(title.split(), title.split()[1:], strict=False) if len(a) > 4 and len(b) > 4
    )
    assert 1 <= archive.count(f'"{first} {second}"') <= archive.count(f"{first} {second}")
    assert archive.count(words[0][:4] + "*") >= archive.count(words[0]) >= 1
    both = archive.count(f"{words[0]} OR qqqzzzx")
    assert both == archive.count(words[0]) and archive.count("qqqzzzx") == 0
    assert archive.count(f"{words[0]} -{words[0]}") == 0
    assert archive.count("") == len(extracted) == archive.count("-qqqzzzx")
    assert archive.count(")(*&^ OR") == archive.count("")  # never a syntax error
    everything = archive.search("", limit=100)
    dates = [h.published or "" for h in everything]
    assert dates == sorted(dates, reverse=True)
    assert [h.id for h in archive.search("", limit=5, offset=5)] == [h.id for h in everything[5:10]]


def test_filters_facets_and_days(archive: Archive, extracted: list[tuple[str, Article, str]]) -> None:
    articles = [a for _, a, _ in extracted]
    site = articles[0].site_name or ""
    assert archive.count(site=site) == sum(a.site_name == site for a in articles)
    assert archive.count(site=site.upper()) == archive.count(site=site)  # names ignore case
    host = (articles[0].url or "").split("/")[2]
    assert archive.count(site=host) == archive.count(site=site)
    assert archive.count(lang="de") == sum(a.language == "de" for a in articles) > 0
    author = articles[0].authors[0]
    assert archive.count(author=author.lower()) == sum(author in a.authors for a in articles)
    for i, tags in enumerate((["Harbour Works", "Ferries"], ["harbour works"], [])):
        archive.add(
            Article(
                url=f"https://tags.example/{i}", text=f"story {i} " * 40, tags=tags, published="2031-01-01"
            ),
            source=f"tagged-{i}",
        )
    articles += [s.article for s in archive.iter_articles(since="2031-01-01")]
    assert archive.count(tag="HARBOUR WORKS") == 2 and archive.count(tag="Ferries") == 1
    tags = Counter(t for a in articles for t in {t.lower() for t in a.tags})  # tags ignore case
    assert {t.lower(): n for t, n in archive.facet("tag", limit=1000)} == tags
    section = articles[0].section or ""
    assert archive.count(section=section) == sum(a.section == section for a in articles)
    days = sorted((a.published or "")[:10] for a in articles)
    assert archive.counts_by_day() == sorted({d: days.count(d) for d in days}.items())
    middle = days[len(days) // 2]
    assert archive.count(since=middle) == sum(d >= middle for d in days)
    assert archive.count(until=middle) == sum(d <= middle for d in days)
    sites = dict(archive.facet("site"))
    assert sum(sites.values()) == len(articles) and sites[site] == archive.count(site=site)
    assert dict(archive.facet("author"))[author] == archive.count(author=author)
    assert dict(archive.facet("language")) == dict(Counter(a.language for a in articles if a.language))
    with pytest.raises(ValueError, match="cannot count by"):
        archive.facet("colour")


def test_story_clusters(archive: Archive, extracted: list[tuple[str, Article, str]]) -> None:
    labels = dedup.cluster(
        [dedup.fingerprint(a.text) for _, a, _ in extracted]
    )  # clusters are dedup's, computed
    groups: dict[int, set[str]] = {}
    for (source, _, _), label in zip(extracted, labels, strict=True):
        groups.setdefault(label, set()).add(source)
    expected = {frozenset(g) for g in groups.values() if len(g) > 1}
    assert _stories(archive) == expected and len(expected) >= 3
    clusters = archive.clusters()
    assert [c.size for c in clusters] == sorted((len(g) for g in expected), reverse=True)
    for cluster in clusters:
        assert archive.cluster(cluster.id) == cluster
        assert cluster.canonical == cluster.members[0] and len(cluster.members) == cluster.size
        assert all(m.cluster_id == cluster.id and m.cluster_size == cluster.size for m in cluster.members)
        if cluster.wire:
            assert cluster.source in {"Reuters", "Associated Press", "AFP"}
    assert archive.cluster(10**9) is None
    assert archive.recluster() == 0  # nothing arrived since
    first = min((c.canonical.published or "")[:10] for c in clusters)
    assert all((c.canonical.published or "") >= first for c in archive.clusters(since=first))


def test_signatures_of_another_scheme_are_made_again_when_opened_writable(
    archive: Archive, archive_location: str
) -> None:
    stories = _stories(archive)
    scrambled = b"\x01" * (4 * dedup.NUM_PERM)  # what an older kind of signature looks like to this one
    backend: Any = archive.backend
    with backend._transaction() as db:
        db.execute(backend._sql("UPDATE signatures SET minhash = ?"), (scrambled,))
        backend._set_state(db, "signatures", "1")
    archive.close()

    def signatures(opened: Archive) -> dict[int, tuple[int, bytes]]:
        rows = opened.backend._rows("SELECT article_id, shingles, minhash FROM signatures")  # type: ignore[attr-defined]
        return {r[0]: (r[1], bytes(r[2])) for r in rows}

    def state(opened: Archive, key: str) -> str:
        backend: Any = opened.backend
        return backend._rows(f"SELECT value FROM {backend._STATE} WHERE key = ?", (key,))[0][0]

    with Archive(archive_location, readonly=True) as reader:  # read-only: left as they are
        assert {m for _, m in signatures(reader).values()} == {scrambled}
    with Archive(archive_location) as reopened:
        expected = {}
        for stored in reopened.iter_articles():
            fp = dedup.fingerprint(stored.article.text)
            if fp.shingles:
                expected[stored.id] = (fp.shingles, fp.signature)
        assert signatures(reopened) == expected and len(expected) >= 10
        assert state(reopened, "signatures") == str(dedup.SIGNATURE_SCHEME)
        assert state(reopened, "clusters") == "stale"
        reopened.recluster()
        assert _stories(reopened) == stories
    with Archive(archive_location) as again:  # once: the scheme is recorded
        assert signatures(again) == expected and state(again, "clusters") == "current"


def test_rejections_in_arrival_order(archive_location: str) -> None:
    with Archive(archive_location) as archive:
        archive.ingest(
            [Input(content=b"", source=f"e{i}") for i in range(3)]
            + [Input(content=b"\x00\x01" * 99, source="bin")],
            workers=0,
            progress=False,
        )
        assert [r.source for r in archive.rejections()] == ["e0", "e1", "e2", "bin"]
        assert [r.source for r in archive.rejections("binary")] == ["bin"]
        assert [r.source for r in archive.rejections(limit=2, offset=1)] == ["e1", "e2"]
        assert archive.stats().rejections == {"empty": 3, "binary": 1}


def test_iter_articles_with_query_and_filters(
    archive: Archive, extracted: list[tuple[str, Article, str]]
) -> None:
    every = list(archive.iter_articles())
    assert [s.id for s in every] == sorted(s.id for s in every) and len(every) == len(extracted)
    german = list(archive.iter_articles(lang="de"))
    assert german and all(s.article.language == "de" for s in german)
    word = (extracted[0][1].title or "").split()[0]
    assert len(list(archive.iter_articles(word))) == archive.count(word)


def test_a_read_only_archive_refuses_writes(archive: Archive) -> None:
    readonly = Archive(archive.location, readonly=True)
    try:
        assert readonly.count() == archive.count()
        with pytest.raises(ArchiveError, match="read-only"):
            readonly.add(Article(text="x " * 50, url="https://ro.example/a"), source="ro")
    finally:
        readonly.close()


@pytest.mark.postgres
def test_a_statement_the_server_refuses_mid_batch_leaves_the_archive_as_it_was(
    pg_url: str, extracted: list[tuple[str, Article, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch runs in pipeline mode, so the server's error arrives after later statements were sent: it
    is still an ``ArchiveError``, the whole batch rolls back, and writing the batch again stores it."""
    from broadsheet.archive import postgres

    records = [record_for(a, source=s, raw=raw) for s, a, raw in extracted]
    half = len(records) // 2
    store = postgres._Writer._store
    calls = Counter[str]()

    def refused(self: Any, record: Any, key: str, version: int, article: Article, fp: Any) -> Any:
        calls["stored"] += 1
        if calls["stored"] == 3:
            version = 2**40  # over the integer column: refused by the server, not by broadsheet
        return store(self, record, key, version, article, fp)

    with Archive(pg_url) as archive:
        archive.backend.write(records[:half])
        before = archive.stats()
        monkeypatch.setattr(postgres._Writer, "_store", refused)
        with pytest.raises(ArchiveError, match="out of range"):
            archive.backend.write(records[half:])
        assert archive.stats().inputs == before.inputs and archive.stats().articles == before.articles
        monkeypatch.setattr(postgres._Writer, "_store", store)
        archive.backend.write(records[half:])
        assert archive.stats().inputs == len(records)


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=_text,
    text=_text,
    authors=st.lists(_text, max_size=3, unique_by=str.casefold),
    tags=st.lists(_text, max_size=3),
    caption=st.none() | _text,
    level=st.integers(0, 6),
)
def test_round_trip_property(
    archive_location: str,
    title: str,
    text: str,
    authors: list[str],
    tags: list[str],
    caption: str | None,
    level: int,
) -> None:
    article = Article(
        url=f"https://rt.example/{abs(hash((title, text)))}",
        title=title,
        text=text,
        authors=authors,
        tags=tags,
        images=[Image(url="https://rt.example/i.jpg", caption=caption)],
        blocks=[Block("heading", title, level)],
        language="en",
        published="2024-05-01T10:00:00+02:00",
    )
    with Archive(archive_location) as archive:
        source = f"rt-{archive.stats().inputs}"
        archive_id = archive.add(article, source=source, raw=text)
        if archive_id is None:  # the same text at the same URL was drawn twice: a duplicate
            return
        stored = archive.get(archive_id)
        assert stored is not None and stored.article.to_dict(explain=False) == article.to_dict(explain=False)
        assert archive.input_of(archive_id).content == text  # type: ignore[union-attr]


# -- PostgreSQL's own --------------------------------------------------------------------------------

pg = pytest.mark.postgres


@pg
def test_search_follows_each_articles_language(pg_url: str) -> None:
    english = Article(
        url="https://a.example/en",
        title="Harbour councils",
        language="en",
        text="The councils voted for running the ferries again. " * 3,
    )
    german = Article(
        url="https://b.example/de",
        title="Häfen",
        language="de",
        text="Die Stadträte stimmten über die Fähren ab. " * 3,
    )
    unknown = Article(
        url="https://c.example/xx", title="Ferries", language="xx", text="councils ferries " * 5
    )
    with Archive(pg_url) as archive:
        ids = {a.language: archive.add(a, source=a.url or "") for a in (english, german, unknown)}
        assert {h.id for h in archive.search("council")} == {ids["en"]}  # stemmed in English only
        assert {h.id for h in archive.search("councils")} == {ids["en"], ids["xx"]}
        assert {h.id for h in archive.search("run")} == {ids["en"]}
        assert {h.id for h in archive.search("Fähre")} == {ids["de"]}  # German stemming
        assert {h.id for h in archive.search("the councils")} == {ids["en"]}  # a stop word does not exclude
        assert "<mark>" in (archive.search("ferries")[0].snippet or "")


@pg
def test_text_postgresql_cannot_hold_round_trips(pg_url: str) -> None:
    """NUL characters (PostgreSQL text cannot hold them) come back; lone surrogates are stored replaced,
    as in the SQLite archive, and the raw input keeps both exactly."""
    article = Article(
        url="https://odd.example/a",
        title="nul\x00title",
        text="body with a NUL \x00 inside " * 4,
        authors=["A\x00B"],
        language="en",
    )
    with Archive(pg_url) as archive:
        stored_id = archive.add(article, source="odd\udcfe", raw="raw \x00 \ud801")
        assert stored_id is not None
        stored = archive.get(stored_id)
        assert stored is not None and stored.article == article
        assert archive.count("inside") == 1 and archive.input_of(stored_id).content == "raw \x00 \ud801"  # type: ignore[union-attr]
        odd = Article(url="https://odd.example/b", title="lone \ud800 surrogate", text="text " * 30)
        stored = archive.get(archive.add(odd, source="odd-b") or 0)
        assert stored is not None and stored.article.title == "lone ? surrogate"


@pg
def test_concurrent_writers_store_each_input_once(
    pg_url: str, extracted: list[tuple[str, Article, str]]
) -> None:
    records = [record_for(a, source=s, raw=raw) for s, a, raw in extracted]
    errors: list[BaseException] = []

    def writer(order: list[Any]) -> None:
        try:
            with Archive(pg_url) as archive:
                for start in range(0, len(order), 3):
                    archive.backend.write(order[start : start + 3])
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    Archive(pg_url).close()  # create the schema first: the writers race on data, not on migrations
    threads = [
        threading.Thread(target=writer, args=(order,)) for order in (records, records[::-1], records[1::2])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Archive(pg_url) as archive:
        stats = archive.stats()
        assert (stats.inputs, stats.articles, stats.versions) == (len(records), len(records), 0)


@pg
def test_what_is_not_an_archive_is_named(pg_url: str, pg_server: Any) -> None:
    import psycopg

    with pytest.raises(ArchiveError, match=r"cannot connect .*postgres:\*\*\*@127\.0\.0\.1:1/") as info:
        Archive("postgresql://postgres:secret@127.0.0.1:1/none", timeout=2)
    assert "secret" not in str(info.value)
    schema = pg_url.rsplit("%3D", 1)[1]
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {schema}.articles (id int)")
    with pytest.raises(ArchiveError, match="not a broadsheet archive"):
        Archive(pg_url)
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"DROP TABLE {schema}.articles")
    Archive(pg_url).close()
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"UPDATE {schema}.broadsheet_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ArchiveError, match="newer than this broadsheet"):
        Archive(pg_url)


@pg
def test_the_backends_agree(pg_url: str, tmp_path: Any, extracted: list[tuple[str, Article, str]]) -> None:
    records = [record_for(a, source=s, raw=raw) for s, a, raw in extracted]
    with Archive(tmp_path / "a.db") as lite, Archive(pg_url) as pgsql:
        for archive in (lite, pgsql):
            archive.backend.write(records)
            archive.recluster()
        assert _stories(lite) == _stories(pgsql)
        a, b = lite.stats(), pgsql.stats()
        assert (a.inputs, a.articles, a.clusters, a.clustered, a.largest_cluster, a.sites, a.raw_bytes) == (
            b.inputs,
            b.articles,
            b.clusters,
            b.clustered,
            b.largest_cluster,
            b.sites,
            b.raw_bytes,
        )
        assert [h.url for h in lite.latest(limit=50)] == [h.url for h in pgsql.latest(limit=50)]
        for field in ("site", "section", "author", "tag", "language", "day"):
            assert sorted(lite.facet(field)) == sorted(pgsql.facet(field)), field
        assert lite.counts_by_day() == pgsql.counts_by_day()
        for word in {w for _, art, _ in extracted for w in (art.title or "").split() if len(w) > 6}:
            # stemming only adds matches ("harbours" for "harbour"); English stop words are short
            assert {h.url for h in lite.search(word, limit=100)} <= {
                h.url for h in pgsql.search(word, limit=100)
            }
        assert [(c.size, c.source, c.wire, c.canonical.url) for c in lite.clusters()] == [
            (c.size, c.source, c.wire, c.canonical.url) for c in pgsql.clusters()
        ]
