"""The browser journey of a registrar: log in, register a person in Cyrillic, find them, open history."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from wayhome.core.vocab import Role

pytestmark = pytest.mark.browser


def test_register_find_and_open_history(live_server, browser_page, make, tmp_path):
    user = make.user(Role.REGISTRAR, username="registrar")
    page = browser_page
    outside: list[str] = []  # the UI must work with no internet: nothing may leave the machine
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server) else outside.append(request.url)
        ),
    )

    page.goto(f"{live_server}/persons")
    assert "/login" in page.url
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/persons")

    page.click("text=Register a person")
    page.fill("input[name='names.0.family_name']", "Мамедов")
    page.fill("input[name='names.0.given_name']", "Али")
    page.fill("input[name='names.0.patronymic']", "Гасанович")
    page.select_option("select[name=sex]", "M")
    page.fill("input[name=birth_date]", "1957")
    page.fill("input[name=source]", "Synthetic test interview")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Мамедов Али Гасанович')")
    assert page.locator("text=Cyrl").count() >= 1
    page.screenshot(path=str(tmp_path / "person.png"), full_page=True)

    page.click("nav >> text=Persons")
    page.fill("input[name=q]", "мамедов")
    # htmx replaces the results while typing; wait for our person's row.
    page.wait_for_selector("#results a:has-text('Мамедов Али Гасанович')")
    page.click("#results a:has-text('Мамедов Али Гасанович')")
    page.click("text=History")
    page.wait_for_selector("text=Version 1")
    assert page.locator("ol.history td.after:has-text('1957')").count() >= 1
    assert "Мамедов" in page.content()
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)

    with page.expect_response(lambda r: "countries-50m.geojson" in r.url) as basemap:
        page.click("nav >> text=Map")
    assert basemap.value.ok  # the offline basemap comes from this server
    page.wait_for_selector(".leaflet-basemap-pane canvas")
    assert outside == []
