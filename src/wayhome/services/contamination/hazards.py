"""Hazard areas: create, edit, close, search, and the land-release ledger they carry."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from wayhome.core.errors import FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.mine_action import HazardStatus
from wayhome.core.scripts import fold
from wayhome.geo import (
    GeometryRejected,
    Ledger,
    ReleaseEvent,
    ReleaseOutsideHazard,
    ensure_not_duplicate,
    release_ledger,
)
from wayhome.services import audit, map_outlines, readiness_store
from wayhome.services.contamination.common import (
    DUPLICATE_TOLERANCE_M,
    HAZARD,
    RELEASED_BELOW_M2,
    Bbox,
    _bbox_condition,
    _both_or_neither,
    _bump,
    _checked_polygon,
    _conflict,
    _new,
    _refused,
    geometry_text,
    load_geometry,
)
from wayhome.services.contamination_inputs import CloseHazardInput, HazardAreaInput
from wayhome.services.context import Actor, Wayhome
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import require
from wayhome.store.tables import Place
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent


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
    # the map reads these instead of simplifying at request time (same transaction)
    map_outlines.replace_outlines(session, [(hazard.id, hazard.geometry)])
    readiness_store.hazards_changed(session, [hazard.id])  # settlements near it, at commit
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
        readiness_store.hazards_changed(session, [hazard.id])  # it no longer blocks, at commit
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
