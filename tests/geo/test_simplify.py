"""Map-layer simplification: fewer vertices, still valid, within the pixel tolerance."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from tests.geo.shapes import star
from wayhome.geo import pixel_size_m, simplify_for_zoom
from wayhome.geo.simplify import _to_mercator


def wobbly(lon: float, lat: float, radius_m: float = 1500.0, n: int = 2000) -> shapely.Polygon:
    """A roundish polygon with many vertices and a little (0.2 %) noise, as digitised outlines."""
    rng = np.random.default_rng(3)
    return star(lon, lat, radius_m * (1 + 0.002 * rng.standard_normal(n)))


def coords(geometry: shapely.Geometry) -> int:
    return int(shapely.get_num_coordinates(geometry))


def test_pixel_size():
    assert pixel_size_m(0) == pytest.approx(156_543.03392804097)
    assert pixel_size_m(10) == pytest.approx(156_543.03392804097 / 1024)
    assert pixel_size_m(3, tile_size=512) == pytest.approx(156_543.03392804097 / 16)
    with pytest.raises(ValueError):
        pixel_size_m(-1)


@pytest.mark.parametrize("lat", [0.0, 48.0, 78.0, -60.0])
def test_simplify_reduces_vertices_and_stays_close_and_valid(lat: float):
    polygon = wobbly(30.0, lat)
    previous = 0
    for zoom in (8, 11, 14, 17, 20):
        simple = simplify_for_zoom(polygon, zoom)
        assert simple.is_valid and not simple.is_empty
        assert simple.geom_type == "Polygon"
        assert coords(simple) <= coords(polygon)
        assert coords(simple) >= previous  # more detail as one zooms in
        previous = coords(simple)
        # on screen, the outline moved by about half a pixel: Douglas–Peucker keeps every vertex
        # within the tolerance, but GEOS may also drop a ring's start vertex, a little beyond it
        moved = shapely.hausdorff_distance(
            shapely.transform(simple, _to_mercator), shapely.transform(polygon, _to_mercator)
        )
        assert moved <= 1.0 * pixel_size_m(zoom)
    assert coords(simplify_for_zoom(polygon, 11)) < coords(polygon) / 10


def test_holes_and_multipolygons_keep_their_shape_and_type():
    outer = wobbly(36.0, 48.0, 2000)
    hole = wobbly(36.0, 48.0, 400)
    holed = shapely.Polygon(outer.exterior.coords, [hole.exterior.coords])
    far = wobbly(36.2, 48.0, 800)
    multi = shapely.MultiPolygon([holed, far])
    assert multi.is_valid
    for zoom in (6, 10, 14):
        simple = simplify_for_zoom(multi, zoom)
        assert simple.is_valid and simple.geom_type == "MultiPolygon"
        assert len(simple.geoms) == 2 and len(simple.geoms[0].interiors) == 1
        assert coords(simple) < coords(multi)


def test_tiny_polygons_never_vanish_and_simple_ones_come_back_unchanged():
    square = shapely.box(30.0, 48.0, 30.001, 48.001)  # ~75 m: far below a pixel at zoom 3
    tiny = simplify_for_zoom(square, 3)
    assert tiny.is_valid and not tiny.is_empty and tiny.intersects(square)
    assert simplify_for_zoom(square, 18) is square  # nothing to remove
    assert simplify_for_zoom(shapely.Polygon(), 10).is_empty
