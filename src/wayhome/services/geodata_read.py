"""Reading geodata files into raw features: GeoJSON and CSV here, GeoPackage and Shapefile via pyogrio.

Columns are mapped to wayhome's field names (`wayhome.core.mdr`: wayhome, MDR or Shapefile name);
geometries become GeoJSON objects for `wayhome.geo.validate_polygon`. WKB is decoded here rather
than by GEOS, so that a ring GEOS cannot even build (fewer than 4 positions) still gets a reason
that names the ring.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import struct
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyogrio
import pyogrio.errors
import pyogrio.raw
import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping

from wayhome.core.mdr import Layer
from wayhome.services.geodata_formats import (
    EXTENSIONS,
    FORMATS,
    GeodataFileError,
    RawFeature,
    RawLayer,
)

WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom")


def format_of(name: str, format: str | None) -> str:
    """Return the format of a file from the one given or from its name's extension."""
    if format is not None:
        if format not in FORMATS:
            raise GeodataFileError(f"unknown format '{format}': use {', '.join(FORMATS)}")
        return format
    suffix = Path(name).suffix.lower()
    found = EXTENSIONS.get(suffix)
    if found is None:
        raise GeodataFileError(
            f"{name}: cannot tell the format from the extension '{suffix}'; "
            f"give the format ({', '.join(FORMATS)})"
        )
    return found


def read_layer(
    path: Path, layer: Layer, format: str | None = None, name: str | None = None
) -> RawLayer:
    """Read the features of one entity's layer from a file, raising GeodataFileError if unreadable."""
    name = name or path.name
    format = format_of(name, format)
    if not path.is_file():
        raise GeodataFileError(f"{name}: no such file")
    if format == "geojson":
        return _read_geojson(path.read_bytes(), name, layer)
    if format == "csv":
        return _read_csv(path.read_bytes(), name, layer)
    return _read_ogr(path, name, layer, format)


def _decode(data: bytes, name: str) -> str:
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + bom
        line = data.count(b"\n", 0, offset) + 1
        raise GeodataFileError(
            f"{name}:{line}: not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}); "
            "save the file as UTF-8"
        ) from None


def _map_columns(
    headers: Sequence[str], layer: Layer, where: str
) -> tuple[dict[str, str], list[str]]:
    """Map a file's column names to wayhome names; return the mapping and the ignored columns."""
    aliases = layer.aliases()
    mapped: dict[str, str] = {}
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for header in headers:
        key = aliases.get(header.strip().lower())
        if key is None:
            ignored.append(header)
            continue
        if key in seen:
            raise GeodataFileError(
                f"{where}: columns '{seen[key]}' and '{header}' are the same field ({key})"
            )
        seen[key] = header
        mapped[header] = key
    return mapped, ignored


def _read_geojson(data: bytes, name: str, layer: Layer) -> RawLayer:
    text = _decode(data, name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise GeodataFileError(
            f"{name}:{error.lineno}: not valid JSON: {error.msg} (column {error.colno})"
        ) from None
    if (
        not isinstance(document, dict)
        or document.get("type") != "FeatureCollection"
        or not isinstance(document.get("features"), list)
    ):
        raise GeodataFileError(f"{name}: not a GeoJSON FeatureCollection")
    headers: list[str] = []
    for item in document["features"]:
        props = item.get("properties") if isinstance(item, dict) else None
        for key in props or {}:
            if key not in headers:
                headers.append(str(key))
    mapped, ignored = _map_columns(headers, layer, name)
    result = RawLayer(name, layer.name, "feature", {v: k for k, v in mapped.items()}, ignored, [])
    for number, item in enumerate(document["features"], start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise GeodataFileError(f"{name}: feature {number} is not a GeoJSON Feature")
        geometry = item.get("geometry")
        feature = RawFeature(number, {}, None)
        if geometry is not None and not isinstance(geometry, dict):
            feature.problems.append(("geometry", "is not a GeoJSON geometry object"))
        else:
            feature.geometry = geometry
        props = item.get("properties") or {}
        if not isinstance(props, dict):
            feature.problems.append(("properties", "must be an object"))
            props = {}
        for key, value in props.items():
            if key in mapped:
                feature.values[mapped[key]] = value
        result.features.append(feature)
    return result


def _read_csv(data: bytes, name: str, layer: Layer) -> RawLayer:
    text = _decode(data, name)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise GeodataFileError(f"{name}:1: the file is empty or its first line is blank")
        lowered = [h.strip().lower() for h in header]
        wkt_at = next((i for i, h in enumerate(lowered) if h in WKT_COLUMNS), None)
        if wkt_at is None:
            raise GeodataFileError(
                f"{name}:1: no geometry column: add a column 'wkt' with the geometry as WKT"
            )
        others = [h for i, h in enumerate(header) if i != wkt_at]
        mapped, ignored = _map_columns(others, layer, f"{name}:1")
        result = RawLayer(name, layer.name, "line", {v: k for k, v in mapped.items()}, ignored, [])
        previous = reader.line_num
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            feature = RawFeature(line, {}, None)
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                feature.problems.append(
                    (None, f"has {len(cells)} cells but the header has {len(header)} columns")
                )
            for i, column in enumerate(header):
                value = cells[i] if i < len(cells) else ""
                if i == wkt_at:
                    feature.geometry = _geometry_from_wkt(value, feature)
                elif column in mapped:
                    feature.values[mapped[column]] = value
            result.features.append(feature)
    except csv.Error as error:
        raise GeodataFileError(f"{name}:{reader.line_num}: malformed CSV: {error}") from None
    return result


def _geometry_from_wkt(text: str, feature: RawFeature) -> dict[str, Any] | None:
    if not text.strip():
        return None
    try:
        geometry = shapely.from_wkt(text)
    except GEOSException as error:
        feature.problems.append(("wkt", f"is not valid WKT: {_geos_message(error)}"))
        return None
    return _as_geojson(geometry)


def _geos_message(error: Exception) -> str:
    message = str(error).strip()
    return message.removeprefix("ParseException: ").removeprefix("IllegalArgumentException: ")


def _as_geojson(geometry: Any) -> dict[str, Any] | None:
    if geometry is None or geometry.is_empty:
        return None
    result: dict[str, Any] = mapping(geometry)
    return json.loads(json.dumps(result))  # tuples to lists, as GeoJSON text would give


def _ogr_path(path: Path, name: str, format: str) -> tuple[str, list[str]]:
    """The GDAL path to read and the layers in it (a zip of Shapefiles is read in place)."""
    target = str(path)
    if format == "shp" and zipfile.is_zipfile(path):
        target = f"/vsizip/{path}"
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(target)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        kind = "GeoPackage" if format == "gpkg" else "Shapefile (or zip of Shapefiles)"
        raise GeodataFileError(f"{name}: not a readable {kind}: {_gdal_message(error)}") from None
    return target, layers


def _gdal_message(error: Exception) -> str:
    return str(error).split(";")[0].replace(str(Path(tempfile.gettempdir())), "…")


def _read_ogr(path: Path, name: str, layer: Layer, format: str) -> RawLayer:
    target, available = _ogr_path(path, name, format)
    if format == "gpkg":
        if layer.name not in available:
            raise GeodataFileError(
                f"{name}: no layer '{layer.name}' (the file has: {', '.join(available) or 'none'})"
            )
        chosen = [layer.name]
    else:
        chosen = [n for n in available if n == layer.name or n.startswith(layer.name + "_")]
        if not chosen and len(available) == 1:
            chosen = available  # a lone Shapefile, whatever its name
        if not chosen:
            raise GeodataFileError(
                f"{name}: no Shapefile named {layer.name}.shp "
                f"(the zip has: {', '.join(available) or 'none'})"
            )
    parts = [_read_ogr_layer(target, name, n, layer, format) for n in chosen]
    result = parts[0]
    for part in parts[1:]:  # a heritage layer split into points and polygons
        result.columns.update(part.columns)
        result.features.extend(part.features)
    return result


def _read_ogr_layer(target: str, name: str, layer_name: str, layer: Layer, fmt: str) -> RawLayer:
    try:
        meta, _fids, geometries, arrays = pyogrio.raw.read(
            target, layer=layer_name, encoding="UTF-8" if fmt == "shp" else None
        )
    except pyogrio.errors.DataSourceError as error:
        raise GeodataFileError(f"{name}: layer {layer_name}: {_gdal_message(error)}") from None
    headers = [str(h) for h in meta["fields"]]
    mapped, ignored = _map_columns(headers, layer, f"{name}, layer {layer_name}")
    result = RawLayer(name, layer_name, "feature", {v: k for k, v in mapped.items()}, ignored, [])
    count = len(geometries) if geometries is not None else (len(arrays[0]) if arrays else 0)
    for index in range(count):
        feature = RawFeature(index + 1, {}, None)
        for header, array in zip(headers, arrays, strict=True):
            if header in mapped:
                feature.values[mapped[header]] = _python(array[index])
        wkb = geometries[index] if geometries is not None else None
        if wkb is not None:
            try:
                feature.geometry = wkb_to_geojson(bytes(wkb))
            except ValueError as error:
                feature.problems.append(("geometry", f"is not readable: {error}"))
        result.features.append(feature)
    return result


def _python(value: Any) -> Any:
    """A value of a GDAL array as plain Python; NaN (a missing number) is None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_WKB_TYPES = {1: "Point", 3: "Polygon", 6: "MultiPolygon"}


def wkb_to_geojson(wkb: bytes) -> dict[str, Any] | None:
    """Decode WKB into a GeoJSON geometry *without* judging it, so that `validate_polygon` can.

    GEOS refuses to build a ring of fewer than 4 positions; reading the positions ourselves lets
    the validation name the ring and vertex instead. Other geometry types go through shapely.
    """
    try:
        geometry, _end = _wkb_geometry(memoryview(wkb), 0)
    except _OtherType:
        try:
            return _as_geojson(shapely.from_wkb(wkb))
        except GEOSException as error:
            raise ValueError(_geos_message(error)) from None
    except (struct.error, IndexError):
        raise ValueError("truncated or corrupt WKB") from None
    if geometry["type"] != "Point" and not geometry["coordinates"]:
        return None
    return geometry


class _OtherType(Exception):
    """A geometry type this decoder leaves to shapely."""


def _wkb_geometry(data: memoryview, at: int) -> tuple[dict[str, Any], int]:
    order = "<" if data[at] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", data, at + 1)
    at += 5
    dims = 2
    if code & 0x80000000:  # EWKB Z flag
        dims += 1
    if code & 0x40000000:  # EWKB M flag
        dims += 1
    if code & 0x20000000:  # EWKB SRID
        at += 4
    code &= 0x0FFFFFFF
    if code >= 1000:  # ISO Z, M, ZM
        dims += {1: 1, 2: 1, 3: 2}.get(code // 1000, 0)
        code %= 1000
    kind = _WKB_TYPES.get(code)
    if kind is None:
        raise _OtherType
    if kind == "Point":
        values = struct.unpack_from(order + "d" * dims, data, at)
        at += 8 * dims
        point = None if any(math.isnan(v) for v in values[:2]) else [values[0], values[1]]
        return {"type": "Point", "coordinates": point}, at
    if kind == "Polygon":
        rings, at = _wkb_rings(data, at, order, dims)
        return {"type": "Polygon", "coordinates": rings}, at
    (count,) = struct.unpack_from(order + "I", data, at)
    at += 4
    polygons = []
    for _ in range(count):
        part, at = _wkb_geometry(data, at)
        if part["type"] != "Polygon":
            raise _OtherType
        polygons.append(part["coordinates"])
    return {"type": "MultiPolygon", "coordinates": polygons}, at


def _wkb_rings(data: memoryview, at: int, order: str, dims: int) -> tuple[list, int]:
    (count,) = struct.unpack_from(order + "I", data, at)
    at += 4
    rings = []
    for _ in range(count):
        (points,) = struct.unpack_from(order + "I", data, at)
        at += 4
        ring = []
        for _ in range(points):
            values = struct.unpack_from(order + "d" * dims, data, at)
            at += 8 * dims
            ring.append([values[0], values[1]])
        rings.append(ring)
    return rings, at
