"""The readiness index's vocabulary and configuration: indicators, weights, buffer, class cut-offs.

The configuration is a validated pydantic model (`ReadinessSettings`) stored as one row of
`readiness_config`; with no row the documented defaults (`DEFAULT_SETTINGS`) apply. Administrators
and information managers (analysts) change it with `update_config`, which keeps every version in
the history (`services/audit.py`). `docs/guide/readiness.md` explains each value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator
from sqlalchemy.orm import Session

from wayhome.core.errors import Conflict, InvalidValue
from wayhome.core.messages import N_
from wayhome.services import audit, readiness_store
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import Input
from wayhome.services.permissions import require
from wayhome.store.tables_readiness import ReadinessConfig
from wayhome.store.types import utcnow

CONFIG_ENTITY = "readiness_config"
CONFIG_ID = "default"


class Indicator(StrEnum):
    """An indicator of the readiness index."""

    SAFETY = "safety"  # open hazard areas at or near the settlement
    HOUSING = "housing"  # share of housing not damaged
    SERVICES = "services"  # basic services available
    HERITAGE = "heritage"  # condition of the settlement's heritage sites
    DEMAND = "demand"  # registered households from there who intend to return


class ReadinessClass(StrEnum):
    """The class of a settlement, after IOM's Return Index (severity of conditions)."""

    READY = "ready"  # score at or above the "ready" cut-off, and no open hazard area near
    LOW = "low"  # low severity
    MEDIUM = "medium"  # medium severity
    HIGH = "high"  # high severity
    BLOCKED = "blocked"  # an open hazard area lies at or within the buffer of the settlement
    NO_DATA = "no_data"  # too little is known to score it


class Service(StrEnum):
    """A basic service whose availability is observed in a settlement."""

    WATER = "water"
    ELECTRICITY = "electricity"
    HEALTH = "health"
    SCHOOL = "school"
    MARKET = "market"
    SANITATION = "sanitation"


class ServiceStatus(StrEnum):
    """How available a service is."""

    AVAILABLE = "available"
    PARTIAL = "partial"
    NONE = "none"


SERVICE_SCORE: dict[str, float] = {"available": 1.0, "partial": 0.5, "none": 0.0}

LABELS: dict[str, str] = {
    # indicators
    "safety": N_("Safety from explosive ordnance"),
    "housing": N_("Housing"),
    "services": N_("Basic services"),
    "heritage": N_("Heritage condition"),
    "demand": N_("Intention to return"),
    # classes
    "ready": N_("Ready for return"),
    "low": N_("Low severity"),
    "medium": N_("Medium severity"),
    "high": N_("High severity"),
    "blocked": N_("Blocked by hazard areas"),
    "no_data": N_("Not enough data"),
    # services and their status
    "water": N_("Water"),
    "electricity": N_("Electricity"),
    "health": N_("Health care"),
    "school": N_("School"),
    "market": N_("Market"),
    "sanitation": N_("Sanitation"),
    "available": N_("Available"),
    "partial": N_("Partly available"),
    "none": N_("Not available"),
}


class IndicatorSettings(Input):
    """One indicator: whether it counts and its weight (weights are relative, any scale)."""

    key: Indicator
    enabled: bool = True
    weight: Annotated[float, Field(ge=0, le=100)]


class ClassCutoffs(Input):
    """Lowest score of each class; below ``medium`` is high severity."""

    ready: Annotated[float, Field(ge=0, le=100)] = 75.0
    low: Annotated[float, Field(ge=0, le=100)] = 55.0
    medium: Annotated[float, Field(ge=0, le=100)] = 40.0

    @model_validator(mode="after")
    def _ordered(self) -> ClassCutoffs:
        if not self.medium < self.low < self.ready:
            raise InvalidValue(N_("the cut-offs must rise: medium < low < ready"))
        return self


DEFAULT_WEIGHTS: dict[Indicator, float] = {
    Indicator.SAFETY: 30.0,
    Indicator.HOUSING: 25.0,
    Indicator.SERVICES: 25.0,
    Indicator.HERITAGE: 5.0,
    Indicator.DEMAND: 15.0,
}


def _default_indicators() -> list[IndicatorSettings]:
    return [IndicatorSettings(key=k, weight=w) for k, w in DEFAULT_WEIGHTS.items()]


class ReadinessSettings(Input):
    """The whole configuration of the index (see docs/guide/readiness.md)."""

    indicators: list[IndicatorSettings] = Field(default_factory=_default_indicators)
    buffer_m: Annotated[
        float,
        Field(ge=0, le=50_000, description="A hazard area this close to a settlement blocks it."),
    ] = 1000.0
    cutoffs: ClassCutoffs = Field(default_factory=ClassCutoffs)
    min_coverage: Annotated[
        float,
        Field(
            ge=0,
            le=1,
            description="Share of the enabled weight that must have data for a score.",
        ),
    ] = 0.5
    version: int | None = Field(default=None, description="The version you edited (edits only).")

    @model_validator(mode="after")
    def _indicators(self) -> ReadinessSettings:
        keys = [i.key for i in self.indicators]
        if sorted(keys) != sorted(Indicator):
            raise InvalidValue(
                N_("list every indicator once: %(keys)s"),
                {"keys": ", ".join(i.value for i in Indicator)},
            )
        if sum(i.weight for i in self.indicators if i.enabled) <= 0:
            raise InvalidValue(N_("at least one enabled indicator needs a weight above zero"))
        return self

    def indicator(self, key: Indicator) -> IndicatorSettings:
        """Return the settings of one indicator."""
        return next(i for i in self.indicators if i.key == key)

    def stored(self) -> dict[str, Any]:
        """Return the settings as kept in the database and in history (without the version)."""
        return self.model_dump(mode="json", exclude={"version"})


DEFAULT_SETTINGS = ReadinessSettings()


def read_settings(session: Session) -> tuple[ReadinessSettings, int]:
    """Return the configuration in force and its version (0: the defaults, never changed)."""
    row = session.get(ReadinessConfig, CONFIG_ID)
    if row is None:
        return DEFAULT_SETTINGS, 0
    return ReadinessSettings.model_validate(row.settings), row.version


def get_config(wayhome: Wayhome, actor: Actor) -> tuple[ReadinessSettings, int]:
    """Return the configuration in force and its version (everyone who sees places may read it)."""
    require(actor, "readiness.view")
    with wayhome.read() as session:
        return read_settings(session)


def update_config(
    wayhome: Wayhome, actor: Actor, data: ReadinessSettings
) -> tuple[ReadinessSettings, int]:
    """Replace the configuration; send the version you edited (0 for the defaults)."""
    require(actor, "readiness.configure")
    with wayhome.transaction() as session:
        row = session.get(ReadinessConfig, CONFIG_ID, with_for_update=True)
        current = row.version if row is not None else 0
        if data.version is not None and data.version != current:
            raise Conflict(
                N_(
                    "this record was changed by someone else (now version %(version)d); "
                    "reload it and make your change again"
                ),
                {"version": current},
            )
        before = row.settings if row is not None else DEFAULT_SETTINGS.stored()
        after = data.stored()
        if row is None:
            row = ReadinessConfig(
                id=CONFIG_ID, origin_instance=wayhome.instance_id, settings=after, version=1
            )
            session.add(row)
        else:
            row.settings = after
            row.version += 1
        row.updated_at = utcnow()
        row.updated_by_id = actor.user_id
        session.flush()
        readiness_store.settings_changed(
            session, ReadinessSettings.model_validate(before).buffer_m, data.buffer_m
        )
        audit.record_version(
            session,
            wayhome,
            actor,
            CONFIG_ENTITY,
            CONFIG_ID,
            row.version,
            "update" if current else "create",
            after,
            before,
        )
        return ReadinessSettings.model_validate(after), row.version


def config_history(wayhome: Wayhome, actor: Actor) -> list[audit.HistoryEntry]:
    """Return every version of the configuration, newest first."""
    require(actor, "history.view")
    with wayhome.read() as session:
        return audit.history(session, CONFIG_ENTITY, CONFIG_ID)


__all__ = [
    "DEFAULT_SETTINGS",
    "LABELS",
    "SERVICE_SCORE",
    "ClassCutoffs",
    "Indicator",
    "IndicatorSettings",
    "ReadinessClass",
    "ReadinessSettings",
    "Service",
    "ServiceStatus",
    "config_history",
    "get_config",
    "read_settings",
    "update_config",
]
