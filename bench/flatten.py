"""Flattened-text variants of HTML pages: the page turned into text one block per line, as a crawler's
HTML-to-text step prints it (navigation, rails and footer included). Two converters, so that the
text-mode extractor is not tuned to one converter's habits:

- ``resiliparse``: ``extract_plain_text(main_content=False)`` with formatting kept (the main variant;
  Common Crawl-style WET text is made the same way);
- ``html-text``: html-text's ``extract_text(guess_layout=True)``.

resiliparse leaves out the ``<title>`` (html-text prints it first, as a Common Crawl WET record does), so
on readability, whose headline labels are often the ``<title>``, 37 of 83 train pages hold no line with
the headline in that variant (9 in html-text): a ceiling of the variant, not a miss of the text path.
"""

from __future__ import annotations

import re

__all__ = ["CONVERTERS", "flatten"]

_BLANKS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def _resiliparse(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html)
    return _tidy(
        extract_plain_text(
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
