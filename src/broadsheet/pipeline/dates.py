"""Dates as pages write them, to ISO 8601 with exactly the precision the page gives.

``parse_date("JULY 13, 2020 08:49")`` is ``"2020-07-13T08:49"``; a date without a time stays a day;
an offset is kept when the page states one. Dates after the crawl date (plus a day of slack for
time zones) or before 1990 are refused: no date is better than a wrong one.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime
from functools import lru_cache

from .urls import split_url

__all__ = ["date_from_url", "day_first_for", "find_date", "is_plausible", "parse_date", "remove_dates"]

_MONTHS: dict[str, int] = {}
# English, German, French, Spanish, Italian, Dutch, Portuguese, Scandinavian, Polish, Czech, Russian,
# Turkish, Romanian, Indonesian, Arabic (Egyptian and Levantine), Ukrainian, Greek and Finnish forms
for _num, _names in enumerate(
    [
        "january jan januar janvier enero gennaio januari janeiro jänner stycznia styczeń leden ledna января "
        "январь ocak ene gen janv ianuarie يناير січня ιανουαρίου ιανουαριου tammikuuta",
        "february feb februar février fevrier febrero febbraio februari fevereiro lutego luty únor февраля "
        "февраль şubat févr fév února februarie فبراير شباط лютого φεβρουαρίου φεβρουαριου helmikuuta",
        "march mar märz mär maerz mars marts marzo maart março marca marzec březen března марта март mart mrz "
        "martie maret مارس آذار березня μαρτίου μαρτιου maaliskuuta",
        "april apr avril abril aprile kwietnia kwiecień duben dubna апреля апрель nisan avr abr aprilie أبريل "
        "ابريل إبريل نيسان квітня απριλίου απριλιου huhtikuuta",
        "may mai mayo maggio mei maio maja maj květen května мая май mayıs mag مايو أيار травня μαΐου μαιου "
        "toukokuuta",
        "june jun juni juin junio giugno junho czerwca czerwiec červen června июня июнь haziran iunie يونيو "
        "يونيه حزيران червня ιουνίου ιουνιου kesäkuuta",
        "july jul juli juillet julio luglio julho lipca lipiec červenec července июля июль temmuz juil lug "
        "iulie يوليو يوليه تموز липня ιουλίου ιουλιου heinäkuuta",
        "august aug août aout agosto augustus augusti sierpnia sierpień srpen srpna августа август ağustos "
        "ago agustus أغسطس اغسطس آب серпня αυγούστου αυγουστου elokuuta",
        "september sep sept septembre septiembre settembre setembro września wrzesień září сентября сентябрь "
        "eylül set septembrie سبتمبر أيلول вересня σεπτεμβρίου σεπτεμβριου syyskuuta",
        "october oct oktober octobre octubre ottobre outubro okt października październik říjen října октября "
        "октябрь ekim out octombrie أكتوبر اكتوبر жовтня οκτωβρίου οκτωβριου lokakuuta",
        "november nov novembre noviembre novembro listopada listopad listopadu ноября ноябрь kasım noiembrie "
        "نوفمبر листопада νοεμβρίου νοεμβριου marraskuuta",
        "december dec dez dezember desember décembre decembre diciembre dicembre dezembro grudnia grudzień "
        "prosinec декабря декабрь aralık déc dic prosince decembrie ديسمبر грудня δεκεμβρίου δεκεμβριου "
        "joulukuuta",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_TIME = r"(?:[T\s,|·-]+(?:at\s+|um\s+|à\s+)?(\d{1,2})[:.h](\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([ap]\.?m\.?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Z]{2,4}T)?)?"
_PATTERNS = [
    # 2020-07-13, 2020/07/13, 2020.07.13 (+ time)
    ("ymd", re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)" + _TIME, re.I)),
    # 13.07.2020, 13/07/2020 (day first; US month-first is ambiguous and handled below)
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)" + _TIME, re.I)),
    ("slash", re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)" + _TIME, re.I)),
    ("dmy_dash", re.compile(r"(?<!\d)(\d{1,2})-(\d{1,2})-(\d{4})(?!\d)" + _TIME, re.I)),
    # July 13, 2020 / Jul. 13 2020. The lookahead (a word, then a number) only skips the words no number
    # follows before the long list of month names is tried at them: ten times quicker, the same matches
    (
        "mdy",
        re.compile(
            rf"\b(?=[^\W\d_]+\.?\s+\d)({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})" + _TIME,
            re.I,
        ),
    ),
    # 13 July 2020 / 13. Juli 2020 / 13 de julio de 2020
    (
        "dmy_name",
        re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?(?:\s+|-)(?:de\s+)?({_MONTH_RE})\.?,?(?:\s+|-)(?:de\s+)?(\d{{4}})"
            + _TIME,
            re.I,
        ),
    ),
    # 2020年7月13日, 2020년 7월 13일
    (
        "cjk",
        re.compile(
            r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]" + r"(?:\s*(\d{1,2})[:時시](\d{2}))?"
        ),
    ),
]
# Forms that flattened page text prints and a meta tag never does, read by ``find_date(loose=True)`` when no
# other date is in the text: a two-digit year (19.10.19, 30/10/23), spaced numbers (2020. 08. 18.) and a
# month name glued to the word before it by the flattening ("Jeffrey ZeldmanNovember 20, 2007").
_LOOSE_PATTERNS = [
    ("dmy", re.compile(r"(?<![\w.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2})(?![\d]|\.\d)" + _TIME, re.I)),
    ("slash", re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})/(\d{2})(?![\d]|/\d)" + _TIME, re.I)),
    ("ymd", re.compile(r"(?<!\d)(\d{4})\.\s(\d{1,2})\.\s(\d{1,2})(?!\d)" + _TIME, re.I)),
    (
        "mdy",
        re.compile(
            rf"(?-i:(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ]))({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"
            + _TIME,
            re.I,
        ),
    ),
]
_TZ_NAMES = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "Z": "+00:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "BST": "+01:00",
    "IST": "+05:30",
    "JST": "+09:00",
    "AEST": "+10:00",
    "AEDT": "+11:00",
    "MEZ": "+01:00",
    "MESZ": "+02:00",
    "KST": "+09:00",
}


# English-speaking countries that write the day first; a page from anywhere else writing another language
# does so too (month-first is American).
_DAY_FIRST_ENGLISH = frozenset("uk gb au nz ie in za sg pk ng ke my".split())
_MONTH_FIRST = frozenset("us ph".split())


def day_first_for(language: str | None, url: str | None = None) -> bool | None:
    """Whether "03/04/2020" means 3 April on a page in ``language`` from ``url``: True for every language but
    English and for English from day-first countries (by the host's country suffix), False for American
    hosts, None (month first unless impossible) when nothing says."""
    host = (split_url(url).hostname or "") if url and "//" in url else ""
    suffix = host.rpartition(".")[2]
    if suffix in _MONTH_FIRST:
        return False
    if suffix in _DAY_FIRST_ENGLISH:
        return True
    if language and language != "en":
        return True
    if language is None and len(suffix) == 2 and suffix.isalpha() and suffix not in ("io", "co", "tv", "ai"):
        return True  # a national site whose language is unknown
    return None


def parse_date(
    value: str | None, *, not_after: str | None = None, day_first: bool | None = None, loose: bool = False
) -> str | None:
    """The first plausible date in ``value`` as ISO 8601, or None.

    ``day_first`` reads an ambiguous "03/04/2020" as 3 April (True) or March 4 (False); None (the
    default) reads it month-first unless that is impossible.
    """
    if not value:
        return None
    found = find_date(value, day_first=day_first, loose=loose)
    if found and is_plausible(found, not_after=not_after):
        return found
    return None


_YEAR = re.compile(r"\d{4}")
_BEFORE_YEAR = 40  # "Wednesday, 13 de septiembre de 2020": a year is at most this far after its date's start
_AFTER_YEAR = 60  # ... and the time and zone at most this far after it
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?")


def find_date(text: str, *, day_first: bool | None = None, loose: bool = False) -> str | None:
    """The earliest-positioned date expression in ``text`` (no plausibility check); ``loose`` also reads
    the forms flattened text prints (``_LOOSE_PATTERNS``)."""
    found = _find_date(text[:2000], day_first)
    if loose:
        other = _find_loose(text[:2000], day_first)
        if other and (not found or other[0] < found[0]):
            found = other
    return found[1] if found else None


@lru_cache(maxsize=4096)  # the same lines (a site's header date, a timestamp) come back page after page
def _find_date(text: str, day_first: bool | None) -> tuple[int, str] | None:
    if _ISO_START.match(text):  # machine-written dates (meta tags, JSON-LD): one pattern suffices
        m = _PATTERNS[0][1].match(text)
        if m:
            iso = _to_iso("ymd", m.groups(), day_first=day_first)
            return (0, iso) if iso else None
    # every pattern holds a four-digit year: look only around the years (the month names are slow to
    # look for in a long line), from a point that is not inside a number
    best: tuple[int, str] | None = None
    for year in _YEAR.finditer(text):
        start = max(0, year.start() - _BEFORE_YEAR)
        while start and text[start - 1].isdigit():
            start -= 1
        window = text[start : year.end() + _AFTER_YEAR]
        for name, pattern in _PATTERNS:
            m = pattern.search(window)
            if not m or (best is not None and start + m.start() >= best[0]):
                continue
            iso = _to_iso(name, m.groups(), day_first=day_first)
            if iso:
                best = (start + m.start(), iso)
        if best is not None and best[0] <= year.start():
            break  # no later year can give an earlier date
    return best


@lru_cache(maxsize=4096)
def _find_loose(text: str, day_first: bool | None) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for name, pattern in _LOOSE_PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            iso = _to_iso(name, m.groups(), day_first=day_first)
            if iso:
                best = (m.start(), iso)
    return best


def is_plausible(iso: str, *, not_after: str | None = None) -> bool:
    """Between 1990 and the crawl date (or today) plus one day of time-zone slack."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return False
    if day.year < 1990:
        return False
    limit = datetime.now(UTC).date()
    if not_after:
        with contextlib.suppress(ValueError):
            limit = date.fromisoformat(not_after[:10])
    return (day - limit).days <= 1  # a difference: adding a day to 9999-12-31 overflows


def remove_dates(text: str, replacement: str = " ") -> str:
    """``text`` with every date expression (and its time) replaced, e.g. to read a byline."""
    if _YEAR.search(text):  # every pattern holds a four-digit year: most bylines have none
        for _, pattern in _PATTERNS:
            text = pattern.sub(replacement, text)
    return _LONE_TIME.sub(replacement, text)


_LONE_TIME = re.compile(r"(?<![\d:])\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?|\s*uhr|\s*h)?(?![\d:])", re.I)
_URL_DATE = re.compile(r"(?<![\d])((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)")
_URL_DATE_SEPARATED = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$|\.)")
_URL_DATE_NAMED = re.compile(
    rf"/((?:19|20)\d{{2}})/({_MONTH_RE})/(\d{{1,2}})(?:/|-|$|\.)", re.I
)  # /2023/october/03/


def date_from_url(url: str | None, *, not_after: str | None = None) -> str | None:
    """The day a URL's path spells ("/2020/07/13/", "-2020-07-13", "/20200713/", "/2020/july/13/"), if plausible."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1].partition("/")[2]
    for pattern in (_URL_DATE_SEPARATED, _URL_DATE_NAMED, _URL_DATE):
        m = pattern.search("/" + path)
        if m:
            month = m.group(2)
            try:
                number = int(month) if month.isdigit() else _MONTHS[month.lower()]
                iso = date(int(m.group(1)), number, int(m.group(3))).isoformat()
            except ValueError:
                continue
            if is_plausible(iso, not_after=not_after):
                return iso
    return None


def _to_iso(name: str, g: tuple[str | None, ...], *, day_first: bool | None = None) -> str | None:
    try:
        if name == "ymd" or name == "cjk":
            y, mo, d = int(g[0] or 0), int(g[1] or 0), int(g[2] or 0)
        elif name == "dmy":
            d, mo, y = int(g[0] or 0), int(g[1] or 0), int(g[2] or 0)
        elif name in ("slash", "dmy_dash"):
            a, b, y = int(g[0] or 0), int(g[1] or 0), int(g[2] or 0)
            first = bool(day_first)
            if a > 12 or (first and b <= 12):
                d, mo = a, b
            else:
                d, mo = b, a
        elif name == "mdy":
            mo, d, y = _MONTHS[(g[0] or "").lower().rstrip(".")], int(g[1] or 0), int(g[2] or 0)
        else:  # dmy_name
            d, mo, y = int(g[0] or 0), _MONTHS[(g[1] or "").lower().rstrip(".")], int(g[2] or 0)
        if y < 100:  # a two-digit year: this century unless that is in the future
            y += 2000 if 2000 + y <= datetime.now(UTC).year + 1 else 1900
        day = date(y, mo, d)
    except (ValueError, KeyError):
        return None
    iso = day.isoformat()
    hour, minute, second = g[3], g[4], g[5] if len(g) > 5 else None
    if hour is None or minute is None:
        return iso
    h, mi = int(hour), int(minute)
    ampm = (g[6] or "").lower().replace(".", "") if len(g) > 6 else ""
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    if h > 23 or mi > 59:
        return iso
    iso += f"T{h:02d}:{mi:02d}"
    if second:
        iso += f":{int(second):02d}"
    tz = g[7] if len(g) > 7 else None
    if tz:
        offset = _TZ_NAMES.get(tz.upper()) if tz[0] not in "+-" else tz
        if offset:
            if ":" not in offset:
                offset = offset[:3] + ":" + offset[3:]
            iso += offset
    return iso
