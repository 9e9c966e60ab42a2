"""The map in a browser: three thematic layers, a toggle, a popup, then a settlement's readiness."""

from __future__ import annotations

import math

import pytest

from tests.conftest import PASSWORD
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import contamination, heritage
from wayhome.services.contamination_inputs import HazardAreaInput
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput

pytestmark = pytest.mark.browser
LON, LAT = 45.0, 40.0
SHOTS = "/tmp/wayhome-map"


def _circle(lon: float, lat: float, radius: float) -> dict:
    ring = [
        [lon + radius * math.cos(k * math.pi / 16), lat + radius * math.sin(k * math.pi / 16)]
        for k in range(32)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _world(wayhome, make) -> dict[str, str]:
    admin = make.actor(Role.ADMIN)
    country = make.place("DM", PlaceType.COUNTRY, name="Demoland", lat=LAT, lon=LON)
    blocked = make.place("DM-B", PlaceType.SETTLEMENT, country.id, "Minedale", LAT, LON)
    free = make.place("DM-F", PlaceType.SETTLEMENT, country.id, "Clearwater", LAT, LON + 0.05)
    make.place("DM-C", PlaceType.CAMP, free.id, "Hilltop camp", LAT + 0.02, LON + 0.03)
    contamination.create_hazard_area(
        wayhome,
        admin,
        HazardAreaInput.model_validate(
            {
                "local_id": "HA-0007",
                "name": "Orchard above Minedale",
                "hazard_type": "cha",
                "geometry": _circle(LON, LAT, 0.01),
            }
        ),
    )
    site = heritage.create_site(
        wayhome,
        admin,
        HeritageSiteInput.model_validate(
            {"type": "church", "names": [{"name": "Old church"}], "lat": LAT - 0.02, "lon": LON}
        ),
    )
    heritage.add_assessment(
        wayhome,
        admin,
        site["id"],
        HeritageAssessmentInput.model_validate(
            {"observed_on": "2023", "method": "field_visit", "overall_condition": "poor"}
        ),
    )
    return {"blocked": blocked.id, "free": free.id}


def _pixel(page, lat: float, lon: float) -> tuple[float, float]:
    """Where a point of the map is on the page, to click what is drawn there."""
    box = page.locator("#map").bounding_box()
    x, y = page.evaluate(
        "([lat, lon]) => { const p = document.getElementById('map').wayhomeMap"
        ".latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    return box["x"] + x, box["y"] + y


def test_map_layers_toggle_popup_and_readiness(live_server, browser_page, wayhome, make):
    ids = _world(wayhome, make)
    user = make.user(Role.VIEWER, username="viewer")
    page = browser_page
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server) else outside.append(r.url),
    )
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/")

    page.goto(f"{live_server}/map?lat={LAT}&lon={LON + 0.02}&zoom=12")
    page.wait_for_selector("#map[data-layer-settlements='2']")
    page.wait_for_selector("#map[data-layer-hazards='1']")
    page.wait_for_selector("#map[data-layer-heritage='1']")
    control = page.locator(".leaflet-control-layers-overlays")
    for title in (
        "Settlements by readiness",
        "Hazard areas by status",
        "Heritage sites by condition",
    ):
        assert control.locator(f"text={title}").count() == 1, title
    legend = page.locator(".map-layers-legend")
    assert "Blocked by hazard areas" in legend.inner_text()
    page.screenshot(path=f"{SHOTS}-layers.png")

    # the places below the thematic layers stay clickable (a camp, drawn by map.js)
    page.wait_for_selector("#map[data-places-loaded]")
    x, y = _pixel(page, LAT + 0.02, LON + 0.03)
    page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content:has-text('Hilltop camp')")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")

    # toggle the heritage layer off: its legend goes, the others stay
    page.locator("label", has_text="Heritage sites by condition").locator("input").uncheck()
    page.wait_for_function(
        "() => !document.querySelector('.map-layers-legend [data-layer=heritage]')"
    )
    assert page.locator(".map-layers-legend [data-layer=settlements]").count() == 1

    # click inside the hazard area, away from the settlement: its status and a link to it
    x, y = _pixel(page, LAT - 0.007, LON)
    page.mouse.click(x, y)
    hazard = page.locator(".layer-popup[data-layer=hazards]")
    hazard.wait_for()
    assert "Orchard above Minedale" in hazard.inner_text() and "HA-0007" in hazard.inner_text()
    assert hazard.locator("a[href^='/hazard-areas/']").count() == 1
    page.locator(".leaflet-popup-close-button").click()  # the popup would cover the town
    hazard.wait_for(state="detached")

    # click the blocked settlement: a popup with its class and a link
    x, y = _pixel(page, LAT, LON)
    page.mouse.click(x, y)
    popup = page.locator(".layer-popup[data-layer=settlements]")
    popup.wait_for()
    assert "Minedale" in popup.inner_text()
    assert "Blocked by hazard areas" in popup.inner_text()
    page.wait_for_timeout(400)  # the popup fades in
    page.screenshot(path=f"{SHOTS}-popup.png")
    with page.expect_navigation():
        popup.locator("a", has_text="Readiness breakdown").click()
    assert page.url == f"{live_server}/places/{ids['blocked']}/readiness"

    # the breakdown: one row per indicator, and the hazard that blocks the settlement by name
    page.wait_for_selector("table")
    text = page.locator("main").inner_text()
    for indicator in ("Safety from explosive ordnance", "Housing", "Basic services"):
        assert indicator in text, indicator
    assert "Orchard above Minedale" in text
    page.screenshot(path=f"{SHOTS}-readiness.png", full_page=True)
    assert outside == []
