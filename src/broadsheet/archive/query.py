"""Search queries and filters, parsed once and compiled by each backend (FTS5, tsquery, ...).

Query syntax, small on purpose: words must all match; ``"a phrase"`` matches words in a row;
``word*`` is a prefix; ``OR`` between two terms makes either do; ``-word`` excludes. Anything
else (operators, brackets, column names) is read as plain words, so no input is a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TypedDict

from ..errors import BroadsheetError

__all__ = ["FACETS", "FilterArgs", "Filters", "Query", "Term", "parse_query"]

#: Fields that listings can be counted by.
FACETS = ("site", "section", "author", "tag", "language", "day")

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must occur in a row (one word for a plain term); ``prefix`` lets the last one go on."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every group must match (a group matches when any of its terms does); none of ``exclude``."""

    groups: tuple[tuple[Term, ...], ...] = ()
    exclude: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def words(self) -> list[str]:
        """Every positive word, for highlighting outside the search engine."""
        return [w for group in self.groups for term in group for w in term.words]


def _term(text: str, *, phrase: bool) -> Term | None:
    words = tuple(_WORD.findall(text))
    if not words:
        return None
    prefix = not phrase and text.rstrip().endswith("*")
    return Term(words, prefix)


def parse_query(text: str) -> Query:
    """Parse the user's query; never fails, at worst it is empty."""
    groups: list[list[Term]] = []
    exclude: list[Term] = []
    join_next = False
    for match in _TOKEN.finditer(text or ""):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word == "OR":
            join_next = bool(groups)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negative, word = "-", word[1:]
        term = _term(phrase if phrase is not None else word, phrase=phrase is not None)
        if term is None:
            continue
        if negative:
            exclude.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return Query(tuple(tuple(g) for g in groups), tuple(exclude))


class FilterArgs(TypedDict, total=False):
    """Keyword filters every query method takes."""

    site: str | None
    section: str | None
    author: str | None
    tag: str | None
    since: str | date | None
    until: str | date | None
    lang: str | None
    added_since: str | datetime | None


def _instant(value: str | datetime | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    try:
        return datetime.fromisoformat(str(value)).isoformat(timespec="seconds")
    except ValueError:
        raise BroadsheetError(f"added_since must be an ISO 8601 date or time, not {value!r}") from None


def _day(value: str | date | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise BroadsheetError(f"--{name} must be a date as YYYY-MM-DD, not {value!r}") from None


@dataclass(frozen=True, slots=True)
class Filters:
    """Which articles a query looks at. Text matches ignore case; dates are inclusive days (YYYY-MM-DD)."""

    site: str | None = None  # site name or host ("Northern Ledger", "www.example.com")
    section: str | None = None
    author: str | None = None
    tag: str | None = None
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    #: stored at or after this instant (ISO 8601, UTC when no offset): "new since" digests and feeds
    added_since: str | None = None

    @classmethod
    def of(cls, args: FilterArgs) -> Filters:
        known = {f.name for f in fields(cls)}
        unknown = set(args) - known
        if unknown:
            raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        values = {k: (v or None) for k, v in args.items()}
        values["since"] = _day(args.get("since"), "since")
        values["until"] = _day(args.get("until"), "until")
        values["added_since"] = _instant(args.get("added_since"))
        return cls(**values)  # type: ignore[arg-type]
