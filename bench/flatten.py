"""Flattened-text variants of HTML pages: the page turned into text one block per line, as a crawler's
HTML-to-text step prints it (navigation, rails and footer included). Two converters, so that the
text-mode extractor is not tuned to one converter's habits:

- ``resiliparse``: the page's ``<title>`` on the first line, then ``extract_plain_text(main_content=False)``
  with formatting kept: the shape of a Common Crawl WET record, whose text starts with the title line
  (a CC-MAIN-2024-22 record, ``commoncrawl/whirlwind-python``'s ``whirlwind.warc.wet``: "Escopete -
  Biquipedia, a enciclopedia libre", then the page's menus and text);
- ``html-text``: html-text's ``extract_text(guess_layout=True)``, which prints the title first as well.

Until revision 2 the resiliparse variant had no title line, and on readability, whose headline labels are
often the ``<title>``, 37 of 83 train pages held no line with the headline (a ceiling of the variant).
``REVISION`` is part of the benchmark's cache key, so a changed variant is flattened again.
"""

from __future__ import annotations

import re

__all__ = ["CONVERTERS", "REVISION", "flatten"]

#: The version of each variant's recipe, for the benchmark's cache key (bump it when a recipe changes).
REVISION = {"resiliparse": 2, "html-text": 1}

_BLANKS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def _resiliparse(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html)
    title = " ".join((tree.title or "").split())
    return _tidy(
        (title + "\n" if title else "")
        + extract_plain_text(
            tree,
            main_content=False,
            preserve_formatting=True,
            alt_texts=False,
            links=False,
            list_bullets=False,
            form_fields=False,
            noscript=False,
        )
    )


def _html_text(html: str) -> str:
    import html_text

    return _tidy(html_text.extract_text(html, guess_layout=True))


CONVERTERS = {"resiliparse": _resiliparse, "html-text": _html_text}


def flatten(html: str, converter: str = "resiliparse") -> str:
    """The page as flattened text by ``converter`` (one of ``CONVERTERS``)."""
    return CONVERTERS[converter](html)
