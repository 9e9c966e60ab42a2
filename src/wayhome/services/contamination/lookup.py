"""Short descriptions of hazard areas, activities and accidents by id, for pages that show
references (a record's history keeps ids; people read references and names)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import can
from wayhome.store.tables_contamination import HazardArea, MineAccident, MineActionActivity


def _ids(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v})


def references(
    wayhome: Wayhome,
    actor: Actor,
    *,
    hazard_ids: Iterable[str | None] = (),
    activity_ids: Iterable[str | None] = (),
    accident_ids: Iterable[str | None] = (),
) -> dict[str, dict[str, Any]]:
    """Return {id: fields} for the hazard areas, activities and accidents the actor may see.

    Hazard areas give ``local_id`` and ``name``; activities ``activity_type``,
    ``organisation_name`` and ``start_date``; accidents ``accident_date`` (only for roles that
    may view accidents). Ids of records that are gone or hidden are left out.
    """
    found: dict[str, dict[str, Any]] = {}
    hazards, activities, accidents = _ids(hazard_ids), _ids(activity_ids), _ids(accident_ids)
    with wayhome.read() as session:
        if hazards and can(actor, "hazard.view"):
            for hazard in session.execute(
                select(HazardArea.id, HazardArea.local_id, HazardArea.name).where(
                    HazardArea.id.in_(hazards)
                )
            ):
                found[hazard.id] = {"local_id": hazard.local_id, "name": hazard.name}
        if activities and can(actor, "hazard.view"):
            for activity in session.execute(
                select(
                    MineActionActivity.id,
                    MineActionActivity.activity_type,
                    MineActionActivity.organisation_name,
                    MineActionActivity.start_date,
                ).where(MineActionActivity.id.in_(activities))
            ):
                found[activity.id] = {
                    "activity_type": activity.activity_type,
                    "organisation_name": activity.organisation_name,
                    "start_date": activity.start_date,
                }
        if accidents and can(actor, "accident.view"):
            for row in session.execute(
                select(MineAccident.id, MineAccident.accident_date).where(
                    MineAccident.id.in_(accidents)
                )
            ):
                found[row.id] = {"accident_date": row.accident_date}
    return found
