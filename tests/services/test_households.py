"""Households: members, provenance, history, archiving, search and sharing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from wayhome.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import households, persons
from wayhome.services.accounts import actor_for
from wayhome.services.inputs import HouseholdInput, MemberInput, PersonInput, parse_input
from wayhome.store.tables import Household, HouseholdMember, Person, RecordShare, RecordVersion


def person(wayhome, actor, family, given="X"):
    data = parse_input(PersonInput, {"names": [{"family_name": family, "given_name": given}]})
    return persons.register_person(wayhome, actor, data)


def household(wayhome, actor, *members, **fields):
    data = parse_input(
        HouseholdInput,
        {**fields, "members": [{"person_id": p.id, "relationship": r} for p, r in members]},
    )
    return households.create_household(wayhome, actor, data)


def member(p, relationship):
    return MemberInput(person_id=p.id, relationship=relationship)


def count(wayhome, table, *where) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


def test_provenance_and_members(wayhome, make):
    user = make.user(Role.REGISTRAR)
    actor = actor_for(user)
    head, wife = person(wayhome, actor, "Əliyev", "Rəşad"), person(wayhome, actor, "Əliyeva")
    origin = make.place("AZ")
    current = make.place("AZ-BAK", PlaceType.SETTLEMENT, origin.id, "Bakı")
    created = household(
        wayhome,
        actor,
        (head, "head"),
        (wife, "spouse"),
        origin_place_id=origin.id,
        current_place_id=current.id,
        needs=["shelter", "food", "shelter"],
        return_intention="return",
        source="registration drive",
    )
    assert created.origin_instance == wayhome.instance_id
    assert created.organisation_id == user.organisation_id
    assert created.recorded_by_id == user.id
    assert created.source == "registration drive"
    assert created.version == 1 and created.deleted_at is None
    assert re.fullmatch(r"HH-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", created.reference)
    assert created.needs == ["food", "shelter"]
    assert [(m.person_id, m.relationship_to_head, m.position) for m in created.members] == [
        (head.id, "head", 0),
        (wife.id, "spouse", 1),
    ]
    [entry] = households.household_history(wayhome, actor, created.id)
    assert entry.origin_instance == wayhome.instance_id
    assert entry.snapshot["members"] == [
        {"person_id": head.id, "relationship": "head"},
        {"person_id": wife.id, "relationship": "spouse"},
    ]
    assert entry.snapshot["origin_place_id"] == origin.id
    assert [h.id for h in households.households_of(wayhome, actor, wife.id)] == [created.id]


def test_references_are_unique():
    refs = {households.new_reference() for _ in range(2000)}
    assert len(refs) == 2000


def test_history_snapshots_and_diffs(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    caseworker = make.actor(Role.CASEWORKER)
    head, son = person(wayhome, actor, "Head"), person(wayhome, actor, "Son")
    created = household(wayhome, actor, (head, "head"), address_text="Room 4")
    households.add_member(wayhome, caseworker, created.id, member(son, "son"))
    households.update_household(
        wayhome,
        caseworker,
        created.id,
        parse_input(HouseholdInput, {"address_text": "Room 5", "needs": ["health"]}),
    )
    households.remove_member(wayhome, caseworker, created.id, son.id)
    households.set_archived(wayhome, actor, created.id, True)
    entries = households.household_history(wayhome, actor, created.id)
    assert [(e.version, e.action) for e in entries] == [
        (5, "archive"),
        (4, "update"),
        (3, "update"),
        (2, "update"),
        (1, "create"),
    ]
    archived, removed, updated, added, first = entries
    assert added.changes == {
        "members": [
            [{"person_id": head.id, "relationship": "head"}],
            [
                {"person_id": head.id, "relationship": "head"},
                {"person_id": son.id, "relationship": "son"},
            ],
        ]
    }
    assert updated.changes == {"address_text": ["Room 4", "Room 5"], "needs": [[], ["health"]]}
    assert updated.snapshot["members"] == added.snapshot["members"]  # edits keep members
    assert removed.changes["members"][1] == [{"person_id": head.id, "relationship": "head"}]
    assert archived.changes == {"deleted": [False, True]}
    assert first.snapshot["address_text"] == "Room 4"
    assert count(wayhome, Person) == 2  # removing a member keeps the person
    assert count(wayhome, RecordVersion, RecordVersion.entity_type == "household") == 5


def test_update_ignores_members_and_checks_versions(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    head, other = person(wayhome, actor, "Head"), person(wayhome, actor, "Other")
    created = household(wayhome, actor, (head, "head"))
    payload = {"members": [{"person_id": other.id, "relationship": "head"}], "version": 1}
    updated = households.update_household(
        wayhome, actor, created.id, parse_input(HouseholdInput, payload)
    )
    assert [m.person_id for m in updated.members] == [head.id]
    assert updated.version == 2
    with pytest.raises(Conflict, match="now version 2"):
        households.update_household(
            wayhome, actor, created.id, parse_input(HouseholdInput, {"version": 1})
        )


def test_member_rules(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    a, b, c = (person(wayhome, actor, n) for n in ("A", "B", "C"))
    with pytest.raises(ValidationFailed) as failed:
        household(wayhome, actor, (a, "head"), (b, "head"), (c, "head"))
    assert [(e.loc, e.msg) for e in failed.value.errors] == [
        (("members", 1, "relationship"), "a household has one head")
    ]
    assert count(wayhome, Household) == 0 and count(wayhome, HouseholdMember) == 0
    created = household(wayhome, actor, (a, "head"))
    with pytest.raises(ValidationFailed) as failed:
        households.add_member(wayhome, actor, created.id, member(b, "head"))
    assert [(e.loc, e.msg) for e in failed.value.errors] == [
        (("relationship",), "a household has one head")
    ]
    with pytest.raises(ValidationFailed) as failed:
        households.add_member(wayhome, actor, created.id, member(a, "son"))
    assert [e.loc for e in failed.value.errors] == [("person_id",)]
    with pytest.raises(NotFound, match="not a member"):
        households.remove_member(wayhome, actor, created.id, b.id)
    # a household may have no head yet, and get one later
    headless = household(wayhome, actor, (b, "spouse"))
    assert households.add_member(wayhome, actor, headless.id, member(c, "head")).version == 2
    assert count(wayhome, HouseholdMember) == 3


def test_unknown_places_are_refused(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    with pytest.raises(ValidationFailed) as failed:
        household(wayhome, actor, origin_place_id="nope", current_place_id="nope either")
    assert [e.loc for e in failed.value.errors] == [("origin_place_id",), ("current_place_id",)]
    assert count(wayhome, Household) == 0


def test_archive_and_restore_never_delete(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    head = person(wayhome, actor, "Head")
    created = household(wayhome, actor, (head, "head"))
    archived = households.set_archived(wayhome, actor, created.id, True)
    assert archived.deleted_at is not None
    assert count(wayhome, Household) == 1 and count(wayhome, HouseholdMember) == 1
    assert households.set_archived(wayhome, actor, created.id, True).version == 2  # no-op
    with pytest.raises(Conflict, match="archived"):
        households.add_member(wayhome, actor, created.id, member(head, "son"))
    with pytest.raises(Conflict, match="archived"):
        households.update_household(wayhome, actor, created.id, HouseholdInput())
    assert households.view_household(wayhome, actor, created.id).id == created.id
    restored = households.set_archived(wayhome, actor, created.id, False)
    assert restored.deleted_at is None and restored.version == 3
    assert [m.person_id for m in restored.members] == [head.id]
    with pytest.raises(PermissionDenied):
        households.set_archived(wayhome, make.actor(Role.CASEWORKER), created.id, True)


def test_search_hides_archived_unless_asked(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    origin = make.place("AZ")
    a, b = person(wayhome, actor, "Quliyev", "Vüqar"), person(wayhome, actor, "Quliyeva")
    kept = household(wayhome, actor, (a, "head"), origin_place_id=origin.id)
    gone = household(wayhome, actor, (b, "head"), return_intention="stay")
    households.set_archived(wayhome, actor, gone.id, True)
    assert [h.id for h in households.search_households(wayhome, actor).items] == [kept.id]
    assert households.search_households(wayhome, actor, q="quliyev").total == 1
    everything = households.search_households(wayhome, actor, q="quliyev", include_archived=True)
    assert {h.id for h in everything.items} == {kept.id, gone.id}
    assert households.search_households(wayhome, actor, q="vuqar").total == 1  # folded
    assert households.search_households(wayhome, actor, q=kept.reference.lower()).total == 1
    assert households.search_households(wayhome, actor, q="%").total == 0
    by_origin = households.search_households(wayhome, actor, origin_place_id=origin.id)
    assert [h.id for h in by_origin.items] == [kept.id]
    staying = households.search_households(
        wayhome, actor, return_intention="stay", include_archived=True
    )
    assert [h.id for h in staying.items] == [gone.id]


def test_roles(wayhome, make):
    registrar = make.actor(Role.REGISTRAR)
    for role in (Role.CASEWORKER, Role.ANALYST, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            household(wayhome, make.actor(role))
    created = household(wayhome, registrar)
    caseworker = make.actor(Role.CASEWORKER)
    p = person(wayhome, registrar, "P")
    assert households.add_member(wayhome, caseworker, created.id, member(p, "head")).version == 2
    with pytest.raises(PermissionDenied):
        households.add_member(wayhome, make.actor(Role.ANALYST), created.id, member(p, "son"))
    assert count(wayhome, Household) == 1


def test_sharing_shares_the_owners_members_only(wayhome, make):
    owner = make.actor(Role.REGISTRAR, "ORG1")
    partner = make.actor(Role.VIEWER, "ORG2")
    outsider = make.actor(Role.REGISTRAR, "ORG3")
    ours = person(wayhome, owner, "Ours")
    theirs = person(wayhome, outsider, "Theirs")
    persons.share(wayhome, outsider, theirs.id, owner.organisation_id)  # ORG3 → ORG1 only
    created = household(wayhome, owner, (ours, "head"), (theirs, "spouse"))
    with pytest.raises(NotFound):
        households.view_household(wayhome, partner, created.id)

    households.share(wayhome, owner, created.id, partner.organisation_id)
    assert households.view_household(wayhome, partner, created.id).id == created.id
    assert persons.view_person(wayhome, partner, ours.id).id == ours.id
    with pytest.raises(NotFound):  # ORG1 cannot pass on what ORG3 shared with it
        persons.view_person(wayhome, partner, theirs.id)
    assert households.search_households(wayhome, partner).total == 1
    assert count(wayhome, RecordShare) == 3  # theirs→ORG1, household→ORG2, ours→ORG2

    with pytest.raises(ValidationFailed) as failed:
        households.share(wayhome, make.actor(Role.REGISTRAR, "ORG2"), created.id, None)
    assert failed.value.for_field("organisation_id") == "only the owner may share"
    with pytest.raises(PermissionDenied):
        households.share(wayhome, make.actor(Role.CASEWORKER, "ORG1"), created.id, None)
    with pytest.raises(NotFound):
        households.share(wayhome, outsider, created.id, None)


def test_partner_can_add_members_after_the_owner_added_unshared_ones(wayhome, make):
    owner = make.actor(Role.REGISTRAR, "ORG1")
    partner = make.actor(Role.CASEWORKER, "ORG2")
    head = person(wayhome, owner, "Head")
    created = household(wayhome, owner, (head, "head"))
    households.share(wayhome, owner, created.id, partner.organisation_id)
    later = person(wayhome, owner, "Later")  # added after sharing: not shared with ORG2
    households.add_member(wayhome, owner, created.id, member(later, "son"))
    newborn = person(wayhome, make.actor(Role.REGISTRAR, "ORG2"), "Newborn")
    updated = households.add_member(wayhome, partner, created.id, member(newborn, "grandson"))
    assert [m.person_id for m in updated.members] == [head.id, later.id, newborn.id]
    with pytest.raises(ValidationFailed) as failed:  # the rules still hold for the partner
        households.add_member(wayhome, partner, created.id, member(head, "son"))
    assert [(e.loc, e.msg) for e in failed.value.errors] == [
        (("person_id",), "this person is listed twice")
    ]
    stranger = person(wayhome, make.actor(Role.REGISTRAR, "ORG3"), "Stranger")
    with pytest.raises(ValidationFailed) as failed:
        households.add_member(wayhome, partner, created.id, member(stranger, "other_relative"))
    assert [(e.loc, e.msg) for e in failed.value.errors] == [(("person_id",), "no such person")]
