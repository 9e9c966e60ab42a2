"""Map layers: settlements, hazard areas and heritage sites as GeoJSON simplified for the zoom.

The same three endpoints serve API clients (bearer token) and the map page (the browser's session
cookie): they only read, so the session needs no CSRF token here, and a request with neither is
a 401 like every other API call.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from starlette.responses import Response

from wayhome.services import accounts, map_layers
from wayhome.services.context import Actor
from wayhome.web.deps import WayhomeDep, _bearer, api_actor, client_ip, parse_bbox, session_user

router = APIRouter(tags=["map layers"])

GEOJSON = "application/geo+json"


def map_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The bearer token's user, or else the user logged in to the UI in this browser."""
    if credentials is None:
        user = session_user(request)
        if user is not None:
            return accounts.actor_for(user, client_ip(request))
    return api_actor(request, credentials)


MapActor = Annotated[Actor, Depends(map_actor)]
BboxQuery = Annotated[
    str | None,
    Query(description="west,south,east,north in degrees (west > east crosses 180°)"),
]
ZoomQuery = Annotated[
    int | None,
    Query(ge=0, le=22, description="Map zoom: outlines are simplified to half a pixel of it."),
]


def _answer(layer: map_layers.Layer) -> Response:
    # Outlines change only through edits, which bump the version the cache is keyed on; the
    # browser may keep an answer for a minute, and only for this user (private).
    return Response(
        layer.geojson(), media_type=GEOJSON, headers={"Cache-Control": "private, max-age=60"}
    )


@router.get("/map/settlements.geojson", response_class=Response)
def settlements_layer(
    wayhome: WayhomeDep, actor: MapActor, bbox: BboxQuery = None, zoom: ZoomQuery = None
) -> Response:
    """Settlements as points with readiness `score`, `class` and `ready`."""
    return _answer(map_layers.settlement_layer(wayhome, actor, bbox=parse_bbox(bbox), zoom=zoom))


@router.get("/map/hazard-areas.geojson", response_class=Response)
def hazard_areas_layer(
    wayhome: WayhomeDep, actor: MapActor, bbox: BboxQuery = None, zoom: ZoomQuery = None
) -> Response:
    """Hazard areas as outlines simplified for the zoom, with `status`, `hazard_type`, remaining m²."""
    return _answer(map_layers.hazard_layer(wayhome, actor, bbox=parse_bbox(bbox), zoom=zoom))


@router.get("/map/heritage-sites.geojson", response_class=Response)
def heritage_sites_layer(
    wayhome: WayhomeDep, actor: MapActor, bbox: BboxQuery = None, zoom: ZoomQuery = None
) -> Response:
    """Heritage sites as points with their latest `condition`; sensitive ones coarsened by role."""
    return _answer(map_layers.heritage_layer(wayhome, actor, bbox=parse_bbox(bbox), zoom=zoom))
