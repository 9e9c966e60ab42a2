"""Mine and explosive-ordnance accidents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wayhome.core.errors import FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_, Term
from wayhome.core.mine_action import VictimOutcome
from wayhome.services import audit
from wayhome.services.contamination.common import (
    ACCIDENT,
    Bbox,
    _both_or_neither,
    _bump,
    _conflict,
    _new,
)
from wayhome.services.contamination_inputs import AccidentInput
from wayhome.services.context import Actor, Wayhome
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import require
from wayhome.store.tables import Place
from wayhome.store.tables_contamination import HazardArea, MineAccident, MineVictim


def accident_snapshot(accident: MineAccident) -> dict[str, Any]:
    """Return the state of an accident as kept in its history."""
    return {
        "accident_date": accident.accident_date,
        "lon": accident.lon,
        "lat": accident.lat,
        "place_id": accident.place_id,
        "hazard_area_id": accident.hazard_area_id,
        "device_category": accident.device_category,
        "activity": accident.activity,
        "injured": accident.injured,
        "killed": accident.killed,
        "description": accident.description,
        "source": accident.source,
        "deleted": accident.deleted_at is not None,
    }


def _victim_counts(session: Session, accident_id: str) -> dict[str, int]:
    """How many victims of each outcome are recorded for an accident (visible or not)."""
    rows = session.execute(
        select(MineVictim.outcome, func.count())
        .where(MineVictim.accident_id == accident_id, MineVictim.deleted_at.is_(None))
        .group_by(MineVictim.outcome)
    )
    return {outcome: int(n) for outcome, n in rows}


def write_accident(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    data: AccidentInput,
    accident: MineAccident | None = None,
) -> MineAccident:
    """Record or change an accident inside the caller's transaction."""
    if accident is not None and data.version is not None and data.version != accident.version:
        raise _conflict(accident.version)
    errors = _both_or_neither(data.lon, data.lat)
    if data.place_id is not None and session.get(Place, data.place_id) is None:
        errors.append(FieldError(("place_id",), N_("no such place")))
    if data.hazard_area_id is not None:
        found = session.get(HazardArea, data.hazard_area_id)
        if found is None or found.deleted_at is not None:
            errors.append(FieldError(("hazard_area_id",), N_("no such hazard area")))
    if accident is not None:
        counts = _victim_counts(session, accident.id)
        for outcome in VictimOutcome:
            recorded = counts.get(outcome.value, 0)
            if getattr(data, outcome.value) < recorded:
                errors.append(
                    FieldError(
                        (outcome.value,),
                        N_("the victims recorded for this accident include %(count)d %(outcome)s"),
                        {"count": recorded, "outcome": Term(outcome.value)},
                    )
                )
    if errors:
        raise ValidationFailed(errors)
    before = accident_snapshot(accident) if accident is not None else None
    if accident is None:
        accident = _new(MineAccident, wayhome, actor)
        session.add(accident)
        action = "create"
    else:
        _bump(accident, data.version)
        action = "update"
    accident.accident_date = data.accident_date
    accident.lon, accident.lat = data.lon, data.lat
    accident.place_id = data.place_id
    accident.hazard_area_id = data.hazard_area_id
    accident.device_category = data.device_category.value if data.device_category else None
    accident.activity = data.activity.value
    accident.injured = data.injured
    accident.killed = data.killed
    accident.description = data.description
    accident.source = data.source
    session.flush()
    audit.record_version(
        session,
        wayhome,
        actor,
        ACCIDENT,
        accident.id,
        accident.version,
        action,
        accident_snapshot(accident),
        before,
    )
    return accident


def _load_accident(session: Session, accident_id: str) -> MineAccident:
    accident = session.get(MineAccident, accident_id)
    if accident is None or accident.deleted_at is not None:
        raise NotFound(N_("no such accident"))
    return accident


def record_accident(wayhome: Wayhome, actor: Actor, data: AccidentInput) -> MineAccident:
    """Record an explosive ordnance accident."""
    require(actor, "accident.edit")
    with wayhome.transaction() as session:
        return write_accident(session, wayhome, actor, data)


def update_accident(
    wayhome: Wayhome, actor: Actor, accident_id: str, data: AccidentInput
) -> MineAccident:
    """Change an accident; its totals cannot fall below the victims recorded for it."""
    require(actor, "accident.edit")
    with wayhome.transaction() as session:
        return write_accident(session, wayhome, actor, data, _load_accident(session, accident_id))


def get_accident(wayhome: Wayhome, actor: Actor, accident_id: str) -> MineAccident:
    """Return one accident."""
    require(actor, "accident.view")
    with wayhome.read() as session:
        return _load_accident(session, accident_id)


def accident_history(wayhome: Wayhome, actor: Actor, accident_id: str) -> list[audit.HistoryEntry]:
    """Return every version of an accident, newest first."""
    require(actor, "accident.view")
    require(actor, "history.view")
    with wayhome.read() as session:
        _load_accident(session, accident_id)
        return audit.history(session, ACCIDENT, accident_id)


def search_accidents(
    wayhome: Wayhome,
    actor: Actor,
    *,
    place_id: str | None = None,
    hazard_area_id: str | None = None,
    bbox: Bbox | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page[MineAccident]:
    """Find accidents by place, hazard area or bounding box; the most recent first."""
    require(actor, "accident.view")
    query = select(MineAccident).where(MineAccident.deleted_at.is_(None))
    if place_id:
        query = query.where(MineAccident.place_id == place_id)
    if hazard_area_id:
        query = query.where(MineAccident.hazard_area_id == hazard_area_id)
    if bbox is not None:
        west, south, east, north = bbox
        lon = (
            MineAccident.lon.between(west, east)
            if west <= east
            else or_(MineAccident.lon >= west, MineAccident.lon <= east)
        )
        query = query.where(lon, MineAccident.lat.between(south, north))
    query = query.order_by(
        MineAccident.accident_date.is_(None),
        MineAccident.accident_date.desc(),
        MineAccident.id.desc(),
    )
    with wayhome.read() as session:
        return paginate(session, query, page, per_page)
