"""The cultural heritage register: sites, condition assessments, timelines, protected locations.

A site's exact location may be *sensitive* (a cemetery or a shrine at risk of looting or attack).
Every output of a site goes through one function, `present_site` (and `present_history` for its
history), which gives roles without ``heritage.exact_location`` only the centre of the 0.1°
grid cell the site lies in (about 10 km) and never its polygon. Lists, single sites, the GeoJSON
layer, history and `export_sites` all use it, so the API, the map and exports cannot show more.
Filters that could probe a location (the bounding box of the map) work on the presented,
coarsened points.

Sites are a register shared by every organisation, like the gazetteer: visibility is by role
only. Every write keeps a version (snapshot and diff) and an audit row.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

import shapely
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from wayhome.core.dates import PartialDate, parse_partial_date
from wayhome.core.errors import (
    Conflict,
    FieldError,
    InvalidValue,
    NotFound,
    ValidationFailed,
    invalid,
)
from wayhome.core.heritage import (
    CONDITION_RANK,
    ConditionChange,
    LocationPrecision,
    OverallCondition,
    condition_change,
    site_types_for,
)
from wayhome.core.messages import N_
from wayhome.core.scripts import detect_script, fold
from wayhome.geo import GeometryRejected, validate_polygon
from wayhome.names import matching_keys
from wayhome.services import audit, heritage_latest, readiness_store
from wayhome.services.context import Actor, Wayhome
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import can, require
from wayhome.store.collation import by_name
from wayhome.store.tables import Place
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite, HeritageSiteName
from wayhome.store.types import utcnow

ENTITY = "heritage_site"
ASSESSMENT_ENTITY = "heritage_assessment"
COARSE_GRID_DEGREES = 0.1
"""Size of the grid cell whose centre stands for a sensitive site (0.1° ≈ 11 km north–south)."""
LOCATION_FIELDS = ("lat", "lon", "polygon")


# --- locations: the one place where exact coordinates are withheld ----------------------------


def sees_exact_location(actor: Actor) -> bool:
    """Tell whether the actor's role may see the exact location of sensitive sites."""
    return can(actor, "heritage.exact_location")


def coarsen(value: float, limit: float) -> float:
    """Return the centre of the grid cell `value` lies in (kept within ±`limit`)."""
    cells = math.floor(value / COARSE_GRID_DEGREES)
    centre = round((cells + 0.5) * COARSE_GRID_DEGREES, 2)
    bound = limit - COARSE_GRID_DEGREES / 2
    return max(-bound, min(bound, centre))


def _withheld(site_sensitive: bool, actor: Actor) -> bool:
    return site_sensitive and not sees_exact_location(actor)


def location_of(site: HeritageSite, actor: Actor) -> dict[str, Any]:
    """Return the location of a site as the actor may see it: lat, lon, polygon, precision."""
    if site.lat is None or site.lon is None:
        return {
            "lat": None,
            "lon": None,
            "polygon": None,
            "location_precision": LocationPrecision.NONE.value,
        }
    if _withheld(site.sensitive, actor):
        return {
            "lat": coarsen(site.lat, 90),
            "lon": coarsen(site.lon, 180),
            "polygon": None,
            "location_precision": LocationPrecision.COARSE.value,
        }
    return {
        "lat": site.lat,
        "lon": site.lon,
        "polygon": json.loads(site.polygon) if site.polygon else None,
        "location_precision": LocationPrecision.EXACT.value,
    }


def present_site(
    site: HeritageSite, actor: Actor, latest: HeritageAssessment | None = None
) -> dict[str, Any]:
    """Return a site as the actor may see it; every output of a site is built here."""
    return {
        "id": site.id,
        "reference": site.reference,
        "type": site.type,
        "period": site.period,
        "community": site.community,
        "designation": site.designation,
        "place_id": site.place_id,
        "place_name": site.place.display_name if site.place is not None else None,
        **location_of(site, actor),
        "sensitive": site.sensitive,
        "display_name": site.display_name,
        "names": [{"name": n.name, "lang": n.lang, "script": n.script} for n in site.names],
        "notes": site.notes,
        "condition": latest.overall_condition if latest is not None else None,
        "last_observed_on": latest.observed_on if latest is not None else None,
        "origin_instance": site.origin_instance,
        "organisation_id": site.organisation_id,
        "source": site.source,
        "recorded_by_id": site.recorded_by_id,
        "recorded_at": site.recorded_at,
        "created_at": site.created_at,
        "updated_at": site.updated_at,
        "version": site.version,
        "deleted_at": site.deleted_at,
    }


def _coarsen_state(state: dict[str, Any]) -> dict[str, Any]:
    state = dict(state)
    if state.get("lat") is not None:
        state["lat"] = coarsen(state["lat"], 90)
    if state.get("lon") is not None:
        state["lon"] = coarsen(state["lon"], 180)
    state["polygon"] = None
    return state


def _coarsen_changes(changes: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, (old, new) in changes.items():
        if key in ("lat", "lon"):
            limit = 90 if key == "lat" else 180
            old = coarsen(old, limit) if old is not None else None
            new = coarsen(new, limit) if new is not None else None
        elif key == "polygon":
            old = new = None
        if key not in LOCATION_FIELDS or old != new:
            result[key] = [old, new]
    return result


def present_history(
    site: HeritageSite, actor: Actor, entries: list[audit.HistoryEntry]
) -> list[audit.HistoryEntry]:
    """Return a site's history as the actor may see it: locations coarsened as in `present_site`.

    A location is withheld in every version when the site is sensitive now or was in any version.
    """
    ever_sensitive = site.sensitive or any(e.snapshot.get("sensitive") for e in entries)
    if not _withheld(ever_sensitive, actor):
        return entries
    return [
        replace(e, snapshot=_coarsen_state(e.snapshot), changes=_coarsen_changes(e.changes))
        for e in entries
    ]


# --- sites -------------------------------------------------------------------------------------


def snapshot(site: HeritageSite) -> dict[str, Any]:
    """Return the state of a site as kept in its history."""
    return {
        "reference": site.reference,
        "type": site.type,
        "period": site.period,
        "community": site.community,
        "designation": site.designation,
        "place_id": site.place_id,
        "lat": site.lat,
        "lon": site.lon,
        "polygon": json.loads(site.polygon) if site.polygon else None,
        "sensitive": site.sensitive,
        "names": [{"name": n.name, "lang": n.lang, "script": n.script} for n in site.names],
        "notes": site.notes,
        "source": site.source,
        "deleted": site.deleted_at is not None,
    }


def new_reference() -> str:
    """Return a site reference unique across instances, e.g. ``HS-7F3A-91C2-0B4D``."""
    raw = os.urandom(6).hex().upper()
    return f"HS-{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def _pointer_loc(where: str | None) -> tuple[str | int, ...]:
    """Turn a JSON Pointer such as ``/coordinates/0/17`` into a field path below ``polygon``."""
    parts = [p for p in (where or "").split("/") if p]
    return ("polygon", *(int(p) if p.isdigit() else p for p in parts))


def _check_polygon(data: HeritageSiteInput) -> shapely.Geometry | None:
    if data.polygon is None:
        return None
    try:
        return validate_polygon(data.polygon)
    except GeometryRejected as rejected:
        raise ValidationFailed(
            [
                FieldError(
                    _pointer_loc(rejected.where),
                    N_("the polygon was rejected: %(reason)s"),
                    {"reason": rejected.reason},
                )
            ]
        ) from None


def _validate_site(
    session: Session, data: HeritageSiteInput, site: HeritageSite | None
) -> shapely.Geometry | None:
    errors: list[FieldError] = []
    if (data.lat is None) != (data.lon is None):
        missing = "lon" if data.lon is None else "lat"
        errors.append(FieldError((missing,), N_("give both latitude and longitude, or neither")))
    if data.reference is not None:
        taken = session.scalar(
            select(HeritageSite.id).where(HeritageSite.reference == data.reference)
        )
        if taken is not None and (site is None or taken != site.id):
            errors.append(
                FieldError(
                    ("reference",),
                    N_("the reference %(reference)s is already used"),
                    {"reference": data.reference},
                )
            )
    if data.place_id is not None:
        place = session.get(Place, data.place_id)
        if place is None or place.deleted_at is not None:
            errors.append(FieldError(("place_id",), N_("no such place")))
    if errors:
        raise ValidationFailed(errors)
    return _check_polygon(data)


def _search_text(reference: str, names: Iterable[str]) -> str:
    """Return what a site is found by: its reference, folded names, and Latin keys of each word."""
    parts = [reference.casefold()]
    keys: set[str] = set()
    for name in names:
        parts.append(fold(name))
        for word in name.split():
            keys.update(matching_keys(word))
    return " ".join([*parts, *sorted(keys)])


def _apply(site: HeritageSite, data: HeritageSiteInput, shape: shapely.Geometry | None) -> None:
    if data.reference is not None:
        site.reference = data.reference
    elif not site.reference:
        site.reference = new_reference()
    site.type = data.type.value
    site.period = data.period.value
    site.community = data.community
    site.designation = data.designation.value
    site.place_id = data.place_id
    site.lat, site.lon = data.lat, data.lon
    site.polygon = None
    if shape is not None:
        site.polygon = json.dumps(shapely.geometry.mapping(shape))
        if site.lat is None:  # a point inside the polygon stands for it on the map
            point = shape.representative_point()
            site.lat, site.lon = round(point.y, 7), round(point.x, 7)
    site.sensitive = data.sensitive
    site.notes = data.notes
    site.source = data.source
    site.names = [
        HeritageSiteName(
            position=i, name=n.name, lang=n.lang, script=detect_script(n.name), folded=fold(n.name)
        )
        for i, n in enumerate(data.names)
    ]
    site.display_name = data.names[0].name
    site.search_text = _search_text(site.reference, (n.name for n in data.names))


def write_site(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    data: HeritageSiteInput,
    site: HeritageSite | None = None,
) -> HeritageSite:
    """Create or update a site inside the caller's transaction (API, forms, imports)."""
    shape = _validate_site(session, data, site)
    before = snapshot(site) if site is not None else None
    if site is None:
        site = HeritageSite(
            origin_instance=wayhome.instance_id,
            organisation_id=actor.organisation_id,
            recorded_by_id=actor.user_id,
            reference="",
        )
        session.add(site)
        action = "create"
    else:
        if data.version is not None and data.version != site.version:
            raise Conflict(
                N_(
                    "this record was changed by someone else (now version %(version)d); "
                    "reload it and make your change again"
                ),
                {"version": site.version},
            )
        site.version += 1
        site.updated_at = utcnow()
        action = "update"
    _apply(site, data, shape)
    session.flush()
    readiness_store.places_changed(session, [before["place_id"] if before else None, site.place_id])
    heritage_latest.refresh(session, [site.id])  # the map's condition of the site
    session.expire(site, ["place"])  # reload the place when place_id changed
    audit.record_version(
        session, wayhome, actor, ENTITY, site.id, site.version, action, snapshot(site), before
    )
    return site


def _load(session: Session, site_id: str) -> HeritageSite:
    site = session.get(HeritageSite, site_id)
    if site is None or site.deleted_at is not None:
        raise NotFound(N_("no such heritage site"))
    return site


def create_site(wayhome: Wayhome, actor: Actor, data: HeritageSiteInput) -> dict[str, Any]:
    """Record a heritage site; return it as the actor may see it."""
    require(actor, "heritage.edit")
    with wayhome.transaction() as session:
        site = write_site(session, wayhome, actor, data)
        return present_site(site, actor, _latest(session, [site.id]).get(site.id))


def update_site(
    wayhome: Wayhome, actor: Actor, site_id: str, data: HeritageSiteInput
) -> dict[str, Any]:
    """Change a site; its previous state stays in the history."""
    require(actor, "heritage.edit")
    with wayhome.transaction() as session:
        site = write_site(session, wayhome, actor, data, _load(session, site_id))
        return present_site(site, actor, _latest(session, [site.id]).get(site.id))


def get_site(wayhome: Wayhome, actor: Actor, site_id: str) -> dict[str, Any]:
    """Return one site as the actor may see it; seeing a protected exact location is audited."""
    require(actor, "heritage.view")
    with wayhome.transaction() as session:
        site = _load(session, site_id)
        if site.sensitive and sees_exact_location(actor):
            audit.log(session, actor, "view", ENTITY, site.id, {"exact_location": True})
        return present_site(site, actor, _latest(session, [site.id]).get(site.id))


def site_history(wayhome: Wayhome, actor: Actor, site_id: str) -> list[audit.HistoryEntry]:
    """Return every version of a site, newest first, locations as the actor may see them."""
    require(actor, "history.view")
    with wayhome.read() as session:
        site = _load(session, site_id)
        return present_history(site, actor, audit.history(session, ENTITY, site_id))


# --- finding sites -----------------------------------------------------------------------------


def _order() -> tuple[Any, ...]:
    """Chronological order of assessments: observed, then assessed, then recorded.

    Partial dates are stored as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, so their text order is
    `PartialDate`'s order: a year before the months within it.
    """
    a = HeritageAssessment
    return (a.observed_on, a.assessed_on, a.created_at, a.id)


def _latest_condition() -> Any:
    """Correlated subquery: the overall condition of a site's most recently observed assessment."""
    return (
        select(HeritageAssessment.overall_condition)
        .where(
            HeritageAssessment.site_id == HeritageSite.id,
            HeritageAssessment.deleted_at.is_(None),
        )
        .order_by(*(column.desc() for column in _order()))
        .limit(1)
        .correlate(HeritageSite)
        .scalar_subquery()
    )


def _latest(session: Session, site_ids: list[str]) -> dict[str, HeritageAssessment]:
    """Return the most recently observed assessment of each site that has one."""
    if not site_ids:
        return {}
    rows = session.scalars(
        select(HeritageAssessment)
        .where(HeritageAssessment.site_id.in_(site_ids), HeritageAssessment.deleted_at.is_(None))
        .order_by(*_order())
    )
    return {a.site_id: a for a in rows}  # the last one of each site wins


def _name_matches(q: str) -> ColumnElement[bool]:
    """Every word of q, folded or as a Latin key (any script), is in a site's search text."""
    conditions = []
    for word in q.split():
        alternatives = {fold(word), *matching_keys(word)} - {""}
        if alternatives:
            conditions.append(
                or_(*(HeritageSite.search_text.contains(a, autoescape=True) for a in alternatives))
            )
    return and_(*conditions) if conditions else HeritageSite.id.is_not(None)


def _site_query(
    *,
    q: str | None = None,
    type: str | None = None,
    condition: str | None = None,
    place_id: str | None = None,
    period: str | None = None,
    designation: str | None = None,
    community: str | None = None,
    lang: str | None = None,
) -> Select[Any]:
    query = select(HeritageSite).where(HeritageSite.deleted_at.is_(None))
    if q and q.strip():
        query = query.where(_name_matches(q))
    if type:
        try:
            types = site_types_for(type)
        except ValueError:
            raise invalid(("query", "type"), N_("no such site type")) from None
        query = query.where(HeritageSite.type.in_([t.value for t in types]))
    if condition:
        try:
            wanted = OverallCondition(condition)
        except ValueError:
            raise invalid(("query", "condition"), N_("no such condition")) from None
        latest = _latest_condition()
        if wanted == OverallCondition.UNKNOWN:  # never assessed counts as unknown
            query = query.where(or_(latest == wanted.value, latest.is_(None)))
        else:
            query = query.where(latest == wanted.value)
    if place_id:
        query = query.where(HeritageSite.place_id == place_id)
    if period:
        query = query.where(HeritageSite.period == period)
    if designation:
        query = query.where(HeritageSite.designation == designation)
    if community and community.strip():
        query = query.where(HeritageSite.community.icontains(community.strip(), autoescape=True))
    return query.order_by(by_name(HeritageSite.display_name, lang), HeritageSite.reference)


def search_sites(
    wayhome: Wayhome,
    actor: Actor,
    *,
    q: str | None = None,
    type: str | None = None,
    condition: str | None = None,
    place_id: str | None = None,
    period: str | None = None,
    designation: str | None = None,
    community: str | None = None,
    page: int = 1,
    per_page: int = 25,
    lang: str | None = None,
) -> Page[dict[str, Any]]:
    """Find sites by a name in any script (or its reference), type or group, current condition,
    place, period, designation or community; each as the actor may see it (sorted by name in
    the order of the language ``lang`` when given)."""
    require(actor, "heritage.view")
    query = _site_query(
        q=q,
        type=type,
        condition=condition,
        place_id=place_id,
        period=period,
        designation=designation,
        community=community,
        lang=lang,
    )
    with wayhome.read() as session:
        found = paginate(session, query, page, per_page)
        latest = _latest(session, [s.id for s in found.items])
        items = [present_site(s, actor, latest.get(s.id)) for s in found.items]
    return Page(items, found.total, found.page, found.per_page)


def export_sites(wayhome: Wayhome, actor: Actor, **filters: Any) -> list[dict[str, Any]]:
    """Return every site matching the filters of `search_sites`, as the actor may see it."""
    require(actor, "heritage.view")
    with wayhome.read() as session:
        sites = list(session.scalars(_site_query(**filters)))
        latest = _latest(session, [s.id for s in sites])
        return [present_site(s, actor, latest.get(s.id)) for s in sites]


def map_features(
    wayhome: Wayhome,
    actor: Actor,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    type: str | None = None,
    condition: str | None = None,
    q: str | None = None,
    limit: int = 5000,
) -> dict[str, Any]:
    """Return sites with a location as a GeoJSON FeatureCollection, as the actor may see them.

    The bounding box is applied to the presented (possibly coarsened) points, so that narrowing it
    cannot reveal where a protected site lies within its grid cell.
    """
    features: list[dict[str, Any]] = []
    for site in export_sites(wayhome, actor, q=q, type=type, condition=condition):
        if site["lat"] is None:
            continue
        if bbox is not None:
            west, south, east, north = bbox
            if not (west <= site["lon"] <= east and south <= site["lat"] <= north):
                continue
        geometry = site["polygon"] or {"type": "Point", "coordinates": [site["lon"], site["lat"]]}
        features.append(
            {
                "type": "Feature",
                "id": site["id"],
                "geometry": geometry,
                "properties": {
                    "reference": site["reference"],
                    "name": site["display_name"],
                    "type": site["type"],
                    "condition": site["condition"],
                    "sensitive": site["sensitive"],
                    "location_precision": site["location_precision"],
                },
            }
        )
        if len(features) >= limit:
            break
    return {"type": "FeatureCollection", "features": features}


# --- assessments -------------------------------------------------------------------------------


def assessment_snapshot(assessment: HeritageAssessment) -> dict[str, Any]:
    """Return the state of an assessment as kept in its history."""
    return {
        "site_id": assessment.site_id,
        "observed_on": assessment.observed_on,
        "assessed_on": assessment.assessed_on,
        "method": assessment.method,
        "overall_condition": assessment.overall_condition,
        "damage_extent": assessment.damage_extent,
        "disturbances": list(assessment.disturbances or []),
        "recommendation": assessment.recommendation,
        "priority": assessment.priority,
        "assessor": assessment.assessor,
        "notes": assessment.notes,
        "source": assessment.source,
        "deleted": assessment.deleted_at is not None,
    }


def present_assessment(assessment: HeritageAssessment) -> dict[str, Any]:
    """Return an assessment for output (it carries no location)."""
    return {
        "id": assessment.id,
        "site_id": assessment.site_id,
        "observed_on": assessment.observed_on,
        "observed_on_precision": assessment.observed_on_precision,
        "assessed_on": assessment.assessed_on,
        "assessed_on_precision": assessment.assessed_on_precision,
        "method": assessment.method,
        "overall_condition": assessment.overall_condition,
        "damage_extent": assessment.damage_extent,
        "disturbances": list(assessment.disturbances or []),
        "recommendation": assessment.recommendation,
        "priority": assessment.priority,
        "assessor": assessment.assessor,
        "notes": assessment.notes,
        "origin_instance": assessment.origin_instance,
        "organisation_id": assessment.organisation_id,
        "source": assessment.source,
        "recorded_by_id": assessment.recorded_by_id,
        "recorded_at": assessment.recorded_at,
        "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
        "version": assessment.version,
        "deleted_at": assessment.deleted_at,
    }


def _date(
    errors: list[FieldError], name: str, value: str | None, today: date
) -> PartialDate | None:
    try:
        return parse_partial_date(value, today=today)
    except InvalidValue as error:
        errors.append(FieldError((name,), error.template, error.params))
        return None


def _validate_assessment(data: HeritageAssessmentInput, today: date) -> None:
    errors: list[FieldError] = []
    observed = _date(errors, "observed_on", data.observed_on, today)
    assessed = _date(errors, "assessed_on", data.assessed_on or today.isoformat(), today)
    if observed is not None and observed.earliest() is None:
        errors.append(FieldError(("observed_on",), N_("is required")))
    first = observed.earliest() if observed is not None else None
    last = assessed.latest() if assessed is not None else None
    if first and last and last < first and observed is not None:
        errors.append(
            FieldError(
                ("assessed_on",),
                N_("the assessment cannot be before what it assesses (observed %(observed_on)s)"),
                {"observed_on": observed.iso()},
            )
        )
    seen: set[str] = set()
    for i, disturbance in enumerate(data.disturbances):
        if disturbance.cause.value in seen:
            errors.append(
                FieldError(("disturbances", i, "cause"), N_("this cause is listed twice"))
            )
        seen.add(disturbance.cause.value)
    if data.overall_condition == OverallCondition.DESTROYED and data.damage_extent.value == "0":
        errors.append(
            FieldError(("damage_extent",), N_("a destroyed site cannot be without damage"))
        )
    if errors:
        raise ValidationFailed(errors)


def write_assessment(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    site: HeritageSite,
    data: HeritageAssessmentInput,
    *,
    today: date | None = None,
) -> HeritageAssessment:
    """Add an assessment to a site inside the caller's transaction."""
    today = today or date.today()
    _validate_assessment(data, today)
    observed = parse_partial_date(data.observed_on, today=today)
    assessed = parse_partial_date(data.assessed_on or today.isoformat(), today=today)
    assessment = HeritageAssessment(
        origin_instance=wayhome.instance_id,
        organisation_id=actor.organisation_id,
        recorded_by_id=actor.user_id,
        site_id=site.id,
        observed_on=observed.iso(),
        observed_on_precision=observed.precision.value,
        assessed_on=assessed.iso(),
        assessed_on_precision=assessed.precision.value,
        method=data.method.value,
        overall_condition=data.overall_condition.value,
        damage_extent=data.damage_extent.value,
        disturbances=[
            {"cause": d.cause.value, "certainty": d.certainty.value} for d in data.disturbances
        ],
        recommendation=data.recommendation.value if data.recommendation else None,
        priority=data.priority.value if data.priority else None,
        assessor=data.assessor,
        notes=data.notes,
        source=data.source,
    )
    session.add(assessment)
    session.flush()
    readiness_store.places_changed(session, [site.place_id])  # its heritage indicator
    heritage_latest.refresh(session, [site.id])  # the map's condition of the site
    audit.record_version(
        session,
        wayhome,
        actor,
        ASSESSMENT_ENTITY,
        assessment.id,
        assessment.version,
        "create",
        assessment_snapshot(assessment),
        None,
    )
    return assessment


def add_assessment(
    wayhome: Wayhome, actor: Actor, site_id: str, data: HeritageAssessmentInput
) -> dict[str, Any]:
    """Record a condition assessment of a site."""
    require(actor, "heritage.assess")
    with wayhome.transaction() as session:
        site = _load(session, site_id)
        return present_assessment(write_assessment(session, wayhome, actor, site, data))


def _assessments(session: Session, site_id: str) -> list[HeritageAssessment]:
    return list(
        session.scalars(
            select(HeritageAssessment)
            .where(HeritageAssessment.site_id == site_id, HeritageAssessment.deleted_at.is_(None))
            .order_by(*_order())
        )
    )


def list_assessments(wayhome: Wayhome, actor: Actor, site_id: str) -> list[dict[str, Any]]:
    """Return a site's assessments, oldest observation first."""
    require(actor, "heritage.view")
    with wayhome.read() as session:
        _load(session, site_id)
        return [present_assessment(a) for a in _assessments(session, site_id)]


def timeline(wayhome: Wayhome, actor: Actor, site_id: str) -> dict[str, Any]:
    """Return a site's assessments in order of observation, each with the change since the
    previous known condition, and the trend from the first known condition to the last."""
    require(actor, "heritage.view")
    with wayhome.read() as session:
        site = _load(session, site_id)
        assessments = _assessments(session, site_id)
    entries: list[dict[str, Any]] = []
    known: list[OverallCondition] = []
    for assessment in assessments:
        condition = OverallCondition(assessment.overall_condition)
        change = (
            condition_change(known[-1], condition) if known else ConditionChange.UNKNOWN
        ).value
        entries.append({**present_assessment(assessment), "change": change})
        if condition in CONDITION_RANK:
            known.append(condition)
    trend = condition_change(known[0], known[-1]) if len(known) >= 2 else ConditionChange.UNKNOWN
    return {
        "site_id": site.id,
        "reference": site.reference,
        "display_name": site.display_name,
        "trend": trend.value,
        "first_condition": known[0].value if known else None,
        "latest_condition": assessments[-1].overall_condition if assessments else None,
        "entries": entries,
    }
