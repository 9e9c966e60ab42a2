"""Pages for hazard areas: land release and its ledger, activities, devices (accidents and their
victims are in `ui_accidents`, served by this module's router).

Forms post the same inputs as the API (`services/contamination_inputs.py`); polygons are typed
or pasted as GeoJSON text, parsed here so that bad JSON is reported at its field together with
every other problem of the form. The services check permissions again: a hidden button is a
convenience, never the protection.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import Conflict, ValidationFailed
from wayhome.core.mine_action import (
    ActivityStatus,
    ActivityType,
    DeviceCategory,
    HazardStatus,
    HazardType,
    ReleaseKind,
)
from wayhome.services import contamination
from wayhome.services.contamination_inputs import (
    ActivityInput,
    CloseHazardInput,
    DeviceInput,
    HazardAreaInput,
    ReleaseInput,
)
from wayhome.services.permissions import can, require
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.forms import drop_blank_rows, nest
from wayhome.web.history_view import readable
from wayhome.web.routes import ui_accidents
from wayhome.web.routes.ui_contamination_forms import (
    choices,
    conflict_error,
    parse_form,
    place_or_none,
)
from wayhome.web.templating import render

router = APIRouter(include_in_schema=False)

EVIDENCE_KEYS = ("evidence_type", "device_category", "device_type", "description", "lon", "lat")


def _geometry_text(value: Any) -> str:
    """GeoJSON for the form's text box: one [longitude, latitude] point a line."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return json.dumps(value).replace("], [", "],\n  [")


# --- hazard areas: list ----------------------------------------------------------------------


@router.get("/hazard-areas")
def list_hazard_areas(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    q: str | None = None,
    status: str | None = None,
    hazard_type: str | None = None,
    page: int = 1,
) -> Response:
    chosen_status = status if status in {s.value for s in HazardStatus} else None
    chosen_type = hazard_type if hazard_type in {t.value for t in HazardType} else None
    result = contamination.search_hazard_areas(
        wayhome,
        actor,
        status=[chosen_status] if chosen_status else None,
        hazard_type=[chosen_type] if chosen_type else None,
        q=q or None,
        page=max(page, 1),
        per_page=wayhome.settings.page_size,
    )
    context = {
        "page": result,
        "q": q or "",
        "status": chosen_status or "",
        "hazard_type": chosen_type or "",
        **choices(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "contamination/_hazard_results.html", context)
    return render(request, "contamination/hazard_list.html", context)


# --- hazard areas: create and edit -----------------------------------------------------------


def _hazard_values(hazard: Any) -> dict[str, Any]:
    return {
        "local_id": hazard.local_id,
        "name": hazard.name,
        "hazard_type": hazard.hazard_type,
        "status": hazard.status,
        "status_date": hazard.status_date,
        "place_id": hazard.place_id,
        "geometry": _geometry_text(hazard.geometry),
        "benchmark_lon": hazard.benchmark_lon,
        "benchmark_lat": hazard.benchmark_lat,
        "expected_beneficiaries": hazard.expected_beneficiaries,
        "notes": hazard.notes,
        "source": hazard.source,
        "version": hazard.version,
    }


def _hazard_form(
    request: Request,
    wayhome: Any,
    actor: Any,
    *,
    hazard: Any,
    values: dict[str, Any],
    evidence: list[dict[str, Any]],
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "contamination/hazard_form.html",
        {
            "hazard": hazard,
            "values": values,
            "evidence": [*evidence, {}],
            "place": place_or_none(wayhome, actor, values.get("place_id")),
            "error": error,
            **choices(),
        },
        status_code,
    )


def _hazard_data(data: dict[str, Any]) -> dict[str, Any]:
    rows = [r for r in data.get("evidence") or [] if isinstance(r, dict)]
    data["evidence"] = drop_blank_rows(rows, EVIDENCE_KEYS, keep_first=False)
    return data


@router.get("/hazard-areas/new")
def new_hazard_area(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "hazard.edit")
    values = {"hazard_type": HazardType.SHA.value}
    return _hazard_form(request, wayhome, actor, hazard=None, values=values, evidence=[])


@router.post("/hazard-areas/new", dependencies=[CSRFChecked])
async def create_hazard_area(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "hazard.edit")
    data = _hazard_data(nest(await request.form()))
    data.pop("version", None)
    try:
        hazard = contamination.create_hazard_area(
            wayhome, actor, parse_form(HazardAreaInput, data, ("geometry",))
        )
    except ValidationFailed as error:
        return _hazard_form(
            request,
            wayhome,
            actor,
            hazard=None,
            values=data,
            evidence=data["evidence"],
            error=error,
            status_code=422,
        )
    return RedirectResponse(f"/hazard-areas/{hazard.id}", status_code=303)


@router.get("/hazard-areas/{hazard_id}/edit")
def edit_hazard_area(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    return _hazard_form(
        request,
        wayhome,
        actor,
        hazard=hazard,
        values=_hazard_values(hazard),
        evidence=list(hazard.evidence or []),
    )


@router.post("/hazard-areas/{hazard_id}/edit", dependencies=[CSRFChecked])
async def update_hazard_area(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    data = _hazard_data(nest(await request.form()))
    try:
        contamination.update_hazard_area(
            wayhome, actor, hazard_id, parse_form(HazardAreaInput, data, ("geometry",))
        )
    except ValidationFailed as error:
        failed, status_code = error, 422
    except Conflict as conflict:
        failed, status_code = conflict_error(conflict), 409
    else:
        return RedirectResponse(f"/hazard-areas/{hazard_id}", status_code=303)
    return _hazard_form(
        request,
        wayhome,
        actor,
        hazard=hazard,
        values=data,
        evidence=data["evidence"],
        error=failed,
        status_code=status_code,
    )


# --- hazard areas: view, history -------------------------------------------------------------


def _map_layers(hazard: Any, releases: list[Any], summary: dict[str, Any]) -> list[dict[str, Any]]:
    """What the small map draws: the hazard's outline, each release, and the land remaining."""
    layers: list[dict[str, Any]] = [
        {"kind": "hazard", "geometry": json.loads(hazard.geometry), "id": hazard.id}
    ]
    for release in releases:
        layers.append(
            {
                "kind": release.release_kind,
                "geometry": json.loads(release.geometry),
                "id": release.id,
                "date": release.release_date,
            }
        )
    if summary.get("remaining_geometry"):
        layers.append({"kind": "remaining", "geometry": summary["remaining_geometry"]})
    return layers


@router.get("/hazard-areas/{hazard_id}")
def show_hazard_area(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    summary = contamination.ledger_summary(contamination.ledger(wayhome, actor, hazard_id))
    releases = contamination.list_releases(wayhome, actor, hazard_id)
    activities = contamination.list_activities(wayhome, actor, hazard_id)
    devices = contamination.list_devices(wayhome, actor, hazard_id)
    accidents = (
        contamination.search_accidents(wayhome, actor, hazard_area_id=hazard_id, per_page=50).items
        if can(actor, "accident.view")
        else []
    )
    counted = {e["release_id"]: e for e in summary["entries"]}
    return render(
        request,
        "contamination/hazard_detail.html",
        {
            "hazard": hazard,
            "ledger": summary,
            "releases": releases,
            "counted": counted,
            "activities": activities,
            "activity_by_id": {a.id: a for a in activities},
            "devices": devices,
            "accidents": accidents,
            "place": place_or_none(wayhome, actor, hazard.place_id),
            "layers": _map_layers(hazard, releases, summary),
            **choices(),
        },
    )


@router.get("/hazard-areas/{hazard_id}/history")
def hazard_area_history(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    entries = contamination.hazard_history(wayhome, actor, hazard_id)
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    return render(
        request,
        "contamination/history.html",
        {
            "title": f"{hazard.local_id} — {hazard.name}",
            "back": f"/hazard-areas/{hazard.id}",
            "entries": readable(wayhome, actor, entries, contamination.HAZARD),
            **choices(),
        },
    )


@router.get("/mine-action-activities/{activity_id}/history")
def activity_history(
    request: Request, activity_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    entries = contamination.activity_history(wayhome, actor, activity_id)
    hazard_id = entries[-1].snapshot["hazard_area_id"] if entries else None
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id) if hazard_id else None
    return render(
        request,
        "contamination/history.html",
        {
            "title": f"{hazard.local_id} — {hazard.name}" if hazard else activity_id,
            "back": f"/hazard-areas/{hazard.id}" if hazard else "/hazard-areas",
            "entries": readable(wayhome, actor, entries, contamination.ACTIVITY),
            **choices(),
        },
    )


# --- hazard areas: close, release, activity, device ------------------------------------------


def _hazard_action(
    request: Request,
    template: str,
    hazard: Any,
    values: dict[str, Any],
    error: ValidationFailed | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    return render(
        request,
        f"contamination/{template}",
        {"hazard": hazard, "values": values, "error": error, **extra, **choices()},
        status_code,
    )


@router.get("/hazard-areas/{hazard_id}/close")
def close_form(request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    summary = contamination.ledger_summary(contamination.ledger(wayhome, actor, hazard_id))
    values = {"status": HazardStatus.CLOSED.value, "version": hazard.version}
    return _hazard_action(request, "close_form.html", hazard, values, ledger=summary)


@router.post("/hazard-areas/{hazard_id}/close", dependencies=[CSRFChecked])
async def close_hazard_area(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    data = nest(await request.form())
    try:
        contamination.close_hazard_area(
            wayhome, actor, hazard_id, parse_form(CloseHazardInput, data)
        )
    except ValidationFailed as error:
        failed, status_code = error, 422
    except Conflict as conflict:
        failed, status_code = conflict_error(conflict), 409
    else:
        return RedirectResponse(f"/hazard-areas/{hazard_id}", status_code=303)
    summary = contamination.ledger_summary(contamination.ledger(wayhome, actor, hazard_id))
    return _hazard_action(
        request, "close_form.html", hazard, data, failed, status_code, ledger=summary
    )


@router.get("/hazard-areas/{hazard_id}/releases/new")
def release_form(request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "release.record")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    activities = contamination.list_activities(wayhome, actor, hazard_id)
    return _hazard_action(
        request,
        "release_form.html",
        hazard,
        {"release_kind": ReleaseKind.CANCELLED.value},
        activities=activities,
        hazard_geometry=json.loads(hazard.geometry),
    )


@router.post("/hazard-areas/{hazard_id}/releases/new", dependencies=[CSRFChecked])
async def record_release(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "release.record")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    data = nest(await request.form())
    try:
        contamination.record_release(
            wayhome, actor, hazard_id, parse_form(ReleaseInput, data, ("geometry",))
        )
    except ValidationFailed as error:
        activities = contamination.list_activities(wayhome, actor, hazard_id)
        return _hazard_action(
            request,
            "release_form.html",
            hazard,
            data,
            error,
            422,
            activities=activities,
            hazard_geometry=json.loads(hazard.geometry),
        )
    return RedirectResponse(f"/hazard-areas/{hazard_id}#releases", status_code=303)


@router.get("/hazard-areas/{hazard_id}/activities/new")
def activity_form(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    values = {"activity_type": ActivityType.NTS.value, "status": ActivityStatus.PLANNED.value}
    return _hazard_action(request, "activity_form.html", hazard, values)


@router.post("/hazard-areas/{hazard_id}/activities/new", dependencies=[CSRFChecked])
async def record_activity(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    data = nest(await request.form())
    data.pop("version", None)
    try:
        contamination.record_activity(wayhome, actor, hazard_id, parse_form(ActivityInput, data))
    except ValidationFailed as error:
        return _hazard_action(request, "activity_form.html", hazard, data, error, 422)
    return RedirectResponse(f"/hazard-areas/{hazard_id}#activities", status_code=303)


@router.get("/hazard-areas/{hazard_id}/devices/new")
def device_form(request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    activities = contamination.list_activities(wayhome, actor, hazard_id)
    values = {"device_category": DeviceCategory.AP_MINE.value, "quantity": 1}
    return _hazard_action(request, "device_form.html", hazard, values, activities=activities)


@router.post("/hazard-areas/{hazard_id}/devices/new", dependencies=[CSRFChecked])
async def record_device(
    request: Request, hazard_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "hazard.edit")
    hazard = contamination.get_hazard_area(wayhome, actor, hazard_id)
    data = nest(await request.form())
    try:
        contamination.record_device(wayhome, actor, hazard_id, parse_form(DeviceInput, data))
    except ValidationFailed as error:
        activities = contamination.list_activities(wayhome, actor, hazard_id)
        return _hazard_action(
            request, "device_form.html", hazard, data, error, 422, activities=activities
        )
    return RedirectResponse(f"/hazard-areas/{hazard_id}#devices", status_code=303)


# The accident pages live in their own module; their routes are served by this router too.
router.include_router(ui_accidents.router)
