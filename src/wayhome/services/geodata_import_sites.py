"""Importing heritage sites: one feature to `heritage.write_site` (coarsened locations refused)."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.errors import ValidationFailed
from wayhome.services import contamination, heritage
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
    text,
)
from wayhome.services.heritage_inputs import HeritageSiteInput
from wayhome.services.inputs import parse_input
from wayhome.store.tables_heritage import HeritageSite

# --- heritage sites --------------------------------------------------------------------------

SITE_FIELDS = (
    "reference",
    "name",
    "names",
    "type",
    "period",
    "community",
    "designation",
    "place_code",
    "lat",
    "lon",
    "sensitive",
    "location_precision",
    "notes",
    "source",
)
TRUE = {"1", "true", "yes", "y", "t"}
FALSE = {"0", "false", "no", "n", "f"}


def _flag(value: Any, raw: RawLayer) -> bool:
    if isinstance(value, bool):
        return value
    word = (text(value) or "").lower()
    if word in TRUE:
        return True
    if word in FALSE or not word:
        return False
    raise RowFailed([(column(raw, "sensitive"), f"'{value}' is not yes/no (1/0, true/false)")])


def _names(given: dict[str, Any], site: HeritageSite | None, raw: RawLayer) -> list | None:
    names = as_json(given.get("names"), raw, "names")
    if names:
        return names
    name = given.get("name")
    if name is None:
        return None
    if site is not None and site.display_name == name:
        return [{"name": n.name, "lang": n.lang} for n in site.names]
    return [{"name": name}]


def _location(feature: RawFeature, given: dict[str, Any], raw: RawLayer) -> dict[str, Any]:
    """lat, lon and polygon from the geometry and the lat/lon columns (empty: keep stored)."""
    if given.get("location_precision") == "coarse":
        raise RowFailed(
            [
                (
                    column(raw, "location_precision"),
                    "this location was coarsened for a role that may not see exact locations; "
                    "importing it would overwrite the exact location",
                )
            ]
        )
    geometry = feature.geometry
    found: dict[str, Any] = {}
    if geometry is not None and geometry.get("type") == "Point":
        lon, lat = (geometry.get("coordinates") or [None, None])[:2]
        found = {"lon": lon, "lat": lat, "polygon": None}
    elif geometry is not None:
        found = {"polygon": _polygon_of_site(feature, raw)}
        found["lat"], found["lon"] = given.get("lat"), given.get("lon")
    elif given.get("lat") is not None or given.get("lon") is not None:
        found = {"lat": given.get("lat"), "lon": given.get("lon")}
    return found


def _polygon_of_site(feature: RawFeature, raw: RawLayer) -> dict[str, Any]:
    shape = polygon_of(feature, raw)
    return json.loads(contamination.geometry_text(shape))


def write_site_feature(
    session: Session, wayhome: Wayhome, actor: Actor, feature: RawFeature, raw: RawLayer
) -> Outcome:
    given = given_values(feature, raw, SITE_FIELDS)
    reference = (given.get("reference") or "").upper()
    if not reference:
        raise RowFailed([(column(raw, "reference"), "is required: re-imports are matched by it")])
    site = session.scalar(select(HeritageSite).where(HeritageSite.reference == reference))
    if site is not None and site.deleted_at is not None:
        raise RowFailed([(column(raw, "reference"), f"{reference} is an archived site")])
    data: dict[str, Any] = heritage.snapshot(site) if site is not None else {}
    data.pop("deleted", None)
    for name in ("type", "period", "community", "designation", "notes", "source"):
        if name in given:
            data[name] = given[name]
    if "sensitive" in given:
        data["sensitive"] = _flag(given["sensitive"], raw)
    if "place_code" in given:
        data["place_id"] = place_id_of(session, given["place_code"], raw)
    names = _names(given, site, raw)
    if names is not None:
        data["names"] = names
    data.update(_location(feature, given, raw))
    data["reference"] = reference
    data["names"] = [{"name": n["name"], "lang": n.get("lang")} for n in data.get("names") or []]
    data = {k: v for k, v in data.items() if k in HeritageSiteInput.model_fields}
    require_fields(data, ("type", "names"), raw)
    try:
        parsed = parse_input(HeritageSiteInput, data)
    except ValidationFailed as failed:
        raise failed_fields(raw, failed) from None
    if site is not None and _same_site(site, parsed):
        return "unchanged"
    run_write(lambda: heritage.write_site(session, wayhome, actor, parsed, site), raw)
    return "created" if site is None else "updated"


def _same_site(site: HeritageSite, data: HeritageSiteInput) -> bool:
    stored = heritage.snapshot(site)
    polygon = data.polygon
    return (
        stored["type"] == data.type.value
        and stored["period"] == data.period.value
        and stored["community"] == data.community
        and stored["designation"] == data.designation.value
        and stored["place_id"] == data.place_id
        and (stored["polygon"] is None) == (polygon is None)
        and (polygon is None or same_geometry(json.dumps(stored["polygon"]), shape(polygon)))
        and (data.lat is None and polygon is not None or stored["lat"] == data.lat)
        and (data.lon is None and polygon is not None or stored["lon"] == data.lon)
        and stored["sensitive"] == data.sensitive
        and [(n["name"], n["lang"]) for n in stored["names"]]
        == [(n.name, n.lang) for n in data.names]
        and stored["notes"] == data.notes
        and stored["source"] == data.source
    )
