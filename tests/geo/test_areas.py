"""Geodesic areas and lengths against known values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from wayhome.geo import densify_geodesic, geodesic_area, geodesic_length
from wayhome.geo.areas import GEOD, WGS84_A, WGS84_E2, WGS84_F

# pyproj/GeographicLib's area of the cell (0 0, 1 0, 1 1, 0 1) with geodesic edges
ONE_DEGREE_CELL_M2 = 12_308_778_361.469


def _band_area(lat1: float, lat2: float, dlon: float) -> float:
    """Area between two parallels over dlon degrees (closed form on the ellipsoid)."""
    e = math.sqrt(WGS84_E2)
    b = WGS84_A * (1 - WGS84_F)

    def q(phi: float) -> float:
        s = math.sin(math.radians(phi))
        return s / (1 - WGS84_E2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return math.radians(dlon) * b * b / 2 * (q(lat2) - q(lat1))


def test_one_degree_cell_at_the_equator():
    assert geodesic_area(shapely.box(0, 0, 1, 1)) == pytest.approx(ONE_DEGREE_CELL_M2, abs=1.0)


def test_cell_bounded_by_parallels_matches_the_closed_form():
    # edges that follow the parallels (densified in longitude/latitude) enclose a little less
    cell = shapely.segmentize(shapely.box(0, 0, 1, 1), 0.0005)
    assert geodesic_area(cell) == pytest.approx(_band_area(0, 1, 1), rel=1e-7)
    cell = shapely.segmentize(shapely.box(30, 60, 31, 61), 0.0005)
    assert geodesic_area(cell) == pytest.approx(_band_area(60, 61, 1), rel=1e-7)


def test_orientation_does_not_matter_and_holes_are_subtracted():
    outer = shapely.box(44.0, 40.0, 44.1, 40.1)
    inner = shapely.box(44.02, 40.02, 44.04, 40.04)
    ccw = shapely.Polygon(outer.exterior.coords, [inner.exterior.coords])
    cw = shapely.Polygon(outer.exterior.coords[::-1], [inner.exterior.coords[::-1]])
    expected = geodesic_area(outer) - geodesic_area(inner)
    assert geodesic_area(ccw) == pytest.approx(expected, abs=1e-6)
    assert geodesic_area(cw) == pytest.approx(expected, abs=1e-6)
    assert expected < geodesic_area(outer)


def test_multipolygons_add_and_lines_and_points_count_nothing():
    a, b = shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)
    assert geodesic_area(shapely.MultiPolygon([a, b])) == pytest.approx(2 * ONE_DEGREE_CELL_M2)
    mixed = shapely.GeometryCollection(
        [a, shapely.LineString([(5, 5), (6, 6)]), shapely.Point(1, 1)]
    )
    assert geodesic_area(mixed) == pytest.approx(ONE_DEGREE_CELL_M2)
    assert geodesic_area(shapely.Polygon()) == 0.0
    assert geodesic_area(shapely.LineString([(0, 0), (1, 1)])) == 0.0


def test_lengths():
    # one degree along the equator is a·π/180
    assert geodesic_length(shapely.LineString([(0, 0), (1, 0)])) == pytest.approx(
        WGS84_A * math.pi / 180, abs=1e-6
    )
    outer = shapely.box(44.0, 40.0, 44.1, 40.1)
    inner = shapely.box(44.02, 40.02, 44.04, 40.04)
    holed = shapely.Polygon(outer.exterior.coords, [inner.exterior.coords])
    assert geodesic_length(holed) == pytest.approx(
        geodesic_length(outer) + geodesic_length(inner), abs=1e-6
    )
    _, _, meridian = GEOD.inv(0, 0, 0, 1)
    assert geodesic_length(shapely.MultiLineString([[(0, 0), (0, 1)]] * 2)) == pytest.approx(
        2 * meridian
    )
    assert geodesic_length(shapely.Point(0, 0)) == 0.0


def test_densify_keeps_area_and_bounds_edges():
    cell = shapely.Polygon(
        shapely.box(30, 48, 30.2, 48.1).exterior.coords,
        [shapely.box(30.05, 48.02, 30.1, 48.05).exterior.coords],
    )
    dense = densify_geodesic(cell, 50.0)
    assert geodesic_area(dense) == pytest.approx(geodesic_area(cell), rel=1e-12)
    coords = np.asarray(dense.exterior.coords)
    _, _, lengths = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    assert max(lengths) <= 50.0 + 1e-6
    assert len(coords) > 4 * 100


def test_densify_at_the_antimeridian_stays_on_its_side():
    edge = shapely.LineString([(180.0, 10.0), (180.0, 10.1), (179.9, 10.1)])
    dense = densify_geodesic(edge, 100.0)
    assert np.all(np.asarray(dense.coords)[:, 0] > 179.0)
    with pytest.raises(ValueError):
        densify_geodesic(edge, 0.0)
