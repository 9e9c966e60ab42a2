"""Persons: provenance, history snapshots and diffs, archiving, search and sharing."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select

from wayhome.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wayhome.core.vocab import Role
from wayhome.services import audit, persons
from wayhome.services.accounts import actor_for
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables import AuditEvent, Person, PersonName, RecordShare, RecordVersion


def data(family="Мамедов", given="Али", **extra) -> PersonInput:
    return parse_input(
        PersonInput, {"names": [{"family_name": family, "given_name": given}], **extra}
    )


def register(wayhome, actor, family="Мамедов", given="Али", **extra):
    return persons.register_person(wayhome, actor, data(family, given, **extra))


def count(wayhome, table, *where) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


def test_provenance_of_a_new_person(wayhome, make):
    user = make.user(Role.REGISTRAR)
    actor = make.actor(Role.REGISTRAR)  # a colleague in the same organisation
    person = register(wayhome, actor_for(user), source="intake form 12")
    assert person.origin_instance == wayhome.instance_id
    assert person.origin_instance.startswith("wh-")
    assert person.organisation_id == user.organisation_id
    assert person.recorded_by_id == user.id
    assert person.source == "intake form 12"
    assert person.version == 1 and person.deleted_at is None
    for stamp in (person.recorded_at, person.created_at, person.updated_at):
        assert stamp.tzinfo is not None and stamp.utcoffset() == UTC.utcoffset(None)

    edited = persons.update_person(wayhome, actor, person.id, data(source="phone call"))
    assert edited.recorded_by_id == user.id  # who first recorded the person stays
    assert edited.origin_instance == wayhome.instance_id
    assert edited.version == 2
    assert edited.updated_at > person.updated_at
    assert edited.created_at == person.created_at
    [latest, first] = persons.person_history(wayhome, actor, person.id)
    assert first.changed_by == f"{user.full_name} ({user.username})"
    assert latest.changed_by == f"{actor.full_name} ({actor.username})"
    assert latest.changes == {"source": ["intake form 12", "phone call"]}
    assert {first.origin_instance, latest.origin_instance} == {wayhome.instance_id}


def test_names_are_kept_as_recorded(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    person = persons.register_person(
        wayhome,
        actor,
        parse_input(
            PersonInput,
            {
                "names": [
                    {"kind": "alias", "family_name": "Mamedov", "given_name": "Ali"},
                    {
                        "family_name": "  Məmmədov ",
                        "given_name": "Əli",
                        "patronymic": "Həsən oğlu",
                        "lang": "az",
                    },
                    {"kind": "former_spelling", "family_name": "Մամեդով"},
                ]
            },
        ),
    )
    assert [(n.kind, n.script) for n in person.names] == [
        ("primary", "Latn"),
        ("alias", "Latn"),
        ("former_spelling", "Armn"),
    ]
    assert person.display_name == "Məmmədov Əli Həsən oğlu"  # the primary name leads
    assert person.names[0].family_name == "Məmmədov"  # stripped, otherwise untouched
    assert person.names[0].lang == "az"
    with wayhome.read() as session:
        folded = sorted(session.scalars(select(PersonName.folded)))
    assert folded == ["mamedov ali", "memmedov eli hesen oglu", "մամեդով"]


def test_history_keeps_snapshots_and_diffs(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    person = register(wayhome, actor, sex="M", birth_date="1957")
    persons.update_person(
        wayhome, actor, person.id, data(sex="M", birth_date="1957-03", notes="limp, left leg")
    )
    persons.update_person(
        wayhome, actor, person.id, data("Мамедов", "Алы", sex="M", birth_date="1957-03")
    )
    persons.set_archived(wayhome, actor, person.id, True)
    persons.set_archived(wayhome, actor, person.id, False)
    entries = persons.person_history(wayhome, actor, person.id)
    assert [(e.version, e.action) for e in entries] == [
        (5, "restore"),
        (4, "archive"),
        (3, "update"),
        (2, "update"),
        (1, "create"),
    ]
    restore, archive, rename, redate, create = entries
    assert create.changes["birth_date"] == [None, "1957"]
    assert create.changes["deleted"] == [None, False]
    assert create.snapshot["names"] == [
        {
            "kind": "primary",
            "given_name": "Али",
            "family_name": "Мамедов",
            "patronymic": None,
            "script": "Cyrl",
            "lang": None,
        }
    ]
    assert redate.changes == {
        "birth_date": ["1957", "1957-03"],
        "notes": [None, "limp, left leg"],
    }
    assert set(rename.changes) == {"names", "notes"}
    assert rename.changes["names"][0][0]["given_name"] == "Али"
    assert rename.changes["names"][1][0]["given_name"] == "Алы"
    assert archive.changes == {"deleted": [False, True]}
    assert restore.changes == {"deleted": [True, False]}
    assert restore.snapshot == {**rename.snapshot, "deleted": False}
    # every version is a full snapshot, not only the diff
    assert redate.snapshot["names"] == create.snapshot["names"]
    assert count(wayhome, RecordVersion, RecordVersion.entity_id == person.id) == 5
    writes = count(
        wayhome,
        AuditEvent,
        AuditEvent.entity_id == person.id,
        AuditEvent.action.in_(("create", "update", "archive", "restore")),
    )
    assert writes == 5
    assert count(wayhome, AuditEvent, AuditEvent.action == "view_history") == 1


def test_stale_version_and_archived_record_conflict(wayhome, make):
    actor = make.actor(Role.CASEWORKER)
    registrar = make.actor(Role.REGISTRAR)
    person = register(wayhome, registrar)
    persons.update_person(wayhome, actor, person.id, data(notes="first", version=1))
    with pytest.raises(Conflict, match="now version 2"):
        persons.update_person(wayhome, actor, person.id, data(notes="second", version=1))
    persons.update_person(wayhome, actor, person.id, data(notes="no version given"))
    persons.set_archived(wayhome, registrar, person.id, True)
    with pytest.raises(Conflict, match="archived"):
        persons.update_person(wayhome, actor, person.id, data(notes="late"))
    with pytest.raises(PermissionDenied):
        persons.set_archived(wayhome, actor, person.id, False)  # caseworkers cannot archive
    assert count(wayhome, RecordVersion, RecordVersion.entity_id == person.id) == 4


def test_archive_and_restore_never_delete(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    person = register(wayhome, actor)
    kept = register(wayhome, actor, "Other")
    archived = persons.set_archived(wayhome, actor, person.id, True)
    assert archived.deleted_at is not None and archived.version == 2
    assert count(wayhome, Person) == 2
    assert count(wayhome, PersonName, PersonName.person_id == person.id) == 1
    again = persons.set_archived(wayhome, actor, person.id, True)
    assert again.version == 2  # archiving an archived person is a no-op, not a new version
    assert persons.view_person(wayhome, actor, person.id).id == person.id
    restored = persons.set_archived(wayhome, actor, person.id, False)
    assert restored.deleted_at is None and restored.version == 3
    assert count(wayhome, Person) == 2
    assert kept.deleted_at is None


def test_archived_hidden_from_search_unless_asked(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    gone = register(wayhome, actor, "Мамедов", "Али")
    here = register(wayhome, actor, "Мамедова", "Лейла")
    persons.set_archived(wayhome, actor, gone.id, True)
    assert [p.id for p in persons.search_persons(wayhome, actor, q="мамедов").items] == [here.id]
    assert persons.search_persons(wayhome, actor).total == 1
    both = persons.search_persons(wayhome, actor, q="мамедов", include_archived=True)
    assert {p.id for p in both.items} == {gone.id, here.id}
    assert persons.search_persons(wayhome, actor, q="али").total == 0
    assert persons.search_persons(wayhome, actor, q="али", include_archived=True).total == 1


def test_search_terms_are_literal(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    register(wayhome, actor, "Smith", "John")
    for query in ("%", "_", "s%h", "j_hn", "\\"):
        assert persons.search_persons(wayhome, actor, q=query).total == 0, query
    assert persons.search_persons(wayhome, actor, q="  SMITH   john ").total == 1
    assert persons.search_persons(wayhome, actor, q="mit").total == 1  # substring match


def test_search_filters_and_pages(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    for i in range(5):
        register(wayhome, actor, f"Name{i}", "X", sex="F" if i < 2 else "M", birth_date=f"198{i}")
    assert persons.search_persons(wayhome, actor, sex="F").total == 2
    assert persons.search_persons(wayhome, actor, birth_year=1983).total == 1
    page = persons.search_persons(wayhome, actor, page=2, per_page=2)
    assert (page.total, page.pages, page.has_next) == (5, 3, True)
    assert [p.display_name for p in page.items] == ["Name2 X", "Name3 X"]
    last = persons.search_persons(wayhome, actor, page=3, per_page=2)
    assert not last.has_next and len(last.items) == 1


def test_viewing_is_audited_and_needs_visibility(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    viewer = make.actor(Role.VIEWER)
    stranger = make.actor(Role.ADMIN, "ORG2")
    person = register(wayhome, actor)
    persons.view_person(wayhome, viewer, person.id)
    with pytest.raises(NotFound):
        persons.view_person(wayhome, stranger, person.id)
    admin = make.actor(Role.ADMIN)
    views = audit.audit_events(wayhome, admin, entity_id=person.id, action="view")
    assert [e.username for e in views.events] == [viewer.username]
    assert audit.audit_events(wayhome, stranger, action="view").total == 0


def test_roles(wayhome, make):
    with pytest.raises(PermissionDenied, match="a viewer may not person create"):
        register(wayhome, make.actor(Role.VIEWER))
    with pytest.raises(PermissionDenied):
        register(wayhome, make.actor(Role.CASEWORKER))
    with pytest.raises(PermissionDenied):
        register(wayhome, make.actor(Role.ANALYST))
    person = register(wayhome, make.actor(Role.ADMIN))
    edited = persons.update_person(wayhome, make.actor(Role.CASEWORKER), person.id, data())
    assert edited.version == 2
    with pytest.raises(PermissionDenied):
        persons.update_person(wayhome, make.actor(Role.VIEWER), person.id, data())
    assert count(wayhome, Person) == 1


def test_validation_writes_nothing(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    bad = parse_input(PersonInput, {"names": [{"family_name": "Ok"}], "birth_place_id": "nope"})
    with pytest.raises(ValidationFailed) as failed:
        persons.register_person(wayhome, actor, bad)
    assert failed.value.for_field("birth_place_id") == "no such place"
    with pytest.raises(ValidationFailed) as failed:
        parse_input(PersonInput, {"names": [{"family_name": "Ok"}], "birth_date": "1957-02-30"})
    assert [e.loc for e in failed.value.errors] == [("birth_date",)]
    assert failed.value.errors[0].text() == "1957-02 has no day 30"
    assert count(wayhome, Person) == 0 and count(wayhome, RecordVersion) == 0


def test_sharing(wayhome, make):
    owner = make.actor(Role.REGISTRAR, "ORG1")
    partner = make.actor(Role.CASEWORKER, "ORG2")
    third = make.actor(Role.VIEWER, "ORG3")
    person = register(wayhome, owner)
    assert persons.search_persons(wayhome, partner).total == 0

    persons.share(wayhome, owner, person.id, partner.organisation_id)
    persons.share(wayhome, owner, person.id, partner.organisation_id)  # idempotent
    assert count(wayhome, RecordShare) == 1
    assert count(wayhome, AuditEvent, AuditEvent.action == "share") == 1
    assert [s.organisation_id for s in persons.shares(wayhome, "person", person.id)] == [
        partner.organisation_id
    ]
    assert persons.view_person(wayhome, partner, person.id).id == person.id
    assert persons.search_persons(wayhome, partner, q="мамедов").total == 1
    edited = persons.update_person(wayhome, partner, person.id, data(notes="seen in camp"))
    assert edited.organisation_id == owner.organisation_id  # the owner does not change
    with pytest.raises(NotFound):
        persons.view_person(wayhome, third, person.id)

    with pytest.raises(ValidationFailed) as failed:
        persons.share(wayhome, make.actor(Role.REGISTRAR, "ORG2"), person.id, None)
    assert failed.value.for_field("organisation_id") == "only the owner may share"
    with pytest.raises(PermissionDenied):
        persons.share(wayhome, make.actor(Role.CASEWORKER, "ORG1"), person.id, None)
    with pytest.raises(ValidationFailed) as failed:
        persons.share(wayhome, owner, person.id, "no-such-org")
    assert failed.value.for_field("organisation_id") == "no such organisation"

    persons.share(wayhome, owner, person.id, None)  # with every organisation
    assert persons.view_person(wayhome, third, person.id).id == person.id
    assert count(wayhome, RecordShare) == 2
    assert persons.person_history(wayhome, third, person.id)[0].version == 2
