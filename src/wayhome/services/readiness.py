"""Return readiness of settlements: a 0–100 index from weighted indicators, and a safety gate.

For every settlement (a place of type settlement) each indicator gives a score from 0 to 1, or
none when nothing is known (see `docs/guide/readiness.md`):

- safety: 0 when an open hazard area contains the settlement's point or comes within the buffer
  (`ReadinessSettings.buffer_m`), else 1; unknown without coordinates;
- housing: 1 − damaged share, from the most recent observation that gives it;
- services: available 1, partial ½, none 0, averaged over the services of the most recent
  observation that gives any;
- heritage: the latest EAMENA condition of each heritage site of the settlement (good 1, fair ¾,
  poor ½, very bad ¼, destroyed 0), averaged;
- demand: the share of the settlement's registered households (those the actor may see) with a
  stated intention who intend to return.

The score is ``100 · Σ wᵢ·sᵢ / Σ wᵢ`` over the enabled indicators that have data, so each
indicator's contribution ``100 · wᵢ·sᵢ / Σ wᵢ`` adds up to the score. It is not computed (class
``no_data``) when those indicators hold less than `min_coverage` of the enabled weight. The gate:
a settlement with an open hazard area at or within its buffer is class ``blocked`` and never
ready, whatever its score and whether or not the safety indicator is enabled; the answer lists
the hazard areas with their distance.

Everything is computed set-wise: one query per table (the hazard polygons in chunks of ids) and
the vectorised overlay of `wayhome.geo.hazards_near_settlements`; no query runs per settlement.
`benchmarks/bench_readiness.py` times 10,000 settlements against 100,000 hazard polygons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from wayhome.core.errors import NotFound, invalid
from wayhome.core.heritage import OverallCondition
from wayhome.core.messages import N_, format_message
from wayhome.core.mine_action import HazardStatus
from wayhome.core.vocab import PlaceType, ReturnIntention
from wayhome.geo import hazards_near_settlements
from wayhome.geo.overlay import geodesic_distances, query_box
from wayhome.services.context import Actor, Wayhome
from wayhome.services.households import ENTITY as HOUSEHOLD
from wayhome.services.paging import Page
from wayhome.services.permissions import require, visible
from wayhome.services.readiness_conditions import condition_order
from wayhome.services.readiness_config import (
    LABELS,
    SERVICE_SCORE,
    ReadinessClass,
    ReadinessSettings,
    read_settings,
)
from wayhome.store.tables import Household, Place
from wayhome.store.tables_contamination import HazardArea
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite
from wayhome.store.tables_readiness import SettlementCondition

Bbox = tuple[float, float, float, float]

HERITAGE_SCORE: dict[str, float] = {
    OverallCondition.GOOD: 1.0,
    OverallCondition.FAIR: 0.75,
    OverallCondition.POOR: 0.5,
    OverallCondition.VERY_BAD: 0.25,
    OverallCondition.DESTROYED: 0.0,
}
STATED = ("return", "stay", "relocate")
"""Intentions that count as stated for the demand indicator (undecided and unknown do not)."""
INTENTIONS = tuple(i.value for i in ReturnIntention)
HAZARD_CHUNK = 2000
"""Hazard polygons are read this many ids at a time (well under every database's limits)."""
SORTS = ("name", "score", "-score", "class")
CLASS_ORDER = {c: i for i, c in enumerate(("blocked", "high", "medium", "low", "ready", "no_data"))}


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
class IndicatorResult:
    """One indicator of one settlement: value, weight, score 0–1 and contribution to the 0–100.

    `value_msg` and `value_params` describe the value in words (an English template for the UI
    to translate); `value_label` is it in English. `score` is None when nothing is known.
    """

    key: str
    label: str
    enabled: bool
    weight: float
    value: float | None
    value_msg: str
    value_params: dict[str, Any]
    score: float | None
    contribution: float
    source: str | None = None
    date: str | None = None

    @property
    def value_label(self) -> str:
        """Return the value in English words."""
        return format_message(self.value_msg, self.value_params)


@dataclass(frozen=True)
class SettlementReadiness:
    """The readiness of one settlement (see the module's docstring for the rules)."""

    place_id: str
    place_name: str
    place_code: str
    lat: float | None
    lon: float | None
    score: float | None
    readiness_class: str
    ready: bool
    blocking_hazards: list[BlockingHazard]
    indicators: list[IndicatorResult]
    demand: dict[str, int] = field(default_factory=dict)
    coverage: float = 0.0

    @property
    def class_label(self) -> str:
        """Return the English label of the class."""
        return LABELS[self.readiness_class]

    @property
    def households(self) -> int:
        """Return the number of registered households from the settlement."""
        return sum(self.demand.values())


# --- reading the data, one query per table ---------------------------------------------------


def _settlement_query(place_ids: Sequence[str] | None, bbox: Bbox | None) -> Select[Any]:
    query = select(Place.id).where(
        Place.type == PlaceType.SETTLEMENT.value, Place.deleted_at.is_(None)
    )
    if place_ids is not None:
        query = query.where(Place.id.in_(list(place_ids)))
    if bbox is not None:
        west, south, east, north = bbox
        lon = (
            Place.lon.between(west, east)
            if west <= east
            else or_(Place.lon >= west, Place.lon <= east)  # across 180°
        )
        query = query.where(Place.lat.between(south, north), lon)
    return query


def _check_bbox(bbox: Bbox | None) -> None:
    if bbox is None:
        return
    west, south, east, north = bbox
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise invalid(
            ("query", "bbox"),
            N_("give west,south,east,north in degrees, south not above north"),
        )


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
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The most recent observation of housing, and of services, of each settlement."""
    c = SettlementCondition
    rows = session.execute(
        select(c.place_id, c.observed_on, c.housing_damage_pct, c.services, c.source)
        .where(
            SettlementCondition.place_id.in_(settlements),
            SettlementCondition.deleted_at.is_(None),
        )
        .order_by(*condition_order())
    )
    housing: dict[str, Any] = {}
    services: dict[str, Any] = {}
    for row in rows:  # in time order: the last one of each settlement wins
        if row.housing_damage_pct is not None:
            housing[row.place_id] = row
        if row.services:
            services[row.place_id] = row
    return housing, services


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


def _demand(session: Session, actor: Actor, settlements: Select[Any]) -> dict[str, dict[str, int]]:
    """Registered households (that the actor may see) by place of origin and intention."""
    rows = session.execute(
        select(Household.origin_place_id, Household.return_intention, func.count())
        .where(
            Household.origin_place_id.in_(settlements),
            Household.deleted_at.is_(None),
            visible(actor, Household, HOUSEHOLD),
        )
        .group_by(Household.origin_place_id, Household.return_intention)
    )
    out: dict[str, dict[str, int]] = {}
    for place_id, intention, count in rows:
        counts = out.setdefault(str(place_id), dict.fromkeys(INTENTIONS, 0))
        counts[intention] = counts.get(intention, 0) + int(count)
    return out


# --- the safety gate -------------------------------------------------------------------------


def _blocking(
    places: list[Any], hazards: list[Any], buffer_m: float
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


# --- scoring ---------------------------------------------------------------------------------


def _safety(place: Any, blocking: list[BlockingHazard], buffer_m: float) -> tuple[Any, ...]:
    if place.lat is None or place.lon is None:
        return None, None, N_("the settlement has no coordinates"), {}
    params = {"count": len(blocking), "buffer": f"{buffer_m:g}"}
    if blocking:
        return len(blocking), 0.0, N_("open hazard areas within %(buffer)s m: %(count)d"), params
    return 0, 1.0, N_("no open hazard area within %(buffer)s m"), params


def _housing(row: Any) -> tuple[Any, ...]:
    if row is None or row.housing_damage_pct is None:
        return None, None, N_("not observed"), {}
    pct = row.housing_damage_pct
    return (
        pct,
        1.0 - pct / 100.0,
        N_("%(pct)s per cent of housing damaged or destroyed"),
        {"pct": f"{pct:g}"},
    )


def _services(row: Any) -> tuple[Any, ...]:
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


def _heritage_indicator(sites: list[tuple[str, str]]) -> tuple[Any, ...]:
    scores = [HERITAGE_SCORE[c] for _, c in sites if c in HERITAGE_SCORE]
    if not scores:
        return None, None, N_("no heritage site assessed"), {}
    score = sum(scores) / len(scores)
    return score, score, N_("heritage sites assessed: %(count)d"), {"count": len(scores)}


def _demand_indicator(counts: dict[str, int]) -> tuple[Any, ...]:
    stated = sum(counts.get(i, 0) for i in STATED)
    if not stated:
        return None, None, N_("no registered household has stated an intention"), {}
    returning = counts.get("return", 0)
    share = returning / stated
    msg = N_("%(returning)d of %(stated)d households with a stated intention intend to return")
    return share, share, msg, {"returning": returning, "stated": stated}


def _classify(
    score: float | None, blocked: bool, located: bool, settings: ReadinessSettings
) -> str:
    if blocked:
        return ReadinessClass.BLOCKED.value
    if score is None:
        return ReadinessClass.NO_DATA.value
    cut = settings.cutoffs
    if score >= cut.ready:
        # without coordinates safety is unknown, and an unknown is never "ready"
        return (ReadinessClass.READY if located else ReadinessClass.LOW).value
    if score >= cut.low:
        return ReadinessClass.LOW.value
    if score >= cut.medium:
        return ReadinessClass.MEDIUM.value
    return ReadinessClass.HIGH.value


def _assess_one(
    place: Any,
    settings: ReadinessSettings,
    spec: list[tuple[str, bool, float]],
    blocking: list[BlockingHazard],
    housing: Any,
    services: Any,
    heritage: list[tuple[str, str]],
    demand: dict[str, int],
) -> SettlementReadiness:
    parts: dict[str, tuple[Any, ...]] = {
        "safety": (*_safety(place, blocking, settings.buffer_m), None, None),
        "housing": (
            *_housing(housing),
            housing.source if housing else None,
            housing.observed_on if housing else None,
        ),
        "services": (
            *_services(services),
            services.source if services else None,
            services.observed_on if services else None,
        ),
        "heritage": (
            *_heritage_indicator(heritage),
            None,
            max((d for d, _ in heritage), default=None),
        ),
        "demand": (*_demand_indicator(demand), None, None),
    }
    total = sum(weight for _, enabled, weight in spec if enabled)
    known = sum(weight for key, enabled, weight in spec if enabled and parts[key][1] is not None)
    coverage = known / total if total else 0.0
    scored = known > 0 and coverage + 1e-9 >= settings.min_coverage
    indicators = []
    for key, enabled, weight in spec:
        value, score, msg, params, source, date = parts[key]
        counts = enabled and scored and score is not None
        indicators.append(
            IndicatorResult(
                key=key,
                label=LABELS[key],
                enabled=enabled,
                weight=weight,
                value=value,
                value_msg=msg,
                value_params=params,
                score=score,
                contribution=100.0 * weight * score / known if counts else 0.0,
                source=source,
                date=date,
            )
        )
    score = sum(i.contribution for i in indicators) if scored else None
    located = place.lat is not None and place.lon is not None
    readiness_class = _classify(score, bool(blocking), located, settings)
    return SettlementReadiness(
        place_id=place.id,
        place_name=place.display_name,
        place_code=place.code,
        lat=place.lat,
        lon=place.lon,
        score=score,
        readiness_class=readiness_class,
        ready=readiness_class == "ready",
        blocking_hazards=list(blocking),
        indicators=indicators,
        demand=demand or dict.fromkeys(INTENTIONS, 0),
        coverage=coverage,
    )


# --- the public interface --------------------------------------------------------------------


def assess(
    session: Session,
    actor: Actor,
    settings: ReadinessSettings,
    *,
    place_ids: Sequence[str] | None = None,
    bbox: Bbox | None = None,
) -> list[SettlementReadiness]:
    """Assess settlements inside the caller's session with the given settings (by name)."""
    _check_bbox(bbox)
    chosen = _settlement_query(place_ids, bbox)
    places = session.execute(
        select(Place.id, Place.display_name, Place.code, Place.lat, Place.lon)
        .where(Place.id.in_(chosen))
        .order_by(Place.display_name, Place.code)
    ).all()
    if not places:
        return []
    located = [p for p in places if p.lat is not None and p.lon is not None]
    lon = np.array([p.lon for p in located], dtype=np.float64)
    lat = np.array([p.lat for p in located], dtype=np.float64)
    hazards = _open_hazards(session, lon, lat, settings.buffer_m) if located else []
    housing, services = _latest_conditions(session, chosen)
    heritage = _heritage(session, chosen)
    demand = _demand(session, actor, chosen)
    blocking = _blocking(list(places), list(hazards), settings.buffer_m)
    spec = [(i.key.value, i.enabled, i.weight) for i in settings.indicators]
    return [
        _assess_one(
            p,
            settings,
            spec,
            blocking.get(p.id, []),
            housing.get(p.id),
            services.get(p.id),
            heritage.get(p.id, []),
            demand.get(p.id, {}),
        )
        for p in places
    ]


def assess_settlements(
    wayhome: Wayhome,
    actor: Actor,
    *,
    place_ids: Sequence[str] | None = None,
    bbox: Bbox | None = None,
) -> list[SettlementReadiness]:
    """Assess every settlement (or those given, or those in a bbox ``west,south,east,north``)."""
    require(actor, "readiness.view")
    with wayhome.read() as session:
        settings, _ = read_settings(session)
        return assess(session, actor, settings, place_ids=place_ids, bbox=bbox)


def assess_settlement(wayhome: Wayhome, actor: Actor, place_id: str) -> SettlementReadiness:
    """Assess one settlement; NotFound unless it is a settlement."""
    found = assess_settlements(wayhome, actor, place_ids=[place_id])
    if not found:
        raise NotFound(N_("no such settlement"))
    return found[0]


def _sort_key(sort: str) -> Any:
    if sort == "class":
        return lambda r: (CLASS_ORDER[r.readiness_class], r.score or 0.0, r.place_name)
    if sort == "score":
        return lambda r: (r.score is None, r.score or 0.0, r.place_name)
    if sort == "-score":
        return lambda r: (r.score is None, -(r.score or 0.0), r.place_name)
    return lambda r: (r.place_name, r.place_code)


def readiness_page(
    wayhome: Wayhome,
    actor: Actor,
    *,
    readiness_class: Sequence[str] | None = None,
    bbox: Bbox | None = None,
    sort: str = "name",
    page: int = 1,
    per_page: int = 25,
) -> Page[SettlementReadiness]:
    """One page of assessed settlements, filtered by class and sorted by name, score or class."""
    if sort not in SORTS:
        raise invalid(
            ("query", "sort"), N_("sort by one of: %(choices)s"), {"choices": ", ".join(SORTS)}
        )
    wanted = set(readiness_class or [])
    unknown = wanted - {c.value for c in ReadinessClass}
    if unknown:
        raise invalid(
            ("query", "class"), N_("no such readiness class: %(value)s"), {"value": min(unknown)}
        )
    results = assess_settlements(wayhome, actor, bbox=bbox)
    if wanted:
        results = [r for r in results if r.readiness_class in wanted]
    results.sort(key=_sort_key(sort))
    page = max(page, 1)
    per_page = min(max(per_page, 1), 500)
    start = (page - 1) * per_page
    return Page(results[start : start + per_page], len(results), page, per_page)
