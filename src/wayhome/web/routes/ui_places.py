"""Pages of the gazetteer: list and search, view, add, edit, history; the place picker; the map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import select
from starlette.responses import Response

from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.vocab import PlaceType
from wayhome.services import places, readiness_config
from wayhome.services.inputs import PlaceInput, parse_input
from wayhome.services.permissions import require
from wayhome.store.tables import Place
from wayhome.web import i18n
from wayhome.web.charts import CONDITION_COLOURS, HAZARD_COLOURS, READINESS_COLOURS
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.forms import nest
from wayhome.web.history_view import readable
from wayhome.web.i18n import gettext as _
from wayhome.web.templating import label, render

router = APIRouter()

TYPES = [t.value for t in PlaceType]
MAP_LIMIT = 5000
BASEMAP = "/static/vendor/world-atlas/countries-50m.geojson"
BASEMAP_DETAIL = "/static/vendor/world-atlas/countries-10m.geojson"


def _choices(section: str = "places") -> dict[str, Any]:
    return {"types": TYPES, "section": section}


def _place_or_none(wayhome: Any, actor: Any, place_id: str | None) -> Any:
    if not place_id:
        return None
    try:
        return places.get_place(wayhome, actor, place_id)
    except NotFound:
        return None


def _parents(wayhome: Any, found: list[Place]) -> dict[str, Place]:
    """Return the parents of some places by id (Place.parent is not loaded for detached places)."""
    ids = {p.parent_id for p in found if p.parent_id}
    if not ids:
        return {}
    with wayhome.read() as session:
        return {p.id: p for p in session.scalars(select(Place).where(Place.id.in_(ids)))}


@router.get("/places")
def list_places(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    q: str | None = None,
    type: str | None = None,
    parent_id: str | None = None,
    page: int = 1,
) -> Response:
    chosen_type = type if type in TYPES else None
    parent = _place_or_none(wayhome, actor, parent_id)
    result = places.search_places(
        wayhome,
        actor,
        q=q,
        type=chosen_type,
        parent_id=parent.id if parent else None,
        page=max(page, 1),
        per_page=wayhome.settings.page_size,
        lang=i18n.get_locale(),
    )
    context = {
        "page": result,
        "q": q or "",
        "type": chosen_type or "",
        "parent": parent,
        "parents": _parents(wayhome, result.items),
        **_choices(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "places/_results.html", context)
    return render(request, "places/list.html", context)


def _form_names(place: Any | None) -> list[dict[str, Any]]:
    rows = [{"name": n.name, "lang": n.lang} for n in (place.names if place else [])]
    return [*rows, {}]


def _nonblank_names(rows: Any) -> list[dict[str, Any]]:
    """Keep the name rows that have a name; keep one (empty) row if none has, to report it."""
    rows = [r for r in (rows or []) if isinstance(r, dict)]
    kept = [r for r in rows if (r.get("name") or "").strip()]
    return kept or rows[:1] or [{"name": ""}]


def _place_input(data: dict[str, Any]) -> PlaceInput:
    data["names"] = _nonblank_names(data.get("names"))
    return parse_input(PlaceInput, data)


def _form(
    request: Request,
    *,
    place: Any,
    names: list[dict[str, Any]],
    values: Any,
    parent: Any,
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "places/form.html",
        {
            "place": place,
            "names": names,
            "values": values,
            "parent": parent,
            "error": error,
            **_choices(),
        },
        status_code,
    )


def _form_error(
    request: Request,
    wayhome: Any,
    actor: Any,
    data: dict[str, Any],
    error: ValidationFailed,
    place: Any = None,
    status_code: int = 422,
) -> Response:
    names = [*(data.get("names") or []), {}]
    parent = _place_or_none(wayhome, actor, data.get("parent_id"))
    return _form(
        request,
        place=place,
        names=names,
        values=data,
        parent=parent,
        error=error,
        status_code=status_code,
    )


@router.get("/places/new")
def new_place(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    parent_id: str | None = None,
    type: str | None = None,
) -> Response:
    require(actor, "place.create")
    values = {"type": type if type in TYPES else PlaceType.SETTLEMENT.value}
    return _form(
        request,
        place=None,
        names=_form_names(None),
        values=values,
        parent=_place_or_none(wayhome, actor, parent_id),
    )


@router.post("/places/new", dependencies=[CSRFChecked])
async def create_place(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "place.create")
    data = nest(await request.form())
    data.pop("version", None)
    try:
        place = places.create_place(wayhome, actor, _place_input(data))
    except ValidationFailed as error:
        return _form_error(request, wayhome, actor, data, error)
    return RedirectResponse(f"/places/{place.id}", status_code=303)


@router.get("/places/names/row")
def name_row(request: Request, actor: UIActor, i: int = 1) -> Response:
    return render(request, "places/_name_row.html", {"i": i, "n": {}})


@router.get("/places/choices")
def place_choices(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    target: str = "",
    pp_q: str = "",
) -> Response:
    """The options of a place picker (see the place_picker macro): buttons that fill the field."""
    require(actor, "place.view")
    if not pp_q.strip():
        return Response("", media_type="text/html")
    found = places.place_choices(wayhome, pp_q.strip())
    return render(
        request,
        "places/_choices.html",
        {"found": found, "target": target, "parents": _parents(wayhome, found)},
    )


def _bbox(bbox: str | None) -> list[tuple[float, float, float, float]] | None:
    """Parse ``west,south,east,north``; a box across the antimeridian becomes two boxes."""
    if not bbox:
        return None
    try:
        west, south, east, north = (float(x) for x in bbox.split(","))
    except ValueError:
        raise ValidationFailed(
            [FieldError(("query", "bbox"), N_("give four numbers: west,south,east,north"))]
        ) from None
    south, north = max(min(south, north), -90.0), min(max(south, north), 90.0)
    if east - west >= 360:
        return [(-180.0, south, 180.0, north)]
    west, east = _wrap(west), _wrap(east)
    if west <= east:
        return [(west, south, east, north)]
    return [(west, south, 180.0, north), (-180.0, south, east, north)]


def _wrap(lon: float) -> float:
    return lon if -180 <= lon <= 180 else ((lon + 180) % 360) - 180


@router.get("/places/map.geojson")
def map_geojson(
    wayhome: WayhomeDep,
    actor: UIActor,
    bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
    type: Annotated[list[str] | None, Query()] = None,
    q: str | None = None,
) -> Response:
    """Places with a location for the map page, read with the session login."""
    types = [t for t in (type or []) if t in TYPES] or None
    boxes = _bbox(bbox) or [None]
    features: list[dict[str, Any]] = []
    for box in boxes:
        left = MAP_LIMIT + 1 - len(features)
        if left <= 0:
            break
        part = places.map_features(wayhome, actor, bbox=box, types=types, q=q, limit=left)
        features.extend(part["features"])
    truncated = len(features) > MAP_LIMIT
    return JSONResponse(
        {
            "type": "FeatureCollection",
            "features": features[:MAP_LIMIT],
            "truncated": truncated,
            "limit": MAP_LIMIT,
        }
    )


def _map_layers() -> list[dict[str, Any]]:
    """The three thematic layers of the map page: where to load them and their legends."""
    return [
        {
            "key": "settlements",
            "url": "/api/v1/map/settlements.geojson",
            "title": _("Settlements by readiness"),
            "property": "class",
            "link": "/places/{id}/readiness",
            "link_text": _("Readiness breakdown"),
            "classes": [
                [code, _(readiness_config.LABELS[code]), colour]
                for code, colour in READINESS_COLOURS.items()
            ],
        },
        {
            "key": "hazards",
            "url": "/api/v1/map/hazard-areas.geojson",
            "title": _("Hazard areas by status"),
            "property": "status",
            "link": "/hazard-areas/{id}",
            "link_text": _("Hazard area"),
            "classes": [
                [code, label(code, "hazard_status"), colour]
                for code, colour in HAZARD_COLOURS.items()
            ],
        },
        {
            "key": "heritage",
            "url": "/api/v1/map/heritage-sites.geojson",
            "title": _("Heritage sites by condition"),
            "property": "condition",
            "link": "/heritage-sites/{id}",
            "link_text": _("Heritage site"),
            "classes": [
                [code, label(code, "overall_condition"), colour]
                for code, colour in CONDITION_COLOURS.items()
            ],
        },
    ]


@router.get("/map")
def map_page(request: Request, actor: UIActor) -> Response:
    require(actor, "place.view")
    return render(
        request,
        "map.html",
        {
            **_choices("map"),
            "basemap": BASEMAP,
            "basemap_detail": BASEMAP_DETAIL,
            # settlements are drawn by readiness (the thematic layer), not as a place type
            "type_labels": [[t, label(t)] for t in TYPES if t != PlaceType.SETTLEMENT.value],
            "layers": _map_layers(),
            "layer_messages": {
                "score": _("Readiness score"),
                "ready": _("Ready for return"),
                "yes": _("yes"),
                "no": _("no"),
                "blocking": _("Blocking hazard areas"),
                "type": _("Type"),
                "remaining": _("Remaining area (m²)"),
                "condition": _("Condition"),
                "coarse": _("Location shown approximately (sensitive site)"),
                "truncated": _("Not every feature is shown: zoom in to see the rest."),
                "failed": _("Could not load the layer."),
            },
            "messages": {
                "places": _("Places"),
                "legend": _("Place types"),
                "loading": _("Loading…"),
                "none": _("No places with coordinates here."),
                "truncated": _(
                    "Showing the first %(num)d places: zoom in or search to see the rest."
                )
                % {"num": MAP_LIMIT},
                "count": _("Places shown: %(num)s"),
                "failed": _("Could not load the places."),
            },
        },
    )


@router.get("/places/{place_id}")
def show_place(request: Request, place_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    place = places.get_place(wayhome, actor, place_id)
    kids = places.children(wayhome, place_id, limit=101)
    return render(
        request,
        "places/detail.html",
        {
            "place": place,
            "ancestors": places.ancestors(wayhome, place),
            "children": kids[:100],
            "more_children": len(kids) > 100,
            "basemap": BASEMAP,
            "basemap_detail": BASEMAP_DETAIL,
            **_choices(),
        },
    )


@router.get("/places/{place_id}/popup")
def place_popup(request: Request, place_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    place = places.get_place(wayhome, actor, place_id)
    return render(
        request,
        "places/_popup.html",
        {"place": place, "ancestors": places.ancestors(wayhome, place)},
    )


@router.get("/places/{place_id}/edit")
def edit_place(request: Request, place_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "place.edit")
    place = places.get_place(wayhome, actor, place_id)
    return _form(
        request,
        place=place,
        names=_form_names(place),
        values=place,
        parent=_place_or_none(wayhome, actor, place.parent_id),
    )


@router.post("/places/{place_id}/edit", dependencies=[CSRFChecked])
async def update_place(
    request: Request, place_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "place.edit")
    data = nest(await request.form())
    place = places.get_place(wayhome, actor, place_id)
    try:
        places.update_place(wayhome, actor, place_id, _place_input(data))
    except ValidationFailed as error:
        return _form_error(request, wayhome, actor, data, error, place)
    except Conflict as error:
        conflict = ValidationFailed([FieldError(("version",), error.template, error.params)])
        return _form_error(request, wayhome, actor, data, conflict, place, 409)
    return RedirectResponse(f"/places/{place_id}", status_code=303)


@router.get("/places/{place_id}/history")
def place_history(request: Request, place_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    entries = readable(wayhome, actor, places.place_history(wayhome, actor, place_id))
    place = places.get_place(wayhome, actor, place_id)
    return render(
        request, "places/history.html", {"place": place, "entries": entries, **_choices()}
    )
