"""Importing hazard areas and land releases: one feature to `write_hazard_area`/`write_release`."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.errors import ValidationFailed
from wayhome.geo import find_duplicates, validate_polygon
from wayhome.services import contamination
from wayhome.services.contamination_inputs import HazardAreaInput, ReleaseInput
from wayhome.services.context import Actor, Wayhome
from wayhome.services.geodata_formats import RawFeature, RawLayer
from wayhome.services.geodata_rows import (
    Outcome,
    RowFailed,
    as_json,
    column,
    failed_fields,
    given_values,
    place_id_of,
    polygon_of,
    require_fields,
    run_write,
    same_geometry,
)
from wayhome.services.inputs import parse_input
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent

# --- hazard areas ----------------------------------------------------------------------------

HAZARD_FIELDS = (
    "local_id",
    "name",
    "hazard_type",
    "status",
    "status_date",
    "place_code",
    "benchmark_lon",
    "benchmark_lat",
    "evidence",
    "evidence_types",
    "expected_beneficiaries",
    "notes",
    "source",
)


def _evidence(given: dict[str, Any], hazard: HazardArea | None, raw: RawLayer) -> list | None:
    if "evidence" in given and given["evidence"] is not None:
        return as_json(given["evidence"], raw, "evidence")
    if "evidence_types" in given:
        types = [t.strip() for t in (given["evidence_types"] or "").split(",") if t.strip()]
        stored = hazard.evidence if hazard is not None else []
        if [e["evidence_type"] for e in stored] == types:
            return stored  # a Shapefile keeps only the types: keep the details
        return [{"evidence_type": t} for t in types]
    return None


def write_hazard(
    session: Session, wayhome: Wayhome, actor: Actor, feature: RawFeature, raw: RawLayer
) -> Outcome:
    given = given_values(feature, raw, HAZARD_FIELDS)
    local_id = (given.get("local_id") or "").upper()
    if not local_id:
        raise RowFailed([(column(raw, "local_id"), "is required")])
    hazard = session.scalar(select(HazardArea).where(HazardArea.local_id == local_id))
    if hazard is not None and hazard.deleted_at is not None:
        raise RowFailed([(column(raw, "local_id"), f"{local_id} is an archived hazard area")])
    geometry = polygon_of(feature, raw)
    if geometry is None and hazard is None:
        raise RowFailed([(column(raw, "geometry"), "is required: a Polygon or MultiPolygon")])
    data: dict[str, Any] = {}
    if hazard is not None:
        data = contamination.hazard_snapshot(hazard)
        data["status"] = None  # unchanged unless the file says
        data["status_date"] = None
    for name in ("name", "hazard_type", "status", "status_date", "benchmark_lon", "benchmark_lat"):
        if name in given:
            data[name] = given[name]
    for name in ("expected_beneficiaries", "notes", "source"):
        if name in given:
            data[name] = given[name]
    if "place_code" in given:
        data["place_id"] = place_id_of(session, given["place_code"], raw)
    evidence = _evidence(given, hazard, raw)
    if evidence is not None:
        data["evidence"] = evidence
    data["local_id"] = local_id
    if geometry is not None:
        data["geometry"] = json.loads(contamination.geometry_text(geometry))
    data = {k: v for k, v in data.items() if k in HazardAreaInput.model_fields}
    require_fields(data, ("name", "hazard_type"), raw)
    try:
        parsed = parse_input(HazardAreaInput, data)
    except ValidationFailed as failed:
        raise failed_fields(raw, failed) from None
    if hazard is not None and _same_hazard(hazard, parsed):
        return "unchanged"
    run_write(lambda: contamination.write_hazard_area(session, wayhome, actor, parsed, hazard), raw)
    return "created" if hazard is None else "updated"


def _same_hazard(hazard: HazardArea, data: HazardAreaInput) -> bool:
    return (
        hazard.name == data.name
        and hazard.hazard_type == data.hazard_type.value
        and (data.status is None or hazard.status == data.status.value)
        and (data.status_date is None or hazard.status_date == data.status_date)
        and hazard.place_id == data.place_id
        and same_geometry(hazard.geometry, validate_polygon(data.geometry))
        and (hazard.benchmark_lon, hazard.benchmark_lat) == (data.benchmark_lon, data.benchmark_lat)
        and hazard.evidence == [e.model_dump(mode="json") for e in data.evidence]
        and hazard.expected_beneficiaries == data.expected_beneficiaries
        and hazard.notes == data.notes
        and hazard.source == data.source
    )


# --- land releases ---------------------------------------------------------------------------

RELEASE_FIELDS = (
    "id",
    "hazard_local_id",
    "release_kind",
    "release_date",
    "activity_id",
    "notes",
    "source",
)


def write_release_feature(
    session: Session, wayhome: Wayhome, actor: Actor, feature: RawFeature, raw: RawLayer
) -> Outcome:
    given = given_values(feature, raw, RELEASE_FIELDS)
    local_id = (given.get("hazard_local_id") or "").upper()
    if not local_id:
        raise RowFailed([(column(raw, "hazard_local_id"), "is required")])
    hazard = session.scalar(
        select(HazardArea)
        .where(HazardArea.local_id == local_id, HazardArea.deleted_at.is_(None))
        .with_for_update()
    )
    if hazard is None:
        raise RowFailed(
            [
                (
                    column(raw, "hazard_local_id"),
                    f"no hazard area {local_id} in wayhome (import the hazard areas first)",
                )
            ]
        )
    geometry = polygon_of(feature, raw)
    if geometry is None:
        raise RowFailed([(column(raw, "geometry"), "is required: a Polygon or MultiPolygon")])
    data = {
        "release_kind": given.get("release_kind"),
        "release_date": given.get("release_date"),
        "geometry": json.loads(contamination.geometry_text(geometry)),
        "activity_id": given.get("activity_id"),
        "notes": given.get("notes"),
        "source": given.get("source"),
    }
    require_fields(data, ("release_kind", "release_date"), raw)
    try:
        parsed = parse_input(ReleaseInput, {k: v for k, v in data.items() if v is not None})
    except ValidationFailed as failed:
        raise failed_fields(raw, failed) from None
    known = _matching_release(session, hazard, given.get("id"), parsed, geometry, raw)
    if known is not None:
        return "unchanged"
    run_write(lambda: contamination.write_release(session, wayhome, actor, hazard, parsed), raw)
    return "created"


def _matching_release(
    session: Session,
    hazard: HazardArea,
    release_id: str | None,
    data: ReleaseInput,
    geometry: Any,
    raw: RawLayer,
) -> LandReleaseEvent | None:
    """The recorded release this feature is; a changed recorded release is an error."""
    if release_id is not None:
        event = session.get(LandReleaseEvent, release_id)
        if event is not None and event.deleted_at is None:
            same = (
                event.hazard_area_id == hazard.id
                and event.release_kind == data.release_kind.value
                and event.release_date == data.release_date
                and same_geometry(event.geometry, geometry)
            )
            if not same:
                raise RowFailed(
                    [
                        (
                            column(raw, "id"),
                            f"release {release_id} is recorded with another hazard area, kind, "
                            "date or polygon; a recorded release cannot be changed by an import",
                        )
                    ]
                )
            return event
    candidates = list(
        session.scalars(
            select(LandReleaseEvent).where(
                LandReleaseEvent.hazard_area_id == hazard.id,
                LandReleaseEvent.deleted_at.is_(None),
                LandReleaseEvent.release_kind == data.release_kind.value,
                LandReleaseEvent.release_date == data.release_date,
            )
        )
    )
    shapes = [(e.id, contamination.load_geometry(e.geometry)) for e in candidates]
    found = find_duplicates(geometry, shapes, contamination.DUPLICATE_TOLERANCE_M)
    return next((e for e in candidates if e.id in found), None)
