"""Explosive devices found in a hazard area."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.errors import ValidationFailed
from wayhome.services import audit
from wayhome.services.contamination.common import DEVICE, _both_or_neither, _new
from wayhome.services.contamination.hazards import _load_hazard
from wayhome.services.contamination.releases import _check_activity
from wayhome.services.contamination_inputs import DeviceInput
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require
from wayhome.store.tables_contamination import DeviceFound, HazardArea


def device_snapshot(device: DeviceFound) -> dict[str, Any]:
    """Return the state of a device as kept in its history."""
    return {
        "hazard_area_id": device.hazard_area_id,
        "activity_id": device.activity_id,
        "device_category": device.device_category,
        "device_type": device.device_type,
        "condition": device.condition,
        "lon": device.lon,
        "lat": device.lat,
        "depth_cm": device.depth_cm,
        "quantity": device.quantity,
        "found_on": device.found_on,
        "notes": device.notes,
        "source": device.source,
        "deleted": device.deleted_at is not None,
    }


def write_device(
    session: Session, wayhome: Wayhome, actor: Actor, hazard: HazardArea, data: DeviceInput
) -> DeviceFound:
    """Record a device found in a hazard area inside the caller's transaction."""
    errors = _both_or_neither(data.lon, data.lat)
    errors += _check_activity(session, hazard, data.activity_id, None)
    if errors:
        raise ValidationFailed(errors)
    device = _new(
        DeviceFound,
        wayhome,
        actor,
        hazard_area_id=hazard.id,
        activity_id=data.activity_id,
        device_category=data.device_category.value,
        device_type=data.device_type,
        condition=data.condition.value,
        lon=data.lon,
        lat=data.lat,
        depth_cm=data.depth_cm,
        quantity=data.quantity,
        found_on=data.found_on,
        notes=data.notes,
        source=data.source,
    )
    session.add(device)
    session.flush()
    audit.record_version(
        session, wayhome, actor, DEVICE, device.id, 1, "create", device_snapshot(device), None
    )
    return device


def record_device(wayhome: Wayhome, actor: Actor, hazard_id: str, data: DeviceInput) -> DeviceFound:
    """Record explosive ordnance found in a hazard area."""
    require(actor, "hazard.edit")
    with wayhome.transaction() as session:
        return write_device(session, wayhome, actor, _load_hazard(session, hazard_id), data)


def list_devices(wayhome: Wayhome, actor: Actor, hazard_id: str) -> list[DeviceFound]:
    """Return the devices found in a hazard area, in the order recorded."""
    require(actor, "hazard.view")
    with wayhome.read() as session:
        _load_hazard(session, hazard_id)
        return list(
            session.scalars(
                select(DeviceFound)
                .where(DeviceFound.hazard_area_id == hazard_id, DeviceFound.deleted_at.is_(None))
                .order_by(DeviceFound.created_at, DeviceFound.id)
            )
        )
