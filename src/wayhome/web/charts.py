"""Server-side SVG charts: the geometry of stacked columns and of horizontal bars, as plain numbers.

Templates draw the shapes (`templates/reports/_columns.svg.html`, `_bars.svg.html`); this module
only computes where they go, so the charts need no JavaScript and the same numbers fill the table
shown beside each chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "CONDITION_COLOURS",
    "HAZARD_COLOURS",
    "READINESS_COLOURS",
    "Bar",
    "Chart",
    "bars",
    "nice_ticks",
    "stacked_columns",
]

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
    ticks: list[tuple[float, float]] = field(default_factory=list)  # (position, value)
    labels: list[tuple[float, str]] = field(default_factory=list)  # (position, text)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2 or 5 × 10ⁿ)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def stacked_columns(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    width: int = 760,
    height: int = 300,
    fmt=lambda v: f"{v:,.0f}",  # noqa: B008  (a plain default formatter)
) -> Chart:
    """Columns per category stacked by series ``(label, colour, values)``; at most ~12 labels."""
    chart = Chart(width, height, 84, 12, width - 84 - 12, height - 12 - 44)
    totals = [sum(s[2][i] for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0.0))
    scale = chart.plot_height / ticks[-1]
    chart.ticks = [(chart.top + chart.plot_height - t * scale, t) for t in ticks]
    slot = chart.plot_width / max(len(categories), 1)
    every = max(1, math.ceil(len(categories) / 12))
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
    """Horizontal bars, one per ``(label, value, colour)``, labels to their start."""
    chart = Chart(width, row * len(items) + 36, 190, 6, width - 190 - 60, row * len(items))
    ticks = nice_ticks(max((v for _l, v, _c in items), default=0.0), 4)
    scale = chart.plot_width / ticks[-1]
    chart.ticks = [(chart.left + t * scale, t) for t in ticks]
    for i, (label, value, colour) in enumerate(items):
        y = chart.top + i * row + row * 0.15
        if value > 0:
            chart.bars.append(
                Bar(chart.left, y, value * scale, row * 0.7, colour, f"{label}: {value:,.0f}")
            )
        chart.labels.append((y + row * 0.35, label))
    return chart
