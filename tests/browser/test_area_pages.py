"""A hazard area page and a heritage site page in Chromium: the maps draw, Arabic mirrors.

Set WAYHOME_SCREENSHOTS to a directory to keep a screenshot of each page.
"""

from __future__ import annotations

from tests.browser.pages import login, shot
from tests.services.test_contamination import hazard_data, rect, release_data
from tests.web.test_api_heritage import site_body
from wayhome.core.vocab import Role
from wayhome.services import contamination, heritage
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.services.inputs import parse_input


def test_hazard_and_site_pages_draw_their_maps(
    live_server, browser_page, wayhome, make, tmp_path
) -> None:
    analyst = make.actor(Role.ANALYST)
    hazard = contamination.create_hazard_area(
        wayhome,
        analyst,
        hazard_data(evidence=[{"evidence_type": "device_found", "device_category": "ap_mine"}]),
    )
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cancelled", rect(0, 0, 150, 300))
    )
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", rect(150, 0, 250, 300), "2024-04-01")
    )
    site = heritage.create_site(wayhome, analyst, parse_input(HeritageSiteInput, site_body()))
    for observed, condition in (("2018", "good"), ("2020-06", "fair"), ("2023-09-01", "poor")):
        heritage.add_assessment(
            wayhome,
            analyst,
            site["id"],
            parse_input(
                HeritageAssessmentInput,
                {
                    "observed_on": observed,
                    "method": "satellite_imagery",
                    "overall_condition": condition,
                },
            ),
        )
    user = make.user(Role.ANALYST)
    page = browser_page
    login(page, live_server, user.username)

    page.goto(f"{live_server}/hazard-areas/{hazard.id}")
    page.wait_for_selector(".area-map[data-ready='4']")  # hazard, 2 releases, remaining land
    assert page.locator(".area-map path.leaflet-interactive").count() >= 4
    shot(page, tmp_path, "hazard-en")

    page.goto(f"{live_server}/hazard-areas/{hazard.id}?lang=ar")
    page.wait_for_selector(".area-map[data-ready='4']")
    assert page.locator("html").get_attribute("dir") == "rtl"
    zoom = page.locator(".area-map .leaflet-control-zoom").bounding_box()
    box = page.locator(".area-map").bounding_box()
    assert zoom and box and zoom["x"] > box["x"] + box["width"] / 2  # controls mirrored
    shot(page, tmp_path, "hazard-ar")

    page.goto(f"{live_server}/heritage-sites/{site['id']}?lang=ru")
    page.wait_for_selector(".area-map[data-ready='2']")  # outline and point
    assert page.locator(".timeline .tick").count() == 3
    shot(page, tmp_path, "site-ru")

    page.goto(f"{live_server}/hazard-areas/{hazard.id}/edit")
    page.wait_for_selector(".area-map.preview[data-ready='1']")
    shot(page, tmp_path, "hazard-form")
    page.fill("#geojson-geometry", '{"type": "Polygon"')
    page.wait_for_selector(".area-map.preview[data-ready='0']")
    assert page.locator(".preview-note").inner_text().strip()
