"""Field names of geodata exchange: wayhome's own names ↔ GICHD Minimum Data Requirements (MDR).

GICHD's MDR (https://github.com/GICHD/mdr, minimum-data-requirements.readthedocs.io) lists the
data items every mine action programme keeps per object: hazards, hazard reductions (land
release), activities, devices (explosive ordnance), accidents and victims. IMSMA, the system
most programmes use, names its objects ``hazard``, ``hazreduc``, ``accident``, ``victim`` and
``ordnance`` and keys each by a ``<object>_localid``; the names below follow that pattern so that
a file exported by wayhome maps onto IMSMA's objects column by column.

Each :class:`Field` has wayhome's name, the MDR name written on export, and a short name of at
most 10 characters for Shapefiles (whose DBF tables allow no longer column names). An import
accepts any of the three, in any letter case. Heritage sites are not mine action data; their
names follow wayhome's heritage register (EAMENA-style), with the same short-name rule.

This module is the only place the mapping is defined; docs/guide/geodata.md prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Entity(StrEnum):
    """What can be exported (all) and imported (hazard areas, land releases, heritage sites)."""

    HAZARD_AREAS = "hazard_areas"
    LAND_RELEASES = "land_releases"
    DEVICES = "devices"
    ACCIDENTS = "accidents"
    VICTIMS = "victims"
    HERITAGE_SITES = "heritage_sites"


IMPORTABLE: tuple[Entity, ...] = (Entity.HAZARD_AREAS, Entity.LAND_RELEASES, Entity.HERITAGE_SITES)


@dataclass(frozen=True)
class Field:
    """One exchanged field: wayhome's name, the MDR (or register) name, the Shapefile name.

    `kind` is ``text``, ``int``, ``float``, ``date`` (ISO text) or ``json`` (a list or object:
    nested in GeoJSON, JSON text in GeoPackage and CSV, left out of Shapefiles). `export_only`
    fields are computed by wayhome (areas, the ledger) and ignored on import.
    """

    name: str
    mdr: str
    short: str
    kind: str = "text"
    export_only: bool = False

    def __post_init__(self) -> None:
        if len(self.short) > 10:
            raise ValueError(f"Shapefile name {self.short!r} is longer than 10 characters")


@dataclass(frozen=True)
class Layer:
    """The layer (file, table) of one entity: its name, geometry type, key field and fields."""

    entity: Entity
    name: str  # GeoPackage layer, Shapefile and CSV file name
    geometry: str | None  # "Polygon", "Point", "Unknown" (points or polygons) or None
    key: str  # the wayhome name of the field re-imports are matched by
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        """Return the field of a wayhome name."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def aliases(self) -> dict[str, str]:
        """Map every accepted column name (wayhome, MDR, short; lower case) to wayhome's name."""
        found: dict[str, str] = {}
        for f in self.fields:
            for alias in (f.name, f.mdr, f.short):
                found.setdefault(alias.lower(), f.name)
        return found


F = Field
LOCATION = F("place_code", "location_localid", "loc_locid")
NOTES = F("notes", "remarks", "remarks")
SOURCE = F("source", "data_source", "source")

LAYERS: dict[Entity, Layer] = {
    Entity.HAZARD_AREAS: Layer(
        Entity.HAZARD_AREAS,
        "hazard",
        "Polygon",
        "local_id",
        (
            F("local_id", "hazard_localid", "haz_locid"),
            F("id", "hazard_guid", "haz_guid", export_only=True),
            F("name", "hazard_name", "haz_name"),
            F("hazard_type", "hazard_type", "haz_type"),
            F("status", "hazard_status", "haz_status"),
            F("status_date", "status_date", "stat_date", "date"),
            LOCATION,
            F("benchmark_lon", "benchmark_longitude", "bm_lon", "float"),
            F("benchmark_lat", "benchmark_latitude", "bm_lat", "float"),
            F("evidence", "evidence", "evidence", "json"),
            F("evidence_types", "evidence_types", "evid_types"),
            F("expected_beneficiaries", "beneficiaries", "benefic", "int"),
            F("original_area_m2", "hazard_area_m2", "area_m2", "float", True),
            F("cancelled_m2", "area_cancelled_m2", "canc_m2", "float", True),
            F("reduced_m2", "area_reduced_m2", "red_m2", "float", True),
            F("cleared_m2", "area_cleared_m2", "clear_m2", "float", True),
            F("remaining_area_m2", "area_remaining_m2", "remain_m2", "float", True),
            NOTES,
            SOURCE,
        ),
    ),
    Entity.LAND_RELEASES: Layer(
        Entity.LAND_RELEASES,
        "hazreduc",
        "Polygon",
        "id",
        (
            F("id", "hazreduc_localid", "hr_locid"),
            F("hazard_local_id", "hazard_localid", "haz_locid"),
            F("release_kind", "hazreduc_type", "hr_type"),
            F("release_date", "hazreduc_date", "hr_date", "date"),
            F("activity_id", "activity_guid", "act_guid"),
            F("area_m2", "area_released_m2", "rel_m2", "float", True),
            F("already_released_m2", "area_already_released_m2", "already_m2", "float", True),
            F("outside_m2", "area_outside_m2", "outside_m2", "float", True),
            NOTES,
            SOURCE,
        ),
    ),
    Entity.DEVICES: Layer(
        Entity.DEVICES,
        "ordnance",
        "Point",
        "id",
        (
            F("id", "ordnance_localid", "ord_locid"),
            F("hazard_local_id", "hazard_localid", "haz_locid"),
            F("device_category", "ordnance_category", "ord_cat"),
            F("device_type", "ordnance_model", "ord_model"),
            F("condition", "ordnance_condition", "ord_cond"),
            F("depth_cm", "depth_cm", "depth_cm", "int"),
            F("quantity", "quantity", "quantity", "int"),
            F("found_on", "date_found", "date_found", "date"),
            F("activity_id", "activity_guid", "act_guid"),
            NOTES,
            SOURCE,
        ),
    ),
    Entity.ACCIDENTS: Layer(
        Entity.ACCIDENTS,
        "accident",
        "Point",
        "id",
        (
            F("id", "accident_localid", "acc_locid"),
            F("accident_date", "accident_date", "acc_date", "date"),
            F("device_category", "ordnance_category", "ord_cat"),
            F("activity", "accident_activity", "acc_act"),
            F("injured", "num_injured", "n_injured", "int"),
            F("killed", "num_killed", "n_killed", "int"),
            F("hazard_local_id", "hazard_localid", "haz_locid"),
            LOCATION,
            F("description", "accident_description", "acc_desc"),
            SOURCE,
        ),
    ),
    Entity.VICTIMS: Layer(
        Entity.VICTIMS,
        "victim",
        "Point",  # the accident's location: victims themselves are never located
        "id",
        (
            F("id", "victim_localid", "vic_locid"),
            F("accident_id", "accident_localid", "acc_locid"),
            F("sex", "victim_gender", "vic_gender"),
            F("age_group", "victim_age_group", "vic_age"),
            F("outcome", "victim_status", "vic_status"),
            F("activity", "victim_activity", "vic_act"),
            F("person_id", "person_guid", "pers_guid"),  # personal data: by role only
            NOTES,
        ),
    ),
    Entity.HERITAGE_SITES: Layer(
        Entity.HERITAGE_SITES,
        "heritage_site",
        "Unknown",  # a polygon where known, otherwise a point
        "reference",
        (
            F("reference", "site_localid", "site_locid"),
            F("name", "site_name", "site_name"),
            F("names", "site_names", "site_names", "json"),
            F("type", "site_type", "site_type"),
            F("period", "period", "period"),
            F("community", "community", "community"),
            F("designation", "designation", "designatn"),
            LOCATION,
            F("lat", "latitude", "latitude", "float"),
            F("lon", "longitude", "longitude", "float"),
            F("sensitive", "sensitive", "sensitive", "int"),
            F("location_precision", "location_precision", "loc_prec", export_only=True),
            NOTES,
            SOURCE,
        ),
    ),
}

PERSONAL_VICTIM_FIELDS = ("person_id", "notes")
"""Victim fields written only for roles allowed ``victim.personal_data``."""
