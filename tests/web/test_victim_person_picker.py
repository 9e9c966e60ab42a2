"""The victim form's person picker: persons found by name in any script, only those the user
may see, chosen with or without JavaScript, and never a victim saved unlinked by mistake."""

from __future__ import annotations

import re

import pytest

from wayhome.core.vocab import Role
from wayhome.services import contamination, persons
from wayhome.services.contamination_inputs import AccidentInput
from wayhome.services.inputs import PersonInput, parse_input


def _person(wayhome, actor, family: str, given: str):  # type: ignore[no-untyped-def]
    return persons.register_person(
        wayhome,
        actor,
        parse_input(PersonInput, {"names": [{"family_name": family, "given_name": given}]}),
    )


@pytest.fixture
def accident(wayhome, make):  # type: ignore[no-untyped-def]
    body = {"accident_date": "2024-06-02", "activity": "herding", "injured": 2, "killed": 1}
    return contamination.record_accident(
        wayhome, make.actor(Role.ANALYST, "ORG1"), parse_input(AccidentInput, body)
    )


@pytest.fixture
def people(wayhome, make):  # type: ignore[no-untyped-def]
    """Two persons of ORG1 (one written in Latin, one in Cyrillic) and one of ORG2."""
    org1 = make.actor(Role.REGISTRAR, "ORG1")
    org2 = make.actor(Role.REGISTRAR, "ORG2")
    return {
        "mammadov": _person(wayhome, org1, "Məmmədov", "Əli"),
        "kovalenko": _person(wayhome, org1, "Коваленко", "Олег"),
        "hidden": _person(wayhome, org2, "Məmmədova", "Leyla"),
    }


def _choose_buttons(html: str) -> list[str]:
    return re.findall(r'name="choose_person" value="([^"]+)"', html)


def _find(ui, accident, text: str):  # type: ignore[no-untyped-def]
    return ui.post_form(
        f"/accidents/{accident.id}/victims/person", {"person_q": text, "find_person": "1"}
    )


def test_the_form_has_a_picker_not_a_raw_id_box(login, accident) -> None:
    page = login(Role.ANALYST).get(f"/accidents/{accident.id}/victims/new")
    assert page.status_code == 200
    assert 'name="person_q"' in page.text and 'type="hidden" name="person_id" value=""' in page.text
    assert "record id" not in page.text
    assert "Type a name to find a registered person." in page.text


def test_search_finds_persons_across_scripts_and_only_those_the_user_may_see(
    login, accident, people
) -> None:
    ui = login(Role.ANALYST, "ORG1")
    same_script = _find(ui, accident, "Məmməd")
    assert same_script.status_code == 200
    assert _choose_buttons(same_script.text) == [people["mammadov"].id]  # not ORG2's Məmmədova
    across = _find(ui, accident, "Мамедов Али")  # Cyrillic for Məmmədov Əli
    assert people["mammadov"].id in _choose_buttons(across.text)
    assert "similar name" in across.text
    assert people["hidden"].id not in across.text and "Leyla" not in across.text

    other = login(Role.ANALYST, "ORG2")
    seen = _choose_buttons(_find(other, accident, "Məmməd").text)
    assert seen == [people["hidden"].id]
    nothing = _find(other, accident, "Коваленко")
    assert (
        _choose_buttons(nothing.text) == []
        and "Коваленко" not in nothing.text.split('name="person_q"')[0]
    )
    assert "No registered person you may see matches" in nothing.text


def test_choosing_a_person_the_user_may_not_see_is_refused_as_if_absent(
    login, accident, people
) -> None:
    ui = login(Role.ANALYST, "ORG2")
    forged = ui.post_form(
        f"/accidents/{accident.id}/victims/person", {"choose_person": people["kovalenko"].id}
    )
    assert forged.status_code == 200
    assert "no such person" in forged.text and "Коваленко" not in forged.text
    assert f'value="{people["kovalenko"].id}"' not in forged.text


def test_htmx_choose_and_unlink_redraw_the_picker(login, accident, people) -> None:
    ui = login(Role.ANALYST, "ORG1")
    url = f"/accidents/{accident.id}/victims/person"
    chosen = ui.post_form(url, {"choose_person": people["kovalenko"].id})
    assert chosen.status_code == 200 and "Коваленко Олег" in chosen.text
    assert f'name="person_id" value="{people["kovalenko"].id}"' in chosen.text
    assert 'name="unlink_person"' in chosen.text and 'name="person_q"' not in chosen.text
    unlinked = ui.post_form(url, {"unlink_person": "1", "person_id": people["kovalenko"].id})
    assert 'name="person_q"' in unlinked.text and 'name="person_id" value=""' in unlinked.text


def test_without_javascript_find_choose_and_save_keep_the_other_fields(
    wayhome, make, login, accident, people
) -> None:
    ui = login(Role.ANALYST, "ORG1")
    url = f"/accidents/{accident.id}/victims/new"
    fields = {"outcome": "killed", "sex": "M", "age_group": "adult", "source": "clinic list"}
    found = ui.post_form(url, {**fields, "person_q": "Коваленко", "find_person": "1"})
    assert found.status_code == 200 and _choose_buttons(found.text) == [people["kovalenko"].id]
    assert 'value="clinic list"' in found.text and 'value="killed" selected' in found.text
    assert contamination.list_victims(wayhome, make.actor(Role.ADMIN), accident.id) == []

    chosen = ui.post_form(url, {**fields, "choose_person": people["kovalenko"].id})
    assert f'name="person_id" value="{people["kovalenko"].id}"' in chosen.text
    assert 'value="clinic list"' in chosen.text

    saved = ui.post_form(
        url, {**fields, "person_id": people["kovalenko"].id}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    (victim,) = contamination.list_victims(wayhome, make.actor(Role.ADMIN), accident.id)
    assert (victim.person_id, victim.outcome, victim.source) == (
        people["kovalenko"].id,
        "killed",
        "clinic list",
    )
    again = _find(ui, accident, "Коваленко")  # already a victim of this accident: not offered
    assert _choose_buttons(again.text) == []


def test_a_name_typed_but_not_chosen_is_not_saved_as_an_unlinked_victim(
    wayhome, make, login, accident, people
) -> None:
    ui = login(Role.ANALYST, "ORG1")
    url = f"/accidents/{accident.id}/victims/new"
    r = ui.post_form(url, {"outcome": "injured", "person_q": "Коваленко"})
    assert r.status_code == 422
    assert "choose the person from the list" in r.text
    assert _choose_buttons(r.text) == [people["kovalenko"].id]
    assert contamination.list_victims(wayhome, make.actor(Role.ADMIN), accident.id) == []
    anonymous = ui.post_form(url, {"outcome": "injured", "person_q": ""}, follow_redirects=False)
    assert anonymous.status_code == 303  # the name box emptied: a victim not in the registry
    (victim,) = contamination.list_victims(wayhome, make.actor(Role.ADMIN), accident.id)
    assert victim.person_id is None


def test_roles_that_may_not_edit_accidents_get_403_from_the_picker(login, accident) -> None:
    for role in (Role.REGISTRAR, Role.CASEWORKER, Role.VIEWER):
        ui = login(role)
        assert _find(ui, accident, "Коваленко").status_code == 403
