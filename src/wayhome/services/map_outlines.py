"""Hazard outlines for the map, simplified per zoom band when the hazard area is written.

Simplifying ten thousand polygons for a zoom takes a second or more, too slow for the first map
request after a write. So every write of a hazard area's geometry (`write_hazard_area`, which
the API, the UI, the geodata import and the demo all go through) stores, in the same
transaction, the outline as drawn at each band in ``hazard_area_outlines``: the compact GeoJSON
text of `wayhome.geo.layer_geometry.display_geojson` (simplified to half a pixel, rounded to a
tenth of a pixel). A band is one zoom, 0 to `MAX_ZOOM`, and `FULL` (-1) is the request without a
zoom (the stored geometry, rounded to 7 decimals), so the layer is byte for byte what simplifying
at request time gave. Migration 0007 fills the table for hazard areas written before it, with
the same function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from wayhome.geo.layer_geometry import MAX_ZOOM, display_geojson
from wayhome.store.tables_contamination import HazardAreaOutline

__all__ = ["BANDS", "FULL", "band_for_zoom", "outline_rows", "replace_outlines"]

FULL = -1
"""The band of a layer asked for without a zoom: the outline as stored, rounded to 7 decimals."""
BANDS = (FULL, *range(MAX_ZOOM + 1))


def band_for_zoom(zoom: int | None) -> int:
    """The band whose stored outlines a layer at ``zoom`` reads."""
    return FULL if zoom is None else max(0, min(zoom, MAX_ZOOM))


def outline_rows(hazards: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``hazard_area_outlines`` for ``(hazard id, geometry)`` pairs, every band.

    A geometry is a shapely geometry or stored GeoJSON text. Set-wise: one call simplifies all
    the given outlines for a band at once (shapely's array functions).
    """
    items = list(hazards)
    if not items:
        return []
    ids = [hazard_id for hazard_id, _geometry in items]
    shapes = [shapely.from_geojson(g) if isinstance(g, str) else g for _hazard_id, g in items]
    rows: list[dict[str, Any]] = []
    for band in BANDS:
        texts = display_geojson(shapes, None if band == FULL else band)
        rows.extend(
            {"hazard_area_id": hazard_id, "band": band, "geometry": text}
            for hazard_id, text in zip(ids, texts, strict=True)
        )
    return rows


def replace_outlines(session: Session, hazards: Sequence[tuple[str, Any]]) -> None:
    """Store the outlines of some hazard areas in the caller's transaction, replacing old ones."""
    ids = [hazard_id for hazard_id, _geometry in hazards]
    if not ids:
        return
    session.execute(delete(HazardAreaOutline).where(HazardAreaOutline.hazard_area_id.in_(ids)))
    session.execute(insert(HazardAreaOutline), outline_rows(hazards))
