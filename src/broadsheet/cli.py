"""The ``broadsheet`` command: a thin shell over the library. Every command calls one public function."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from . import __version__
from .article import Article, Input
from .errors import BroadsheetError, Reason
from .formats import FORMATS, render
from .options import Options
from .pipeline import extract_many

__all__ = ["main"]

#: Rejections that mean the input could not be read at all (exit code 1), as opposed to a page read fine
#: that is not an article.
_FAILURES = {r.value for r in Reason} - {
    Reason.NOT_ARTICLE.value,
    Reason.NO_BODY.value,
    Reason.DUPLICATE.value,
}


def _inputs(paths: Sequence[str], url: str | None, kind: str) -> Iterator[Input | Path]:
    for raw in paths:
        if raw == "-":
            yield Input(content=sys.stdin.buffer.read(), url=url, source="-", kind=kind)
        else:
            path = Path(raw)
            yield (
                Input(content=_read_or_empty(path), url=url, source=raw, kind=kind)
                if path.is_file()
                else path
            )


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


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
    options = Options.from_env(kind=args.kind, explain=args.explain)
    failed = 0
    many = len(args.paths) > 1
    results = extract_many(_inputs(args.paths, args.url, args.kind), options=options)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Turn raw news pages (HTML, web-archive records, flattened text) into clean, structured articles.",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
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
    p.set_defaults(func=cmd_extract)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


#: Other command groups register themselves here (archive, web, spark, bench), each in its own function.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []


# -- spark: the same extraction over web-archive shards on a Spark cluster ------------------------------


def cmd_spark(args: argparse.Namespace) -> int:
    from .spark import run

    conf = dict(item.split("=", 1) for item in args.conf)
    options = Options.from_env(kind=args.kind, timeout=args.timeout)
    report = run(args.manifest, args.out, master=args.master, partitions=args.partitions, options=options,
                 overwrite=args.overwrite, conf=conf)
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
    p.add_argument("manifest", help="a text file naming WARC/WET files, one per line: local paths, file://, "
                   "hdfs://, s3a://, s3://, gs://, http(s)://")
    p.add_argument("--out", required=True, help="output folder (local, hdfs://, s3a://)")
    p.add_argument("--master", help="Spark master (default: what spark-submit gave, else local[*])")
    p.add_argument("--partitions", type=int, help="extraction tasks (default: one per file; more than the "
                   "files spreads their records over that many tasks)")
    p.add_argument("--kind", choices=["auto", "html", "text"], help="force the input kind")
    p.add_argument("--timeout", type=float, help="seconds one record may take (default 30)")
    p.add_argument("--conf", action="append", type=_conf, default=[], metavar="KEY=VALUE",
                   help="a Spark setting, e.g. spark.executor.memory=4g (repeatable)")
    p.add_argument("--overwrite", action="store_true", help="replace what the output folder holds")
    p.set_defaults(func=cmd_spark)


_EXTRA_COMMANDS.append(_spark_command)


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
