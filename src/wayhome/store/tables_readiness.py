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
