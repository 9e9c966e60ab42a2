"""Tables of explosive ordnance contamination: hazard areas, land release, devices and accidents.

Imported at the end of `wayhome.store.tables`, so that `Base.metadata` knows them. Field names
follow GICHD's Minimum Data Requirements (MDR) where practical; `docs/guide/contamination.md`
maps them. Geometries are GeoJSON text (portable between SQLite and PostgreSQL) with the bounding
box in four columns for fast filtering; areas are geodesic square metres, computed when written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wayhome.store.tables import Base, Record
from wayhome.store.types import JSONType


class HazardArea(Record, Base):
    """A suspected (SHA) or confirmed (CHA) hazardous area, as a polygon."""

    __tablename__ = "hazard_areas"
    __table_args__ = (Index("ix_hazard_areas_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),)
    local_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    hazard_type: Mapped[str] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_date: Mapped[str | None] = mapped_column(String(10))
    place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    geometry: Mapped[str] = mapped_column(Text)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    benchmark_lon: Mapped[float | None] = mapped_column(Float)
    benchmark_lat: Mapped[float | None] = mapped_column(Float)
    original_area_m2: Mapped[float] = mapped_column(Float)
    remaining_area_m2: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    expected_beneficiaries: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")


class MineActionActivity(Record, Base):
    """Survey, clearance or disposal work on a hazard area."""

    __tablename__ = "mine_action_activities"
    hazard_area_id: Mapped[str] = mapped_column(ForeignKey("hazard_areas.id"), index=True)
    activity_type: Mapped[str] = mapped_column(String(16), index=True)
    organisation_name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)


class LandReleaseEvent(Record, Base):
    """Land of a hazard area cancelled, reduced or cleared; `area_m2` is what the ledger counts."""

    __tablename__ = "land_release_events"
    hazard_area_id: Mapped[str] = mapped_column(ForeignKey("hazard_areas.id"), index=True)
    activity_id: Mapped[str | None] = mapped_column(
        ForeignKey("mine_action_activities.id"), index=True
    )
    release_kind: Mapped[str] = mapped_column(String(16))
    geometry: Mapped[str] = mapped_column(Text)
    release_date: Mapped[str] = mapped_column(String(10))
    area_m2: Mapped[float] = mapped_column(Float)
    already_released_m2: Mapped[float] = mapped_column(Float)
    outside_m2: Mapped[float] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)


class DeviceFound(Record, Base):
    """Explosive ordnance found in a hazard area."""

    __tablename__ = "devices_found"
    hazard_area_id: Mapped[str] = mapped_column(ForeignKey("hazard_areas.id"), index=True)
    activity_id: Mapped[str | None] = mapped_column(
        ForeignKey("mine_action_activities.id"), index=True
    )
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    device_category: Mapped[str] = mapped_column(String(24))
    device_type: Mapped[str | None] = mapped_column(String(100))
    condition: Mapped[str] = mapped_column(String(24))
    depth_cm: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    found_on: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)


class MineAccident(Record, Base):
    """An explosive ordnance accident: when, where, which device, how many injured and killed."""

    __tablename__ = "mine_accidents"
    accident_date: Mapped[str | None] = mapped_column(String(10), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    hazard_area_id: Mapped[str | None] = mapped_column(ForeignKey("hazard_areas.id"), index=True)
    device_category: Mapped[str | None] = mapped_column(String(24))
    activity: Mapped[str] = mapped_column(String(24))
    injured: Mapped[int] = mapped_column(Integer, default=0)
    killed: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)


class MineVictim(Record, Base):
    """One person injured or killed in an accident; linked to a registry person when known."""

    __tablename__ = "mine_victims"
    accident_id: Mapped[str] = mapped_column(ForeignKey("mine_accidents.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"), index=True)
    sex: Mapped[str] = mapped_column(String(1), default="U")
    age_group: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    activity: Mapped[str | None] = mapped_column(String(24))
    notes: Mapped[str | None] = mapped_column(Text)


class HazardAreaOutline(Base):
    """A hazard area's outline as drawn on the map at one zoom band, simplified when written.

    Written with the hazard area (`wayhome.services.map_outlines`), so a map layer only reads
    text: the compact GeoJSON of the outline simplified and rounded for that band's zoom.
    """

    __tablename__ = "hazard_area_outlines"
    hazard_area_id: Mapped[str] = mapped_column(ForeignKey("hazard_areas.id"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    geometry: Mapped[str] = mapped_column(Text)
