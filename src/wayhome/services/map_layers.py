"""Map layers: settlements by readiness, hazard areas by status, heritage sites by condition.

Each layer is read set-wise for a bounding box and returned as GeoJSON features whose geometry is
simplified and rounded for the zoom (`wayhome.geo.layer_geometry`) and whose properties are only
what the map draws and shows in a popup. Permissions are those of the records:
``readiness.view`` (with ``place.view``), ``hazard.view`` and ``heritage.view``; sensitive heritage
sites are placed at the centre of their grid cell for roles without ``heritage.exact_location``,
exactly as `wayhome.services.heritage` presents them, and the bounding box is applied to that
presented point, so narrowing the box cannot locate a protected site within its cell.

Hazard outlines are not simplified here: they are stored per zoom band when the hazard area is
written (`wayhome.services.map_outlines`), so even the first request after a write reads text.
Finished features are cached (`wayhome.services.map_cache`) while the tables they come from are
unchanged, so a pan reads two small queries (the fingerprint, the ids in the box) and joins text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, outerjoin, select

from wayhome.core.heritage import OverallCondition
from wayhome.core.vocab import PlaceType
from wayhome.geo.layer_geometry import LayerGeometryCache, digits_for_zoom, round_point
from wayhome.services import heritage, heritage_latest, readiness
from wayhome.services.context import Actor, Wayhome
from wayhome.services.map_cache import BoxIndex, FeatureTexts, fingerprint
from wayhome.services.map_outlines import band_for_zoom
from wayhome.services.permissions import require
from wayhome.store.tables import Household, Place, RecordShare
from wayhome.store.tables_contamination import HazardArea, HazardAreaOutline, LandReleaseEvent
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite
from wayhome.store.tables_readiness import (
    HeritageSiteLatest,
    ReadinessConfig,
    SettlementCondition,
)

__all__ = [
    "LAYERS",
    "MAX_FEATURES",
    "Layer",
    "clear_caches",
    "hazard_layer",
    "heritage_layer",
    "settlement_layer",
]

MAX_FEATURES = 10_000
"""Most features one layer request returns; more in the box sets ``truncated``."""
LAYERS = ("settlements", "hazard-areas", "heritage-sites")
_CHUNK = 2_000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits

Bbox = tuple[float, float, float, float]
GEOMETRIES = LayerGeometryCache()
"""Outlines simplified in this process, by id, version and zoom: only for hazard areas written
without their stored outlines (bulk loads outside the services)."""
HAZARD_TEXTS = FeatureTexts()
SITE_TEXTS = FeatureTexts()
SETTLEMENT_TEXTS = FeatureTexts()
SETTLEMENT_PROPERTIES = FeatureTexts()


def clear_caches() -> None:
    """Forget every cached outline and feature (tests, benchmarks, after restoring a backup)."""
    for cache in (GEOMETRIES, HAZARD_TEXTS, SITE_TEXTS, SETTLEMENT_TEXTS, SETTLEMENT_PROPERTIES):
        cache.clear()


@dataclass
class Layer:
    """The GeoJSON text of each feature of one layer, and whether the box held more."""

    name: str
    features: list[str] = field(default_factory=list)
    truncated: bool = False

    def geojson(self) -> str:
        """The layer as a GeoJSON FeatureCollection text."""
        truncated = "true" if self.truncated else "false"
        return (
            f'{{"type":"FeatureCollection","layer":{json.dumps(self.name)},'
            f'"truncated":{truncated},"features":[{",".join(self.features)}]}}'
        )


_json_string = json.encoder.encode_basestring  # as json.dumps(text, ensure_ascii=False)


def _feature(feature_id: str, geometry: str, properties: dict[str, Any]) -> str:
    return (
        f'{{"type":"Feature","id":{json.dumps(feature_id)},"geometry":{geometry},'
        f'"properties":{json.dumps(properties, ensure_ascii=False)}}}'
    )


def _boxes(bbox: Bbox | None) -> list[Bbox | None]:
    """The box as one or two boxes within ±180° (west > east: it crosses the antimeridian)."""
    if bbox is None:
        return [None]
    west, south, east, north = bbox
    south, north = max(min(south, north), -90.0), min(max(south, north), 90.0)
    if east - west >= 360:
        return [(-180.0, south, 180.0, north)]
    west, east = _wrap(west), _wrap(east)
    if west <= east:
        return [(west, south, east, north)]
    return [(west, south, 180.0, north), (-180.0, south, east, north)]


def _wrap(lon: float) -> float:
    return lon if -180 <= lon <= 180 else ((lon + 180) % 360) - 180


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _point(lon: float, lat: float, zoom: int | None) -> str:
    return f'{{"type":"Point","coordinates":{json.dumps(round_point(lon, lat, zoom))}}}'


def _point_text(lon: float, lat: float, digits: int) -> str:
    """What `_point` writes, with the zoom's decimals worked out once for a whole layer."""
    return f'{{"type":"Point","coordinates":[{round(lon, digits)!r}, {round(lat, digits)!r}]}}'


# --- hazard areas ------------------------------------------------------------------------------


def hazard_layer(
    wayhome: Wayhome,
    actor: Actor,
    *,
    bbox: Bbox | None = None,
    zoom: int | None = None,
    limit: int = MAX_FEATURES,
) -> Layer:
    """Hazard areas meeting the box, outlines simplified for the zoom, with status and type."""
    require(actor, "hazard.view")
    h = HazardArea
    with wayhome.read() as session:
        # releases change a hazard's remaining area without an edit of the hazard itself
        current = (wayhome.instance_id, *fingerprint(session, (HazardArea, LandReleaseEvent)))
        shared = HAZARD_TEXTS.view("index", current)
        index = shared.get("index")
        if index is None:
            result = session.execute(
                select(h.id, h.min_lon, h.min_lat, h.max_lon, h.max_lat)
                .where(h.deleted_at.is_(None))
                .order_by(h.local_id)
            )
            index = shared["index"] = BoxIndex.of(result)  # row by row
        ids, truncated = index.within(_boxes(bbox), limit)
        texts = HAZARD_TEXTS.view(zoom, current)
        missing = [i for i in ids if i not in texts]
        if missing:
            # cold (nothing cached since the last write): one query by the box, not id lists
            boxes = _boxes(bbox) if len(missing) > _CHUNK and not truncated else None
            _hazard_texts(session, missing, zoom, texts, boxes)
    return Layer("hazard-areas", [texts[i] for i in ids if i in texts], truncated)


def _hazard_texts(
    session: Any, ids: list[str], zoom: int | None, texts: dict, boxes: list | None = None
) -> None:
    """Build the features of some hazards from their outlines stored for the zoom's band.

    With ``boxes`` (the request's, when ``ids`` are every hazard meeting them) the rows are read
    by the bounding box columns in one query instead of by lists of ids.
    """
    h, o = HazardArea, HazardAreaOutline
    columns = (h.id, h.version, h.local_id, h.name, h.hazard_type, h.status, h.remaining_area_m2)
    outline = outerjoin(h, o, (o.hazard_area_id == h.id) & (o.band == band_for_zoom(zoom)))
    query = select(*columns, o.geometry.label("outline")).select_from(outline)
    if boxes is not None:
        meets = [
            and_(h.min_lon <= east, h.max_lon >= west, h.min_lat <= north, h.max_lat >= south)
            for west, south, east, north in (box for box in boxes if box is not None)
        ]
        if len(meets) == len(boxes):
            query = query.where(or_(*meets))
        queries = [query.where(h.deleted_at.is_(None))]
    else:
        queries = [query.where(h.id.in_(part)) for part in _chunks(ids)]
    asked = set(ids)  # by the box: leave out one written since the index was read
    unstored = []
    for statement in queries:
        # row by row, keeping only text: few objects outlive the loop for the collector to scan
        for r in session.execute(statement):
            if r.id not in asked:
                continue
            if r.outline is None:
                unstored.append(r)
            else:
                texts[r.id] = _hazard_feature(r, r.outline)
    if unstored:
        # written outside the services (a bulk load, a restore): simplified here, as before 0007
        def stored(wanted: list[str]) -> dict[str, str]:
            found: dict[str, str] = {}
            for part in _chunks(wanted):
                found.update(session.execute(select(h.id, h.geometry).where(h.id.in_(part))).all())
            return found

        geometries = GEOMETRIES.get_many([(r.id, r.version) for r in unstored], zoom, stored)
        for r in unstored:
            texts[r.id] = _hazard_feature(r, geometries[r.id])


def _hazard_feature(r: Any, geometry: str) -> str:
    """What `_feature` writes for a hazard (the same text), without a dict and two dumps."""
    text = _json_string
    return (
        f'{{"type":"Feature","id":{text(r.id)},"geometry":{geometry},"properties":'
        f'{{"ref": {text(r.local_id)}, "name": {text(r.name)}, '
        f'"hazard_type": {text(r.hazard_type)}, "status": {text(r.status)}, '
        f'"remaining_m2": {round(r.remaining_area_m2)}}}}}'
    )


# --- heritage sites ----------------------------------------------------------------------------


SiteRow = tuple[str, str, str, str, bool, float, float, str | None, str | None]
"""id, reference, name, type, sensitive, lat, lon, stored (the id in ``heritage_site_latest``,
None without a row there), condition: a plain tuple, which the garbage collector stops tracking
(ten thousand row objects kept through a request could set off a full collection)."""


def _site_rows(session: Any, ids: list[str] | None) -> list[SiteRow]:
    """Located sites (those given, or all) with their stored latest condition, by reference.

    A site without a row in ``heritage_site_latest`` (written outside the services) has its
    condition ranked in `_site_texts`, as `wayhome.services.heritage_latest` does.
    """
    s, latest = HeritageSite, HeritageSiteLatest
    query = (
        select(
            s.id,
            s.reference,
            s.display_name,
            s.type,
            s.sensitive,
            s.lat,
            s.lon,
            latest.site_id.label("stored"),
            latest.overall_condition,
        )
        .outerjoin(latest, latest.site_id == s.id)
        .where(s.deleted_at.is_(None), s.lat.is_not(None), s.lon.is_not(None))
        .order_by(s.reference)
    )
    queries = [query] if ids is None else [query.where(s.id.in_(part)) for part in _chunks(ids)]
    return [tuple(row) for statement in queries for row in session.execute(statement)]  # type: ignore[misc]


def heritage_layer(
    wayhome: Wayhome,
    actor: Actor,
    *,
    bbox: Bbox | None = None,
    zoom: int | None = None,
    limit: int = MAX_FEATURES,
) -> Layer:
    """Heritage sites as points by latest condition, placed as the actor may see them.

    The condition is the one stored when the site or an assessment was written
    (`wayhome.services.heritage_latest`), so the first request after a write reads one query.
    """
    require(actor, "heritage.view")
    exact = heritage.sees_exact_location(actor)
    with wayhome.read() as session:
        current = (wayhome.instance_id, *fingerprint(session, (HeritageSite, HeritageAssessment)))
        shared = SITE_TEXTS.view(("index", exact), current)
        index = shared.get("index")
        rows = None
        if index is None:
            rows = _site_rows(session, None)
            # the index holds the presented points: a box finds a coarsened site by its cell
            points = (_presented_at(r[4], r[6], r[5], exact) for r in rows)
            index = shared["index"] = BoxIndex.of(
                (r[0], x, y, x, y) for r, (x, y) in zip(rows, points, strict=True)
            )
        ids, truncated = index.within(_boxes(bbox), limit)
        texts = SITE_TEXTS.view((exact, zoom), current)
        missing = [i for i in ids if i not in texts]
        if missing:
            if rows is None:
                rows = _site_rows(session, None if len(missing) > _CHUNK else missing)
            wanted = set(missing)
            _site_texts(session, [r for r in rows if r[0] in wanted], zoom, exact, texts)
    return Layer("heritage-sites", [texts[i] for i in ids if i in texts], truncated)


def _presented(row: Any, exact: bool) -> tuple[float, float]:
    """A site's point as `wayhome.services.heritage` presents it to the actor."""
    return _presented_at(row.sensitive, row.lon, row.lat, exact)


def _presented_at(sensitive: bool, lon: float, lat: float, exact: bool) -> tuple[float, float]:
    if sensitive and not exact:
        return heritage.coarsen(lon, 180), heritage.coarsen(lat, 90)
    return lon, lat


def _site_texts(
    session: Any, rows: list[SiteRow], zoom: int | None, exact: bool, texts: dict
) -> None:
    """The features of these sites: what `_feature` writes, without a dict and three dumps."""
    unstored = [r[0] for r in rows if r[7] is None]
    ranked = heritage_latest.latest_of(session, unstored) if unstored else {}
    unknown = OverallCondition.UNKNOWN.value
    digits = digits_for_zoom(zoom)
    text = _json_string
    for site_id, reference, name, kind, sensitive, lat, lon, stored, condition in rows:
        if stored is None:
            condition = ranked[site_id][0] if site_id in ranked else unknown
        lon, lat = _presented_at(sensitive, lon, lat, exact)
        precision = "exact" if exact or not sensitive else "coarse"
        texts[site_id] = (
            f'{{"type":"Feature","id":{text(site_id)},"geometry":{_point_text(lon, lat, digits)},'
            f'"properties":{{"ref": {text(reference)}, "name": {text(name)}, '
            f'"type": {text(kind)}, "condition": {text(condition or unknown)}, '
            f'"precision": "{precision}"}}}}'
        )


# --- settlements -------------------------------------------------------------------------------


# Everything `wayhome.services.readiness` reads: a write to any of them may change a class.
_READINESS_INPUTS = (
    Place,
    HazardArea,
    SettlementCondition,
    HeritageSite,
    HeritageAssessment,
    Household,
)


def _readiness_fingerprint(session: Any) -> tuple:
    return fingerprint(
        session,
        _READINESS_INPUTS,
        (
            select(func.count()).select_from(RecordShare).scalar_subquery(),
            select(func.max(RecordShare.created_at)).scalar_subquery(),
            select(func.max(ReadinessConfig.version)).scalar_subquery(),
            select(func.max(ReadinessConfig.updated_at)).scalar_subquery(),
        ),
    )


def _readiness_properties(item: readiness.Summary) -> str:
    """The properties of a settlement as JSON text: what `_feature` writes for
    ``{"name", "score" (rounded to 0.1), "class", "ready", "blocking"}``, without a dict and a dump.
    """
    score = "null" if item.score is None else repr(round(item.score, 1))
    return (
        f'{{"name": {_json_string(item.place_name)}, "score": {score}, '
        f'"class": {_json_string(item.readiness_class)}, '
        f'"ready": {"true" if item.ready else "false"}, "blocking": {item.blocking}}}'
    )


def settlement_layer(
    wayhome: Wayhome,
    actor: Actor,
    *,
    bbox: Bbox | None = None,
    zoom: int | None = None,
    limit: int = MAX_FEATURES,
) -> Layer:
    """Settlements with their readiness score, class and whether they are ready for return.

    Scores come from the facts stored at write time (`wayhome.services.readiness_store`) and the
    demand counts of the households the actor may see, for settlements not yet cached for the
    actor's organisation since the data last changed: every settlement at once when many are
    missing (one read of the stored facts, one count of households), else by lists of ids.
    """
    require(actor, "place.view")
    require(actor, "readiness.view")
    p = Place
    with wayhome.read() as session:
        current = (wayhome.instance_id, *_readiness_fingerprint(session))
        shared = SETTLEMENT_TEXTS.view("index", current)
        index = shared.get("index")
        if index is None:
            rows = session.execute(
                select(p.id, p.lon, p.lat, p.lon, p.lat)
                .where(
                    p.type == PlaceType.SETTLEMENT.value,
                    p.deleted_at.is_(None),
                    p.lat.is_not(None),
                    p.lon.is_not(None),
                )
                .order_by(p.code)
            )
            index = BoxIndex.of(rows)  # row by row
            shared["position"] = index.position()  # before the index: other threads use both
            shared["index"] = index
    position = shared["position"]
    ids, truncated = index.within(_boxes(bbox), limit)
    scope = actor.organisation_id
    known = SETTLEMENT_PROPERTIES.view(scope, current)
    texts = SETTLEMENT_TEXTS.view((scope, zoom), current)
    missing = [i for i in ids if i not in known]
    if missing:
        wanted = None if len(missing) > _CHUNK else missing  # None: every settlement
        for item in readiness.settlement_summaries(wayhome, actor, wanted):
            known[item.place_id] = _readiness_properties(item)
    features = []
    digits = digits_for_zoom(zoom)
    for i in ids:
        text = texts.get(i)
        if text is None and i in known:  # one archived since the index was read is left out
            lon, lat = index.bounds[position[i], :2].tolist()
            text = texts[i] = (
                f'{{"type":"Feature","id":{_json_string(i)},'
                f'"geometry":{_point_text(lon, lat, digits)},"properties":{known[i]}}}'
            )
        if text is not None:
            features.append(text)
    return Layer("settlements", features, truncated)
