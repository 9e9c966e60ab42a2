"""The gazetteer: places with names in several scripts, P-codes, an admin hierarchy and a point."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_, Term, Terms
from wayhome.core.scripts import detect_script, fold
from wayhome.core.vocab import PARENT_TYPES, PlaceType
from wayhome.services import audit, readiness_store
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import PlaceInput
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import require
from wayhome.store.collation import by_name
from wayhome.store.tables import Place, PlaceName
from wayhome.store.types import utcnow

ENTITY = "place"


def snapshot(place: Place) -> dict[str, Any]:
    """Return the state of a place as kept in its history."""
    return {
        "code": place.code,
        "type": place.type,
        "parent_id": place.parent_id,
        "lat": place.lat,
        "lon": place.lon,
        "population": place.population,
        "names": [{"name": n.name, "lang": n.lang, "script": n.script} for n in place.names],
        "source": place.source,
        "deleted": place.deleted_at is not None,
    }


def _check_parent(session: Session, data: PlaceInput, place_id: str | None) -> None:
    if data.parent_id is None:
        if PARENT_TYPES[data.type]:
            raise ValidationFailed(
                [
                    FieldError(
                        ("parent_id",),
                        N_("a %(type)s needs a parent"),
                        {"type": Term(data.type.value)},
                    )
                ]
            )
        return
    parent = session.get(Place, data.parent_id)
    if parent is None or parent.deleted_at is not None:
        raise ValidationFailed([FieldError(("parent_id",), N_("no such place"))])
    allowed = PARENT_TYPES[data.type]
    if PlaceType(parent.type) not in allowed:
        params = {"type": Term(data.type.value), "types": Terms(t.value for t in allowed)}
        template = (
            N_("a %(type)s can only lie in: %(types)s")
            if allowed
            else N_("a %(type)s can only lie in: nothing")
        )
        raise ValidationFailed([FieldError(("parent_id",), template, params)])
    ancestor: Place | None = parent
    while ancestor is not None:  # refuse cycles when a place is moved under its own descendant
        if ancestor.id == place_id:
            raise ValidationFailed(
                [FieldError(("parent_id",), N_("a place cannot lie inside itself"))]
            )
        ancestor = session.get(Place, ancestor.parent_id) if ancestor.parent_id else None


def _apply(place: Place, data: PlaceInput) -> None:
    place.code = data.code
    place.type = data.type.value
    place.parent_id = data.parent_id
    place.lat, place.lon = data.lat, data.lon
    place.population = data.population
    place.source = data.source
    place.names = [
        PlaceName(
            position=i, name=n.name, lang=n.lang, script=detect_script(n.name), folded=fold(n.name)
        )
        for i, n in enumerate(data.names)
    ]
    place.display_name = data.names[0].name
    place.search_text = " ".join([data.code.casefold(), *(fold(n.name) for n in data.names)])


def write_place(
    session: Session, wayhome: Wayhome, actor: Actor, data: PlaceInput, place: Place | None = None
) -> Place:
    """Create or update a place inside the caller's transaction (used by forms, API and imports)."""
    if (data.lat is None) != (data.lon is None):
        missing = "lon" if data.lon is None else "lat"
        raise ValidationFailed(
            [FieldError((missing,), N_("give both latitude and longitude, or neither"))]
        )
    taken = session.scalar(select(Place.id).where(Place.code == data.code))
    if taken is not None and (place is None or taken != place.id):
        raise ValidationFailed(
            [FieldError(("code",), N_("the code %(code)s is already used"), {"code": data.code})]
        )
    _check_parent(session, data, place.id if place else None)
    before = snapshot(place) if place is not None else None
    if place is None:
        place = Place(
            origin_instance=wayhome.instance_id,
            organisation_id=actor.organisation_id,
            recorded_by_id=actor.user_id,
        )
        session.add(place)
        action = "create"
    else:
        if data.version is not None and data.version != place.version:
            raise Conflict(
                N_(
                    "this place was changed by someone else (version %(version)d); "
                    "reload and edit again"
                ),
                {"version": place.version},
            )
        place.version += 1
        place.updated_at = utcnow()
        action = "update"
    _apply(place, data)
    session.flush()
    readiness_store.places_changed(session, [place.id])  # location or type: its readiness
    audit.record_version(
        session, wayhome, actor, ENTITY, place.id, place.version, action, snapshot(place), before
    )
    return place


def create_place(wayhome: Wayhome, actor: Actor, data: PlaceInput) -> Place:
    """Add a place to the gazetteer."""
    require(actor, "place.create")
    with wayhome.transaction() as session:
        return write_place(session, wayhome, actor, data)


def update_place(wayhome: Wayhome, actor: Actor, place_id: str, data: PlaceInput) -> Place:
    """Change a place; its previous state stays in the history."""
    require(actor, "place.edit")
    with wayhome.transaction() as session:
        place = session.get(Place, place_id)
        if place is None:
            raise NotFound(N_("no such place"))
        return write_place(session, wayhome, actor, data, place)


def get_place(wayhome: Wayhome, actor: Actor, place_id: str) -> Place:
    """Return one place (every role may read the gazetteer)."""
    require(actor, "place.view")
    with wayhome.read() as session:
        place = session.get(Place, place_id)
        if place is None:
            raise NotFound(N_("no such place"))
        return place


def place_history(wayhome: Wayhome, actor: Actor, place_id: str) -> list[audit.HistoryEntry]:
    """Return every version of a place, newest first."""
    require(actor, "history.view")
    get_place(wayhome, actor, place_id)
    with wayhome.read() as session:
        return audit.history(session, ENTITY, place_id)


def get_place_by_code(wayhome: Wayhome, code: str) -> Place | None:
    """Return the place with this P-code, or None."""
    with wayhome.read() as session:
        return session.scalar(select(Place).where(Place.code == code.upper()))


def search_places(
    wayhome: Wayhome,
    actor: Actor,
    *,
    q: str | None = None,
    type: str | None = None,
    parent_id: str | None = None,
    page: int = 1,
    per_page: int = 25,
    lang: str | None = None,
) -> Page[Place]:
    """Find places by any of their names (any script, accents ignored) or code, type and parent
    (sorted by name in the order of the language ``lang`` when given)."""
    require(actor, "place.view")
    query = select(Place).where(Place.deleted_at.is_(None))
    if q and q.strip():
        for term in fold(q).split():
            query = query.where(Place.search_text.contains(term, autoescape=True))
    if type:
        query = query.where(Place.type == type)
    if parent_id:
        query = query.where(Place.parent_id == parent_id)
    query = query.order_by(by_name(Place.display_name, lang), Place.code)
    with wayhome.read() as session:
        return paginate(session, query, page, per_page)


def children(wayhome: Wayhome, place_id: str, limit: int = 200) -> list[Place]:
    """Return the places directly under a place."""
    with wayhome.read() as session:
        return list(
            session.scalars(
                select(Place)
                .where(Place.parent_id == place_id, Place.deleted_at.is_(None))
                .order_by(Place.display_name)
                .limit(limit)
            )
        )


def ancestors(wayhome: Wayhome, place: Place) -> list[Place]:
    """Return a place's parents from the top of the hierarchy down."""
    chain: list[Place] = []
    with wayhome.read() as session:
        current = session.get(Place, place.parent_id) if place.parent_id else None
        while current is not None and len(chain) < 20:
            chain.append(current)
            current = session.get(Place, current.parent_id) if current.parent_id else None
    return list(reversed(chain))


def map_features(
    wayhome: Wayhome,
    actor: Actor,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    types: list[str] | None = None,
    q: str | None = None,
    limit: int = 5000,
) -> dict[str, Any]:
    """Return places with a location as a GeoJSON FeatureCollection for the map."""
    require(actor, "place.view")
    query = select(
        Place.id, Place.code, Place.type, Place.display_name, Place.lat, Place.lon
    ).where(Place.deleted_at.is_(None), Place.lat.is_not(None))
    if bbox:
        west, south, east, north = bbox
        query = query.where(Place.lon.between(west, east), Place.lat.between(south, north))
    if types:
        query = query.where(Place.type.in_(types))
    if q and q.strip():
        for term in fold(q).split():
            query = query.where(Place.search_text.contains(term, autoescape=True))
    with wayhome.read() as session:
        rows = session.execute(query.order_by(Place.code).limit(limit)).all()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": r.id,
                "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                "properties": {"code": r.code, "type": r.type, "name": r.display_name},
            }
            for r in rows
        ],
    }


def place_choices(wayhome: Wayhome, q: str, limit: int = 15) -> list[Place]:
    """Return places whose names match q, for pickers in forms."""
    query = select(Place).where(Place.deleted_at.is_(None))
    for term in fold(q).split():
        query = query.where(or_(Place.search_text.contains(term, autoescape=True)))
    with wayhome.read() as session:
        return list(session.scalars(query.order_by(Place.type, Place.display_name).limit(limit)))
