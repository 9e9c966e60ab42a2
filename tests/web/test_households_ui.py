import re

from wayhome.core.vocab import Relationship, Role
from wayhome.services import accounts, households, persons
from wayhome.services.inputs import (
    HouseholdInput,
    PersonInput,
    PersonNameInput,
    parse_input,
)


def _person(wayhome, actor, family, given, sex="U"):
    data = PersonInput(names=[PersonNameInput(family_name=family, given_name=given)], sex=sex)
    return persons.register_person(wayhome, actor, data)


def _household(wayhome, actor, *members, **fields):
    data = parse_input(
        HouseholdInput,
        {
            **fields,
            "members": [{"person_id": p.id, "relationship": r} for p, r in members],
        },
    )
    return households.create_household(wayhome, actor, data)


def _new_household_id(response):
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/households/([0-9a-f-]+)", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


def test_create_household_in_ui_and_find_it(login, wayhome, make):
    ui = login(Role.REGISTRAR)
    actor = accounts.actor_for(ui.user)
    origin = make.place("AZ01", name="Shusha")
    head = _person(wayhome, actor, "Мамедов", "Али", "M")
    r = ui.post_form(
        "/households/new",
        {
            "origin_place_id": origin.id,
            "address_text": "Collective centre 4, room 12",
            "return_intention": "return",
            "needs": ["shelter", "health"],
            "notes": "",
            "source": "interview",
        },
        follow_redirects=False,
    )
    household_id = _new_household_id(r)
    added = ui.post_form(
        f"/households/{household_id}/members",
        {"person_id": head.id, "relationship": "head"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = ui.get(f"/households/{household_id}")
    assert "Мамедов Али" in page.text and "Head of household" in page.text
    assert "Shusha" in page.text and "Shelter" in page.text and "Health" in page.text
    stored = households.view_household(wayhome, actor, household_id)
    assert stored.needs == ["health", "shelter"]
    assert stored.return_intention == "return"
    # found by a member's name, live (htmx) and as a full page
    found = ui.get(
        "/households",
        params={"q": "мамедов"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert f"/households/{household_id}" in found.text and "<html" not in found.text
    assert "Мамедов Али" in found.text
    full = ui.get("/households", params={"q": stored.reference[:7]})
    assert f"/households/{household_id}" in full.text
    none = ui.get("/households", params={"return_intention": "stay"})
    assert f"/households/{household_id}" not in none.text
    by_origin = ui.get("/households", params={"origin_place_id": origin.id})
    assert f"/households/{household_id}" in by_origin.text and "Shusha (AZ01)" in by_origin.text


def test_service_household_with_members_shows_them(login, wayhome, make):
    registrar = make.actor(Role.REGISTRAR)
    ui = login(Role.VIEWER)
    head = _person(wayhome, registrar, "Sargsyan", "Anahit", "F")
    son = _person(wayhome, registrar, "Sargsyan", "Tigran", "M")
    household = _household(wayhome, registrar, (head, "head"), (son, "son"))
    page = ui.get(f"/households/{household.id}")
    assert page.status_code == 200
    assert "Sargsyan Anahit" in page.text and "Sargsyan Tigran" in page.text and "Son" in page.text
    # a viewer gets no buttons that change the household
    assert f"/households/{household.id}/edit" not in page.text
    assert "/remove" not in page.text and "/archive" not in page.text
    assert "Add an existing person" not in page.text
    assert "/persons/new?household_id" not in page.text
    listing = ui.get("/households")
    assert "Register a household" not in listing.text and "Sargsyan Anahit" in listing.text


def test_add_existing_member_and_second_head_refused(login, wayhome):
    ui = login(Role.REGISTRAR)
    actor = accounts.actor_for(ui.user)
    head = _person(wayhome, actor, "Aliyev", "Rashid")
    other = _person(wayhome, actor, "Aliyeva", "Leyla")
    household = _household(wayhome, actor, (head, "head"))
    candidates = ui.get(f"/households/{household.id}/member-candidates", params={"q": "aliyev"})
    assert "Aliyeva Leyla" in candidates.text
    assert "Aliyev Rashid" not in candidates.text  # already a member
    assert f'action="/households/{household.id}/members"' in candidates.text
    refused = ui.post_form(
        f"/households/{household.id}/members",
        {"person_id": other.id, "relationship": "head", "q": "aliyev"},
    )
    assert refused.status_code == 422
    assert "a household has one head" in refused.text
    assert "Aliyeva Leyla" in refused.text  # the search is shown again
    twice = ui.post_form(
        f"/households/{household.id}/members", {"person_id": head.id, "relationship": "son"}
    )
    assert twice.status_code == 422 and "this person is listed twice" in twice.text
    no_relationship = ui.post_form(
        f"/households/{household.id}/members", {"person_id": other.id, "relationship": ""}
    )
    assert no_relationship.status_code == 422
    assert "choose the relationship to the head of household" in no_relationship.text
    ok = ui.post_form(
        f"/households/{household.id}/members",
        {"person_id": other.id, "relationship": "spouse"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    stored = households.view_household(wayhome, actor, household.id)
    assert [(m.person_id, m.relationship_to_head) for m in stored.members] == [
        (head.id, "head"),
        (other.id, "spouse"),
    ]


def test_remove_member_shows_in_history(login, wayhome):
    ui = login(Role.REGISTRAR)
    actor = accounts.actor_for(ui.user)
    head = _person(wayhome, actor, "Petrosyan", "Ashot")
    daughter = _person(wayhome, actor, "Petrosyan", "Lilit")
    household = _household(wayhome, actor, (head, "head"), (daughter, "daughter"))
    r = ui.post_form(
        f"/households/{household.id}/members/{daughter.id}/remove", {}, follow_redirects=False
    )
    assert r.status_code == 303
    page = ui.get(f"/households/{household.id}")
    assert "Petrosyan Lilit" not in page.text
    history = ui.get(f"/households/{household.id}/history")
    assert "Version 2" in history.text and 'title="members">Members<' in history.text
    assert "Petrosyan Lilit — Daughter" in history.text  # before, by name and relationship
    # the person's own record stays
    assert ui.get(f"/persons/{daughter.id}").status_code == 200


def test_edit_form_saves_needs_and_reports_errors(login, wayhome):
    ui = login(Role.REGISTRAR)
    actor = accounts.actor_for(ui.user)
    household = _household(wayhome, actor, needs=["food"])
    form = ui.get(f"/households/{household.id}/edit")
    assert 'value="food" checked' in form.text and 'name="version" value="1"' in form.text
    bad = ui.post_form(
        f"/households/{household.id}/edit",
        {"version": "1", "origin_place_id": "no-such-place", "needs": ["legal", "wash"]},
    )
    assert bad.status_code == 422
    assert "no such place" in bad.text
    assert 'value="legal" checked' in bad.text and 'value="food" checked' not in bad.text
    r = ui.post_form(
        f"/households/{household.id}/edit",
        {"version": "1", "return_intention": "stay", "needs": ["legal", "wash"]},
        follow_redirects=False,
    )
    assert r.status_code == 303
    stored = households.view_household(wayhome, actor, household.id)
    assert stored.needs == ["legal", "wash"] and stored.return_intention == "stay"
    stale = ui.post_form(f"/households/{household.id}/edit", {"version": "1"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    history = ui.get(f"/households/{household.id}/history")
    assert "Legal aid, Water, sanitation, hygiene" in history.text


def test_caseworker_edits_but_does_not_create(login, wayhome, make):
    registrar = make.actor(Role.REGISTRAR)
    household = _household(wayhome, registrar)
    ui = login(Role.CASEWORKER)
    assert ui.post_form("/households/new", {"return_intention": "stay"}).status_code == 403
    assert ui.get("/households/new").status_code == 403
    page = ui.get(f"/households/{household.id}")
    assert f"/households/{household.id}/edit" in page.text
    assert "/archive" not in page.text
    r = ui.post_form(
        f"/households/{household.id}/edit",
        {"version": "1", "return_intention": "relocate"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert ui.post_form(f"/households/{household.id}/archive", {}).status_code == 403


def test_archive_and_restore(login, wayhome):
    ui = login(Role.REGISTRAR)
    household = _household(wayhome, accounts.actor_for(ui.user))
    ui.post_form(f"/households/{household.id}/archive", {})
    page = ui.get(f"/households/{household.id}")
    assert "archived" in page.text and f"/households/{household.id}/restore" in page.text
    assert f"/households/{household.id}/edit" not in page.text
    assert household.reference not in ui.get("/households").text
    assert household.reference in ui.get("/households", params={"archived": "true"}).text
    ui.post_form(f"/households/{household.id}/restore", {})
    assert f"/households/{household.id}/edit" in ui.get(f"/households/{household.id}").text


def test_other_organisation_gets_404(login, wayhome, make):
    owner = make.actor(Role.REGISTRAR, "ORG1")
    head = _person(wayhome, owner, "Hidden", "Person")
    household = _household(wayhome, owner, (head, Relationship.HEAD.value))
    ui = login(Role.ADMIN, "ORG2")
    assert ui.get(f"/households/{household.id}").status_code == 404
    assert ui.get(f"/households/{household.id}/history").status_code == 404
    assert ui.get(f"/households/{household.id}/edit").status_code == 404
    assert ui.get(f"/households/{household.id}/member-candidates?q=x").status_code == 404
    assert ui.post_form(f"/households/{household.id}/archive", {}).status_code == 404
    assert household.reference not in ui.get("/households").text
    mine = _household(wayhome, accounts.actor_for(ui.user))
    r = ui.post_form(
        f"/households/{mine.id}/members", {"person_id": head.id, "relationship": "head"}
    )
    assert r.status_code == 422 and "no such person" in r.text


def test_new_member_link_registers_into_household(login, wayhome):
    ui = login(Role.REGISTRAR)
    household = _household(wayhome, accounts.actor_for(ui.user))
    page = ui.get(f"/households/{household.id}")
    assert f"/persons/new?household_id={household.id}&amp;relationship=head" in page.text
    r = ui.post_form(
        "/persons/new",
        {"names.0.family_name": "Новый", "household_id": household.id, "relationship": "head"},
        follow_redirects=False,
    )
    assert r.headers["location"] == f"/households/{household.id}"
    assert "Новый" in ui.get(f"/households/{household.id}").text


def test_remove_requires_csrf(login, wayhome):
    ui = login(Role.REGISTRAR)
    actor = accounts.actor_for(ui.user)
    head = _person(wayhome, actor, "Kept", "Member")
    household = _household(wayhome, actor, (head, "head"))
    r = ui.post(f"/households/{household.id}/members/{head.id}/remove")
    assert r.status_code == 403
    stored = households.view_household(wayhome, actor, household.id)
    assert len(stored.members) == 1
