"""Pure geometry for hazard areas, land release and return readiness (no database).

* :func:`validate_polygon` checks a GeoJSON Polygon/MultiPolygon before it is stored and raises
  :class:`GeometryRejected` with a reason; :func:`find_duplicates` and
  :func:`ensure_not_duplicate` catch the same area entered twice.
* :func:`geodesic_area` and :func:`geodesic_length` measure on the WGS 84 ellipsoid.
* :func:`release_ledger` balances a hazard area against its land-release events.
* :func:`hazards_near_settlements` finds the hazards in or near each settlement.
* :func:`simplify_for_zoom` thins polygons for a map layer.

Coordinates are always GeoJSON order, ``(longitude, latitude)`` in degrees, WGS 84.
"""

from __future__ import annotations

from wayhome.geo.areas import densify_geodesic, geodesic_area, geodesic_length
from wayhome.geo.ledger import (
    RELEASE_KINDS,
    Ledger,
    LedgerEntry,
    LedgerInvariantError,
    ReleaseEvent,
    ReleaseKind,
    ReleaseOutsideHazard,
    release_ledger,
)
from wayhome.geo.overlay import Settlement, hazards_near_settlements
from wayhome.geo.simplify import pixel_size_m, simplify_for_zoom
from wayhome.geo.validation import (
    GeometryRejected,
    ensure_not_duplicate,
    find_duplicates,
    validate_polygon,
)

__all__ = [
    "RELEASE_KINDS",
    "GeometryRejected",
    "Ledger",
    "LedgerEntry",
    "LedgerInvariantError",
    "ReleaseEvent",
    "ReleaseKind",
    "ReleaseOutsideHazard",
    "Settlement",
    "densify_geodesic",
    "ensure_not_duplicate",
    "find_duplicates",
    "geodesic_area",
    "geodesic_length",
    "hazards_near_settlements",
    "pixel_size_m",
    "release_ledger",
    "simplify_for_zoom",
    "validate_polygon",
]
