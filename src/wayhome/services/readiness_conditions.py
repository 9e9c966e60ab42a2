"""Conditions observed in settlements: housing damage and basic services, with date and source.

Observations are shared nationally, like the gazetteer and hazard areas: every organisation sees
them (the index of a settlement must not depend on who looks at it). Each one is a record with
provenance and history; a later observation does not erase an earlier one, the index uses the
most recent observation of each indicator.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import FieldError, InvalidValue, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.vocab import PlaceType
from wayhome.services import audit, readiness_store
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import Input, Text, _blank_to_none
from wayhome.services.permissions import require
from wayhome.services.readiness_config import Service, ServiceStatus
from wayhome.store.tables import Place
from wayhome.store.tables_readiness import SettlementCondition

CONDITION_ENTITY = "settlement_condition"


class ConditionInput(Input):
    """What was observed in a settlement on a date; give housing damage, services, or both."""

    observed_on: Annotated[str, Field(min_length=4, max_length=10, description="YYYY[-MM[-DD]]")]
    housing_damage_pct: Annotated[
        float | None,
        Field(ge=0, le=100, description="Share of housing damaged or destroyed, in per cent."),
    ] = None
    services: dict[Service, ServiceStatus] = Field(
        default_factory=dict, description="Availability of each service observed."
    )
    source: Text | None = None
    notes: Annotated[str | None, Field(max_length=4000)] = None

    _blank = field_validator("housing_damage_pct", "source", "notes", mode="before")(_blank_to_none)

    @field_validator("services", mode="before")
    @classmethod
    def _drop_unobserved(cls, value: Any) -> Any:
        """A form sends every service; an empty choice means it was not observed."""
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if v not in (None, "")}
        return value

    @field_validator("observed_on")
    @classmethod
    def _date(cls, value: str) -> str:
        parsed = parse_partial_date(value)
        iso = parsed.iso()
        if iso is None:
            raise InvalidValue(N_("is required"))
        return iso


def snapshot(condition: SettlementCondition) -> dict[str, Any]:
    """Return the state of an observation as kept in its history."""
    return {
        "place_id": condition.place_id,
        "observed_on": condition.observed_on,
        "housing_damage_pct": condition.housing_damage_pct,
        "services": dict(sorted(condition.services.items())),
        "source": condition.source,
        "notes": condition.notes,
    }


def load_settlement(session: Session, place_id: str) -> Place:
    """Return a settlement (a place of type settlement, not archived) or raise NotFound."""
    place = session.get(Place, place_id)
    if place is None or place.deleted_at is not None or place.type != PlaceType.SETTLEMENT:
        raise NotFound(N_("no such settlement"))
    return place


def write_condition(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    place_id: str,
    data: ConditionInput,
    *,
    today: date | None = None,
) -> SettlementCondition:
    """Record an observation inside the caller's transaction (batch callers such as the demo)."""
    load_settlement(session, place_id)
    errors: list[FieldError] = []
    try:
        observed = parse_partial_date(data.observed_on, today=today or date.today())
    except InvalidValue as error:
        errors.append(FieldError(("observed_on",), error.template, error.params))
        observed = None
    if data.housing_damage_pct is None and not data.services:
        errors.append(
            FieldError(("housing_damage_pct",), N_("give the housing damage, services, or both"))
        )
    if errors or observed is None:
        raise ValidationFailed(errors)
    condition = SettlementCondition(
        origin_instance=wayhome.instance_id,
        organisation_id=actor.organisation_id,
        recorded_by_id=actor.user_id,
        place_id=place_id,
        observed_on=observed.iso(),
        observed_on_precision=observed.precision.value,
        housing_damage_pct=data.housing_damage_pct,
        services={k.value: v.value for k, v in sorted(data.services.items())},
        source=data.source,
        notes=data.notes,
    )
    session.add(condition)
    session.flush()
    readiness_store.places_changed(session, [place_id])
    audit.record_version(
        session,
        wayhome,
        actor,
        CONDITION_ENTITY,
        condition.id,
        condition.version,
        "create",
        snapshot(condition),
        None,
    )
    return condition


def record_condition(
    wayhome: Wayhome, actor: Actor, place_id: str, data: ConditionInput
) -> SettlementCondition:
    """Record what was observed in a settlement."""
    require(actor, "readiness.record")
    with wayhome.transaction() as session:
        return write_condition(session, wayhome, actor, place_id, data)


def condition_order() -> tuple[Any, ...]:
    """Chronological order: observed (partial dates sort as text), then recorded."""
    c = SettlementCondition
    return (c.observed_on, c.created_at, c.id)


def list_conditions(wayhome: Wayhome, actor: Actor, place_id: str) -> list[SettlementCondition]:
    """Return the observations of a settlement, most recent first."""
    require(actor, "readiness.view")
    with wayhome.read() as session:
        load_settlement(session, place_id)
        return list(
            session.scalars(
                select(SettlementCondition)
                .where(
                    SettlementCondition.place_id == place_id,
                    SettlementCondition.deleted_at.is_(None),
                )
                .order_by(*(c.desc() for c in condition_order()))
            )
        )
