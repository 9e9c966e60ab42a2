"""Export hazard areas, land releases, devices, accidents, victims and heritage sites as geodata.

Each entity needs its own view permission (``hazard.view``, ``accident.view``,
``heritage.view``). Victims are written only as the actor may see them (`victim_visible`), and
their link to a registry person and notes only for ``victim.personal_data``. Heritage sites go
through `heritage.export_sites`, the one function that coarsens sensitive locations, so an
export shows exactly what the API and the map show. Every export leaves an audit row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayhome.core.mdr import LAYERS, PERSONAL_VICTIM_FIELDS, Entity
from wayhome.services import audit, heritage
from wayhome.services.contamination import victim_visible
from wayhome.services.context import Actor, Wayhome
from wayhome.services.geodata_formats import ExportFile, LayerData, write_geodata
from wayhome.services.permissions import can, require
from wayhome.store.tables import Place
from wayhome.store.tables_contamination import (
    DeviceFound,
    HazardArea,
    LandReleaseEvent,
    MineAccident,
    MineVictim,
)

VIEW_ACTION: dict[Entity, str] = {
    Entity.HAZARD_AREAS: "hazard.view",
    Entity.LAND_RELEASES: "hazard.view",
    Entity.DEVICES: "hazard.view",
    Entity.ACCIDENTS: "accident.view",
    Entity.VICTIMS: "accident.view",
    Entity.HERITAGE_SITES: "heritage.view",
}


def exportable(actor: Actor) -> list[Entity]:
    """Return the entities the actor may export."""
    if not can(actor, "geodata.export"):
        return []
    return [e for e in Entity if can(actor, VIEW_ACTION[e])]


def export_geodata(
    wayhome: Wayhome, actor: Actor, entities: Sequence[Entity | str], format: str
) -> ExportFile:
    """Write the entities (one layer each) in a format: geojson, gpkg, shp (zipped) or csv."""
    require(actor, "geodata.export")
    chosen = [Entity(e) for e in dict.fromkeys(entities)] or exportable(actor)
    for entity in chosen:
        require(actor, VIEW_ACTION[entity])
    with wayhome.transaction() as session:
        codes = _place_codes(session)
        layers = [_BUILDERS[entity](session, wayhome, actor, codes) for entity in chosen]
        audit.log(
            session,
            actor,
            "export",
            "geodata",
            None,
            {
                "format": format,
                "layers": {d.layer.name: len(d.rows) for d in layers},
                "exact_sensitive_sites": sum(
                    1
                    for d in layers
                    for row in d.rows
                    if row.get("sensitive") and row.get("location_precision") == "exact"
                ),
            },
        )
    stem = chosen[0].value if len(chosen) == 1 else "wayhome-geodata"
    return write_geodata(format, layers, stem)


def _place_codes(session: Session) -> dict[str, str]:
    return {k: v for k, v in session.execute(select(Place.id, Place.code))}


def _point(lon: float | None, lat: float | None) -> dict[str, Any] | None:
    if lon is None or lat is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _layer(entity: Entity, rows: list[dict], geometries: list, left_out: Iterable[str] = ()):
    layer = LAYERS[entity]
    skip = set(left_out)
    fields = tuple(f for f in layer.fields if f.name not in skip)
    return LayerData(layer, fields, rows, geometries)


def _hazards(session: Session, wayhome: Wayhome, actor: Actor, codes: dict[str, str]) -> LayerData:
    released: dict[tuple[str, str], float] = {
        (hazard_id, kind): float(total)
        for hazard_id, kind, total in session.execute(
            select(
                LandReleaseEvent.hazard_area_id,
                LandReleaseEvent.release_kind,
                func.sum(LandReleaseEvent.area_m2),
            )
            .where(LandReleaseEvent.deleted_at.is_(None))
            .group_by(LandReleaseEvent.hazard_area_id, LandReleaseEvent.release_kind)
        )
    }
    rows, geometries = [], []
    query = select(HazardArea).where(HazardArea.deleted_at.is_(None)).order_by(HazardArea.local_id)
    for h in session.scalars(query):
        rows.append(
            {
                "local_id": h.local_id,
                "id": h.id,
                "name": h.name,
                "hazard_type": h.hazard_type,
                "status": h.status,
                "status_date": h.status_date,
                "place_code": codes.get(h.place_id) if h.place_id else None,
                "benchmark_lon": h.benchmark_lon,
                "benchmark_lat": h.benchmark_lat,
                "evidence": h.evidence or [],
                "evidence_types": ",".join(e["evidence_type"] for e in h.evidence or []) or None,
                "expected_beneficiaries": h.expected_beneficiaries,
                "original_area_m2": round(h.original_area_m2, 2),
                "cancelled_m2": round(released.get((h.id, "cancelled"), 0.0), 2),
                "reduced_m2": round(released.get((h.id, "reduced"), 0.0), 2),
                "cleared_m2": round(released.get((h.id, "cleared"), 0.0), 2),
                "remaining_area_m2": round(h.remaining_area_m2, 2),
                "notes": h.notes,
                "source": h.source,
            }
        )
        geometries.append(json.loads(h.geometry))
    return _layer(Entity.HAZARD_AREAS, rows, geometries)


def _hazard_ids(session: Session) -> dict[str, str]:
    return {k: v for k, v in session.execute(select(HazardArea.id, HazardArea.local_id))}


def _releases(session: Session, wayhome: Wayhome, actor: Actor, codes: dict[str, str]) -> LayerData:
    local_ids = _hazard_ids(session)
    rows, geometries = [], []
    query = (
        select(LandReleaseEvent)
        .where(LandReleaseEvent.deleted_at.is_(None))
        .order_by(LandReleaseEvent.hazard_area_id, LandReleaseEvent.release_date)
    )
    for e in session.scalars(query):
        rows.append(
            {
                "id": e.id,
                "hazard_local_id": local_ids.get(e.hazard_area_id),
                "release_kind": e.release_kind,
                "release_date": e.release_date,
                "activity_id": e.activity_id,
                "area_m2": round(e.area_m2, 2),
                "already_released_m2": round(e.already_released_m2, 2),
                "outside_m2": round(e.outside_m2, 2),
                "notes": e.notes,
                "source": e.source,
            }
        )
        geometries.append(json.loads(e.geometry))
    return _layer(Entity.LAND_RELEASES, rows, geometries)


def _devices(session: Session, wayhome: Wayhome, actor: Actor, codes: dict[str, str]) -> LayerData:
    local_ids = _hazard_ids(session)
    rows, geometries = [], []
    query = (
        select(DeviceFound)
        .where(DeviceFound.deleted_at.is_(None))
        .order_by(DeviceFound.created_at, DeviceFound.id)
    )
    for d in session.scalars(query):
        rows.append(
            {
                "id": d.id,
                "hazard_local_id": local_ids.get(d.hazard_area_id),
                "device_category": d.device_category,
                "device_type": d.device_type,
                "condition": d.condition,
                "depth_cm": d.depth_cm,
                "quantity": d.quantity,
                "found_on": d.found_on,
                "activity_id": d.activity_id,
                "notes": d.notes,
                "source": d.source,
            }
        )
        geometries.append(_point(d.lon, d.lat))
    return _layer(Entity.DEVICES, rows, geometries)


def _accidents(
    session: Session, wayhome: Wayhome, actor: Actor, codes: dict[str, str]
) -> LayerData:
    local_ids = _hazard_ids(session)
    rows, geometries = [], []
    query = (
        select(MineAccident)
        .where(MineAccident.deleted_at.is_(None))
        .order_by(MineAccident.accident_date, MineAccident.id)
    )
    for a in session.scalars(query):
        rows.append(
            {
                "id": a.id,
                "accident_date": a.accident_date,
                "device_category": a.device_category,
                "activity": a.activity,
                "injured": a.injured,
                "killed": a.killed,
                "hazard_local_id": local_ids.get(a.hazard_area_id) if a.hazard_area_id else None,
                "place_code": codes.get(a.place_id) if a.place_id else None,
                "description": a.description,
                "source": a.source,
            }
        )
        geometries.append(_point(a.lon, a.lat))
    return _layer(Entity.ACCIDENTS, rows, geometries)


def _victims(session: Session, wayhome: Wayhome, actor: Actor, codes: dict[str, str]) -> LayerData:
    personal = can(actor, "victim.personal_data")
    rows, geometries = [], []
    query = (
        select(MineVictim, MineAccident.lon, MineAccident.lat)
        .join(MineAccident, MineAccident.id == MineVictim.accident_id)
        .where(
            MineVictim.deleted_at.is_(None),
            MineAccident.deleted_at.is_(None),
            victim_visible(actor),
        )
        .order_by(MineVictim.accident_id, MineVictim.created_at, MineVictim.id)
    )
    for v, lon, lat in session.execute(query):
        rows.append(
            {
                "id": v.id,
                "accident_id": v.accident_id,
                "sex": v.sex,
                "age_group": v.age_group,
                "outcome": v.outcome,
                "activity": v.activity,
                "person_id": v.person_id,
                "notes": v.notes,
            }
        )
        geometries.append(_point(lon, lat))
    return _layer(Entity.VICTIMS, rows, geometries, () if personal else PERSONAL_VICTIM_FIELDS)


def _sites(session: Session, wayhome: Wayhome, actor: Actor, codes: dict[str, str]) -> LayerData:
    rows, geometries = [], []
    for site in heritage.export_sites(wayhome, actor):  # coarsened as the actor may see them
        rows.append(
            {
                "reference": site["reference"],
                "name": site["display_name"],
                "names": [{"name": n["name"], "lang": n["lang"]} for n in site["names"]],
                "type": site["type"],
                "period": site["period"],
                "community": site["community"],
                "designation": site["designation"],
                "place_code": codes.get(site["place_id"]) if site["place_id"] else None,
                "lat": site["lat"],
                "lon": site["lon"],
                "sensitive": site["sensitive"],
                "location_precision": site["location_precision"],
                "notes": site["notes"],
                "source": site["source"],
            }
        )
        geometries.append(site["polygon"] or _point(site["lon"], site["lat"]))
    return _layer(Entity.HERITAGE_SITES, rows, geometries)


_BUILDERS = {
    Entity.HAZARD_AREAS: _hazards,
    Entity.LAND_RELEASES: _releases,
    Entity.DEVICES: _devices,
    Entity.ACCIDENTS: _accidents,
    Entity.VICTIMS: _victims,
    Entity.HERITAGE_SITES: _sites,
}
