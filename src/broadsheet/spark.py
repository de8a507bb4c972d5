"""The Spark adapter: broadsheet's extraction mapped over web-archive shards, for corpora beyond one machine.

    broadsheet spark manifest.txt --out news/ --master 'local[*]'
    spark-submit --master yarn --archives env.tar.gz#env .../broadsheet/spark.py manifest.txt --out hdfs:///news

(docs/cluster.md: packaging for executors, YARN, Kubernetes, EMR, Dataproc, sizing.)

The job, stage by stage (every per-record step is the code the CLI runs, shipped to the executors):

  1. shards   the manifest's files (local paths; ``file://``, ``s3://``/``s3a://``, ``gs://``, ``hdfs://``
              through pyarrow; ``http(s)://``) are spread over tasks, one file per task unless
              ``partitions`` asks for more; a remote file is first copied to the executor's scratch disk
  1b. templates  when flattened-text records carry URLs (WET), a first pass counts on how many distinct pages
              of each site every line occurs (group-bys on ``(site, line key)``); the site templates,
              only their template lines, are broadcast to the executors (``pipeline.templates``)
  2. extract  ``sources.iter_inputs`` reads a file's records (damage becomes counted rejections, the rest
              of the file is read on); ``pipeline.extract_input`` extracts each record under a deadline;
              ``dedup.fingerprint`` signs each body
  3. dedup    LSH banding as ordinary group-bys (``story_clusters``); equal text hashes pair directly
  4. write    articles as Parquet partitioned by ``date`` and ``site``; rejections as Parquet; the
              counters as ``report.json``

Every input record ends as exactly one row: an article or a rejection with its reason.
"""

from __future__ import annotations

# Absolute imports: spark-submit runs this file as a script, where relative imports do not resolve.
import contextlib
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from broadsheet import dedup
from broadsheet.archive.base import host_of
from broadsheet.article import Article, Input
from broadsheet.errors import BroadsheetError, MissingExtra, Reason
from broadsheet.options import Options
from broadsheet.pipeline import extract_input, rejected, template_lines
from broadsheet.pipeline.templates import SiteTemplate, TemplateBook, may_hold_text, page_keys, site_of
from broadsheet.sources import iter_inputs

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "ARTICLE_COLUMNS",
    "SparkReport",
    "learn_templates",
    "main",
    "read_manifest",
    "run",
    "session",
    "story_clusters",
]

#: Seconds one record may take to extract when ``Options.timeout`` does not say (as in ingestion).
DEFAULT_TIMEOUT = 30.0
_DAMAGE = frozenset({Reason.UNREADABLE.value, Reason.EMPTY.value})
_READ_CHUNK = 1 << 20

# -- the rows ----------------------------------------------------------------------------------------

_IMAGE = "struct<url:string,caption:string,credit:string>"
_BLOCK = "struct<kind:string,text:string,level:int>"
_LIST_TYPES = {
    "authors": "array<string>",
    "tags": "array<string>",
    "images": f"array<{_IMAGE}>",
    "blocks": f"array<{_BLOCK}>",
    "is_article": "boolean",
    "confidence": "double",
    "paywalled": "boolean",
}
_ARTICLE_FIELDS = [f.name for f in fields(Article) if f.name != "explain"]

#: The article table: the archive export's columns (``source``, ``cluster_id`` and every ``Article``
#: field but the explain trace), with ``id`` (a 63-bit hash of the source key) for the archive's id,
#: then the text hash, the story's size and the two partition columns.
ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "bigint"),
    ("source", "string"),
    *[(name, _LIST_TYPES.get(name, "string")) for name in _ARTICLE_FIELDS],
    ("text_hash", "string"),
    ("cluster_id", "bigint"),  # smallest id among the story's members; null for a story told once
    ("cluster_size", "int"),
    ("date", "string"),  # partition: YYYY-MM-DD of publication (else of the crawl), as the archive's day
    ("site", "string"),  # partition: the site name, else the host
)

#: One row per input record, as the executors make them: an article, or a rejection (``rejection``
#: and ``error`` set, only ``id``, ``source`` and ``url`` besides).
_OUTCOME_COLUMNS = (
    ("file", "string"),  # the manifest entry the record came from
    ("stage", "string"),  # "read" when the source rejected the record, "extract" otherwise
    *[c for c in ARTICLE_COLUMNS if c[0] not in ("cluster_id", "cluster_size")],
    ("shingles", "int"),
    ("signature", "array<int>"),
    ("bands", "array<bigint>"),
)
_AT = {name: i for i, (name, _) in enumerate(_OUTCOME_COLUMNS)}


def _schema(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


_ARROW_SCALARS = {
    "string": "string",
    "bigint": "int64",
    "int": "int32",
    "double": "float64",
    "boolean": "bool_",
}


def _arrow_type(kind: str) -> Any:
    """The pyarrow type of one of our Spark SQL types (scalars, ``array<T>``, ``struct<a:T,...>``)."""
    import pyarrow as pa

    if kind.startswith("array<"):
        return pa.list_(_arrow_type(kind[6:-1]))
    if kind.startswith("struct<"):
        return pa.struct(
            [(name, _arrow_type(t)) for name, t in (f.split(":", 1) for f in kind[7:-1].split(","))]
        )
    return getattr(pa, _ARROW_SCALARS[kind])()


def _arrow_schema(columns: Sequence[tuple[str, str]]) -> Any:
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(kind)) for name, kind in columns])


def _record_id(source: str) -> int:
    """A stable 63-bit id for a record's source key (any two of n records collide with probability
    about n²/2^64: 5 in a million for ten million records)."""
    digest = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _clean_key(text: str | None) -> str | None:
    """A source key, URL or message that names an undecodable file name: surrogates replaced."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _utf8(article: Article) -> Article:
    """The article with lone surrogates (from JSON input: "\\ud800") replaced, as the archive stores it:
    they have no UTF-8 form, so neither Parquet nor the JVM can hold them."""
    data = json.dumps(article.to_dict(explain=False), ensure_ascii=False)
    try:
        data.encode("utf-8")
    except UnicodeEncodeError:
        return Article.from_dict(json.loads(data.encode("utf-8", "replace").decode("utf-8")))
    return article


def _outcome(file: str, item: Input, article: Article) -> tuple[Any, ...]:
    """The row of one record: its article, fingerprint and band keys, or its rejection."""
    row: list[Any] = [None] * len(_OUTCOME_COLUMNS)
    source = _clean_key(item.source) or file
    row[_AT["file"]], row[_AT["stage"]] = file, "read" if item.rejection else "extract"
    row[_AT["id"]], row[_AT["source"]] = _record_id(source), source
    if article.rejection:  # only what says where the record was, and why
        row[_AT["url"]], row[_AT["error"]] = _clean_key(item.url), _clean_key(article.error)
        row[_AT["rejection"]] = article.rejection
        return tuple(row)
    article = _utf8(article)
    for name in _ARTICLE_FIELDS:
        row[_AT[name]] = getattr(article, name)
    row[_AT["images"]] = [(i.url, i.caption, i.credit) for i in article.images]
    row[_AT["blocks"]] = [(b.kind, b.text, b.level) for b in article.blocks]
    fp = dedup.fingerprint(article.text)
    row[_AT["text_hash"]], row[_AT["shingles"]] = fp.text_hash, fp.shingles
    if fp.shingles:
        row[_AT["signature"]] = fp.values.astype("<i4").tolist()
        row[_AT["bands"]] = dedup.band_matrix(fp.values[None, :])[0].view("<i8").tolist()
    row[_AT["date"]] = (article.published or article.fetched_at or "")[:10] or None
    row[_AT["site"]] = article.site_name or host_of(article.url or item.url)
    return tuple(row)


# -- the executors' work: one shard -------------------------------------------------------------------


class _Deadline(BaseException):
    """Raised in the worker when a record's extraction runs out of time (not an ``Exception``, so that
    no handler inside extraction swallows it)."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """SIGALRM after ``seconds``; PySpark runs tasks in the worker's main thread, where signals arrive."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Deadline

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _extract(item: Input, options: Options, seconds: float) -> Article:
    """``extract_input``, as ingestion runs it: a record over the deadline becomes a ``timeout`` rejection."""
    try:
        with _deadline(seconds):
            return extract_input(item, options)
    except _Deadline:
        return rejected(
            Reason.TIMEOUT, f"extraction took longer than {seconds:g}s", url=item.url, source=item.source
        )


def _is_local(uri: str) -> bool:
    return "://" not in uri


def _scratch() -> str | None:
    # YARN and Kubernetes executors name their scratch disks here; elsewhere the system's temp folder.
    return (os.environ.get("SPARK_LOCAL_DIRS") or os.environ.get("LOCAL_DIRS") or "").split(",")[0] or None


def _download(uri: str, target: Path) -> None:
    """Copy a remote file to ``target``: http(s) with httpx, anything else through pyarrow's filesystems."""
    if uri.lower().startswith(("http://", "https://")):
        import httpx

        with (
            httpx.stream("GET", uri, follow_redirects=True, timeout=60.0) as response,
            open(target, "wb") as out,
        ):
            response.raise_for_status()
            for chunk in response.iter_bytes(_READ_CHUNK):
                out.write(chunk)
        return
    from pyarrow import fs

    scheme, rest = uri.split("://", 1)
    # Hadoop's names for S3 (s3a, s3n) are pyarrow's s3.
    filesystem, path = fs.FileSystem.from_uri(
        ("s3" if scheme.lower() in ("s3a", "s3n") else scheme) + "://" + rest
    )
    with filesystem.open_input_stream(path) as src, open(target, "wb") as out:
        shutil.copyfileobj(src, out, _READ_CHUNK)


@contextlib.contextmanager
def _local_copy(uri: str) -> Iterator[str]:
    """A local path holding the file ``uri`` names, for as long as the block runs."""
    if _is_local(uri):
        yield uri
        return
    with tempfile.TemporaryDirectory(prefix="broadsheet-shard-", dir=_scratch()) as tmp:
        name = urlsplit(uri).path.rsplit("/", 1)[-1] or "shard"
        target = Path(tmp) / name  # the suffix (.warc.gz, .wet, .jsonl) tells the reader what it is
        _download(uri, target)
        yield str(target)


def _renamed(item: Input, local: str, uri: str) -> Input:
    """An input read from a local copy, keyed (and explained) by the file's own name."""
    if local == uri:
        return item
    if item.source:
        item.source = uri + item.source[len(local) :] if item.source.startswith(local) else item.source
    if item.error:
        item.error = item.error.replace(local, uri)
    return item


def _shard_inputs(uri: str) -> Iterator[Input]:
    """Every record of one manifest file; a file that cannot be fetched is one ``unreadable`` record."""
    read = 0
    try:
        with _local_copy(uri) as local:
            for item in iter_inputs(local):
                read += 1
                yield _renamed(item, local, uri)
    except MissingExtra:
        raise
    except Exception as exc:  # any failure to fetch or read is this file's rejection, not the job's end
        what = f"reading stopped after {read} records" if read else "cannot fetch the file"
        yield Input(
            content=b"",
            source=uri if not read else f"{uri}#end",
            rejection=Reason.UNREADABLE.value,
            error=f"{uri}: {what} ({type(exc).__name__}: {exc})",
        )


def _shard(uris: Iterable[str], options: Options, seconds: float) -> Iterator[tuple[Any, ...]]:
    """The executor's work for a partition of manifest files: one outcome row per record."""
    for uri in uris:
        for item in _shard_inputs(uri):
            yield _outcome(uri, item, _extract(item, options, seconds))


_BATCH = 256  # rows per Arrow batch handed to the JVM


def _shard_batches(batches: Iterable[Any], options: Options, seconds: float) -> Iterator[Any]:
    """``_shard`` for ``mapInArrow``: manifest files in, Arrow batches of outcome rows out. Arrow is
    how rows cross from the Python workers to the JVM fastest (columns, not pickled tuples)."""
    import pyarrow as pa

    schema = _arrow_schema(_OUTCOME_COLUMNS)

    def batch(rows: list[tuple[Any, ...]]) -> Any:
        columns = zip(*rows, strict=True)
        return pa.RecordBatch.from_arrays(
            [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
        )

    for files in batches:
        for uri in files.column(0).to_pylist():
            rows = []
            for row in _shard([uri], options, seconds):
                rows.append(row)
                if len(rows) == _BATCH:
                    yield batch(rows)
                    rows = []
            if rows:
                yield batch(rows)


def _read_only(uris: Iterable[str]) -> Iterator[tuple[str, Input]]:
    for uri in uris:
        for item in _shard_inputs(uri):
            yield uri, item


def _extract_inputs(
    pairs: Iterable[tuple[str, Input]], options: Options, seconds: float
) -> Iterator[tuple[Any, ...]]:
    for uri, item in pairs:
        yield _outcome(uri, item, _extract(item, options, seconds))


# -- the driver ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class SparkReport:
    """What one Spark run did. Every record read is an article or a rejection."""

    out: str
    files: int = 0
    damaged_files: int = 0  # files in which the reader found damage, or that could not be fetched
    read: int = 0  # input records
    articles: int = 0
    rejected: dict[str, int] = field(default_factory=dict)  # by reason
    clusters: int = 0  # stories published more than once
    clustered: int = 0  # articles in those stories
    seconds: float = 0.0

    def __str__(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.rejected.items())) or "none"
        rate = self.read / self.seconds if self.seconds else 0.0
        return (
            f"read {self.read} records from {self.files} files ({self.damaged_files} damaged) in "
            f"{self.seconds:.1f}s ({rate:.0f}/s): {self.articles} articles, {sum(self.rejected.values())} "
            f"rejected ({reasons}); {self.clusters} stories published more than once ({self.clustered} "
            f"articles); written to {self.out}"
        )


def read_manifest(manifest: str | os.PathLike[str], spark: SparkSession | None = None) -> list[str]:
    """The files a manifest lists, one per line (blank lines and ``#`` comments skipped); relative local
    paths are resolved against the current folder so that executors find them. A manifest named by
    a URI (``hdfs://``, ``s3a://``, ``gs://``) is read through ``spark``'s filesystems."""
    name = os.fspath(manifest)
    if _is_local(name):
        try:
            lines = Path(name).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise BroadsheetError(f"cannot read the manifest {name}: {exc.strerror or exc}") from None
    else:
        if spark is None:
            raise BroadsheetError(
                f"the manifest {name} is not a local file: reading it needs a Spark session"
            )
        lines = [row.value for row in spark.read.text(name).collect()]
    entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [os.path.abspath(e) if _is_local(e) else e for e in entries]


def _pyspark() -> Any:
    try:
        import pyspark
    except ImportError as exc:
        raise MissingExtra("spark", "running on Spark") from exc
    return pyspark


def session(master: str | None = None, *, conf: dict[str, str] | None = None) -> SparkSession:
    """A SparkSession for the job: ``master``, else what spark-submit gave, else ``local[*]``.

    A local master stays on the loopback interface without the UI, and its Python workers run this
    interpreter with this copy of broadsheet.
    """
    _pyspark()
    from pyspark.sql import SparkSession

    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        master = "local[*]"
    builder = SparkSession.builder.appName("broadsheet")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        for key, value in _local_settings().items():
            builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _local_settings() -> dict[str, str]:
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise BroadsheetError("Spark needs Java 17 or newer: apt-get install openjdk-17-jre-headless")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Workers import broadsheet from where the driver did (an editable install may point elsewhere).
    here = str(Path(__file__).resolve().parent.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join([here, *filter(None, [os.environ.get("PYTHONPATH")])])
    return {
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.host": "127.0.0.1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(os.cpu_count() or 2),
    }


def _template_rows(uris: Iterable[str], options: Options) -> Iterator[tuple[str, str, list[str]]]:
    """``(site, page fingerprint, line keys)`` of every flattened-text record with a URL."""
    for uri in uris:
        for item in _shard_inputs(uri):
            found = template_lines(item, options)
            site = site_of(found[0]) if found else None
            counted = page_keys(found[1]) if found and site else None
            if site and counted:
                yield site, counted[0], sorted(counted[1])


def learn_templates(spark: SparkSession, files: list[str], options: Options | None = None) -> TemplateBook:
    """The site templates of the whole corpus, as ``pipeline.learn_templates`` learns them on one machine:
    a line is template for a site when it occurs on at least ``template_min_pages`` of its distinct pages.
    Counted with group-bys, so no site's pages need to meet in one task. Only template lines come back."""
    from pyspark.sql import functions as F

    opts = options or Options()
    least = opts.template_min_pages
    files = [f for f in files if may_hold_text(f)]
    if not files:
        return TemplateBook(min_pages=least)
    rows = spark.sparkContext.parallelize(files, max(1, len(files))).mapPartitions(
        lambda uris: _template_rows(uris, opts)
    )
    pages = spark.createDataFrame(rows, "site string, page string, keys array<string>").dropDuplicates(
        ["site", "page"]
    )
    sites = pages.groupBy("site").count().where(F.col("count") >= least).withColumnRenamed("count", "pages")
    lines = (
        pages.join(sites, "site")
        .select("site", F.explode("keys").alias("key"))
        .groupBy("site", "key")
        .count()
        .where(F.col("count") >= least)
    )
    book = TemplateBook(min_pages=least)
    for row in sites.collect():
        book.sites[row.site] = SiteTemplate(row.site, int(row.pages), min_pages=least)
    for row in lines.toLocalIterator():
        book.sites[row.site].counts[row.key] = int(row["count"])
    return book


def _with_templates(options: Options, book: Any) -> Options:
    """``options`` carrying the broadcast site templates (read once per executor process)."""
    return options if book is None else options.with_(templates=book.value)


def _outcomes(spark: SparkSession, files: list[str], options: Options, partitions: int | None) -> DataFrame:
    """The extraction stage: one row per input record, extracted in the executors."""
    seconds = options.timeout or DEFAULT_TIMEOUT
    templates = None
    if options.site_templates and options.templates is None:
        book = learn_templates(spark, files, options)
        templates = spark.sparkContext.broadcast(book) if len(book) else None
    elif options.templates is not None:
        templates = spark.sparkContext.broadcast(options.templates.compact())
    options = options.with_(templates=None)  # the book travels as a broadcast, not in every closure
    tasks = partitions or len(files)
    shards = spark.sparkContext.parallelize(files, max(1, min(tasks, len(files))))
    if tasks > len(files):  # fewer files than tasks wanted: read, then spread the records out
        rows = (
            shards.mapPartitions(_read_only)
            .repartition(tasks)
            .mapPartitions(lambda pairs: _extract_inputs(pairs, _with_templates(options, templates), seconds))
        )
        return spark.createDataFrame(rows, _schema(_OUTCOME_COLUMNS))
    names = spark.createDataFrame(shards.map(lambda uri: (uri,)), "file string")
    return names.mapInArrow(
        lambda batches: _shard_batches(batches, _with_templates(options, templates), seconds),
        _schema(_OUTCOME_COLUMNS),
    )


def story_clusters(articles: DataFrame) -> list[tuple[int, int, int]]:
    """``(id, cluster_id, cluster_size)`` of every article in a story told more than once.

    The same stories ``dedup.cluster`` finds on one machine, computed with group-bys: band keys are
    exploded to (key, id) rows and grouped; each bucket of 2 to ``BUCKET_CAP`` ids yields its pairs,
    which are verified in SQL with the estimated containment dedup uses (the same arithmetic, so the
    same verdicts); equal text hashes pair directly. The verified edges — one or so per near copy —
    go to the driver, where connected components name the clusters by their smallest id.
    """
    from pyspark.sql import functions as F

    cap, perm, threshold = dedup.BUCKET_CAP, dedup.NUM_PERM, dedup.CONTAINMENT
    exact = (
        articles.groupBy("text_hash")
        .agg(F.min("id").alias("a"), F.collect_list("id").alias("ids"))
        .where(F.size("ids") > 1)
        .select("a", F.explode("ids").alias("b"))
        .where("a != b")
    )
    buckets = (
        articles.where("shingles > 0")
        .select("id", F.explode("bands").alias("key"))
        .groupBy("key")
        .agg(F.collect_list("id").alias("ids"))
        .where(f"size(ids) BETWEEN 2 AND {cap}")
    )
    pairs = (
        buckets.select(
            F.explode(
                F.expr(
                    "flatten(transform(ids, (x, i) -> transform(slice(ids, i + 2, size(ids)), "
                    "y -> named_struct('a', least(x, y), 'b', greatest(x, y)))))"
                )
            ).alias("p")
        )
        .select("p.a", "p.b")
        .distinct()
    )
    sig = articles.where("shingles > 0").select("id", "signature", "shingles")
    joined = pairs.join(sig.toDF("a", "sa", "na"), "a").join(sig.toDF("b", "sb", "nb"), "b")
    same = "aggregate(zip_with(sa, sb, (x, y) -> IF(x = y, 1, 0)), 0, (acc, v) -> acc + v)"
    verified = (
        joined.withColumn("j", F.expr(f"({same}) / {perm}"))
        .where(f"j * (na + nb) / (1.0 + j) / least(na, nb) >= {threshold!r}")
        .select("a", "b")
    )
    edges = [(row.a, row.b) for row in exact.unionByName(verified).collect()]
    return _components(edges)


def _components(edges: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Connected components of an edge list: (node, smallest node of its component, component size)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not edges:
        return []
    pairs = np.array(edges, dtype=np.int64)
    nodes, index = np.unique(pairs, return_inverse=True)
    index = index.reshape(-1, 2)
    graph = coo_matrix((np.ones(len(index)), (index[:, 0], index[:, 1])), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, labels, nodes)  # nodes are sorted: the smallest id of each component
    sizes = np.bincount(labels)
    return [(int(n), int(first[lab]), int(sizes[lab])) for n, lab in zip(nodes, labels, strict=True)]


def _write_text(spark: SparkSession, path: str, text: str) -> None:
    """A small file anywhere Spark can write (local, HDFS, S3 through the Hadoop filesystem)."""
    if _is_local(path) or path.startswith("file://"):
        Path(path.removeprefix("file://")).write_text(text, encoding="utf-8")
        return
    jvm: Any = spark.sparkContext._jvm  # the driver's Hadoop FileSystem API, through py4j
    target = jvm.org.apache.hadoop.fs.Path(path)
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    stream = target.getFileSystem(hadoop_conf).create(target, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def _check_out(out: str, overwrite: bool) -> None:
    if _is_local(out) and Path(out).exists() and any(Path(out).iterdir()) and not overwrite:
        raise BroadsheetError(f"{out} exists and is not empty: choose another --out, or pass --overwrite")


def _write(
    articles: DataFrame, rejections: DataFrame, members: list[tuple[int, int, int]], out: str, overwrite: bool
) -> None:
    from pyspark.sql import functions as F

    spark = articles.sparkSession
    labels = spark.createDataFrame(members, "id bigint, cluster_id bigint, cluster_size int")
    table = (
        articles.join(labels, "id", "left")
        .withColumn("cluster_size", F.coalesce("cluster_size", F.lit(1)))
        .select(*[name for name, _ in ARTICLE_COLUMNS])
    )
    mode = "overwrite" if overwrite else "errorifexists"
    # One shuffle by partition value, so that each date/site folder gets one file, not one per task.
    table.repartition("date", "site").write.mode(mode).partitionBy("date", "site").parquet(f"{out}/articles")
    (
        rejections.select("file", "source", "id", "url", "stage", F.col("rejection").alias("reason"), "error")
        .write.mode(mode)
        .parquet(f"{out}/rejections")
    )


def _count(outcomes: DataFrame, report: SparkReport) -> None:
    """Records, articles and rejections by reason, and the damaged files, in one pass over the outcomes."""
    from pyspark.sql import functions as F

    damage = F.when((F.col("stage") == "read") & F.col("rejection").isin(sorted(_DAMAGE)), F.col("file"))
    rows = (
        outcomes.groupBy(F.col("rejection").alias("reason"))
        .agg(F.count("*").alias("n"), F.collect_set(damage).alias("damaged"))
        .collect()
    )
    by_reason: Counter[str] = Counter()
    damaged: set[str] = set()
    for row in rows:
        report.read += row.n
        damaged.update(row.damaged)
        if row.reason is None:
            report.articles = row.n
        else:
            by_reason[row.reason] = row.n
    report.rejected = dict(sorted(by_reason.items()))
    report.damaged_files = len(damaged)


def _listed(files: str | os.PathLike[str] | Sequence[str]) -> tuple[str | None, list[str]]:
    """(a manifest that only Spark can read, or None; the files known without Spark). A local manifest
    is read at once, so that a mistake fails before Spark starts."""
    if not isinstance(files, str | os.PathLike):
        return None, [os.path.abspath(f) if _is_local(f) else f for f in files]
    manifest = os.fspath(files)
    return (manifest, []) if not _is_local(manifest) else (None, read_manifest(manifest))


def run(
    files: str | os.PathLike[str] | Sequence[str],
    out: str,
    *,
    spark: SparkSession | None = None,
    master: str | None = None,
    partitions: int | None = None,
    options: Options | None = None,
    overwrite: bool = False,
    conf: dict[str, str] | None = None,
) -> SparkReport:
    """Extract every record of the files a manifest lists (or of ``files`` given as a list) into ``out``.

    ``out/articles`` (Parquet, partitioned by date and site), ``out/rejections`` (Parquet) and
    ``out/report.json``. ``partitions``: extraction tasks (default: one per file). Without ``spark``,
    a session is made for ``master`` (default: what spark-submit gave, else ``local[*]``).
    """
    out = os.path.abspath(out) if _is_local(out) else out.rstrip("/")
    _check_out(out, overwrite)
    remote, paths = _listed(files)
    if not paths and remote is None:
        raise BroadsheetError("the manifest lists no files")
    spark = spark or session(master, conf=conf)
    if remote is not None:
        paths = read_manifest(remote, spark)
        if not paths:
            raise BroadsheetError(f"the manifest {remote} lists no files")
    from pyspark import StorageLevel

    clock = time.perf_counter()
    report = SparkReport(out=out, files=len(paths))
    outcomes = _outcomes(spark, paths, options or Options(), partitions).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        _count(outcomes, report)
        articles = outcomes.where("rejection IS NULL")
        members = story_clusters(articles)
        report.clusters, report.clustered = len({m[1] for m in members}), len(members)
        _write(articles, outcomes.where("rejection IS NOT NULL"), members, out, overwrite)
    finally:
        outcomes.unpersist()
    report.seconds = time.perf_counter() - clock
    _write_text(spark, f"{out}/report.json", json.dumps(asdict(report), indent=2) + "\n")
    return report


# -- spark-submit -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """The spark-submit entry point: ``spark-submit .../broadsheet/spark.py MANIFEST --out DIR`` runs
    ``broadsheet spark MANIFEST --out DIR`` in the driver spark-submit started."""
    from broadsheet.cli import main as cli

    return cli(["spark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    # Run from the imported package, not from this script's copy: executors unpickle functions by module name.
    from broadsheet.spark import main as _main

    sys.exit(_main())
