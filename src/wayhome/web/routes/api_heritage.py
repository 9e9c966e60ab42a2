"""API of the cultural heritage register: sites, their condition assessments and timelines.

Every site in a response comes from `services.heritage.present_site`: for roles without
``heritage.exact_location`` a sensitive site's coordinates are coarsened and its polygon withheld.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from wayhome.services import heritage
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.web.deps import APIActor, WayhomeDep, parse_bbox
from wayhome.web.schemas import HistoryOut, PageOut

router = APIRouter(tags=["heritage"])


class HeritageSiteNameOut(BaseModel):
    """One name of a heritage site."""

    name: str
    lang: str | None
    script: str


class ProvenanceOut(BaseModel):
    """Where a record comes from: instance, organisation, source, who recorded it and when."""

    origin_instance: str
    organisation_id: str | None
    source: str | None
    recorded_by_id: str | None
    recorded_at: datetime
    created_at: datetime
    updated_at: datetime
    version: int
    deleted_at: datetime | None


class HeritageSiteOut(ProvenanceOut):
    """A heritage site; `location_precision` tells whether lat/lon are exact or coarsened."""

    id: str
    reference: str
    type: str
    period: str
    community: str | None
    designation: str
    place_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    polygon: dict[str, Any] | None
    location_precision: str
    sensitive: bool
    display_name: str
    names: list[HeritageSiteNameOut]
    notes: str | None
    condition: str | None
    last_observed_on: str | None


class DisturbanceOut(BaseModel):
    """One disturbance cause and its certainty."""

    cause: str
    certainty: str


class HeritageAssessmentOut(ProvenanceOut):
    """A condition assessment of a site."""

    id: str
    site_id: str
    observed_on: str
    observed_on_precision: str
    assessed_on: str
    assessed_on_precision: str
    method: str
    overall_condition: str
    damage_extent: str
    disturbances: list[DisturbanceOut]
    recommendation: str | None
    priority: str | None
    assessor: str | None
    notes: str | None


class TimelineEntryOut(HeritageAssessmentOut):
    """An assessment in a timeline, with the change since the previous known condition."""

    change: str


class TimelineOut(BaseModel):
    """A site's assessments in order of observation and the trend of its condition."""

    site_id: str
    reference: str
    display_name: str
    trend: str
    first_condition: str | None
    latest_condition: str | None
    entries: list[TimelineEntryOut]


@router.get("/heritage-sites", response_model=PageOut[HeritageSiteOut])
def list_sites(
    wayhome: WayhomeDep,
    actor: APIActor,
    q: Annotated[str | None, Query(description="A name in any script, or a reference")] = None,
    type: Annotated[
        str | None, Query(description="A site type, or the group place_of_worship")
    ] = None,
    condition: Annotated[
        str | None, Query(description="The condition of the latest assessment")
    ] = None,
    place_id: str | None = None,
    period: str | None = None,
    designation: str | None = None,
    community: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """Search heritage sites by name in any script, type, current condition, place and more."""
    return heritage.search_sites(
        wayhome,
        actor,
        q=q,
        type=type,
        condition=condition,
        place_id=place_id,
        period=period,
        designation=designation,
        community=community,
        page=page,
        per_page=per_page,
    )


@router.get("/heritage-sites.geojson")
def sites_geojson(
    wayhome: WayhomeDep,
    actor: APIActor,
    bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
    type: str | None = None,
    condition: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """Heritage sites with a location as GeoJSON (protected locations coarsened by role)."""
    return heritage.map_features(
        wayhome, actor, bbox=parse_bbox(bbox), type=type, condition=condition, q=q
    )


@router.post("/heritage-sites", response_model=HeritageSiteOut, status_code=201)
def create_site(body: HeritageSiteInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Record a heritage site."""
    return heritage.create_site(wayhome, actor, body)


@router.get("/heritage-sites/{site_id}", response_model=HeritageSiteOut)
def get_site(site_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """One heritage site."""
    return heritage.get_site(wayhome, actor, site_id)


@router.put("/heritage-sites/{site_id}", response_model=HeritageSiteOut)
def update_site(site_id: str, body: HeritageSiteInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Replace a site's details (send the version you edited to detect conflicts)."""
    return heritage.update_site(wayhome, actor, site_id, body)


@router.get("/heritage-sites/{site_id}/assessments", response_model=list[HeritageAssessmentOut])
def list_assessments(site_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """A site's condition assessments, oldest observation first."""
    return heritage.list_assessments(wayhome, actor, site_id)


@router.post(
    "/heritage-sites/{site_id}/assessments",
    response_model=HeritageAssessmentOut,
    status_code=201,
)
def add_assessment(
    site_id: str, body: HeritageAssessmentInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Record a condition assessment of a site."""
    return heritage.add_assessment(wayhome, actor, site_id, body)


@router.get("/heritage-sites/{site_id}/timeline", response_model=TimelineOut)
def site_timeline(site_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """A site's assessments in order of observation, with the trend of its condition."""
    return heritage.timeline(wayhome, actor, site_id)


@router.get("/heritage-sites/{site_id}/history", response_model=list[HistoryOut])
def site_history(site_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of a site (protected locations coarsened by role)."""
    return heritage.site_history(wayhome, actor, site_id)
