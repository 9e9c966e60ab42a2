"""Small shape builders for the geo tests: polygons given in metres around a point."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

from wayhome.geo.areas import GEOD, metres_per_degree


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point ``east_m`` east and ``north_m`` north of (lon, lat), in the local plane."""
    kx, ky = metres_per_degree(lat)
    return lon + east_m / float(kx), lat + north_m / float(ky)


def moved(lon: float, lat: float, azimuth: float, distance_m: float) -> tuple[float, float]:
    """The point ``distance_m`` along the geodesic from (lon, lat) at ``azimuth`` degrees."""
    x, y, _ = GEOD.fwd(lon, lat, azimuth, distance_m)
    return float(x), float(y)


def star(
    lon: float,
    lat: float,
    radii_m: Sequence[float],
    angles: Sequence[float] | None = None,
) -> shapely.Polygon:
    """A star-shaped (so always simple) polygon: vertex i at radii_m[i] metres, angle angles[i]."""
    n = len(radii_m)
    if angles is None:
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    order = np.argsort(angles)
    a = np.asarray(angles, dtype=float)[order]
    r = np.asarray(radii_m, dtype=float)[order]
    kx, ky = metres_per_degree(lat)
    xs = lon + r * np.cos(a) / float(kx)
    ys = lat + r * np.sin(a) / float(ky)
    return shapely.Polygon(np.column_stack([xs, ys]))


def rect(lon: float, lat: float, width_m: float, height_m: float) -> shapely.Polygon:
    """A longitude/latitude rectangle of about width × height metres, south-west corner at lon, lat."""
    x2, y2 = offset(lon, lat, width_m, height_m)
    return shapely.box(lon, lat, x2, y2)


def geojson(polygon: shapely.Polygon | shapely.MultiPolygon) -> dict:
    return shapely.geometry.mapping(polygon)
