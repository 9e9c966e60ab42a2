"""Reports: land released by method and month (from the ledger), settlements by readiness class."""

from __future__ import annotations

import csv
import io
import math

import pytest

from wayhome.core.vocab import PlaceType, Role
from wayhome.services import contamination, reports
from wayhome.services.contamination_inputs import ActivityInput, HazardAreaInput, ReleaseInput
from wayhome.web.charts import bars, nice_ticks, stacked_columns

LON, LAT = 45.0, 40.0


def square(lon: float, lat: float, side: float) -> dict:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def released_world(wayhome, actor) -> str:
    """A hazard with a cancelled strip (2024-01), a reduced one (2024-03), a cleared one (2024-03)."""
    hazard = contamination.create_hazard_area(
        wayhome,
        actor,
        HazardAreaInput.model_validate(
            {
                "local_id": "HA-1",
                "name": "Field",
                "hazard_type": "sha",
                "geometry": square(LON, LAT, 0.01),
            }
        ),
    )
    for kind, activity_type, x, day in (
        ("cancelled", "nts", 0.0, "2024-01-15"),
        ("reduced", "ts", 0.003, "2024-03-02"),
        ("cleared", "clearance", 0.006, "2024-03-20"),
    ):
        activity = contamination.record_activity(
            wayhome,
            actor,
            hazard.id,
            ActivityInput.model_validate(
                {"activity_type": activity_type, "organisation_name": "Team", "status": "completed"}
            ),
        )
        strip = {
            "type": "Polygon",
            "coordinates": [
                [
                    [LON + x, LAT],
                    [LON + x + 0.003, LAT],
                    [LON + x + 0.003, LAT + 0.01],
                    [LON + x, LAT + 0.01],
                    [LON + x, LAT],
                ]
            ],
        }
        contamination.record_release(
            wayhome,
            actor,
            hazard.id,
            ReleaseInput.model_validate(
                {
                    "release_kind": kind,
                    "geometry": strip,
                    "release_date": day,
                    "activity_id": activity.id,
                }
            ),
        )
    return hazard.id


def test_land_released_by_month_agrees_with_the_ledger(wayhome, make) -> None:
    admin = make.actor(Role.ADMIN)
    hazard_id = released_world(wayhome, admin)
    months = reports.land_released_by_month(wayhome, admin)
    assert [m.month for m in months] == ["2024-01", "2024-02", "2024-03"]  # gaps kept as zeros
    assert months[1].total_m2 == 0
    ledger = contamination.ledger(wayhome, admin, hazard_id)
    assert months[0].cancelled_m2 == pytest.approx(ledger.cancelled_m2)
    assert months[2].reduced_m2 == pytest.approx(ledger.reduced_m2)
    assert months[2].cleared_m2 == pytest.approx(ledger.cleared_m2)
    assert math.fsum(m.total_m2 for m in months) == pytest.approx(ledger.released_m2)
    only = reports.land_released_by_month(wayhome, admin, since="2024-02", until="2024-03")
    assert [m.month for m in only] == ["2024-03"]
    assert reports.land_released_by_month(wayhome, admin, since="2025-01") == []


def test_reports_page_chart_table_and_csv(login, wayhome, make) -> None:
    admin = make.actor(Role.ADMIN)
    released_world(wayhome, admin)
    country = make.place("DM", PlaceType.COUNTRY, lat=LAT, lon=LON)
    make.place("S1", PlaceType.SETTLEMENT, country.id, "Inside", LAT + 0.005, LON + 0.009)
    make.place("S2", PlaceType.SETTLEMENT, country.id, "Far", LAT, LON + 2)
    ui = login(Role.VIEWER)
    page = ui.get("/reports")
    assert page.status_code == 200
    html = page.text
    assert 'role="img"' in html and '<title id="released-title">' in html
    assert html.count("<rect ") == 3 + 2  # three release columns; two non-empty readiness bars
    months = reports.land_released_by_month(wayhome, admin)
    assert f"{months[0].cancelled_m2:,.0f}" in html  # the table beside the chart
    assert "Blocked by hazard areas" in html and 'href="/reports"' in html
    data = list(csv.reader(io.StringIO(ui.get("/reports/land-released.csv").text)))
    assert data[0] == ["month", "cancelled_m2", "reduced_m2", "cleared_m2", "total_m2"]
    assert [row[0] for row in data[1:]] == ["2024-01", "2024-02", "2024-03"]
    assert float(data[1][1]) == pytest.approx(months[0].cancelled_m2, abs=0.1)
    classes = dict(csv.reader(io.StringIO(ui.get("/reports/settlements-by-readiness.csv").text)))
    assert (
        classes["blocked"] == "1"
        and sum(int(v) for k, v in classes.items() if k != "readiness_class") == 2
    )


def test_reports_need_a_login(anon) -> None:
    assert anon.get("/reports", follow_redirects=False).status_code == 303
    assert anon.get("/reports/land-released.csv", follow_redirects=False).status_code == 303


def test_chart_geometry() -> None:
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(930) == [0, 200, 400, 600, 800, 1000]
    chart = stacked_columns(["a", "b"], [("x", "#000", [1.0, 0.0]), ("y", "#111", [2.0, 4.0])])
    assert len(chart.bars) == 3  # zero values draw nothing
    first = [b for b in chart.bars if b.title.startswith("a ")]
    assert first[0].y + first[0].height == pytest.approx(chart.top + chart.plot_height)
    assert first[1].y + first[1].height == pytest.approx(first[0].y)  # stacked on top
    tallest = max(b.y + b.height - min(c.y for c in chart.bars) for b in chart.bars)
    assert tallest <= chart.plot_height + 1e-9
    many = stacked_columns([f"m{i}" for i in range(48)], [("x", "#000", [1.0] * 48)])
    assert len(many.labels) <= 12
    horizontal = bars([("one", 3, "#000"), ("two", 0, "#111")])
    assert len(horizontal.bars) == 1 and len(horizontal.labels) == 2  # a zero draws no bar
    assert horizontal.bars[0].width == pytest.approx(
        horizontal.plot_width * 3 / nice_ticks(3, 4)[-1]
    )
