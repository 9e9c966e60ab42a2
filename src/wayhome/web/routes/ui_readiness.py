"""Return readiness pages: the list of settlements, a settlement's breakdown, the configuration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import Conflict, FieldError, ValidationFailed
from wayhome.services import places, readiness, readiness_conditions, readiness_config
from wayhome.services.inputs import parse_input
from wayhome.services.permissions import require
from wayhome.services.readiness_conditions import ConditionInput
from wayhome.services.readiness_config import (
    LABELS,
    Indicator,
    ReadinessClass,
    ReadinessSettings,
    Service,
    ServiceStatus,
)
from wayhome.web import i18n
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.forms import nest
from wayhome.web.templating import render

router = APIRouter()

CLASSES = [c.value for c in ReadinessClass]
SORTS = {"name": "name", "score": "score", "-score": "-score", "class": "class"}


def rlabel(value: str | None) -> str:
    """Return the translated label of a readiness term (indicator, class, service, status)."""
    if value is None:
        return "—"
    return i18n.gettext(LABELS.get(value, value))


def _common(section: str = "readiness") -> dict[str, Any]:
    return {
        "section": section,
        "rlabel": rlabel,
        "describe": lambda ind: i18n.translate(ind.value_msg, ind.value_params),
        "classes": CLASSES,
    }


@router.get("/readiness")
def list_readiness(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    cls: str | None = None,
    sort: str = "name",
    page: int = 1,
) -> Response:
    chosen = cls if cls in CLASSES else None
    result = readiness.readiness_page(
        wayhome,
        actor,
        readiness_class=[chosen] if chosen else None,
        sort=SORTS.get(sort, "name"),
        page=max(page, 1),
        per_page=wayhome.settings.page_size,
        lang=i18n.get_locale(),
    )
    context = {"page": result, "cls": chosen or "", "sort": SORTS.get(sort, "name"), **_common()}
    return render(request, "readiness/list.html", context)


def _detail(
    request: Request,
    wayhome: Any,
    actor: Any,
    place_id: str,
    *,
    values: dict[str, Any] | None = None,
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    result = readiness.assess_settlement(wayhome, actor, place_id)
    place = places.get_place(wayhome, actor, place_id)
    context = {
        "place": place,
        "r": result,
        "conditions": readiness_conditions.list_conditions(wayhome, actor, place_id),
        "services": [s.value for s in Service],
        "statuses": [s.value for s in ServiceStatus],
        "values": values or {},
        "error": error,
        "settings": readiness_config.get_config(wayhome, actor)[0],
        **_common(),
    }
    return render(request, "readiness/detail.html", context, status_code)


@router.get("/places/{settlement_id}/readiness")
def settlement_readiness(
    request: Request, wayhome: WayhomeDep, actor: UIActor, settlement_id: str
) -> Response:
    return _detail(request, wayhome, actor, settlement_id)


@router.post("/places/{settlement_id}/readiness/conditions", dependencies=[CSRFChecked])
async def record_condition(
    request: Request, wayhome: WayhomeDep, actor: UIActor, settlement_id: str
) -> Response:
    place_id = settlement_id
    require(actor, "readiness.record")
    data = nest(await request.form())
    try:
        readiness_conditions.record_condition(
            wayhome, actor, place_id, parse_input(ConditionInput, data)
        )
    except ValidationFailed as error:
        return _detail(request, wayhome, actor, place_id, values=data, error=error, status_code=422)
    return RedirectResponse(f"/places/{place_id}/readiness", status_code=303)


def _config_page(
    request: Request,
    values: dict[str, Any],
    version: int,
    *,
    error: ValidationFailed | None = None,
    status_code: int = 200,
    saved: bool = False,
) -> Response:
    context = {
        "values": values,
        "version": version,
        "error": error,
        "saved": saved,
        "indicator_keys": [i.value for i in Indicator],
        **_common(),
    }
    return render(request, "readiness/config.html", context, status_code)


@router.get("/readiness/config")
def config_page(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "readiness.configure")
    settings, version = readiness_config.get_config(wayhome, actor)
    saved = request.query_params.get("saved") == "1"
    return _config_page(request, settings.model_dump(mode="json"), version, saved=saved)


def _settings_from_form(data: dict[str, Any]) -> dict[str, Any]:
    """Form fields into the settings' shape: a checkbox absent means disabled."""
    indicators = data.get("indicators") or []
    if isinstance(indicators, list):
        for item in indicators:
            if isinstance(item, dict):
                item["enabled"] = item.get("enabled") == "on"
    version = data.get("version")
    data["version"] = int(version) if isinstance(version, str) and version.isdigit() else None
    return data


@router.post("/readiness/config", dependencies=[CSRFChecked])
async def save_config(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "readiness.configure")
    data = _settings_from_form(nest(await request.form()))
    try:
        readiness_config.update_config(wayhome, actor, parse_input(ReadinessSettings, data))
    except ValidationFailed as error:
        return _config_page(request, data, data.get("version") or 0, error=error, status_code=422)
    except Conflict as conflict:
        stale = ValidationFailed([FieldError(("version",), conflict.template, conflict.params)])
        return _config_page(request, data, data.get("version") or 0, error=stale, status_code=409)
    return RedirectResponse("/readiness/config?saved=1", status_code=303)
