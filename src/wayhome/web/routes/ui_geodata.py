"""Import and export of geodata (UI): download links per layer and format, and an upload form.

The downloads are the same files as ``GET /api/v1/geodata/export`` (sensitive heritage sites
coarsened and victims' personal data left out by role); the upload shows the import's report,
every problem with where it is (file, layer, feature or CSV line), the field and the reason.
"""

from __future__ import annotations

import tempfile
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from wayhome.core.errors import ValidationFailed
from wayhome.core.mdr import IMPORTABLE, LAYERS, Entity
from wayhome.core.messages import N_
from wayhome.services import geodata
from wayhome.services.context import Actor
from wayhome.services.geodata_import import Mode
from wayhome.services.permissions import can, require
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.i18n import gettext as _
from wayhome.web.routes.api_geodata import download, save_upload
from wayhome.web.templating import render

router = APIRouter()

ENTITY_LABELS = {
    Entity.HAZARD_AREAS: N_("Hazard areas"),
    Entity.LAND_RELEASES: N_("Land releases"),
    Entity.DEVICES: N_("Devices found"),
    Entity.ACCIDENTS: N_("Accidents"),
    Entity.VICTIMS: N_("Victims"),
    Entity.HERITAGE_SITES: N_("Heritage sites"),
}
FORMAT_LABELS = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "shp": "Shapefile (.zip)",
    "csv": "CSV (WKT)",
}


def _importable(actor: Actor) -> list[Entity]:
    if not can(actor, "geodata.import"):
        return []
    return [e for e in IMPORTABLE if can(actor, geodata.EDIT_ACTION[e])]


def _page(request: Request, actor: Actor, status_code: int = 200, **extra: Any) -> Response:
    context = {
        "section": "geodata",
        "exportable": [
            (e.value, _(ENTITY_LABELS[e]), LAYERS[e].name) for e in geodata.exportable(actor)
        ],
        "importable": [(e.value, _(ENTITY_LABELS[e])) for e in _importable(actor)],
        "formats": FORMAT_LABELS,
        "chosen": Entity.HAZARD_AREAS.value,
        "mode": "all-or-nothing",
        "report": None,
        "file_error": None,
        **extra,
    }
    return render(request, "geodata/index.html", context, status_code)


@router.get("/geodata")
def geodata_page(request: Request, actor: UIActor) -> Response:
    require(actor, "geodata.export")
    return _page(request, actor)


@router.get("/geodata/export")
def export_file(
    wayhome: WayhomeDep, actor: UIActor, entity: Entity, format: str = "gpkg"
) -> Response:
    if format not in FORMAT_LABELS:
        format = "gpkg"
    return download(geodata.export_geodata(wayhome, actor, [entity], format))


@router.post("/geodata/import", dependencies=[CSRFChecked])
def import_file(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    entity: Annotated[Entity, Form()],
    file: Annotated[UploadFile | None, File()] = None,
    mode: Annotated[Mode, Form()] = "all-or-nothing",
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    geodata.require_import(actor, entity)
    kept = {"chosen": entity.value, "mode": mode, "dry_run": dry_run}
    if file is None or not file.filename:
        return _page(request, actor, 422, file_error=_("Choose a file to import."), **kept)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = save_upload(file, folder)
            report = geodata.import_geodata(
                wayhome,
                actor,
                entity,
                path,
                mode=mode,
                dry_run=dry_run,
            )
    except geodata.GeodataFileError as error:
        return _page(request, actor, 422, file_error=str(error), **kept)
    except ValidationFailed as error:
        return _page(request, actor, 422, file_error=str(error), **kept)
    status_code = 422 if report.errors else 200
    return _page(request, actor, status_code, report=report, **kept)
