"""Households: members and their relationships, origin, current location, needs and intentions."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.scripts import fold
from wayhome.core.vocab import Relationship
from wayhome.services import audit, persons
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import HouseholdInput, MemberInput
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import is_visible, require, visible
from wayhome.store.tables import Household, HouseholdMember, Person, PersonName, Place
from wayhome.store.types import utcnow

ENTITY = "household"


def snapshot(household: Household) -> dict[str, Any]:
    """Return the state of a household, members included, as kept in its history."""
    return {
        "reference": household.reference,
        "origin_place_id": household.origin_place_id,
        "current_place_id": household.current_place_id,
        "address_text": household.address_text,
        "return_intention": household.return_intention,
        "needs": list(household.needs or []),
        "notes": household.notes,
        "source": household.source,
        "members": [
            {"person_id": m.person_id, "relationship": m.relationship_to_head}
            for m in household.members
        ],
        "deleted": household.deleted_at is not None,
    }


def new_reference() -> str:
    """Return a household reference unique across instances, e.g. ``HH-7F3A-91C2-0B4D``."""
    raw = os.urandom(6).hex().upper()
    return f"HH-{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def _check_places(session: Session, data: HouseholdInput) -> None:
    errors = [
        FieldError((name,), N_("no such place"))
        for name in ("origin_place_id", "current_place_id")
        if getattr(data, name) is not None and session.get(Place, getattr(data, name)) is None
    ]
    if errors:
        raise ValidationFailed(errors)


def _check_members(
    session: Session, actor: Actor, members: list[MemberInput], known: int = 0
) -> None:
    """Check new members; the first `known` are already in the household and are not looked up
    again (a partner the household was shared with may not see every member's record)."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, member in enumerate(members):
        if member.person_id in seen:
            errors.append(
                FieldError(("members", i, "person_id"), N_("this person is listed twice"))
            )
        seen.add(member.person_id)
        if i < known:
            continue
        if not is_visible(session, actor, Person, persons.ENTITY, member.person_id):
            errors.append(FieldError(("members", i, "person_id"), N_("no such person")))
    heads = [i for i, m in enumerate(members) if m.relationship == Relationship.HEAD]
    if len(heads) > 1:
        errors.append(
            FieldError(("members", heads[1], "relationship"), N_("a household has one head"))
        )
    if errors:
        raise ValidationFailed(errors)


def _save(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    household: Household,
    before: dict[str, Any] | None,
    action: str,
) -> Household:
    session.flush()
    audit.record_version(
        session,
        wayhome,
        actor,
        ENTITY,
        household.id,
        household.version,
        action,
        snapshot(household),
        before,
    )
    return household


def write_household(
    session: Session, wayhome: Wayhome, actor: Actor, data: HouseholdInput
) -> Household:
    """Create a household (and its first members) inside the caller's transaction."""
    _check_places(session, data)
    _check_members(session, actor, data.members or [])
    household = Household(
        origin_instance=wayhome.instance_id,
        organisation_id=actor.organisation_id,
        recorded_by_id=actor.user_id,
        reference=new_reference(),
    )
    _apply(household, data)
    household.members = [
        HouseholdMember(
            position=i, person_id=m.person_id, relationship_to_head=m.relationship.value
        )
        for i, m in enumerate(data.members or [])
    ]
    session.add(household)
    return _save(session, wayhome, actor, household, None, "create")


def _apply(household: Household, data: HouseholdInput) -> None:
    household.origin_place_id = data.origin_place_id
    household.current_place_id = data.current_place_id
    household.address_text = data.address_text
    household.return_intention = data.return_intention.value
    household.needs = sorted({n.value for n in data.needs})
    household.notes = data.notes
    household.source = data.source


def create_household(wayhome: Wayhome, actor: Actor, data: HouseholdInput) -> Household:
    """Register a household in the actor's organisation."""
    require(actor, "household.create")
    with wayhome.transaction() as session:
        return write_household(session, wayhome, actor, data)


def load_visible(session: Session, actor: Actor, household_id: str) -> Household:
    """Return a household the actor may see, or raise NotFound."""
    household = session.scalar(
        select(Household).where(Household.id == household_id, visible(actor, Household, ENTITY))
    )
    if household is None:
        raise NotFound(N_("no such household"))
    return household


def load_household_for_form(
    wayhome: Wayhome, actor: Actor, household_id: str | None
) -> Household | None:
    """Return the household a new member is being registered into, or None."""
    if not household_id:
        return None
    with wayhome.read() as session:
        return load_visible(session, actor, household_id)


def _editable(session: Session, actor: Actor, household_id: str, version: int | None) -> Household:
    household = load_visible(session, actor, household_id)
    if household.deleted_at is not None:
        raise Conflict(N_("this household is archived; restore it before editing"))
    if version is not None and version != household.version:
        raise Conflict(
            N_(
                "this household was changed by someone else (now version %(version)d); "
                "reload it and make your change again"
            ),
            {"version": household.version},
        )
    return household


def _bump(household: Household) -> None:
    household.version += 1
    household.updated_at = utcnow()


def update_household(
    wayhome: Wayhome, actor: Actor, household_id: str, data: HouseholdInput
) -> Household:
    """Change a household's details; members are changed with add_member/remove_member."""
    require(actor, "household.edit")
    with wayhome.transaction() as session:
        household = _editable(session, actor, household_id, data.version)
        _check_places(session, data)
        before = snapshot(household)
        _apply(household, data)
        _bump(household)
        return _save(session, wayhome, actor, household, before, "update")


def add_member(wayhome: Wayhome, actor: Actor, household_id: str, member: MemberInput) -> Household:
    """Add a person to a household with their relationship to its head."""
    require(actor, "household.edit")
    with wayhome.transaction() as session:
        household = _editable(session, actor, household_id, None)
        current = [
            MemberInput(person_id=m.person_id, relationship=Relationship(m.relationship_to_head))
            for m in household.members
        ]
        try:
            _check_members(session, actor, [*current, member], known=len(current))
        except ValidationFailed as failed:
            raise ValidationFailed(
                [replace(e, loc=e.loc[2:] if len(e.loc) > 2 else e.loc) for e in failed.errors]
            ) from None
        before = snapshot(household)
        household.members.append(
            HouseholdMember(
                position=len(household.members),
                person_id=member.person_id,
                relationship_to_head=member.relationship.value,
            )
        )
        _bump(household)
        return _save(session, wayhome, actor, household, before, "update")


def remove_member(wayhome: Wayhome, actor: Actor, household_id: str, person_id: str) -> Household:
    """Take a person out of a household (the person's record stays)."""
    require(actor, "household.edit")
    with wayhome.transaction() as session:
        household = _editable(session, actor, household_id, None)
        before = snapshot(household)
        kept = [m for m in household.members if m.person_id != person_id]
        if len(kept) == len(household.members):
            raise NotFound(N_("this person is not a member of the household"))
        household.members = kept
        _bump(household)
        return _save(session, wayhome, actor, household, before, "update")


def set_archived(wayhome: Wayhome, actor: Actor, household_id: str, archived: bool) -> Household:
    """Archive a household (never deleted) or restore it."""
    require(actor, "household.archive")
    with wayhome.transaction() as session:
        household = load_visible(session, actor, household_id)
        if (household.deleted_at is not None) == archived:
            return household
        before = snapshot(household)
        household.deleted_at = utcnow() if archived else None
        _bump(household)
        return _save(
            session, wayhome, actor, household, before, "archive" if archived else "restore"
        )


def view_household(wayhome: Wayhome, actor: Actor, household_id: str) -> Household:
    """Return a household for display; viewing its members' names is audited."""
    require(actor, "household.view")
    with wayhome.transaction() as session:
        household = load_visible(session, actor, household_id)
        audit.log(session, actor, "view", ENTITY, household.id)
        return household


def households_of(wayhome: Wayhome, actor: Actor, person_id: str) -> list[Household]:
    """Return the visible households a person belongs to."""
    with wayhome.read() as session:
        return list(
            session.scalars(
                select(Household)
                .join(HouseholdMember)
                .where(HouseholdMember.person_id == person_id, visible(actor, Household, ENTITY))
            ).unique()
        )


def search_households(
    wayhome: Wayhome,
    actor: Actor,
    *,
    q: str | None = None,
    origin_place_id: str | None = None,
    current_place_id: str | None = None,
    return_intention: str | None = None,
    include_archived: bool = False,
    page: int = 1,
    per_page: int = 25,
) -> Page[Household]:
    """Find households by reference or a member's name, origin, current place and intention."""
    require(actor, "household.view")
    query = select(Household).where(visible(actor, Household, ENTITY))
    if not include_archived:
        query = query.where(Household.deleted_at.is_(None))
    if q and q.strip():
        term = fold(q)
        by_member = (
            select(HouseholdMember.household_id)
            .join(PersonName, PersonName.person_id == HouseholdMember.person_id)
            .where(PersonName.folded.contains(term, autoescape=True))
        )
        query = query.where(
            Household.id.in_(by_member)
            | Household.reference.contains(q.strip().upper(), autoescape=True)
        )
    if origin_place_id:
        query = query.where(Household.origin_place_id == origin_place_id)
    if current_place_id:
        query = query.where(Household.current_place_id == current_place_id)
    if return_intention:
        query = query.where(Household.return_intention == return_intention)
    query = query.order_by(Household.created_at.desc(), Household.id)
    with wayhome.read() as session:
        return paginate(session, query, page, per_page)


def share(wayhome: Wayhome, actor: Actor, household_id: str, organisation_id: str | None) -> None:
    """Share a household and its members with another organisation (None: with all)."""
    require(actor, "household.share")
    with wayhome.transaction() as session:
        household = load_visible(session, actor, household_id)
        if household.organisation_id != actor.organisation_id:
            raise ValidationFailed(
                [FieldError(("organisation_id",), N_("only the owner may share"))]
            )
        persons.share_record(session, actor, ENTITY, household.id, organisation_id)
        for member in household.members:
            if member.person.organisation_id == actor.organisation_id:
                persons.share_record(
                    session, actor, persons.ENTITY, member.person_id, organisation_id
                )


def household_history(
    wayhome: Wayhome, actor: Actor, household_id: str
) -> list[audit.HistoryEntry]:
    """Return every version of a household the actor may see."""
    require(actor, "history.view")
    with wayhome.read() as session:
        load_visible(session, actor, household_id)
        return audit.history(session, ENTITY, household_id)
