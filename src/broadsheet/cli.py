"""The ``broadsheet`` command: a thin shell over the library. Every command calls one public function."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from . import __version__
from .article import Article, Input
from .errors import BroadsheetError, Reason, RejectedInput
from .formats import FORMATS, render
from .options import Options
from .pipeline import extract_many
from .pipeline.read import read_path

if TYPE_CHECKING:
    from .archive import Archive

__all__ = ["main"]

#: Rejections that mean the input could not be read at all (exit code 1), as opposed to a page read fine
#: that is not an article.
_FAILURES = {r.value for r in Reason} - {
    Reason.NOT_ARTICLE.value,
    Reason.NO_BODY.value,
    Reason.DUPLICATE.value,
}


def _inputs(paths: Sequence[str], url: str | None, kind: str, options: Options) -> Iterator[Input]:
    """One input per path; a file over the size limit is not read at all, only rejected."""
    for raw in paths:
        if raw == "-":
            content = sys.stdin.buffer.read(options.max_bytes + 1)  # one byte over is enough to reject
            yield Input(content=content, url=url, source="-", kind=kind)
            continue
        try:
            content = read_path(raw, options)
        except RejectedInput as exc:
            yield Input(
                content=b"", url=url, source=raw, kind=kind, rejection=exc.reason.value, error=str(exc)
            )
            continue
        yield Input(content=content, url=url, source=raw, kind=kind)


def explain_table(article: Article) -> str:
    """The ``--explain`` view as text: one line per candidate block."""
    lines = [
        f"# {article.kind or '?'} page: {len(article.explain or [])} blocks, confidence {article.confidence}"
    ]
    for d in article.explain or []:
        snippet = d.text if len(d.text) <= 70 else d.text[:67] + "..."
        lines.append(f"{'KEEP' if d.kept else 'drop'} {d.score:4.2f} {d.role:<12} {d.reason:<44} | {snippet}")
    return "\n".join(lines) + "\n"


def cmd_extract(args: argparse.Namespace) -> int:
    options = Options.from_env(kind=args.kind, explain=args.explain, timeout=args.timeout)
    failed = 0
    many = len(args.paths) > 1
    inputs = _inputs(args.paths, args.url, args.kind, options)
    results = extract_many(inputs, options=options, workers=args.workers)
    if args.format == "json" and many:
        sys.stdout.write("[\n")
    for i, (raw, article) in enumerate(zip(args.paths, results, strict=True)):
        if article.rejection in _FAILURES:
            failed += 1
            print(f"broadsheet: {raw}: {article.error}", file=sys.stderr)
        extra = {"input": raw} if args.format == "jsonl" or many else None
        if args.explain and args.format in ("text", "markdown", "html"):
            sys.stdout.write(explain_table(article))
            continue
        out = render(article, args.format, extra=extra)
        if args.format == "json" and many:
            out = ("" if i == 0 else ",\n") + out
        sys.stdout.write(out if out.endswith("\n") or (args.format == "json" and many) else out + "\n")
    if args.format == "json" and many:
        sys.stdout.write("\n]\n")
    return 1 if failed else 0


def _compiled_kind() -> str:
    """Which compiled modules this install runs (``pipeline/compiled.py``)."""
    from .pipeline.compiled import compiled
    from .pipeline.html import COMPILED

    running = [
        part
        for part, on in (
            ("HTML walk", COMPILED is not None),
            ("block counts", compiled("_counts") is not None),
            ("tree sums", compiled("_trees") is not None),
            ("token counts", compiled("_tokens") is not None),
            ("MinHash signatures", compiled("broadsheet._signature") is not None),
        )
        if on
    ]
    if not running:
        return "pure Python: the compiled modules are not built or are turned off"
    return "compiled " + ", ".join(running)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Turn raw news pages (HTML, web-archive records, flattened text) into clean, structured articles.",
    )
    parser.add_argument(
        "--version", action="version", version=f"broadsheet {__version__} ({_compiled_kind()})"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "extract",
        help="extract articles from pages (.html, .htm, .html.gz, .txt, - for stdin)",
        description="Extract the article from each input. Inputs: .html, .htm, .html.gz, .txt "
        "(flattened page text, optionally headed 'date YYYY-MM-DD'), or - for stdin.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="input files, or - for standard input")
    p.add_argument(
        "--format", "-f", choices=list(FORMATS), default="json", help="output format (default: json)"
    )
    p.add_argument("--url", help="the page's URL (used for relative links, site and date checks)")
    p.add_argument("--kind", choices=["auto", "html", "text"], default="auto", help="force the input kind")
    p.add_argument(
        "--explain", action="store_true", help="show every block of the page with its decision and reason"
    )
    p.add_argument(
        "--workers", "-j", type=int, default=0, help="extraction processes (default: 0, in this process)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds one page may take; over it the page is a 'timeout' rejection (runs pages in a worker)",
    )
    p.set_defaults(func=cmd_extract)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


#: Other command groups register themselves here (archive, web, spark, bench), each in its own function.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []


# -- the archive: ingest, search, get, stats, export, clusters -------------------------------------

_ARCHIVE_ENV = "BROADSHEET_ARCHIVE"


def _open_archive(args: argparse.Namespace, *, readonly: bool = True) -> Archive:
    from .archive import Archive

    return Archive(args.archive, readonly=readonly)


def _filter_args(args: argparse.Namespace) -> dict[str, str | None]:
    return {k: getattr(args, k) for k in ("site", "section", "author", "tag", "since", "until", "lang")}


def _terminal_marks(snippet: str | None) -> str:
    import html

    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
    text = (snippet or "").replace("<mark>", bold).replace("</mark>", plain)
    return html.unescape(" ".join(text.split()))


def cmd_ingest(args: argparse.Namespace) -> int:
    options = Options.from_env(kind=args.kind, timeout=args.timeout)
    with _open_archive(args, readonly=False) as archive:
        progress = False if args.quiet else (True if args.progress else None)
        report = archive.ingest(
            args.sources, options=options, workers=args.workers, progress=progress, batch_size=args.batch_size
        )
    if not args.quiet:
        print(f"broadsheet: {report}", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    with _open_archive(args) as archive:
        query = " ".join(args.query)
        hits = archive.search(query, limit=args.limit, offset=args.offset, **_filter_args(args))
        if args.format == "jsonl":
            for hit in hits:
                print(json.dumps(asdict(hit), ensure_ascii=False))
            return 0
        total = archive.count(query, **_filter_args(args))
        print(f"{total} article(s) match; showing {len(hits)} from {args.offset + 1 if hits else 0}")
        for hit in hits:
            print(
                f"[{hit.id}] {(hit.published or '')[:10]:10}  {hit.site or '?'} - {hit.title or '(untitled)'}"
            )
            if hit.url:
                print(f"      {hit.url}")
            if hit.snippet:
                print(f"      {_terminal_marks(hit.snippet)}")
    return 0


def _ref(raw: str) -> int | str:
    return int(raw) if raw.isdigit() else raw


def cmd_get(args: argparse.Namespace) -> int:
    with _open_archive(args) as archive:
        if args.explain:
            article = archive.explain(_ref(args.ref))
            if article is None:
                raise BroadsheetError(f"no article {args.ref!r} in {args.archive}")
            sys.stdout.write(explain_table(article))
            return 0
        stored = archive.get(_ref(args.ref))
        if stored is None:
            raise BroadsheetError(f"no article {args.ref!r} in {args.archive}")
        extra = {"archive_id": stored.id, "version": stored.version, "cluster_id": stored.cluster_id}
        out = render(stored.article, args.format, extra=extra if args.format in ("json", "jsonl") else None)
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    with _open_archive(args) as archive:
        stats = archive.stats()
    if args.format == "json":
        print(json.dumps(asdict(stats) | {"rejected": stats.rejected}, indent=2))
        return 0
    print(
        f"archive        {args.archive} (schema {stats.schema_version}, {stats.size_bytes / 1e6:.1f} MB on disk)"
    )
    print(f"inputs         {stats.inputs} ({stats.raw_bytes / 1e6:.1f} MB as given)")
    print(f"articles       {stats.urls} ({stats.versions} older versions kept, {stats.sites} sites)")
    print(f"rejected       {stats.rejected}")
    for reason, count in sorted(stats.rejections.items(), key=lambda kv: -kv[1]):
        print(f"  {reason:<13}{count}")
    print(
        f"stories        {stats.clusters} published more than once ({stats.clustered} articles, "
        f"largest {stats.largest_cluster})"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _open_archive(args) as archive:
        count = archive.export(
            args.path,
            args.format,
            all_versions=args.all_versions,
            query=args.query or "",
            **_filter_args(args),
        )
    if args.path != "-":
        print(f"broadsheet: wrote {count} article(s) to {args.path}", file=sys.stderr)
    return 0


def cmd_clusters(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    with _open_archive(args) as archive:
        if args.id is not None:
            one = archive.cluster(args.id)
            if one is None:
                raise BroadsheetError(f"no story cluster {args.id} in {args.archive}")
            clusters = [one]
        else:
            clusters = archive.clusters(
                min_size=args.min_size,
                limit=args.limit,
                offset=args.offset,
                since=args.since,
                until=args.until,
            )
    for c in clusters:
        if args.format == "jsonl":
            print(json.dumps(asdict(c) | {"also_published_by": c.also_published_by}, ensure_ascii=False))
            continue
        print(f"story {c.id}: {c.size} copies, source {c.source}{' (wire)' if c.wire else ''}")
        print(f"  {c.canonical.title}  [{c.canonical.id}] {c.canonical.url or ''}")
        if c.also_published_by:
            print(f"  also published by: {', '.join(c.also_published_by)}")
        if args.id is not None:
            for m in c.members[1:]:
                print(f"    [{m.id}] {(m.published or '')[:10]:10} {m.site or '?'} - {m.title} {m.url or ''}")
    return 0


def _archive_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--archive",
        "-a",
        default=os.environ.get(_ARCHIVE_ENV, "broadsheet.db"),
        metavar="PATH|URL",
        help=f"the archive: a file, sqlite:///path or postgresql://... (default: ${_ARCHIVE_ENV} or broadsheet.db)",
    )


def _filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", help="site name or host")
    p.add_argument("--section", help="site section")
    p.add_argument("--author", help="author name")
    p.add_argument("--tag", help="tag")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="published on or after this day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="published on or before this day")
    p.add_argument("--lang", help="language code (en, de, ...)")


def _archive_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "ingest",
        help="extract sources into the archive (resumable, idempotent)",
        description="Extract every record of the sources into the archive on all cores. Sources: folders and "
        "globs of pages, JSON lines ({url, html|text, fetched_at}), and whatever else broadsheet.sources reads. "
        "Inputs already stored are skipped, so an interrupted run resumes where it stopped.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="folder, glob, file or URL")
    _archive_option(p)
    p.add_argument(
        "--workers", "-j", type=int, default=None, help="extraction processes (default: all cores; 0: none)"
    )
    p.add_argument("--timeout", type=float, default=None, help="seconds one page may take (default: 30)")
    p.add_argument("--kind", choices=["auto", "html", "text"], default="auto", help="force the input kind")
    p.add_argument("--batch-size", type=int, default=1024, help="records per transaction (default: 1024)")
    p.add_argument("--progress", action="store_true", help="show a progress bar even when not on a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "search",
        help="full-text search with filters and snippets",
        description='Search the archive. Words must all match; "a phrase", word*, a OR b, -word.',
    )
    p.add_argument("query", nargs="*", help="search words (none: newest articles)")
    _archive_option(p)
    _filter_options(p)
    p.add_argument("--limit", "-n", type=int, default=20, help="results to show (default: 20)")
    p.add_argument("--offset", type=int, default=0, help="results to skip")
    p.add_argument("--format", "-f", choices=["text", "jsonl"], default="text", help="output format")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "get",
        help="show one stored article by id or URL",
        description="Show the latest stored version of an article, by archive id or URL.",
    )
    p.add_argument("ref", metavar="ID|URL")
    _archive_option(p)
    p.add_argument(
        "--format", "-f", choices=list(FORMATS), default="json", help="output format (default: json)"
    )
    p.add_argument(
        "--explain", action="store_true", help="re-extract the stored input: every block kept or removed"
    )
    p.set_defaults(func=cmd_get)

    p = sub.add_parser(
        "stats",
        help="count inputs, articles, versions, rejections by reason, stories",
        description="Every input is an article or a rejection with its reason; this counts them.",
    )
    _archive_option(p)
    p.add_argument("--format", "-f", choices=["text", "json"], default="text", help="output format")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "export",
        help="write articles as JSON lines, Parquet or CSV",
        description="Export articles for analysis (pandas, DuckDB). The format follows the suffix.",
    )
    p.add_argument(
        "path", metavar="PATH", help="output file (.jsonl, .parquet, .csv), or - for standard output"
    )
    _archive_option(p)
    _filter_options(p)
    p.add_argument("--query", help="only articles matching this search")
    p.add_argument("--format", "-f", choices=["jsonl", "parquet", "csv"], default=None, help="output format")
    p.add_argument("--all-versions", action="store_true", help="every stored version, not only the latest")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "clusters",
        help="stories published more than once, largest first",
        description="Story clusters: wire copies and reposts of one story across sites.",
    )
    _archive_option(p)
    p.add_argument("--id", type=int, default=None, help="show one cluster with all its members")
    p.add_argument("--min-size", type=int, default=2, help="smallest cluster to list (default: 2)")
    p.add_argument("--limit", "-n", type=int, default=20, help="clusters to show (default: 20)")
    p.add_argument("--offset", type=int, default=0, help="clusters to skip")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="first published on or after this day")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="first published on or before this day")
    p.add_argument("--format", "-f", choices=["text", "jsonl"], default="text", help="output format")
    p.set_defaults(func=cmd_clusters)


_EXTRA_COMMANDS.append(_archive_commands)


# -- spark: the same extraction over web-archive shards on a Spark cluster ------------------------------


def cmd_spark(args: argparse.Namespace) -> int:
    from .spark import run

    conf = dict(item.split("=", 1) for item in args.conf)
    options = Options.from_env(kind=args.kind, timeout=args.timeout)
    report = run(
        args.manifest,
        args.out,
        master=args.master,
        partitions=args.partitions,
        options=options,
        overwrite=args.overwrite,
        conf=conf,
    )
    print(f"broadsheet: {report}", file=sys.stderr)
    return 0


def _conf(raw: str) -> str:
    if "=" not in raw:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {raw!r}")
    return raw


def _spark_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "spark",
        help="extract the WARC/WET files a manifest lists on Spark, into Parquet (needs broadsheet[spark])",
        description="Run the extraction over the WARC/WET files a manifest lists, on Spark (local mode, or "
        "the cluster spark-submit gives), into OUT/articles (Parquet partitioned by date and site), "
        "OUT/rejections (Parquet) and OUT/report.json. See docs/cluster.md.",
    )
    p.add_argument(
        "manifest",
        help="a text file naming WARC/WET files, one per line: local paths, file://, "
        "hdfs://, s3a://, s3://, gs://, http(s)://",
    )
    p.add_argument("--out", required=True, help="output folder (local, hdfs://, s3a://)")
    p.add_argument("--master", help="Spark master (default: what spark-submit gave, else local[*])")
    p.add_argument(
        "--partitions",
        type=int,
        help="extraction tasks (default: one per file; more than the "
        "files spreads their records over that many tasks)",
    )
    p.add_argument("--kind", choices=["auto", "html", "text"], help="force the input kind")
    p.add_argument("--timeout", type=float, help="seconds one record may take (default 30)")
    p.add_argument(
        "--conf",
        action="append",
        type=_conf,
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting, e.g. spark.executor.memory=4g (repeatable)",
    )
    p.add_argument("--overwrite", action="store_true", help="replace what the output folder holds")
    p.set_defaults(func=cmd_spark)


_EXTRA_COMMANDS.append(_spark_command)


def _web_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``serve`` and ``digest`` (broadsheet.web; the web extra is needed only when they run)."""
    from .web.commands import register

    register(sub)


_EXTRA_COMMANDS.append(_web_commands)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except BroadsheetError as exc:
        print(f"broadsheet: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
