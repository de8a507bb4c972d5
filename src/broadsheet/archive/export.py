"""Exports for analysis (pandas, DuckDB, Spark): JSON lines, Parquet (pyarrow) and CSV, and their readers.

Every row is an article plus where it sits in the archive (``archive_id``, ``version``,
``cluster_id``, ``source``). JSON lines and Parquet keep every field exactly; CSV writes lists and
objects as JSON text, and cannot tell an empty string from a missing one (both read back as missing).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

from ..article import Article
from ..errors import BroadsheetError, MissingExtra
from .records import Stored

__all__ = ["FORMATS", "export", "format_of", "read_export"]

FORMATS = ("jsonl", "parquet", "csv")
_PLACE = ("archive_id", "version", "cluster_id", "source")
_FIELDS = tuple(f.name for f in fields(Article) if f.name != "explain")
_LISTS = ("authors", "tags", "images", "blocks")
_NOT_TEXT = {"is_article": bool, "paywalled": bool, "confidence": float}
_ROW_GROUP = 5000


def format_of(path: Path, given: str | None) -> str:
    """The export format: as given, else from the file's suffix."""
    if given:
        if given not in FORMATS:
            raise BroadsheetError(f"unknown export format {given!r}: use one of {', '.join(FORMATS)}")
        return given
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("jsonl", "ndjson"):
        return "jsonl"
    if suffix in FORMATS:
        return suffix
    raise BroadsheetError(
        f"cannot tell the export format from {path.name!r}: name it .jsonl, .parquet or .csv"
    )


def _row(stored: Stored) -> dict[str, Any]:
    data = stored.article.to_dict(explain=False)
    place = {
        "archive_id": stored.id,
        "version": stored.version,
        "cluster_id": stored.cluster_id,
        "source": stored.source,
    }
    return {**place, **{k: data[k] for k in _FIELDS}}


@contextmanager
def _opened(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    if str(path) == "-":
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline=newline) as fh:
        yield fh


def export(articles: Iterable[Stored], path: Path, format: str | None = None) -> int:
    """Write ``articles`` to ``path`` (``-`` is standard output for jsonl and csv); returns the count."""
    fmt = format_of(path, format) if str(path) != "-" else (format or "jsonl")
    if fmt == "parquet":
        return _parquet(articles, path)
    count = 0
    with _opened(path, newline="" if fmt == "csv" else None) as fh:
        if fmt == "jsonl":
            for stored in articles:
                fh.write(json.dumps(_row(stored), ensure_ascii=False) + "\n")
                count += 1
            return count
        writer = csv.DictWriter(fh, fieldnames=[*_PLACE, *_FIELDS])
        writer.writeheader()
        for stored in articles:
            writer.writerow(_csv_row(_row(stored)))
            count += 1
    return count


def _csv_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in (*_LISTS, *_NOT_TEXT):
        out[key] = json.dumps(row[key], ensure_ascii=False)
    return out


def _arrow_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    image = pa.struct([("url", text), ("caption", text), ("credit", text)])
    block = pa.struct([("kind", text), ("text", text), ("level", pa.int32())])
    special = {
        "authors": pa.list_(text),
        "tags": pa.list_(text),
        "images": pa.list_(image),
        "blocks": pa.list_(block),
        "is_article": pa.bool_(),
        "paywalled": pa.bool_(),
        "confidence": pa.float64(),
    }
    columns = [
        ("archive_id", pa.int64()),
        ("version", pa.int32()),
        ("cluster_id", pa.int64()),
        ("source", text),
    ]
    columns += [(name, special.get(name, text)) for name in _FIELDS]
    return pa.schema(columns)


def _parquet(articles: Iterable[Stored], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra("parquet", "Parquet export") from None
    schema = _arrow_schema()
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        rows: list[dict[str, Any]] = []
        for stored in articles:
            rows.append(_row(stored))
            if len(rows) >= _ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                count += len(rows)
                rows = []
        if rows or not count:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            count += len(rows)
    return count


def _article(row: dict[str, Any]) -> tuple[dict[str, Any], Article]:
    place = {k: row.get(k) for k in _PLACE}
    return place, Article.from_dict({k: row[k] for k in _FIELDS if k in row})


def read_export(path: str | Path, format: str | None = None) -> Iterator[tuple[dict[str, Any], Article]]:
    """Read an export back: (``archive_id``/``version``/``cluster_id``/``source``, ``Article``) per row."""
    path = Path(path)
    fmt = format_of(path, format)
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                yield _article(json.loads(line))
    elif fmt == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise MissingExtra("parquet", "Parquet export") from None
        for batch in pq.ParquetFile(path).iter_batches():
            for row in batch.to_pylist():
                yield _article(row)
    else:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield _article(_from_csv(row))


def _from_csv(row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
    for key in (*_LISTS, *_NOT_TEXT):
        out[key] = json.loads(row[key])
    out["text"] = row.get("text", "")
    for key in ("archive_id", "version", "cluster_id"):
        out[key] = int(row[key]) if row.get(key) else None
    return out
