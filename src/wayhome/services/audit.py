"""The audit log and the change history: every write leaves a version, every person view an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require
from wayhome.store.tables import AuditEvent, RecordVersion


def log(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str | None = None,
    entity_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit event in the caller's transaction."""
    session.add(
        AuditEvent(
            user_id=actor.user_id,
            username=actor.username,
            organisation_id=actor.organisation_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            ip=actor.ip,
            detail=detail or {},
        )
    )


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """Return {field: [old, new]} for every field whose value changed."""
    before = before or {}
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record_version(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    entity_type: str,
    entity_id: str,
    version: int,
    action: str,
    snapshot: dict[str, Any],
    before: dict[str, Any] | None,
) -> None:
    """Keep a snapshot of the record after a change, and audit the change."""
    changes = diff(before, snapshot)
    session.add(
        RecordVersion(
            entity_type=entity_type,
            entity_id=entity_id,
            version=version,
            action=action,
            changed_by_id=actor.user_id,
            changed_by_name=actor.label,
            origin_instance=wayhome.instance_id,
            snapshot=snapshot,
            changes=changes,
        )
    )
    log(
        session,
        actor,
        action,
        entity_type,
        entity_id,
        {"version": version, "fields": list(changes)},
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One version of a record: who changed it, when, and what changed."""

    version: int
    action: str
    changed_at: datetime
    changed_by: str
    origin_instance: str
    changes: dict[str, Any]
    snapshot: dict[str, Any]


def history(session: Session, entity_type: str, entity_id: str) -> list[HistoryEntry]:
    """Return the versions of a record, newest first (the caller has checked visibility)."""
    rows = session.scalars(
        select(RecordVersion)
        .where(RecordVersion.entity_type == entity_type, RecordVersion.entity_id == entity_id)
        .order_by(RecordVersion.version.desc())
    )
    return [
        HistoryEntry(
            r.version,
            r.action,
            r.changed_at,
            r.changed_by_name,
            r.origin_instance,
            r.changes,
            r.snapshot,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class AuditPage:
    """A page of audit events and the total count."""

    events: list[AuditEvent]
    total: int


def audit_events(
    wayhome: Wayhome,
    actor: Actor,
    *,
    entity_id: str | None = None,
    username: str | None = None,
    action: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> AuditPage:
    """Return audit events of the actor's organisation, newest first (administrators only)."""
    require(actor, "audit.view")
    query = select(AuditEvent).where(AuditEvent.organisation_id == actor.organisation_id)
    if entity_id:
        query = query.where(AuditEvent.entity_id == entity_id)
    if username:
        query = query.where(AuditEvent.username == username)
    if action:
        query = query.where(AuditEvent.action == action)
    with wayhome.read() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        events = list(
            session.scalars(
                query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                .limit(per_page)
                .offset((max(page, 1) - 1) * per_page)
            )
        )
    return AuditPage(events, total)
