"""Hazards near settlements: the fast overlay agrees with a slow geodesic brute force."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from tests.geo.shapes import moved, star
from wayhome.geo import hazards_near_settlements
from wayhome.geo.areas import GEOD
from wayhome.geo.overlay import query_box


def brute_distance(
    lon: float, lat: float, polygon: shapely.Polygon, decide: float | None = None
) -> float:
    """Geodesic distance from the point to the polygon, by sampling its boundary densely.

    With ``decide``, the dense sampling is skipped when a coarse one is clearly on one side of it.
    """
    if polygon.intersects(shapely.Point(lon, lat)):
        return 0.0

    def sampled(step_deg: float) -> float:
        boundary = shapely.segmentize(polygon.boundary, step_deg)
        xy = shapely.get_coordinates(boundary)
        _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
        return float(np.min(d))

    coarse = sampled(0.002)  # ≤ ~220 m between samples: off by at most ~110 m
    if decide is not None and abs(coarse - decide) > 300:
        return coarse
    return sampled(0.000005)  # ≤ ~0.5 m between samples: off by at most a few cm


def brute_force(settlements: list, hazards: list) -> dict:
    out: dict = {s[0]: [] for s in settlements}
    ambiguous: set = set()
    for sid, lon, lat, buffer_m in settlements:
        for hid, polygon in hazards:
            d = brute_distance(lon, lat, polygon, decide=buffer_m or 0.0)
            if d <= (buffer_m or 0.0):
                out[sid].append(hid)
            if buffer_m and abs(d - buffer_m) < 0.5:
                ambiguous.add((sid, hid))
    return out, ambiguous


def compare(settlements: list, hazards: list) -> int:
    fast = hazards_near_settlements(settlements, hazards)
    slow, ambiguous = brute_force(settlements, hazards)
    assert fast.keys() == slow.keys()
    found = 0
    for sid in slow:
        a = {(sid, h) for h in fast[sid]} - ambiguous
        b = {(sid, h) for h in slow[sid]} - ambiguous
        assert a == b, sid
        found += len(b)
    return found


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(36.0, 48.0), (-70.0, -5.0), (20.0, 78.0), (179.9, -17.0), (-120.0, 62.0)],
)
def test_overlay_matches_brute_force(lon: float, lat: float):
    rng = np.random.default_rng(int(abs(lon * 100 + lat)))
    hazards = []
    for k in range(40):
        centre = moved(lon, lat, rng.uniform(0, 360), rng.uniform(0, 25_000))
        n = int(rng.integers(3, 12))
        polygon = star(*centre, rng.uniform(0.3, 1.0, n) * rng.uniform(50, 3000))
        if polygon.bounds[2] > 180:  # keep clear of the antimeridian
            continue
        hazards.append((f"H{k}", polygon))
    settlements = []
    for k in range(25):
        x, y = moved(lon, lat, rng.uniform(0, 360), rng.uniform(0, 25_000))
        buffer_m = float(rng.choice([0.0, 0.0, 250.0, 1000.0, 3000.0, 10_000.0, 20_000.0]))
        settlements.append((f"S{k}", x, y, buffer_m))
    # and settlements exactly on a hazard's vertex and right next to one
    hx, hy = hazards[0][1].exterior.coords[0]
    settlements.append(("on-vertex", hx, hy, 0.0))
    settlements.append(("by-vertex", *moved(hx, hy, 45.0, 30.0), 40.0))
    found = compare(settlements, hazards)
    assert found > 20  # the data must exercise the overlay
    result = hazards_near_settlements(settlements, hazards)
    assert hazards[0][0] in result["on-vertex"]


def test_buffer_edge_is_exact_at_high_latitude():
    lon, lat = 20.0, 78.0
    for azimuth in (0.0, 45.0, 90.0, 180.0, 270.0):
        # a small square whose nearest corner lies 3,000 m away, drawn outward
        corner = moved(lon, lat, azimuth, 3000.0)
        far = moved(*corner, azimuth, 100.0)
        square = shapely.box(
            min(corner[0], far[0]) - 1e-9,
            min(corner[1], far[1]) - 1e-9,
            max(corner[0], far[0]) + 1e-9,
            max(corner[1], far[1]) + 1e-9,
        )
        d = brute_distance(lon, lat, square)
        near = hazards_near_settlements([("s", lon, lat, d + 0.05)], [("h", square)])
        away = hazards_near_settlements([("s", lon, lat, d - 0.05)], [("h", square)])
        assert near == {"s": ["h"]}, azimuth
        assert away == {"s": []}, azimuth


def test_across_the_antimeridian():
    east = shapely.box(179.99, -17.01, 180.0, -17.0)
    west = shapely.box(-180.0, -17.01, -179.99, -17.0)
    x, y = moved(180.0, -17.005, 270.0, 1500.0)  # 1.5 km west of the 180° meridian
    result = hazards_near_settlements(
        [("a", x, y, 1000.0), ("b", x, y, 3000.0)], [("E", east), ("W", west)]
    )
    assert result == {"a": ["E"], "b": ["E", "W"]}
    assert compare([("a", x, y, 1000.0), ("b", x, y, 3000.0)], [("E", east), ("W", west)]) == 3


def test_points_without_a_buffer_and_empty_inputs():
    hazard = shapely.box(30.0, 50.0, 30.01, 50.01)
    settlements = [
        ("inside", 30.005, 50.005, 0.0),
        ("on-edge", 30.01, 50.005, None),
        ("outside", 30.02, 50.005, 0.0),
        ("three-tuple", 30.005, 50.005),
    ]
    result = hazards_near_settlements(settlements, [("h", hazard)])  # type: ignore[arg-type]
    assert result == {"inside": ["h"], "on-edge": ["h"], "outside": [], "three-tuple": ["h"]}
    assert hazards_near_settlements([("s", 0.0, 0.0, 10.0)], []) == {"s": []}
    assert hazards_near_settlements([], [("h", hazard)]) == {}


def test_hazard_ids_come_in_input_order_without_repeats():
    hazards = [
        (f"h{k}", shapely.box(30 + k * 0.001, 50, 30.0005 + k * 0.001, 50.0005)) for k in range(5)
    ]
    hazards.reverse()
    result = hazards_near_settlements([("s", 30.002, 50.0002, 5000.0)], hazards)
    assert result == {"s": ["h4", "h3", "h2", "h1", "h0"]}


def test_bad_settlements_are_refused():
    hazard = [("h", shapely.box(0, 0, 1, 1))]
    with pytest.raises(ValueError, match="not negative"):
        hazards_near_settlements([("s", 0.0, 0.0, -1.0)], hazard)
    with pytest.raises(ValueError, match="latitude"):
        hazards_near_settlements([("s", 0.0, 91.0, 1.0)], hazard)


def test_query_box_holds_the_geodesic_circle():
    for lat in (0.0, 30.0, 60.0, 80.0, 89.0, -85.0):
        for radius in (10.0, 1_000.0, 50_000.0):
            dlon, dlat = query_box(np.array([10.0]), np.array([lat]), np.array([radius]))
            az = np.linspace(0, 360, 721)
            x, y, _ = GEOD.fwd(np.full(721, 10.0), np.full(721, lat), az, np.full(721, radius))
            assert np.all(np.abs(((x - 10.0 + 180) % 360) - 180) <= dlon[0])
            assert np.all(np.abs(y - lat) <= dlat[0])
    dlon, _ = query_box(np.array([0.0]), np.array([89.99]), np.array([5000.0]))
    assert dlon[0] == 360.0  # reaches the pole: every longitude
