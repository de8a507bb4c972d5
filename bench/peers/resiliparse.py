"""resiliparse: ``extract_plain_text(main_content=True, preserve_formatting=True)``; title from ``<title>``."""

from __future__ import annotations

from ..output import Output

__all__ = ["DISTRIBUTION", "extract"]

DISTRIBUTION = "resiliparse"


def extract(html: str, url: str | None) -> Output:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html)
    text = extract_plain_text(
        tree,
        main_content=True,
        preserve_formatting=True,
        list_bullets=False,
        alt_texts=False,
        links=False,
        form_fields=False,
        noscript=False,
    )
    return Output(text=text, title=tree.title or None)
