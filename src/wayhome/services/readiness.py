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

The reader-independent facts (safety gate, latest observations, heritage conditions) are kept at
write time (`wayhome.services.readiness_facts`, `wayhome.services.readiness_store`), so an
assessment reads stored rows plus one count of households; settlements whose facts are not stored
are computed set-wise on the spot: one query per table (the hazard polygons in chunks of ids) and
the vectorised overlay of `wayhome.geo.hazards_near_settlements`; no query runs per settlement.
`benchmarks/bench_readiness.py` times 10,000 settlements against 100,000 hazard polygons.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from wayhome.core.collation import name_sort_key
from wayhome.core.errors import NotFound, invalid
from wayhome.core.messages import N_, format_message
from wayhome.core.vocab import PlaceType, ReturnIntention
from wayhome.services.context import Actor, Wayhome
from wayhome.services.households import ENTITY as HOUSEHOLD
from wayhome.services.paging import Page
from wayhome.services.permissions import require, visible
from wayhome.services.readiness_config import (
    LABELS,
    ReadinessClass,
    ReadinessSettings,
    read_settings,
)
from wayhome.services.readiness_facts import (
    HAZARD_CHUNK,
    HERITAGE_SCORE,
    NO_FACTS,
    BlockingHazard,
    Facts,
    Part,
    compute_facts,
    heritage,
    housing,
    load_facts,
    safety,
    services,
)
from wayhome.store.tables import Household, Place
from wayhome.store.tables_readiness import SettlementReadinessFacts

__all__ = [
    "HERITAGE_SCORE",
    "BlockingHazard",
    "IndicatorResult",
    "SettlementReadiness",
    "Summaries",
    "Summary",
    "assess",
    "assess_settlement",
    "assess_settlements",
    "readiness_page",
    "settlement_summaries",
    "summaries",
]

Bbox = tuple[float, float, float, float]

STATED = ("return", "stay", "relocate")
"""Intentions that count as stated for the demand indicator (undecided and unknown do not)."""
INTENTIONS = tuple(i.value for i in ReturnIntention)
SORTS = ("name", "score", "-score", "class")
CLASS_ORDER = {c: i for i, c in enumerate(("blocked", "high", "medium", "low", "ready", "no_data"))}
KEYS = ("safety", "housing", "services", "heritage", "demand")


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


@dataclass(frozen=True, slots=True)
class Summary:
    """What the map shows of a settlement: score, class, and how many hazard areas block it."""

    place_id: str
    place_name: str
    score: float | None
    readiness_class: str
    blocking: int

    @property
    def ready(self) -> bool:
        """Whether the settlement is ready for return."""
        return self.readiness_class == "ready"


@dataclass(frozen=True)
class Summaries:
    """`Summary` of many settlements, kept as columns of plain values.

    Ten thousand small objects alive at once would be promoted by the garbage collector and
    then trigger a full collection (~0.1 s in a large process); columns of strings and numbers
    are not tracked. Iterating yields one `Summary` at a time.
    """

    place_ids: list[str]
    place_names: list[str]
    scores: list[float | None]
    classes: list[str]
    blocking: list[int]

    def __iter__(self) -> Iterator[Summary]:
        columns = (self.place_ids, self.place_names, self.scores, self.classes, self.blocking)
        for values in zip(*columns, strict=True):
            yield Summary(*values)

    def __len__(self) -> int:
        return len(self.place_ids)


# --- reading the data ----------------------------------------------------------------------------


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


def _facts(
    session: Session, places: Sequence[Any], chosen: Select[Any], buffer_m: float
) -> dict[str, Facts]:
    """The stored facts of these settlements; those not stored (yet) are computed here."""
    found = load_facts(session, chosen, buffer_m)
    missing = [p for p in places if p.id not in found]
    if len(missing) > HAZARD_CHUNK:
        # many (e.g. rows written outside the services): one pass over the hazards for all of
        # them; ``chosen`` may select some that are stored too, whose facts are then not used
        found.update(compute_facts(session, missing, chosen, buffer_m))
    elif missing:
        ids = select(Place.id).where(Place.id.in_([p.id for p in missing]))
        found.update(compute_facts(session, missing, ids, buffer_m))
    return found


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


# --- scoring ---------------------------------------------------------------------------------


def _demand_indicator(counts: dict[str, int]) -> Part:
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


def _combine(
    spec: list[tuple[str, bool, float]], scores: dict[str, float | None], min_coverage: float
) -> tuple[float, list[float], float | None]:
    """Coverage, each indicator's contribution (in ``spec`` order) and the score (None: too
    little known): the one place the index is computed, for the pages and for the map."""
    total = sum(weight for _, enabled, weight in spec if enabled)
    known = sum(weight for key, enabled, weight in spec if enabled and scores[key] is not None)
    coverage = known / total if total else 0.0
    scored = known > 0 and coverage + 1e-9 >= min_coverage
    contributions = []
    for key, enabled, weight in spec:
        score = scores[key]
        counts = enabled and scored and score is not None
        contributions.append(100.0 * weight * score / known if counts else 0.0)  # type: ignore[operator]
    return coverage, contributions, sum(contributions) if scored else None


def _assess_one(
    place: Any,
    settings: ReadinessSettings,
    spec: list[tuple[str, bool, float]],
    facts: Facts,
    demand: dict[str, int],
) -> SettlementReadiness:
    located = place.lat is not None and place.lon is not None
    housing_row, services_row = facts.housing, facts.services
    parts: dict[str, tuple[Any, ...]] = {
        "safety": (*safety(located, len(facts.blocking), settings.buffer_m), None, None),
        "housing": (
            *housing(housing_row),
            housing_row.source if housing_row else None,
            housing_row.observed_on if housing_row else None,
        ),
        "services": (
            *services(services_row),
            services_row.source if services_row else None,
            services_row.observed_on if services_row else None,
        ),
        "heritage": (
            *heritage(facts.heritage),
            None,
            max((d for d, _ in facts.heritage), default=None),
        ),
        "demand": (*_demand_indicator(demand), None, None),
    }
    coverage, contributions, score = _combine(
        spec, {key: part[1] for key, part in parts.items()}, settings.min_coverage
    )
    indicators = []
    for (key, enabled, weight), contribution in zip(spec, contributions, strict=True):
        value, indicator_score, msg, params, source, date = parts[key]
        indicators.append(
            IndicatorResult(
                key=key,
                label=LABELS[key],
                enabled=enabled,
                weight=weight,
                value=value,
                value_msg=msg,
                value_params=params,
                score=indicator_score,
                contribution=contribution,
                source=source,
                date=date,
            )
        )
    readiness_class = _classify(score, bool(facts.blocking), located, settings)
    return SettlementReadiness(
        place_id=place.id,
        place_name=place.display_name,
        place_code=place.code,
        lat=place.lat,
        lon=place.lon,
        score=score,
        readiness_class=readiness_class,
        ready=readiness_class == "ready",
        blocking_hazards=list(facts.blocking),
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
    facts = _facts(session, places, chosen, settings.buffer_m)
    demand = _demand(session, actor, chosen)
    spec = [(i.key.value, i.enabled, i.weight) for i in settings.indicators]
    return [
        _assess_one(p, settings, spec, facts.get(p.id, NO_FACTS), demand.get(p.id, {}))
        for p in places
    ]


def _combine_all(
    spec: list[tuple[str, bool, float]], scores: dict[str, np.ndarray], min_coverage: float
) -> np.ndarray:
    """`_combine`'s score for many settlements at once (NaN: unknown, or too little known).

    The same operations in the same order, element-wise, so each score is the very float
    `_combine` gives for that settlement (IEEE arithmetic is exact per element).
    """
    total = sum(weight for _, enabled, weight in spec if enabled)
    n = len(next(iter(scores.values())))
    known = np.zeros(n)
    for key, enabled, weight in spec:
        if enabled:
            known = known + np.where(np.isnan(scores[key]), 0.0, weight)
    coverage = known / total if total else np.zeros(n)
    scored = (known > 0) & (coverage + 1e-9 >= min_coverage)
    score = np.zeros(n)
    for key, enabled, weight in spec:
        counts = scored & ~np.isnan(scores[key]) if enabled else np.zeros(n, dtype=bool)
        contribution = np.zeros(n)
        np.divide(100.0 * weight * scores[key], known, out=contribution, where=counts)
        score = score + contribution
    return np.where(scored, score, np.nan)


def summaries(
    session: Session, actor: Actor, settings: ReadinessSettings, place_ids: Sequence[str] | None
) -> Summaries:
    """Score and class of settlements (those given, or all) from their stored facts: what
    `assess` gives, without the words, sources and dates the map does not show."""
    chosen = _settlement_query(place_ids, None)
    r = SettlementReadinessFacts
    query = (
        select(
            Place.id,
            Place.display_name,
            Place.lat,
            Place.lon,
            r.blocking_count,
            r.housing_score,
            r.services_score,
            r.heritage_score,
        )
        .outerjoin(r, (r.place_id == Place.id) & (r.buffer_m == settings.buffer_m))
        .where(Place.type == PlaceType.SETTLEMENT.value, Place.deleted_at.is_(None))
    )
    if place_ids is not None:
        query = query.where(Place.id.in_(list(place_ids)))
    nan = float("nan")
    ids: list[str] = []
    names: list[str] = []
    located: list[bool] = []
    blocking: list[int] = []
    columns: dict[str, list[float]] = {"housing": [], "services": [], "heritage": []}
    unstored: list[str] = []
    for row in session.execute(query):  # row by row: only plain values outlive the loop
        ids.append(row[0])
        names.append(row[1])
        located.append(row[2] is not None and row[3] is not None)
        if row[4] is None:
            unstored.append(row[0])
        blocking.append(row[4] or 0)
        for key, value in zip(columns, row[5:8], strict=True):
            columns[key].append(nan if value is None else value)
    if unstored:  # written outside the services, or with another buffer: as `assess` does
        at = {place_id: i for i, place_id in enumerate(ids)}
        for start in range(0, len(unstored), HAZARD_CHUNK):
            part = select(Place.id).where(Place.id.in_(unstored[start : start + HAZARD_CHUNK]))
            rows = session.execute(select(Place.id, Place.lat, Place.lon).where(Place.id.in_(part)))
            computed = compute_facts(session, rows.all(), part, settings.buffer_m)
            for place_id, f in computed.items():
                i = at[place_id]
                blocking[i] = len(f.blocking)
                for key, part_of in (
                    ("housing", housing(f.housing)),
                    ("services", services(f.services)),
                    ("heritage", heritage(f.heritage)),
                ):
                    columns[key][i] = nan if part_of[1] is None else part_of[1]
    demand = _demand(session, actor, chosen)
    share = {place_id: _demand_indicator(counts)[1] for place_id, counts in demand.items()}
    is_located = np.array(located, dtype=bool)
    blocked = np.array(blocking, dtype=np.int64)
    scores = {key: np.array(values, dtype=float) for key, values in columns.items()}
    scores["safety"] = np.where(is_located, np.where(blocked > 0, 0.0, 1.0), nan)
    scores["demand"] = np.array(
        [nan if share.get(place_id) is None else share[place_id] for place_id in ids], dtype=float
    )
    spec = [(i.key.value, i.enabled, i.weight) for i in settings.indicators]
    combined = _combine_all(spec, scores, settings.min_coverage)
    classes = _classify_all(combined, blocked > 0, is_located, settings).tolist()
    return Summaries(
        ids,
        names,
        [None if score != score else score for score in combined.tolist()],  # NaN: no score
        classes,
        blocking,
    )


def _classify_all(
    score: np.ndarray, blocked: np.ndarray, located: np.ndarray, settings: ReadinessSettings
) -> np.ndarray:
    """`_classify` for many settlements at once (score NaN: none)."""
    cut = settings.cutoffs
    c = ReadinessClass
    with np.errstate(invalid="ignore"):  # NaN compares false, and is sorted out first
        return np.select(
            [
                blocked,
                np.isnan(score),
                (score >= cut.ready) & located,
                score >= cut.low,  # ready without coordinates: low, as `_classify` says
                score >= cut.medium,
            ],
            [c.BLOCKED.value, c.NO_DATA.value, c.READY.value, c.LOW.value, c.MEDIUM.value],
            default=c.HIGH.value,
        )


def settlement_summaries(
    wayhome: Wayhome, actor: Actor, place_ids: Sequence[str] | None = None
) -> Summaries:
    """Score and class of every settlement (or those given), for the map."""
    require(actor, "readiness.view")
    with wayhome.read() as session:
        settings, _ = read_settings(session)
        return summaries(session, actor, settings, place_ids)


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


def _sort_key(sort: str, lang: str | None = None) -> Any:
    # names in the order of the reader's language (core/collation.py); code points without one
    name = name_sort_key(lang) if lang else str
    if sort == "class":
        return lambda r: (CLASS_ORDER[r.readiness_class], r.score or 0.0, name(r.place_name))
    if sort == "score":
        return lambda r: (r.score is None, r.score or 0.0, name(r.place_name))
    if sort == "-score":
        return lambda r: (r.score is None, -(r.score or 0.0), name(r.place_name))
    return lambda r: (name(r.place_name), r.place_code)


def readiness_page(
    wayhome: Wayhome,
    actor: Actor,
    *,
    readiness_class: Sequence[str] | None = None,
    bbox: Bbox | None = None,
    sort: str = "name",
    page: int = 1,
    per_page: int = 25,
    lang: str | None = None,
) -> Page[SettlementReadiness]:
    """One page of assessed settlements, filtered by class and sorted by name, score or class
    (names in the order of the language ``lang`` when given)."""
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
    results.sort(key=_sort_key(sort, lang))
    page = max(page, 1)
    per_page = min(max(per_page, 1), 500)
    start = (page - 1) * per_page
    return Page(results[start : start + per_page], len(results), page, per_page)
