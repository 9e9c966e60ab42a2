"""The browser journey of a registrar through the duplicates queue: find, compare, merge, undo."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PASSWORD
from tests.services.test_duplicates import population, register
from wayhome.core.vocab import Role
from wayhome.services.accounts import actor_for

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("WAYHOME_SCREENSHOTS")  # a directory to keep the screenshots in


def test_review_a_cross_script_duplicate(live_server, browser_page, make, wayhome, tmp_path):
    user = make.user(Role.REGISTRAR, username="registrar")
    actor = actor_for(user)
    population(wayhome, actor)
    first = register(
        wayhome, actor, "Мамедов", "Али", "Гасанович", sex="M", birth_date="1957-03-12"
    )
    second = register(
        wayhome,
        actor,
        "Məmmədov",
        "Əli",
        "Həsən oğlu",
        sex="M",
        birth_date="1957",
        names=[{"kind": "alias", "family_name": "MAMEDOV", "given_name": "ALI"}],
    )
    shots = SHOTS or str(tmp_path)
    page = browser_page
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server) else outside.append(request.url)
        ),
    )
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/")

    page.click("nav >> text=Duplicates")
    page.click("button:has-text('Find duplicates')")
    page.wait_for_selector("a:has-text('Compare')")
    page.screenshot(path=f"{shots}/duplicates-queue.png", full_page=True)
    page.click("a:has-text('Compare')")
    page.wait_for_selector("h1:has-text('Compare two records')")
    assert page.locator(".dup-bar .fill.plus").count() >= 3
    page.screenshot(path=f"{shots}/duplicates-compare.png", full_page=True)

    page.click("button:has-text('Same person — merge')")
    page.wait_for_selector("text=Merged.")
    page.click(f"a[href='/persons/{second.id}']")
    # the banner comes from the duplicates panel, loaded by htmx with the kept person's name
    page.wait_for_selector(f"#merges a[href='/persons/{first.id}']:has-text('Мамедов')")
    page.screenshot(path=f"{shots}/duplicates-merged-person.png", full_page=True)
    page.click(f"#merges a[href='/persons/{first.id}']")
    page.wait_for_selector("#merges h2:has-text('Also recorded as')")
    page.goto(f"{live_server}/duplicates?status=merged")
    page.click("a:has-text('Compare')")
    page.click("button:has-text('Undo merge')")
    page.wait_for_selector("text=The merge was undone")

    page.goto(f"{live_server}/duplicates?status=pending&lang=ar")
    assert page.locator("html[dir=rtl]").count() == 1
    page.click("a.button")
    page.wait_for_selector(".dup-bar")
    page.screenshot(path=f"{shots}/duplicates-compare-ar.png", full_page=True)
    assert outside == []
