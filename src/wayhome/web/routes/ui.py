"""The server-rendered UI."""

from fastapi import APIRouter

from wayhome.web.routes import ui_admin, ui_auth, ui_households, ui_persons, ui_places

router = APIRouter(include_in_schema=False)
for module in (ui_auth, ui_persons, ui_households, ui_places, ui_admin):
    router.include_router(module.router)
