"""Keeping the stored readiness facts right: refreshed in the transaction that changes an input.

The services that change what `wayhome.services.readiness_facts` reads say so with one call:

- `places_changed` — a settlement's observation, a heritage site or assessment (its place, and
  the place it had before), the place itself (location, type);
- `hazards_changed` — a hazard area created, edited or closed: the settlements it blocked
  before (``settlement_blocking_hazards``) and those within the buffer of its extent now;
- `settings_changed` — the readiness configuration: every settlement when the buffer changed.

They only note what changed, in the session; just before the transaction commits (SQLAlchemy's
``before_commit``) the facts of every noted settlement are recomputed set-wise, once. So a bulk
path that writes thousands of records through the ``write_*`` functions in one transaction (the
demo, the geodata and gazetteer imports) refreshes once, not per row, and above
`REBUILD_ABOVE` settlements it rebuilds the whole table. On PostgreSQL the refresh first takes a
transaction-level advisory lock, so two transactions never compute from each other's
uncommitted state (SQLite allows one writer at a time anyway). `rebuild` (``wayhome readiness
rebuild``) recomputes everything, e.g. after rows were written outside the services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, event, insert, or_, select, text
from sqlalchemy.orm import Session

from wayhome.core.vocab import PlaceType
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require
from wayhome.store.tables import Place
from wayhome.store.tables_contamination import HazardArea
from wayhome.store.tables_readiness import SettlementBlockingHazard, SettlementReadinessFacts

__all__ = ["hazards_changed", "places_changed", "rebuild", "rebuild_in", "settings_changed"]

SQL_BOXES = 50
"""Up to this many changed hazard areas, the settlements near them are found in SQL; more are
matched in memory against every settlement's point."""
REBUILD_ABOVE = 2000
"""Above this many settlements to refresh, the whole table is rebuilt (no long id lists)."""
LOCK_KEY = 0x77617968  # "wayh": the advisory lock serialising refreshes on PostgreSQL
_PENDING = "wayhome.readiness.pending"
_LISTENING = "wayhome.readiness.listening"


@dataclass
class _Pending:
    places: set[str] = field(default_factory=set)
    hazards: set[str] = field(default_factory=set)
    everything: bool = False


def _pending(session: Session) -> _Pending:
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = _Pending()
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "before_commit", _before_commit)
        event.listen(session, "after_rollback", _forget)
    return pending


def places_changed(session: Session, place_ids: Iterable[str | None]) -> None:
    """Note that the readiness inputs of these places changed (None ids are ignored)."""
    _pending(session).places.update(i for i in place_ids if i)


def hazards_changed(session: Session, hazard_ids: Iterable[str]) -> None:
    """Note that these hazard areas changed (geometry, status, name or reference)."""
    _pending(session).hazards.update(hazard_ids)


def settings_changed(session: Session, buffer_before: float, buffer_after: float) -> None:
    """Note a configuration change: every settlement is refreshed when the buffer changed."""
    if buffer_before != buffer_after:
        _pending(session).everything = True


def _forget(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction refreshes once
    pending = session.info.pop(_PENDING, None)
    if pending is None or not (pending.places or pending.hazards or pending.everything):
        return
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    buffer_m = _buffer(session)
    if pending.everything:
        rebuild_in(session)
        return
    wanted = set(pending.places) | _near_hazards(session, pending.hazards, buffer_m)
    if len(wanted) > REBUILD_ABOVE:
        rebuild_in(session)
    else:
        _refresh(session, sorted(wanted), buffer_m)


def _buffer(session: Session) -> float:
    from wayhome.services.readiness_config import read_settings

    return read_settings(session)[0].buffer_m


def _near_hazards(session: Session, hazard_ids: set[str], buffer_m: float) -> set[str]:
    """Settlements these hazard areas blocked before, and those within the buffer of them now."""
    if not hazard_ids:
        return set()
    from wayhome.services.readiness_facts import HAZARD_CHUNK, query_box

    b, h, p = SettlementBlockingHazard, HazardArea, Place
    ids = sorted(hazard_ids)
    found: set[str] = set()
    boxes: list[tuple[float, float, float, float]] = []
    for start in range(0, len(ids), HAZARD_CHUNK):
        part = ids[start : start + HAZARD_CHUNK]
        found.update(session.scalars(select(b.place_id).where(b.hazard_area_id.in_(part))))
        boxes.extend(
            tuple(row)  # type: ignore[misc]
            for row in session.execute(
                select(h.min_lon, h.min_lat, h.max_lon, h.max_lat).where(
                    h.id.in_(part), h.deleted_at.is_(None)
                )
            )
        )
    if not boxes:
        return found
    if len(boxes) <= SQL_BOXES:
        near = _near_boxes_sql(boxes, buffer_m)
        if near is not None:
            found.update(session.scalars(select(p.id).where(*_located_settlement(), near)))
            return found
    settlements = session.execute(select(p.id, p.lon, p.lat).where(*_located_settlement())).all()
    if not settlements:
        return found
    lon = np.array([s.lon for s in settlements], dtype=np.float64)
    lat = np.array([s.lat for s in settlements], dtype=np.float64)
    # each settlement's buffer as a box, as the assessment's candidate search draws it
    dlon, dlat = query_box(lon, lat, np.full(len(lon), buffer_m))
    near = np.zeros(len(settlements), dtype=bool)
    for west, south, east, north in boxes:
        near |= (
            (lon - dlon <= east)
            & (lon + dlon >= west)
            & (lat - dlat <= north)
            & (lat + dlat >= south)
        )
    # near ±180° the boxes above do not wrap: such settlements are always refreshed
    near |= (lon - dlon < -180) | (lon + dlon > 180)
    found.update(settlements[i].id for i in np.flatnonzero(near).tolist())
    return found


def _located_settlement() -> tuple[Any, ...]:
    p = Place
    return (
        p.type == PlaceType.SETTLEMENT.value,
        p.deleted_at.is_(None),
        p.lat.is_not(None),
        p.lon.is_not(None),
    )


def _near_boxes_sql(boxes: list[tuple[float, float, float, float]], buffer_m: float) -> Any:
    """SQL: settlements whose point lies within the buffer of any of these boxes, or a few more.

    Each box grows by the buffer in degrees of latitude, and in degrees of longitude as wide as
    at the poleward edge of the grown box (wider than any settlement there needs: a settlement
    refreshed for nothing costs little, one missed would be wrong). None near ±180°.
    """
    from wayhome.services.readiness_facts import query_box

    radius = np.array([buffer_m])
    near = []
    for west, south, east, north in boxes:
        _, dlat = query_box(np.array([0.0]), np.array([0.0]), radius)
        poleward = min(max(abs(south), abs(north)) + float(dlat[0]), 90.0)
        dlon, _ = query_box(np.array([0.0]), np.array([poleward]), radius)
        grown_west, grown_east = west - float(dlon[0]), east + float(dlon[0])
        if grown_west < -180 or grown_east > 180:
            return None
        near.append(
            and_(
                Place.lon.between(grown_west, grown_east),
                Place.lat.between(south - float(dlat[0]), north + float(dlat[0])),
            )
        )
    return or_(*near)


def _settlements(place_ids: list[str] | None) -> Any:
    query = select(Place.id).where(
        Place.type == PlaceType.SETTLEMENT.value, Place.deleted_at.is_(None)
    )
    return query if place_ids is None else query.where(Place.id.in_(place_ids))


def _refresh(session: Session, place_ids: list[str] | None, buffer_m: float) -> int:
    """Recompute and store the facts of these places (None: every settlement); return how many."""
    from wayhome.services.readiness_facts import compute_facts, stored_rows

    r, b = SettlementReadinessFacts, SettlementBlockingHazard
    if place_ids is None:
        session.execute(delete(b))
        session.execute(delete(r))
    elif place_ids:
        session.execute(delete(b).where(b.place_id.in_(place_ids)))
        session.execute(delete(r).where(r.place_id.in_(place_ids)))
    else:
        return 0
    chosen = _settlements(place_ids)
    places = session.execute(
        select(Place.id, Place.lat, Place.lon).where(Place.id.in_(chosen)).order_by(Place.id)
    ).all()
    rows, blocking = stored_rows(compute_facts(session, places, chosen, buffer_m), buffer_m)
    for start in range(0, len(rows), 5000):
        session.execute(insert(r), rows[start : start + 5000])
    for start in range(0, len(blocking), 5000):
        session.execute(insert(b), blocking[start : start + 5000])
    return len(rows)


def rebuild_in(session: Session) -> int:
    """Recompute the facts of every settlement in the caller's transaction; return how many."""
    return _refresh(session, None, _buffer(session))


def rebuild(wayhome: Wayhome, actor: Actor) -> tuple[int, int]:
    """Recompute what is kept for the map and readiness: the latest condition of every heritage
    site, then the facts of every settlement; return how many of each (administrators)."""
    from wayhome.services import heritage_latest

    require(actor, "readiness.configure")
    with wayhome.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        sites = heritage_latest.rebuild_in(session)
        return sites, rebuild_in(session)
