import pytest

from wayhome.core.vocab import Role
from wayhome.services import accounts, persons
from wayhome.services.inputs import PersonInput, PersonNameInput


def test_admin_creates_a_user(login, wayhome):
    ui = login(Role.ADMIN)
    form = ui.get("/admin/users/new")
    assert form.status_code == 200 and 'name="role"' in form.text
    r = ui.post_form(
        "/admin/users/new",
        {
            "username": "Field.Worker",
            "full_name": "Нина Петрова",
            "password": "a long password",
            "role": "caseworker",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    listing = ui.get(r.headers["location"])
    assert "field.worker" in listing.text and "Нина Петрова" in listing.text
    assert "Caseworker" in listing.text and "was created" in listing.text
    assert "never" in listing.text  # the new account has not logged in
    assert ui.user.username in listing.text
    created = [
        u
        for u in accounts.list_users(wayhome, accounts.actor_for(ui.user))
        if u.username == "field.worker"
    ]
    assert created and created[0].role == "caseworker"
    assert created[0].organisation_id == ui.user.organisation_id
    assert accounts.authenticate(wayhome, "field.worker", "a long password", None) is not None


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        ({"username": "ok.name", "password": "short"}, "must be at least 10 characters", 422),
        ({"username": "bad name!"}, "use 2–64 lower-case letters", 422),
        ({"username": "ok.name", "full_name": " "}, "is required", 422),
        ({"username": "ok.name", "role": "superuser"}, "must be one of", 422),
    ],
)
def test_user_form_errors_at_the_field(login, data, message, status):
    ui = login(Role.ADMIN)
    form = {"full_name": "Some One", "password": "a long password", "role": "viewer", **data}
    r = ui.post_form("/admin/users/new", form)
    assert r.status_code == status
    assert message in r.text
    assert 'class="error"' in r.text and "a long password" not in r.text  # never echoed


def test_taken_username_is_shown_at_the_field(login, make):
    make.user(Role.VIEWER, "ORG1", username="taken")
    ui = login(Role.ADMIN)
    r = ui.post_form(
        "/admin/users/new",
        {
            "username": "Taken",
            "full_name": "Other",
            "password": "a long password",
            "role": "viewer",
        },
    )
    assert r.status_code == 409
    assert "this username is taken" in r.text
    assert 'value="Taken"' in r.text and "<h1>New user</h1>" in r.text


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.CASEWORKER, Role.ANALYST, Role.VIEWER])
def test_non_admin_is_refused(login, role):
    ui = login(role)
    for url in ("/admin/users", "/admin/audit", "/admin/users/new"):
        assert ui.get(url).status_code == 403, url
    r = ui.post_form(
        "/admin/users/new",
        {"username": "sneaky", "full_name": "X", "password": "a long password", "role": "admin"},
    )
    assert r.status_code == 403
    assert 'href="/admin/audit"' not in ui.get("/").text


def test_admin_sees_only_own_organisation(login, make):
    make.user(Role.VIEWER, "ORG2", username="elsewhere")
    ui = login(Role.ADMIN, "ORG1")
    assert "elsewhere" not in ui.get("/admin/users").text


def test_audit_lists_person_views(login, wayhome, make):
    registrar = make.actor(Role.REGISTRAR)
    person = persons.register_person(
        wayhome, registrar, PersonInput(names=[PersonNameInput(family_name="Audited")])
    )
    viewer = login(Role.VIEWER)
    assert viewer.get(f"/persons/{person.id}").status_code == 200
    ui = login(Role.ADMIN)
    page = ui.get("/admin/audit")
    assert page.status_code == 200
    assert 'href="/admin/users"' in page.text and 'aria-current="page"' in page.text
    assert f'href="/persons/{person.id}"' in page.text
    assert viewer.user.username in page.text and "<code" in page.text
    only = ui.get("/admin/audit", params={"entity_id": person.id, "action": "view"})
    assert only.text.count(f'href="/persons/{person.id}"') == 1
    assert "1 record" in only.text
    by_user = ui.get("/admin/audit", params={"username": viewer.user.username})
    assert f'href="/persons/{person.id}"' in by_user.text
    assert "login" in by_user.text
    nobody = ui.get("/admin/audit", params={"username": "nobody"})
    assert "No events match." in nobody.text


def test_audit_is_paginated(login, wayhome, make):
    ui = login(Role.ADMIN)
    actor = accounts.actor_for(ui.user)
    person = persons.register_person(
        wayhome, actor, PersonInput(names=[PersonNameInput(family_name="Many")])
    )
    for _ in range(55):
        persons.view_person(wayhome, actor, person.id)
    first = ui.get("/admin/audit", params={"action": "view"})
    assert "55 records" in first.text and "page 1 of 2" in first.text and 'rel="next"' in first.text
    second = ui.get("/admin/audit", params={"action": "view", "page": "2"})
    assert "page 2 of 2" in second.text and second.text.count(f"/persons/{person.id}") == 5
