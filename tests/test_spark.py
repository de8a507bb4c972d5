"""The Spark job in local mode on WARC/WET files written here, against the single-machine path on the same files.

One job runs through the ``broadsheet spark`` command over a manifest that names files as local paths,
``file://`` URIs and an ``http://`` URL of a real server on 127.0.0.1, and includes a damaged file
and a missing one. The single-machine reference is ``Archive.ingest`` into SQLite (what ``broadsheet
ingest`` runs). They must hold the same articles, the same rejections and the same story clusters.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from broadsheet import dedup
from broadsheet.archive import Archive
from broadsheet.article import Article, Input
from broadsheet.cli import main
from broadsheet.options import Options
from broadsheet.pipeline import learn_templates
from broadsheet.sources import iter_inputs
from broadsheet.spark import learn_templates as spark_templates
from broadsheet.synthetic import generate, wire_corpus

pytest.importorskip("fastwarc")
pytest.importorskip("pyarrow")
from warcgen import Capture, captures, write_warc, write_wet

pytestmark = pytest.mark.spark


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the test output is not an access log
        pass


@pytest.fixture(scope="module")
def http_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1, and its base URL."""
    folder = tmp_path_factory.mktemp("served")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _damaged(source: Path, target: Path) -> Path:
    """A copy of a gzip WARC with its middle third overwritten: records on both sides stay readable."""
    raw = source.read_bytes()
    third = len(raw) // 3
    target.write_bytes(raw[:third] + b"\x00garbage" * (third // 8) + raw[2 * third :])
    return target


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, http_folder: tuple[Path, str]) -> dict[str, Any]:
    """WARC/WET files of synthetic pages (wire copies among them), how the manifest names each, and the
    local path each name stands for."""
    folder = tmp_path_factory.mktemp("corpus")
    served, base = http_folder
    pages = wire_corpus(10, copies=(1, 4), seed=5)
    half = len(pages) // 2
    odd = [
        Capture(url="https://example.org/missing", body=b"<html>gone</html>", status="404 Not Found"),
        Capture(
            url="https://example.org/logo.png", body=b"\x89PNG...", headers=(("Content-Type", "image/png"),)
        ),
    ]
    first = write_warc(
        folder / "first.warc.gz",
        [Capture(p.url, p.html.encode()) for p in pages[:half]] + odd,
        with_requests=True,
    )
    second = write_warc(
        folder / "second.warc", [Capture(p.url, p.html.encode()) for p in pages[half:]], gz=False
    )
    wet = write_wet(served / "texts.wet.gz", generate(12, seed=21))  # 3 pages a site: templates learned
    damaged = _damaged(write_warc(folder / "whole.warc.gz", captures(24, seed=2)), folder / "damaged.warc.gz")
    scraped = generate(2, seed=31)
    odd = scraped[1].html.replace("<h1>", "<h1>Odd \ud800 title ", 1)  # a lone surrogate, as JSON can carry
    scrape = folder / "scrape.jsonl"
    scrape.write_text(
        json.dumps({"url": scraped[0].url, "html": scraped[0].html})
        + "\n{broken\n"
        + json.dumps({"url": scraped[1].url, "html": odd})
        + "\n",
        encoding="utf-8",
    )
    names = {
        str(scrape): scrape,
        str(first): first,
        second.as_uri(): second,
        f"{base}/texts.wet.gz": wet,
        str(damaged): damaged,
        str(folder / "missing.warc.gz"): folder / "missing.warc.gz",
    }
    manifest = folder / "manifest.txt"
    manifest.write_text("# files for the Spark test\n" + "\n".join(names) + "\n\n", encoding="utf-8")
    return {"manifest": manifest, "names": names, "folder": folder}


def _local_source(source: str, names: dict[str, Path]) -> str:
    """The source key the single-machine run gives the record that Spark keyed by a URI."""
    for name, path in names.items():
        if source.startswith(name):
            return str(path) + source[len(name) :]
    return source


@pytest.fixture(scope="module")
def job(spark: Any, corpus: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``broadsheet spark MANIFEST --out DIR`` (in the test run's shared session), and what it wrote."""
    import pyarrow.dataset as ds

    out = tmp_path_factory.mktemp("spark") / "out"
    assert main(["spark", str(corpus["manifest"]), "--out", str(out), "--master", "local[2]"]) == 0
    articles = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table().to_pylist()
    rejections = ds.dataset(out / "rejections", format="parquet").to_table().to_pylist()
    report = json.loads((out / "report.json").read_text())
    return {"out": out, "articles": articles, "rejections": rejections, "report": report}


@pytest.fixture(scope="module")
def single(corpus: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """The same files ingested on one machine, in this process."""
    archive = Archive(tmp_path_factory.mktemp("single") / "archive.db")
    archive.ingest([str(p) for p in corpus["names"].values()], workers=0, progress=False)
    yield archive
    archive.close()


def _article(row: dict[str, Any]) -> Article:
    return Article.from_dict(row)


def test_spark_writes_the_articles_the_single_machine_path_stores(
    job: dict[str, Any], single: Archive, corpus: dict[str, Any]
) -> None:
    stored = {s.source: s.article.to_dict(explain=False) for s in single.iter_articles()}
    made = {
        _local_source(r["source"], corpus["names"]): _article(r).to_dict(explain=False)
        for r in job["articles"]
    }
    assert len(stored) >= 25
    assert made.keys() == stored.keys()
    for source, article in stored.items():
        assert made[source] == article, source


def test_every_record_is_an_article_or_a_counted_rejection(job: dict[str, Any], single: Archive) -> None:
    report, stats = job["report"], single.stats()
    assert report["read"] == stats.inputs == len(job["articles"]) + len(job["rejections"])
    assert report["articles"] == len(job["articles"])
    assert report["rejected"] == stats.rejections == dict(Counter(r["reason"] for r in job["rejections"]))
    assert {"fetch_failed", "not_html", "unreadable"} <= report["rejected"].keys()
    # the damaged WARC, the missing one and the scrape with a broken line; what is readable is still read
    assert report["files"] == 6 and report["damaged_files"] == 3
    damaged = [
        a for a in job["articles"] if a["source"].startswith(str(Path(a["source"]).parent) + "/damaged")
    ]
    assert 0 < len(damaged) < 24


def test_sources_keep_the_names_the_manifest_gives(job: dict[str, Any], corpus: dict[str, Any]) -> None:
    names = list(corpus["names"])
    by_file = Counter(next(n for n in names if a["source"].startswith(n + "#")) for a in job["articles"])
    assert by_file[names[2]] > 0 and by_file[names[3]] == 12  # the file:// and http:// entries
    scrape = sorted(a["source"] for a in job["articles"] if a["source"].startswith(names[0]))
    assert scrape == [names[0] + "#1", names[0] + "#3"]  # the line with a lone surrogate is read too
    assert [r["source"] for r in job["rejections"] if r["source"].startswith(names[0])] == [names[0] + "#2"]
    assert all(r["source"].split("#")[0] in names for r in job["rejections"])


def test_story_clusters_are_the_archives(
    job: dict[str, Any], single: Archive, corpus: dict[str, Any]
) -> None:
    def stories(pairs: list[tuple[str, Any]]) -> set[frozenset[str]]:
        groups: dict[Any, set[str]] = {}
        for source, cluster in pairs:
            if cluster is not None:
                groups.setdefault(cluster, set()).add(source)
        return {frozenset(g) for g in groups.values() if len(g) > 1}

    archive = stories([(s.source, s.cluster_id) for s in single.iter_articles()])
    spark = stories([(_local_source(a["source"], corpus["names"]), a["cluster_id"]) for a in job["articles"]])
    assert archive and spark == archive
    sizes = {a["cluster_id"]: a["cluster_size"] for a in job["articles"] if a["cluster_id"] is not None}
    assert sorted(sizes.values()) == sorted(len(s) for s in spark)
    assert job["report"]["clusters"] == len(spark)


def test_articles_are_partitioned_by_date_and_site(job: dict[str, Any]) -> None:
    folders = {p.relative_to(job["out"] / "articles").parts for p in (job["out"] / "articles").glob("*/*")}
    expected = {(f"date={a['date']}", f"site={a['site']}") for a in job["articles"]}
    assert folders == expected and len(folders) > 3
    for a in job["articles"]:
        assert a["date"] == (a["published"] or a["fetched_at"])[:10]
        assert a["site"] == a["site_name"]


def test_more_tasks_than_files_spread_the_records_and_change_nothing(
    spark: Any, corpus: dict[str, Any], tmp_path: Path
) -> None:
    import pyarrow.dataset as ds

    from broadsheet.pipeline import extract_input
    from broadsheet.sources import iter_inputs
    from broadsheet.spark import run

    first = list(corpus["names"])[1]  # the gzip WARC with a 404 and an image among its pages
    report = run([first], str(tmp_path / "out"), spark=spark, partitions=4)
    rows = ds.dataset(tmp_path / "out" / "articles", partitioning="hive").to_table().to_pylist()
    everything = {i.source: extract_input(i).to_dict(explain=False) for i in iter_inputs(first)}
    expected = {k: v for k, v in everything.items() if v["rejection"] is None}
    assert {r["source"]: _article(r).to_dict(explain=False) for r in rows} == expected
    assert report.read == len(everything) and report.articles == len(expected)
    assert report.rejected == {"fetch_failed": 1, "not_html": 1}


def test_a_manifest_named_by_a_uri_is_read_through_spark(spark: Any, corpus: dict[str, Any]) -> None:
    from broadsheet.spark import read_manifest

    local = read_manifest(corpus["manifest"])
    assert len(local) == 6 and read_manifest(corpus["manifest"].as_uri(), spark) == local


def test_a_record_over_the_deadline_in_an_executor_is_a_timeout(
    spark: Any, corpus: dict[str, Any], tmp_path: Path
) -> None:
    from broadsheet.spark import run

    wet = corpus["names"][next(n for n in corpus["names"] if n.startswith("http"))]
    report = run([str(wet)], str(tmp_path / "out"), spark=spark, options=Options(timeout=1e-4))
    assert report.read == 12 and report.rejected == {"timeout": 12}


def test_story_clusters_equal_dedup_cluster(spark: Any) -> None:
    """The group-by banding finds exactly the clusters of ``dedup.cluster``, edge cases included: exact
    copies of short texts (no shingles), and a bucket over ``BUCKET_CAP`` (which both skip)."""
    from broadsheet.spark import _AT, _OUTCOME_COLUMNS, _outcome, _schema, story_clusters

    texts = [p.text for p in wire_corpus(30, copies=(1, 4), seed=8)]
    texts += ["Short brief.", "short  BRIEF", "Another short one."]
    crowd = texts[0]
    texts += [crowd] * (dedup.BUCKET_CAP + 3) + [crowd + " One more closing sentence for this copy."]
    rows = [_outcome("f", Input(content="", source=f"s{i}"), Article(text=t)) for i, t in enumerate(texts)]
    frame = spark.createDataFrame(rows, _schema(_OUTCOME_COLUMNS))
    found = story_clusters(frame)

    labels = dedup.cluster([dedup.fingerprint(t) for t in texts])
    expected: dict[int, set[int]] = {}
    for i, label in enumerate(labels):
        expected.setdefault(label, set()).add(rows[i][_AT["id"]])
    got: dict[int, set[int]] = {}
    for node, cluster, size in found:
        got.setdefault(cluster, set()).add(node)
        assert size > 1
    assert {frozenset(g) for g in got.values()} == {frozenset(g) for g in expected.values() if len(g) > 1}
    assert max(len(g) for g in got.values()) > dedup.BUCKET_CAP


def test_a_record_over_its_deadline_is_a_timeout_rejection() -> None:
    from broadsheet.spark import _extract

    page = generate(1, seed=4)[0]
    article = _extract(Input(content=page.html * 20, url=page.url, source="x"), Options(), 1e-4)
    assert article.rejection == "timeout" and "longer than" in (article.error or "")
    assert _extract(Input(content=page.html, url=page.url, source="x"), Options(), 30.0).ok


def test_the_output_folder_is_not_overwritten_by_mistake(
    corpus: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "kept.txt").write_text("mine")
    assert main(["spark", str(corpus["manifest"]), "--out", str(tmp_path)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (tmp_path / "kept.txt").read_text() == "mine"


def test_site_templates_are_learned_over_the_corpus_as_on_one_machine(
    spark: Any, corpus: dict[str, Any]
) -> None:
    wet = corpus["names"][next(n for n in corpus["names"] if n.startswith("http"))]
    one_machine = learn_templates(iter_inputs(str(wet))).compact()
    on_spark = spark_templates(spark, [str(wet), str(corpus["folder"] / "first.warc.gz")])
    assert len(one_machine) == 4  # every site of the WET file printed its furniture on three pages
    assert on_spark.to_dict() == one_machine.to_dict()
    assert all(t.boilerplate() >= 3 for t in on_spark)
