"""Read stage: bytes or text in, a decoded ``Page`` out — or a ``RejectedInput`` with its reason.

Guards run here, before any parser sees the input: size limits, gzip bombs, binary content,
charset detection (BOM, then ``<meta charset>`` unless the bytes are valid non-ASCII UTF-8, then strict
UTF-8, then charset-normalizer).
"""

from __future__ import annotations

import codecs
import re
import zlib
from pathlib import Path

from ..article import Page
from ..errors import InputTooLarge, Reason, RejectedInput, Unreadable
from ..options import Options

__all__ = ["decode", "detect_kind", "read", "read_path"]

_GZIP_MAGIC = b"\x1f\x8b"
_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"RIFF",
    b"\x00\x00\x01\x00",
    b"OggS",
    b"ID3",
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)""", re.I)
_HTML_SIGNS = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|script|span|a\s|table|br\s*/?>)", re.I
)
#: A start tag of an element that only markup opens with: the style sheet or script a page may carry before its
#: ``<!doctype>`` (a CMS or a saving tool put it there), which can fill the whole of ``detect_kind``'s window.
_OPENING_TAG = re.compile(
    r"\s*<(?:!--|!doctype|html|head|body|style|script|link|meta|noscript|base|title)[\s>/]", re.I
)
_TEXT_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?:[T ][0-9:]+)?[ \t]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # not \t \n \r


def read(
    content: bytes | str,
    *,
    url: str | None = None,
    kind: str = "auto",
    fetched_at: str | None = None,
    source: str | None = None,
    options: Options | None = None,
) -> Page:
    """Decode ``content`` into a ``Page`` of kind html or text; raise ``RejectedInput`` if it cannot be."""
    opts = options or Options()
    size = len(content)
    if isinstance(content, (bytes, bytearray, memoryview)):
        raw = bytes(content)
        if len(raw) > opts.max_bytes:
            raise InputTooLarge(f"input is {len(raw):,} bytes, over the limit of {opts.max_bytes:,}")
        if raw[:2] == _GZIP_MAGIC:
            raw = gunzip(raw, opts.max_decompressed)
        text, encoding, exact = _decode(raw)
        utf8 = raw if exact else None
    elif isinstance(content, str):
        if len(content) > opts.max_bytes:
            raise InputTooLarge(f"input is {len(content):,} characters, over the limit of {opts.max_bytes:,}")
        if _mostly_nul(content.count("\x00"), len(content)):  # as for bytes: NULs throughout are no page
            raise RejectedInput("input is binary, not a web page or text", Reason.BINARY)
        # A lone surrogate (JSON allows "\ud800") is no character: no encoder, parser or store takes it.
        text, encoding = _without_surrogates(content), None
        utf8 = None
    else:
        raise TypeError(f"extract() takes bytes or str, not {type(content).__name__}")

    if text[:1] == "\ufeff":
        text, utf8 = text.lstrip("\ufeff"), None
    if "\x00" in text:
        text, utf8 = text.replace("\x00", ""), None
    if not text or text.isspace():  # as ``not text.strip()``, without copying the page
        raise RejectedInput("input is empty or only whitespace", Reason.EMPTY)
    if _looks_binary(text):
        raise RejectedInput("input is not text (control characters throughout)", Reason.BINARY)

    detected = detect_kind(text) if kind == "auto" else kind
    if detected not in ("html", "text"):
        raise ValueError(f"kind must be 'auto', 'html' or 'text', not {kind!r}")
    if detected == "text":
        header = _TEXT_HEADER.match(text)
        if header:
            fetched_at = fetched_at or header.group(1)
            text = text[header.end() :]
    return Page(
        content=text,
        kind=detected,  # type: ignore[arg-type]
        url=url,
        fetched_at=fetched_at,
        source=source,
        encoding=encoding,
        size=size,
        utf8=utf8 if detected == "html" else None,
    )


def read_path(path: str | Path, options: Options | None = None) -> bytes:
    """The bytes of a file (``.gz`` is left compressed; ``read`` inflates it with a bomb guard)."""
    opts = options or Options()
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > opts.max_bytes:
            raise InputTooLarge(f"{p} is {size:,} bytes, over the limit of {opts.max_bytes:,}")
        return p.read_bytes()
    except IsADirectoryError as exc:
        raise Unreadable(f"{p} is a directory") from exc
    except FileNotFoundError as exc:
        raise Unreadable(f"{p}: no such file") from exc
    except PermissionError as exc:
        raise Unreadable(f"{p}: permission denied") from exc
    except OSError as exc:
        raise Unreadable(f"{p}: {exc.strerror or exc}") from exc


def gunzip(raw: bytes, limit: int) -> bytes:
    """Inflate gzip data, refusing more than ``limit`` bytes of output (decompression bombs)."""
    out = bytearray()
    data = raw
    while data[:2] == _GZIP_MAGIC:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = inflater.decompress(data, limit + 1 - len(out))
            out += chunk
            while inflater.unconsumed_tail and len(out) <= limit:
                out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
        except zlib.error as exc:
            raise Unreadable(f"gzip data is corrupt ({exc})") from exc
        if len(out) > limit:
            raise InputTooLarge(f"gzip expands beyond the limit of {limit:,} bytes (decompression bomb?)")
        if not inflater.eof:
            raise Unreadable("gzip data is truncated")
        data = inflater.unused_data  # concatenated gzip members
    return bytes(out)


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes to text: BOM, declared charset, strict UTF-8, then detection. Raises ``RejectedInput``."""
    text, encoding, _ = _decode(raw)
    return text, encoding


def _decode(raw: bytes) -> tuple[str, str, bool]:
    """``decode``, and whether the text is exactly ``raw`` read as UTF-8 (strictly, all of it), so that
    ``raw`` is the text's UTF-8 bytes."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(enc, errors="replace"), enc, False
    utf16 = _sniff_utf16(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), utf16, False
    if any(raw.startswith(m) for m in _BINARY_MAGIC) or _mostly_nul(raw.count(b"\x00"), len(raw)):
        raise RejectedInput("input is binary, not a web page or text", Reason.BINARY)

    declared = _declared_charset(raw[:8192])
    if declared and declared not in ("utf-8", "utf8"):
        transcoded = _transcoded_to_utf8(raw)
        if transcoded is not None:
            return transcoded, "utf-8", True
        try:
            return raw.decode(declared), declared, False
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return raw.decode("utf-8"), "utf-8", True
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(raw, declared in ("utf-8", "utf8"))
    if mixed is not None:
        return mixed, "utf-8", False
    if _isolated_high_bytes(raw):
        return raw.decode("cp1252", errors="replace"), "cp1252", False
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return raw.decode(best.encoding, errors="replace"), best.encoding, False
        except LookupError:
            pass
    text = raw.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) // 10:
        raise RejectedInput("no character encoding yields readable text", Reason.UNDECODABLE)
    return text, "cp1252", False


def _transcoded_to_utf8(raw: bytes) -> str | None:
    """The text of a page that declares another charset but is valid UTF-8 with non-ASCII text: saved again
    as UTF-8 (by a crawler, a proxy, an editor) with its old ``<meta charset>`` kept; else None. Text really
    in a single-byte or East Asian charset is next to never valid UTF-8 once it holds a few non-ASCII
    characters, and read in the declared charset such a page turns every accented letter into two ("FÃ¼r"
    for "Für"). The one decoding is the page's text: it is not decoded a second time."""
    if raw.isascii():
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as cp1252 (a Latin-1 line pasted into a UTF-8 page)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error("broadsheet-cp1252", _cp1252_fallback)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(raw: bytes, declared_utf8: bool) -> str | None:
    """Text that is UTF-8 apart from a few stray single-byte characters, decoded as such; else None.

    Whole-file detection would misread such a file (one Latin-1 line turns every "Ü" into mojibake);
    decoding UTF-8 with a per-byte cp1252 fallback keeps the rest right.
    """
    valid = len(_UTF8_MULTIBYTE.findall(raw))
    high = len(_HIGH_BYTE.findall(raw))
    stray = high - sum(len(m) for m in _UTF8_MULTIBYTE.findall(raw))
    if (valid and stray <= 2 * valid) or (declared_utf8 and stray <= max(8, len(raw) // 200)):
        return raw.decode("utf-8", errors="broadsheet-cp1252")
    return None


_ISOLATED = re.compile(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])")


def _isolated_high_bytes(raw: bytes) -> bool:
    """Non-ASCII bytes that stand alone between ASCII ones: a Western single-byte charset, not CJK."""
    sample = raw[:200_000]
    high = len(_HIGH_BYTE.findall(sample))
    return high > 0 and len(_ISOLATED.findall(sample)) >= 0.9 * high


def detect_kind(text: str) -> str:
    """``html`` when the start of the text is markup, else ``text`` (flattened page text)."""
    head = text[:4096]
    signs = len(_HTML_SIGNS.findall(head))
    if signs >= 2 or head.lstrip()[:15].lower().startswith("<?xml") or _OPENING_TAG.match(head):
        return "html"
    return "text"


def _declared_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _sniff_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-range text with every other byte NUL."""
    sample = raw[:2000]
    if len(sample) < 8:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _mostly_nul(nuls: int, length: int) -> bool:
    """More NULs than a text with a few stray ones has: a sign of binary data."""
    return nuls > max(8, length // 100)


def _without_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced. The strict UTF-8 encoder refuses exactly those, and trying it
    is several times quicker than a regex scan of a text that has none (nearly every text)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    # a control character is one byte in UTF-8, and no byte of a longer character is below 0x80: count
    # them in the bytes with ``bytes.translate``, a C loop, rather than with a regex over the characters
    raw = sample.encode("utf-8", "surrogatepass")
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    replaced = sample.count("\ufffd")
    return controls > len(sample) // 20 or replaced > len(sample) // 4
