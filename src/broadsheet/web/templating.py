"""The Jinja2 environment: autoescaping everywhere, strict about undefined names, and the filters
templates use to show untrusted values (URLs, language codes, dates) safely."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .sanitize import body_html, clean_snippet, dek_in_body
from .security import safe_url

__all__ = ["TEMPLATES", "environment"]

TEMPLATES = Path(__file__).parent / "templates"
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})?$")


def _lang(value: object) -> str | None:
    """A language code fit for a ``lang`` attribute, or None."""
    return value if isinstance(value, str) and _LANG.match(value) else None


def _part(value: object) -> str:
    """A value as one URL path segment (slashes included)."""
    return quote(str(value), safe="")


def _when(value: object, with_time: bool = True) -> str:
    """An ISO date as people read it: '21 June 2025, 04:57'; anything else as given."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value[:40]
    has_time = with_time and len(value) > 10
    return moment.strftime("%-d %B %Y, %H:%M" if has_time else "%-d %B %Y")


def _month(value: object) -> str:
    """'2025-06' → 'June 2025'."""
    try:
        return datetime.strptime(str(value), "%Y-%m").strftime("%B %Y")
    except ValueError:
        return str(value)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: nothing from a page is ever trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        safe_url=safe_url,
        lang=_lang,
        part=_part,
        when=_when,
        plural=_plural,
        month=_month,
        snippet=clean_snippet,
        body=body_html,
    )
    env.tests["dek_in_body"] = dek_in_body
    return env
