"""Mine action activities (surveys, clearance) carried out on a hazard area."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayhome.core.errors import FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.services import audit
from wayhome.services.contamination.common import ACTIVITY, _bump, _dates_in_order, _new
from wayhome.services.contamination.hazards import _load_hazard
from wayhome.services.contamination_inputs import ActivityInput
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent, MineActionActivity


def activity_snapshot(activity: MineActionActivity) -> dict[str, Any]:
    """Return the state of an activity as kept in its history."""
    return {
        "hazard_area_id": activity.hazard_area_id,
        "activity_type": activity.activity_type,
        "organisation_name": activity.organisation_name,
        "method": activity.method,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "status": activity.status,
        "notes": activity.notes,
        "source": activity.source,
        "deleted": activity.deleted_at is not None,
    }


def write_activity(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    hazard: HazardArea,
    data: ActivityInput,
    activity: MineActionActivity | None = None,
) -> MineActionActivity:
    """Record or change an activity on a hazard area inside the caller's transaction."""
    errors = _dates_in_order(
        data.start_date, data.end_date, "end_date", N_("is before the start date")
    )
    if errors:
        raise ValidationFailed(errors)
    before = activity_snapshot(activity) if activity is not None else None
    if activity is None:
        activity = _new(MineActionActivity, wayhome, actor, hazard_area_id=hazard.id)
        session.add(activity)
        action = "create"
    else:
        _bump(activity, data.version)
        action = "update"
    activity.activity_type = data.activity_type.value
    activity.organisation_name = data.organisation_name
    activity.method = data.method
    activity.start_date = data.start_date
    activity.end_date = data.end_date
    activity.status = data.status.value
    activity.notes = data.notes
    activity.source = data.source
    session.flush()
    audit.record_version(
        session,
        wayhome,
        actor,
        ACTIVITY,
        activity.id,
        activity.version,
        action,
        activity_snapshot(activity),
        before,
    )
    return activity


def record_activity(
    wayhome: Wayhome, actor: Actor, hazard_id: str, data: ActivityInput
) -> MineActionActivity:
    """Record survey, clearance or disposal work on a hazard area."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        return write_activity(session, wayhome, actor, _load_hazard(session, hazard_id), data)


def update_activity(
    wayhome: Wayhome, actor: Actor, activity_id: str, data: ActivityInput
) -> MineActionActivity:
    """Change an activity (e.g. it was completed); the old state stays in its history."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        activity = session.get(MineActionActivity, activity_id)
        if activity is None or activity.deleted_at is not None:
            raise NotFound(N_("no such activity"))
        if data.activity_type.value != activity.activity_type and session.scalar(
            select(func.count())
            .select_from(LandReleaseEvent)
            .where(LandReleaseEvent.activity_id == activity.id)
        ):
            raise ValidationFailed(
                [
                    FieldError(
                        ("activity_type",),
                        N_("land released by this activity is recorded; its type cannot change"),
                    )
                ]
            )
        hazard = _load_hazard(session, activity.hazard_area_id)
        return write_activity(session, wayhome, actor, hazard, data, activity)


def list_activities(wayhome: Wayhome, actor: Actor, hazard_id: str) -> list[MineActionActivity]:
    """Return the activities on a hazard area, oldest first."""
    require(actor, "hazard.view")
    with wayhome.read() as session:
        _load_hazard(session, hazard_id)
        return list(
            session.scalars(
                select(MineActionActivity)
                .where(
                    MineActionActivity.hazard_area_id == hazard_id,
                    MineActionActivity.deleted_at.is_(None),
                )
                .order_by(MineActionActivity.created_at, MineActionActivity.id)
            )
        )


def activity_history(wayhome: Wayhome, actor: Actor, activity_id: str) -> list[audit.HistoryEntry]:
    """Return every version of an activity, newest first."""
    require(actor, "hazard.view")
    require(actor, "history.view")
    with wayhome.read() as session:
        if session.get(MineActionActivity, activity_id) is None:
            raise NotFound(N_("no such activity"))
        return audit.history(session, ACTIVITY, activity_id)
