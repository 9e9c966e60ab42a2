"""The JSON API under /api/v1."""

from fastapi import APIRouter

from wayhome.web.routes import (
    api_auth,
    api_contamination,
    api_duplicates,
    api_geodata,
    api_heritage,
    api_households,
    api_map,
    api_persons,
    api_places,
    api_readiness,
)

router = APIRouter(prefix="/api/v1")
for module in (
    api_auth,
    api_places,
    api_persons,
    api_households,
    api_heritage,
    api_contamination,
    api_duplicates,
    api_readiness,
    api_map,
    api_geodata,
):
    router.include_router(module.router)
