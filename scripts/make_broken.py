"""The broken-input corpus: files a crawler meets and must survive, each with the outcome broadsheet owes it.

    python scripts/make_broken.py DIR       # writes DIR/<one file per case> and DIR/expected.json

Everything is generated here, deterministically, from ``broadsheet.synthetic`` pages and hand-made
damage; nothing is a third-party page. ``expected.json`` maps each file to the outcome of each record
it holds, in order: ``"article"``; ``"page"`` (read and extracted, an article or a ``not_article``/
``no_body`` verdict: all the case promises is that it is handled); or the ``Reason`` it is rejected
with. Page files (``.html``, ``.txt``, ``.html.gz``) are one record each and are read by both
``broadsheet extract`` and ``broadsheet ingest``; web archives and JSON lines only by ``ingest``.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.warcgen frames the WARC records

from broadsheet.options import Options  # noqa: E402
from broadsheet.synthetic import SyntheticPage, generate  # noqa: E402

__all__ = ["CASES", "PAGE_SUFFIXES", "Case", "write_corpus"]

#: Files ``broadsheet extract`` reads (one record each).
PAGE_SUFFIXES = (".html", ".txt", ".html.gz")
_PAGES = generate(40, seed=20250)  # each case its own page: no two inputs share a text
_LIMITS = Options()


@dataclass(frozen=True, slots=True)
class Case:
    name: str  # file name; the suffix says how it is read
    what: str
    make: Callable[[], bytes]
    outcomes: tuple[str, ...]  # one per record: "article", "page" or a Reason value

    @property
    def is_page(self) -> bool:
        return self.name.endswith(PAGE_SUFFIXES)


def _page(i: int) -> SyntheticPage:
    return _PAGES[i]


def _html(i: int) -> bytes:
    return _page(i).html.encode("utf-8")


def _text(i: int) -> bytes:
    return _page(i).text.encode("utf-8")


# -- damage -----------------------------------------------------------------------------------------


def _truncated_gzip() -> bytes:
    data = gzip.compress(_html(2), mtime=0)
    return data[: len(data) // 2]


def _corrupt_gzip() -> bytes:
    data = bytearray(gzip.compress(_html(3), mtime=0))
    for at in range(40, len(data) - 20, 97):  # the deflate stream, not the header or the trailer
        data[at] ^= 0x5A
    return bytes(data)


def _bomb(expanded: int) -> bytes:
    """A gzip stream of ``expanded`` zero bytes: about a thousandth of that on disk."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(expanded // len(block))) + packer.flush()


def _two_members() -> bytes:
    html = _html(4)
    half = len(html) // 2
    return gzip.compress(html[:half], mtime=0) + gzip.compress(html[half:], mtime=0)


def _invalid_utf8() -> bytes:
    html = _html(5)
    out = bytearray()
    for n, line in enumerate(html.split(b"\n")):
        out += line + (b"\xff\xc3(\x80" if n % 7 == 3 else b"") + b"\n"
    return bytes(out)


def _utf16(i: int, codec: str, text: bool) -> bytes:
    content = (
        _page(i).text if text else _page(i).html.replace('charset="utf-8"', "").replace("charset=utf-8", "")
    )
    return content.encode(codec)


def _latin1_undeclared() -> bytes:
    html = (
        _page(31).html
    )  # pages 31, 35 and 39 are German: umlauts show charsets at work.replace('<meta charset="utf-8">', "")
    return html.encode("cp1252", errors="replace")


def _mojibake() -> bytes:
    """UTF-8 read as cp1252 and written out again as UTF-8: "für" becomes "fÃ¼r" throughout."""
    html = _page(35).html
    return html.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")


def _wrong_declaration() -> bytes:
    return _page(39).html.replace('<meta charset="utf-8">', '<meta charset="shift_jis">').encode("utf-8")


def _some_nuls() -> bytes:
    html = _html(8)
    step = len(html) // 6
    return b"".join(html[k : k + step] + b"\x00" for k in range(0, len(html), step))


def _nul_flood() -> bytes:
    rng = random.Random(7)
    return bytes(rng.choice(b"\x00\x00\x00abc <>") for _ in range(20_000))


def _png() -> bytes:
    rng = random.Random(8)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(5000))


def _random_bytes() -> bytes:
    rng = random.Random(9)
    return bytes(rng.randrange(256) for _ in range(30_000))


def _control_characters() -> bytes:
    rng = random.Random(10)
    return bytes(rng.choice(b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11 ab") for _ in range(20_000))


def _deep_nesting() -> bytes:
    depth = 100_000
    return b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"


def _unclosed_nesting() -> bytes:
    return b"<!doctype html><html><body>" + b"<section><div><span>" * 40_000 + b"never closed"


def _huge_attribute() -> bytes:
    html = _page(9).html
    return html.replace("<body", '<body data-junk="' + "x" * 5_000_000 + '"', 1).encode("utf-8")


def _many_attributes() -> bytes:
    attrs = " ".join(
        f"a{i}=v{i}" for i in range(5_000)
    )  # lexbor is quadratic in them: see test_hostile_parsers
    return _page(10).html.replace("<body", f"<body {attrs}", 1).encode("utf-8")


def _many_nodes() -> bytes:
    return b"<!doctype html><html><body><p>" + b"<br>" * (_LIMITS.max_nodes + 1) + b"</p></body></html>"


def _many_lines() -> bytes:
    return b"line\n" * (_LIMITS.max_lines + 1)


def _giant_line() -> bytes:
    body = " ".join(" ".join(_page(11).truth["body"]) for _ in range(40))
    return body.replace("\n", " ").encode("utf-8")


def _truncated_html() -> bytes:
    html = _html(14)
    cut = html.find(b"<", int(len(html) * 0.7)) + 3  # in the middle of a tag
    return html[:cut]


def _unclosed_comment() -> bytes:
    return _page(15).html.replace("<body>", "<body><!-- ", 1).encode("utf-8")


def _script_only() -> bytes:
    script = "var x = '" + "<p>not a paragraph</p>" * 200 + "';"
    return f"<!doctype html><html><head><title>App</title></head><body><script>{script}</script></body></html>".encode()


def _bidi_and_combining() -> bytes:
    html = _page(16).html
    zalgo = "".join(c + "\u0301\u0316\u0337" * 20 for c in "careful now")
    hostile = f"<p>\u202eevil\u202c {zalgo} \u200b\ufeff\u2028</p>"
    return html.replace("</article>", hostile + "</article>", 1).encode("utf-8")


def _oversize() -> bytes:
    return b""  # written sparse by write_corpus: only its size matters


# -- web archives and JSON lines --------------------------------------------------------------------


def _gzip_members(records: list[bytes]) -> bytes:
    return b"".join(gzip.compress(r, mtime=0) for r in records)


def _crawl_warc() -> bytes:
    """Good responses among an image, a 404, a bomb and a cut-off last record (gzip per record)."""
    from tests.warcgen import http_block, raw_record

    def response(
        url: str, body: bytes, status: str = "200 OK", headers: tuple[tuple[str, str], ...] | None = None
    ) -> bytes:
        kw = {"headers": headers} if headers is not None else {}
        return raw_record(url, http_block(body, status, **kw))

    records = [
        response(_page(17).url, _html(17)),
        response("https://img.example/photo.png", _png(), headers=(("Content-Type", "image/png"),)),
        response("https://gone.example/story", b"<p>gone</p>", "404 Not Found"),
        response(
            "https://bomb.example/",
            _bomb(60_000_000),
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
        response(_page(18).url, _html(18)),
    ]
    last = gzip.compress(response(_page(19).url, _html(19)), mtime=0)
    return _gzip_members(records) + last[: len(last) // 2]


def _mis_sized_warc() -> bytes:
    """Uncompressed records, the second declaring 40 bytes more than it holds, the fourth 40 fewer."""
    from tests.warcgen import http_block, raw_record

    blocks = [http_block(_html(i)) for i in (20, 21, 22, 23, 24)]
    urls = [_page(i).url for i in (20, 21, 22, 23, 24)]
    return b"".join(
        raw_record(url, block, length=len(block) + {1: 40, 3: -40}.get(n, 0))
        for n, (url, block) in enumerate(zip(urls, blocks, strict=True))
    )


def _wet() -> bytes:
    import io

    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i, text in ((25, _text(25)), (26, b"\x00\x01\x02\x03" * 2000)):
        record = writer.create_warc_record(
            _page(i).url,
            "conversion",
            payload=io.BytesIO(text),
            length=len(text),
            warc_content_type="text/plain",
            warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z", "WARC-Record-ID": f"<urn:uuid:wet-{i}>"},
        )
        writer.write_record(record)
    return out.getvalue()


def _jsonl() -> bytes:
    page = _page(27)
    lines = [
        json.dumps({"url": page.url, "html": page.html, "fetched_at": "2024-05-01"}),
        "{not json at all",
        "[1, 2, 3]",
        json.dumps({"url": "https://nothing.example/"}),  # neither html nor text
        json.dumps({"url": "https://number.example/", "html": 5}),
        "",  # a blank line is no record
        json.dumps({"url": _page(28).url, "text": _page(28).text}),
        # a lone surrogate, as JSON allows: the archive stores it replaced
        json.dumps(
            {
                "url": _page(29).url,
                "html": _page(29).html.replace("</article>", "<p>\ud800 stray</p></article>"),
            }
        ),
        json.dumps({"html": "<p>" + "\u0000" * 5000 + "</p>"}),
        '{"url": "https://cut.example/", "html": "<p>the line ends before the strin',
    ]
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


# -- the table --------------------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    Case("empty.html", "a file of zero bytes", lambda: b"", ("empty",)),
    Case("whitespace.txt", "only blanks and newlines", lambda: b" \n\t\r\n   \n", ("empty",)),
    Case("control.html", "a good page, for comparison", lambda: _html(0), ("article",)),
    Case("control.txt", "a good flattened text, for comparison", lambda: _text(1), ("article",)),
    Case("truncated.html.gz", "gzip cut in half", _truncated_gzip, ("unreadable",)),
    Case("corrupt.html.gz", "gzip with damaged deflate data", _corrupt_gzip, ("unreadable",)),
    Case(
        "bomb.html.gz",
        "gzip expanding past the decompressed limit",
        lambda: _bomb(110_000_000),
        ("too_large",),
    ),
    Case("two-members.html.gz", "a page in two concatenated gzip members", _two_members, ("article",)),
    Case("invalid-utf8.html", "UTF-8 with invalid byte sequences", _invalid_utf8, ("article",)),
    Case(
        "utf16le-nobom.html",
        "UTF-16LE without a byte-order mark",
        lambda: _utf16(6, "utf-16-le", False),
        ("article",),
    ),
    Case(
        "utf16be-nobom.txt",
        "flattened text in UTF-16BE without a BOM",
        lambda: _utf16(7, "utf-16-be", True),
        ("article",),
    ),
    Case("latin1-undeclared.html", "cp1252 with no charset declared", _latin1_undeclared, ("article",)),
    Case("mojibake.html", "UTF-8 decoded as cp1252 and encoded again", _mojibake, ("article",)),
    Case("wrong-charset.html", "UTF-8 declaring shift_jis", _wrong_declaration, ("article",)),
    Case("some-nuls.html", "a page with a few NUL bytes in it", _some_nuls, ("article",)),
    Case("nul-flood.html", "mostly NUL bytes", _nul_flood, ("binary",)),
    Case("image.html", "a PNG named .html", _png, ("binary",)),
    Case("random.html", "random bytes", _random_bytes, ("binary",)),
    Case("control-characters.txt", "C0 control characters", _control_characters, ("binary",)),
    Case("deep-nesting.html", "100,000 nested <div>", _deep_nesting, ("too_large",)),
    Case("unclosed-nesting.html", "120,000 start tags never closed", _unclosed_nesting, ("too_large",)),
    Case("huge-attribute.html", "a page with a 5 MB attribute", _huge_attribute, ("article",)),
    Case("many-attributes.html", "a page whose <body> has 5,000 attributes", _many_attributes, ("article",)),
    Case("many-nodes.html", "one element over the element limit", _many_nodes, ("too_large",)),
    Case("many-lines.txt", "one line over the line limit", _many_lines, ("too_large",)),
    Case("giant-line.txt", "a whole article on one 40-times-repeated line", _giant_line, ("page",)),
    Case("html-as-text.txt", "an HTML page saved as .txt", lambda: _html(12), ("article",)),
    Case("text-as-html.html", "flattened text saved as .html", lambda: _text(13), ("article",)),
    Case("truncated.html", "a page cut off in the middle of a tag", _truncated_html, ("article",)),
    Case(
        "unclosed-comment.html",
        "a comment opened after <body> and never closed",
        _unclosed_comment,
        ("page",),
    ),
    Case("script-only.html", "an app shell: a script and nothing else", _script_only, ("page",)),
    Case(
        "bidi-combining.html",
        "bidi overrides, combining-mark stacks, zero-width characters",
        _bidi_and_combining,
        ("article",),
    ),
    Case("oversize.html", "one byte over the byte limit", _oversize, ("too_large",)),
    Case(
        "crawl.warc.gz",
        "web archive: page, image, 404, decompression bomb, page, cut-off record",
        _crawl_warc,
        ("article", "not_html", "fetch_failed", "too_large", "article", "unreadable"),
    ),
    Case(
        "mis-sized.warc",
        "web archive whose second and fourth records lie about their length",
        _mis_sized_warc,
        ("article", "unreadable", "article", "unreadable", "article"),
    ),
    Case("crawl.wet.gz", "WET: a flattened page, then binary junk as text", _wet, ("article", "binary")),
    Case(
        "scrape.jsonl",
        "JSON lines: good, broken, not an object, no content, wrong type, text, lone surrogate, NULs, cut off",
        _jsonl,
        (
            "article",
            "unreadable",
            "unreadable",
            "empty",
            "empty",
            "article",
            "article",
            "binary",
            "unreadable",
        ),
    ),
)


def write_corpus(folder: Path) -> dict[str, dict[str, object]]:
    """Write every case into ``folder`` and ``expected.json``; returns what it wrote there."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict[str, object]] = {}
    for case in CASES:
        path = folder / case.name
        if case.name == "oversize.html":
            with open(path, "wb") as fh:  # sparse: 50 MB that take no disk
                fh.truncate(_LIMITS.max_bytes + 1)
        else:
            path.write_bytes(case.make())
        expected[case.name] = {"what": case.what, "outcomes": list(case.outcomes)}
    (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    return expected


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    expected = write_corpus(Path(argv[0]))
    records = sum(len(e["outcomes"]) for e in expected.values())  # type: ignore[arg-type]
    print(f"wrote {len(expected)} files ({records} records) and expected.json to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
