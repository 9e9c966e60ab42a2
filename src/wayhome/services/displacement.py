"""Displacement events: origin, date, current location and status of a person, with history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.services import audit, households, persons
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import DisplacementInput
from wayhome.services.permissions import is_visible, require
from wayhome.store.tables import DisplacementEvent, Household, Person, Place
from wayhome.store.types import utcnow

ENTITY = "displacement"


def snapshot(event: DisplacementEvent) -> dict[str, Any]:
    """Return the state of a displacement event as kept in its history."""
    return {
        "person_id": event.person_id,
        "household_id": event.household_id,
        "origin_place_id": event.origin_place_id,
        "displaced_on": event.displaced_on,
        "current_place_id": event.current_place_id,
        "current_location_text": event.current_location_text,
        "status": event.status,
        "status_date": event.status_date,
        "notes": event.notes,
        "source": event.source,
        "deleted": event.deleted_at is not None,
    }


def _validate(session: Session, actor: Actor, data: DisplacementInput) -> None:
    errors = [
        FieldError((name,), N_("no such place"))
        for name in ("origin_place_id", "current_place_id")
        if getattr(data, name) is not None and session.get(Place, getattr(data, name)) is None
    ]
    if data.household_id is not None and not is_visible(
        session, actor, Household, households.ENTITY, data.household_id
    ):
        errors.append(FieldError(("household_id",), N_("no such household")))
    if data.displaced_on and data.status_date:
        start = parse_partial_date(data.displaced_on).earliest()
        end = parse_partial_date(data.status_date).latest()  # "1992" may well be after "1992-05"
        if start and end and end < start:
            errors.append(FieldError(("status_date",), N_("is before the date of displacement")))
    if errors:
        raise ValidationFailed(errors)


def _apply(event: DisplacementEvent, data: DisplacementInput) -> None:
    when = parse_partial_date(data.displaced_on)
    event.household_id = data.household_id
    event.origin_place_id = data.origin_place_id
    event.displaced_on = when.iso()
    event.displaced_on_precision = when.precision.value
    event.current_place_id = data.current_place_id
    event.current_location_text = data.current_location_text
    event.status = data.status.value
    event.status_date = data.status_date
    event.notes = data.notes
    event.source = data.source


def write_event(
    session: Session, wayhome: Wayhome, actor: Actor, person_id: str, data: DisplacementInput
) -> DisplacementEvent:
    """Record a displacement inside the caller's transaction."""
    if not is_visible(session, actor, Person, persons.ENTITY, person_id):
        raise NotFound(N_("no such person"))
    _validate(session, actor, data)
    event = DisplacementEvent(
        origin_instance=wayhome.instance_id,
        organisation_id=actor.organisation_id,
        recorded_by_id=actor.user_id,
        person_id=person_id,
    )
    _apply(event, data)
    session.add(event)
    session.flush()
    audit.record_version(
        session, wayhome, actor, ENTITY, event.id, event.version, "create", snapshot(event), None
    )
    return event


def record_displacement(
    wayhome: Wayhome, actor: Actor, person_id: str, data: DisplacementInput
) -> DisplacementEvent:
    """Record that a person was displaced, and where they are now."""
    require(actor, "displacement.create")
    with wayhome.transaction() as session:
        return write_event(session, wayhome, actor, person_id, data)


def update_displacement(
    wayhome: Wayhome, actor: Actor, event_id: str, data: DisplacementInput
) -> DisplacementEvent:
    """Change a displacement event (e.g. the person returned); the old state stays in history."""
    require(actor, "displacement.edit")
    with wayhome.transaction() as session:
        event = session.get(DisplacementEvent, event_id)
        if event is None:
            raise NotFound(N_("no such displacement"))
        persons.load_visible(session, actor, event.person_id)
        if data.version is not None and data.version != event.version:
            raise Conflict(
                N_("this displacement was changed by someone else (now version %(version)d)"),
                {"version": event.version},
            )
        _validate(session, actor, data)
        before = snapshot(event)
        _apply(event, data)
        event.version += 1
        event.updated_at = utcnow()
        session.flush()
        audit.record_version(
            session,
            wayhome,
            actor,
            ENTITY,
            event.id,
            event.version,
            "update",
            snapshot(event),
            before,
        )
        return event


def get_displacement(wayhome: Wayhome, actor: Actor, event_id: str) -> DisplacementEvent:
    """Return one displacement event whose person the actor may see."""
    with wayhome.read() as session:
        event = session.get(DisplacementEvent, event_id)
        if event is None:
            raise NotFound(N_("no such displacement"))
        persons.load_visible(session, actor, event.person_id)
        return event


def events_of(wayhome: Wayhome, actor: Actor, person_id: str) -> list[DisplacementEvent]:
    """Return a person's displacement events, latest first."""
    with wayhome.read() as session:
        persons.load_visible(session, actor, person_id)
        return list(
            session.scalars(
                select(DisplacementEvent)
                .where(
                    DisplacementEvent.person_id == person_id,
                    DisplacementEvent.deleted_at.is_(None),
                )
                .order_by(
                    DisplacementEvent.displaced_on.desc(), DisplacementEvent.created_at.desc()
                )
            )
        )


def displacement_history(wayhome: Wayhome, actor: Actor, event_id: str) -> list[audit.HistoryEntry]:
    """Return every version of a displacement event."""
    get_displacement(wayhome, actor, event_id)
    with wayhome.read() as session:
        return audit.history(session, ENTITY, event_id)
