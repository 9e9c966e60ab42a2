"""Contamination: hazard areas, land release and its ledger, activities, devices, accidents, victims.

Mine action data is shared nationally: every organisation sees every hazard area, activity,
release, device and accident; only the roles in `permissions.MATRIX` may change them. Victims are
the exception: a victim linked to a registry person is visible only to those who may see that
person (`permissions.visible` on the person); a victim not linked to anyone is an anonymous
casualty record, visible to whoever may view accidents.

Geometries are validated with `wayhome.geo.validate_polygon` and stored as GeoJSON text with
their bounding box; areas are geodesic (WGS 84). Every release is checked against the hazard's
land-release ledger (`wayhome.geo.release_ledger`) before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.ids import new_id
from wayhome.core.messages import N_, Term, Terms
from wayhome.core.mine_action import (
    RELEASED_BY,
    ActivityType,
    HazardStatus,
    ReleaseKind,
    VictimOutcome,
)
from wayhome.core.scripts import fold
from wayhome.geo import (
    GeometryRejected,
    Ledger,
    ReleaseEvent,
    ReleaseOutsideHazard,
    ensure_not_duplicate,
    release_ledger,
    validate_polygon,
)
from wayhome.services import audit, persons
from wayhome.services.contamination_inputs import (
    AccidentInput,
    ActivityInput,
    CloseHazardInput,
    DeviceInput,
    HazardAreaInput,
    ReleaseInput,
    VictimInput,
)
from wayhome.services.context import Actor, Wayhome
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import require, visible
from wayhome.store.tables import Person, Place
from wayhome.store.tables_contamination import (
    DeviceFound,
    HazardArea,
    LandReleaseEvent,
    MineAccident,
    MineActionActivity,
    MineVictim,
)
from wayhome.store.types import utcnow

HAZARD = "hazard_area"
ACTIVITY = "mine_action_activity"
RELEASE = "land_release"
DEVICE = "device_found"
ACCIDENT = "mine_accident"
VICTIM = "mine_victim"

RELEASED_BELOW_M2 = 1.0
"""A hazard whose remaining area is under this (the ledger's tolerance) is wholly released."""
DUPLICATE_TOLERANCE_M = 1.0
"""Hazard polygons whose boundaries lie within this of each other are the same area."""

Bbox = tuple[float, float, float, float]


# --- geometry helpers ------------------------------------------------------------------------


def geometry_text(geometry: BaseGeometry) -> str:
    """Return a geometry as compact GeoJSON text, coordinates at full precision."""
    return json.dumps(mapping(geometry), separators=(",", ":"))


def load_geometry(text: str) -> BaseGeometry:
    """Return the shapely geometry of stored GeoJSON text."""
    return shape(json.loads(text))


def _refused(error: GeometryRejected, loc: tuple[str | int, ...] = ("geometry",)) -> FieldError:
    return FieldError(loc, N_("the area was refused: %(reason)s"), {"reason": str(error)})


def _checked_polygon(raw: dict[str, Any]) -> BaseGeometry:
    try:
        return validate_polygon(raw)
    except GeometryRejected as error:
        raise ValidationFailed([_refused(error)]) from None


def _bbox_condition(bbox: Bbox) -> Any:
    """SQL: the hazard's bounding box meets ``bbox`` (west > east: the box crosses 180°)."""
    west, south, east, north = bbox
    lat = and_(HazardArea.min_lat <= north, HazardArea.max_lat >= south)
    if west <= east:
        return and_(lat, HazardArea.min_lon <= east, HazardArea.max_lon >= west)
    return and_(lat, or_(HazardArea.max_lon >= west, HazardArea.min_lon <= east))


def _both_or_neither(
    lon: float | None, lat: float | None, prefix: tuple[str | int, ...] = (), names=("lon", "lat")
) -> list[FieldError]:
    if (lon is None) == (lat is None):
        return []
    missing = names[0] if lon is None else names[1]
    return [FieldError((*prefix, missing), N_("give both latitude and longitude, or neither"))]


def _dates_in_order(
    start: str | None, end: str | None, end_field: str, message: str
) -> list[FieldError]:
    if not (start and end):
        return []
    earliest = parse_partial_date(start).earliest()
    latest = parse_partial_date(end).latest()  # "2023" may well be after "2023-05"
    if earliest and latest and latest < earliest:
        return [FieldError((end_field,), message)]
    return []


def _conflict(version: int) -> Conflict:
    return Conflict(
        N_(
            "this record was changed by someone else (now version %(version)d); "
            "reload it and make your change again"
        ),
        {"version": version},
    )


def _new(model: Any, wayhome: Wayhome, actor: Actor, **values: Any) -> Any:
    return model(
        origin_instance=wayhome.instance_id,
        organisation_id=actor.organisation_id,
        recorded_by_id=actor.user_id,
        **values,
    )


def _bump(record: Any, version: int | None) -> None:
    if version is not None and version != record.version:
        raise _conflict(record.version)
    record.version += 1
    record.updated_at = utcnow()


# --- hazard areas ----------------------------------------------------------------------------


def hazard_snapshot(hazard: HazardArea) -> dict[str, Any]:
    """Return the state of a hazard area as kept in its history."""
    return {
        "local_id": hazard.local_id,
        "name": hazard.name,
        "hazard_type": hazard.hazard_type,
        "status": hazard.status,
        "status_date": hazard.status_date,
        "place_id": hazard.place_id,
        "geometry": json.loads(hazard.geometry),
        "original_area_m2": round(hazard.original_area_m2, 3),
        "benchmark_lon": hazard.benchmark_lon,
        "benchmark_lat": hazard.benchmark_lat,
        "evidence": hazard.evidence,
        "expected_beneficiaries": hazard.expected_beneficiaries,
        "notes": hazard.notes,
        "source": hazard.source,
        "deleted": hazard.deleted_at is not None,
    }


def _release_events(session: Session, hazard_id: str) -> list[LandReleaseEvent]:
    """The releases of a hazard in the order the ledger applies them (by date, then as recorded)."""
    return list(
        session.scalars(
            select(LandReleaseEvent)
            .where(
                LandReleaseEvent.hazard_area_id == hazard_id, LandReleaseEvent.deleted_at.is_(None)
            )
            .order_by(
                LandReleaseEvent.release_date, LandReleaseEvent.created_at, LandReleaseEvent.id
            )
        )
    )


def _ledger(hazard_geometry: BaseGeometry, events: Sequence[LandReleaseEvent]) -> Ledger:
    """The ledger of a hazard over its releases (in order); each entry's ref is the release id."""
    return release_ledger(
        hazard_geometry,
        [
            ReleaseEvent(
                e.release_kind,  # type: ignore[arg-type]
                load_geometry(e.geometry),
                date.fromisoformat(e.release_date),
                ref=e.id,
            )
            for e in events
        ],
    )


def _outside(error: ReleaseOutsideHazard, template: str, extra: dict[str, Any]) -> FieldError:
    params = {
        "share": f"{error.share_outside:.1%}",
        "outside": f"{error.outside_m2:,.0f}",
        **extra,
    }
    return FieldError(("geometry",), template, params)


def _apply_ledger(hazard: HazardArea, events: Sequence[LandReleaseEvent], ledger: Ledger) -> None:
    """Store what the ledger counts: per release, and the hazard's original and remaining area."""
    by_id = {e.id: e for e in events}
    for entry in ledger.entries:
        event = by_id[str(entry.event.ref)]
        event.area_m2 = entry.released_m2
        event.already_released_m2 = entry.already_released_m2
        event.outside_m2 = entry.outside_m2
    hazard.original_area_m2 = ledger.original_m2
    hazard.remaining_area_m2 = ledger.remaining_m2


def _check_status(data_status: HazardStatus, remaining_m2: float) -> list[FieldError]:
    if data_status is not HazardStatus.OPEN and remaining_m2 >= RELEASED_BELOW_M2:
        return [
            FieldError(
                ("status",),
                N_(
                    "%(remaining)s m² of this area have not been released yet; it can only be "
                    "closed when all its land is cancelled, reduced or cleared"
                ),
                {"remaining": f"{remaining_m2:,.0f}"},
            )
        ]
    return []


def _duplicates(
    session: Session, geometry: BaseGeometry, exclude_id: str | None
) -> list[tuple[str, BaseGeometry]]:
    """The stored hazard areas whose bounding box meets ``geometry``'s (the duplicate candidates)."""
    west, south, east, north = geometry.bounds
    pad = 1e-4  # about 11 m: the duplicate tolerance with room to spare
    query = select(HazardArea.local_id, HazardArea.geometry).where(
        HazardArea.deleted_at.is_(None),
        _bbox_condition((west - pad, south - pad, east + pad, north + pad)),
    )
    if exclude_id is not None:
        query = query.where(HazardArea.id != exclude_id)
    return [(local_id, load_geometry(text)) for local_id, text in session.execute(query)]


def write_hazard_area(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    data: HazardAreaInput,
    hazard: HazardArea | None = None,
) -> HazardArea:
    """Create or update a hazard area inside the caller's transaction."""
    if hazard is not None and data.version is not None and data.version != hazard.version:
        raise _conflict(hazard.version)
    geometry = _checked_polygon(data.geometry)
    errors = _both_or_neither(
        data.benchmark_lon, data.benchmark_lat, names=("benchmark_lon", "benchmark_lat")
    )
    for i, item in enumerate(data.evidence):
        errors += _both_or_neither(item.lon, item.lat, ("evidence", i))
    taken = session.scalar(select(HazardArea.id).where(HazardArea.local_id == data.local_id))
    if taken is not None and (hazard is None or taken != hazard.id):
        errors.append(
            FieldError(
                ("local_id",),
                N_("the reference %(local_id)s is already used"),
                {"local_id": data.local_id},
            )
        )
    if data.place_id is not None and session.get(Place, data.place_id) is None:
        errors.append(FieldError(("place_id",), N_("no such place")))
    try:
        ensure_not_duplicate(
            geometry,
            _duplicates(session, geometry, hazard.id if hazard else None),
            DUPLICATE_TOLERANCE_M,
        )
    except GeometryRejected as error:
        errors.append(_refused(error))
    events = _release_events(session, hazard.id) if hazard is not None else []
    ledger: Ledger | None = None
    try:
        ledger = _ledger(geometry, events)
    except ReleaseOutsideHazard as error:
        event = next(e for e in events if e.id == error.event.ref)
        errors.append(
            _outside(
                error,
                N_(
                    "the land released on %(date)s would lie %(share)s outside this area "
                    "(%(outside)s m²); the area must contain every release recorded for it"
                ),
                {"date": event.release_date},
            )
        )
    status = data.status or (HazardStatus(hazard.status) if hazard else HazardStatus.OPEN)
    if ledger is not None:
        errors += _check_status(status, ledger.remaining_m2)
    if errors:
        raise ValidationFailed(errors)
    assert ledger is not None

    before = hazard_snapshot(hazard) if hazard is not None else None
    if hazard is None:
        hazard = _new(HazardArea, wayhome, actor)
        session.add(hazard)
        action = "create"
    else:
        _bump(hazard, data.version)
        action = "update"
    hazard.local_id = data.local_id
    hazard.name = data.name
    hazard.hazard_type = data.hazard_type.value
    if hazard.status != status.value:
        hazard.status_date = data.status_date or date.today().isoformat()
    elif data.status_date is not None:
        hazard.status_date = data.status_date
    hazard.status = status.value
    hazard.place_id = data.place_id
    hazard.geometry = geometry_text(geometry)
    hazard.min_lon, hazard.min_lat, hazard.max_lon, hazard.max_lat = geometry.bounds
    hazard.benchmark_lon, hazard.benchmark_lat = data.benchmark_lon, data.benchmark_lat
    hazard.evidence = [item.model_dump(mode="json") for item in data.evidence]
    hazard.expected_beneficiaries = data.expected_beneficiaries
    hazard.notes = data.notes
    hazard.source = data.source
    hazard.search_text = " ".join([data.local_id.casefold(), fold(data.name)])
    _apply_ledger(hazard, events, ledger)
    session.flush()
    audit.record_version(
        session,
        wayhome,
        actor,
        HAZARD,
        hazard.id,
        hazard.version,
        action,
        hazard_snapshot(hazard),
        before,
    )
    return hazard


def _load_hazard(session: Session, hazard_id: str, *, for_update: bool = False) -> HazardArea:
    hazard = session.get(HazardArea, hazard_id, with_for_update=for_update or None)
    if hazard is None or hazard.deleted_at is not None:
        raise NotFound(N_("no such hazard area"))
    return hazard


def create_hazard_area(wayhome: Wayhome, actor: Actor, data: HazardAreaInput) -> HazardArea:
    """Record a hazard area; its polygon is checked and must not duplicate a recorded one."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        return write_hazard_area(session, wayhome, actor, data)


def update_hazard_area(
    wayhome: Wayhome, actor: Actor, hazard_id: str, data: HazardAreaInput
) -> HazardArea:
    """Change a hazard area; it must still contain every release recorded for it."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        hazard = _load_hazard(session, hazard_id, for_update=True)
        return write_hazard_area(session, wayhome, actor, data, hazard)


def close_hazard_area(
    wayhome: Wayhome, actor: Actor, hazard_id: str, data: CloseHazardInput | None = None
) -> HazardArea:
    """Close (or hand over) a hazard area whose land has all been released."""
    require(actor, "hazard.edit")
    data = data or CloseHazardInput()
    with wayhome.transaction() as session:
        hazard = _load_hazard(session, hazard_id, for_update=True)
        errors = _check_status(data.status, hazard.remaining_area_m2)
        if errors:
            raise ValidationFailed(errors)
        if hazard.status == data.status.value and data.status_date is None:
            return hazard
        before = hazard_snapshot(hazard)
        _bump(hazard, data.version)
        hazard.status = data.status.value
        hazard.status_date = data.status_date or date.today().isoformat()
        session.flush()
        audit.record_version(
            session,
            wayhome,
            actor,
            HAZARD,
            hazard.id,
            hazard.version,
            "update",
            hazard_snapshot(hazard),
            before,
        )
        return hazard


def get_hazard_area(wayhome: Wayhome, actor: Actor, hazard_id: str) -> HazardArea:
    """Return one hazard area (every organisation sees them all)."""
    require(actor, "hazard.view")
    with wayhome.read() as session:
        return _load_hazard(session, hazard_id)


def hazard_history(wayhome: Wayhome, actor: Actor, hazard_id: str) -> list[audit.HistoryEntry]:
    """Return every version of a hazard area, newest first."""
    require(actor, "hazard.view")
    require(actor, "history.view")
    with wayhome.read() as session:
        _load_hazard(session, hazard_id)
        return audit.history(session, HAZARD, hazard_id)


def _hazard_query(
    *,
    bbox: Bbox | None,
    status: Sequence[str] | None,
    hazard_type: Sequence[str] | None,
    place_id: str | None,
    q: str | None,
) -> Select[Any]:
    query = select(HazardArea).where(HazardArea.deleted_at.is_(None))
    if bbox is not None:
        query = query.where(_bbox_condition(bbox))
    if status:
        query = query.where(HazardArea.status.in_(list(status)))
    if hazard_type:
        query = query.where(HazardArea.hazard_type.in_(list(hazard_type)))
    if place_id:
        query = query.where(HazardArea.place_id == place_id)
    if q and q.strip():
        for term in fold(q).split():
            query = query.where(HazardArea.search_text.contains(term, autoescape=True))
    return query


def search_hazard_areas(
    wayhome: Wayhome,
    actor: Actor,
    *,
    bbox: Bbox | None = None,
    status: Sequence[str] | None = None,
    hazard_type: Sequence[str] | None = None,
    place_id: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page[HazardArea]:
    """Find hazard areas by bounding box, status, type, place, and name or reference."""
    require(actor, "hazard.view")
    query = _hazard_query(bbox=bbox, status=status, hazard_type=hazard_type, place_id=place_id, q=q)
    query = query.order_by(HazardArea.local_id)
    with wayhome.read() as session:
        return paginate(session, query, page, per_page)


def hazard_features(
    wayhome: Wayhome,
    actor: Actor,
    *,
    bbox: Bbox | None = None,
    status: Sequence[str] | None = None,
    hazard_type: Sequence[str] | None = None,
    place_id: str | None = None,
    q: str | None = None,
    limit: int = 5000,
) -> dict[str, Any]:
    """Return hazard areas as a GeoJSON FeatureCollection (polygons as stored)."""
    require(actor, "hazard.view")
    query = _hazard_query(bbox=bbox, status=status, hazard_type=hazard_type, place_id=place_id, q=q)
    with wayhome.read() as session:
        rows = list(session.scalars(query.order_by(HazardArea.local_id).limit(limit)))
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": h.id,
                "geometry": json.loads(h.geometry),
                "properties": {
                    "local_id": h.local_id,
                    "name": h.name,
                    "hazard_type": h.hazard_type,
                    "status": h.status,
                    "place_id": h.place_id,
                    "original_area_m2": h.original_area_m2,
                    "remaining_area_m2": h.remaining_area_m2,
                    "version": h.version,
                },
            }
            for h in rows
        ],
    }


# --- activities ------------------------------------------------------------------------------


def activity_snapshot(activity: MineActionActivity) -> dict[str, Any]:
    """Return the state of an activity as kept in its history."""
    return {
        "hazard_area_id": activity.hazard_area_id,
        "activity_type": activity.activity_type,
        "organisation_name": activity.organisation_name,
        "method": activity.method,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "status": activity.status,
        "notes": activity.notes,
        "source": activity.source,
        "deleted": activity.deleted_at is not None,
    }


def write_activity(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    hazard: HazardArea,
    data: ActivityInput,
    activity: MineActionActivity | None = None,
) -> MineActionActivity:
    """Record or change an activity on a hazard area inside the caller's transaction."""
    errors = _dates_in_order(
        data.start_date, data.end_date, "end_date", N_("is before the start date")
    )
    if errors:
        raise ValidationFailed(errors)
    before = activity_snapshot(activity) if activity is not None else None
    if activity is None:
        activity = _new(MineActionActivity, wayhome, actor, hazard_area_id=hazard.id)
        session.add(activity)
        action = "create"
    else:
        _bump(activity, data.version)
        action = "update"
    activity.activity_type = data.activity_type.value
    activity.organisation_name = data.organisation_name
    activity.method = data.method
    activity.start_date = data.start_date
    activity.end_date = data.end_date
    activity.status = data.status.value
    activity.notes = data.notes
    activity.source = data.source
    session.flush()
    audit.record_version(
        session,
        wayhome,
        actor,
        ACTIVITY,
        activity.id,
        activity.version,
        action,
        activity_snapshot(activity),
        before,
    )
    return activity


def record_activity(
    wayhome: Wayhome, actor: Actor, hazard_id: str, data: ActivityInput
) -> MineActionActivity:
    """Record survey, clearance or disposal work on a hazard area."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        return write_activity(session, wayhome, actor, _load_hazard(session, hazard_id), data)


def update_activity(
    wayhome: Wayhome, actor: Actor, activity_id: str, data: ActivityInput
) -> MineActionActivity:
    """Change an activity (e.g. it was completed); the old state stays in its history."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        activity = session.get(MineActionActivity, activity_id)
        if activity is None or activity.deleted_at is not None:
            raise NotFound(N_("no such activity"))
        if data.activity_type.value != activity.activity_type and session.scalar(
            select(func.count())
            .select_from(LandReleaseEvent)
            .where(LandReleaseEvent.activity_id == activity.id)
        ):
            raise ValidationFailed(
                [
                    FieldError(
                        ("activity_type",),
                        N_("land released by this activity is recorded; its type cannot change"),
                    )
                ]
            )
        hazard = _load_hazard(session, activity.hazard_area_id)
        return write_activity(session, wayhome, actor, hazard, data, activity)


def list_activities(wayhome: Wayhome, actor: Actor, hazard_id: str) -> list[MineActionActivity]:
    """Return the activities on a hazard area, oldest first."""
    require(actor, "hazard.view")
    with wayhome.read() as session:
        _load_hazard(session, hazard_id)
        return list(
            session.scalars(
                select(MineActionActivity)
                .where(
                    MineActionActivity.hazard_area_id == hazard_id,
                    MineActionActivity.deleted_at.is_(None),
                )
                .order_by(MineActionActivity.created_at, MineActionActivity.id)
            )
        )


def activity_history(wayhome: Wayhome, actor: Actor, activity_id: str) -> list[audit.HistoryEntry]:
    """Return every version of an activity, newest first."""
    require(actor, "hazard.view")
    require(actor, "history.view")
    with wayhome.read() as session:
        if session.get(MineActionActivity, activity_id) is None:
            raise NotFound(N_("no such activity"))
        return audit.history(session, ACTIVITY, activity_id)


# --- land release ----------------------------------------------------------------------------


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


# --- devices ---------------------------------------------------------------------------------


def device_snapshot(device: DeviceFound) -> dict[str, Any]:
    """Return the state of a device as kept in its history."""
    return {
        "hazard_area_id": device.hazard_area_id,
        "activity_id": device.activity_id,
        "device_category": device.device_category,
        "device_type": device.device_type,
        "condition": device.condition,
        "lon": device.lon,
        "lat": device.lat,
        "depth_cm": device.depth_cm,
        "quantity": device.quantity,
        "found_on": device.found_on,
        "notes": device.notes,
        "source": device.source,
        "deleted": device.deleted_at is not None,
    }


def write_device(
    session: Session, wayhome: Wayhome, actor: Actor, hazard: HazardArea, data: DeviceInput
) -> DeviceFound:
    """Record a device found in a hazard area inside the caller's transaction."""
    errors = _both_or_neither(data.lon, data.lat)
    errors += _check_activity(session, hazard, data.activity_id, None)
    if errors:
        raise ValidationFailed(errors)
    device = _new(
        DeviceFound,
        wayhome,
        actor,
        hazard_area_id=hazard.id,
        activity_id=data.activity_id,
        device_category=data.device_category.value,
        device_type=data.device_type,
        condition=data.condition.value,
        lon=data.lon,
        lat=data.lat,
        depth_cm=data.depth_cm,
        quantity=data.quantity,
        found_on=data.found_on,
        notes=data.notes,
        source=data.source,
    )
    session.add(device)
    session.flush()
    audit.record_version(
        session, wayhome, actor, DEVICE, device.id, 1, "create", device_snapshot(device), None
    )
    return device


def record_device(wayhome: Wayhome, actor: Actor, hazard_id: str, data: DeviceInput) -> DeviceFound:
    """Record explosive ordnance found in a hazard area."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        return write_device(session, wayhome, actor, _load_hazard(session, hazard_id), data)


def list_devices(wayhome: Wayhome, actor: Actor, hazard_id: str) -> list[DeviceFound]:
    """Return the devices found in a hazard area, in the order recorded."""
    require(actor, "hazard.view")
    with wayhome.read() as session:
        _load_hazard(session, hazard_id)
        return list(
            session.scalars(
                select(DeviceFound)
                .where(DeviceFound.hazard_area_id == hazard_id, DeviceFound.deleted_at.is_(None))
                .order_by(DeviceFound.created_at, DeviceFound.id)
            )
        )


# --- accidents -------------------------------------------------------------------------------


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


# --- victims ---------------------------------------------------------------------------------


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
