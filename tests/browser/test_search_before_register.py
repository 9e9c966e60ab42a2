"""Search before register in a browser: typing a cross-script variant proposes the existing record."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PASSWORD
from wayhome.core.vocab import Role
from wayhome.services import persons
from wayhome.services.accounts import actor_for
from wayhome.services.inputs import PersonInput, parse_input

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("WAYHOME_SCREENSHOTS")  # a directory to keep the screenshots in


def _login(page, live_server, user, lang=None):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/login" + (f"?lang={lang}" if lang else ""))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_typing_a_cross_script_variant_proposes_the_existing_record(
    live_server, browser_page, make, wayhome, tmp_path, lang
):
    user = make.user(Role.REGISTRAR, username="registrar")
    existing = persons.register_person(
        wayhome,
        actor_for(user),
        parse_input(
            PersonInput,
            {
                "names": [
                    {"family_name": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu"}
                ],
                "sex": "M",
                "birth_date": "1980-05-02",
                "birth_place_text": "Şəki",
            },
        ),
    )
    page = browser_page
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server) else outside.append(request.url)
        ),
    )
    _login(page, live_server, user, lang)
    page.goto(f"{live_server}/persons/new?lang={lang}")
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("#similar .similar-item").count() == 0

    # typed as a registrar does, key by key: "Мамедов Али"
    page.locator("input[name='names.0.family_name']").press_sequentially("Мамедов", delay=30)
    page.locator("input[name='names.0.given_name']").press_sequentially("Али", delay=30)
    link = page.locator(f"#similar a[href='/persons/{existing.id}']")
    link.wait_for(timeout=10_000)
    assert "Məmmədov Əli Həsən oğlu" in link.inner_text()
    item = page.locator("#similar .similar-item").first
    assert "Latn" in item.inner_text() and "1980-05-02" in item.inner_text()

    page.locator("input[name=birth_date]").press_sequentially("1980", delay=30)
    with page.expect_response(lambda r: r.url.endswith("/persons/similar")):
        page.keyboard.press("Tab")  # leaving the field: the panel settles
    page.wait_for_function(
        "document.querySelector('#similar .similar-probability').innerText.includes('0.9')"
    )
    item.locator("summary").click()
    why = item.locator(".similar-why").inner_text(timeout=5000)
    assert why.count("\n") >= 5  # one line per field
    shot = os.path.join(SHOTS or str(tmp_path), f"search-before-register-{lang}.png")
    page.screenshot(path=shot, full_page=True)

    with page.expect_popup() as popup:
        link.click()
    popup.value.wait_for_selector("h1:has-text('Məmmədov Əli')")
    assert outside == []


def test_a_second_name_row_in_another_script_finds_the_person(
    live_server, browser_page, make, wayhome
):
    """Registered under her maiden name in Latin script; the registrar types the married name
    first, then the maiden name in Cyrillic in a second name row."""
    user = make.user(Role.REGISTRAR, username="registrar")
    existing = persons.register_person(
        wayhome,
        actor_for(user),
        parse_input(
            PersonInput,
            {
                "names": [
                    {"family_name": "Həsənova", "given_name": "Leyla", "patronymic": "Rauf qızı"}
                ],
                "sex": "F",
                "birth_date": "1980-05-02",
            },
        ),
    )
    page = browser_page
    _login(page, live_server, user)
    page.goto(f"{live_server}/persons/new")
    page.locator("input[name='names.0.family_name']").press_sequentially("Quliyeva", delay=20)
    page.locator("input[name='names.0.given_name']").press_sequentially("Leyla", delay=20)
    with page.expect_response(lambda r: r.url.endswith("/persons/similar")):
        page.locator("input[name=birth_date]").fill("1980")
    page.wait_for_timeout(600)  # let a late panel settle before checking its absence
    link = page.locator(f"#similar a[href='/persons/{existing.id}']")
    assert link.count() == 0 or "possibly" in page.locator("#similar").inner_text()

    page.get_by_role("button", name="Add another name").click()
    second = page.locator("input[name='names.1.family_name']")
    second.wait_for()
    second.press_sequentially("Гасанова", delay=30)
    page.locator("input[name='names.1.given_name']").press_sequentially("Лейла", delay=30)
    page.wait_for_function(
        "(document.querySelector('#similar') || {}).innerText"
        "?.includes('Closest to the name typed: Гасанова Лейла')",
        timeout=10_000,
    )
    item = page.locator("#similar .similar-item").first
    assert item.locator(f"a[href='/persons/{existing.id}']").count() == 1
    probability = float(item.inner_text().split("match probability ")[1].split(")")[0])
    assert probability > 0.9
