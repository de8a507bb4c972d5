"""WARC/WET fixtures written with warcio from broadsheet's synthetic pages, and hand-framed broken ones.

Used by the WARC tests and by ``bench/warc_speed.py``; nothing here is third-party content.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from broadsheet.synthetic import SyntheticPage, generate

__all__ = ["Capture", "captures", "raw_record", "write_warc", "write_wet"]

WARC_DATE = "2024-05-01T10:00:00Z"


@dataclass(slots=True)
class Capture:
    """One archived HTTP exchange: what the server sent, as the WARC keeps it."""

    url: str
    body: bytes
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    date: str = WARC_DATE


def captures(n: int, seed: int = 0) -> list[Capture]:
    """``n`` plain HTML captures of synthetic pages (URLs made unique when pages repeat)."""
    pages = generate(min(n, 40), seed=seed)
    return [_capture(pages[i % len(pages)], i) for i in range(n)]


def _capture(page: SyntheticPage, i: int) -> Capture:
    url = quote(page.url, safe=":/?#[]@!$&'()*+,;=%")  # HTTP header lines are ASCII
    url = url if i < 40 else f"{url}?copy={i}"
    return Capture(url=url, body=page.html.encode("utf-8"))


def gzip_encoded(body: bytes) -> bytes:
    return gzip.compress(body)


def chunked(body: bytes, size: int = 700) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def bomb(expanded: int = 200_000_000) -> bytes:
    """A gzip stream of ``expanded`` zero bytes (about 0.1% of that on disk)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    out = [packer.compress(block) for _ in range(expanded // len(block))]
    return b"".join(out) + packer.flush()


def write_warc(path: Path, items: Iterable[Capture], *, gz: bool = True, with_requests: bool = False) -> Path:
    """A WARC of ``response`` records (and ``request`` records before them, as crawlers write).

    Lengths are given to warcio so that it digests in place instead of spooling to temporary files.
    """
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for item in items:
            if with_requests:
                request = StatusAndHeaders(
                    f"GET {item.url} HTTP/1.1", [("Host", "example")], is_http_request=True
                )
                writer.write_record(
                    writer.create_warc_record(
                        item.url,
                        "request",
                        payload=io.BytesIO(b""),
                        length=0,
                        http_headers=request,
                        warc_headers_dict={"WARC-Date": item.date},
                    )
                )
            http = StatusAndHeaders(item.status, list(item.headers), protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    item.url,
                    "response",
                    payload=io.BytesIO(item.body),
                    length=len(item.body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": item.date},
                )
            )
    return path


def write_wet(path: Path, pages: Iterable[SyntheticPage], *, gz: bool = True) -> Path:
    """A WET file as Common Crawl publishes it: a warcinfo record, then ``conversion`` records."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record("wet-fixture", {"software": "broadsheet tests"}))
        for page in pages:
            writer.write_record(
                writer.create_warc_record(
                    page.url,
                    "conversion",
                    payload=io.BytesIO(text := page.text.encode("utf-8")),
                    length=len(text),
                    warc_content_type="text/plain",
                    warc_headers_dict={"WARC-Date": WARC_DATE},
                )
            )
    return path


def raw_record(
    url: str,
    block: bytes,
    *,
    kind: str = "response",
    length: int | None = None,
    content_type: str = "application/http; msgtype=response",
) -> bytes:
    """One uncompressed WARC record framed by hand, so that it can lie (``length``) or carry junk."""
    declared = len(block) if length is None else length
    header = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\nWARC-Date: {WARC_DATE}\r\n"
        f"WARC-Record-ID: <urn:uuid:{hashlib.sha1((url + kind).encode()).hexdigest()[:32]}>\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    )
    return header.encode() + block + b"\r\n\r\n"


def http_block(
    body: bytes,
    status: str = "200 OK",
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),),
) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
