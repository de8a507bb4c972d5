"""Everything the benchmark can score, behind one call: ``run(name, case) -> Output``.

- ``broadsheet``: ``broadsheet.extract`` on the page's bytes (HTML) or text, told which it is;
- the peers (``bench.peers``): HTML decoded as a crawler would; on flattened text they get one
  escaped ``<p>`` per line, the fairest HTML a text can be turned into;
- the baselines (``bench.baselines``), on flattened text only.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

from . import baselines
from .cases import Case, decode
from .output import Output, paragraphs_html
from .peers import PEERS

__all__ = ["BASELINES", "BROADSHEET", "applies", "distribution_version", "from_article", "run", "version"]

BROADSHEET = "broadsheet"
BASELINES: dict[str, Callable[[str], str]] = {
    "keep-everything": baselines.keep_everything,
    "c4-lines": baselines.c4_filter,
}


def applies(name: str, variant: str) -> bool:
    """Baselines only read text; broadsheet and the peers take every variant."""
    return variant != "html" if name in BASELINES else True


@cache
def version(name: str) -> str:
    """A version string for the report and the cache key."""
    if name == BROADSHEET:
        return _broadsheet_version()
    if name in BASELINES:
        return "bench"
    return PEERS[name].version


def _broadsheet_version() -> str:
    import broadsheet

    here = Path(broadsheet.__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(here), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{broadsheet.__version__}+{commit}" if commit else broadsheet.__version__


def from_article(article: object) -> Output:
    """broadsheet's ``Article`` as an ``Output``."""
    from broadsheet import Article

    assert isinstance(article, Article)
    return Output(
        text=article.text,
        title=article.title,
        authors=list(article.authors),
        published=article.published,
        section=article.section,
        tags=list(article.tags),
        captions=[i.caption for i in article.images if i.caption],
        credits=[i.credit for i in article.images if i.credit],
        language=article.language,
        description=article.description,
    )


@cache
def _runner(name: str) -> Callable[[str, str | None], Output]:
    return PEERS[name].load()


def run(name: str, case: Case) -> Output:
    """What extractor ``name`` makes of ``case``. Exceptions propagate; the caller counts them."""
    if name == BROADSHEET:
        import broadsheet

        kind = "html" if case.variant == "html" else "text"
        return from_article(broadsheet.extract(case.content, case.url, kind=kind))
    if name in BASELINES:
        assert isinstance(case.content, str)
        return Output(text=BASELINES[name](case.content))
    if isinstance(case.content, bytes):
        html = decode(case.content)
    else:
        html = paragraphs_html(case.content)
    return _runner(name)(html, case.url)


def distribution_version(distribution: str) -> str:
    """Installed version of a library (the flattening converters), or "missing"."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "missing"
