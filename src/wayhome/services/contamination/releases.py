"""Land release: cancelled, reduced or cleared parts of a hazard, checked against its ledger."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import mapping
from sqlalchemy.orm import Session

from wayhome.core.errors import Conflict, FieldError, ValidationFailed
from wayhome.core.ids import new_id
from wayhome.core.messages import N_, Term, Terms
from wayhome.core.mine_action import RELEASED_BY, ActivityType, HazardStatus, ReleaseKind
from wayhome.geo import Ledger, ReleaseOutsideHazard
from wayhome.services import audit
from wayhome.services.contamination.common import (
    RELEASE,
    RELEASED_BELOW_M2,
    _checked_polygon,
    _new,
    geometry_text,
    load_geometry,
)
from wayhome.services.contamination.hazards import (
    _apply_ledger,
    _ledger,
    _load_hazard,
    _outside,
    _release_events,
)
from wayhome.services.contamination_inputs import ReleaseInput
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent, MineActionActivity


def release_snapshot(event: LandReleaseEvent) -> dict[str, Any]:
    """Return the state of a release as kept in its history (with the area counted then)."""
    return {
        "hazard_area_id": event.hazard_area_id,
        "activity_id": event.activity_id,
        "release_kind": event.release_kind,
        "geometry": json.loads(event.geometry),
        "release_date": event.release_date,
        "area_m2": round(event.area_m2, 3),
        "notes": event.notes,
        "source": event.source,
        "deleted": event.deleted_at is not None,
    }


def _check_activity(
    session: Session, hazard: HazardArea, activity_id: str | None, kind: ReleaseKind | None
) -> list[FieldError]:
    if activity_id is None:
        return []
    activity = session.get(MineActionActivity, activity_id)
    if activity is None or activity.deleted_at is not None or activity.hazard_area_id != hazard.id:
        return [FieldError(("activity_id",), N_("no such activity on this hazard area"))]
    if kind is not None and ActivityType(activity.activity_type) not in RELEASED_BY[kind]:
        return [
            FieldError(
                ("release_kind",),
                N_(
                    "land %(kind)s needs an activity of type: %(activities)s (this one is: %(activity)s)"
                ),
                {
                    "kind": Term(kind.value),
                    "activities": Terms(a.value for a in sorted(RELEASED_BY[kind])),
                    "activity": Term(activity.activity_type),
                },
            )
        ]
    return []


def write_release(
    session: Session, wayhome: Wayhome, actor: Actor, hazard: HazardArea, data: ReleaseInput
) -> LandReleaseEvent:
    """Record land released from a hazard inside the caller's transaction (ledger checked first)."""
    if hazard.status != HazardStatus.OPEN:
        raise Conflict(N_("this hazard area is closed; reopen it before recording a release"))
    geometry = _checked_polygon(data.geometry)
    errors = _check_activity(session, hazard, data.activity_id, data.release_kind)
    if errors:
        raise ValidationFailed(errors)
    events = _release_events(session, hazard.id)
    event = _new(
        LandReleaseEvent,
        wayhome,
        actor,
        id=new_id(),
        hazard_area_id=hazard.id,
        activity_id=data.activity_id,
        release_kind=data.release_kind.value,
        geometry=geometry_text(geometry),
        release_date=data.release_date,
        notes=data.notes,
        source=data.source,
    )
    try:
        ledger = _ledger(load_geometry(hazard.geometry), [*events, event])
    except ReleaseOutsideHazard as error:
        raise ValidationFailed(
            [
                _outside(
                    error,
                    N_(
                        "the released land lies %(share)s outside the hazard area "
                        "(%(outside)s m²); only land inside it can be released"
                    ),
                    {},
                )
            ]
        ) from None
    _apply_ledger(hazard, [*events, event], ledger)
    session.add(event)
    session.flush()
    audit.record_version(
        session, wayhome, actor, RELEASE, event.id, 1, "create", release_snapshot(event), None
    )
    return event


def record_release(
    wayhome: Wayhome, actor: Actor, hazard_id: str, data: ReleaseInput
) -> LandReleaseEvent:
    """Record land cancelled, reduced or cleared; refused if it lies (mostly) outside the hazard."""
    require(actor, "release.record")
    with wayhome.transaction() as session:
        hazard = _load_hazard(session, hazard_id, for_update=True)
        return write_release(session, wayhome, actor, hazard, data)


def list_releases(wayhome: Wayhome, actor: Actor, hazard_id: str) -> list[LandReleaseEvent]:
    """Return the releases of a hazard area in the order the ledger applies them."""
    require(actor, "hazard.view")
    with wayhome.read() as session:
        _load_hazard(session, hazard_id)
        return _release_events(session, hazard_id)


def ledger(wayhome: Wayhome, actor: Actor, hazard_id: str) -> Ledger:
    """Return the land-release ledger of a hazard area (original = remaining + released)."""
    require(actor, "hazard.view")
    with wayhome.read() as session:
        hazard = _load_hazard(session, hazard_id)
        events = _release_events(session, hazard_id)
        return _ledger(load_geometry(hazard.geometry), events)


def ledger_summary(result: Ledger) -> dict[str, Any]:
    """Return a ledger as plain numbers and the remaining land as GeoJSON."""
    remaining = result.remaining_geometry
    return {
        "original_m2": result.original_m2,
        "remaining_m2": result.remaining_m2,
        "cancelled_m2": result.cancelled_m2,
        "reduced_m2": result.reduced_m2,
        "cleared_m2": result.cleared_m2,
        "released_m2": result.released_m2,
        "discrepancy_m2": result.discrepancy_m2,
        "fully_released": result.remaining_m2 < RELEASED_BELOW_M2,
        "remaining_geometry": None if remaining.is_empty else mapping(remaining),
        "entries": [
            {
                "release_id": entry.event.ref,
                "release_kind": entry.event.kind,
                "release_date": entry.event.date.isoformat(),
                "released_m2": entry.released_m2,
                "already_released_m2": entry.already_released_m2,
                "outside_m2": entry.outside_m2,
            }
            for entry in result.entries
        ],
    }
