"""The JSON API under /api/v1."""

from fastapi import APIRouter

from wayhome.web.routes import (
    api_auth,
    api_contamination,
    api_heritage,
    api_households,
    api_persons,
    api_places,
)

router = APIRouter(prefix="/api/v1")
for module in (
    api_auth,
    api_places,
    api_persons,
    api_households,
    api_heritage,
    api_contamination,
):
    router.include_router(module.router)
