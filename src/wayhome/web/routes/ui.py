"""The server-rendered UI."""

from fastapi import APIRouter

from wayhome.web.routes import (
    ui_admin,
    ui_auth,
    ui_contamination,
    ui_duplicates,
    ui_geodata,
    ui_heritage,
    ui_households,
    ui_persons,
    ui_places,
    ui_readiness,
    ui_reports,
)

router = APIRouter(include_in_schema=False)
for module in (
    ui_auth,
    ui_duplicates,
    ui_persons,
    ui_households,
    ui_readiness,
    ui_places,
    ui_contamination,
    ui_heritage,
    ui_geodata,
    ui_reports,
    ui_admin,
):
    router.include_router(module.router)
