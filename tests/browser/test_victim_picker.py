"""Adding an accident victim in Chromium: the name typed in Cyrillic finds the person registered
in Latin script, Choose links them without a page load, Save records the link; the Arabic page
lays the picker out right to left; the reports page's month boxes show the period charted.

Set WAYHOME_SCREENSHOTS to a directory to keep a screenshot of each page.
"""

from __future__ import annotations

from tests.browser.pages import login, shot
from tests.services.test_contamination import hazard_data, rect, release_data
from wayhome.core.vocab import Role
from wayhome.services import contamination, persons
from wayhome.services.contamination_inputs import AccidentInput
from wayhome.services.inputs import PersonInput, parse_input


def test_add_a_victim_through_the_person_picker(
    live_server, browser_page, wayhome, make, tmp_path
) -> None:
    registrar = make.actor(Role.REGISTRAR)
    person = persons.register_person(
        wayhome,
        registrar,
        parse_input(PersonInput, {"names": [{"family_name": "Məmmədov", "given_name": "Əli"}]}),
    )
    hidden = persons.register_person(
        wayhome,
        make.actor(Role.REGISTRAR, "ORG2"),
        parse_input(PersonInput, {"names": [{"family_name": "Məmmədov", "given_name": "Elçin"}]}),
    )
    accident = contamination.record_accident(
        wayhome,
        make.actor(Role.ANALYST),
        parse_input(AccidentInput, {"accident_date": "2024-06-02", "injured": 1, "killed": 0}),
    )
    page = browser_page
    login(page, live_server, make.user(Role.ANALYST).username)

    page.goto(f"{live_server}/accidents/{accident.id}/victims/new")
    page.fill("input[name=person_q]", "Мамедов Али")  # Cyrillic: found across scripts
    choose = page.locator(f'button[name=choose_person][value="{person.id}"]')
    choose.wait_for()
    assert page.locator(f'button[value="{hidden.id}"]').count() == 0  # another organisation's
    shot(page, tmp_path, "victim-picker-en")
    url = page.url
    choose.click()
    page.wait_for_selector(
        f'#victim-person input[name=person_id][value="{person.id}"]', state="attached"
    )
    assert page.url == url  # chosen in place (htmx), the form is not reloaded
    assert "Məmmədov Əli" in page.locator("#victim-person").inner_text()
    page.select_option("select[name=age_group]", "adult")
    page.fill("input[name=source]", "clinic register")
    page.locator("p.actions button.primary").click()
    page.wait_for_url(f"{live_server}/accidents/{accident.id}#victims")
    assert page.locator("#victims a", has_text="Məmmədov Əli").count() == 1
    (victim,) = contamination.list_victims(wayhome, make.actor(Role.ADMIN), accident.id)
    assert (victim.person_id, victim.age_group, victim.source) == (
        person.id,
        "adult",
        "clinic register",
    )

    page.goto(f"{live_server}/accidents/{accident.id}/victims/new?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=person_q]", "Məmməd")
    # the one person matching is already a victim of this accident: not offered again
    page.locator("#victim-person-list p.none").wait_for()
    assert page.locator("#victim-person-list button[name=choose_person]").count() == 0
    box = page.locator("fieldset.person-picker").bounding_box()
    legend = page.locator("fieldset.person-picker legend").bounding_box()
    assert box and legend and legend["x"] + legend["width"] > box["x"] + box["width"] * 0.7
    shot(page, tmp_path, "victim-picker-ar")


def test_report_month_boxes_show_the_period_charted(
    live_server, browser_page, wayhome, make, tmp_path
) -> None:
    analyst = make.actor(Role.ANALYST)
    hazard = contamination.create_hazard_area(wayhome, analyst, hazard_data())
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cancelled", rect(0, 0, 150, 300), "2024-02-03")
    )
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", rect(150, 0, 250, 300), "2024-04-01")
    )
    page = browser_page
    login(page, live_server, make.user(Role.ANALYST).username)
    for lang in ("en", "ar"):
        page.goto(f"{live_server}/reports?lang={lang}")
        assert page.input_value("input[name=since]") == "2024-02"
        assert page.input_value("input[name=until]") == "2024-04"
        show = page.locator("form.period button[type=submit]").bounding_box()
        csv = page.locator("form.period a.button").bounding_box()
        assert show and csv and abs(show["y"] - csv["y"]) < 2  # on one line, same height
        # the value labels end left of the plot in both directions (the chart is drawn LTR)
        chart = page.locator("svg.chart").first
        line = chart.locator(".grid line").first.bounding_box()
        for label in chart.locator(".grid text").all():
            box = label.bounding_box()
            assert line and box and box["x"] + box["width"] <= line["x"] + 1, lang
        shot(page, tmp_path, f"reports-{lang}")
