"""Validated inputs of the services, shared by the JSON API (request bodies) and the HTML forms."""

from __future__ import annotations

import re
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import FieldError, InvalidValue, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.vocab import (
    DisplacementStatus,
    NameKind,
    Need,
    PlaceType,
    Relationship,
    ReturnIntention,
    Sex,
)

M = TypeVar("M", bound=BaseModel)
PLACE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,31}$")
Text = Annotated[str, Field(max_length=300)]


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _partial_date(value: str | None) -> str | None:
    if value is None:
        return None
    return parse_partial_date(value).iso()


class Input(BaseModel):
    """Base of every input: strips strings and refuses unknown fields."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class PlaceNameInput(Input):
    """One name of a place; the script is detected from the text."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    lang: Annotated[
        str | None, Field(max_length=12, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    ] = None

    _blank = field_validator("lang", mode="before")(_blank_to_none)


class PlaceInput(Input):
    """A place to create or the new state of one to edit."""

    code: Annotated[str, Field(min_length=1, max_length=32)]
    type: PlaceType
    parent_id: str | None = None
    lat: Annotated[float | None, Field(ge=-90, le=90)] = None
    lon: Annotated[float | None, Field(ge=-180, le=180)] = None
    population: Annotated[int | None, Field(ge=0)] = None
    names: Annotated[list[PlaceNameInput], Field(min_length=1, max_length=20)]
    source: Text | None = None
    version: int | None = Field(default=None, description="The version you edited (edits only).")

    _blank = field_validator("parent_id", "source", "lat", "lon", "population", mode="before")(
        _blank_to_none
    )

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.upper()
        if not PLACE_CODE.match(value):
            raise InvalidValue(N_("use letters A–Z, digits, '.', '_' or '-' (up to 32)"))
        return value


class PersonNameInput(Input):
    """One name of a person as recorded, in any script."""

    kind: NameKind = NameKind.PRIMARY
    given_name: Annotated[str | None, Field(max_length=120)] = None
    family_name: Annotated[str | None, Field(max_length=120)] = None
    patronymic: Annotated[str | None, Field(max_length=120)] = None
    lang: Annotated[str | None, Field(max_length=12)] = None

    _blank = field_validator("given_name", "family_name", "patronymic", "lang", mode="before")(
        _blank_to_none
    )


class PersonInput(Input):
    """A person to register or the new state of one to edit."""

    names: Annotated[list[PersonNameInput], Field(min_length=1, max_length=20)]
    sex: Sex = Sex.UNKNOWN
    birth_date: Annotated[
        str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown")
    ] = None
    birth_place_id: str | None = None
    birth_place_text: Annotated[str | None, Field(max_length=200)] = None
    notes: Annotated[str | None, Field(max_length=5000)] = None
    source: Text | None = None
    version: int | None = Field(default=None, description="The version you edited (edits only).")

    _blank = field_validator(
        "birth_date", "birth_place_id", "birth_place_text", "notes", "source", mode="before"
    )(_blank_to_none)
    _date = field_validator("birth_date")(_partial_date)


class MemberInput(Input):
    """A person's place in a household."""

    person_id: str
    relationship: Relationship


class HouseholdInput(Input):
    """A household to create or the new state of one to edit (members are managed separately)."""

    origin_place_id: str | None = None
    current_place_id: str | None = None
    address_text: Annotated[str | None, Field(max_length=300)] = None
    return_intention: ReturnIntention = ReturnIntention.UNKNOWN
    needs: list[Need] = Field(default_factory=list)
    notes: Annotated[str | None, Field(max_length=5000)] = None
    source: Text | None = None
    members: list[MemberInput] | None = Field(
        default=None, description="On create: the first members. On edit: ignored."
    )
    version: int | None = None

    _blank = field_validator(
        "origin_place_id", "current_place_id", "address_text", "notes", "source", mode="before"
    )(_blank_to_none)


class DisplacementInput(Input):
    """One displacement of a person."""

    origin_place_id: str | None = None
    displaced_on: Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None
    current_place_id: str | None = None
    current_location_text: Annotated[str | None, Field(max_length=300)] = None
    status: DisplacementStatus
    status_date: str | None = None
    household_id: str | None = None
    notes: Annotated[str | None, Field(max_length=5000)] = None
    source: Text | None = None
    version: int | None = None

    _blank = field_validator(
        "origin_place_id",
        "displaced_on",
        "current_place_id",
        "current_location_text",
        "status_date",
        "household_id",
        "notes",
        "source",
        mode="before",
    )(_blank_to_none)
    _dates = field_validator("displaced_on", "status_date")(_partial_date)


# Our own (translatable) messages for pydantic's errors, by error type; the placeholders are
# pydantic's context values. Types not listed keep pydantic's English message.
PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("is required"),
    "string_too_short": N_("must be at least %(min_length)d characters"),
    "string_too_long": N_("must be at most %(max_length)d characters"),
    "greater_than_equal": N_("must be greater than or equal to %(ge)s"),
    "less_than_equal": N_("must be less than or equal to %(le)s"),
    "greater_than": N_("must be greater than %(gt)s"),
    "less_than": N_("must be less than %(lt)s"),
    "enum": N_("must be one of: %(expected)s"),
    "literal_error": N_("must be one of: %(expected)s"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "too_short": N_("must have at least %(min_length)d items"),
    "too_long": N_("must have at most %(max_length)d items"),
    "list_too_short": N_("must have at least %(min_length)d items"),
    "list_too_long": N_("must have at most %(max_length)d items"),
    "extra_forbidden": N_("is not a known field"),
    "string_pattern_mismatch": N_("is not in the expected format"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
    "bool_parsing": N_("must be true or false"),
}
# A minimum of one means "something must be there".
AT_LEAST_ONE: dict[str, str] = {
    "string_too_short": N_("is required"),
    "too_short": N_("give at least one"),
    "list_too_short": N_("give at least one"),
}


def _plain(value: object) -> object:
    """Show a bound such as 180.0 as 180."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _field_error(error: ErrorDetails) -> FieldError:
    """Turn one pydantic error into a FieldError with a constant template and its values."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, InvalidValue):
            return FieldError(loc, cause.template, cause.params)
        return FieldError(loc, str(cause) if cause is not None else error["msg"])
    if ctx.get("min_length") == 1 and kind in AT_LEAST_ONE:
        return FieldError(loc, AT_LEAST_ONE[kind])
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return FieldError(loc, error["msg"])
    if "expected" in ctx:  # pydantic's "'a', 'b' or 'c'": keep the values, drop the English "or"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    params = {k: _plain(v) for k, v in ctx.items() if f"%({k})" in template}
    return FieldError(loc, template, params)


def parse_input(model: type[M], data: object) -> M:
    """Validate raw data into an input model, raising ValidationFailed with field paths."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed([_field_error(e) for e in error.errors()]) from None
