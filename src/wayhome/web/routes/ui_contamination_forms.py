"""Shared by the hazard-area and accident pages: vocabularies for the forms, and turning a form
post into a service input (GeoJSON text parsed here, so bad JSON is one more field error)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
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
from wayhome.services import places
from wayhome.services.inputs import parse_input


def choices() -> dict[str, Any]:
    """The values of every vocabulary the forms offer, and the page's section for the menu."""
    return {
        "section": "hazards",
        "hazard_types": [t.value for t in HazardType],
        "hazard_statuses": [s.value for s in HazardStatus],
        "evidence_types": [e.value for e in EvidenceType],
        "device_categories": [d.value for d in DeviceCategory],
        "device_conditions": [c.value for c in DeviceCondition],
        "activity_types": [a.value for a in ActivityType],
        "activity_statuses": [s.value for s in ActivityStatus],
        "release_kinds": [k.value for k in ReleaseKind],
        "accident_activities": [a.value for a in AccidentActivity],
        "age_groups": [a.value for a in AgeGroup],
        "outcomes": [o.value for o in VictimOutcome],
        "sexes": [s.value for s in Sex],
    }


def place_or_none(wayhome: Any, actor: Any, place_id: str | None) -> Any:
    """Return a place to show in a form's place picker, or None when it is gone or not given."""
    if not place_id:
        return None
    try:
        return places.get_place(wayhome, actor, place_id)
    except NotFound:
        return None


def parse_form(model: type[BaseModel], data: dict[str, Any], geojson: tuple[str, ...] = ()) -> Any:
    """Validate a form into an input; GeoJSON text that is not JSON is one more field error."""
    errors: list[FieldError] = []
    raw = dict(data)
    for name in geojson:
        text = raw.get(name)
        if not isinstance(text, str) or not text.strip():
            raw.pop(name, None)  # reported as a missing field by the model
            continue
        try:
            raw[name] = json.loads(text)
        except json.JSONDecodeError as error:
            errors.append(
                FieldError(
                    (name,),
                    N_("is not valid GeoJSON (line %(line)d, column %(column)d: %(reason)s)"),
                    {"line": error.lineno, "column": error.colno, "reason": error.msg},
                )
            )
            raw[name] = {}
    try:
        parsed = parse_input(model, raw)
    except ValidationFailed as failed:
        raise ValidationFailed([*errors, *failed.errors]) from None
    if errors:
        raise ValidationFailed(errors)
    return parsed


def conflict_error(error: Conflict) -> ValidationFailed:
    """Turn an edit conflict into an error shown at the form's version field."""
    return ValidationFailed([FieldError(("version",), error.template, error.params)])
