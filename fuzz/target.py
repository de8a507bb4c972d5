"""The fuzz targets' common part: what they check on every input, their seeds, and the run itself.

``extract`` never raises for bad input: it returns an ``Article``, an article or a rejection with a
``Reason``. The fuzz targets (``fuzz_html.py``, ``fuzz_text.py``) and the regression tests of the
inputs they found (``tests/test_fuzz_regressions.py``) hold every result to the same promises
(``check``). ``run(kind)`` is a target: libFuzzer's options and corpus folders come from ``sys.argv``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Literal

import broadsheet.pipeline
from broadsheet import Article, Reason
from broadsheet.pipeline import extract

# Every stage module now, not lazily on first use: a fuzz target imports this module inside
# ``atheris.instrument_imports``, which instruments only what is imported within it.
for _module in pkgutil.walk_packages(broadsheet.pipeline.__path__, "broadsheet.pipeline."):
    importlib.import_module(_module.name)

__all__ = ["REASONS", "check", "run", "write_seeds"]

REASONS = frozenset(r.value for r in Reason)
_GZIP = b"\x1f\x8b"


def check(article: Article, given: bytes | str) -> None:
    """Raise ``AssertionError`` unless ``article`` keeps the promises of an extraction of ``given``."""
    assert isinstance(article, Article), type(article)
    assert article.rejection is None or article.rejection in REASONS, article.rejection
    assert article.ok == (article.rejection is None)
    assert not article.rejection or article.error, "a rejection says why"
    if not (isinstance(given, bytes) and given.startswith(_GZIP)):  # gzip may inflate: no bound by size
        # NFC can at most triple a string (Unicode's stability promise); blocks add blank lines only
        given_chars = len(given) if isinstance(given, bytes) else _visible(given)
        assert _visible(article.text) <= 3 * given_chars, "more text out than went in"
    if article.blocks:
        assert article.text == "\n\n".join(block.text for block in article.blocks)
    json.dumps(article.to_dict())  # storable


def _visible(text: str) -> int:
    return len(text) - sum(map(text.count, (" ", "\n", "\t", "\r")))


def write_seeds(folder: Path, kind: str) -> int:
    """Small starting inputs of ``kind`` ("html" or "text") from synthetic pages, unless ``folder`` has some."""
    from broadsheet.synthetic import generate

    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        return 0
    seeds = [
        (page.html if kind == "html" else page.text).encode("utf-8")[:4096] for page in generate(8, seed=2024)
    ]
    if kind == "html":
        seeds += [
            b"<!doctype html><html><head><title>t</title></head><body><article><p>x</p></article></body></html>",
            b"<table><tr><td><select><option>a<p><b>c</i></table>",
            b"<svg><foreignObject><p>x</svg>",
        ]
    else:
        seeds += [
            b"date 2024-05-01 Site - Home\nHeadline\nBy A Writer\nBody line one.\n\nBody line two.\n",
            b"Home | News | Sport\n\xc2\xa9 2024 Site\n",
        ]
    for i, seed in enumerate(seeds):
        (folder / f"seed-{i:02d}").write_bytes(seed)
    return len(seeds)


def run(kind: Literal["html", "text"]) -> None:
    """Fuzz ``extract(..., kind=kind)``; the caller imported this module inside ``instrument_imports``."""
    import atheris

    def one_input(data: bytes) -> None:
        # The first byte picks how the rest is given: as bytes (the read stage decodes them) or as text.
        if not data:
            return
        given: bytes | str = data[1:] if data[0] & 1 else data[1:].decode("utf-8", "replace")
        check(extract(given, kind=kind), given)

    folders = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if folders:
        write_seeds(Path(folders[0]), kind)
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
