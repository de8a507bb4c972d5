"""Pages on disk: folders and globs of ``.html``/``.htm``/``.html.gz``/``.txt``, and JSON-lines scrapes."""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..article import Input
from ..errors import Reason, RejectedInput
from ..options import Options
from ..pipeline.read import read_path

__all__ = ["PAGE_SUFFIXES", "is_jsonl", "is_url_list", "iter_files", "iter_jsonl", "iter_url_list"]

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".txt", ".txt.gz", ".xhtml")


def is_jsonl(spec: str) -> bool:
    return spec.endswith((".jsonl", ".jsonl.gz", ".ndjson"))


def _is_page(path: Path) -> bool:
    return path.name.lower().endswith(PAGE_SUFFIXES)


def _paths(spec: str) -> list[Path]:
    path = Path(spec)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and _is_page(p))
    if any(ch in spec for ch in "*?["):
        return sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())
    return [path]


def iter_files(spec: str, *, options: Options | None = None) -> Iterator[Input]:
    """One ``Input`` per page file; the kind follows the suffix (``.txt`` is flattened text).

    A file over ``options.max_bytes`` (default: from the environment) is rejected without being read.
    """
    opts = options or Options.from_env()
    for path in _paths(spec):
        kind = "text" if path.name.lower().endswith((".txt", ".txt.gz")) else "auto"
        try:
            content = read_path(path, opts)
        except RejectedInput as exc:
            yield Input(content=b"", source=str(path), kind=kind, rejection=exc.reason.value, error=str(exc))
            continue
        yield Input(content=content, source=str(path), kind=kind)


def iter_jsonl(spec: str, *, options: Options | None = None, text_only: bool = False) -> Iterator[Input]:
    """``{url, html | text, fetched_at}`` per line; a broken line is a counted rejection, not the end.

    A line over ``options.max_bytes`` characters is a ``too_large`` rejection, skipped without being held.
    ``text_only``: only the rows that may be flattened text, for the site-template pass. A row without a
    ``"text"`` key is skipped before it is decoded: inside a JSON string every quote is escaped, so that
    key cannot be there when the line does not hold ``"text"`` at all (a key spelled with ``\\u`` escapes
    is not looked for: such a row only teaches no template).
    """
    limit = (options or Options.from_env()).max_bytes
    path = Path(spec)
    opener = __import__("gzip").open if spec.endswith(".gz") else open
    try:
        fh = opener(path, "rt", encoding="utf-8", errors="replace")
    except OSError as exc:
        yield Input(content=b"", source=spec, rejection=Reason.UNREADABLE.value, error=f"{spec}: {exc}")
        return
    with fh:
        for number, line in enumerate(_bounded_lines(fh, limit), start=1):
            key = f"{spec}#{number}"
            if line is None:
                yield Input(
                    content=b"",
                    source=key,
                    rejection=Reason.TOO_LARGE.value,
                    error=f"line {number}: over {limit:,} characters, not read",
                )
                continue
            if not line.strip() or (text_only and '"text"' not in line):
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                yield Input(
                    content=b"",
                    source=key,
                    rejection=Reason.UNREADABLE.value,
                    error=f"line {number}: bad JSON ({exc})",
                )
                continue
            html, text = row.get("html"), row.get("text")
            content = html if isinstance(html, str) else text if isinstance(text, str) else ""
            kind = "html" if isinstance(html, str) else "text" if isinstance(text, str) else "auto"
            yield Input(
                content=content, url=row.get("url"), fetched_at=row.get("fetched_at"), source=key, kind=kind
            )


def _bounded_lines(fh: TextIO, limit: int) -> Iterator[str | None]:
    """The lines of ``fh``; None for a line over ``limit`` characters, which is skipped, never held whole."""
    while line := fh.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith("\n"):
                pass
            yield None
        else:
            yield line


_URL_LINE = re.compile(r"^https?://\S+$", re.I)


def is_url_list(spec: str) -> bool:
    """A ``.urls`` file, or a single ``.txt`` file whose first lines are all http(s) URLs."""
    lower = spec.lower()
    if lower.endswith((".urls", ".urls.txt")):
        return True
    if not lower.endswith(".txt") or not Path(spec).is_file():
        return False
    try:
        with open(spec, encoding="utf-8", errors="replace") as fh:
            head = [line.strip() for line in fh.read(16384).splitlines()[:50]]
    except OSError:
        return False
    lines = [line for line in head if line and not line.startswith("#")]
    return bool(lines) and all(_URL_LINE.match(line) for line in lines)


def iter_url_list(spec: str) -> Iterator[str | Input]:
    """The URLs of a list file, one per line (``#`` comments, blank lines skipped); bad lines rejected."""
    try:
        fh = open(spec, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Input(
            content=b"",
            source=spec,
            rejection=Reason.UNREADABLE.value,
            error=f"{spec}: {exc.strerror or exc}",
        )
        return
    with fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if _URL_LINE.match(line):
                yield line
            else:
                yield Input(
                    content=b"",
                    source=f"{spec}#{number}",
                    rejection=Reason.UNREADABLE.value,
                    error=f"{spec} line {number}: not an http(s) URL: {line[:80]!r}",
                )
