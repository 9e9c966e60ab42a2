"""The JSON API under /api/v1: authentication, persons, displacements, households, places."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD
from wayhome.core.ids import is_uuid
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import accounts, audit
from wayhome.store.tables import (
    AuditEvent,
    DisplacementEvent,
    Household,
    HouseholdMember,
    Person,
    PersonName,
    RecordVersion,
    User,
)

API = "/api/v1"


def person_body(family: str = "Мамедов", given: str | None = "Али", **extra: Any) -> dict:
    return {"names": [{"family_name": family, "given_name": given}], **extra}


def create_person(client: TestClient, family: str = "Мамедов", given: str | None = "Али", **extra):
    response = client.post(f"{API}/persons", json=person_body(family, given, **extra))
    assert response.status_code == 201, response.text
    return response.json()


def errors(response) -> list[tuple[list[Any], str]]:
    assert response.status_code == 422, response.text
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


def locs(response) -> list[list[Any]]:
    return [loc for loc, _msg in errors(response)]


def counts(wayhome) -> dict[str, int]:
    tables = (Person, PersonName, Household, HouseholdMember, DisplacementEvent, RecordVersion)
    with wayhome.read() as session:
        result = {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in tables
        }
        result["audit_writes"] = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action.in_(("create", "update", "archive", "restore")))
        )
    return result


# --- authentication ---------------------------------------------------------------------------


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def test_no_token_is_401(client):
    response = client.get(f"{API}/persons")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


def test_bad_token_is_401(client):
    response = client.get(f"{API}/persons", headers={"Authorization": "Bearer wh_not-a-token"})
    assert response.status_code == 401
    assert "unknown or revoked" in response.json()["detail"]
    response = client.get(f"{API}/persons", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401


def test_revoked_token_is_401(api, wayhome, client):
    user_client = api(Role.VIEWER)
    actor = accounts.actor_for(user_client.user)
    token, secret = accounts.create_token(wayhome, actor, "laptop")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"{API}/persons", headers=headers).status_code == 200
    accounts.revoke_token(wayhome, actor, token.id)
    assert client.get(f"{API}/persons", headers=headers).status_code == 401
    assert user_client.get(f"{API}/persons").status_code == 200  # other tokens still work


def test_token_of_deactivated_user_is_401(api, wayhome):
    user_client = api(Role.REGISTRAR)
    assert user_client.get(f"{API}/persons").status_code == 200
    with wayhome.transaction() as session:
        session.execute(update(User).where(User.id == user_client.user.id).values(is_active=False))
    assert user_client.get(f"{API}/persons").status_code == 401


def test_login_for_a_token(client, make):
    user = make.user(Role.CASEWORKER, username="Nina.Petrova")
    response = client.post(
        f"{API}/auth/token",
        json={"username": "nina.petrova", "password": PASSWORD, "name": "field laptop"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["name"] == "field laptop"
    assert body["token"].startswith("wh_")
    authed = client.get(f"{API}/persons", headers={"Authorization": f"Bearer {body['token']}"})
    assert authed.status_code == 200
    assert user.username == "nina.petrova"


def test_login_with_wrong_password_or_unknown_user_is_401(client, make):
    make.user(Role.VIEWER, username="viewer.one")
    for username, password in (("viewer.one", "wrong password"), ("nobody", PASSWORD)):
        response = client.post(
            f"{API}/auth/token", json={"username": username, "password": password}
        )
        assert response.status_code == 401
        assert response.json()["detail"] == "wrong username or password"
        assert "token" not in response.json()


def test_login_body_is_validated(client):
    response = client.post(f"{API}/auth/token", json={"username": "x"})
    assert ["body", "password"] in locs(response)


def test_rate_limited_after_five_failures_even_with_the_right_password(client, make, wayhome):
    make.user(Role.VIEWER, username="target")
    assert wayhome.settings.login_max_failures == 5
    for _ in range(5):
        response = client.post(
            f"{API}/auth/token", json={"username": "target", "password": "guess guess"}
        )
        assert response.status_code == 401
    for password in ("guess guess", PASSWORD):
        response = client.post(
            f"{API}/auth/token", json={"username": "target", "password": password}
        )
        assert response.status_code == 429
        assert "too many failed logins" in response.json()["detail"]
    with wayhome.read() as session:
        failures = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "login.failed")
        )
    assert failures == 5


# --- persons ----------------------------------------------------------------------------------


def test_create_get_and_update_person_with_version_conflict(api, wayhome):
    client = api(Role.REGISTRAR)
    created = create_person(client, sex="M", birth_date="1957", birth_place_text="Şuşa")
    assert is_uuid(created["id"])
    assert created["version"] == 1
    assert created["birth_date"] == "1957" and created["birth_date_precision"] == "year"
    assert created["display_name"] == "Мамедов Али"
    assert created["names"][0]["script"] == "Cyrl"
    assert created["origin_instance"] == wayhome.instance_id
    assert created["organisation_id"] == client.user.organisation_id
    assert created["recorded_by_id"] == client.user.id
    assert created["deleted_at"] is None

    got = client.get(f"{API}/persons/{created['id']}")
    assert got.status_code == 200 and got.json()["id"] == created["id"]

    changed = client.put(
        f"{API}/persons/{created['id']}",
        json=person_body(birth_date="1957-03-08", sex="M", version=1),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2
    assert changed.json()["birth_date_precision"] == "day"

    stale = client.put(f"{API}/persons/{created['id']}", json=person_body(version=1))
    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"]
    assert client.get(f"{API}/persons/{created['id']}").json()["birth_date"] == "1957-03-08"


def test_unknown_person_is_404(api):
    client = api(Role.ADMIN)
    response = client.get(f"{API}/persons/00000000-0000-7000-8000-000000000000")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such person"}


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("1957-13", "month 13 is not between 1 and 12"),
        ("1957-02-30", "1957-02 has no day 30"),
        ("57", "is not a date"),
        ("1800", "before 1850"),
        ("2999", "in the future"),
    ],
)
def test_bad_birth_date_is_422_at_the_field(api, wayhome, birth_date, message):
    client = api(Role.REGISTRAR)
    before = counts(wayhome)
    response = client.post(f"{API}/persons", json=person_body(birth_date=birth_date))
    [(loc, msg)] = errors(response)
    assert loc == ["body", "birth_date"]
    assert message in msg
    assert counts(wayhome) == before


def test_missing_name_is_422_at_the_name(api, wayhome):
    client = api(Role.REGISTRAR)
    before = counts(wayhome)
    body = {
        "names": [
            {"family_name": "Ok"},
            {"kind": "alias", "given_name": " ", "patronymic": "Only"},
        ]
    }
    [(loc, msg)] = errors(client.post(f"{API}/persons", json=body))
    assert loc == ["body", "names", 1]
    assert "given name or a family name" in msg
    [(loc, _msg)] = errors(client.post(f"{API}/persons", json={"names": [{}]}))
    assert loc == ["body", "names", 0]
    assert ["body", "names"] in locs(client.post(f"{API}/persons", json={"names": []}))
    assert ["body", "names"] in locs(client.post(f"{API}/persons", json={"sex": "F"}))
    assert counts(wayhome) == before


def test_unknown_field_and_bad_enum_are_422(api, wayhome):
    client = api(Role.REGISTRAR)
    before = counts(wayhome)
    response = client.post(f"{API}/persons", json=person_body(nickname="Ali"))
    assert ["body", "nickname"] in locs(response)
    assert response.json()["detail"][0]["type"] == "extra_forbidden"
    response = client.post(f"{API}/persons", json={"names": [{"family_name": "X", "middle": "Y"}]})
    assert ["body", "names", 0, "middle"] in locs(response)
    assert ["body", "sex"] in locs(client.post(f"{API}/persons", json=person_body(sex="male")))
    unknown_place = client.post(f"{API}/persons", json=person_body(birth_place_id="nowhere"))
    assert errors(unknown_place) == [(["body", "birth_place_id"], "no such place")]
    assert counts(wayhome) == before


def test_archive_and_restore_never_delete(api, wayhome):
    client = api(Role.REGISTRAR)
    person = create_person(client, "Սարգսյան", "Արամ")
    archived = client.post(f"{API}/persons/{person['id']}/archive")
    assert archived.status_code == 200
    assert archived.json()["deleted_at"] is not None and archived.json()["version"] == 2
    assert client.get(f"{API}/persons").json()["total"] == 0
    listed = client.get(f"{API}/persons", params={"include_archived": "true"}).json()
    assert [p["id"] for p in listed["items"]] == [person["id"]]
    assert client.get(f"{API}/persons/{person['id']}").status_code == 200
    edit = client.put(f"{API}/persons/{person['id']}", json=person_body())
    assert edit.status_code == 409 and "restore" in edit.json()["detail"]
    again = client.post(f"{API}/persons/{person['id']}/archive")
    assert again.json()["version"] == 2  # archiving twice changes nothing
    restored = client.post(f"{API}/persons/{person['id']}/restore")
    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None and restored.json()["version"] == 3
    assert client.get(f"{API}/persons").json()["total"] == 1
    with wayhome.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_history_lists_versions_with_changes(api):
    client = api(Role.REGISTRAR)
    person = create_person(client, sex="M")
    url = f"{API}/persons/{person['id']}"
    client.put(url, json=person_body(sex="M", birth_date="1960", version=1))
    client.post(f"{url}/archive")
    history = client.get(f"{url}/history")
    assert history.status_code == 200
    entries = history.json()
    assert [(e["version"], e["action"]) for e in entries] == [
        (3, "archive"),
        (2, "update"),
        (1, "create"),
    ]
    assert entries[2]["changes"]["sex"] == [None, "M"]
    assert entries[2]["snapshot"]["names"][0]["family_name"] == "Мамедов"
    assert entries[1]["changes"] == {"birth_date": [None, "1960"]}
    assert entries[0]["changes"] == {"deleted": [False, True]}
    assert entries[0]["snapshot"]["birth_date"] == "1960"
    assert all(client.user.username in e["changed_by"] for e in entries)
    assert len({e["origin_instance"] for e in entries}) == 1


def test_viewing_a_person_is_audited(api, make, wayhome):
    registrar = api(Role.REGISTRAR)
    viewer = api(Role.VIEWER)
    person = create_person(registrar)
    admin = make.actor(Role.ADMIN)
    views = audit.audit_events(wayhome, admin, entity_id=person["id"], action="view")
    assert views.total == 0
    assert viewer.get(f"{API}/persons/{person['id']}").status_code == 200
    views = audit.audit_events(wayhome, admin, entity_id=person["id"], action="view")
    assert views.total == 1
    [event] = views.events
    assert event.username == viewer.user.username
    assert event.entity_type == "person"
    assert event.ip == "testclient"
    viewer.get(f"{API}/persons")  # listing is not a view of a record
    assert audit.audit_events(wayhome, admin, action="view").total == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Սարգսյան", ["Սարգսյան Արամ"]),
        ("սարգսյան", ["Սարգսյան Արամ"]),  # Armenian has case too
        ("Sargsyan", ["Sargsyan Aram"]),
        ("ბერიძე", ["ბერიძე ნინო"]),
        ("eliyev", ["Əliyev Rəşad"]),  # Azerbaijani schwa folds to e
        ("ƏLİYEV RƏŞAD", ["Əliyev Rəşad"]),
        ("елкин", ["Ёлкин Пётр"]),
        ("пётр ёлкин", ["Ёлкин Пётр"]),  # every term, in any order
        ("Սարգսյան Aram", []),  # the terms must be in one name
        ("Саргсян", []),  # no transliteration across scripts
    ],
)
def test_search_within_a_script(api, query, expected):
    client = api(Role.REGISTRAR)
    for family, given in (
        ("Սարգսյան", "Արամ"),
        ("Sargsyan", "Aram"),
        ("ბერიძე", "ნინო"),
        ("Əliyev", "Rəşad"),
        ("Ёлкин", "Пётр"),
    ):
        create_person(client, family, given)
    found = client.get(f"{API}/persons", params={"q": query}).json()
    assert [p["display_name"] for p in found["items"]] == expected
    assert found["total"] == len(expected)


def test_search_finds_any_of_a_persons_names(api):
    client = api(Role.REGISTRAR)
    body = {
        "names": [
            {"family_name": "Սարգսյան", "given_name": "Արամ"},
            {"kind": "former_spelling", "family_name": "Саргсян", "given_name": "Арам"},
        ]
    }
    person = client.post(f"{API}/persons", json=body).json()
    assert [n["script"] for n in person["names"]] == ["Armn", "Cyrl"]
    for query in ("Սարգսյան", "саргсян арам"):
        found = client.get(f"{API}/persons", params={"q": query}).json()
        assert [p["id"] for p in found["items"]] == [person["id"]]


def test_pagination_totals(api):
    client = api(Role.REGISTRAR)
    for i in range(7):
        create_person(client, f"Family{i}", "Given", sex="F" if i % 2 else "M")
    page = client.get(f"{API}/persons", params={"per_page": 3, "page": 3}).json()
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (7, 3, 3, 1)
    first = client.get(f"{API}/persons", params={"per_page": 3}).json()
    assert [p["display_name"] for p in first["items"]] == [
        "Family0 Given",
        "Family1 Given",
        "Family2 Given",
    ]
    beyond = client.get(f"{API}/persons", params={"per_page": 3, "page": 9}).json()
    assert beyond["total"] == 7 and beyond["items"] == []
    women = client.get(f"{API}/persons", params={"sex": "F"}).json()
    assert women["total"] == 3
    assert ["query", "per_page"] in locs(client.get(f"{API}/persons", params={"per_page": 0}))
    assert ["query", "per_page"] in locs(client.get(f"{API}/persons", params={"per_page": 501}))
    assert ["query", "page"] in locs(client.get(f"{API}/persons", params={"page": 0}))


def test_birth_year_filter(api):
    client = api(Role.REGISTRAR)
    old = create_person(client, "Old", birth_date="1940-05")
    create_person(client, "Young", birth_date="1990")
    found = client.get(f"{API}/persons", params={"birth_year": 1940}).json()
    assert [p["id"] for p in found["items"]] == [old["id"]]


# --- displacements ----------------------------------------------------------------------------


def test_displacement_create_update_and_history(api, make):
    client = api(Role.CASEWORKER)
    registrar = api(Role.REGISTRAR)
    country = make.place("AZ")
    town = make.place("AZ-SUS", PlaceType.SETTLEMENT, country.id, "Şuşa")
    person = create_person(registrar)
    url = f"{API}/persons/{person['id']}/displacements"
    created = client.post(
        url, json={"origin_place_id": town.id, "displaced_on": "1992-05", "status": "displaced"}
    )
    assert created.status_code == 201, created.text
    event = created.json()
    assert event["displaced_on_precision"] == "month"
    assert event["person_id"] == person["id"] and event["version"] == 1
    listed = client.get(url).json()
    assert [e["id"] for e in listed] == [event["id"]]

    body = {
        "origin_place_id": town.id,
        "displaced_on": "1992-05",
        "status": "returned",
        "status_date": "2023-10-01",
        "version": 1,
    }
    updated = client.put(f"{API}/displacements/{event['id']}", json=body)
    assert updated.status_code == 200, updated.text
    assert updated.json()["status"] == "returned" and updated.json()["version"] == 2
    stale = client.put(f"{API}/displacements/{event['id']}", json=body)
    assert stale.status_code == 409

    history = client.get(f"{API}/displacements/{event['id']}/history").json()
    assert [(h["version"], h["action"]) for h in history] == [(2, "update"), (1, "create")]
    assert history[0]["changes"] == {
        "status": ["displaced", "returned"],
        "status_date": [None, "2023-10-01"],
    }
    missing = client.put(f"{API}/displacements/nope", json=body)
    assert missing.status_code == 404


def test_displacement_validation(api, wayhome):
    client = api(Role.REGISTRAR)
    person = create_person(client)
    url = f"{API}/persons/{person['id']}/displacements"
    before = counts(wayhome)
    response = client.post(
        url, json={"displaced_on": "1993-04", "status_date": "1992", "status": "returned"}
    )
    assert errors(response) == [(["body", "status_date"], "is before the date of displacement")]
    assert locs(client.post(url, json={"displaced_on": "1993-13", "status": "displaced"})) == [
        ["body", "displaced_on"]
    ]
    assert ["body", "status"] in locs(client.post(url, json={}))
    unknown = client.post(url, json={"status": "displaced", "current_place_id": "nowhere"})
    assert errors(unknown) == [(["body", "current_place_id"], "no such place")]
    no_household = client.post(url, json={"status": "displaced", "household_id": "nope"})
    assert errors(no_household) == [(["body", "household_id"], "no such household")]
    assert counts(wayhome) == before
    # a status dated only by year is fine in the year of displacement ("1993" may be after April)
    same_year = client.post(
        url, json={"displaced_on": "1993-04", "status_date": "1993", "status": "returned"}
    )
    assert same_year.status_code == 201


# --- households -------------------------------------------------------------------------------


def test_household_with_members_add_and_remove(api, make):
    client = api(Role.REGISTRAR)
    head, spouse, son = (
        create_person(client, "Həsənov", "Elçin"),
        create_person(client, "Həsənova", "Aynur"),
        create_person(client, "Həsənov", "Murad"),
    )
    origin = make.place("AZ")
    created = client.post(
        f"{API}/households",
        json={
            "origin_place_id": origin.id,
            "return_intention": "return",
            "needs": ["shelter", "health", "shelter"],
            "members": [
                {"person_id": head["id"], "relationship": "head"},
                {"person_id": spouse["id"], "relationship": "spouse"},
            ],
        },
    )
    assert created.status_code == 201, created.text
    household = created.json()
    assert re.fullmatch(r"HH-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", household["reference"])
    assert household["needs"] == ["health", "shelter"]
    assert [(m["person_id"], m["relationship_to_head"]) for m in household["members"]] == [
        (head["id"], "head"),
        (spouse["id"], "spouse"),
    ]
    url = f"{API}/households/{household['id']}"
    added = client.post(f"{url}/members", json={"person_id": son["id"], "relationship": "son"})
    assert added.status_code == 200, added.text
    assert [m["person_id"] for m in added.json()["members"]] == [
        head["id"],
        spouse["id"],
        son["id"],
    ]
    assert added.json()["version"] == 2
    removed = client.delete(f"{url}/members/{spouse['id']}")
    assert removed.status_code == 200
    assert [m["person_id"] for m in removed.json()["members"]] == [head["id"], son["id"]]
    assert client.delete(f"{url}/members/{spouse['id']}").status_code == 404
    assert client.get(f"{API}/persons/{spouse['id']}").status_code == 200  # the person stays

    history = client.get(f"{url}/history").json()
    assert [h["action"] for h in history] == ["update", "update", "create"]
    assert set(history[0]["changes"]) == {"members"}
    assert len(history[1]["snapshot"]["members"]) == 3

    found = client.get(f"{API}/households", params={"q": "murad"}).json()
    assert [h["id"] for h in found["items"]] == [household["id"]]
    by_ref = client.get(f"{API}/households", params={"q": household["reference"].lower()})
    assert by_ref.json()["total"] == 1
    assert client.get(f"{API}/households", params={"return_intention": "stay"}).json()["total"] == 0


def test_second_head_is_422_with_path_and_writes_nothing(api, wayhome):
    client = api(Role.REGISTRAR)
    one, two, three = (create_person(client, f"P{i}") for i in range(3))
    before = counts(wayhome)
    response = client.post(
        f"{API}/households",
        json={
            "members": [
                {"person_id": one["id"], "relationship": "head"},
                {"person_id": two["id"], "relationship": "spouse"},
                {"person_id": three["id"], "relationship": "head"},
            ]
        },
    )
    assert errors(response) == [
        (["body", "members", 2, "relationship"], "a household has one head")
    ]
    twice = client.post(
        f"{API}/households",
        json={
            "members": [
                {"person_id": one["id"], "relationship": "head"},
                {"person_id": one["id"], "relationship": "son"},
            ]
        },
    )
    assert errors(twice) == [(["body", "members", 1, "person_id"], "this person is listed twice")]
    unknown = client.post(
        f"{API}/households", json={"members": [{"person_id": "nope", "relationship": "head"}]}
    )
    assert errors(unknown) == [(["body", "members", 0, "person_id"], "no such person")]
    bad_need = client.post(f"{API}/households", json={"needs": ["shelter", "yachts"]})
    assert locs(bad_need) == [["body", "needs", 1]]
    assert counts(wayhome) == before

    household = client.post(
        f"{API}/households", json={"members": [{"person_id": one["id"], "relationship": "head"}]}
    ).json()
    before = counts(wayhome)
    second = client.post(
        f"{API}/households/{household['id']}/members",
        json={"person_id": two["id"], "relationship": "head"},
    )
    assert errors(second) == [(["body", "relationship"], "a household has one head")]
    dup = client.post(
        f"{API}/households/{household['id']}/members",
        json={"person_id": one["id"], "relationship": "son"},
    )
    assert errors(dup) == [(["body", "person_id"], "this person is listed twice")]
    assert counts(wayhome) == before


def test_household_members_must_be_visible(api):
    mine = api(Role.REGISTRAR, "ORG1")
    theirs = api(Role.REGISTRAR, "ORG2")
    stranger = create_person(theirs, "Stranger")
    response = mine.post(
        f"{API}/households",
        json={"members": [{"person_id": stranger["id"], "relationship": "head"}]},
    )
    assert errors(response) == [(["body", "members", 0, "person_id"], "no such person")]


def test_household_update_archive_restore(api):
    client = api(Role.REGISTRAR)
    household = client.post(f"{API}/households", json={"address_text": "Room 4"}).json()
    url = f"{API}/households/{household['id']}"
    updated = client.put(url, json={"address_text": "Room 5", "needs": ["food"], "version": 1})
    assert updated.status_code == 200, updated.text
    assert (updated.json()["address_text"], updated.json()["version"]) == ("Room 5", 2)
    assert client.put(url, json={"address_text": "Room 6", "version": 1}).status_code == 409
    archived = client.post(f"{url}/archive")
    assert archived.status_code == 200 and archived.json()["deleted_at"] is not None
    assert client.get(f"{API}/households").json()["total"] == 0
    assert client.get(f"{API}/households", params={"include_archived": True}).json()["total"] == 1
    assert client.put(url, json={"address_text": "Room 7"}).status_code == 409
    restored = client.post(f"{url}/restore")
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert [h["action"] for h in client.get(f"{url}/history").json()] == [
        "restore",
        "archive",
        "update",
        "create",
    ]


def test_sharing_a_household_shares_its_members(api, make):
    owner = api(Role.REGISTRAR, "ORG1")
    other = api(Role.CASEWORKER, "ORG2")
    head = create_person(owner, "Head")
    household = owner.post(
        f"{API}/households", json={"members": [{"person_id": head["id"], "relationship": "head"}]}
    ).json()
    assert other.get(f"{API}/households/{household['id']}").status_code == 404
    assert other.get(f"{API}/persons/{head['id']}").status_code == 404
    response = owner.post(
        f"{API}/households/{household['id']}/shares",
        json={"organisation_id": other.user.organisation_id},
    )
    assert response.status_code == 204
    assert other.get(f"{API}/households/{household['id']}").status_code == 200
    assert other.get(f"{API}/persons/{head['id']}").status_code == 200
    unknown = owner.post(f"{API}/persons/{head['id']}/shares", json={"organisation_id": "nope"})
    assert errors(unknown) == [(["body", "organisation_id"], "no such organisation")]


# --- places -----------------------------------------------------------------------------------


def place_body(code: str, type: str, parent_id: str | None = None, *names: str, **extra):
    return {
        "code": code,
        "type": type,
        "parent_id": parent_id,
        "names": [{"name": n} for n in (names or (f"Place {code}",))],
        **extra,
    }


def test_places_crud(api):
    client = api(Role.ANALYST)
    country = client.post(f"{API}/places", json=place_body("am", "country", None, "Armenia"))
    assert country.status_code == 201, country.text
    assert country.json()["code"] == "AM"  # codes are upper-cased
    region = client.post(
        f"{API}/places",
        json=place_body("AM-SU", "region", country.json()["id"], "Syunik", "Սյունիք", "Сюник"),
    )
    assert region.status_code == 201, region.text
    assert [n["script"] for n in region.json()["names"]] == ["Latn", "Armn", "Cyrl"]
    url = f"{API}/places/{region.json()['id']}"
    assert client.get(url).json()["display_name"] == "Syunik"
    renamed = client.put(
        url, json=place_body("AM-SU", "region", country.json()["id"], "Siunik", version=1)
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["display_name"] == "Siunik" and renamed.json()["version"] == 2
    stale = client.put(url, json=place_body("AM-SU", "region", country.json()["id"], version=1))
    assert stale.status_code == 409
    history = client.get(f"{url}/history").json()
    assert [h["action"] for h in history] == ["update", "create"]
    assert "names" in history[0]["changes"]
    found = client.get(f"{API}/places", params={"q": "сюник"}).json()
    assert found["total"] == 0  # the Russian name was replaced by the rename
    found = client.get(f"{API}/places", params={"type": "region"}).json()
    assert [p["code"] for p in found["items"]] == ["AM-SU"]
    children = client.get(f"{API}/places", params={"parent_id": country.json()["id"]}).json()
    assert children["total"] == 1
    assert client.get(f"{API}/places/nope").status_code == 404


def test_place_validation(api, make):
    client = api(Role.ANALYST)
    country = make.place("AM")
    region = make.place("AM-SU", PlaceType.REGION, country.id)
    before = client.get(f"{API}/places").json()["total"]
    cases = [
        (place_body("AM-X", "region", region.id), ["body", "parent_id"], "can only lie in"),
        (place_body("AM-Y", "country", country.id), ["body", "parent_id"], "nothing"),
        (place_body("AM-Z", "region"), ["body", "parent_id"], "needs a parent"),
        (place_body("AM-Q", "region", "nope"), ["body", "parent_id"], "no such place"),
        (place_body("am", "country"), ["body", "code"], "already used"),
        (place_body("AM-L", "country", lat=40), ["body", "lon"], "both latitude and longitude"),
        (place_body("a b", "country"), ["body", "code"], "letters"),
        (place_body("AM-T", "village"), ["body", "type"], ""),
        (place_body("AM-U", "country", lat=91, lon=0), ["body", "lat"], ""),
    ]
    for body, loc, message in cases:
        [(got_loc, msg)] = errors(client.post(f"{API}/places", json=body))
        assert got_loc == loc, body
        assert message in msg
    assert ["body", "names"] in locs(
        client.post(f"{API}/places", json={"code": "N", "type": "country", "names": []})
    )
    assert client.get(f"{API}/places").json()["total"] == before
    # editing is checked the same way: a region cannot move under a district
    district = make.place("AM-SU-1", PlaceType.DISTRICT, region.id)
    moved = client.put(f"{API}/places/{region.id}", json=place_body("AM-SU", "region", district.id))
    assert locs(moved) == [["body", "parent_id"]]
    assert client.get(f"{API}/places/{region.id}").json()["parent_id"] == country.id


def test_places_geojson_bbox(api, make):
    client = api(Role.VIEWER)
    country = make.place("AZ", lat=40.1, lon=47.5)
    make.place("AZ-SUS", PlaceType.SETTLEMENT, country.id, "Şuşa", lat=39.76, lon=46.75)
    make.place("AZ-NAX", PlaceType.SETTLEMENT, country.id, "Naxçıvan", lat=39.21, lon=45.41)
    make.place("AZ-NOW", PlaceType.SETTLEMENT, country.id, "Nowhere", lat=None, lon=None)
    everything = client.get(f"{API}/places.geojson")
    assert everything.status_code == 200
    collection = everything.json()
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["code"] for f in collection["features"]} == {"AZ", "AZ-SUS", "AZ-NAX"}
    box = client.get(f"{API}/places.geojson", params={"bbox": "46,39.5,47,40"}).json()
    [feature] = box["features"]
    assert feature["properties"] == {"code": "AZ-SUS", "type": "settlement", "name": "Şuşa"}
    assert feature["geometry"] == {"type": "Point", "coordinates": [46.75, 39.76]}
    typed = client.get(f"{API}/places.geojson", params=[("type", "country")]).json()
    assert [f["properties"]["code"] for f in typed["features"]] == ["AZ"]
    named = client.get(f"{API}/places.geojson", params={"q": "naxcivan"}).json()
    assert [f["properties"]["code"] for f in named["features"]] == ["AZ-NAX"]
    bad = client.get(f"{API}/places.geojson", params={"bbox": "46,39.5,47"})
    assert errors(bad) == [(["query", "bbox"], "give four numbers: west,south,east,north")]


def test_api_docs_load_nothing_from_the_internet(anon):
    page = anon.get("/api/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "https://" not in page.text
    assert anon.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
