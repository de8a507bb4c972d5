"""``python -m bench run`` (the report) and ``python -m bench gate`` (the regression gate)."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import datasets
from .cases import HTML_VARIANTS, SEED_SET
from .peers import PEERS

ALL_SETS = (*datasets.SETS, SEED_SET)


def _csv(choices: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    def parse(value: str) -> tuple[str, ...]:
        items = tuple(v.strip() for v in value.split(",") if v.strip())
        unknown = [v for v in items if v not in choices]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown {', '.join(unknown)}; choose from {', '.join(choices)}"
            )
        return items

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="score broadsheet and the peers; write a Markdown and a JSON report")
    run.add_argument(
        "--sets", type=_csv(ALL_SETS), default=ALL_SETS, help="comma-separated (default: all + seed)"
    )
    run.add_argument(
        "--peers", type=_csv(tuple(PEERS)), default=tuple(PEERS), help="comma-separated (default: all)"
    )
    run.add_argument("--no-peers", action="store_true", help="broadsheet (and the text baselines) only")
    run.add_argument(
        "--split", choices=("test", "train", "all"), default="test", help="default: test (held out)"
    )
    run.add_argument("--sample", type=int, help="at most N pages per set (a fixed choice)")
    run.add_argument("--variants", type=_csv(HTML_VARIANTS), default=HTML_VARIANTS, help="default: all")
    run.add_argument("--speed", action="store_true", help="also measure speed and memory")
    run.add_argument("--speed-pages", type=int, default=20, help="pages per set for --speed (default 20)")
    run.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    run.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per page and extractor (default 60)"
    )
    run.add_argument("--no-cache", action="store_true", help="recompute peer outputs and flattened texts")
    run.add_argument("--out", type=Path, help="folder for report.md / report.json (default bench/results)")
    run.add_argument("--write-docs", action="store_true", help="also write docs/benchmarks.md")

    gate = sub.add_parser("gate", help="check broadsheet against the pinned floors (bench/floors.json)")
    gate.add_argument("--update-floors", action="store_true", help="pin the current scores as the floors")
    gate.add_argument("--reason", help="why the floors change (required with --update-floors)")
    gate.add_argument("--floors", type=Path, help="floors file (default bench/floors.json)")
    return parser


def _run(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from . import report
    from .run import RESULTS, RunConfig, run

    config = RunConfig(
        sets=args.sets,
        peers=() if args.no_peers else args.peers,
        split=args.split,
        sample=args.sample,
        variants=args.variants,
        speed=args.speed,
        speed_pages=args.speed_pages,
        out=args.out or RESULTS,
        jobs=args.jobs,
        timeout=args.timeout,
        use_cache=not args.no_cache,
        command=shlex.join(["python", "-m", "bench", *argv]),
    )
    if datasets.data_root() is None:
        print("bench run: development data not found (../shared/data or $BROADSHEET_DATA)", file=sys.stderr)
        return 2
    result = run(config)
    md, js = report.write(result, config.out)
    print(f"wrote {md} and {js} in {result['meta']['wall_seconds'] / 60:.1f} min")
    if args.write_docs:
        print(f"wrote {report.write_docs(result)}")
    return 0


def _gate(args: argparse.Namespace) -> int:
    from . import gate

    return gate.main(update_floors=args.update_floors, reason=args.reason, floors=args.floors)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run(args, argv)
    return _gate(args)


if __name__ == "__main__":
    raise SystemExit(main())
