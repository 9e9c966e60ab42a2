"""The latest condition of each heritage site, kept when a site or an assessment is written.

The map colours ten thousand sites by the overall condition of each one's most recently observed
assessment; ranking every assessment for that on the first request after a write took most of
the layer's time. So `write_site` and `write_assessment` (`wayhome.services.heritage`, which the
API, the UI, the geodata import and the demo all go through) call `refresh` in their transaction,
and ``heritage_site_latest`` holds one row per site: the condition and observed date of its latest
assessment (observed, then assessed, then recorded, as `wayhome.services.heritage` orders them),
or None when it has none. `rebuild_in` recomputes every site (migration 0008, ``wayhome readiness
rebuild`` after rows were written outside the services); `latest_of` is the ranking both use, and
the map's answer for a site without a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite
from wayhome.store.tables_readiness import HeritageSiteLatest

__all__ = ["latest_of", "rebuild_in", "refresh"]

CHUNK = 2000
"""Site ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits."""


def _ranked(site_ids: Sequence[str] | None) -> Any:
    """Each site's assessments ranked, the most recently observed first."""
    a = HeritageAssessment
    query = select(
        a.site_id,
        a.overall_condition,
        a.observed_on,
        func.row_number()
        .over(
            partition_by=a.site_id,
            order_by=(
                a.observed_on.desc(),
                a.assessed_on.desc(),
                a.created_at.desc(),
                a.id.desc(),
            ),
        )
        .label("rank"),
    ).where(a.deleted_at.is_(None))
    if site_ids is not None:
        query = query.where(a.site_id.in_(list(site_ids)))
    return query.subquery()


def latest_of(session: Session, site_ids: Sequence[str] | None) -> dict[str, tuple[str, str]]:
    """(condition, observed date) of the latest assessment of these sites (None: all), by id.

    Asked per chunk of ids rather than joined to the sites: a join lets the planner pick a nested
    loop over the window (on PostgreSQL before statistics exist), one query per chunk does not.
    """
    found: dict[str, tuple[str, str]] = {}
    parts: Iterable[Sequence[str] | None] = (
        [None]
        if site_ids is None
        else (site_ids[start : start + CHUNK] for start in range(0, len(site_ids), CHUNK))
    )
    for part in parts:
        ranked = _ranked(part)
        rows = session.execute(
            select(ranked.c.site_id, ranked.c.overall_condition, ranked.c.observed_on).where(
                ranked.c.rank == 1
            )
        )
        found.update((site_id, (condition, observed)) for site_id, condition, observed in rows)
    return found


def _store(session: Session, site_ids: Sequence[str], latest: dict[str, tuple[str, str]]) -> None:
    rows = [
        {
            "site_id": site_id,
            "overall_condition": latest[site_id][0] if site_id in latest else None,
            "observed_on": latest[site_id][1] if site_id in latest else None,
        }
        for site_id in site_ids
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(HeritageSiteLatest), rows[start : start + 5000])


def refresh(session: Session, site_ids: Sequence[str]) -> None:
    """Recompute the latest condition of these sites in the caller's transaction."""
    ids = sorted(set(site_ids))
    if not ids:
        return
    session.flush()
    # on PostgreSQL a concurrent writer of the same sites waits here, then sees what it committed
    session.execute(
        select(HeritageSite.id)
        .where(HeritageSite.id.in_(ids))
        .order_by(HeritageSite.id)
        .with_for_update()
    )
    session.execute(delete(HeritageSiteLatest).where(HeritageSiteLatest.site_id.in_(ids)))
    _store(session, ids, latest_of(session, ids))


def rebuild_in(session: Session) -> int:
    """Recompute the latest condition of every site in the caller's transaction; how many."""
    session.execute(delete(HeritageSiteLatest))
    ids = list(session.scalars(select(HeritageSite.id).order_by(HeritageSite.id)))
    _store(session, ids, latest_of(session, None))
    return len(ids)
