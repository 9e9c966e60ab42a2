"""API of contamination: hazard areas, land release and its ledger, activities, devices, accidents."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, field_validator

from wayhome.services import contamination
from wayhome.services.contamination_inputs import (
    AccidentInput,
    ActivityInput,
    CloseHazardInput,
    DeviceInput,
    HazardAreaInput,
    ReleaseInput,
    VictimInput,
)
from wayhome.web.deps import APIActor, WayhomeDep, parse_bbox
from wayhome.web.schemas import HistoryOut, PageOut, Provenance

router = APIRouter(tags=["contamination"])

BboxQuery = Annotated[str | None, Query(description="west,south,east,north")]


def _geojson(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class HazardAreaOut(Provenance):
    """A suspected or confirmed hazardous area."""

    id: str
    local_id: str
    name: str
    hazard_type: str
    status: str
    status_date: str | None
    place_id: str | None
    geometry: dict[str, Any]
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    benchmark_lon: float | None
    benchmark_lat: float | None
    original_area_m2: float
    remaining_area_m2: float
    evidence: list[dict[str, Any]]
    expected_beneficiaries: int | None
    notes: str | None

    _geometry = field_validator("geometry", mode="before")(_geojson)


class ActivityOut(Provenance):
    """Survey, clearance or disposal work on a hazard area."""

    id: str
    hazard_area_id: str
    activity_type: str
    organisation_name: str
    method: str | None
    start_date: str | None
    end_date: str | None
    status: str
    notes: str | None


class ReleaseOut(Provenance):
    """Land released from a hazard area; area_m2 is what the ledger counts for it."""

    id: str
    hazard_area_id: str
    activity_id: str | None
    release_kind: str
    geometry: dict[str, Any]
    release_date: str
    area_m2: float
    already_released_m2: float
    outside_m2: float
    notes: str | None

    _geometry = field_validator("geometry", mode="before")(_geojson)


class LedgerEntryOut(BaseModel):
    """What one release counted."""

    release_id: str
    release_kind: str
    release_date: str
    released_m2: float
    already_released_m2: float
    outside_m2: float


class LedgerOut(BaseModel):
    """The land-release ledger: original = remaining + cancelled + reduced + cleared."""

    original_m2: float
    remaining_m2: float
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    released_m2: float
    discrepancy_m2: float
    fully_released: bool
    remaining_geometry: dict[str, Any] | None
    entries: list[LedgerEntryOut]


class DeviceOut(Provenance):
    """Explosive ordnance found in a hazard area."""

    id: str
    hazard_area_id: str
    activity_id: str | None
    device_category: str
    device_type: str | None
    condition: str
    lon: float | None
    lat: float | None
    depth_cm: int | None
    quantity: int
    found_on: str | None
    notes: str | None


class AccidentOut(Provenance):
    """An explosive ordnance accident."""

    id: str
    accident_date: str | None
    lon: float | None
    lat: float | None
    place_id: str | None
    hazard_area_id: str | None
    device_category: str | None
    activity: str
    injured: int
    killed: int
    description: str | None


class VictimOut(Provenance):
    """A person injured or killed in an accident."""

    id: str
    accident_id: str
    person_id: str | None
    sex: str
    age_group: str
    outcome: str
    activity: str | None
    notes: str | None


# --- hazard areas ----------------------------------------------------------------------------


@router.get("/hazard-areas", response_model=PageOut[HazardAreaOut])
def list_hazard_areas(
    wayhome: WayhomeDep,
    actor: APIActor,
    bbox: BboxQuery = None,
    status: Annotated[list[str] | None, Query()] = None,
    hazard_type: Annotated[list[str] | None, Query()] = None,
    place_id: str | None = None,
    q: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """Hazard areas whose bounding box meets bbox, by status, type, place, name or reference."""
    return contamination.search_hazard_areas(
        wayhome,
        actor,
        bbox=parse_bbox(bbox),
        status=status,
        hazard_type=hazard_type,
        place_id=place_id,
        q=q,
        page=page,
        per_page=per_page,
    )


@router.get("/hazard-areas.geojson")
def hazard_areas_geojson(
    wayhome: WayhomeDep,
    actor: APIActor,
    bbox: BboxQuery = None,
    status: Annotated[list[str] | None, Query()] = None,
    hazard_type: Annotated[list[str] | None, Query()] = None,
    place_id: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """Hazard areas as a GeoJSON FeatureCollection, with the same filters as the list."""
    return contamination.hazard_features(
        wayhome,
        actor,
        bbox=parse_bbox(bbox),
        status=status,
        hazard_type=hazard_type,
        place_id=place_id,
        q=q,
    )


@router.post("/hazard-areas", response_model=HazardAreaOut, status_code=201)
def create_hazard_area(body: HazardAreaInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Record a hazard area (its polygon is checked; the same area cannot be recorded twice)."""
    return contamination.create_hazard_area(wayhome, actor, body)


@router.get("/hazard-areas/{hazard_id}", response_model=HazardAreaOut)
def get_hazard_area(hazard_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """One hazard area."""
    return contamination.get_hazard_area(wayhome, actor, hazard_id)


@router.put("/hazard-areas/{hazard_id}", response_model=HazardAreaOut)
def update_hazard_area(
    hazard_id: str, body: HazardAreaInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Replace a hazard area's details (send the version you edited to detect conflicts)."""
    return contamination.update_hazard_area(wayhome, actor, hazard_id, body)


@router.post("/hazard-areas/{hazard_id}/close", response_model=HazardAreaOut)
def close_hazard_area(
    hazard_id: str,
    wayhome: WayhomeDep,
    actor: APIActor,
    body: Annotated[CloseHazardInput | None, Body()] = None,
) -> Any:
    """Close (or hand over) a hazard area once all its land is released."""
    return contamination.close_hazard_area(wayhome, actor, hazard_id, body)


@router.get("/hazard-areas/{hazard_id}/history", response_model=list[HistoryOut])
def hazard_area_history(hazard_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of a hazard area."""
    return contamination.hazard_history(wayhome, actor, hazard_id)


@router.get("/hazard-areas/{hazard_id}/ledger", response_model=LedgerOut)
def hazard_area_ledger(hazard_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The land-release ledger: original = remaining + cancelled + reduced + cleared."""
    return contamination.ledger_summary(contamination.ledger(wayhome, actor, hazard_id))


@router.get("/hazard-areas/{hazard_id}/releases", response_model=list[ReleaseOut])
def list_releases(hazard_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The releases of a hazard area, in the order the ledger applies them."""
    return contamination.list_releases(wayhome, actor, hazard_id)


@router.post("/hazard-areas/{hazard_id}/releases", response_model=ReleaseOut, status_code=201)
def record_release(hazard_id: str, body: ReleaseInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Record land cancelled, reduced or cleared (refused if it lies outside the hazard area)."""
    return contamination.record_release(wayhome, actor, hazard_id, body)


@router.get("/hazard-areas/{hazard_id}/activities", response_model=list[ActivityOut])
def list_activities(hazard_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The survey, clearance and disposal work on a hazard area."""
    return contamination.list_activities(wayhome, actor, hazard_id)


@router.post("/hazard-areas/{hazard_id}/activities", response_model=ActivityOut, status_code=201)
def record_activity(
    hazard_id: str, body: ActivityInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Record survey, clearance or disposal work on a hazard area."""
    return contamination.record_activity(wayhome, actor, hazard_id, body)


@router.put("/mine-action-activities/{activity_id}", response_model=ActivityOut)
def update_activity(
    activity_id: str, body: ActivityInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Replace an activity's details (send the version you edited to detect conflicts)."""
    return contamination.update_activity(wayhome, actor, activity_id, body)


@router.get("/mine-action-activities/{activity_id}/history", response_model=list[HistoryOut])
def activity_history(activity_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of an activity."""
    return contamination.activity_history(wayhome, actor, activity_id)


@router.get("/hazard-areas/{hazard_id}/devices", response_model=list[DeviceOut])
def list_devices(hazard_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The devices found in a hazard area."""
    return contamination.list_devices(wayhome, actor, hazard_id)


@router.post("/hazard-areas/{hazard_id}/devices", response_model=DeviceOut, status_code=201)
def record_device(hazard_id: str, body: DeviceInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Record explosive ordnance found in a hazard area."""
    return contamination.record_device(wayhome, actor, hazard_id, body)


# --- accidents and victims -------------------------------------------------------------------


@router.get("/accidents", response_model=PageOut[AccidentOut])
def list_accidents(
    wayhome: WayhomeDep,
    actor: APIActor,
    bbox: BboxQuery = None,
    place_id: str | None = None,
    hazard_area_id: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """Accidents by place, hazard area or bounding box, the most recent first."""
    return contamination.search_accidents(
        wayhome,
        actor,
        bbox=parse_bbox(bbox),
        place_id=place_id,
        hazard_area_id=hazard_area_id,
        page=page,
        per_page=per_page,
    )


@router.post("/accidents", response_model=AccidentOut, status_code=201)
def record_accident(body: AccidentInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Record an explosive ordnance accident."""
    return contamination.record_accident(wayhome, actor, body)


@router.get("/accidents/{accident_id}", response_model=AccidentOut)
def get_accident(accident_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """One accident."""
    return contamination.get_accident(wayhome, actor, accident_id)


@router.put("/accidents/{accident_id}", response_model=AccidentOut)
def update_accident(
    accident_id: str, body: AccidentInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Replace an accident's details (send the version you edited to detect conflicts)."""
    return contamination.update_accident(wayhome, actor, accident_id, body)


@router.get("/accidents/{accident_id}/history", response_model=list[HistoryOut])
def accident_history(accident_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of an accident."""
    return contamination.accident_history(wayhome, actor, accident_id)


@router.get("/accidents/{accident_id}/victims", response_model=list[VictimOut])
def list_victims(accident_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """The victims of an accident you may see (those linked to persons you may not see are left out)."""
    return contamination.list_victims(wayhome, actor, accident_id)


@router.post("/accidents/{accident_id}/victims", response_model=VictimOut, status_code=201)
def add_victim(accident_id: str, body: VictimInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Record a victim, linked to a registered person you may see, or anonymous."""
    return contamination.add_victim(wayhome, actor, accident_id, body)


@router.put("/victims/{victim_id}", response_model=VictimOut)
def update_victim(victim_id: str, body: VictimInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Replace a victim's details (send the version you edited to detect conflicts)."""
    return contamination.update_victim(wayhome, actor, victim_id, body)


@router.get("/victims/{victim_id}/history", response_model=list[HistoryOut])
def victim_history(victim_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of a victim you may see (the view is audited)."""
    return contamination.victim_history(wayhome, actor, victim_id)
