"""Writing geodata files (GeoJSON, GeoPackage, zipped Shapefiles, CSV with WKT) and the file types.

GeoPackages and Shapefiles are written with pyogrio (GDAL, shipped in its wheel); GeoJSON and CSV
here. Rows are dictionaries keyed by wayhome's field names (`wayhome.core.mdr`); columns are
written with MDR names (Shapefiles: the short names). Reading is `wayhome.services.geodata_read`.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.errors
import pyogrio.raw
import shapely
from shapely.geometry import shape

from wayhome.core.errors import WayhomeError
from wayhome.core.mdr import Field, Layer

FORMATS = ("geojson", "gpkg", "shp", "csv")
EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "shp",
    ".shp": "shp",
    ".csv": "csv",
    ".txt": "csv",
}
MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}
CRS = "EPSG:4326"
DBF_TEXT_BYTES = 254
SHAPEFILE_LEFT_OUT = ("notes", "description")  # free text longer than a DBF cell can hold


class GeodataFileError(WayhomeError):
    """A file cannot be read or written as a whole (format, layer, columns, encoding)."""


@dataclass
class LayerData:
    """What to write for one layer: its rows (wayhome names), geometries, and the fields to write."""

    layer: Layer
    fields: tuple[Field, ...]
    rows: list[dict[str, Any]]
    geometries: list[dict[str, Any] | None]


@dataclass
class ExportFile:
    """A file to hand to the user: its name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


@dataclass
class RawFeature:
    """One feature (CSV: one line) as read: its number, values by wayhome name, geometry."""

    number: int
    values: dict[str, Any]
    geometry: dict[str, Any] | None
    problems: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass
class RawLayer:
    """The features of one layer of a file; `unit` names what `number` counts."""

    file: str
    layer: str
    unit: str  # "feature" or "line"
    columns: dict[str, str]  # wayhome name -> the column's name in the file
    ignored: list[str]  # columns of the file that are not fields of the entity
    features: list[RawFeature]

    def where(self, number: int) -> str:
        """Return where a feature is: ``hazards.csv:4`` or ``f.gpkg, layer hazard, feature 3``."""
        if self.unit == "line":
            return f"{self.file}:{number}"
        return f"{self.file}, layer {self.layer}, feature {number}"


# --- writing ---------------------------------------------------------------------------------


def _cell(f: Field, value: Any, *, flat: bool) -> Any:
    """A value as written: JSON kinds become text in flat formats; booleans become 0/1."""
    if value is None:
        return None
    if f.kind == "json":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if flat else value
    if isinstance(value, bool):
        return int(value)
    return value


def write_geodata(format: str, layers: Sequence[LayerData], stem: str) -> ExportFile:
    """Write layers in a format; several GeoJSON or CSV layers come as one zip of files."""
    if format not in FORMATS:
        raise GeodataFileError(f"unknown format '{format}': use {', '.join(FORMATS)}")
    if format == "gpkg":
        return ExportFile(f"{stem}.gpkg", MEDIA_TYPES["gpkg"], _gpkg(layers))
    if format == "shp":
        return ExportFile(f"{stem}.shp.zip", MEDIA_TYPES["shp"], _shapefiles(layers))
    writer = _geojson if format == "geojson" else _csv
    files = {f"{data.layer.name}.{format}": writer(data) for data in layers}
    if len(files) == 1:
        name, content = next(iter(files.items()))
        return ExportFile(name, MEDIA_TYPES[format], content)
    return ExportFile(f"{stem}.{format}.zip", MEDIA_TYPES["zip"], _zip(files))


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _geojson(data: LayerData) -> bytes:
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {f.mdr: _cell(f, row.get(f.name), flat=False) for f in data.fields},
        }
        for row, geometry in zip(data.rows, data.geometries, strict=True)
    ]
    document = {"type": "FeatureCollection", "name": data.layer.name, "features": features}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _wkt(geometry: dict[str, Any] | None) -> str:
    if geometry is None:
        return ""
    return str(shapely.to_wkt(shape(geometry), rounding_precision=-1))


def _csv(data: LayerData) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*(f.mdr for f in data.fields), "wkt"])
    for row, geometry in zip(data.rows, data.geometries, strict=True):
        cells = [_cell(f, row.get(f.name), flat=True) for f in data.fields]
        writer.writerow(["" if c is None else c for c in cells] + [_wkt(geometry)])
    return out.getvalue().encode("utf-8")


def _columns(
    data: LayerData, fields: Sequence[Field], short: bool, rows: Sequence[dict[str, Any]]
) -> tuple[list[Any], list[str], list[Any]]:
    """Arrays, names and null masks of the fields of some rows, typed for GDAL."""
    arrays: list[Any] = []
    names: list[str] = []
    masks: list[Any] = []
    for f in fields:
        values = [_cell(f, row.get(f.name), flat=True) for row in rows]
        names.append(f.short if short else f.mdr)
        if f.kind == "int":
            masks.append(np.array([v is None for v in values], dtype=bool))
            arrays.append(np.array([0 if v is None else int(v) for v in values], dtype="int64"))
        elif f.kind == "float":
            masks.append(None)
            arrays.append(np.array([np.nan if v is None else v for v in values], dtype="float64"))
        else:
            masks.append(None)
            arrays.append(np.array([None if v is None else str(v) for v in values], dtype=object))
    return arrays, names, masks


def _wkb(geometries: Sequence[dict[str, Any] | None]) -> Any:
    return np.array(
        [None if g is None else shapely.to_wkb(shape(g)) for g in geometries], dtype=object
    )


def _gpkg(layers: Sequence[LayerData]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        for data in layers:
            arrays, names, masks = _columns(data, data.fields, False, data.rows)
            geometry_type = data.layer.geometry or "Unknown"
            multi = any(g and g["type"] == "MultiPolygon" for g in data.geometries)
            if geometry_type == "Polygon" and multi:
                geometry_type = "MultiPolygon"  # one type per layer: every polygon as multi
            pyogrio.raw.write(
                str(path),
                _wkb(data.geometries),
                arrays,
                names,
                field_mask=masks,
                layer=data.layer.name,
                driver="GPKG",
                geometry_type=geometry_type,
                crs=CRS,
                promote_to_multi=geometry_type == "MultiPolygon",
            )
        return path.read_bytes()


def _shapefile_parts(data: LayerData) -> list[tuple[str, str, list[int]]]:
    """(file name, geometry type, row indexes) of each Shapefile a layer needs (one type each)."""
    everything = list(range(len(data.rows)))
    if data.layer.geometry != "Unknown":
        return [(data.layer.name, data.layer.geometry or "Unknown", everything)]
    polygons = [
        i for i, g in enumerate(data.geometries) if g and g["type"] in ("Polygon", "MultiPolygon")
    ]
    taken = set(polygons)
    points = [i for i in everything if i not in taken]
    return [
        (f"{data.layer.name}_point", "Point", points),
        (f"{data.layer.name}_polygon", "MultiPolygon", polygons),
    ]


def _check_dbf_text(data: LayerData, fields: Sequence[Field], rows: Sequence[dict]) -> None:
    for row in rows:
        for f in fields:
            value = row.get(f.name)
            if isinstance(value, str) and len(value.encode()) > DBF_TEXT_BYTES:
                key = row.get(data.layer.key)
                raise GeodataFileError(
                    f"{data.layer.name} {key}: {f.mdr} is {len(value.encode())} bytes long, "
                    f"more than a Shapefile can hold ({DBF_TEXT_BYTES}); export as GeoPackage"
                )


def _shapefiles(layers: Sequence[LayerData]) -> bytes:
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        for data in layers:
            fields = [
                f for f in data.fields if f.kind != "json" and f.name not in SHAPEFILE_LEFT_OUT
            ]
            for name, geometry_type, indexes in _shapefile_parts(data):
                rows = [data.rows[i] for i in indexes]
                _check_dbf_text(data, fields, rows)
                arrays, names, masks = _columns(data, fields, True, rows)
                pyogrio.raw.write(
                    str(Path(folder) / f"{name}.shp"),
                    _wkb([data.geometries[i] for i in indexes]),
                    arrays,
                    names,
                    field_mask=masks,
                    driver="ESRI Shapefile",
                    geometry_type=geometry_type,
                    crs=CRS,
                    encoding="UTF-8",
                    promote_to_multi=geometry_type == "MultiPolygon",
                )
        for path in sorted(Path(folder).iterdir()):
            files[path.name] = path.read_bytes()
    return _zip(files)
