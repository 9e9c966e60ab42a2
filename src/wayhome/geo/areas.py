"""Geodesic areas and lengths on the WGS 84 ellipsoid, and densification along geodesics.

Coordinates are GeoJSON order, ``(longitude, latitude)`` in degrees. An edge between two vertices
is the geodesic (shortest path on the ellipsoid) between them, as in PostGIS ``geography`` and in
pyproj's :class:`~pyproj.Geod`. Areas are computed with Karney's algorithm (GeographicLib, through
pyproj), ring by ring, so the result does not depend on ring orientation: the outer ring counts
positive and every hole negative, whichever way round either was drawn.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

__all__ = [
    "GEOD",
    "WGS84_A",
    "WGS84_F",
    "densify_geodesic",
    "flush_tiny",
    "geodesic_area",
    "geodesic_length",
    "metres_per_degree",
]

WGS84_A = 6_378_137.0
"""Equatorial radius of WGS 84, in metres."""
WGS84_F = 1 / 298.257223563
"""Flattening of WGS 84."""
WGS84_E2 = WGS84_F * (2 - WGS84_F)

GEOD = Geod(ellps="WGS84")
"""The WGS 84 ellipsoid, for geodesic computations."""


def _ring_area(coords: np.ndarray) -> float:
    if len(coords) < 3:
        return 0.0
    area, _ = GEOD.polygon_area_perimeter(coords[:, 0], coords[:, 1])
    return abs(area)


def polygon_parts(geometry: BaseGeometry) -> list[shapely.Polygon]:
    """The non-empty polygons in a geometry of any type (lines and points are left out)."""
    parts = shapely.get_parts(geometry)
    out: list[shapely.Polygon] = []
    for part in parts:
        if isinstance(part, shapely.Polygon):
            if not part.is_empty:
                out.append(part)
        elif isinstance(part, shapely.GeometryCollection | shapely.MultiPolygon):
            out.extend(polygon_parts(part))
    return out


def geodesic_area(geometry: BaseGeometry) -> float:
    """Area in square metres of the polygonal parts of ``geometry``, holes subtracted.

    Points and lines count zero (so the result of an overlay that left a stray line or point is
    measured correctly); an empty geometry measures 0.
    """
    total: list[float] = []
    for polygon in polygon_parts(geometry):
        total.append(_ring_area(np.asarray(polygon.exterior.coords)[:, :2]))
        for hole in polygon.interiors:
            total.append(-_ring_area(np.asarray(hole.coords)[:, :2]))
    return max(math.fsum(total), 0.0)


def geodesic_length(geometry: BaseGeometry) -> float:
    """Length in metres of the lines of ``geometry``; for polygons, of all their rings.

    A polygon's length is its whole boundary, outer ring and holes; points count zero.
    """
    total: list[float] = []
    for line in _lines(geometry):
        coords = np.asarray(line.coords)[:, :2]
        if len(coords) >= 2:
            total.append(GEOD.line_length(coords[:, 0], coords[:, 1]))
    return math.fsum(total)


def _lines(geometry: BaseGeometry) -> list[BaseGeometry]:
    out: list[BaseGeometry] = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, shapely.Polygon):
            if not part.is_empty:
                out.append(part.exterior)
                out.extend(part.interiors)
        elif isinstance(part, shapely.LineString):  # LinearRing is a LineString
            out.append(part)
        elif isinstance(part, shapely.GeometryCollection | shapely.MultiPolygon):
            out.extend(_lines(part))
        elif isinstance(part, shapely.MultiLineString):
            out.extend(part.geoms)
    return out


def metres_per_degree(latitude: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Metres per degree of longitude and of latitude at ``latitude`` (WGS 84, local scale)."""
    phi = np.radians(latitude)
    w = np.sqrt(1.0 - WGS84_E2 * np.sin(phi) ** 2)
    n = WGS84_A / w  # prime vertical radius of curvature
    m = WGS84_A * (1.0 - WGS84_E2) / w**3  # meridional radius of curvature
    return n * np.cos(phi) * (np.pi / 180.0), m * (np.pi / 180.0)


def _densify_coords(coords: np.ndarray, max_segment_m: float) -> np.ndarray:
    lon, lat = coords[:, 0], coords[:, 1]
    if len(lon) < 2:
        return coords
    az, _, dist = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    n_sub = np.maximum(np.ceil(np.asarray(dist) / max_segment_m), 1).astype(np.int64)
    extra = n_sub - 1
    total = int(extra.sum())
    if total == 0:
        return coords
    edge = np.repeat(np.arange(len(extra)), extra)
    step = np.arange(total) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    frac = step / n_sub[edge]
    plon, plat, _ = GEOD.fwd(
        lon[:-1][edge], lat[:-1][edge], np.asarray(az)[edge], dist[edge] * frac
    )
    # keep the new points on the same side of the antimeridian as the edge they subdivide
    start = lon[:-1][edge]
    plon = start + ((np.asarray(plon) - start + 180.0) % 360.0 - 180.0)
    out_lon = np.insert(lon, edge + 1, plon)
    out_lat = np.insert(lat, edge + 1, plat)
    return np.column_stack([out_lon, out_lat])


TINY_DEGREES = 1e-12
"""Coordinates smaller than this (0.1 µm) are set to 0 by :func:`flush_tiny`."""


def flush_tiny(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` with coordinates of magnitude under :data:`TINY_DEGREES` set to exactly 0.

    GEOS overlays lose precision on numbers near the bottom of the floating-point range (1e-300
    and below: products underflow), leaking square metres of area; nothing real is that close to
    the equator or the prime meridian without being on it.
    """

    def flush(xy: np.ndarray) -> np.ndarray:
        return np.where(np.abs(xy) < TINY_DEGREES, 0.0, xy)

    return shapely.transform(geometry, flush, include_z=False)


def densify_geodesic(geometry: BaseGeometry, max_segment_m: float = 10.0) -> BaseGeometry:
    """Insert vertices along every edge so that no edge is longer than ``max_segment_m`` metres.

    The new vertices lie on the geodesic between the old ones, so the geodesic area and length do
    not change; but afterwards a planar operation in longitude/latitude (shapely's overlay, point
    in polygon) and the geodesic interpretation agree to within the sagitta of a
    ``max_segment_m`` edge: at 10 m, about 2 µm at 45° latitude.
    """
    if max_segment_m <= 0:
        raise ValueError("max_segment_m must be positive")

    def ring(r: BaseGeometry) -> np.ndarray:
        return _densify_coords(np.asarray(r.coords)[:, :2], max_segment_m)

    def one(part: BaseGeometry) -> BaseGeometry:
        if part.is_empty:
            return part
        if isinstance(part, shapely.Polygon):
            return shapely.Polygon(ring(part.exterior), [ring(h) for h in part.interiors])
        if isinstance(part, shapely.LinearRing):
            return shapely.LinearRing(ring(part))
        if isinstance(part, shapely.LineString):
            return shapely.LineString(ring(part))
        if isinstance(part, shapely.MultiPolygon):
            return shapely.MultiPolygon([one(p) for p in part.geoms])
        if isinstance(part, shapely.MultiLineString):
            return shapely.MultiLineString([one(p) for p in part.geoms])
        if isinstance(part, shapely.GeometryCollection):
            return shapely.GeometryCollection([one(p) for p in part.geoms])
        return part  # points

    return one(geometry)
