"""Shared pieces of the contamination services: record types, geometry helpers, versioning."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import and_, or_

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import Conflict, FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.geo import GeometryRejected, validate_polygon
from wayhome.services.context import Actor, Wayhome
from wayhome.store.tables_contamination import HazardArea
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
