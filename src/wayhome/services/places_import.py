"""Import a gazetteer file (CSV or GeoJSON): validate every row, then write in one transaction.

The column format, the two modes and the error format are described in docs/guide/places-import.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.vocab import PARENT_TYPES, PlaceType
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import PlaceInput, parse_input
from wayhome.services.permissions import require
from wayhome.services.places import write_place
from wayhome.services.places_formats import LANG_TAG, ImportFileError, RawRow, read_places_file
from wayhome.store.tables import Place

__all__ = ["ImportFileError", "ImportReport", "RowError", "import_places"]

Mode = Literal["all-or-nothing", "skip-bad-rows"]
MODES: tuple[str, ...] = ("all-or-nothing", "skip-bad-rows")
DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
WHOLE = re.compile(r"^\+?\d+(\.0*)?$")
TYPES = ", ".join(t.value for t in PlaceType)


@dataclass(frozen=True)
class RowError:
    """One problem with one row: file, line (or feature index), column and what is wrong."""

    file: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"column '{self.column}': " if self.column else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do); `written` is True when it was committed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[RowError] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def skipped_rows(self) -> int:
        """Return how many rows were skipped (a row may have several problems)."""
        return len({e.line for e in self.skipped})

    def summary(self) -> str:
        """Return a one-line summary such as ``created 12, updated 0, unchanged 3, skipped 1``."""
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped_rows}"
        )


@dataclass(eq=False)
class _Row:
    line: int
    code: str | None
    type: PlaceType | None
    parent_code: str | None
    data: PlaceInput | None
    errors: list[tuple[str | None, str]]
    name_columns: list[str] = field(default_factory=list)
    parent_row: _Row | None = None
    parent_type: PlaceType | None = None
    blocked: str | None = None  # why the row is not written although it has no errors itself

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.blocked is not None


class _Rollback(Exception):
    """Raised inside the transaction to roll it back (dry run, or errors in all-or-nothing mode)."""


def import_places(
    wayhome: Wayhome,
    actor: Actor,
    path: Path,
    *,
    mode: Mode = "all-or-nothing",
    format: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the places of a CSV or GeoJSON file, creating new codes and updating changed ones."""
    require(actor, "place.import")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    raw = read_places_file(Path(path), format)
    rows = [_parse(r) for r in raw.rows]
    report = ImportReport()
    try:
        with wayhome.transaction() as session:
            existing = _load_existing(session, rows)
            order = _resolve(rows, existing, raw.unit)
            if mode == "all-or-nothing" and any(r.errors for r in rows):
                raise _Rollback  # nothing is written, so nothing is tried
            _write(session, wayhome, actor, order, existing, report, progress, raw.unit)
            if mode == "all-or-nothing" and any(r.errors for r in rows):
                report.created = report.updated = report.unchanged = 0
                raise _Rollback
            if dry_run:
                raise _Rollback
            report.written = True
    except _Rollback:
        pass
    for row in rows:
        problems = [RowError(raw.name, row.line, col, msg) for col, msg in row.errors]
        if not problems and row.blocked:
            problems = [RowError(raw.name, row.line, "parent_code", row.blocked)]
        if mode == "skip-bad-rows":
            report.skipped.extend(problems)
        elif row.errors:  # a row blocked by a bad parent adds nothing new to fix
            report.errors.extend(problems)
    return report


# --- parsing one row ------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any, column: str, low: int, high: int, errors: list) -> float | None:
    text = _text(value)
    if text is None:
        return None
    if isinstance(value, str):
        if not DECIMAL.match(text):
            errors.append((column, f"'{text}' is not a number"))
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # decimal comma, as spreadsheets write it in many locales
    number = float(text)
    if not math.isfinite(number):
        errors.append((column, f"'{text}' is not a number"))
        return None
    if not low <= number <= high:
        errors.append((column, f"{text} is not between {low} and {high}"))
        return None
    return number


def _count(value: Any, errors: list) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if not WHOLE.match(text):
        errors.append(("population", f"'{text}' is not a whole number of 0 or more"))
        return None
    return int(float(text))


def _parse(raw: RawRow) -> _Row:
    values = raw.values
    errors: list[tuple[str | None, str]] = list(raw.problems)
    code = _text(values.get("code"))
    if code is None:
        errors.append(("code", "is required"))
    type_text = (_text(values.get("type")) or "").lower()
    place_type: PlaceType | None = None
    if not type_text:
        errors.append(("type", "is required"))
    elif type_text not in {t.value for t in PlaceType}:
        errors.append(("type", f"'{type_text}' is not a place type (use {TYPES})"))
    else:
        place_type = PlaceType(type_text)
    lat = _number(values.get("lat"), "lat", -90, 90, errors)
    lon = _number(values.get("lon"), "lon", -180, 180, errors)
    if (lat is None) != (lon is None) and not any(c in ("lat", "lon") for c, _ in errors):
        errors.append(("lon" if lon is None else "lat", "give both lat and lon, or neither"))
    population = _count(values.get("population"), errors)
    names: list[dict[str, str | None]] = []
    columns: list[str] = []
    name, lang = _text(values.get("name")), (_text(values.get("lang")) or "").lower() or None
    if name is None:
        errors.append(("name", "is required"))
    else:
        names.append({"name": name, "lang": lang})
        columns.append("name")
    if lang and not LANG_TAG.match(lang):
        errors.append(("lang", f"'{lang}' is not a language code such as en, ru or hy"))
    for key, value in values.items():
        if key.startswith("name:") and (other := _text(value)) is not None:
            names.append({"name": other, "lang": key.removeprefix("name:")})
            columns.append(key)
    parent_code = _text(values.get("parent_code"))
    row = _Row(
        line=raw.line,
        code=code.upper() if code else None,
        type=place_type,
        parent_code=parent_code.upper() if parent_code else None,
        data=None,
        errors=errors,
        name_columns=columns,
    )
    fields = {
        "code": code or "",
        "type": place_type or "",
        "lat": lat,
        "lon": lon,
        "population": population,
        "names": names,
        "source": _text(values.get("source")),
    }
    try:
        row.data = parse_input(PlaceInput, fields)
    except ValidationFailed as failed:
        taken = {c for c, _ in errors}
        errors.extend(e for e in _columns(row, failed.errors) if e[0] not in taken)
    if errors:
        row.data = None
    return row


def _columns(row: _Row, errors: list[FieldError]) -> list[tuple[str | None, str]]:
    """Map the field paths of a PlaceInput (or of write_place) to the columns of the file."""
    mapped: list[tuple[str | None, str]] = []
    for error in errors:
        loc = error.loc
        column: str | None = ".".join(str(part) for part in loc) or None
        if loc and loc[0] == "names":
            column = "name"
            if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(row.name_columns):
                column = row.name_columns[loc[1]]
                if column == "name" and len(loc) > 2 and loc[2] == "lang":
                    column = "lang"
        elif loc and loc[0] == "parent_id":
            column = "parent_code"
        mapped.append((column, error.text()))
    return mapped


# --- resolving codes and parents ------------------------------------------------------------------


def _load_existing(session: Session, rows: list[_Row]) -> dict[str, Place]:
    codes = sorted({c for r in rows for c in (r.code, r.parent_code) if c})
    found: dict[str, Place] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        for place in session.scalars(select(Place).where(func.upper(Place.code).in_(chunk))):
            found[place.code.upper()] = place
    return found


def _resolve(rows: list[_Row], existing: dict[str, Place], unit: str) -> list[_Row]:
    """Check codes and parents, and return the rows with every parent before its children."""
    by_code: dict[str, list[_Row]] = {}
    for row in rows:
        if row.code:
            by_code.setdefault(row.code, []).append(row)
    for code, group in by_code.items():
        if len(group) > 1:
            for row in group:
                others = ", ".join(str(o.line) for o in group if o is not row)
                row.errors.append(("code", f"{code} is also on {unit} {others}"))
        place = existing.get(code)
        if place is not None and place.deleted_at is not None:
            group[0].errors.append(("code", f"{code} belongs to a deleted place"))
    for row in rows:
        _link_parent(row, by_code, existing)
    order = _topological(rows)
    for row in rows:
        _check_parent_type(row)
    return order


def _link_parent(row: _Row, by_code: dict[str, list[_Row]], existing: dict[str, Place]) -> None:
    """Find the parent of a row in the file or in the database."""
    code = row.parent_code
    if code is None:
        return
    if code == row.code:
        row.errors.append(("parent_code", "a place cannot be its own parent"))
    elif code in by_code:
        row.parent_row = by_code[code][0]
        row.parent_type = row.parent_row.type
    elif code in existing and existing[code].deleted_at is None:
        row.parent_type = PlaceType(existing[code].type)
    elif code in existing:
        row.errors.append(("parent_code", f"the parent {code} is a deleted place"))
    else:
        row.errors.append(
            ("parent_code", f"unknown parent {code}: not in this file nor in wayhome")
        )


def _check_parent_type(row: _Row) -> None:
    """Apply the rule of which type of place may lie in which (PARENT_TYPES)."""
    if row.type is None or any("cycle" in msg for col, msg in row.errors if col == "parent_code"):
        return
    allowed = PARENT_TYPES[row.type]
    if row.parent_code is None and allowed:
        row.errors.append(("parent_code", f"a {row.type.value} needs a parent"))
    elif row.parent_type is not None and row.parent_type not in allowed:
        names = ", ".join(t.value for t in allowed) or "nothing"
        row.errors.append(
            (
                "parent_code",
                f"a {row.type.value} can only lie in: {names} "
                f"({row.parent_code} is a {row.parent_type.value})",
            )
        )


def _topological(rows: list[_Row]) -> list[_Row]:
    """Order rows parents first, marking every row on a cycle of parent codes."""
    order: list[_Row] = []
    done: set[int] = set()
    for start in rows:
        path: list[_Row] = []
        on_path: dict[int, int] = {}
        row: _Row | None = start
        while row is not None and id(row) not in done and id(row) not in on_path:
            on_path[id(row)] = len(path)
            path.append(row)
            row = row.parent_row
        if row is not None and id(row) in on_path:
            cycle = path[on_path[id(row)] :]
            chain = " → ".join(str(r.code) for r in [*cycle, cycle[0]])
            for member in cycle:
                member.errors.append(("parent_code", f"the parent codes form a cycle: {chain}"))
        for row in reversed(path):
            done.add(id(row))
            order.append(row)
    return order


# --- writing --------------------------------------------------------------------------------------


def _same(place: Place, data: PlaceInput) -> bool:
    """Tell whether a place already holds exactly what the row says."""
    return (
        place.code == data.code
        and place.type == data.type.value
        and place.parent_id == data.parent_id
        and place.lat == data.lat
        and place.lon == data.lon
        and place.population == data.population
        and place.source == data.source
        and [(n.name, n.lang) for n in place.names] == [(n.name, n.lang) for n in data.names]
    )


def _write(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    order: list[_Row],
    existing: dict[str, Place],
    report: ImportReport,
    progress: Callable[[int, int], None] | None,
    unit: str,
) -> None:
    """Create or update every good row in order, parents first, through write_place."""
    ids = {code: place.id for code, place in existing.items()}
    kept: list[Place] = []  # strong references keep written parents in the session's identity map
    for done, row in enumerate(order, start=1):
        if progress is not None:
            progress(done, len(order))
        parent = row.parent_row
        if row.errors or row.data is None or row.code is None:
            continue
        if parent is not None and parent.failed:
            row.blocked = f"the parent {parent.code} ({unit} {parent.line}) is skipped"
            continue
        parent_id = ids.get(row.parent_code) if row.parent_code else None
        data = row.data.model_copy(update={"parent_id": parent_id})
        place = existing.get(row.code)
        if place is not None and _same(place, data):
            report.unchanged += 1
            continue
        try:
            written = write_place(session, wayhome, actor, data, place)
        except ValidationFailed as failed:
            row.errors.extend(_columns(row, failed.errors))
            continue
        ids[row.code] = written.id
        kept.append(written)
        if place is None:
            report.created += 1
        else:
            report.updated += 1
