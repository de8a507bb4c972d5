"""WARC and WET files (gzip or not), read with FastWARC; damaged stretches become counted rejections.

What becomes an ``Input`` (``source`` = ``path#offset`` of the record, usable to resume):

- a ``response`` record: the HTTP payload, de-chunked and content-decoded, when the status is 2xx
  and the content type is HTML (or absent and the body is HTML). Other statuses are ``fetch_failed``,
  other content types ``not_html``;
- a ``resource`` record with an HTML content type, the same way without HTTP headers;
- a WET ``conversion`` record: its flattened text, ``kind="text"``.

``request``, ``metadata``, ``warcinfo`` and ``revisit`` records are not pages and are skipped.

Damage never ends the file. FastWARC frames the records (and skips non-page ones natively) until it
meets something it cannot frame. The reader then frames records itself, in Python, from the last
page record on: a record whose block does not end where its ``Content-Length`` says is damaged (an
``unreadable`` rejection at its offset); otherwise the rejection is placed where the first unsound
record starts. It then scans for the next record start (``WARC/1.x``, or a gzip member that
inflates to one) and hands back to FastWARC. A record shorter than its declared length (a cut-off
file) is ``unreadable``; one declaring more than the limit is ``too_large``, and so is a payload
that inflates past it (a decompression bomb).
"""

from __future__ import annotations

import importlib
import io
import os
import re
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..article import Input
from ..errors import MissingExtra, Reason, RejectedInput
from .payload import GZIP_MAGIC, inflate, looks_html, with_header_charset

if TYPE_CHECKING:
    from fastwarc.warc import WarcRecord

__all__ = ["WARC_SUFFIXES", "WarcLimits", "is_warc", "iter_warc"]

WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_SCAN_CHUNK = 1 << 20
_MAX_HEADER = 64 << 10
_WARC_START = re.compile(rb"WARC/1\.[01]\r?\n")
_GZIP_START = re.compile(re.escape(GZIP_MAGIC + b"\x08"))
_HEADER_LINE = re.compile(rb"^(?:[!#-'*+.0-9A-Z^-z|~-]+:.*|[ \t].*)$")  # a field, or a folded line
_PAGE_TYPES = (b"response", b"resource", b"conversion")
_CHUNK_SIZE_LINE = re.compile(rb"\A[0-9a-fA-F]{1,8}[ \t]*(?:;[^\r\n]*)?\r?\n")


@dataclass(frozen=True, slots=True)
class WarcLimits:
    """Bounds per record: the declared WARC block, and the payload after de-chunking and inflating."""

    max_record_bytes: int = 50_000_000
    max_payload_bytes: int = 50_000_000


def is_warc(spec: str) -> bool:
    return spec.lower().endswith(WARC_SUFFIXES)


def iter_warc(path: str, *, start: int = 0, limits: WarcLimits | None = None) -> Iterator[Input]:
    """Every page record of a WARC/WET file from byte ``start`` on; never raises, never stops early."""
    limits = limits or WarcLimits()
    _fastwarc()
    try:
        size = os.path.getsize(path)
        gz = _is_gzip(path)
    except OSError as exc:
        yield _file_rejection(path, f"{path}: {exc.strerror or exc}")
        return
    if size == 0:
        yield Input(
            content=b"", source=path, rejection=Reason.EMPTY.value, error=f"{path}: empty file, no records"
        )
        return
    pos: int | None = start
    while pos is not None and pos < size:
        stopped = yield from _read_run(path, pos, gz, limits)
        if stopped is None:
            return
        bad_at, message = stopped
        if not message and bad_at > pos:  # a sound record FastWARC stopped short of: read on from it
            pos = bad_at
            continue
        message = message or "a record FastWARC cannot read"
        yield Input(
            content=b"",
            source=f"{path}#{bad_at}",
            rejection=Reason.UNREADABLE.value,
            error=f"{path}#{bad_at}: {message}",
        )
        pos = _next_record_start(path, bad_at + 1, gz)


def _is_gzip(path: str) -> bool:
    """By name, checked against the content: damage may hide the first record, so the first MiB
    is searched for a gzip member holding a record (or, for a misnamed file, found at offset 0)."""
    if not path.lower().endswith(".gz"):
        return _inflates_to_warc(path, 0)
    return (
        _next_record_start(path, 0, True, within=_SCAN_CHUNK) is not None
        or _next_record_start(path, 0, False, within=_SCAN_CHUNK) is None
    )


def _file_rejection(path: str, message: str) -> Input:
    return Input(content=b"", source=path, rejection=Reason.UNREADABLE.value, error=message)


def _fastwarc() -> Any:
    try:
        return importlib.import_module("fastwarc.warc")
    except ImportError as exc:
        raise MissingExtra("warc", "reading WARC/WET files") from exc


def _iterator(fh: io.BufferedReader) -> Any:
    warc = _fastwarc()
    pages = warc.WarcRecordType.response | warc.WarcRecordType.resource | warc.WarcRecordType.conversion
    return warc.ArchiveIterator(fh, record_types=pages, parse_http=False, fsspec_args=False)


Stop = tuple[int, str] | None  # where a run of FastWARC reading stopped, and why (see _read_run)


def _read_run(path: str, pos: int, gz: bool, limits: WarcLimits) -> Generator[Input, None, Stop]:
    """Read records from ``pos`` until the end (None) or a framing error: ``(offset, message)``, where
    an empty message means "no damage, go on from offset".

    Each record is held back until the next one has been framed, because a record followed by an
    unreadable stretch may itself be the culprit (a wrong ``Content-Length``).
    """
    pending: Input | None = None
    last = pos  # start of the last page record framed
    with open(path, "rb") as fh:
        fh.seek(pos)
        try:
            for record in _iterator(fh):
                item = _to_input(record, path, limits)
                if pending is not None:
                    yield pending
                pending, last = item, record.stream_pos
        except (OSError, ValueError) as exc:
            failure = str(exc) or type(exc).__name__
        else:
            return (yield from _clean_end(path, pos, pending, last, gz, limits.max_record_bytes))
    return (yield from _after_failure(path, pos, pending, last, gz, limits.max_record_bytes, failure))


def _clean_end(
    path: str, pos: int, pending: Input | None, last: int, gz: bool, max_record: int
) -> Generator[Input, None, Stop]:
    """FastWARC reached the end: check the last record's frame, then what follows it."""
    if pending is None:
        return _unread_tail(path, pos, gz, max_record)
    frame = _frame(path, last, gz, max_record)
    if frame is None and pending.rejection is None:  # its block runs into the end of the file
        pending = _damaged(
            pending, "damaged record at the end of the file: its data does not match its Content-Length"
        )
    yield pending
    return None if frame is None else _unread_tail(path, frame.end, gz, max_record)


def _after_failure(
    path: str, pos: int, pending: Input | None, last: int, gz: bool, max_record: int, failure: str
) -> Generator[Input, None, Stop]:
    """FastWARC could not frame what follows ``pending``: blame the right record or stretch."""
    resume = pos
    if pending is not None:
        frame = _frame(path, last, gz, max_record)
        if frame is None:
            return last, f"damaged record: its data does not match its Content-Length ({failure})"
        yield pending
        resume = _inside_damaged(path, pending, last, frame.end, gz, max_record)
    spot, page = _walk(path, resume, gz, max_record)
    if page and spot > pos:
        return spot, ""  # only sound non-page records up to a page record: nothing lost, go on there
    what = f"after the record at offset {last}" if pending is not None else "here"
    return spot, f"no readable WARC record {what} ({failure})"


def _inside_damaged(path: str, item: Input, start: int, end: int, gz: bool, max_record: int) -> int:
    """Where to read on after a record that framed but whose content is damaged: its declared length may
    be damaged too, its block then running over the records after it, so a sound record starting inside
    that block is read rather than skipped; otherwise its end."""
    if item.rejection != Reason.UNREADABLE.value:
        return end
    inner = _next_record_start(path, start + 1, gz, within=end - start - 1)
    if inner is not None and _frame(path, inner, gz, max_record) is not None:
        return inner
    return end


def _walk(path: str, offset: int, gz: bool, max_record: int) -> tuple[int, bool]:
    """Past the sound non-page records from ``offset`` (FastWARC skipped those for us): the offset
    where damage starts, or of the next page record (then True), which FastWARC may read again."""
    while (frame := _frame(path, offset, gz, max_record)) is not None:
        if frame.kind in _PAGE_TYPES:
            return offset, True
        offset = frame.end
    return offset, False


def _unread_tail(path: str, end: int, gz: bool, max_record: int) -> tuple[int, str] | None:
    """FastWARC ends quietly on a cut-off last header; whatever follows the last sound record is named."""
    spot, page = _walk(path, end, gz, max_record)
    if page:  # a sound page record FastWARC did not see: have it read again from there
        return spot, ""
    with open(path, "rb") as fh:
        fh.seek(spot)
        tail = fh.read(_MAX_HEADER)
    if tail.strip(b"\r\n\t \x00"):
        return spot, "unreadable data at the end of the file (a cut-off record?)"
    return None


def _damaged(item: Input, message: str) -> Input:
    return Input(
        content=b"",
        url=item.url,
        fetched_at=item.fetched_at,
        source=item.source,
        rejection=Reason.UNREADABLE.value,
        error=f"{item.source}: {message}",
    )


def _to_input(record: WarcRecord, path: str, limits: WarcLimits) -> Input:
    """One framed record → an ``Input`` (or a rejection naming the problem with this record)."""
    key = f"{path}#{record.stream_pos}"
    url = (record.headers.get("WARC-Target-URI") or "").strip("<> ") or None
    fetched_at = record.headers.get("WARC-Date")
    try:
        content, kind = _payload(record, limits)
    except RejectedInput as exc:
        return Input(
            content=b"",
            url=url,
            fetched_at=fetched_at,
            source=key,
            rejection=exc.reason.value,
            error=f"{key}: {exc}",
        )
    return Input(content=content, url=url, fetched_at=fetched_at, source=key, kind=kind)


def _payload(record: WarcRecord, limits: WarcLimits) -> tuple[bytes | str, str]:
    from fastwarc.warc import WarcRecordType

    declared = record.content_length  # before freeze(): the Content-Length FastWARC framed it by
    if declared == 0:
        _declared_length(record)  # a cut-off header has none: say so rather than "empty"
    if declared > limits.max_record_bytes:
        raise RejectedInput(
            f"record declares {declared:,} bytes, over the limit of {limits.max_record_bytes:,}",
            Reason.TOO_LARGE,
        )
    record.freeze()  # copies the (bounded) block, so a short read shows up as a shorter length
    if record.content_length < declared:
        raise RejectedInput(
            f"record is truncated: {record.content_length:,} of {declared:,} bytes", Reason.UNREADABLE
        )
    if record.record_type == WarcRecordType.conversion:
        return record.reader.read(), "text"
    if record.record_type == WarcRecordType.resource:
        return _resource(record)
    return _response(record, limits)


def _declared_length(record: WarcRecord) -> int:
    raw = (record.headers.get("Content-Length") or "").strip()
    if not raw.isdigit():
        raise RejectedInput("record has no valid Content-Length (a cut-off header?)", Reason.UNREADABLE)
    return int(raw)


def _resource(record: WarcRecord) -> tuple[bytes, str]:
    ctype = (record.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    body = record.reader.read()
    if ctype not in HTML_TYPES and not (not ctype and looks_html(body)):
        raise RejectedInput(f"resource of type {ctype or 'unknown'} is not HTML", Reason.NOT_HTML)
    return body, "html"


def _response(record: WarcRecord, limits: WarcLimits) -> tuple[bytes | str, str]:
    try:
        record.parse_http(auto_decode="none")
    except OSError as exc:
        raise RejectedInput(f"HTTP header cannot be parsed ({exc})", Reason.UNREADABLE) from exc
    headers = record.http_headers
    status = headers.status_code if headers is not None else None
    if headers is None or status is None:
        raise RejectedInput("HTTP status line cannot be parsed", Reason.UNREADABLE)
    if not 200 <= status < 300:
        where = f" to {headers.get('Location')}" if 300 <= status < 400 and headers.get("Location") else ""
        raise RejectedInput(f"archived response is HTTP {status}{where}", Reason.FETCH_FAILED)
    ctype = (record.http_content_type or "").lower()
    if ctype and ctype not in HTML_TYPES:
        raise RejectedInput(f"content type {ctype} is not HTML", Reason.NOT_HTML)
    body = _decoded_body(record.reader.read(), headers, limits, record.headers)
    if not ctype and not looks_html(body):
        raise RejectedInput("no content type, and the body is not HTML", Reason.NOT_HTML)
    return with_header_charset(body, record.http_charset), "html"


def _decoded_body(body: bytes, headers: Any, limits: WarcLimits, warc_headers: Any) -> bytes:
    """Undo transfer and content codings. Crawlers often store bodies already decoded under the
    original headers, so a body that does not look encoded is taken as it is."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower() and _CHUNK_SIZE_LINE.match(body):
        body = _dechunk(body)
    for coding in reversed([c for c in (headers.get("Content-Encoding") or "").split(",") if c.strip()]):
        if coding.strip().lower() in ("gzip", "x-gzip") and not body.startswith(GZIP_MAGIC):
            continue
        try:
            body, complete = inflate(body, coding, limits.max_payload_bytes)
        except RejectedInput as exc:
            if exc.reason == Reason.TOO_LARGE or not looks_html(body):
                raise
            continue
        if not complete and not warc_headers.get("WARC-Truncated"):  # a crawler's cut is expected
            raise RejectedInput(f"{coding.strip()} payload is truncated", Reason.UNREADABLE)
    if len(body) > limits.max_payload_bytes:
        raise RejectedInput(
            f"payload is over the limit of {limits.max_payload_bytes:,} bytes", Reason.TOO_LARGE
        )
    return body


def _dechunk(body: bytes) -> bytes:
    from fastwarc.stream_io import ChunkedReader

    try:
        return bytes(ChunkedReader(io.BytesIO(body)).read())
    except OSError:
        return body  # not really chunked after all: keep the bytes as stored


@dataclass(frozen=True, slots=True)
class _Frame:
    """A record as its own header frames it: where it ends, and its WARC-Type."""

    end: int
    kind: bytes


def _frame(path: str, offset: int, gz: bool, max_record: int) -> _Frame | None:
    """The record at ``offset`` if its framing is sound (a clean header, block, CRLF CRLF), else None."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        if gz:
            return _member_frame(fh, offset, max_record + _MAX_HEADER)
        head = fh.read(_MAX_HEADER)
        parsed = _header(head)
        if parsed is None:
            return None
        split, length, kind = parsed
        end = offset + split + 4 + length
        fh.seek(end)
        return _Frame(end + 4, kind) if fh.read(4) == b"\r\n\r\n" else None


def _header(head: bytes) -> tuple[int, int, bytes] | None:
    """``(header length, Content-Length, WARC-Type)`` of a well-formed WARC header, else None."""
    split = head.find(b"\r\n\r\n")
    lines = head[:split].split(b"\r\n")
    while len(lines) > 1 and _WARC_START.match(
        lines[1] + b"\n"
    ):  # a repeated version line, as FastWARC allows
        del lines[1]
    if split < 0 or not _WARC_START.match(head) or any(b"WARC/1." in line for line in lines[1:]):
        return None  # (a version line among the fields: a cut-off header that ran into the next record's)
    lines = lines[1:]
    if not all(_HEADER_LINE.match(line) for line in lines):
        return None  # e.g. a cut-off header run into the next record's
    fields = dict(line.split(b":", 1) for line in lines if b":" in line and line[:1] not in b" \t")
    fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
    length = fields.get(b"content-length", b"")
    return (split, int(length), fields.get(b"warc-type", b"")) if length.isdigit() else None


def _member_frame(fh: io.BufferedReader, offset: int, limit: int) -> _Frame | None:
    """The gzip member at ``offset`` if it holds exactly one well-framed record."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    head, size, tail, consumed = b"", 0, b"", 0
    try:
        while not inflater.eof and size <= limit:
            chunk = fh.read(_SCAN_CHUNK)
            if not chunk:
                return None
            out = inflater.decompress(chunk)
            consumed += len(chunk)
            if len(head) < _MAX_HEADER:
                head += out[: _MAX_HEADER - len(head)]
            size += len(out)
            tail = (tail + out)[-4:]
    except zlib.error:
        return None
    parsed = _header(head)
    if not inflater.eof or parsed is None or tail != b"\r\n\r\n":
        return None
    split, length, kind = parsed
    if size != split + 4 + length + 4:
        return None
    return _Frame(offset + consumed - len(inflater.unused_data), kind)


def _next_record_start(path: str, after: int, gz: bool, within: int | None = None) -> int | None:
    """The first offset at or after ``after`` (and before ``after + within``) where a record, or a
    gzip member holding one, starts."""
    pattern = _GZIP_START if gz else _WARC_START
    with open(path, "rb") as fh:
        fh.seek(after)
        base, carry = after, b""
        while (within is None or base < after + within) and (chunk := fh.read(_SCAN_CHUNK)):
            buf = carry + chunk
            for match in pattern.finditer(buf):
                candidate = base - len(carry) + match.start()
                if not gz or _inflates_to_warc(path, candidate):
                    return candidate
            carry = buf[-16:]
            base += len(chunk)
    return None


def _inflates_to_warc(path: str, offset: int) -> bool:
    with open(path, "rb") as fh:
        fh.seek(offset)
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fh.read(4096), 16).startswith(b"WARC/")
        except zlib.error:
            return False
