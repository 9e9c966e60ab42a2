"""Pages of hazard areas, land release, activities, devices, accidents and victims."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.services.test_contamination import BAD_GEOMETRIES, hazard_data, rect, release_data
from wayhome.core.vocab import Role
from wayhome.services import contamination, persons
from wayhome.services.contamination_inputs import AccidentInput, ActivityInput
from wayhome.services.inputs import PersonInput, parse_input

EDITORS = (Role.ADMIN, Role.ANALYST)
READERS = (Role.REGISTRAR, Role.CASEWORKER, Role.VIEWER)


def _id(location: str, prefix: str) -> str:
    match = re.fullmatch(rf"{prefix}/([0-9a-f-]+)(#\w+)?", location)
    assert match, location
    return match.group(1)


def _error_at(page: str, name: str) -> str:
    """The message shown at a form field (the macros put it in err-<name>)."""
    match = re.search(rf'id="err-{re.escape(name.replace(".", "-"))}">([^<]*)<', page)
    assert match, f"no error shown at {name}"
    return html.unescape(match.group(1))


def _version(ui, hazard_id: str) -> str:
    """The version the close form carries, as a user would send it back."""
    form = ui.get(f"/hazard-areas/{hazard_id}/close").text
    return re.search(r'name="version" value="(\d+)"', form).group(1)


@pytest.fixture
def analyst(make):
    return make.actor(Role.ANALYST)


@pytest.fixture
def hazard(wayhome, analyst):
    return contamination.create_hazard_area(
        wayhome,
        analyst,
        hazard_data(
            "HA-7", evidence=[{"evidence_type": "device_found", "device_category": "ap_mine"}]
        ),
    )


def _hazard_form(**changes) -> dict[str, object]:
    form: dict[str, object] = {
        "local_id": "ha-0042",
        "name": "Поле за школой",
        "hazard_type": "cha",
        "geometry": json.dumps(rect(0, 0, 200, 100)),
        "evidence.0.evidence_type": "informant",
        "evidence.0.description": "shepherd saw a tripwire",
        "evidence.1.evidence_type": "",
        "evidence.1.device_category": "",
        "expected_beneficiaries": "120",
        "source": "NTS form 3",
    }
    form.update(changes)
    return form


# --- list and detail -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*EDITORS, *READERS])
def test_every_role_sees_the_list_and_the_page_and_only_editors_get_buttons(
    role, login, wayhome, analyst, hazard
):
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cancelled", rect(0, 0, 100, 300))
    )
    ui = login(role)
    listing = ui.get("/hazard-areas")
    assert listing.status_code == 200
    assert "HA-7" in listing.text and "Orchard north of the school" in listing.text
    page = ui.get(f"/hazard-areas/{hazard.id}")
    assert page.status_code == 200
    assert "Suspected hazardous area (SHA)" in page.text  # the label, not the code "sha"
    assert "Anti-personnel mine" in page.text and "Device seen or found" in page.text
    editing = role in EDITORS
    assert (f"/hazard-areas/{hazard.id}/edit" in page.text) is editing
    assert (f"/hazard-areas/{hazard.id}/releases/new" in page.text) is editing
    assert (f"/hazard-areas/{hazard.id}/activities/new" in page.text) is editing
    assert (f"/hazard-areas/{hazard.id}/devices/new" in page.text) is editing
    assert ("/hazard-areas/new" in listing.text) is editing
    assert f"/hazard-areas/{hazard.id}/history" in page.text
    assert ("/accidents/new" in page.text) is editing  # accident.edit: the same roles


def test_the_ledger_adds_up_and_the_map_has_every_part(login, wayhome, analyst, hazard):
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cancelled", rect(0, 0, 100, 300))
    )
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", rect(100, 0, 200, 300), "2024-04-01")
    )
    ui = login(Role.VIEWER)
    page = ui.get(f"/hazard-areas/{hazard.id}").text
    ledger = contamination.ledger_summary(contamination.ledger(wayhome, analyst, hazard.id))
    for key in ("original_m2", "remaining_m2", "cancelled_m2", "cleared_m2"):
        assert f"{ledger[key]:,.0f} m²" in page
    assert ledger["original_m2"] == pytest.approx(
        ledger["remaining_m2"]
        + ledger["cancelled_m2"]
        + ledger["reduced_m2"]
        + ledger["cleared_m2"]
    )
    layers = json.loads(html.unescape(re.search(r"data-layers='([^']*)'", page).group(1)))
    assert [layer["kind"] for layer in layers] == ["hazard", "cancelled", "cleared", "remaining"]
    assert layers[0]["geometry"]["type"] == "Polygon"
    assert "Cancelled (non-technical survey)" in page and "Cleared" in page


def test_list_filters_by_status_type_and_text_and_pages(login, wayhome, analyst):
    for i in range(3):
        contamination.create_hazard_area(
            wayhome, analyst, hazard_data(f"HA-{i}", rect(1000 * i, 0, 1000 * i + 50, 50))
        )
    contamination.create_hazard_area(
        wayhome, analyst, hazard_data("CH-9", rect(5000, 0, 5050, 50), hazard_type="cha")
    )
    ui = login(Role.VIEWER)
    by_type = ui.get("/hazard-areas", params={"hazard_type": "cha"}).text
    assert "CH-9" in by_type and "HA-1" not in by_type
    by_text = ui.get("/hazard-areas", params={"q": "ha-2"}).text
    assert "HA-2" in by_text and "HA-1" not in by_text
    closed = ui.get("/hazard-areas", params={"status": "closed"}).text
    assert "No hazard areas match." in closed
    partial = ui.get(
        "/hazard-areas",
        params={"status": "open"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert "<html" not in partial.text and "CH-9" in partial.text
    wayhome.settings.page_size = 2
    first = ui.get("/hazard-areas").text
    assert "4 records" in first and "page 1 of 2" in first and 'rel="next"' in first


# --- create, edit ----------------------------------------------------------------------------


def test_an_analyst_creates_and_edits_a_hazard_area(login, wayhome, make):
    place = make.place("UA-KH", lat=49.95, lon=36.25)
    ui = login(Role.ANALYST)
    form = ui.get("/hazard-areas/new")
    assert form.status_code == 200 and 'name="geometry"' in form.text
    r = ui.post_form("/hazard-areas/new", _hazard_form(place_id=place.id), follow_redirects=False)
    assert r.status_code == 303, r.text
    hazard_id = _id(r.headers["location"], "/hazard-areas")
    stored = contamination.get_hazard_area(wayhome, make.actor(Role.VIEWER), hazard_id)
    assert stored.local_id == "HA-0042" and stored.hazard_type == "cha"
    assert stored.place_id == place.id and stored.expected_beneficiaries == 120
    assert [e["evidence_type"] for e in stored.evidence] == ["informant"]  # blank row dropped
    assert stored.original_area_m2 == pytest.approx(20_000, rel=3e-3)

    edit = ui.get(f"/hazard-areas/{hazard_id}/edit")
    assert edit.status_code == 200 and "shepherd saw a tripwire" in edit.text
    r = ui.post_form(
        f"/hazard-areas/{hazard_id}/edit",
        _hazard_form(name="Renamed field", version="1", place_id=place.id),
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    stored = contamination.get_hazard_area(wayhome, make.actor(Role.VIEWER), hazard_id)
    assert stored.name == "Renamed field" and stored.version == 2
    stale = ui.post_form(f"/hazard-areas/{hazard_id}/edit", _hazard_form(name="Again", version="1"))
    assert stale.status_code == 409
    assert "changed by someone else" in _error_at(stale.text, "version")


@pytest.mark.parametrize("name", BAD_GEOMETRIES)
def test_geometry_rejections_are_shown_at_the_field(login, name):
    geometry, reason = BAD_GEOMETRIES[name]
    ui = login(Role.ANALYST)
    r = ui.post_form("/hazard-areas/new", _hazard_form(geometry=json.dumps(geometry)))
    assert r.status_code == 422
    assert reason in _error_at(r.text, "geometry")


def test_bad_json_and_other_field_errors_are_shown_together(login):
    ui = login(Role.ANALYST)
    r = ui.post_form(
        "/hazard-areas/new",
        _hazard_form(
            geometry='{"type": "Polygon",', local_id="bad id!", **{"evidence.0.lat": "95"}
        ),
    )
    assert r.status_code == 422
    assert "is not valid GeoJSON (line 1, column" in _error_at(r.text, "geometry")
    assert "use letters A–Z" in _error_at(r.text, "local_id")
    assert _error_at(r.text, "evidence.0.lat")
    assert 'value="BAD ID!"' in r.text or 'value="bad id!"' in r.text  # the input is kept
    missing = ui.post_form("/hazard-areas/new", _hazard_form(geometry=""))
    assert missing.status_code == 422 and _error_at(missing.text, "geometry")


@pytest.mark.parametrize("role", READERS)
def test_roles_that_may_not_edit_get_403_on_every_form_and_post(role, login, hazard):
    ui = login(role)
    for url in (
        "/hazard-areas/new",
        f"/hazard-areas/{hazard.id}/edit",
        f"/hazard-areas/{hazard.id}/close",
        f"/hazard-areas/{hazard.id}/releases/new",
        f"/hazard-areas/{hazard.id}/activities/new",
        f"/hazard-areas/{hazard.id}/devices/new",
    ):
        assert ui.get(url).status_code == 403, url
        assert ui.post_form(url, _hazard_form()).status_code == 403, url


def test_unknown_hazard_is_404(login):
    ui = login(Role.ANALYST)
    assert ui.get("/hazard-areas/0190c0de-0000-7000-8000-000000000000").status_code == 404
    assert ui.get("/hazard-areas/0190c0de-0000-7000-8000-000000000000/edit").status_code == 404


# --- release, activity, device, close --------------------------------------------------------


def test_record_activity_release_device_then_close(login, wayhome, analyst, hazard):
    ui = login(Role.ANALYST)
    r = ui.post_form(
        f"/hazard-areas/{hazard.id}/activities/new",
        {
            "activity_type": "nts",
            "organisation_name": "HALO Trust",
            "method": "",
            "start_date": "2024-02",
            "status": "completed",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    [activity] = contamination.list_activities(wayhome, analyst, hazard.id)
    assert activity.organisation_name == "HALO Trust" and activity.start_date == "2024-02"

    wrong = ui.post_form(
        f"/hazard-areas/{hazard.id}/releases/new",
        {
            "release_kind": "cleared",
            "release_date": "2024-03-01",
            "activity_id": activity.id,
            "geometry": json.dumps(rect(0, 0, 400, 300)),
        },
    )
    assert wrong.status_code == 422  # a non-technical survey cannot clear land
    message = _error_at(wrong.text, "release_kind")
    assert "battle area clearance" in message and "non-technical survey" in message
    outside = ui.post_form(
        f"/hazard-areas/{hazard.id}/releases/new",
        {
            "release_kind": "cancelled",
            "release_date": "2024-03-01",
            "geometry": json.dumps(rect(5000, 5000, 5100, 5100)),
        },
    )
    assert outside.status_code == 422
    assert "outside the hazard area" in _error_at(outside.text, "geometry")
    r = ui.post_form(
        f"/hazard-areas/{hazard.id}/releases/new",
        {
            "release_kind": "cancelled",
            "release_date": "2024-03-01",
            "activity_id": activity.id,
            "geometry": json.dumps(rect(0, 0, 400, 300)),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert contamination.get_hazard_area(wayhome, analyst, hazard.id).remaining_area_m2 < 1

    r = ui.post_form(
        f"/hazard-areas/{hazard.id}/devices/new",
        {"device_category": "at_mine", "device_type": "TM-62", "quantity": "2", "depth_cm": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    [device] = contamination.list_devices(wayhome, analyst, hazard.id)
    assert (device.device_type, device.quantity) == ("TM-62", 2)
    bad = ui.post_form(
        f"/hazard-areas/{hazard.id}/devices/new", {"device_category": "at_mine", "quantity": "0"}
    )
    assert bad.status_code == 422 and _error_at(bad.text, "quantity")

    page = ui.get(f"/hazard-areas/{hazard.id}").text
    assert "HALO Trust" in page and "TM-62" in page and "Anti-vehicle mine" in page
    assert f"/hazard-areas/{hazard.id}/close" in page  # wholly released: it may be closed
    r = ui.post_form(
        f"/hazard-areas/{hazard.id}/close",
        {"status": "handed_over", "status_date": "2024-05-01", "version": _version(ui, hazard.id)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    closed = contamination.get_hazard_area(wayhome, analyst, hazard.id)
    assert closed.status == "handed_over" and closed.status_date == "2024-05-01"


def test_closing_an_area_with_land_left_shows_why(login, hazard):
    ui = login(Role.ANALYST)
    r = ui.post_form(f"/hazard-areas/{hazard.id}/close", {"status": "closed", "version": "1"})
    assert r.status_code == 422
    assert "m²" in r.text and 'role="alert"' in r.text


# --- history ---------------------------------------------------------------------------------


def test_history_shows_labels_and_names_not_codes(login, wayhome, analyst, hazard, make):
    place = make.place("UA-HIST", name="Chuhuiv")
    data = hazard_data(
        "HA-7",
        status="open",
        place_id=place.id,
        evidence=[{"evidence_type": "marking"}],
        hazard_type="cha",
        version=1,
    )
    contamination.update_hazard_area(wayhome, analyst, hazard.id, data)
    activity = contamination.record_activity(
        wayhome,
        analyst,
        hazard.id,
        parse_input(ActivityInput, {"activity_type": "ts", "organisation_name": "FSD"}),
    )
    contamination.update_activity(
        wayhome,
        analyst,
        activity.id,
        parse_input(
            ActivityInput,
            {"activity_type": "ts", "organisation_name": "FSD", "status": "cancelled"},
        ),
    )
    ui = login(Role.VIEWER)
    page = ui.get(f"/hazard-areas/{hazard.id}/history")
    assert page.status_code == 200
    text = page.text
    assert "Confirmed hazardous area (CHA)" in text and "Suspected hazardous area (SHA)" in text
    assert "Warning signs or markings" in text and "Chuhuiv (UA-HIST)" in text
    assert "Hazard type" in text and "outline of 5 points" in text
    activity_page = ui.get(f"/mine-action-activities/{activity.id}/history").text
    assert "Called off" in activity_page  # an activity's "cancelled", not land's
    assert "Cancelled (non-technical survey)" not in activity_page
    ru = ui.get(f"/hazard-areas/{hazard.id}/history", params={"lang": "ru"})
    assert ru.status_code == 200 and 'lang="ru"' in ru.text


# --- accidents and victims -------------------------------------------------------------------


@pytest.fixture
def accident(wayhome, analyst, hazard):
    return contamination.record_accident(
        wayhome,
        analyst,
        parse_input(
            AccidentInput,
            {
                "accident_date": "2024-06-02",
                "hazard_area_id": hazard.id,
                "activity": "herding",
                "injured": 1,
                "killed": 1,
            },
        ),
    )


def test_accident_pages_by_role(login, accident):
    for role in (Role.ADMIN, Role.ANALYST, Role.REGISTRAR, Role.CASEWORKER):
        ui = login(role)
        listing = ui.get("/accidents")
        assert listing.status_code == 200 and "2024-06-02" in listing.text
        assert "Herding animals" in listing.text and "HA-7" in listing.text
        page = ui.get(f"/accidents/{accident.id}")
        assert page.status_code == 200 and "Herding animals" in page.text
        editing = role in EDITORS
        assert (f"/accidents/{accident.id}/edit" in page.text) is editing
        assert (f"/accidents/{accident.id}/victims/new" in page.text) is editing
    viewer = login(Role.VIEWER)
    assert viewer.get("/accidents").status_code == 403
    assert viewer.get(f"/accidents/{accident.id}").status_code == 403
    for role in READERS:
        ui = login(role)
        assert ui.get("/accidents/new").status_code == 403
        assert ui.post_form("/accidents/new", {"activity": "unknown"}).status_code == 403
        assert (
            ui.post_form(f"/accidents/{accident.id}/victims/new", {"outcome": "killed"}).status_code
            == 403
        )


def test_create_and_edit_an_accident_with_errors_at_fields(login, wayhome, analyst, hazard):
    ui = login(Role.ANALYST)
    form = ui.get(f"/accidents/new?hazard_area_id={hazard.id}")
    assert form.status_code == 200 and f'value="{hazard.id}" selected' in form.text
    bad = ui.post_form(
        "/accidents/new", {"accident_date": "2024-13", "lat": "50.0", "activity": "farming"}
    )
    assert bad.status_code == 422
    assert _error_at(bad.text, "accident_date") and _error_at(bad.text, "activity")
    r = ui.post_form(
        "/accidents/new",
        {
            "accident_date": "2024-07",
            "activity": "agriculture",
            "device_category": "uxo",
            "injured": "2",
            "killed": "0",
            "hazard_area_id": hazard.id,
            "description": "tractor hit a shell",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    accident_id = _id(r.headers["location"], "/accidents")
    stored = contamination.get_accident(wayhome, analyst, accident_id)
    assert (stored.accident_date, stored.injured, stored.device_category) == ("2024-07", 2, "uxo")
    r = ui.post_form(
        f"/accidents/{accident_id}/edit",
        {"accident_date": "2024-07-03", "activity": "agriculture", "injured": "3", "version": "1"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert contamination.get_accident(wayhome, analyst, accident_id).injured == 3
    history = ui.get(f"/accidents/{accident_id}/history").text
    assert "Farming" in history and "Unexploded ordnance (UXO)" in history


def test_victims_linked_to_persons_show_only_to_those_who_may_see_them(
    login, wayhome, make, accident
):
    registrar = make.actor(Role.REGISTRAR, "ORG1")
    person = persons.register_person(
        wayhome,
        registrar,
        parse_input(PersonInput, {"names": [{"family_name": "Коваленко", "given_name": "Олег"}]}),
    )
    ui = login(Role.ANALYST, "ORG1")
    bad = ui.post_form(
        f"/accidents/{accident.id}/victims/new", {"outcome": "killed", "person_id": "nobody"}
    )
    assert bad.status_code == 422 and "no such person" in _error_at(bad.text, "person_id")
    r = ui.post_form(
        f"/accidents/{accident.id}/victims/new",
        {"outcome": "killed", "sex": "M", "age_group": "adult", "person_id": person.id},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    r = ui.post_form(
        f"/accidents/{accident.id}/victims/new",
        {"outcome": "injured", "sex": "F", "age_group": "child", "activity": "playing"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    too_many = ui.post_form(f"/accidents/{accident.id}/victims/new", {"outcome": "killed"})
    assert too_many.status_code == 422 and "change its totals" in _error_at(
        too_many.text, "outcome"
    )

    own = ui.get(f"/accidents/{accident.id}").text
    assert person.display_name in own and f"/persons/{person.id}" in own
    assert "Child (under 18)" in own and "Playing" in own
    other = login(Role.ANALYST, "ORG2").get(f"/accidents/{accident.id}").text
    assert person.display_name not in other and person.id not in other
    assert "Child (under 18)" in other  # the anonymous casualty is shown to everyone allowed
    assert "Adult (18–59)" not in other
