"""Victims of accidents; those linked to a registry person are visible only as that person is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wayhome.core.errors import FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_, Term
from wayhome.services import audit, persons
from wayhome.services.contamination.accidents import _load_accident, _victim_counts
from wayhome.services.contamination.common import VICTIM, _bump, _conflict, _new
from wayhome.services.contamination_inputs import VictimInput
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require, visible
from wayhome.store.tables import Person
from wayhome.store.tables_contamination import MineAccident, MineVictim


def victim_snapshot(victim: MineVictim) -> dict[str, Any]:
    """Return the state of a victim as kept in their history."""
    return {
        "accident_id": victim.accident_id,
        "person_id": victim.person_id,
        "sex": victim.sex,
        "age_group": victim.age_group,
        "outcome": victim.outcome,
        "activity": victim.activity,
        "notes": victim.notes,
        "source": victim.source,
        "deleted": victim.deleted_at is not None,
    }


def victim_visible(actor: Actor) -> Any:
    """SQL condition: the victim is anonymous, or the actor may see the person it is linked to."""
    people = select(Person.id).where(visible(actor, Person, persons.ENTITY))
    return or_(MineVictim.person_id.is_(None), MineVictim.person_id.in_(people))


def _load_victim(session: Session, actor: Actor, victim_id: str) -> MineVictim:
    victim = session.scalar(
        select(MineVictim).where(
            MineVictim.id == victim_id, MineVictim.deleted_at.is_(None), victim_visible(actor)
        )
    )
    if victim is None:
        raise NotFound(N_("no such victim"))
    return victim


def write_victim(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    accident: MineAccident,
    data: VictimInput,
    victim: MineVictim | None = None,
) -> MineVictim:
    """Record or change a victim of an accident inside the caller's transaction."""
    if victim is not None and data.version is not None and data.version != victim.version:
        raise _conflict(victim.version)
    errors: list[FieldError] = []
    if data.person_id is not None and (victim is None or data.person_id != victim.person_id):
        try:
            persons.load_visible(session, actor, data.person_id)
        except NotFound:
            errors.append(FieldError(("person_id",), N_("no such person")))
        else:
            linked = session.scalar(
                select(MineVictim.id).where(
                    MineVictim.accident_id == accident.id,
                    MineVictim.person_id == data.person_id,
                    MineVictim.deleted_at.is_(None),
                )
            )
            if linked is not None:
                errors.append(
                    FieldError(
                        ("person_id",),
                        N_("this person is already recorded as a victim of this accident"),
                    )
                )
    counts = _victim_counts(session, accident.id)
    if victim is not None:
        counts[victim.outcome] -= 1
    total = getattr(accident, data.outcome.value)
    if counts.get(data.outcome.value, 0) + 1 > total:
        errors.append(
            FieldError(
                ("outcome",),
                N_(
                    "the accident counts %(count)d %(outcome)s; change its totals before "
                    "recording another victim"
                ),
                {"count": total, "outcome": Term(data.outcome.value)},
            )
        )
    if errors:
        raise ValidationFailed(errors)
    before = victim_snapshot(victim) if victim is not None else None
    if victim is None:
        victim = _new(MineVictim, wayhome, actor, accident_id=accident.id)
        session.add(victim)
        action = "create"
    else:
        _bump(victim, data.version)
        action = "update"
    victim.person_id = data.person_id
    victim.sex = data.sex.value
    victim.age_group = data.age_group.value
    victim.outcome = data.outcome.value
    victim.activity = data.activity.value if data.activity else None
    victim.notes = data.notes
    victim.source = data.source
    session.flush()
    audit.record_version(
        session,
        wayhome,
        actor,
        VICTIM,
        victim.id,
        victim.version,
        action,
        victim_snapshot(victim),
        before,
    )
    return victim


def add_victim(wayhome: Wayhome, actor: Actor, accident_id: str, data: VictimInput) -> MineVictim:
    """Record a victim of an accident, linked to a registry person you may see, or anonymous."""
    require(actor, "accident.edit")
    with wayhome.transaction() as session:
        accident = _load_accident(session, accident_id)
        return write_victim(session, wayhome, actor, accident, data)


def update_victim(wayhome: Wayhome, actor: Actor, victim_id: str, data: VictimInput) -> MineVictim:
    """Change a victim you may see; the old state stays in the history."""
    require(actor, "accident.edit")
    with wayhome.transaction() as session:
        victim = _load_victim(session, actor, victim_id)
        accident = _load_accident(session, victim.accident_id)
        return write_victim(session, wayhome, actor, accident, data, victim)


def list_victims(wayhome: Wayhome, actor: Actor, accident_id: str) -> list[MineVictim]:
    """Return the victims of an accident the actor may see."""
    require(actor, "accident.view")
    with wayhome.read() as session:
        _load_accident(session, accident_id)
        return list(
            session.scalars(
                select(MineVictim)
                .where(
                    MineVictim.accident_id == accident_id,
                    MineVictim.deleted_at.is_(None),
                    victim_visible(actor),
                )
                .order_by(MineVictim.created_at, MineVictim.id)
            )
        )


def victim_history(wayhome: Wayhome, actor: Actor, victim_id: str) -> list[audit.HistoryEntry]:
    """Return every version of a victim the actor may see (the view is audited)."""
    require(actor, "accident.view")
    require(actor, "history.view")
    with wayhome.transaction() as session:
        _load_victim(session, actor, victim_id)
        audit.log(session, actor, "view_history", VICTIM, victim_id)
        return audit.history(session, VICTIM, victim_id)
