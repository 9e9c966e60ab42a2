"""Import and export of hazard areas and heritage sites as GeoJSON, GeoPackage, Shapefile and CSV with WKT.

Exports are files with MDR field names (`wayhome.core.mdr`), written as the caller may see the
data (sensitive heritage sites coarsened, victims' personal data by role). An import is a
multipart upload answered with a report: what was created, updated or unchanged, and every
problem with its file, layer, feature (CSV: line) and field; nothing is written if any feature is
bad unless ``mode=skip-bad-rows``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from wayhome.core.errors import invalid
from wayhome.core.mdr import Entity
from wayhome.core.messages import N_
from wayhome.services import geodata
from wayhome.services.geodata import GeodataFileError
from wayhome.web.deps import APIActor, WayhomeDep

router = APIRouter(tags=["geodata"])

Format = Literal["geojson", "gpkg", "shp", "csv"]
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class FeatureErrorOut(BaseModel):
    """One problem: where (file, layer, feature or line), the field as the file names it, why."""

    where: str
    number: int
    field: str | None
    message: str


class GeodataImportOut(BaseModel):
    """What an import did; `written` is false when nothing was committed."""

    entity: str
    file: str
    created: int
    updated: int
    unchanged: int
    written: bool
    errors: list[FeatureErrorOut]
    skipped: list[FeatureErrorOut]
    ignored_columns: list[str]


def download(exported: geodata.ExportFile) -> Response:
    """An export as a file download."""
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


@router.get("/geodata/export", response_class=Response)
def export_geodata(
    wayhome: WayhomeDep,
    actor: APIActor,
    format: Format = "gpkg",
    entity: Annotated[
        list[Entity] | None,
        Query(description="Repeat for several layers; default: every layer you may see."),
    ] = None,
) -> Response:
    """Download layers with MDR field names (GeoPackage: one layer each; Shapefiles: zipped)."""
    return download(geodata.export_geodata(wayhome, actor, entity or [], format))


def save_upload(upload: UploadFile, folder: str) -> Path:
    """Copy an upload to a file (GDAL reads files), refusing one larger than MAX_UPLOAD_BYTES."""
    name = Path(upload.filename or "upload").name
    path = Path(folder) / name
    size = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise invalid("file", N_("the file is larger than %(max)s MB"), {"max": 200})
            out.write(chunk)
    return path


@router.post("/geodata/import", response_model=GeodataImportOut)
def import_geodata(
    wayhome: WayhomeDep,
    actor: APIActor,
    entity: Annotated[Entity, Form()] = Entity.HAZARD_AREAS,
    file: Annotated[UploadFile | None, File(description="The file to import.")] = None,
    mode: Annotated[Literal["all-or-nothing", "skip-bad-rows"], Form()] = "all-or-nothing",
    dry_run: Annotated[bool, Form()] = False,
    format: Annotated[Format | None, Form()] = None,
) -> geodata.GeodataImportReport:
    """Import hazard areas, land releases or heritage sites from an uploaded file."""
    geodata.require_import(actor, entity)
    if file is None:
        raise invalid("file", N_("attach the file to import"))
    with tempfile.TemporaryDirectory() as folder:
        path = save_upload(file, folder)
        try:
            return geodata.import_geodata(
                wayhome, actor, entity, path, mode=mode, format=format, dry_run=dry_run
            )
        except GeodataFileError as error:
            raise invalid("file", str(error)) from None
