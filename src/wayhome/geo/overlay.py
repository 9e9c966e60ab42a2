"""Return readiness: which open hazard areas touch each settlement or its buffer.

:func:`hazards_near_settlements` answers, for every settlement (a point with an optional buffer in
metres), which hazard polygons contain the point or come within the buffer of it, by geodesic
distance on WGS 84, at any latitude and across the antimeridian.

How, in three vectorised passes over shapely 2 (GEOS) arrays:

1. An STRtree of the hazards answers "which hazards contain or touch the point" (the buffer does
   not matter for those).
2. For settlements with a buffer, the tree is queried with a longitude/latitude box that is
   certain to contain the whole geodesic circle: half-height ``r / a(1 − e²)`` (the smallest
   meridional radius of curvature) and half-width ``2·asin(r / (2·a·cos φmax))`` with ``φmax`` the
   latitude farthest from the equator the circle can reach (a circle that reaches a pole gets the
   whole longitude range). Boxes that cross ±180° are split in two.
3. In a local plane around the settlement (longitude and latitude differences times the WGS 84
   metres per degree there) a hazard's bounding box gives a lower and an upper bound on its
   distance; with a margin for the plane's distortion (:func:`_plane_distortion`) that settles
   most candidates. For the rest GEOS finds, in that plane, the hazard's point nearest the
   settlement; that point is taken back to longitude/latitude and its geodesic distance (Karney,
   through pyproj) is compared with the buffer.

The distance measured is the true geodesic distance to a point of the hazard's boundary, so it is
never too small. It can be too large only in so far as the local plane picks the wrong nearest
point, an error of second order: for a 10 km buffer at 60° latitude the plane's distortion is
~0.3 %, and the distance is off by at most ~10⁻⁵ of the buffer (about 10 cm), far below the
accuracy of any hazard survey. Boundaries are understood as straight lines in
longitude/latitude, as in point-in-polygon and in PostGIS ``geometry``; for survey polygons (edges
of metres to a few hundred metres) this differs from geodesic edges by millimetres.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from wayhome.geo.areas import GEOD, WGS84_A, WGS84_E2, metres_per_degree

__all__ = ["Settlement", "geodesic_distances", "hazards_near_settlements", "query_box"]

Settlement = tuple[Hashable, float, float, float | None]
"""``(id, longitude, latitude, buffer_m)``; ``buffer_m`` 0 or None means the point alone."""

_M_MIN = WGS84_A * (1.0 - WGS84_E2)  # meridional radius of curvature at the equator (its minimum)
_ORIGIN = shapely.Point(0.0, 0.0)


def _plane_distortion(lat: np.ndarray, radius_m: np.ndarray) -> np.ndarray:
    """A bound on |local-plane distance / geodesic distance − 1| within ``radius_m`` of ``lat``.

    The plane's east–west scale is right at the settlement's latitude and off by about
    ``tan φ · Δφ`` at ``Δφ`` away (``Δφ ≤ r / M``); the north–south scale and the curvature of the
    ellipsoid add terms of order ``(r / R)²``. Twice the first-order term, plus a floor, is used.
    """
    dlat = 1.05 * radius_m / _M_MIN
    phi_max = np.minimum(np.radians(np.abs(lat)) + dlat, np.radians(89.999))
    return 2.0 * dlat * (1.0 + np.tan(phi_max)) + 1e-6


def _bbox_bounds_sq(
    lon0: np.ndarray, lat0: np.ndarray, kx: np.ndarray, ky: np.ndarray, bounds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Squared lower and upper bounds, in the local plane, on the distance to a polygon.

    Lower: the distance to its bounding box. Upper: the polygon touches every side of its box, so
    it is no farther than the nearer side's farther end. ``kx``, ``ky``: metres per degree.
    """
    dx1 = bounds[:, 0] - lon0
    dx2 = bounds[:, 2] - lon0
    if len(dx1) and (np.abs(dx1).max() > 180.0 or np.abs(dx2).max() > 180.0):
        dx1 = (dx1 + 180.0) % 360.0 - 180.0  # across the antimeridian
        dx2 = (dx2 + 180.0) % 360.0 - 180.0
    x1, x2 = dx1 * kx, dx2 * kx
    y1 = (bounds[:, 1] - lat0) * ky
    y2 = (bounds[:, 3] - lat0) * ky
    dx = np.maximum(np.maximum(x1, -x2), 0.0)
    dy = np.maximum(np.maximum(y1, -y2), 0.0)
    lower_sq = dx * dx + dy * dy
    xx1, xx2, yy1, yy2 = x1 * x1, x2 * x2, y1 * y1, y2 * y2
    upper_sq = np.minimum(
        np.minimum(xx1, xx2) + np.maximum(yy1, yy2),  # the west or east side
        np.maximum(xx1, xx2) + np.minimum(yy1, yy2),  # the south or north side
    )
    return lower_sq, upper_sq


def query_box(
    lon: np.ndarray, lat: np.ndarray, radius_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Half-width and half-height in degrees of boxes certain to hold each geodesic circle."""
    dlat = np.degrees(radius_m / _M_MIN) * (1 + 1e-9) + 1e-9
    phi_max = np.minimum(np.abs(lat) + dlat, 90.0)
    ratio = radius_m / (2.0 * WGS84_A * np.cos(np.radians(phi_max)))
    with np.errstate(divide="ignore", invalid="ignore"):
        dlon = np.where(
            (ratio < 1.0) & (phi_max < 90.0),
            np.degrees(2.0 * np.arcsin(np.minimum(ratio, 1.0))) * (1 + 1e-9) + 1e-9,
            360.0,
        )
    return dlon, dlat


def _boxes(
    lon: np.ndarray, lat: np.ndarray, radius_m: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Query boxes (split at ±180°) and the settlement each belongs to."""
    dlon, dlat = query_box(lon, lat, radius_m)
    south, north = np.maximum(lat - dlat, -90.0), np.minimum(lat + dlat, 90.0)
    west, east = lon - dlon, lon + dlon
    full = dlon >= 180.0
    west = np.where(full, -180.0, west)
    east = np.where(full, 180.0, east)
    parts_w = [np.maximum(west, -180.0)]
    parts_e = [np.minimum(east, 180.0)]
    parts_s, parts_n, parts_o = [south], [north], [owner]
    spill_w = (west < -180.0) & ~full  # also the far east end
    parts_w.append(west[spill_w] + 360.0)
    parts_e.append(np.full(spill_w.sum(), 180.0))
    parts_s.append(south[spill_w])
    parts_n.append(north[spill_w])
    parts_o.append(owner[spill_w])
    spill_e = (east > 180.0) & ~full  # also the far west end
    parts_w.append(np.full(spill_e.sum(), -180.0))
    parts_e.append(east[spill_e] - 360.0)
    parts_s.append(south[spill_e])
    parts_n.append(north[spill_e])
    parts_o.append(owner[spill_e])
    boxes = shapely.box(
        np.concatenate(parts_w),
        np.concatenate(parts_s),
        np.concatenate(parts_e),
        np.concatenate(parts_n),
    )
    return boxes, np.concatenate(parts_o)


def geodesic_distances(
    lon0: np.ndarray, lat0: np.ndarray, geoms: np.ndarray, chunk: int = 200_000
) -> np.ndarray:
    """Geodesic distance from each (lon0, lat0) to the nearest boundary point of its geometry."""
    out = np.empty(len(geoms))
    for start in range(0, len(geoms), chunk):
        sl = slice(start, start + chunk)
        g, x0, y0 = geoms[sl], lon0[sl], lat0[sl]
        kx, ky = metres_per_degree(y0)
        counts = shapely.get_num_coordinates(g)
        rx0, ry0 = np.repeat(x0, counts), np.repeat(y0, counts)
        rkx, rky = np.repeat(kx, counts), np.repeat(ky, counts)

        def to_local(
            xy: np.ndarray,
            rx0: np.ndarray = rx0,
            ry0: np.ndarray = ry0,
            rkx: np.ndarray = rkx,
            rky: np.ndarray = rky,
        ) -> np.ndarray:
            dlon = (xy[:, 0] - rx0 + 180.0) % 360.0 - 180.0
            return np.column_stack([dlon * rkx, (xy[:, 1] - ry0) * rky])

        local = shapely.transform(g, to_local, include_z=False)
        lines = shapely.shortest_line(_ORIGIN, local)
        ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)[:, 1, :]
        lon = x0 + ends[:, 0] / kx
        lat = np.clip(y0 + ends[:, 1] / ky, -90.0, 90.0)
        _, _, dist = GEOD.inv(x0, y0, lon, lat)
        out[sl] = dist
    return out


def hazards_near_settlements(
    settlements: Sequence[Settlement],
    hazards: Sequence[tuple[Hashable, BaseGeometry]],
) -> dict[Hashable, list[Hashable]]:
    """For each settlement id, the ids of hazards that contain it or lie within its buffer.

    Every settlement gets an entry (an empty list when nothing is near); hazard ids come in the
    order of ``hazards``. A hazard touching the buffer's edge exactly counts as near. Settlement
    ids should be unique (entries with the same id are merged). Pass only the open hazards.
    """
    result: dict[Hashable, list[Hashable]] = {s[0]: [] for s in settlements}
    if not settlements or not hazards:
        return result
    s_ids = [s[0] for s in settlements]
    lon = np.array([s[1] for s in settlements], dtype=np.float64)
    lat = np.array([s[2] for s in settlements], dtype=np.float64)
    radius = np.array(
        [(s[3] if len(s) > 3 else None) or 0.0 for s in settlements], dtype=np.float64
    )
    if not (np.all(np.abs(lon) <= 180.0) and np.all(np.abs(lat) <= 90.0)):
        raise ValueError("settlement coordinates must be longitude −180…180, latitude −90…90")
    if np.any(radius < 0) or not np.all(np.isfinite(radius)):
        raise ValueError("settlement buffers must be finite and not negative")
    h_ids = [h[0] for h in hazards]
    geoms = np.array([h[1] for h in hazards], dtype=object)
    tree = shapely.STRtree(geoms)
    bounds = shapely.bounds(geoms)

    n_h = len(geoms)

    # 1. the point itself lies in (or on) the hazard
    s_in, h_in = tree.query(shapely.points(lon, lat), predicate="intersects")
    inside = s_in.astype(np.int64) * n_h + h_in
    keys = [inside]

    # 2 and 3. the hazard comes within the buffer
    buffered = np.flatnonzero(radius > 0)
    if len(buffered):
        boxes, owner = _boxes(lon[buffered], lat[buffered], radius[buffered], buffered)
        b_idx, h_idx = tree.query(boxes)  # envelopes only: the bounds below do the rest
        cand = owner[b_idx].astype(np.int64) * n_h + h_idx
        if len(boxes) > len(buffered):  # a box split at ±180° may find a hazard twice
            cand = np.unique(cand)
        if len(inside) and len(cand):
            cand = cand[~np.isin(cand, inside)]
        if len(cand):
            c_s, c_h = cand // n_h, cand % n_h
            kx, ky = metres_per_degree(lat)
            slack = _plane_distortion(lat, radius)[c_s]
            c_r = radius[c_s]
            # most pairs are settled by the hazard's bounding box alone
            lower_sq, upper_sq = _bbox_bounds_sq(lon[c_s], lat[c_s], kx[c_s], ky[c_s], bounds[c_h])
            near = upper_sq * (1.0 + slack) ** 2 <= c_r * c_r
            unsure = ~near & (lower_sq * (1.0 - slack) ** 2 <= c_r * c_r)
            keys.append(cand[near])
            if unsure.any():
                u_s = c_s[unsure]
                dist = geodesic_distances(lon[u_s], lat[u_s], geoms[c_h[unsure]])
                keys.append(cand[unsure][dist <= c_r[unsure]])

    found = np.sort(np.concatenate(keys))  # by settlement, then hazard index
    if len(found):
        f_s, f_h = found // n_h, found % n_h
        h_objects = np.fromiter(h_ids, dtype=object, count=n_h)[f_h]
        starts = np.flatnonzero(np.r_[True, f_s[1:] != f_s[:-1]])
        ends = np.r_[starts[1:], len(found)]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            result[s_ids[int(f_s[start])]].extend(h_objects[start:end].tolist())
    return result
