"""Reading gazetteer files (CSV or GeoJSON) into raw rows for the place import."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wayhome.core.errors import WayhomeError

FORMATS = ("csv", "geojson")
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".geojson": "geojson", ".json": "geojson"}
COLUMNS = ("code", "type", "parent_code", "lat", "lon", "population", "source", "name", "lang")
REQUIRED_COLUMNS = ("code", "type", "name")
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


class ImportFileError(WayhomeError):
    """The file as a whole cannot be imported (missing, not UTF-8, malformed, wrong columns)."""


@dataclass
class RawRow:
    """One CSV row or GeoJSON feature: its line (or feature index) and its cells by column."""

    line: int
    values: dict[str, Any]
    problems: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass
class RawFile:
    """The rows of a gazetteer file; `unit` names what `line` counts ("line" or "feature")."""

    name: str
    format: str
    unit: str
    rows: list[RawRow]


def column_key(header: str) -> tuple[str, str | None]:
    """Return the canonical key of a column name and, when it is not one we know, why."""
    key = header.strip().lower()
    if key in COLUMNS:
        return key, None
    if key.startswith("name:"):
        lang = key.removeprefix("name:").strip()
        if LANG_TAG.match(lang):
            return f"name:{lang}", None
        return key, f"'{lang}' is not a language code such as en, ru or hy"
    return key, f"is not a known column (use {', '.join(COLUMNS)} or name:LANG)"


def read_places_file(path: Path, format: str | None = None) -> RawFile:
    """Read a CSV or GeoJSON gazetteer file into raw rows, raising ImportFileError on a bad file."""
    name = path.name
    if format is None:
        format = EXTENSIONS.get(path.suffix.lower())
        if format is None:
            raise ImportFileError(
                f"{name}: cannot tell the format from the extension '{path.suffix}'; "
                "give the format (csv or geojson)"
            )
    if format not in FORMATS:
        raise ImportFileError(f"unknown format '{format}': use csv or geojson")
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    text = _decode(path.read_bytes(), name)
    if format == "csv":
        return RawFile(name, format, "line", _read_csv(text, name))
    return RawFile(name, format, "feature", _read_geojson(text, name))


def _decode(data: bytes, name: str) -> str:
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + bom
        line = data.count(b"\n", 0, offset) + 1
        raise ImportFileError(
            f"{name}: not UTF-8 text: byte 0x{data[offset]:02x} at byte offset {offset} "
            f"(line {line}); save the file as UTF-8"
        ) from None


def _read_csv(text: str, name: str) -> list[RawRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise ImportFileError(f"{name}: the file is empty or its first line is blank")
        columns = _csv_columns(header, name)
        rows: list[RawRow] = []
        previous = reader.line_num
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            row = RawRow(
                line, {col: cells[i] if i < len(cells) else "" for i, col in enumerate(columns)}
            )
            if any(cell.strip() for cell in cells[len(columns) :]):
                row.problems.append(
                    (None, f"has {len(cells)} cells but the header has {len(columns)} columns")
                )
            rows.append(row)
    except csv.Error as error:
        raise ImportFileError(f"{name}:{reader.line_num}: malformed CSV: {error}") from None
    return rows


def _csv_columns(header: list[str], name: str) -> list[str]:
    columns: list[str] = []
    for cell in header:
        key, problem = column_key(cell)
        if problem:
            raise ImportFileError(f"{name}:1: column '{cell.strip()}' {problem}")
        if key in columns:
            raise ImportFileError(f"{name}:1: column '{key}' appears twice")
        columns.append(key)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        listed = ", ".join(f"'{c}'" for c in missing)
        raise ImportFileError(f"{name}:1: missing required column(s) {listed} in the header")
    return columns


def _read_geojson(text: str, name: str) -> list[RawRow]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{name}:{error.lineno}: not valid JSON: {error.msg} (line {error.lineno}, "
            f"column {error.colno})"
        ) from None
    if (
        not isinstance(document, dict)
        or document.get("type") != "FeatureCollection"
        or not isinstance(document.get("features"), list)
    ):
        raise ImportFileError(f"{name}: not a GeoJSON FeatureCollection")
    return [_feature(feature, index, name) for index, feature in enumerate(document["features"])]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _feature(feature: object, index: int, name: str) -> RawRow:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ImportFileError(f"{name}: feature {index} is not a GeoJSON Feature")
    row = RawRow(index, {})
    geometry = feature.get("geometry")
    if geometry is not None:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind != "Point":
            raise ImportFileError(
                f"{name}: feature {index} has a {kind or 'malformed'} geometry; "
                "only Point features can be imported"
            )
        coordinates = geometry.get("coordinates")
        if (
            isinstance(coordinates, list)
            and len(coordinates) in (2, 3)
            and all(_is_number(c) for c in coordinates)
        ):
            row.values["lon"], row.values["lat"] = coordinates[0], coordinates[1]
        else:
            row.problems.append(("geometry", "the coordinates must be [lon, lat]"))
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        row.problems.append(("properties", "must be an object"))
        properties = {}
    for raw_key, value in properties.items():
        key, problem = column_key(str(raw_key))
        if key in ("lat", "lon"):
            problem = "is taken from the Point geometry, not from the properties"
        if problem or key in row.values:
            row.problems.append((str(raw_key), problem or "appears twice"))
        elif value is not None and not isinstance(value, str) and not _is_number(value):
            row.problems.append((key, "must be text or a number"))
        else:
            row.values[key] = value
    for required in REQUIRED_COLUMNS:
        row.values.setdefault(required, None)
    return row
