"""Response models of the JSON API (request bodies are the service inputs in services.inputs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Out(BaseModel):
    """Base of every response model: built from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class PageOut(BaseModel, Generic[T]):
    """One page of results."""

    model_config = ConfigDict(from_attributes=True)

    items: list[T]
    total: int
    page: int
    per_page: int


class Provenance(Out):
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


class PlaceNameOut(Out):
    """One name of a place."""

    name: str
    lang: str | None
    script: str


class PlaceOut(Provenance):
    """A place of the gazetteer."""

    id: str
    code: str
    type: str
    parent_id: str | None
    lat: float | None
    lon: float | None
    population: int | None
    display_name: str
    names: list[PlaceNameOut]


class PersonNameOut(Out):
    """One name of a person, as recorded."""

    kind: str
    given_name: str | None
    family_name: str | None
    patronymic: str | None
    script: str
    lang: str | None


class PersonOut(Provenance):
    """A registered person."""

    id: str
    display_name: str
    sex: str
    birth_date: str | None
    birth_date_precision: str
    birth_place_id: str | None
    birth_place_text: str | None
    notes: str | None
    names: list[PersonNameOut]
    merged_into_id: str | None = None  # set when merged into another person (duplicates queue)


class SimilarFieldOut(BaseModel):
    """How one field of a likely existing record compares with what was typed."""

    field: str
    level: str = Field(description="the comparison level reached, e.g. family_names_share_key")
    explanation: str
    bits: float = Field(description="the field's weight of evidence in bits (log2 odds)")


class SimilarPersonOut(BaseModel):
    """A likely existing record of the person being registered, with why."""

    person: PersonOut
    match_probability: float
    match_weight: float
    explanation: list[SimilarFieldOut]
    query_name: int = Field(
        0, description="which name of the query scored best: 0 the first, 1 the first `name`…"
    )


class MemberOut(Out):
    """A member of a household."""

    person_id: str
    relationship_to_head: str


class HouseholdOut(Provenance):
    """A household."""

    id: str
    reference: str
    origin_place_id: str | None
    current_place_id: str | None
    address_text: str | None
    return_intention: str
    needs: list[str]
    notes: str | None
    members: list[MemberOut]


class DisplacementOut(Provenance):
    """A displacement event."""

    id: str
    person_id: str
    household_id: str | None
    origin_place_id: str | None
    displaced_on: str | None
    displaced_on_precision: str
    current_place_id: str | None
    current_location_text: str | None
    status: str
    status_date: str | None
    notes: str | None


class HistoryOut(BaseModel):
    """One version of a record."""

    version: int
    action: str
    changed_at: datetime
    changed_by: str
    origin_instance: str
    changes: dict[str, Any]
    snapshot: dict[str, Any]


class TokenRequest(BaseModel):
    """Credentials exchanged for an API token."""

    username: str
    password: str
    name: str = "api"


class TokenOut(BaseModel):
    """A new API token; the secret is shown only once."""

    token: str
    token_type: str = "bearer"
    name: str
