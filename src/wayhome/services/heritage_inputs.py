"""Validated inputs of the heritage register, shared by the JSON API and the HTML forms.

Rules that need the database or several fields at once (a place that exists, a polygon that is
valid, an assessment date after the observation) are checked by `wayhome.services.heritage`.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import Field, field_validator

from wayhome.core.errors import InvalidValue
from wayhome.core.heritage import (
    AssessmentMethod,
    Certainty,
    DamageExtent,
    Designation,
    DisturbanceCause,
    OverallCondition,
    Period,
    Priority,
    Recommendation,
    SiteType,
)
from wayhome.core.messages import N_
from wayhome.services.inputs import Input, Text, _blank_to_none, _partial_date

SITE_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,39}$")


class HeritageSiteNameInput(Input):
    """One name of a heritage site, in any script; the script is detected from the text."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    lang: Annotated[
        str | None, Field(max_length=12, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    ] = None

    _blank = field_validator("lang", mode="before")(_blank_to_none)


class HeritageSiteInput(Input):
    """A heritage site to record, or the new state of one to edit."""

    reference: Annotated[
        str | None,
        Field(
            max_length=40,
            description="An inventory number such as EAMENA-0012345; generated when empty.",
        ),
    ] = None
    type: SiteType
    period: Period = Period.UNKNOWN
    community: Annotated[
        str | None,
        Field(max_length=200, description="The community the place belongs to, as it says."),
    ] = None
    designation: Designation = Designation.UNKNOWN
    place_id: Annotated[
        str | None, Field(description="The settlement (or district) it lies in.")
    ] = None
    lat: Annotated[float | None, Field(ge=-90, le=90)] = None
    lon: Annotated[float | None, Field(ge=-180, le=180)] = None
    polygon: Annotated[
        dict[str, Any] | None,
        Field(description="A GeoJSON Polygon or MultiPolygon geometry (longitude, latitude)."),
    ] = None
    sensitive: Annotated[
        bool, Field(description="Show the exact location only to roles allowed to see it.")
    ] = False
    names: Annotated[list[HeritageSiteNameInput], Field(min_length=1, max_length=20)]
    notes: Annotated[str | None, Field(max_length=5000)] = None
    source: Text | None = None
    version: int | None = Field(default=None, description="The version you edited (edits only).")

    _blank = field_validator(
        "reference",
        "community",
        "place_id",
        "lat",
        "lon",
        "polygon",
        "notes",
        "source",
        mode="before",
    )(_blank_to_none)

    @field_validator("reference")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.upper()
        if not SITE_REFERENCE.match(value):
            raise InvalidValue(N_("use letters A–Z, digits, '.', '_' or '-' (up to 40)"))
        return value

    @field_validator("polygon", mode="before")
    @classmethod
    def _polygon_text(cls, value: object) -> object:
        """Accept the geometry as JSON text too (as a form sends it)."""
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise InvalidValue(N_("is not valid GeoJSON")) from None


class DisturbanceInput(Input):
    """One cause that disturbed the site, and how certain it is."""

    cause: DisturbanceCause
    certainty: Certainty = Certainty.NOT_ASSESSED


class HeritageAssessmentInput(Input):
    """One condition assessment of a site."""

    observed_on: Annotated[
        str,
        Field(
            description="When the imagery was taken or the visit made: YYYY, YYYY-MM or YYYY-MM-DD"
        ),
    ]
    assessed_on: Annotated[
        str | None,
        Field(
            description="When the assessment was made (YYYY, YYYY-MM or YYYY-MM-DD); today when empty"
        ),
    ] = None
    method: AssessmentMethod
    overall_condition: OverallCondition
    damage_extent: DamageExtent = DamageExtent.UNKNOWN
    disturbances: Annotated[list[DisturbanceInput], Field(max_length=20)] = Field(
        default_factory=list
    )
    recommendation: Recommendation | None = None
    priority: Priority | None = None
    assessor: Annotated[str | None, Field(max_length=200)] = None
    notes: Annotated[str | None, Field(max_length=5000)] = None
    source: Text | None = None

    _blank = field_validator(
        "assessed_on", "recommendation", "priority", "assessor", "notes", "source", mode="before"
    )(_blank_to_none)
    _date = field_validator("assessed_on")(_partial_date)

    @field_validator("observed_on")
    @classmethod
    def _observed(cls, value: str) -> str:
        iso = _partial_date(value)
        if iso is None:
            raise InvalidValue(N_("is required"))
        return iso
