"""Return readiness: observed settlement conditions and the indicator configuration.

Imported at the end of `wayhome.store.tables`, so the tables belong to the same metadata (and
Alembic sees them) wherever `Base` is used. What the columns mean, and how the index is computed
from them, is in `wayhome.services.readiness` and `docs/guide/readiness.md`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wayhome.store.tables import Base, Record
from wayhome.store.types import JSONType, utcnow


class SettlementCondition(Record, Base):
    """Conditions in a settlement as observed on a (partial) date: housing damage and services.

    `housing_damage_pct` is the share of housing damaged or destroyed (0–100, None: not observed);
    `services` maps a service (water, electricity, health, school, …) to available, partial or
    none; a service not mentioned was not observed. `source` (from `Record`) says who reported it.
    """

    __tablename__ = "settlement_conditions"
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), index=True)
    observed_on: Mapped[str] = mapped_column(String(10), index=True)
    observed_on_precision: Mapped[str] = mapped_column(String(8))
    housing_damage_pct: Mapped[float | None] = mapped_column(Float)
    services: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    notes: Mapped[str | None] = mapped_column(Text)


class ReadinessConfig(Base):
    """The readiness index's configuration: one row per installation (id ``default``).

    `settings` holds the indicators (key, weight, enabled, parameters such as the safety buffer),
    the class cut-offs and the minimum data coverage, as validated by
    `wayhome.services.readiness_config.ReadinessSettings`. Each change is versioned.
    """

    __tablename__ = "readiness_config"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    origin_instance: Mapped[str] = mapped_column(String(40))
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id"))


class SettlementReadinessFacts(Base):
    """What a settlement's readiness needs that is the same for everyone who asks, kept at write time.

    One row per settlement, written in the same transaction as any change to its inputs by
    `wayhome.services.readiness_store` (hazard areas near it, its observations, its heritage sites
    and their assessments, the place itself, the safety buffer). `buffer_m` is the buffer the
    safety gate was computed with; the scores are those of `wayhome.services.readiness_facts` for
    the stored observations (None: nothing known). The blocking hazards are in
    `SettlementBlockingHazard`. Demand is not here: it depends on which households the reader
    may see, so it is counted per request.
    """

    __tablename__ = "settlement_readiness"
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), primary_key=True)
    buffer_m: Mapped[float] = mapped_column(Float)
    blocking_count: Mapped[int] = mapped_column(Integer, default=0)
    housing_score: Mapped[float | None] = mapped_column(Float)
    services_score: Mapped[float | None] = mapped_column(Float)
    heritage_score: Mapped[float | None] = mapped_column(Float)
    housing: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    services: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    heritage: Mapped[list[Any]] = mapped_column(JSONType, default=list)


class SettlementBlockingHazard(Base):
    """An open hazard area at or within the safety buffer of a settlement, and how far (metres).

    Kept with `SettlementReadinessFacts`; indexed by hazard so that a change to a hazard area
    finds the settlements it blocked before the change.
    """

    __tablename__ = "settlement_blocking_hazards"
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), primary_key=True)
    hazard_area_id: Mapped[str] = mapped_column(
        ForeignKey("hazard_areas.id"), primary_key=True, index=True
    )
    distance_m: Mapped[float] = mapped_column(Float)


class HeritageSiteLatest(Base):
    """The overall condition of a heritage site's most recently observed assessment.

    One row per site written through the services (None: not assessed yet), kept in the same
    transaction as the site or a new assessment by `wayhome.services.heritage_latest`, so the map
    and the readiness of settlements read it instead of ranking every assessment.
    """

    __tablename__ = "heritage_site_latest"
    site_id: Mapped[str] = mapped_column(ForeignKey("heritage_sites.id"), primary_key=True)
    overall_condition: Mapped[str | None] = mapped_column(String(16))
    observed_on: Mapped[str | None] = mapped_column(String(10))
