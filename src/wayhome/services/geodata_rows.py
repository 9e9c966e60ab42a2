"""Turning one feature of a geodata file into a service call: values, geometry, field names.

Shared by the importers of hazard areas and land releases (`geodata_import_mine`) and of
heritage sites (`geodata_import_sites`); problems are raised as `RowFailed` with the field named
as the file names it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.errors import Conflict, FieldError, ValidationFailed
from wayhome.core.mdr import LAYERS
from wayhome.geo import GeometryRejected, validate_polygon
from wayhome.services import contamination
from wayhome.services.geodata_formats import RawFeature, RawLayer
from wayhome.store.tables import Place

Outcome = Literal["created", "updated", "unchanged"]


class RowFailed(Exception):
    """The feature cannot be written; `problems` are (field as in the file, reason)."""

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        self.problems = problems


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def column(raw: RawLayer, name: str) -> str:
    """The name of a field as the file calls it (geometry: ``wkt`` in CSV)."""
    if name in ("geometry", "polygon"):
        return "wkt" if raw.unit == "line" else "geometry"
    return raw.columns.get(name, LAYERS_FIELD_NAMES.get(name, name))


LAYERS_FIELD_NAMES = {f.name: f.mdr for layer in LAYERS.values() for f in layer.fields}


def given_values(feature: RawFeature, raw: RawLayer, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields the file has columns for: blank text is None, JSON text is parsed."""
    values: dict[str, Any] = {}
    for name in names:
        if name not in raw.columns:
            continue
        value = feature.values.get(name)
        values[name] = text(value) if isinstance(value, str | float | int) else value
    return values


def as_json(value: Any, raw: RawLayer, name: str) -> Any:
    if value is None or isinstance(value, list | dict):
        return value
    try:
        return json.loads(str(value))
    except ValueError as error:
        raise RowFailed([(column(raw, name), f"is not valid JSON: {error}")]) from None


def failed_fields(raw: RawLayer, failed: ValidationFailed) -> RowFailed:
    problems: list[tuple[str | None, str]] = []
    for error in failed.errors:
        head = str(error.loc[0]) if error.loc else ""
        head = RENAMED.get(head, head)
        problems.append((column(raw, head) if head else None, describe(error)))
    return RowFailed(problems)


def describe(error: FieldError) -> str:
    text = error.text()
    if len(error.loc) > 1:
        return f"{'.'.join(str(p) for p in error.loc[1:])}: {text}"
    return text


def polygon_of(feature: RawFeature, raw: RawLayer, name: str = "geometry") -> Any:
    """The feature's geometry validated as a polygon (None when it has none)."""
    if feature.geometry is None:
        return None
    try:
        return single_part(validate_polygon(feature.geometry))
    except GeometryRejected as rejected:
        raise RowFailed([(column(raw, name), f"the area was refused: {rejected}")]) from None


def single_part(geometry: Any) -> Any:
    """A MultiPolygon of one polygon as that Polygon: formats that keep one geometry type per
    layer (GeoPackage, Shapefile) turn every polygon into a MultiPolygon, and a round trip must
    not change what is stored."""
    if geometry.geom_type == "MultiPolygon" and len(geometry.geoms) == 1:
        return geometry.geoms[0]
    return geometry


def same_geometry(stored: str, new: Any) -> bool:
    """Tell whether stored GeoJSON text is the same geometry as a validated one (single parts)."""
    current = single_part(contamination.load_geometry(stored))
    return contamination.geometry_text(current) == contamination.geometry_text(single_part(new))


def require_fields(data: dict[str, Any], names: tuple[str, ...], raw: RawLayer) -> None:
    """Refuse a feature whose required fields are missing or blank, naming each one."""
    missing = [n for n in names if data.get(n) in (None, "", [])]
    if missing:
        raise RowFailed([(column(raw, n), "is required") for n in missing])


def place_id_of(session: Session, code: str | None, raw: RawLayer) -> str | None:
    if code is None:
        return None
    found = session.scalar(select(Place.id).where(Place.code == code, Place.deleted_at.is_(None)))
    if found is None:
        raise RowFailed([(column(raw, "place_code"), f"no place with the code {code}")])
    return found


RENAMED = {"place_id": "place_code", "polygon": "geometry"}


def run_write(write: Callable[[], Any], raw: RawLayer) -> None:
    """Run a service's write; its refusals become problems of the feature."""
    try:
        write()
    except ValidationFailed as failed:
        raise failed_fields(raw, failed) from None
    except Conflict as conflict:
        raise RowFailed([(None, str(conflict))]) from None
