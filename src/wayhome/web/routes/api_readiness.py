"""Return readiness of settlements (JSON API): the index, observed conditions, the configuration."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from wayhome.services import readiness, readiness_conditions, readiness_config
from wayhome.services.readiness_conditions import ConditionInput
from wayhome.services.readiness_config import ReadinessSettings
from wayhome.web.deps import APIActor, WayhomeDep, parse_bbox
from wayhome.web.schemas import HistoryOut, Out, PageOut, Provenance

router = APIRouter(tags=["readiness"])

BboxQuery = Annotated[str | None, Query(description="west,south,east,north")]


class BlockingHazardOut(Out):
    """An open hazard area at or within the buffer of the settlement (0 m: it contains it)."""

    id: str
    local_id: str
    name: str
    status: str
    hazard_type: str
    distance_m: float


class IndicatorOut(Out):
    """One indicator: its value, weight, score (0–1) and contribution to the 0–100 score."""

    key: str
    label: str
    enabled: bool
    weight: float
    value: float | None
    value_label: str
    score: float | None
    contribution: float
    source: str | None
    date: str | None


class ReadinessOut(Out):
    """The readiness of a settlement; `ready` is false whenever a hazard area blocks it."""

    place_id: str
    place_name: str
    place_code: str
    lat: float | None
    lon: float | None
    score: float | None
    readiness_class: str
    class_label: str
    ready: bool
    coverage: float
    blocking_hazards: list[BlockingHazardOut]
    indicators: list[IndicatorOut]
    demand: dict[str, int]
    households: int


class ConditionOut(Provenance):
    """Conditions observed in a settlement."""

    id: str
    place_id: str
    observed_on: str
    observed_on_precision: str
    housing_damage_pct: float | None
    services: dict[str, str]
    notes: str | None


class ConfigOut(BaseModel):
    """The configuration of the index in force, and its version (0: the defaults)."""

    version: int
    settings: ReadinessSettings


@router.get("/readiness", response_model=PageOut[ReadinessOut])
def list_readiness(
    wayhome: WayhomeDep,
    actor: APIActor,
    readiness_class: Annotated[
        list[str] | None,
        Query(alias="class", description="ready, low, medium, high, blocked or no_data"),
    ] = None,
    bbox: BboxQuery = None,
    sort: Annotated[str, Query(description="name, score, -score or class")] = "name",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """The readiness of settlements, filtered by class and bounding box, sorted and paged."""
    return readiness.readiness_page(
        wayhome,
        actor,
        readiness_class=readiness_class,
        bbox=parse_bbox(bbox),
        sort=sort,
        page=page,
        per_page=per_page,
    )


@router.get("/readiness/config", response_model=ConfigOut)
def get_config(wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The indicators, weights, safety buffer and class cut-offs in force."""
    settings, version = readiness_config.get_config(wayhome, actor)
    return {"version": version, "settings": settings}


@router.put("/readiness/config", response_model=ConfigOut)
def put_config(body: ReadinessSettings, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Replace the configuration (send the version you edited: 0 for the defaults)."""
    settings, version = readiness_config.update_config(wayhome, actor, body)
    return {"version": version, "settings": settings}


@router.get("/readiness/config/history", response_model=list[HistoryOut])
def config_history(wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of the configuration."""
    return readiness_config.config_history(wayhome, actor)


@router.get("/places/{settlement_id}/readiness", response_model=ReadinessOut)
def place_readiness(settlement_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The readiness of one settlement, with each indicator's contribution and the gate."""
    return readiness.assess_settlement(wayhome, actor, settlement_id)


@router.get("/places/{settlement_id}/conditions", response_model=list[ConditionOut])
def list_conditions(settlement_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The conditions observed in a settlement, most recent first."""
    return readiness_conditions.list_conditions(wayhome, actor, settlement_id)


@router.post("/places/{settlement_id}/conditions", response_model=ConditionOut, status_code=201)
def record_condition(
    settlement_id: str, body: ConditionInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Record housing damage and services observed in a settlement."""
    return readiness_conditions.record_condition(wayhome, actor, settlement_id, body)
