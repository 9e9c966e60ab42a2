"""Chart text inside the chart: every label of the SVG the templates draw lies within its viewBox.

The browser cuts off whatever lies outside the viewBox, so each <text> of the rendered SVG is given
its extent from its position, its text-anchor and the estimated width of its text (`text_width`,
itself checked against Chromium in tests/browser/test_reports_charts.py), and must fit.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wayhome.web.charts import FONT_SIZE, bars, stacked_columns, text_width
from wayhome.web.templating import env

# The readiness classes as the reports page shows them (the catalogs' translations).
CLASSES = {
    "en": [
        "Ready for return",
        "Low severity",
        "Medium severity",
        "High severity",
        "Blocked by hazard areas",
        "Not enough data",
    ],
    "ru": [
        "Готов к возвращению",
        "Низкая острота",
        "Средняя острота",
        "Высокая острота",
        "Заблокирован опасными районами",
        "Недостаточно данных",
    ],
    "ar": [
        "جاهز للعودة",
        "خطورة منخفضة",
        "خطورة متوسطة",
        "خطورة عالية",
        "محظور بسبب مناطق خطرة",
        "بيانات غير كافية",
    ],
}


@dataclass(frozen=True)
class Text:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


def months(first: str, count: int) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def render(chart, template: str) -> tuple[float, float, float, list[Text]]:  # type: ignore[no-untyped-def]
    """The chart drawn by its template: viewBox width and height, font size, and each text's box."""
    svg = ET.fromstring(
        env.get_template(f"reports/{template}").render(
            chart=chart, chart_id="c", chart_title="Chart", chart_desc="A chart"
        )
    )
    _x, _y, width, height = (float(v) for v in svg.get("viewBox", "").split())
    size = float(svg.get("style", "").removeprefix("font-size:").strip().removesuffix("px"))
    texts = []
    for node in svg.iter("text"):
        content = node.text or ""
        w = text_width(content, size)
        x, y = float(node.get("x", "0")), float(node.get("y", "0"))
        share = {"start": 0.0, "middle": 0.5, "end": 1.0}[node.get("text-anchor", "start")]
        # ink above the baseline (capitals, Arabic letters) and below it (descenders)
        texts.append(Text(content, x - share * w, x + (1 - share) * w, y - size, y + 0.4 * size))
    return width, height, size, texts


def outside(width: float, height: float, texts: list[Text]) -> list[Text]:
    return [t for t in texts if t.x0 < 0 or t.x1 > width or t.y0 < 0 or t.y1 > height]


def category_labels(texts: list[Text]) -> list[Text]:
    """The labels under the columns (the lowest line of text), left to right."""
    low = max(t.y1 for t in texts)
    return sorted((t for t in texts if t.y1 == low), key=lambda t: t.x0)


def apart(labels: list[Text]) -> bool:
    return all(a.x1 < b.x0 for a, b in zip(labels, labels[1:], strict=False))


def columns(categories: list[str], values: list[float] | None = None):  # type: ignore[no-untyped-def]
    values = (
        values if values is not None else [1000.0 * (i % 7 + 1) for i in range(len(categories))]
    )
    return stacked_columns(categories, [("Cleared", "#08519c", values)])


@pytest.mark.parametrize("count", [1, 3, 12, 13, 25, 45, 56, 57, 120])
def test_month_labels_fit_in_the_column_chart(count: int) -> None:
    width, height, size, texts = render(columns(months("2021-01", count)), "_columns.svg.html")
    assert size == FONT_SIZE
    assert not outside(width, height, texts)
    labels = category_labels(texts)
    assert labels[0].text == "2021-01" and all(
        re.fullmatch(r"20[0-9]{2}-[0-9]{2}", t.text) for t in labels
    )
    assert len(labels) <= 12
    assert apart(labels)  # neighbours do not overlap


def test_a_labelled_last_column_keeps_its_label_inside_the_chart() -> None:
    """The reported case: with 41, 45, 51 … months the last column's label ran off the right."""
    labelled_last = 0
    for count in range(1, 121):
        chart = columns(months("2021-01", count))
        last = months("2021-01", count)[-1]
        if chart.labels[-1][1] != last:
            continue
        labelled_last += 1
        width, _height, _size, texts = render(chart, "_columns.svg.html")
        assert category_labels(texts)[-1].x1 <= width, count
        column = next(b for b in chart.bars if b.title.startswith(f"{last} "))
        assert chart.labels[-1][0] == pytest.approx(column.x + column.width / 2)  # under it
    assert labelled_last >= 20


def test_long_and_translated_category_labels_fit() -> None:
    for labels in (
        ["Январь 2024", "Февраль 2024", "Сентябрь 2024"],
        ["يناير ٢٠٢٤", "فبراير ٢٠٢٤", "سبتمبر ٢٠٢٤"],
        ["A category label far longer than its column is wide, " * 3],
        ["WWWWWWWWWWWWWWWWWWWWWWWWWW"] * 30,
    ):
        width, height, _size, texts = render(columns(labels), "_columns.svg.html")
        assert not outside(width, height, texts), labels


def test_large_values_fit_on_the_value_axis() -> None:
    for top in (9.0, 0.4, 12_345.0, 987_654_321.0, 98_765_432_109.0):
        chart = columns(["2024-01", "2024-02"], [top, top / 3])
        width, height, _size, texts = render(chart, "_columns.svg.html")
        assert not outside(width, height, texts), top
        ticks = [text for _y, _v, text in chart.ticks]
        assert len(set(ticks)) == len(ticks)  # 0, 0.1, 0.2 … rather than 0, 0, 0


@pytest.mark.parametrize("lang", sorted(CLASSES))
def test_readiness_class_labels_fit_in_the_bar_chart(lang: str) -> None:
    items = [(text, float(n), "#000") for n, text in enumerate(CLASSES[lang])]
    width, height, _size, texts = render(bars(items), "_bars.svg.html")
    assert not outside(width, height, texts)
    assert {t.text for t in texts} >= set(CLASSES[lang])


def test_bar_chart_counts_in_whole_numbers_and_widens_for_very_long_labels() -> None:
    one = bars([("Ready for return", 1, "#000"), ("Not enough data", 0, "#111")])
    assert [text for _x, _v, text in one.ticks] == ["0", "1"]
    long = bars([("Заблокирован опасными районами " * 4, 3, "#000")])
    width, height, _size, texts = render(long, "_bars.svg.html")
    assert not outside(width, height, texts)
    assert width > 560 and long.plot_width >= 0.4 * width - 1


def test_bad_column_input_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one category"):
        stacked_columns([], [])
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        stacked_columns(["a", "b", "c"], [("x", "#000", [1.0, 2.0])])


LETTERS = st.sampled_from(
    ["0123456789-", "abcdefghijklmnopqrstuvwxyz ", "АБВЖШЩЮжшщюмы ", "ابتثجحخدذرزسشصض ", "WMm@%"]
)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_any_labels_fit(data) -> None:  # type: ignore[no-untyped-def]
    alphabet = data.draw(LETTERS)
    label = st.text(alphabet, min_size=1, max_size=data.draw(st.integers(1, 40)))
    categories = data.draw(st.lists(label, min_size=1, max_size=90))
    area = st.one_of(st.just(0.0), st.floats(0.01, 1e10))
    values = data.draw(st.lists(area, min_size=len(categories), max_size=len(categories)))
    width, height, _size, texts = render(columns(categories, values), "_columns.svg.html")
    assert not outside(width, height, texts)
    assert apart(category_labels(texts))
    rows = [(c, v, "#000") for c, v in zip(categories[:8], values, strict=False)]
    width, height, _size, texts = render(bars(rows), "_bars.svg.html")
    assert not outside(width, height, texts)
