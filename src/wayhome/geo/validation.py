"""Checking polygons before they are stored: nothing broken is ever written.

:func:`validate_polygon` takes a GeoJSON ``Polygon`` or ``MultiPolygon`` geometry object (RFC 7946)
and returns a valid shapely geometry, or raises :class:`GeometryRejected` with a reason a person
can act on and ``where``, a JSON Pointer into the submitted object (``/coordinates/0/17`` is vertex
17 of ring 0 of a Polygon; ``/coordinates/1/0/17`` the same in polygon 1 of a MultiPolygon).
Vertex numbers in reasons are positions in the submitted list, counted from 0.

The rules, in the order they are checked (the first failure is reported):

1. The object is a ``Polygon`` or ``MultiPolygon`` with a ``coordinates`` array, not empty, and
   of at most :data:`MAX_VERTICES` positions.
2. Every position is ``[longitude, latitude]`` (an optional third number, altitude, is dropped) of
   finite numbers, longitude in −180…180 and latitude in −90…90, WGS 84 (EPSG:4326).
3. Every ring has at least 3 distinct vertices.
4. Every ring is closed: its last position repeats its first. An open ring is **rejected, not
   closed for the sender**: RFC 7946 requires closed rings, and an open one is as often a
   truncated file or a lost vertex as a sloppy exporter, so guessing would store the wrong shape.
   Repeated consecutive vertices are allowed and dropped.
5. No edge crosses the antimeridian (a jump of more than 180° of longitude): split such areas in
   two at 180°, as RFC 7946 §3.1.9 asks. Polygons close to, or touching, ±180° are fine; polygons
   around a pole are not supported.
6. No implausible vertex gap (see below).
7. No ring has all its vertices on one line, or touches or crosses itself; holes lie inside their outer ring, do not overlap one another
   and do not cut the polygon in pieces; the polygons of a MultiPolygon do not overlap or share an
   edge. Everything shapely (GEOS) judges invalid is rejected.

**Implausible gaps.** A vertex with a typing error (a digit slipped, a sign lost) usually lands far
from the rest of the polygon and turns it into a long spike. In a ring with at least 4 distinct
vertices, vertex *i* is rejected when *both* edges meeting at it are longer than
``max(gap_floor_m, gap_ratio × L)``, where *L* is the longest of the ring's other edges (those not
touching vertex *i*). Defaults: 1 km and 10×. A long thin strip (e.g. along a road) is fine, since
each of its corners has one short edge; so is any polygon whose edges are all long. What is
rejected is a single far-off vertex, such as one 48 km away from a field whose other edges are all
under 500 m. A triangle is not checked (with 3 vertices a typo and a real sliver look the same).

The geometry returned has consecutive duplicate vertices and any altitude removed, and its rings
oriented as RFC 7946 recommends (outer counter-clockwise, holes clockwise).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from wayhome.geo.areas import (
    GEOD,
    TINY_DEGREES,
    geodesic_area,
    geodesic_length,
    metres_per_degree,
)

__all__ = [
    "GAP_FLOOR_M",
    "GAP_RATIO",
    "MAX_VERTICES",
    "GeometryRejected",
    "ensure_not_duplicate",
    "find_duplicates",
    "validate_polygon",
]

MAX_VERTICES = 100_000
"""Most positions accepted in one geometry."""
GAP_RATIO = 10.0
"""See *Implausible gaps* in the module documentation."""
GAP_FLOOR_M = 1_000.0
"""See *Implausible gaps* in the module documentation."""


class GeometryRejected(ValueError):
    """A geometry that must not be stored, with a reason for people and where it went wrong."""

    def __init__(self, reason: str, where: str | None = None) -> None:
        super().__init__(reason if where is None else f"{reason} (at {where})")
        self.reason = reason
        self.where = where


@dataclass(frozen=True)
class _Ring:
    coords: np.ndarray  # (n, 2), closed, consecutive duplicates removed
    index: np.ndarray  # position in the submitted list of each row of coords
    label: str  # "ring 0", "polygon 1, ring 2"
    pointer: str  # "/coordinates/0"
    is_hole: bool


def _fmt_point(x: float, y: float) -> str:
    return f"longitude {x:.5f}, latitude {y:.5f}"


def _fmt_distance(metres: float) -> str:
    if metres >= 1000:
        return f"{metres / 1000:.1f} km"
    return f"{metres:.0f} m"


def _round_up_distance(metres: float) -> str:
    """A round figure just above ``metres``, for 'edges are under …'."""
    if metres <= 0:
        return "1 m"
    magnitude = 10 ** math.floor(math.log10(metres))
    for step in (1, 2, 5, 10):
        if step * magnitude > metres:
            return _fmt_distance(step * magnitude)
    return _fmt_distance(10 * magnitude)  # pragma: no cover


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_ring(raw: Any, label: str, pointer: str, is_hole: bool) -> _Ring:
    if not isinstance(raw, list | tuple):
        raise GeometryRejected(f"{label} must be a list of positions", pointer)
    if len(raw) == 0:
        raise GeometryRejected(f"{label} is empty", pointer)
    values = np.empty((len(raw), 2), dtype=np.float64)
    for i, position in enumerate(raw):
        where = f"{pointer}/{i}"
        if (
            not isinstance(position, list | tuple)
            or len(position) not in (2, 3)
            or not all(_is_number(v) for v in position)
        ):
            raise GeometryRejected(
                f"vertex {i} of {label} must be [longitude, latitude] (two numbers); "
                f"got {position!r:.60}",
                where,
            )
        try:
            lon, lat = float(position[0]), float(position[1])
        except OverflowError:
            lon = lat = math.inf
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise GeometryRejected(f"vertex {i} of {label} is not a finite number", where)
        if not -90.0 <= lat <= 90.0:
            hint = " (are longitude and latitude swapped?)" if -90 <= lon <= 90 else ""
            raise GeometryRejected(
                "coordinates must be [longitude, latitude] in WGS 84; "
                f"got latitude {lat:g} at vertex {i} of {label}{hint}",
                where,
            )
        if not -180.0 <= lon <= 180.0:
            raise GeometryRejected(
                "coordinates must be [longitude, latitude] in WGS 84; "
                f"got longitude {lon:g} at vertex {i} of {label}",
                where,
            )
        # nothing real is within 0.1 µm of the equator or prime meridian without being on it,
        # and GEOS overlays lose precision on numbers near the floating-point underflow range
        values[i] = (
            (lon if abs(lon) >= TINY_DEGREES else 0.0),
            (lat if abs(lat) >= TINY_DEGREES else 0.0),
        )
    distinct = len(np.unique(values, axis=0))
    if distinct < 3:
        if is_hole:
            subject = f"{label} (a hole)"
        elif label.startswith("polygon"):
            subject = label.split(", ")[0]
        else:
            subject = "polygon"
        noun = "vertex" if distinct == 1 else "vertices"
        raise GeometryRejected(
            f"{subject} has {distinct} distinct {noun}; at least 3 needed", pointer
        )
    if not np.array_equal(values[0], values[-1]):
        last = len(values) - 1
        raise GeometryRejected(
            f"{label} is not closed: its last vertex ({last}) must repeat its first; "
            "GeoJSON rings end where they start (the ring was not closed automatically, in case "
            "vertices were lost)",
            f"{pointer}/{last}",
        )
    # drop consecutive duplicates, remembering where each kept vertex came from
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = np.any(values[1:] != values[:-1], axis=1)
    coords, index = values[keep], np.flatnonzero(keep)
    return _Ring(coords=coords, index=index, label=label, pointer=pointer, is_hole=is_hole)


def _check_antimeridian(ring: _Ring) -> None:
    jumps = np.flatnonzero(np.abs(np.diff(ring.coords[:, 0])) > 180.0)
    if len(jumps):
        a, b = int(ring.index[jumps[0]]), int(ring.index[jumps[0] + 1])
        raise GeometryRejected(
            f"{ring.label} crosses the antimeridian (180° longitude) between vertex {a} and "
            f"vertex {b}; split the area into two polygons at 180°",
            f"{ring.pointer}/{b}",
        )


def _check_gaps(ring: _Ring, gap_ratio: float, gap_floor_m: float) -> None:
    coords = ring.coords
    n = len(coords) - 1  # number of edges == number of distinct consecutive vertices
    if n < 4:
        return
    _, _, length = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    length = np.asarray(length)
    # edge e runs from vertex e to vertex e+1; vertex v touches edges v-1 (in) and v (out)
    incoming = np.roll(length, 1)
    outgoing = length
    short_side = np.minimum(incoming, outgoing)
    candidates = np.flatnonzero(short_side > gap_floor_m)
    for v in candidates:
        others = np.delete(length, [(v - 1) % n, v])
        longest_other = float(others.max())
        if short_side[v] > max(gap_floor_m, gap_ratio * longest_other):
            prev = (v - 1) % n
            vi, pi = int(ring.index[v]), int(ring.index[prev])
            raise GeometryRejected(
                f"vertex {vi} is {_fmt_distance(float(incoming[v]))} from vertex {pi} "
                f"in a polygon whose other edges are under {_round_up_distance(longest_other)}"
                f" ({ring.label}); check that vertex for a typing error",
                f"{ring.pointer}/{vi}",
            )


_POINT_RE = re.compile(r"\[\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)")


def _geos_point(reason: str) -> tuple[float, float] | None:
    match = _POINT_RE.search(reason)
    if match is None:
        return None
    return float(match.group(1)), float(match.group(2))


def _check_ring_shape(ring: _Ring) -> None:
    coords = ring.coords
    spread = coords[1:-1] - coords[0]
    far = spread[np.argmax(np.hypot(spread[:, 0], spread[:, 1]))]
    cross = spread[:, 0] * far[1] - spread[:, 1] * far[0]
    if np.all(np.abs(cross) <= 1e-12 * float(far @ far)):
        raise GeometryRejected(
            f"{ring.label} has no area: all its vertices lie on one line", ring.pointer
        )
    segments = shapely.linestrings(
        np.stack([coords[:-1], coords[1:]], axis=1)  # (n, 2, 2)
    )
    n = len(segments)
    tree = shapely.STRtree(segments)
    left, right = tree.query(segments, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    problems = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        shared = shapely.intersection(segments[i], segments[j])
        is_adjacent = (j - i == 1) or (i == 0 and j == n - 1)
        if is_adjacent and shared.geom_type == "Point":
            continue  # neighbouring edges meet at their common vertex
        if shared.geom_type != "Point":
            how = "runs back over"
        elif any(shared.equals(shapely.Point(p)) for p in (*coords[i : i + 2], *coords[j : j + 2])):
            how = "touches"
        else:
            how = "crosses"
        problems.append(((how != "runs back over", i, j), how, shared))
    if not problems:
        return
    (_, i, j), how, shared = min(problems, key=lambda p: p[0])
    point = shared.representative_point()
    a, b = int(ring.index[i]), int(ring.index[i + 1])
    c, d = int(ring.index[j]), int(ring.index[j + 1])
    raise GeometryRejected(
        f"{ring.label} intersects itself near {_fmt_point(point.x, point.y)}: "
        f"the edge from vertex {a} to {b} {how} the edge from vertex {c} to {d}",
        f"{ring.pointer}/{c}",
    )


def _build_polygon(rings: list[_Ring]) -> shapely.Polygon:
    shell_ring, holes = rings[0], rings[1:]
    shell = shapely.Polygon(shell_ring.coords)
    hole_polys = [shapely.Polygon(h.coords) for h in holes]
    for hole, poly in zip(holes, hole_polys, strict=True):
        if not shell.covers(poly):
            where = "lies outside" if not shell.intersects(poly) else "is partly outside"
            raise GeometryRejected(
                f"{hole.label} (a hole) {where} the outer ring ({shell_ring.label}); "
                "a hole must lie inside the area it is cut from",
                hole.pointer,
            )
    for i in range(len(hole_polys)):
        for j in range(i + 1, len(hole_polys)):
            a, b = hole_polys[i], hole_polys[j]
            if a.intersects(b) and a.intersection(b).area > 0:
                where = "lies inside" if a.covers(b) or b.covers(a) else "overlaps"
                raise GeometryRejected(
                    f"{holes[j].label} (a hole) {where} {holes[i].label} (another hole); "
                    "merge them into one hole",
                    holes[j].pointer,
                )
    polygon = shapely.Polygon(shell_ring.coords, [h.coords for h in holes])
    reason = shapely.is_valid_reason(polygon)
    if reason != "Valid Geometry":
        label = shell_ring.label.rsplit(", ", 1)[0] if ", " in shell_ring.label else "polygon"
        label_the = "the polygon" if label == "polygon" else label
        point = _geos_point(reason)
        near = f" near {_fmt_point(*point)}" if point else ""
        if reason.startswith("Interior is disconnected"):
            text = f"the holes cut {label_the} into separate pieces{near}; send a MultiPolygon"
        elif "Self-intersection" in reason:
            text = f"the rings of {label} touch or cross each other{near}"
        else:
            text = f"{label} is not a valid polygon: {reason}"
        raise GeometryRejected(text, shell_ring.pointer.rsplit("/", 1)[0] or None)
    return polygon


def _parse_polygon(raw: Any, pointer: str, prefix: str) -> list[_Ring]:
    if not isinstance(raw, list | tuple):
        raise GeometryRejected(f"{prefix or 'polygon'} must be a list of rings", pointer)
    if len(raw) == 0:
        raise GeometryRejected(f"{prefix or 'polygon'} is empty: it has no rings", pointer)
    rings = []
    for k, raw_ring in enumerate(raw):
        label = f"{prefix}, ring {k}" if prefix else f"ring {k}"
        rings.append(_parse_ring(raw_ring, label, f"{pointer}/{k}", is_hole=k > 0))
    return rings


def _check_rings(rings: list[_Ring], gap_ratio: float, gap_floor_m: float) -> None:
    for ring in rings:
        _check_antimeridian(ring)
    for ring in rings:
        _check_gaps(ring, gap_ratio, gap_floor_m)
    for ring in rings:
        _check_ring_shape(ring)


def validate_polygon(
    geojson_geometry: Mapping[str, Any],
    *,
    gap_ratio: float = GAP_RATIO,
    gap_floor_m: float = GAP_FLOOR_M,
) -> shapely.Polygon | shapely.MultiPolygon:
    """Check a GeoJSON Polygon or MultiPolygon; return it as a valid shapely geometry.

    Raises :class:`GeometryRejected` with the first problem found (see the module documentation
    for the rules, including the implausible-gap rule that ``gap_ratio`` and ``gap_floor_m`` tune).
    """
    obj: Any = geojson_geometry
    if not isinstance(obj, Mapping) and hasattr(obj, "__geo_interface__"):
        obj = obj.__geo_interface__
    if not isinstance(obj, Mapping):
        raise GeometryRejected(
            f"expected a GeoJSON geometry object, got {type(obj).__name__}", None
        )
    kind = obj.get("type")
    if kind == "Feature":
        raise GeometryRejected("expected a geometry, got a Feature; send its geometry", "/type")
    if kind not in ("Polygon", "MultiPolygon"):
        got = f"{kind!r}" if kind is not None else "no type"
        raise GeometryRejected(f"expected a Polygon or MultiPolygon, got {got}", "/type")
    coordinates = obj.get("coordinates")
    if not isinstance(coordinates, list | tuple):
        raise GeometryRejected(f"a {kind} needs a coordinates array", "/coordinates")

    if kind == "Polygon":
        polygons = [_parse_polygon(coordinates, "/coordinates", "")]
    else:
        if len(coordinates) == 0:
            raise GeometryRejected("the MultiPolygon is empty: it has no polygons", "/coordinates")
        polygons = [
            _parse_polygon(raw, f"/coordinates/{k}", f"polygon {k}")
            for k, raw in enumerate(coordinates)
        ]
    total = sum(len(r.coords) for rings in polygons for r in rings)
    if total > MAX_VERTICES:
        raise GeometryRejected(
            f"the geometry has {total} vertices; at most {MAX_VERTICES} are accepted",
            "/coordinates",
        )
    for rings in polygons:
        _check_rings(rings, gap_ratio, gap_floor_m)
    built = [_build_polygon(rings) for rings in polygons]

    if kind == "Polygon":
        return shapely.orient_polygons(built[0])
    _check_parts_apart(built)
    return shapely.orient_polygons(shapely.MultiPolygon(built))


def _check_parts_apart(parts: list[shapely.Polygon]) -> None:
    tree = shapely.STRtree(parts)
    left, right = tree.query(parts, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        shared = shapely.intersection(parts[i], parts[j])
        if shared.is_empty or shared.geom_type in ("Point", "MultiPoint"):
            continue  # touching at single points is allowed
        point = shared.representative_point()
        how = "overlap" if shared.area > 0 else "share an edge"
        advice = "" if how == "overlap" else "; merge them into one polygon"
        raise GeometryRejected(
            f"polygons {i} and {j} of the MultiPolygon {how} near "
            f"{_fmt_point(point.x, point.y)}{advice}",
            f"/coordinates/{j}",
        )
    multi = shapely.MultiPolygon(parts)
    reason = shapely.is_valid_reason(multi)
    if reason != "Valid Geometry":  # pragma: no cover - the pairwise check finds these first
        raise GeometryRejected(f"the MultiPolygon is not valid: {reason}", "/coordinates")


# --- duplicates ---------------------------------------------------------------------------------


def _to_local(geometry: BaseGeometry, lon0: float, lat0: float) -> BaseGeometry:
    kx, ky = metres_per_degree(lat0)

    def project(xy: np.ndarray) -> np.ndarray:
        dlon = (xy[:, 0] - lon0 + 180.0) % 360.0 - 180.0
        return np.column_stack([dlon * kx, (xy[:, 1] - lat0) * ky])

    return shapely.transform(geometry, project, include_z=False)


def find_duplicates(
    new: BaseGeometry,
    existing: Iterable[tuple[Hashable, BaseGeometry]],
    tolerance_m: float = 1.0,
) -> list[Hashable]:
    """Ids of the ``existing`` polygons that are the same shape as ``new`` within ``tolerance_m``.

    Two polygons are the same when both:

    * the Hausdorff distance between their boundaries is at most ``tolerance_m`` metres (every
      point of either boundary lies within ``tolerance_m`` of the other; measured in a local
      metric plane around ``new``, exact to well under 1 % for areas up to 100 km across), and
    * the geodesic area of their symmetric difference is at most ``tolerance_m`` × the perimeter
      of ``new`` (a band ``tolerance_m`` wide along the boundary; this catches a notch or a hole
      that the boundary distance alone could miss).

    Re-entering a survey polygon, re-digitising it or rounding its coordinates to 6 decimals
    (11 cm) is a duplicate; moving one corner 5 m, or adding a hole, is not.
    """
    if tolerance_m < 0:
        raise ValueError("tolerance_m must not be negative")
    items = list(existing)
    if not items or new.is_empty:
        return []
    ids = [item[0] for item in items]
    geoms = np.array([item[1] for item in items], dtype=object)
    lon0, lat0 = (float(v) for v in shapely.centroid(new).coords[0])
    kx, ky = metres_per_degree(lat0)
    pad_x, pad_y = 2 * tolerance_m / float(kx) + 1e-9, 2 * tolerance_m / float(ky) + 1e-9
    nminx, nminy, nmaxx, nmaxy = shapely.bounds(new)
    bounds = shapely.bounds(geoms)
    # a duplicate's bounding box matches new's to within the tolerance on every side
    near = (
        (np.abs(bounds[:, 0] - nminx) <= pad_x)
        & (np.abs(bounds[:, 2] - nmaxx) <= pad_x)
        & (np.abs(bounds[:, 1] - nminy) <= pad_y)
        & (np.abs(bounds[:, 3] - nmaxy) <= pad_y)
    )
    candidates = np.flatnonzero(near)
    if len(candidates) == 0:
        return []
    local_new = shapely.boundary(_to_local(new, lon0, lat0))
    perimeter = geodesic_length(new)
    found: list[Hashable] = []
    for k in candidates.tolist():
        other = geoms[k]
        local_other = shapely.boundary(_to_local(other, lon0, lat0))
        hausdorff = shapely.hausdorff_distance(local_new, local_other, densify=0.25)
        if hausdorff > tolerance_m:
            continue
        if geodesic_area(shapely.symmetric_difference(new, other)) > tolerance_m * perimeter:
            continue
        found.append(ids[k])
    return found


def ensure_not_duplicate(
    new: BaseGeometry,
    existing: Iterable[tuple[Hashable, BaseGeometry]],
    tolerance_m: float = 1.0,
) -> None:
    """Raise :class:`GeometryRejected` if ``new`` duplicates one of ``existing``."""
    duplicates = find_duplicates(new, existing, tolerance_m)
    if duplicates:
        listed = ", ".join(str(d) for d in duplicates[:5])
        more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
        raise GeometryRejected(
            f"the same area is already recorded as {listed}{more} "
            f"(boundaries within {tolerance_m:g} m of each other)",
            None,
        )
