"""API of the gazetteer."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wayhome.services import places
from wayhome.services.inputs import PlaceInput
from wayhome.web.deps import APIActor, WayhomeDep, parse_bbox
from wayhome.web.schemas import HistoryOut, PageOut, PlaceOut

router = APIRouter(tags=["places"])


@router.get("/places", response_model=PageOut[PlaceOut])
def list_places(
    wayhome: WayhomeDep,
    actor: APIActor,
    q: str | None = None,
    type: str | None = None,
    parent_id: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """Search places by name in any script, code, type or parent."""
    return places.search_places(
        wayhome, actor, q=q, type=type, parent_id=parent_id, page=page, per_page=per_page
    )


@router.get("/places.geojson")
def places_geojson(
    wayhome: WayhomeDep,
    actor: APIActor,
    bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
    type: Annotated[list[str] | None, Query()] = None,
    q: str | None = None,
) -> dict[str, Any]:
    """Places with a location as GeoJSON, optionally within a bounding box."""
    return places.map_features(wayhome, actor, bbox=parse_bbox(bbox), types=type, q=q)


@router.post("/places", response_model=PlaceOut, status_code=201)
def create_place(body: PlaceInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Add a place."""
    return places.create_place(wayhome, actor, body)


@router.get("/places/{place_id}", response_model=PlaceOut)
def get_place(place_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """One place."""
    return places.get_place(wayhome, actor, place_id)


@router.put("/places/{place_id}", response_model=PlaceOut)
def update_place(place_id: str, body: PlaceInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Replace a place's details (send the version you edited to detect conflicts)."""
    return places.update_place(wayhome, actor, place_id, body)


@router.get("/places/{place_id}/history", response_model=list[HistoryOut])
def place_history(place_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of a place."""
    return places.place_history(wayhome, actor, place_id)
