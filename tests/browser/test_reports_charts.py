"""The reports page in Chromium: every chart label drawn inside its chart, in English, Russian, Arabic.

Set WAYHOME_SCREENSHOTS to a directory to keep a screenshot of each page.
"""

from __future__ import annotations

from itertools import product

import pytest

from tests.browser.pages import login, shot
from tests.services.test_contamination import LAT, LON, hazard_data, rect, release_data
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import contamination
from wayhome.web.charts import text_width

pytestmark = pytest.mark.browser

# Each <text> of each chart, measured by the browser in the SVG's own units (the viewBox).
MEASURE = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const box = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox();
    return {chart: svg.getAttribute('aria-labelledby').split(' ')[0], text: t.textContent,
            x0: b.x, x1: b.x + b.width, y0: b.y, y1: b.y + b.height,
            width: box.width, height: box.height};
  });
})"""


def test_chart_labels_stay_inside_their_charts(
    live_server, browser_page, wayhome, make, tmp_path
) -> None:
    analyst = make.actor(Role.ANALYST)
    # 5 km × 4 km: tens of millions of m² on the value axis
    hazard = contamination.create_hazard_area(
        wayhome, analyst, hazard_data(geometry=rect(0, 0, 5000, 4000))
    )
    # releases 44 months apart: 45 columns (gaps are zero months), the last one labelled before
    for kind, box, day in (
        ("cancelled", rect(0, 0, 2500, 4000), "2021-01-10"),
        ("reduced", rect(2500, 0, 4000, 4000), "2022-06-01"),
        ("cleared", rect(4000, 0, 5000, 4000), "2024-09-30"),
    ):
        contamination.record_release(wayhome, analyst, hazard.id, release_data(kind, box, day))
    country = make.place("DM", PlaceType.COUNTRY, lat=LAT, lon=LON)
    make.place("S1", PlaceType.SETTLEMENT, country.id, "Inside", LAT + 0.01, LON + 0.01)
    make.place("S2", PlaceType.SETTLEMENT, country.id, "Far", LAT + 1, LON + 1)
    user = make.user(Role.ANALYST)
    page = browser_page
    login(page, live_server, user.username)
    # the whole period (45 months), and from 2022-06 (28 months: the last column is labelled)
    for lang, since in product(("en", "ru", "ar"), ("", "2022-06")):
        page.goto(f"{live_server}/reports?lang={lang}&since={since}")
        page.wait_for_selector("svg.chart text")
        page.evaluate("document.fonts.ready")
        shot(page, tmp_path, f"reports-{lang}{'-since-' + since if since else ''}")
        texts = page.evaluate(MEASURE)
        charts = {t["chart"] for t in texts}
        assert charts == {"released-title", "classes-title"}, charts
        outside = [
            t
            for t in texts
            if t["x0"] < 0 or t["y0"] < 0 or t["x1"] > t["width"] or t["y1"] > t["height"]
        ]
        assert not outside, (lang, since, outside)
        # the estimate the margins are made from is at least the width Chromium draws
        assert all(text_width(t["text"]) >= t["x1"] - t["x0"] for t in texts), (lang, texts)
        if since:
            months = [
                t["text"] for t in texts if t["chart"] == "released-title" and "-" in t["text"]
            ]
            assert months[0] == "2022-06" and months[-1] == "2024-09", months
