"""Attention over time: how many articles match per day, drawn as a server-side SVG bar chart.

Days with no match count as zero; long spans are binned by week or month so a bar stays wide enough
to see and to click (each bar links to the search narrowed to its dates). No script is involved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

__all__ = ["Bin", "attention_svg", "bin_counts"]

_WIDTH, _HEIGHT = 800, 180
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 8, 10, 28


@dataclass(slots=True)
class Bin:
    """Articles first published from ``start`` to ``end`` (inclusive days)."""

    start: str
    end: str
    count: int


def _days(counts: Sequence[tuple[str, int]]) -> dict[date, int]:
    out: dict[date, int] = {}
    for day, n in counts:
        try:
            out[date.fromisoformat(day)] = out.get(date.fromisoformat(day), 0) + int(n)
        except (TypeError, ValueError):
            continue  # a day the archive could not date cleanly does not belong on a time axis
    return out


def _bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def bin_counts(counts: Sequence[tuple[str, int]]) -> tuple[list[Bin], str]:
    """Counts per day → contiguous bins (day, week or month, by span), and the unit used."""
    days = _days(counts)
    if not days:
        return [], "day"
    first, last = min(days), max(days)
    span = (last - first).days + 1
    unit = "day" if span <= 120 else "week" if span <= 2 * 365 else "month"
    totals: dict[date, int] = {}
    for day, n in days.items():
        totals[_bin_start(day, unit)] = totals.get(_bin_start(day, unit), 0) + n
    bins: list[Bin] = []
    start = _bin_start(first, unit)
    while start <= last:
        end = _next(start, unit) - timedelta(days=1)
        bins.append(Bin(start.isoformat(), end.isoformat(), totals.get(start, 0)))
        start = end + timedelta(days=1)
    return bins, unit


def attention_svg(
    bins: Sequence[Bin], unit: str, *, label: str, link: Callable[[Bin], str] | None = None
) -> Markup:
    """An accessible SVG bar chart of ``bins``: titled, described, every bar with a tooltip."""
    if not bins:
        return Markup("")
    top = max(b.count for b in bins) or 1
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    step = plot_w / len(bins)
    total = sum(b.count for b in bins)
    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(label)}</title>',
        f'<desc id="chart-desc">{total} articles from {bins[0].start} to {bins[-1].end}, per {unit}; '
        f"at most {top} in one {unit}.</desc>",
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_WIDTH - _RIGHT}" y2="{_TOP + plot_h}"/>',
        f'<text class="tick" x="{_LEFT - 4}" y="{_TOP + 8}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{_LEFT - 4}" y="{_TOP + plot_h}" text-anchor="end">0</text>',
        f'<text class="tick" x="{_LEFT}" y="{_HEIGHT - 8}">{escape(bins[0].start)}</text>',
        f'<text class="tick" x="{_WIDTH - _RIGHT}" y="{_HEIGHT - 8}" text-anchor="end">{escape(bins[-1].end)}</text>',
    ]
    for i, b in enumerate(bins):
        h = plot_h * b.count / top
        span = b.start if b.start == b.end else f"{b.start} to {b.end}"
        bar = (
            f'<rect class="bar" x="{_LEFT + i * step:.2f}" y="{_TOP + plot_h - h:.2f}" '
            f'width="{max(step - (1 if step > 3 else 0), 0.5):.2f}" height="{h:.2f}">'
            f"<title>{escape(span)}: {b.count} article{'s' if b.count != 1 else ''}</title></rect>"
        )
        if link and b.count:
            bar = f'<a href="{escape(link(b), quote=True)}">{bar}</a>'
        parts.append(bar)
    parts.append("</svg>")
    return Markup("".join(parts))
