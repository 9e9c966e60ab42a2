"""Every reason a polygon is refused, and the polygons that must get through."""

from __future__ import annotations

import math

import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.geo.shapes import offset, rect, star
from wayhome.geo import GeometryRejected, ensure_not_duplicate, find_duplicates, validate_polygon
from wayhome.geo.validation import MAX_VERTICES


def poly(*rings: list) -> dict:
    return {"type": "Polygon", "coordinates": [list(map(list, r)) for r in rings]}


SQUARE = [[44.0, 40.0], [44.01, 40.0], [44.01, 40.01], [44.0, 40.01], [44.0, 40.0]]


def rejected(geometry: object, **kwargs: float) -> GeometryRejected:
    with pytest.raises(GeometryRejected) as info:
        validate_polygon(geometry, **kwargs)  # type: ignore[arg-type]
    return info.value


# --- rejections -------------------------------------------------------------------------------


def test_bowtie_is_rejected_with_the_crossing_point():
    error = rejected(poly([[45.0, 40.0], [45.1, 40.1], [45.1, 40.0], [45.0, 40.1], [45.0, 40.0]]))
    assert error.reason.startswith(
        "ring 0 intersects itself near longitude 45.05000, latitude 40.05000"
    )
    assert "the edge from vertex 0 to 1 crosses the edge from vertex 2 to 3" in error.reason
    assert error.where == "/coordinates/0/2"
    assert str(error) == f"{error.reason} (at /coordinates/0/2)"


def test_ring_touching_itself_at_a_vertex_is_rejected():
    error = rejected(poly([[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]]))
    assert "intersects itself near longitude 1.00000, latitude 0.00000" in error.reason
    assert "touches" in error.reason


def test_spike_that_runs_back_over_itself_is_rejected():
    error = rejected(poly([[0, 0], [2, 0], [2, 2], [2, 3], [2, 2], [0, 2], [0, 0]]))
    assert "runs back over" in error.reason


def test_two_distinct_vertices_are_rejected():
    error = rejected(poly([[44, 40], [44.1, 40.1], [44, 40], [44.1, 40.1], [44, 40]]))
    assert error.reason == "polygon has 2 distinct vertices; at least 3 needed"
    assert error.where == "/coordinates/0"


def test_repeated_vertices_do_not_count_as_distinct():
    error = rejected(poly([[44, 40], [44, 40], [44.1, 40.1], [44.1, 40.1], [44, 40]]))
    assert error.reason == "polygon has 2 distinct vertices; at least 3 needed"


def test_hole_with_too_few_vertices_is_named_as_a_hole():
    error = rejected(poly(SQUARE, [[44.001, 40.001], [44.002, 40.002], [44.001, 40.001]]))
    assert error.reason == "ring 1 (a hole) has 2 distinct vertices; at least 3 needed"
    assert error.where == "/coordinates/1"


def test_collinear_ring_has_no_area():
    error = rejected(poly([[44, 40], [44.1, 40.1], [44.2, 40.2], [44, 40]]))
    assert error.reason == "ring 0 has no area: all its vertices lie on one line"


def test_latitude_out_of_range_is_rejected():
    error = rejected(poly([[45.0, 40.0], [45.1, 123.4], [45.2, 40.0], [45.0, 40.0]]))
    assert error.reason.startswith(
        "coordinates must be [longitude, latitude] in WGS 84; got latitude 123.4 at vertex 1"
    )
    assert error.where == "/coordinates/0/1"


def test_swapped_coordinates_get_a_hint():
    # latitude 50, longitude 123: given as [lat, lon]
    error = rejected(poly([[50.0, 123.0], [50.1, 123.0], [50.1, 123.1], [50.0, 123.0]]))
    assert "got latitude 123" in error.reason
    assert error.reason.endswith("(are longitude and latitude swapped?)")


def test_longitude_out_of_range_is_rejected():
    error = rejected(poly([[181.0, 40.0], [181.1, 40.0], [181.1, 40.1], [181.0, 40.0]]))
    assert "got longitude 181 at vertex 0 of ring 0" in error.reason


@pytest.mark.parametrize(
    "position",
    [["44", 40.0], [44.0], [44.0, 40.0, 1.0, 2.0], [True, 40.0], None, [math.nan, 40.0]],
)
def test_positions_must_be_pairs_of_finite_numbers(position: object):
    ring = [position, [44.01, 40.0], [44.01, 40.01], [44.0, 40.0]]
    error = rejected({"type": "Polygon", "coordinates": [ring]})
    assert error.where == "/coordinates/0/0"
    assert "vertex 0 of ring 0" in error.reason


def test_implausible_vertex_gap_is_rejected():
    lon, lat = 45.0, 40.0
    ring = [offset(lon, lat, e, n) for e, n in [(0, 0), (300, 0), (400, 200), (300, 400), (0, 400)]]
    far = offset(lon, lat, 400, 48_000)  # a typo: 48 km north instead of ~400 m
    ring.insert(3, far)
    ring.append(ring[0])
    error = rejected(poly(ring))
    assert error.reason.startswith("vertex 3 is 47.8 km from vertex 2 in a polygon whose other")
    assert "other edges are under 500 m" in error.reason
    assert error.where == "/coordinates/0/3"


def test_gap_rule_leaves_long_strips_large_areas_and_triangles_alone():
    strip = rect(36.0, 48.0, 12_000, 40)  # a 12 km verge, 40 m wide
    big = rect(36.0, 48.0, 30_000, 25_000)  # every edge long
    sliver = star(36.0, 48.0, [9_000, 50, 50], [0.0, 2.0, 4.0])  # a triangle
    fan = star(36.0, 48.0, [2_000] * 30)  # a round area, edges ~400 m
    for geometry in (strip, big, sliver, fan):
        validate_polygon(shapely.geometry.mapping(geometry))


def test_gap_rule_can_be_tuned():
    ring = [offset(45, 40, e, n) for e, n in [(0, 0), (300, 0), (300, 5_000), (300, 400), (0, 400)]]
    ring.append(ring[0])
    # the spike at vertex 2 is a bad polygon either way; with a higher floor it is still refused,
    # but by the self-intersection check rather than the gap rule
    assert "vertex 2 is 5.0 km from vertex 1" in rejected(poly(ring)).reason
    assert "intersects itself" in rejected(poly(ring), gap_floor_m=10_000).reason


def test_hole_outside_the_shell_is_rejected():
    hole = [[44.02, 40.02], [44.03, 40.02], [44.03, 40.03], [44.02, 40.02]]
    error = rejected(poly(SQUARE, hole))
    assert error.reason == (
        "ring 1 (a hole) lies outside the outer ring (ring 0); "
        "a hole must lie inside the area it is cut from"
    )
    assert error.where == "/coordinates/1"


def test_hole_partly_outside_the_shell_is_rejected():
    hole = [[44.005, 40.005], [44.02, 40.005], [44.005, 40.006], [44.005, 40.005]]
    assert "ring 1 (a hole) is partly outside the outer ring" in rejected(poly(SQUARE, hole)).reason


def test_overlapping_and_nested_holes_are_rejected():
    a = [[44.002, 40.002], [44.006, 40.002], [44.006, 40.006], [44.002, 40.006], [44.002, 40.002]]
    b = [[44.004, 40.004], [44.008, 40.004], [44.008, 40.008], [44.004, 40.004]]
    c = [[44.003, 40.003], [44.004, 40.003], [44.004, 40.004], [44.003, 40.003]]
    assert "ring 2 (a hole) overlaps ring 1 (another hole)" in rejected(poly(SQUARE, a, b)).reason
    assert "ring 2 (a hole) lies inside ring 1" in rejected(poly(SQUARE, a, c)).reason


def test_holes_that_cut_the_polygon_apart_are_rejected():
    shell = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[0, 2], [2, 1], [4, 2], [2, 3], [0, 2]]
    error = rejected(poly(shell, hole))
    assert error.reason.startswith("the holes cut the polygon into separate pieces near")


def test_open_ring_is_rejected_not_closed():
    error = rejected(poly(SQUARE[:-1]))
    assert error.reason.startswith(
        "ring 0 is not closed: its last vertex (3) must repeat its first"
    )
    assert error.where == "/coordinates/0/3"


def test_ring_across_the_antimeridian_is_rejected():
    ring = [[179.9, -17.0], [-179.9, -17.0], [-179.9, -16.9], [179.9, -16.9], [179.9, -17.0]]
    error = rejected(poly(ring))
    assert error.reason.startswith(
        "ring 0 crosses the antimeridian (180° longitude) between vertex 0 and vertex 1"
    )


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ([1, 2], "expected a GeoJSON geometry object, got list"),
        ({"coordinates": []}, "expected a Polygon or MultiPolygon, got no type"),
        ({"type": "LineString", "coordinates": []}, "expected a Polygon or MultiPolygon"),
        ({"type": "Feature", "geometry": {}}, "expected a geometry, got a Feature"),
        ({"type": "Polygon"}, "a Polygon needs a coordinates array"),
        ({"type": "Polygon", "coordinates": []}, "polygon is empty: it has no rings"),
        ({"type": "Polygon", "coordinates": [[]]}, "ring 0 is empty"),
        ({"type": "Polygon", "coordinates": [5]}, "ring 0 must be a list of positions"),
        ({"type": "MultiPolygon", "coordinates": []}, "the MultiPolygon is empty"),
        ({"type": "MultiPolygon", "coordinates": [5]}, "polygon 0 must be a list of rings"),
    ],
)
def test_malformed_objects_are_rejected(geometry: object, reason: str):
    assert rejected(geometry).reason.startswith(reason)


def test_too_many_vertices_are_rejected():
    ring = star(30.0, 50.0, [1000.0] * (MAX_VERTICES + 1))
    assert "at most 100000 are accepted" in rejected(shapely.geometry.mapping(ring)).reason


def test_overlapping_parts_of_a_multipolygon_are_rejected():
    a = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    b = [[0.5, 0.5], [2, 0.5], [2, 2], [0.5, 0.5]]
    error = rejected({"type": "MultiPolygon", "coordinates": [[a], [b]]})
    assert error.reason.startswith("polygons 0 and 1 of the MultiPolygon overlap near")
    assert error.where == "/coordinates/1"


def test_parts_of_a_multipolygon_sharing_an_edge_are_rejected():
    a = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    b = [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]
    error = rejected({"type": "MultiPolygon", "coordinates": [[a], [b]]})
    assert "share an edge" in error.reason


def test_problem_in_a_multipolygon_part_names_the_part():
    a = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    bowtie = [[5, 5], [6, 6], [6, 5], [5, 6], [5, 5]]
    error = rejected({"type": "MultiPolygon", "coordinates": [[a], [bowtie]]})
    assert error.reason.startswith("polygon 1, ring 0 intersects itself")
    assert error.where == "/coordinates/1/0/2"


# --- accepted -----------------------------------------------------------------------------------


def test_valid_polygon_with_hole_is_accepted_and_oriented():
    hole = [[44.002, 40.002], [44.004, 40.002], [44.004, 40.004], [44.002, 40.002]]
    clockwise_shell = SQUARE[::-1]
    geometry = validate_polygon(poly(clockwise_shell, hole))
    assert isinstance(geometry, shapely.Polygon)
    assert geometry.is_valid
    assert geometry.exterior.is_ccw
    assert not geometry.interiors[0].is_ccw
    assert geometry.equals(shapely.Polygon(SQUARE, [hole]))


def test_altitude_and_repeated_vertices_are_dropped():
    ring = [[44.0, 40.0, 120.0], [44.01, 40.0, 121.0], [44.01, 40.0, 121.0], [44.01, 40.01, 0]]
    ring.append(ring[0])
    geometry = validate_polygon(poly(ring))
    assert not geometry.has_z
    assert len(geometry.exterior.coords) == 4


def test_multipolygon_with_parts_touching_at_a_point_is_accepted():
    a = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    b = [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]
    geometry = validate_polygon({"type": "MultiPolygon", "coordinates": [[a], [b]]})
    assert isinstance(geometry, shapely.MultiPolygon)
    assert len(geometry.geoms) == 2


def test_hole_touching_the_shell_at_one_point_is_accepted():
    hole = [[44.0, 40.005], [44.005, 40.004], [44.005, 40.006], [44.0, 40.005]]
    assert validate_polygon(poly(SQUARE, hole)).is_valid


@pytest.mark.parametrize(
    "ring",
    [
        # close to the antimeridian on either side, and touching it
        [[179.9, -17.0], [179.99, -17.0], [179.99, -16.9], [179.9, -16.9], [179.9, -17.0]],
        [[-180.0, -17.0], [-179.9, -17.0], [-179.9, -16.9], [-180.0, -16.9], [-180.0, -17.0]],
        [[179.9, 65.0], [180.0, 65.0], [180.0, 65.1], [179.9, 65.0]],
        # far north and far south
        [[20.0, 78.0], [20.1, 78.0], [20.1, 78.05], [20.0, 78.0]],
        [[-60.0, -62.0], [-59.9, -62.0], [-59.9, -61.95], [-60.0, -62.0]],
    ],
)
def test_polygons_near_the_antimeridian_and_poles_are_accepted(ring: list):
    assert validate_polygon(poly(ring)).is_valid


def test_shapely_geometries_are_accepted_through_geo_interface():
    geometry = validate_polygon(shapely.Polygon(SQUARE))  # type: ignore[arg-type]
    assert geometry.equals(shapely.Polygon(SQUARE))


# --- duplicates ---------------------------------------------------------------------------------


def test_duplicates_are_found_within_tolerance():
    base = star(36.0, 48.0, [300, 250, 320, 280, 310, 260, 290])
    rounded = shapely.set_precision(base, 1e-6)  # 6 decimals: ~10 cm
    shifted = shapely.affinity.translate(base, xoff=5 / 74_000)  # ~5 m east
    notch_ring = list(base.exterior.coords)
    notch_ring.insert(1, offset(36.0, 48.0, 150, 10))  # a notch deep into the polygon
    notched = shapely.Polygon(notch_ring)
    holed = shapely.Polygon(base.exterior, [star(36.0, 48.0, [50, 50, 50]).exterior])
    elsewhere = star(36.1, 48.0, [300, 250, 320, 280, 310, 260, 290])
    existing = [
        ("same", base),
        ("rounded", rounded),
        ("shifted", shifted),
        ("notched", notched),
        ("holed", holed),
        ("elsewhere", elsewhere),
    ]
    assert notched.is_valid and holed.is_valid
    assert find_duplicates(base, existing) == ["same", "rounded"]
    assert find_duplicates(base, existing, tolerance_m=10.0) == ["same", "rounded", "shifted"]
    assert find_duplicates(base, []) == []


def test_ensure_not_duplicate_explains_itself():
    base = star(36.0, 48.0, [300, 250, 320, 280, 310])
    with pytest.raises(GeometryRejected) as info:
        ensure_not_duplicate(base, [("HA-0042", base)])
    assert info.value.reason == (
        "the same area is already recorded as HA-0042 (boundaries within 1 m of each other)"
    )
    ensure_not_duplicate(base, [("HA-7", star(36.0, 48.0, [200, 250, 320, 280, 310]))])


def test_a_single_position_and_huge_numbers_are_rejected_clearly():
    assert rejected(poly([[44.0, 40.0]])).reason == (
        "polygon has 1 distinct vertex; at least 3 needed"
    )
    ring = [[10**400, 40.0], [44.01, 40.0], [44.01, 40.01], [44.0, 40.0]]
    assert "is not a finite number" in rejected(poly(ring)).reason


# --- properties ---------------------------------------------------------------------------------

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-400, 400),
    st.sampled_from([0, 1, -1, 180, -180, 90, -90, 45.5]),
)
positions = st.lists(numbers, min_size=0, max_size=4)
rings = st.lists(positions, min_size=0, max_size=8).map(
    lambda r: r + [r[0]] if r and len(r[0]) >= 2 else r
)
json_ish = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.fixed_dictionaries(
            {"type": st.just("Polygon"), "coordinates": st.lists(rings, max_size=3)}
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("MultiPolygon"),
                "coordinates": st.lists(st.lists(rings, max_size=2), max_size=3),
            }
        ),
        st.fixed_dictionaries(
            {"type": st.sampled_from(["Polygon", "MultiPolygon", "Point"]), "coordinates": json_ish}
        ),
        json_ish,
    )
)
def test_any_input_is_either_rejected_or_valid(geometry: object) -> None:
    try:
        result = validate_polygon(geometry)  # type: ignore[arg-type]
    except GeometryRejected as error:
        assert error.reason
        assert error.where is None or error.where.startswith("/")
    else:
        assert result.is_valid and not result.is_empty


@settings(max_examples=100, deadline=None)
@given(
    lon=st.floats(-179.5, 179.5),
    lat=st.floats(-80.0, 80.0),
    size=st.floats(5.0, 20_000.0),
    radii=st.lists(st.floats(0.4, 1.0), min_size=3, max_size=40),
)
def test_simple_polygons_are_accepted(lon: float, lat: float, size: float, radii: list) -> None:
    polygon = star(lon, lat, [r * size for r in radii])
    result = validate_polygon(shapely.geometry.mapping(polygon))
    assert shapely.hausdorff_distance(result, polygon) <= 1e-12  # tiny numbers go to 0
