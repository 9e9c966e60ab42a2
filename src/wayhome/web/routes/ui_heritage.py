"""Pages of the cultural heritage register: sites, their condition assessments and timeline.

Every site shown here comes from `services/heritage.py`, which coarsens a sensitive site's
location for roles without ``heritage.exact_location``; these pages never read coordinates any
other way, so they cannot show more than the API.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.heritage import CONDITION_RANK, OverallCondition, SiteType, SiteTypeGroup
from wayhome.services import heritage, places
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.services.inputs import parse_input
from wayhome.services.permissions import require
from wayhome.web import i18n
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.forms import drop_blank_rows, nest
from wayhome.web.history_view import readable
from wayhome.web.templating import render

router = APIRouter(include_in_schema=False)

TYPE_FILTERS = [g.value for g in SiteTypeGroup] + [t.value for t in SiteType]
CONDITIONS = [c.value for c in OverallCondition]


def _context(**extra: Any) -> dict[str, Any]:
    return {"section": "heritage", **extra}


def _place(wayhome: Any, actor: Any, place_id: str | None) -> Any:
    if not place_id:
        return None
    try:
        return places.get_place(wayhome, actor, place_id)
    except NotFound:
        return None


@router.get("/heritage-sites")
def list_sites(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    q: str | None = None,
    type: str | None = None,
    condition: str | None = None,
    page: int = 1,
) -> Response:
    chosen_type = type if type in TYPE_FILTERS else None
    chosen_condition = condition if condition in CONDITIONS else None
    result = heritage.search_sites(
        wayhome,
        actor,
        q=q or None,
        type=chosen_type,
        condition=chosen_condition,
        page=max(page, 1),
        per_page=wayhome.settings.page_size,
        lang=i18n.get_locale(),
    )
    context = _context(
        page=result,
        q=q or "",
        type=chosen_type or "",
        condition=chosen_condition or "",
        site_types=[t.value for t in SiteType],
        groups=[g.value for g in SiteTypeGroup],
    )
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "heritage/_results.html", context)
    return render(request, "heritage/list.html", context)


# --- create and edit -------------------------------------------------------------------------


def _site_values(site: dict[str, Any]) -> dict[str, Any]:
    values = {
        name: site[name]
        for name in (
            "reference",
            "type",
            "period",
            "community",
            "designation",
            "place_id",
            "lat",
            "lon",
            "sensitive",
            "notes",
            "source",
            "version",
        )
    }
    values["polygon"] = (
        json.dumps(site["polygon"]).replace("], [", "],\n  [") if site.get("polygon") else ""
    )
    return values


def _site_data(data: dict[str, Any]) -> dict[str, Any]:
    rows = [r for r in data.get("names") or [] if isinstance(r, dict)]
    kept = [r for r in rows if (r.get("name") or "").strip()]
    data["names"] = kept or rows[:1] or [{"name": ""}]
    data["sensitive"] = data.get("sensitive") == "true"
    return data


def _site_form(
    request: Request,
    wayhome: Any,
    actor: Any,
    site: dict[str, Any] | None,
    values: dict[str, Any],
    names: list[dict[str, Any]],
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "heritage/form.html",
        _context(
            site=site,
            values=values,
            names=[*names, {}, {}],
            place=_place(wayhome, actor, values.get("place_id")),
            error=error,
        ),
        status_code,
    )


@router.get("/heritage-sites/new")
def new_site(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "heritage.edit")
    values = {"type": SiteType.CEMETERY.value, "period": "unknown", "designation": "unknown"}
    return _site_form(request, wayhome, actor, None, values, [])


@router.post("/heritage-sites/new", dependencies=[CSRFChecked])
async def create_site(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "heritage.edit")
    data = _site_data(nest(await request.form()))
    data.pop("version", None)
    try:
        site = heritage.create_site(wayhome, actor, parse_input(HeritageSiteInput, data))
    except ValidationFailed as error:
        return _site_form(request, wayhome, actor, None, data, data["names"], error, 422)
    return RedirectResponse(f"/heritage-sites/{site['id']}", status_code=303)


@router.get("/heritage-sites/{site_id}/edit")
def edit_site(request: Request, site_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "heritage.edit")
    site = heritage.get_site(wayhome, actor, site_id)
    names = [{"name": n["name"], "lang": n["lang"]} for n in site["names"]]
    return _site_form(request, wayhome, actor, site, _site_values(site), names)


@router.post("/heritage-sites/{site_id}/edit", dependencies=[CSRFChecked])
async def update_site(
    request: Request, site_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "heritage.edit")
    site = heritage.get_site(wayhome, actor, site_id)
    data = _site_data(nest(await request.form()))
    try:
        heritage.update_site(wayhome, actor, site_id, parse_input(HeritageSiteInput, data))
    except ValidationFailed as error:
        failed, status_code = error, 422
    except Conflict as conflict:
        failed = ValidationFailed([FieldError(("version",), conflict.template, conflict.params)])
        status_code = 409
    else:
        return RedirectResponse(f"/heritage-sites/{site_id}", status_code=303)
    return _site_form(request, wayhome, actor, site, data, data["names"], failed, status_code)


# --- view, timeline, history -----------------------------------------------------------------


def _map_layers(site: dict[str, Any]) -> list[dict[str, Any]]:
    """The site's outline (exact locations only) and its point, as the actor may see them."""
    layers: list[dict[str, Any]] = []
    if site.get("polygon"):
        layers.append({"kind": "site", "geometry": site["polygon"]})
    if site.get("lat") is not None and site.get("lon") is not None:
        point = {"type": "Point", "coordinates": [site["lon"], site["lat"]]}
        layers.append({"kind": "point", "geometry": point})
    return layers


def _bar_height(condition: str) -> int:
    """Height (in %) of a condition's bar in the timeline: taller is worse; unknown is flat."""
    rank = CONDITION_RANK.get(OverallCondition(condition))
    return 12 if rank is None else 20 + 20 * rank


@router.get("/heritage-sites/{site_id}")
def show_site(request: Request, site_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    site = heritage.get_site(wayhome, actor, site_id)
    timeline = heritage.timeline(wayhome, actor, site_id)
    for entry in timeline["entries"]:
        entry["bar"] = _bar_height(entry["overall_condition"])
    return render(
        request,
        "heritage/detail.html",
        _context(
            site=site,
            timeline=timeline,
            place=_place(wayhome, actor, site["place_id"]),
            layers=_map_layers(site),
        ),
    )


@router.get("/heritage-sites/{site_id}/history")
def site_history(request: Request, site_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    entries = heritage.site_history(wayhome, actor, site_id)
    site = heritage.get_site(wayhome, actor, site_id)
    return render(
        request,
        "contamination/history.html",
        _context(
            title=f"{site['display_name']} ({site['reference']})",
            back=f"/heritage-sites/{site_id}",
            entries=readable(wayhome, actor, entries, heritage.ENTITY),
        ),
    )


# --- assessments -----------------------------------------------------------------------------


def _assessment_form(
    request: Request,
    site: dict[str, Any],
    values: dict[str, Any],
    disturbances: list[dict[str, Any]],
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "heritage/assessment_form.html",
        _context(site=site, values=values, disturbances=[*disturbances, {}, {}], error=error),
        status_code,
    )


@router.get("/heritage-sites/{site_id}/assessments/new")
def new_assessment(request: Request, site_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "heritage.assess")
    site = heritage.get_site(wayhome, actor, site_id)
    values = {"method": "field_visit", "overall_condition": "unknown", "damage_extent": "unknown"}
    return _assessment_form(request, site, values, [])


@router.post("/heritage-sites/{site_id}/assessments/new", dependencies=[CSRFChecked])
async def add_assessment(
    request: Request, site_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "heritage.assess")
    site = heritage.get_site(wayhome, actor, site_id)
    data = nest(await request.form())
    rows = [r for r in data.get("disturbances") or [] if isinstance(r, dict)]
    data["disturbances"] = drop_blank_rows(rows, ("cause",), keep_first=False)
    try:
        heritage.add_assessment(wayhome, actor, site_id, parse_input(HeritageAssessmentInput, data))
    except ValidationFailed as error:
        return _assessment_form(request, site, data, data["disturbances"], error, 422)
    return RedirectResponse(f"/heritage-sites/{site_id}#timeline", status_code=303)
