"""Validated inputs of the contamination services (hazard areas, land release, devices, accidents).

Geometries are GeoJSON geometry objects; their shape is checked by the services with
`wayhome.geo.validate_polygon`, so that a refusal names the reason at the field ``geometry``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, field_validator

from wayhome.core.dates import Precision, parse_partial_date
from wayhome.core.errors import InvalidValue
from wayhome.core.messages import N_
from wayhome.core.mine_action import (
    AccidentActivity,
    ActivityStatus,
    ActivityType,
    AgeGroup,
    DeviceCategory,
    DeviceCondition,
    EvidenceType,
    HazardStatus,
    HazardType,
    ReleaseKind,
    VictimOutcome,
)
from wayhome.core.vocab import Sex
from wayhome.services.inputs import Input, Text, _blank_to_none, _partial_date

LOCAL_ID = re.compile(r"^[A-Z0-9][A-Z0-9_./-]{0,39}$")
Lon = Annotated[float, Field(ge=-180, le=180)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Notes = Annotated[str | None, Field(max_length=5000)]
GeoJSON = Annotated[
    dict[str, Any],
    Field(
        description="A GeoJSON Polygon or MultiPolygon geometry, [longitude, latitude] in WGS 84",
        examples=[
            {
                "type": "Polygon",
                "coordinates": [[[36.2, 49.9], [36.21, 49.9], [36.21, 49.91], [36.2, 49.9]]],
            }
        ],
    ),
]
Version = Annotated[int | None, Field(description="The version you edited (edits only).")]


def _full_date(value: str) -> str:
    parsed = parse_partial_date(value)
    if parsed.precision is not Precision.DAY:
        raise InvalidValue(N_("give the full date: YYYY-MM-DD"))
    return parsed.iso() or value


class EvidenceInput(Input):
    """One piece of evidence that an area is hazardous."""

    evidence_type: EvidenceType
    device_category: DeviceCategory | None = None
    device_type: Annotated[str | None, Field(max_length=100)] = None
    lon: Lon | None = None
    lat: Lat | None = None
    description: Annotated[str | None, Field(max_length=1000)] = None

    _blank = field_validator(
        "device_category", "device_type", "lon", "lat", "description", mode="before"
    )(_blank_to_none)


class HazardAreaInput(Input):
    """A hazard area to record, or the new state of one to edit."""

    local_id: Annotated[
        str, Field(min_length=1, max_length=40, description="The hazard's reference, e.g. HA-0042")
    ]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    hazard_type: HazardType
    status: HazardStatus | None = Field(
        default=None,
        description="On create: open when not given. On edit: unchanged when not given. "
        "Closed and handed over need the whole area released.",
    )
    status_date: Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None
    place_id: str | None = Field(default=None, description="The settlement it lies in or near.")
    geometry: GeoJSON
    benchmark_lon: Lon | None = None
    benchmark_lat: Lat | None = None
    evidence: Annotated[list[EvidenceInput], Field(max_length=100)] = Field(default_factory=list)
    expected_beneficiaries: Annotated[int | None, Field(ge=0)] = None
    notes: Notes = None
    source: Text | None = None
    version: Version = None

    _blank = field_validator(
        "status",
        "status_date",
        "place_id",
        "benchmark_lon",
        "benchmark_lat",
        "expected_beneficiaries",
        "notes",
        "source",
        mode="before",
    )(_blank_to_none)
    _date = field_validator("status_date")(_partial_date)

    @field_validator("local_id")
    @classmethod
    def _local_id(cls, value: str) -> str:
        value = value.upper()
        if not LOCAL_ID.match(value):
            raise InvalidValue(N_("use letters A–Z, digits, '.', '_', '/' or '-' (up to 40)"))
        return value


class CloseHazardInput(Input):
    """Closing a hazard area whose land has all been released."""

    status: HazardStatus = HazardStatus.CLOSED
    status_date: Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None
    version: Version = None

    _blank = field_validator("status_date", mode="before")(_blank_to_none)
    _date = field_validator("status_date")(_partial_date)

    @field_validator("status")
    @classmethod
    def _closing(cls, value: HazardStatus) -> HazardStatus:
        if value is HazardStatus.OPEN:
            raise InvalidValue(N_("use closed or handed_over; to reopen an area, edit it"))
        return value


class ActivityInput(Input):
    """Survey, clearance or disposal work on a hazard area."""

    activity_type: ActivityType
    organisation_name: Annotated[
        str, Field(min_length=1, max_length=200, description="Who does the work.")
    ]
    method: Annotated[
        str | None, Field(max_length=100, description="e.g. manual, mechanical, dogs")
    ] = None
    start_date: Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None
    end_date: Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None
    status: ActivityStatus = ActivityStatus.PLANNED
    notes: Notes = None
    source: Text | None = None
    version: Version = None

    _blank = field_validator("method", "start_date", "end_date", "notes", "source", mode="before")(
        _blank_to_none
    )
    _dates = field_validator("start_date", "end_date")(_partial_date)


class ReleaseInput(Input):
    """Land of a hazard area cancelled (NTS), reduced (TS) or cleared."""

    release_kind: ReleaseKind
    geometry: GeoJSON
    release_date: Annotated[str, Field(description="YYYY-MM-DD")]
    activity_id: str | None = Field(
        default=None, description="The activity that released it (of the same hazard area)."
    )
    notes: Notes = None
    source: Text | None = None

    _blank = field_validator("activity_id", "notes", "source", mode="before")(_blank_to_none)
    _date = field_validator("release_date")(_full_date)


class DeviceInput(Input):
    """Explosive ordnance found in a hazard area."""

    device_category: DeviceCategory
    device_type: Annotated[str | None, Field(max_length=100, description="e.g. PMN-2")] = None
    condition: DeviceCondition = DeviceCondition.UNKNOWN
    lon: Lon | None = None
    lat: Lat | None = None
    depth_cm: Annotated[int | None, Field(ge=0, le=10_000)] = None
    quantity: Annotated[int, Field(ge=1, le=100_000)] = 1
    found_on: Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None
    activity_id: str | None = None
    notes: Notes = None
    source: Text | None = None

    _blank = field_validator(
        "device_type",
        "lon",
        "lat",
        "depth_cm",
        "found_on",
        "activity_id",
        "notes",
        "source",
        mode="before",
    )(_blank_to_none)
    _date = field_validator("found_on")(_partial_date)


class AccidentInput(Input):
    """An explosive ordnance accident."""

    accident_date: Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None
    lon: Lon | None = None
    lat: Lat | None = None
    place_id: str | None = None
    hazard_area_id: str | None = None
    device_category: DeviceCategory | None = None
    activity: AccidentActivity = AccidentActivity.UNKNOWN
    injured: Annotated[int, Field(ge=0, le=100_000)] = 0
    killed: Annotated[int, Field(ge=0, le=100_000)] = 0
    description: Notes = None
    source: Text | None = None
    version: Version = None

    _blank = field_validator(
        "accident_date",
        "lon",
        "lat",
        "place_id",
        "hazard_area_id",
        "device_category",
        "description",
        "source",
        mode="before",
    )(_blank_to_none)
    _date = field_validator("accident_date")(_partial_date)


class VictimInput(Input):
    """A person injured or killed in an accident."""

    person_id: str | None = Field(
        default=None,
        description="The registered person, when known (you must be able to see them).",
    )
    sex: Sex = Sex.UNKNOWN
    age_group: AgeGroup = AgeGroup.UNKNOWN
    outcome: VictimOutcome
    activity: AccidentActivity | None = None
    notes: Notes = None
    source: Text | None = None
    version: Version = None

    _blank = field_validator("person_id", "activity", "notes", "source", mode="before")(
        _blank_to_none
    )
