"""Import hazard areas, land releases and heritage sites from GeoJSON, GeoPackage, Shapefile, CSV.

Every feature is read and validated (geometry with `wayhome.geo.validate_polygon`, vocabularies
and required fields through the same input models as the API) and written through the services'
``write_*`` functions in ONE transaction, so history and audit apply. In ``all-or-nothing`` mode
nothing is written if any feature is bad; ``skip-bad-rows`` writes the good ones. Re-importing
is idempotent: features are matched by their key (hazard ``local_id``, site ``reference``, release
id or, for releases from elsewhere, hazard + kind + date + the same polygon); an unchanged feature
is left alone, a changed one becomes an update with a new version in the record's history.
A column missing from the file leaves that field as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from wayhome.core.errors import WayhomeError
from wayhome.core.mdr import LAYERS, Entity
from wayhome.services.context import Actor, Wayhome
from wayhome.services.geodata_formats import RawFeature, RawLayer
from wayhome.services.geodata_import_mine import write_hazard, write_release_feature
from wayhome.services.geodata_import_sites import write_site_feature
from wayhome.services.geodata_read import read_layer
from wayhome.services.geodata_rows import Outcome, RowFailed, column, text
from wayhome.services.permissions import require

Mode = Literal["all-or-nothing", "skip-bad-rows"]
MODES: tuple[str, ...] = ("all-or-nothing", "skip-bad-rows")
EDIT_ACTION = {
    Entity.HAZARD_AREAS: "hazard.edit",
    Entity.LAND_RELEASES: "release.record",
    Entity.HERITAGE_SITES: "heritage.edit",
}


@dataclass(frozen=True)
class FeatureError:
    """One problem with one feature: where it is (file, layer, feature or line), field, reason."""

    where: str
    number: int
    field: str | None
    message: str

    def __str__(self) -> str:
        column = f"field '{self.field}': " if self.field else ""
        return f"{self.where}: {column}{self.message}"


@dataclass
class GeodataImportReport:
    """What an import did (or would do); `written` is True when it was committed."""

    entity: str
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FeatureError] = field(default_factory=list)
    skipped: list[FeatureError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        """Return a one-line summary such as ``created 3, updated 1, unchanged 0, skipped 0``."""
        skipped = len({e.number for e in self.skipped})
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {skipped}"
        )


class _Rollback(Exception):
    """Raised inside the transaction to undo it (dry run, or errors in all-or-nothing mode)."""


def import_geodata(
    wayhome: Wayhome,
    actor: Actor,
    entity: Entity | str,
    path: Path,
    *,
    mode: Mode = "all-or-nothing",
    format: str | None = None,
    dry_run: bool = False,
    filename: str | None = None,
) -> GeodataImportReport:
    """Import one entity's layer from a file; see the module documentation for the rules."""
    entity = require_import(actor, entity)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    raw = read_layer(Path(path), LAYERS[entity], format, filename)
    report = GeodataImportReport(entity.value, raw.file, ignored_columns=raw.ignored)
    writer = _WRITERS[entity]
    failed: dict[int, list[tuple[str | None, str]]] = {}
    _check_keys(raw, entity, failed)
    try:
        with wayhome.transaction() as session:
            for feature in raw.features:
                if feature.problems or feature.number in failed:
                    failed.setdefault(feature.number, []).extend(feature.problems)
                    continue
                try:
                    outcome = writer(session, wayhome, actor, feature, raw)
                except RowFailed as error:
                    failed[feature.number] = error.problems
                    continue
                setattr(report, outcome, getattr(report, outcome) + 1)
            if failed and mode == "all-or-nothing":
                report.created = report.updated = report.unchanged = 0
                raise _Rollback
            if dry_run:
                raise _Rollback
            report.written = True
    except _Rollback:
        pass
    target = report.skipped if mode == "skip-bad-rows" else report.errors
    for number in sorted(failed):
        for field_name, message in failed[number]:
            target.append(FeatureError(raw.where(number), number, field_name, message))
    return report


def require_import(actor: Actor, entity: Entity | str) -> Entity:
    """Check that the actor may import an entity (before a file is even read); return it."""
    entity = Entity(entity)
    if entity not in EDIT_ACTION:
        raise WayhomeError(f"{entity.value} cannot be imported (only exported)")
    require(actor, "geodata.import")
    require(actor, EDIT_ACTION[entity])
    return entity


def _check_keys(raw: RawLayer, entity: Entity, failed: dict[int, list]) -> None:
    """The same key on two features of one file is an error on both."""
    key = LAYERS[entity].key
    seen: dict[str, list[int]] = {}
    for feature in raw.features:
        value = text(feature.values.get(key))
        if value:
            seen.setdefault(value.upper(), []).append(feature.number)
    for value, numbers in seen.items():
        if len(numbers) > 1:
            for n in numbers:
                others = ", ".join(str(o) for o in numbers if o != n)
                failed.setdefault(n, []).append(
                    (column(raw, key), f"{value} is also on {raw.unit} {others}")
                )


Writer = Callable[[Session, Wayhome, Actor, RawFeature, RawLayer], Outcome]
_WRITERS: dict[Entity, Writer] = {
    Entity.HAZARD_AREAS: write_hazard,
    Entity.LAND_RELEASES: write_release_feature,
    Entity.HERITAGE_SITES: write_site_feature,
}
