"""Who may do what: one matrix of roles × actions, and the rule that records stay in their organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from wayhome.core.errors import PermissionDenied
from wayhome.core.messages import N_, Term
from wayhome.core.vocab import Role
from wayhome.services.context import Actor
from wayhome.store.tables import RecordShare

A, R, C, N, V = Role.ADMIN, Role.REGISTRAR, Role.CASEWORKER, Role.ANALYST, Role.VIEWER
EVERYONE = frozenset(Role)

MATRIX: dict[str, frozenset[Role]] = {
    "place.view": EVERYONE,
    "place.create": frozenset({A, N}),
    "place.edit": frozenset({A, N}),
    "place.import": frozenset({A, N}),
    "person.view": EVERYONE,
    "person.create": frozenset({A, R}),
    "person.edit": frozenset({A, R, C}),
    "person.archive": frozenset({A, R}),
    "person.share": frozenset({A, R}),
    "household.view": EVERYONE,
    "household.create": frozenset({A, R}),
    "household.edit": frozenset({A, R, C}),
    "household.archive": frozenset({A, R}),
    "household.share": frozenset({A, R}),
    "displacement.create": frozenset({A, R, C}),
    "displacement.edit": frozenset({A, R, C}),
    "history.view": EVERYONE,
    "audit.view": frozenset({A}),
    "user.manage": frozenset({A}),
    "token.own": EVERYONE,
    "heritage.view": EVERYONE,
    "heritage.edit": frozenset({A, N}),
    "heritage.assess": frozenset({A, N, C}),  # caseworkers pass on what communities report
    "heritage.exact_location": frozenset({A, N}),  # of sensitive sites; see services/heritage.py
    "hazard.view": EVERYONE,
    "hazard.edit": frozenset({A, N}),
    "release.record": frozenset({A, N}),
    "accident.view": frozenset({A, R, C, N}),
    "accident.edit": frozenset({A, N}),
    "victim.personal_data": frozenset({A, R, C}),  # a victim's person link and notes in exports
    "geodata.export": EVERYONE,  # each layer also needs its own *.view; see services/geodata.py
    "geodata.import": frozenset({A, N}),  # each layer also needs its own edit action
    "readiness.view": EVERYONE,
    "readiness.record": frozenset({A, N, C}),  # caseworkers pass on what they observe
    "readiness.configure": frozenset({A, N}),
    # the duplicates review queue: registrars and admins decide; caseworkers may look and flag
    "duplicates.view": frozenset({A, R, C}),
    "duplicates.find": frozenset({A, R}),
    "duplicates.flag": frozenset({A, R, C}),
    "duplicates.decide": frozenset({A, R}),  # "different people", "not sure"
    "duplicates.merge": frozenset({A, R}),  # "same person" and its undo; owner only (duplicates.py)
}


def can(actor: Actor, action: str) -> bool:
    """Tell whether the actor's role allows an action (see MATRIX)."""
    return actor.role in MATRIX[action]


def require(actor: Actor, action: str) -> None:
    """Raise PermissionDenied unless the actor's role allows the action."""
    if not can(actor, action):
        raise PermissionDenied(
            N_("a %(role)s may not %(action)s"),
            {"role": Term(actor.role.value), "action": action.replace(".", " ")},
        )


def visible(actor: Actor, model: Any, entity_type: str) -> ColumnElement[bool]:
    """SQL condition: the record belongs to the actor's organisation or is shared with it."""
    shared = exists(
        select(RecordShare.id).where(
            RecordShare.entity_type == entity_type,
            RecordShare.entity_id == model.id,
            or_(
                RecordShare.organisation_id.is_(None),
                RecordShare.organisation_id == actor.organisation_id,
            ),
        )
    )
    return or_(model.organisation_id == actor.organisation_id, shared)


def is_visible(
    session: Session, actor: Actor, model: Any, entity_type: str, record_id: str
) -> bool:
    """Tell whether one record exists and the actor may see it (a cheap id-only query)."""
    found = session.scalar(
        select(model.id).where(model.id == record_id, visible(actor, model, entity_type))
    )
    return found is not None
