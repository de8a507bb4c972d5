"""Payload helpers shared by the sources: bounded decompression, HTML sniffing, the HTTP charset.

Everything here refuses to produce more than a limit (decompression bombs) and says so with an
``InputTooLarge``; data that cannot be decoded raises ``Unreadable``.
"""

from __future__ import annotations

import codecs
import re
import zlib
from typing import Any

from ..errors import InputTooLarge, Unreadable

__all__ = ["GZIP_MAGIC", "Inflater", "inflate", "looks_html", "looks_xml", "with_header_charset"]

GZIP_MAGIC = b"\x1f\x8b"
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p[\s>]|article|link|script)",
    re.I | re.S,
)
_XML_START = re.compile(rb"\s*<\?xml", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=", re.I)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class Inflater:
    """Streaming gzip/deflate decoder that refuses more than ``limit`` bytes of output in total.

    zlib's ``max_length`` keeps each step bounded, so a bomb costs at most ``limit`` bytes of memory.
    """

    def __init__(self, coding: str, limit: int) -> None:
        self.coding = coding.strip().lower()
        self.limit = limit
        self.produced = 0
        self.complete = self.coding in ("", "identity")
        self._wbits = zlib.MAX_WBITS if self.coding == "deflate" else 16 + zlib.MAX_WBITS
        self._inflater: Any = None if self.complete else zlib.decompressobj(self._wbits)
        self._first = True

    def feed(self, data: bytes) -> bytes:
        if self._inflater is None:
            return self._count(data)
        out = bytearray()
        pending = data
        while pending:
            try:
                out += self._inflater.decompress(pending, self.limit + 1 - self.produced - len(out))
            except zlib.error as exc:
                if self._first and self._wbits == zlib.MAX_WBITS:  # raw deflate without the zlib wrapper
                    self._wbits = -zlib.MAX_WBITS
                    self._inflater = zlib.decompressobj(self._wbits)
                    continue
                raise Unreadable(f"{self.coding} data is corrupt ({exc})") from exc
            self._first = False
            self._count(out, add=False)
            pending = self._inflater.unconsumed_tail
            if self._inflater.eof:
                rest = self._inflater.unused_data
                self.complete = True
                if self._wbits > 16 and rest[:2] == GZIP_MAGIC:  # concatenated gzip members
                    self._inflater, self.complete, pending = zlib.decompressobj(self._wbits), False, rest
        self.produced += len(out)
        return bytes(out)

    def _count(self, data: bytes | bytearray, *, add: bool = True) -> bytes:
        total = self.produced + len(data)
        if total > self.limit:
            raise InputTooLarge(
                f"decompressed data exceeds the limit of {self.limit:,} bytes (decompression bomb?)"
            )
        if add:
            self.produced = total
        return bytes(data)


def inflate(data: bytes, encoding: str, limit: int) -> tuple[bytes, bool]:
    """Decode one HTTP content-coding (gzip, deflate, br, zstd, identity); ``(bytes, complete)``.

    ``complete`` is False when the compressed stream ended early (a truncated capture): the bytes
    that did decode are returned. More than ``limit`` bytes of output raise ``InputTooLarge``.
    """
    coding = encoding.strip().lower()
    if coding in ("", "identity", "none"):
        return data, True
    if coding in ("br", "zstd"):
        return _stream_inflate(data, coding, limit), True
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise Unreadable(f"unknown content-encoding {encoding!r}")
    inflater = Inflater("deflate" if coding == "deflate" else "gzip", limit)
    out = inflater.feed(data)
    return out, inflater.complete


def _stream_inflate(data: bytes, coding: str, limit: int) -> bytes:
    # Brotli and zstd come with FastWARC (the warc extra), whose readers decode incrementally.
    try:
        from io import BytesIO

        from fastwarc.stream_io import BrotliReader, ZstdReader
    except ImportError as exc:
        raise Unreadable(
            f"content-encoding {coding} needs the 'warc' extra: pip install 'broadsheet[warc]'"
        ) from exc
    reader = BrotliReader(BytesIO(data)) if coding == "br" else ZstdReader(BytesIO(data))
    out = bytearray()
    try:
        while len(out) <= limit:
            chunk = reader.read(limit + 1 - len(out))
            if not chunk:
                break
            out += chunk
    except OSError as exc:
        raise Unreadable(f"{coding} data is corrupt ({exc})") from exc
    if len(out) > limit:
        raise InputTooLarge(f"decompressed data exceeds the limit of {limit:,} bytes (decompression bomb?)")
    return bytes(out)


def _head(data: bytes) -> bytes:
    head = data[:2048]
    for bom in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def looks_html(data: bytes) -> bool:
    """True when the body starts like an HTML document (used when no content type says so)."""
    return _HTML_START.match(_head(data)) is not None


def looks_xml(data: bytes) -> bool:
    """True when the body starts with an XML declaration or a non-HTML root element."""
    head = _head(data)
    if _XML_START.match(head):
        return True
    return head.lstrip()[:1] == b"<" and not looks_html(data)


def with_header_charset(body: bytes, charset: str | None) -> bytes | str:
    """Decode ``body`` with the HTTP charset only where the page itself gives no better answer.

    A BOM or a ``<meta charset>`` wins (the read stage honours them), and so does valid UTF-8:
    servers often send a default ``iso-8859-1`` that is wrong for UTF-8 pages.
    """
    if not charset or charset.lower() in ("utf-8", "utf8") or body.startswith(_BOMS):
        return body
    if _META_CHARSET.search(body[:8192]):
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return body
