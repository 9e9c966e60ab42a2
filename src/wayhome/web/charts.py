"""Server-side SVG charts: the geometry of stacked columns and of horizontal bars, as plain numbers.

Templates draw the shapes (`templates/reports/_columns.svg.html`, `_bars.svg.html`); this module
only computes where they go, so the charts need no JavaScript and the same numbers fill the table
shown beside each chart.

Text is laid out from a generous estimate of its width (`text_width`), since the server cannot
measure it: the margins grow until every axis label, in any language, lies inside the viewBox
(anything outside it is cut off by the browser), and the month axis labels only as many columns
as have room for their label.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "CONDITION_COLOURS",
    "HAZARD_COLOURS",
    "READINESS_COLOURS",
    "FONT_SIZE",
    "Bar",
    "Chart",
    "bars",
    "nice_ticks",
    "stacked_columns",
    "text_width",
]

FONT_SIZE = 13.0  # of chart text, in the SVG's own units (the templates set it on the <svg>)
PAD = 4.0  # the least space between any text and the edge of the chart
TICK_GAP = 6.0  # between a value axis label and the plot
LABEL_GAP = 8.0  # between two neighbouring category labels, and a row label and its bar
MAX_COLUMN_LABELS = 12


# Colours of the map layers and charts: readiness class, hazard status, condition.
READINESS_COLOURS = {
    "ready": "#1a7f37",
    "low": "#74c476",
    "medium": "#f0a202",
    "high": "#d7301f",
    "blocked": "#6a1b9a",
    "no_data": "#9e9e9e",
}
HAZARD_COLOURS = {"open": "#e31a1c", "closed": "#3182bd", "handed_over": "#31a354"}
CONDITION_COLOURS = {
    "good": "#1a9850",
    "fair": "#a6d96a",
    "poor": "#fdae61",
    "very_bad": "#f46d43",
    "destroyed": "#a50026",
    "unknown": "#bdbdbd",
}


@dataclass(frozen=True)
class Bar:
    """One rectangle of a chart, with the text read out for it (its SVG <title>)."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Chart:
    """A chart's size, plot area, rectangles, axis ticks and category labels."""

    width: int
    height: int
    left: float
    top: float
    plot_width: float
    plot_height: float
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, float, str]] = field(default_factory=list)  # (position, value, text)
    labels: list[tuple[float, str]] = field(default_factory=list)  # (position, text)
    font_size: float = FONT_SIZE


# Advance widths in em, chosen from Chromium's measures of each character and of all 1,825 Russian
# and Arabic messages of the catalogs, in Noto Sans / Noto Naskh Arabic (the fonts of app.css) and in
# DejaVu Sans and Liberation Sans (common fallbacks): every message came out wider than drawn (by
# 2 % at the least, typically 30-40 %, Arabic 55-80 %), so margins made from them leave room.
_NARROW = frozenset("!'(),-./:;I[]`fijlrt·")
_SYMBOL = frozenset("#$+<=>^~_")
_WIDE = frozenset("%&@MWmwЖШЩЫЮМмжшщыюФф—…")


def _em(ch: str) -> float:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch.isspace():
        return 0.32
    if ch in _NARROW:
        return 0.47
    if ch in _SYMBOL:
        return 0.86
    if ch in _WIDE:
        return 1.3
    if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
        return 0.8  # Arabic: letters joined in words are narrower than alone
    if ch.isdigit():
        return 0.66
    if unicodedata.category(ch) == "Lu":
        return 0.95
    return 0.7


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """An upper estimate of the drawn width of ``text`` (a sans-serif font at ``font_size``)."""
    return font_size * sum(_em(ch) for ch in text)


def nice_ticks(top: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2 or 5 × 10ⁿ; whole with integer)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(step, 1)
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def _tick_texts(ticks: Sequence[float]) -> list[str]:
    """Tick values with as many decimals as their step needs (0, 0.5, 1 rather than 0, 0, 1)."""
    step = ticks[1] - ticks[0]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    return [f"{t:,.{decimals}f}" for t in ticks]


def _label_step(widths: Sequence[float], slot: float) -> int:
    """Label every n-th column: at most MAX_COLUMN_LABELS, and with room for the widest label."""
    every = max(1, math.ceil(len(widths) / MAX_COLUMN_LABELS))
    while every < len(widths) and every * slot < max(widths) + LABEL_GAP:
        every += 1
    return every


def _fit_columns(
    widths: Sequence[float], width: int, left: int, right: int
) -> tuple[int, int, int, int]:
    """``(width, left, right, every)`` with every shown category label inside the chart.

    Each label is centred on its column; the margins grow until the first and last labels fit,
    and the chart grows (it is drawn scaled to its box) when they would leave too little plot.
    """
    n = len(widths)
    min_plot = width / 2
    left0, right0 = left, right
    while True:
        plot = width - left - right
        if plot < min_plot:  # a wider chart, laid out afresh (margins need at most half a label)
            width = max(width + 1, math.ceil(left0 + right0 + max(widths) + 2 * PAD + min_plot))
            left, right = left0, right0
            continue
        slot = plot / n
        every = _label_step(widths, slot)
        shown = range(0, n, every)
        # moving the right margin by d moves label j by d·f, the left margin by d·(1 − f)
        grow_right = max(
            (left + (j + 0.5) * slot + widths[j] / 2 - (width - PAD)) / ((j + 0.5) / n)
            for j in shown
        )
        grow_left = max(
            (PAD - (left + (j + 0.5) * slot - widths[j] / 2)) / (1 - (j + 0.5) / n) for j in shown
        )
        if grow_right <= 0 and grow_left <= 0:
            return width, left, right, every
        right += max(0, math.ceil(grow_right))  # whole units: the loop ends, the SVG reads well
        left += max(0, math.ceil(grow_left))


def stacked_columns(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    width: int = 760,
    height: int = 300,
    fmt=lambda v: f"{v:,.0f}",  # noqa: B008  (a plain default formatter)
) -> Chart:
    """Columns per category stacked by series ``(label, colour, values)``; at most 12 labels."""
    if not categories:
        raise ValueError("a column chart needs at least one category")
    for label, _colour, values in series:
        if len(values) != len(categories):
            raise ValueError(
                f"series {label!r} has {len(values)} values for {len(categories)} categories"
            )
    totals = [sum(s[2][i] for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0.0))
    texts = _tick_texts(ticks)
    left = max(40, math.ceil(max(text_width(t) for t in texts) + TICK_GAP + PAD))
    widths = [text_width(c) for c in categories]
    total_width, left, right, every = _fit_columns(widths, width, left, 12)
    chart = Chart(total_width, height, left, 12, total_width - left - right, height - 12 - 44)
    scale = chart.plot_height / ticks[-1]
    chart.ticks = [
        (chart.top + chart.plot_height - t * scale, t, text)
        for t, text in zip(ticks, texts, strict=True)
    ]
    slot = chart.plot_width / len(categories)
    for i, category in enumerate(categories):
        x = chart.left + i * slot + slot * 0.1
        base = chart.top + chart.plot_height
        for label, colour, values in series:
            value = values[i]
            if value <= 0:
                continue
            h = value * scale
            base -= h
            chart.bars.append(
                Bar(x, base, slot * 0.8, h, colour, f"{category} · {label}: {fmt(value)}")
            )
        if i % every == 0:
            chart.labels.append((chart.left + (i + 0.5) * slot, category))
    return chart


def bars(items: Sequence[tuple[str, float, str]], *, width: int = 560, row: int = 30) -> Chart:
    """Horizontal bars counting things, one per ``(label, value, colour)``, labels to their start.

    The left margin takes the widest label, and the chart widens (it is drawn scaled to its
    box) rather than leave the bars less than 40 % of it.
    """
    ticks = nice_ticks(max((v for _l, v, _c in items), default=0.0), 4, integer=True)
    texts = _tick_texts(ticks)
    widest = max((text_width(label) for label, _v, _c in items), default=0.0)
    left = max(40, math.ceil(widest + LABEL_GAP + PAD), math.ceil(text_width(texts[0]) / 2 + PAD))
    right = max(12, math.ceil(text_width(texts[-1]) / 2 + PAD))
    total_width = max(width, math.ceil((left + right) / 0.6))
    chart = Chart(
        total_width, row * len(items) + 36, left, 6, total_width - left - right, row * len(items)
    )
    scale = chart.plot_width / ticks[-1]
    chart.ticks = [(chart.left + t * scale, t, text) for t, text in zip(ticks, texts, strict=True)]
    for i, (label, value, colour) in enumerate(items):
        y = chart.top + i * row + row * 0.15
        if value > 0:
            chart.bars.append(
                Bar(chart.left, y, value * scale, row * 0.7, colour, f"{label}: {value:,.0f}")
            )
        chart.labels.append((y + row * 0.35, label))
    return chart
