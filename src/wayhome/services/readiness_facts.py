"""The facts of a settlement's readiness that are the same for everyone who asks.

Four of the five indicators do not depend on the reader: the safety gate (open hazard areas at or
within the buffer, with their distance), the latest observation of housing and of services, and
the latest condition of each heritage site of the settlement. `compute_facts` works them out
set-wise (one query per table, the hazard polygons in chunks, the vectorised overlay of
`wayhome.geo.hazards_near_settlements`); `wayhome.services.readiness_store` keeps the result in
``settlement_readiness`` and ``settlement_blocking_hazards`` whenever an input changes, and
`load_facts` reads it back, so the first request after a write reads rows instead of overlaying
ten thousand settlements with their hazards. Settlements without a stored row (or one computed
with another buffer) are computed on the spot, so the answer is the same either way.

The indicator functions (`safety`, `housing`, `services`, `heritage`) turn facts into a value, a
score from 0 to 1 (None: nothing known) and words; they are the only place those scores come from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from wayhome.core.heritage import OverallCondition
from wayhome.core.messages import N_
from wayhome.core.mine_action import HazardStatus
from wayhome.geo import hazards_near_settlements
from wayhome.geo.overlay import geodesic_distances, query_box
from wayhome.services.readiness_conditions import condition_order
from wayhome.services.readiness_config import SERVICE_SCORE
from wayhome.store.tables_contamination import HazardArea
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite
from wayhome.store.tables_readiness import (
    SettlementBlockingHazard,
    SettlementCondition,
    SettlementReadinessFacts,
)

HERITAGE_SCORE: dict[str, float] = {
    OverallCondition.GOOD: 1.0,
    OverallCondition.FAIR: 0.75,
    OverallCondition.POOR: 0.5,
    OverallCondition.VERY_BAD: 0.25,
    OverallCondition.DESTROYED: 0.0,
}
HAZARD_CHUNK = 2000
"""Hazard polygons (and stored rows) are read this many ids at a time (well under every
database's limits)."""
Part = tuple[Any, float | None, str, dict[str, Any]]
"""An indicator's value, score (None: unknown), English template and its parameters."""


@dataclass(frozen=True)
class BlockingHazard:
    """An open hazard area at or within the buffer of a settlement; 0 m means it contains it."""

    id: str
    local_id: str
    name: str
    status: str
    hazard_type: str
    distance_m: float


@dataclass(frozen=True)
class Observation:
    """The latest observation giving housing (or services) of a settlement, with source and date."""

    housing_damage_pct: float | None
    services: dict[str, str] | None
    source: str | None
    observed_on: str

    def stored(self) -> dict[str, Any]:
        """The observation as kept in ``settlement_readiness``."""
        return {
            "housing_damage_pct": self.housing_damage_pct,
            "services": self.services,
            "source": self.source,
            "observed_on": self.observed_on,
        }


@dataclass(frozen=True)
class Facts:
    """The reader-independent facts of one settlement's readiness."""

    blocking: list[BlockingHazard]
    housing: Observation | None
    services: Observation | None
    heritage: list[tuple[str, str]]  # (observed date, condition) of each assessed site


NO_FACTS = Facts([], None, None, [])


# --- the indicators ------------------------------------------------------------------------------


def safety(located: bool, blocking: int, buffer_m: float) -> Part:
    """Safety: 0 with an open hazard area within the buffer, else 1; unknown without coordinates."""
    if not located:
        return None, None, N_("the settlement has no coordinates"), {}
    params = {"count": blocking, "buffer": f"{buffer_m:g}"}
    if blocking:
        return blocking, 0.0, N_("open hazard areas within %(buffer)s m: %(count)d"), params
    return 0, 1.0, N_("no open hazard area within %(buffer)s m"), params


def housing(row: Observation | None) -> Part:
    """Housing: 1 − the damaged share, from the latest observation that gives it."""
    if row is None or row.housing_damage_pct is None:
        return None, None, N_("not observed"), {}
    pct = row.housing_damage_pct
    return (
        pct,
        1.0 - pct / 100.0,
        N_("%(pct)s per cent of housing damaged or destroyed"),
        {"pct": f"{pct:g}"},
    )


def services(row: Observation | None) -> Part:
    """Services: available 1, partial ½, none 0, averaged over the latest observation's services."""
    if row is None or not row.services:
        return None, None, N_("not observed"), {}
    scores = [SERVICE_SCORE[s] for s in row.services.values() if s in SERVICE_SCORE]
    if not scores:
        return None, None, N_("not observed"), {}
    counts = {"available": 0, "partial": 0, "none": 0}
    for status in row.services.values():
        counts[status] = counts.get(status, 0) + 1
    score = sum(scores) / len(scores)
    msg = N_("%(available)d of %(observed)d services available, %(partial)d partly")
    return score, score, msg, {**counts, "observed": len(scores)}


def heritage(sites: list[tuple[str, str]]) -> Part:
    """Heritage: the latest condition of each assessed site (good 1 … destroyed 0), averaged."""
    scores = [HERITAGE_SCORE[c] for _, c in sites if c in HERITAGE_SCORE]
    if not scores:
        return None, None, N_("no heritage site assessed"), {}
    score = sum(scores) / len(scores)
    return score, score, N_("heritage sites assessed: %(count)d"), {"count": len(scores)}


# --- computing the facts, one query per table ----------------------------------------------------


def _hazard_extent(lon: np.ndarray, lat: np.ndarray, buffer_m: float) -> Any:
    """SQL: hazards whose bounding box may come within the buffer of these settlements."""
    dlon, dlat = query_box(lon, lat, np.full(len(lon), buffer_m))
    west, east = float(np.min(lon - dlon)), float(np.max(lon + dlon))
    south, north = float(np.min(lat - dlat)), float(np.max(lat + dlat))
    if west < -180 or east > 180:
        return None  # near the antimeridian: read them all, the overlay sorts it out
    return and_(
        HazardArea.min_lon <= east,
        HazardArea.max_lon >= west,
        HazardArea.min_lat <= north,
        HazardArea.max_lat >= south,
    )


def _candidates(
    bounds: np.ndarray, lon: np.ndarray, lat: np.ndarray, buffer_m: float
) -> np.ndarray:
    """Indexes of the hazards whose bounding box meets the box around some settlement's buffer.

    Only these can block anything, so only their polygons are read and parsed: with a 1 km
    buffer that is a small share of a region's hazards. Near ±180° every hazard is kept.
    """
    dlon, dlat = query_box(lon, lat, np.full(len(lon), buffer_m))
    if np.any(lon - dlon < -180) or np.any(lon + dlon > 180):
        return np.arange(len(bounds))
    tree = shapely.STRtree(shapely.box(bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3]))
    _, found = tree.query(shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
    return np.unique(found)


def _open_hazards(session: Session, lon: np.ndarray, lat: np.ndarray, buffer_m: float) -> Any:
    """The open hazard areas that may come within the buffer of these settlements.

    Two reads: the bounding boxes of the open hazards in the settlements' extent, then the
    polygons (in chunks of ids) of those whose box meets a settlement's buffer box.
    """
    h = HazardArea
    query = select(h.id, h.min_lon, h.min_lat, h.max_lon, h.max_lat).where(
        h.status == HazardStatus.OPEN.value, h.deleted_at.is_(None)
    )
    extent = _hazard_extent(lon, lat, buffer_m)
    if extent is not None:
        query = query.where(extent)
    boxes = session.execute(query).all()
    if not boxes:
        return []
    bounds = np.array([b[1:] for b in boxes], dtype=np.float64)
    wanted = [boxes[i].id for i in _candidates(bounds, lon, lat, buffer_m).tolist()]
    columns = (h.id, h.local_id, h.name, h.status, h.hazard_type, h.geometry)
    rows: list[Any] = []
    for start in range(0, len(wanted), HAZARD_CHUNK):
        chunk = wanted[start : start + HAZARD_CHUNK]
        rows.extend(session.execute(select(*columns).where(h.id.in_(chunk))).all())
    return rows


def _latest_conditions(
    session: Session, settlements: Select[Any]
) -> tuple[dict[str, Observation], dict[str, Observation]]:
    """The most recent observation of housing, and of services, of each settlement."""
    c = SettlementCondition
    rows = session.execute(
        select(c.place_id, c.observed_on, c.housing_damage_pct, c.services, c.source)
        .where(c.place_id.in_(settlements), c.deleted_at.is_(None))
        .order_by(*condition_order())
    )
    found_housing: dict[str, Any] = {}
    found_services: dict[str, Any] = {}
    for row in rows:  # in time order: the last one of each settlement wins
        if row.housing_damage_pct is not None:
            found_housing[row.place_id] = row
        if row.services:
            found_services[row.place_id] = row
    return (
        {
            place_id: Observation(r.housing_damage_pct, None, r.source, r.observed_on)
            for place_id, r in found_housing.items()
        },
        {
            place_id: Observation(None, dict(r.services), r.source, r.observed_on)
            for place_id, r in found_services.items()
        },
    )


def _heritage(session: Session, settlements: Select[Any]) -> dict[str, list[tuple[str, str]]]:
    """The latest (observed date, condition) of each assessed heritage site, by settlement."""
    a, s = HeritageAssessment, HeritageSite
    rows = session.execute(
        select(s.place_id, s.id, a.overall_condition, a.observed_on)
        .join(a, a.site_id == s.id)
        .where(s.place_id.in_(settlements), s.deleted_at.is_(None), a.deleted_at.is_(None))
        .order_by(a.observed_on, a.assessed_on, a.created_at, a.id)
    )
    latest: dict[str, tuple[str, str, str]] = {}  # the in_() above: place_id is never None
    for place_id, site_id, condition, observed_on in rows:
        latest[site_id] = (str(place_id), condition, observed_on)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for place_id, condition, observed_on in latest.values():
        out[place_id].append((observed_on, condition))
    return out


def _blocking(
    places: Sequence[Any], hazards: list[Any], buffer_m: float
) -> dict[str, list[BlockingHazard]]:
    """Open hazard areas at or within the buffer of each settlement that has coordinates."""
    located = [p for p in places if p.lat is not None and p.lon is not None]
    if not located or not hazards:
        return {}
    geoms = shapely.from_geojson(np.array([h.geometry for h in hazards], dtype=object))
    near = hazards_near_settlements(
        [(i, p.lon, p.lat, buffer_m) for i, p in enumerate(located)],
        list(enumerate(geoms)),
    )
    s_idx = np.array([s for s, hs in near.items() for _ in hs], dtype=np.int64)
    h_idx = np.array([h for hs in near.values() for h in hs], dtype=np.int64)
    if not len(s_idx):
        return {}
    lon = np.array([located[i].lon for i in s_idx], dtype=np.float64)
    lat = np.array([located[i].lat for i in s_idx], dtype=np.float64)
    inside = shapely.intersects(geoms[h_idx], shapely.points(lon, lat))
    distance = np.zeros(len(s_idx))
    outside = ~inside
    if outside.any():
        distance[outside] = geodesic_distances(lon[outside], lat[outside], geoms[h_idx][outside])
    out: dict[str, list[BlockingHazard]] = defaultdict(list)
    for s, h, d in zip(s_idx.tolist(), h_idx.tolist(), distance.tolist(), strict=True):
        row = hazards[h]
        out[located[s].id].append(
            BlockingHazard(row.id, row.local_id, row.name, row.status, row.hazard_type, round(d, 1))
        )
    for found in out.values():
        found.sort(key=lambda b: (b.distance_m, b.local_id))
    return out


def compute_facts(
    session: Session, places: Sequence[Any], chosen: Select[Any], buffer_m: float
) -> dict[str, Facts]:
    """The facts of ``places`` (rows with id, lat, lon), which ``chosen`` selects by id."""
    if not places:
        return {}
    located = [p for p in places if p.lat is not None and p.lon is not None]
    lon = np.array([p.lon for p in located], dtype=np.float64)
    lat = np.array([p.lat for p in located], dtype=np.float64)
    hazards = _open_hazards(session, lon, lat, buffer_m) if located else []
    found_housing, found_services = _latest_conditions(session, chosen)
    sites = _heritage(session, chosen)
    blocking = _blocking(places, list(hazards), buffer_m)
    return {
        p.id: Facts(
            blocking.get(p.id, []),
            found_housing.get(p.id),
            found_services.get(p.id),
            sites.get(p.id, []),
        )
        for p in places
    }


# --- the stored facts ----------------------------------------------------------------------------


def stored_rows(facts: dict[str, Facts], buffer_m: float) -> tuple[list[dict], list[dict]]:
    """Rows of ``settlement_readiness`` and ``settlement_blocking_hazards`` for some facts."""
    rows: list[dict] = []
    blocking: list[dict] = []
    for place_id, f in facts.items():
        rows.append(
            {
                "place_id": place_id,
                "buffer_m": buffer_m,
                "blocking_count": len(f.blocking),
                "housing_score": housing(f.housing)[1],
                "services_score": services(f.services)[1],
                "heritage_score": heritage(f.heritage)[1],
                "housing": f.housing.stored() if f.housing else None,
                "services": f.services.stored() if f.services else None,
                "heritage": [list(item) for item in f.heritage],
            }
        )
        blocking.extend(
            {"place_id": place_id, "hazard_area_id": b.id, "distance_m": b.distance_m}
            for b in f.blocking
        )
    return rows, blocking


def _observation(stored: dict[str, Any] | None) -> Observation | None:
    return None if stored is None else Observation(**stored)


def load_facts(session: Session, chosen: Select[Any], buffer_m: float) -> dict[str, Facts]:
    """The stored facts of the settlements ``chosen`` selects, computed with ``buffer_m``.

    Settlements missing here (never stored, or stored with another buffer) are for the caller
    to compute.
    """
    r, b, h = SettlementReadinessFacts, SettlementBlockingHazard, HazardArea
    current = and_(r.place_id.in_(chosen), r.buffer_m == buffer_m)
    rows = session.execute(select(r.place_id, r.housing, r.services, r.heritage).where(current))
    blocking: dict[str, list[BlockingHazard]] = defaultdict(list)
    found = session.execute(
        select(b.place_id, h.id, h.local_id, h.name, h.status, h.hazard_type, b.distance_m)
        .join(h, h.id == b.hazard_area_id)
        .join(r, r.place_id == b.place_id)
        .where(current)
    )
    for place_id, hazard_id, local_id, name, status, hazard_type, distance in found:
        blocking[place_id].append(
            BlockingHazard(hazard_id, local_id, name, status, hazard_type, distance)
        )
    for items in blocking.values():
        items.sort(key=lambda item: (item.distance_m, item.local_id))
    return {
        place_id: Facts(
            blocking.get(place_id, []),
            _observation(stored_housing),
            _observation(stored_services),
            [(observed_on, condition) for observed_on, condition in stored_heritage],
        )
        for place_id, stored_housing, stored_services, stored_heritage in rows
    }
