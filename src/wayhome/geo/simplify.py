"""Simplifying polygons for a map layer at a given zoom.

At zoom ``z`` a 256-pixel Web Mercator tile spans ``2π·6378137 / 2^z`` metres of Mercator x, so a
pixel is ``156543.03 / 2^z`` Mercator metres wide (about as many ground metres at the equator, and
``cos φ`` times that at latitude ``φ``). :func:`simplify_for_zoom` projects to Web Mercator
(EPSG:3857, the map's own plane), simplifies there with a tolerance of ``pixel_tolerance`` pixels
(half a pixel by default: Douglas–Peucker keeps every dropped vertex within that distance of the
new outline, though GEOS may also drop a ring's start vertex a little beyond it), and projects
back. Simplification preserves topology (GEOS' topology-preserving simplifier: rings do
not cross, holes stay inside and nothing disappears), and a result that is nonetheless invalid is
never returned: the original geometry is returned instead.

Map layers only: never compute areas or ledgers on simplified geometry.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["MAX_MERCATOR_LATITUDE", "pixel_size_m", "simplify_for_zoom"]

_R = 6_378_137.0
MAX_MERCATOR_LATITUDE = 85.05112877980659
"""Web Mercator is cut off here; coordinates beyond it are clamped for simplification."""


def pixel_size_m(zoom: int, tile_size: int = 256) -> float:
    """Width of one pixel in Web Mercator metres (the ground resolution at the equator)."""
    if zoom < 0:
        raise ValueError("zoom must be 0 or more")
    return 2 * math.pi * _R / (tile_size * 2**zoom)


def _to_mercator(xy: np.ndarray) -> np.ndarray:
    lat = np.clip(xy[:, 1], -MAX_MERCATOR_LATITUDE, MAX_MERCATOR_LATITUDE)
    x = np.radians(xy[:, 0]) * _R
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * _R
    return np.column_stack([x, y])


def _from_mercator(xy: np.ndarray) -> np.ndarray:
    lon = np.degrees(xy[:, 0] / _R)
    lat = np.degrees(2 * np.arctan(np.exp(xy[:, 1] / _R)) - np.pi / 2)
    return np.column_stack([lon, lat])


def simplify_for_zoom(
    geometry: BaseGeometry, zoom: int, *, pixel_tolerance: float = 0.5, tile_size: int = 256
) -> BaseGeometry:
    """``geometry`` (longitude/latitude) simplified for display at ``zoom``, still valid."""
    tolerance = pixel_tolerance * pixel_size_m(zoom, tile_size)
    if geometry.is_empty or tolerance <= 0:
        return geometry
    projected = shapely.transform(geometry, _to_mercator, include_z=False)
    simplified = shapely.simplify(projected, tolerance, preserve_topology=True)
    result = shapely.transform(simplified, _from_mercator, include_z=False)
    if result.is_empty or not result.is_valid or result.geom_type != geometry.geom_type:
        return geometry
    if shapely.get_num_coordinates(result) >= shapely.get_num_coordinates(geometry):
        return geometry
    return result
