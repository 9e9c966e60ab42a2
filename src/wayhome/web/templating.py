"""The Jinja2 environment of the UI: gettext, labels of vocabularies, and the page context."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from wayhome import __version__
from wayhome.core import heritage as heritage_vocab
from wayhome.core import mine_action
from wayhome.core.errors import FieldError, ValidationFailed, WayhomeError
from wayhome.core.messages import N_, Term, Terms
from wayhome.core.vocab import LABELS
from wayhome.services import accounts
from wayhome.services.permissions import can
from wayhome.web import i18n
from wayhome.web.deps import csrf_token, session_user

TEMPLATES = Path(__file__).resolve().parent / "templates"

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=env)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
env.trim_blocks = True
env.lstrip_blocks = True


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# The vocabularies whose values mean different things in different lists ("cancelled" land is not
# a "cancelled" activity), by name: ``hazard_status``, ``release_kind``, ``site_type``, ...
VOCABULARIES: dict[str, dict[str, str]] = {
    _snake(enum.__name__): labels
    for enum, labels in (*mine_action.LABELS.items(), *heritage_vocab.LABELS.items())
}
_ENUM_NAMES: dict[type[StrEnum], str] = {
    enum: _snake(enum.__name__) for enum in (*mine_action.LABELS, *heritage_vocab.LABELS)
}


def _unambiguous() -> dict[str, str]:
    """Values that have one label in every vocabulary that has them (looked up without a name)."""
    found: dict[str, set[str]] = {}
    for labels in VOCABULARIES.values():
        for value, msgid in labels.items():
            found.setdefault(value, set()).add(msgid)
    return {value: msgids.pop() for value, msgids in found.items() if len(msgids) == 1}


_UNAMBIGUOUS = _unambiguous()


def label(value: object, vocabulary: str | type[StrEnum] | None = None) -> str:
    """Return the translated label of a vocabulary value (e.g. ``locally_integrated``).

    Give the vocabulary (``"hazard_status"`` or the enum) for values that more than one list
    has; without it, the registry's labels come first, then a value only one list knows.
    """
    if value is None:
        return "—"
    if isinstance(value, StrEnum) and vocabulary is None:
        vocabulary = type(value)
    code = value.value if isinstance(value, StrEnum) else str(value)
    if vocabulary is not None:
        name = vocabulary if isinstance(vocabulary, str) else _ENUM_NAMES.get(vocabulary, "")
        labels = VOCABULARIES.get(name)
        if labels is not None and code in labels:
            return i18n.gettext(labels[code])
    msgid = LABELS.get(code) or _UNAMBIGUOUS.get(code) or code
    return i18n.gettext(msgid)


def vocabulary_options(name: str) -> list[tuple[str, str]]:
    """Return the values of a vocabulary with their translated labels, for a select menu."""
    return [(value, i18n.gettext(msgid)) for value, msgid in VOCABULARIES[name].items()]


def when(value: datetime | None) -> str:
    """Format a timestamp for display in UTC."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def query(request: Request, **changes: Any) -> str:
    """Return the current query string with some parameters changed (for pagers and filters)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params)


env.filters["label"] = label
env.filters["when"] = when
env.globals["query"] = query
env.globals["vocabulary_options"] = vocabulary_options
env.globals["version"] = __version__


# Names of the fields that the history of a record shows (gettext msgids; unknown ones stay as is).
FIELD_LABELS: dict[str, str] = {
    "names": N_("Names"),
    "family_name": N_("Family name"),
    "given_name": N_("Given name"),
    "patronymic": N_("Patronymic"),
    "sex": N_("Sex"),
    "birth_date": N_("Date of birth"),
    "birth_place_id": N_("Place of birth"),
    "birth_place": N_("Place of birth"),
    "birth_place_text": N_("Place of birth as written"),
    "merged_into_id": N_("Merged into"),
    "also_recorded_as": N_("Also recorded as"),
    "notes": N_("Notes"),
    "source": N_("Source"),
    "organisation_id": N_("Organisation"),
    "deleted": N_("Archived"),
    "members": N_("Members"),
    "origin_place_id": N_("Place of origin"),
    "current_place_id": N_("Current location"),
    "address_text": N_("Address or location as described"),
    "return_intention": N_("Return intention"),
    "needs": N_("Stated needs"),
    "household_id": N_("Household"),
    "person_id": N_("Person"),
    "reference": N_("Reference"),
    "displaced_on": N_("Date of displacement"),
    "current_location_text": N_("Current location as described"),
    "status": N_("Status"),
    "status_date": N_("Status since"),
    "code": N_("Code"),
    "type": N_("Type"),
    "parent_id": N_("Lies in"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "population": N_("Population"),
    # hazard areas, land release, activities, devices, accidents, victims
    "place_id": N_("Place"),
    "local_id": N_("Hazard reference"),
    "name": N_("Area name"),
    "hazard_type": N_("Hazard type"),
    "geometry": N_("Area outline"),
    "original_area_m2": N_("Original area (m²)"),
    "benchmark_lon": N_("Benchmark longitude"),
    "benchmark_lat": N_("Benchmark latitude"),
    "evidence": N_("Evidence"),
    "expected_beneficiaries": N_("Expected beneficiaries"),
    "hazard_area_id": N_("Hazard area"),
    "activity_id": N_("Activity"),
    "activity_type": N_("Activity type"),
    "organisation_name": N_("Operator"),
    "method": N_("Method"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "release_kind": N_("Kind of release"),
    "release_date": N_("Release date"),
    "area_m2": N_("Area (m²)"),
    "device_category": N_("Device category"),
    "device_type": N_("Device model"),
    "condition": N_("Condition"),
    "depth_cm": N_("Depth (cm)"),
    "quantity": N_("Quantity"),
    "found_on": N_("Found on"),
    "accident_date": N_("Date of the accident"),
    "activity": N_("Activity at the time"),
    "injured": N_("Injured"),
    "killed": N_("Killed"),
    "description": N_("Description"),
    "accident_id": N_("Accident"),
    "age_group": N_("Age group"),
    "outcome": N_("Outcome"),
    # heritage sites and assessments
    "period": N_("Period"),
    "community": N_("Community"),
    "designation": N_("Designation"),
    "polygon": N_("Site outline"),
    "sensitive": N_("Sensitive location"),
    "site_id": N_("Heritage site"),
    "observed_on": N_("Observed on"),
    "assessed_on": N_("Assessed on"),
    "overall_condition": N_("Overall condition"),
    "damage_extent": N_("Extent of damage"),
    "disturbances": N_("Disturbances"),
    "recommendation": N_("Recommendation"),
    "priority": N_("Priority"),
    "assessor": N_("Assessor"),
}


def field_label(name: str) -> str:
    """Return the translated name of a record's field (as shown in its history)."""
    return i18n.gettext(FIELD_LABELS[name]) if name in FIELD_LABELS else name


env.filters["field_label"] = field_label


def list_separator() -> str:
    """Return the separator of the items of a list in running text ("a, b" or "a، b")."""
    return "، " if i18n.get_locale() == "ar" else ", "


def _shown(value: object) -> object:
    """Vocabulary values in a message are shown by their translated labels, in lower case."""
    if isinstance(value, Term):
        return label(value).lower()
    if isinstance(value, Terms):
        return list_separator().join(label(v).lower() for v in value)
    return value


def message(error: FieldError | WayhomeError) -> str:
    """Translate the message of a field error or of an error shown on a page, values filled in."""
    if isinstance(error, FieldError):
        template, params = error.msg, error.params
    else:
        template = getattr(error, "template", "") or str(error)
        params = getattr(error, "params", {})
    return i18n.translate(template, {k: _shown(v) for k, v in params.items()})


def field_errors(error: ValidationFailed | None) -> dict[str, str]:
    """Map dotted field paths to translated messages, for showing errors at the fields."""
    if error is None:
        return {}
    out: dict[str, str] = {}
    for item in error.errors:
        out.setdefault(item.path() or "__all__", message(item))
    return out


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render a page with the standard context: user, language, direction, CSRF token, permissions."""
    user = session_user(request)
    actor = accounts.actor_for(user) if user is not None else None  # built once per page
    locale = i18n.get_locale()
    ctx: dict[str, Any] = {
        "user": user,
        "locale": locale,
        "dir": "rtl" if locale in i18n.RTL else "ltr",
        "languages": i18n.LANGUAGES,
        "csrf_token": csrf_token(request),
        "can": (lambda action: actor is not None and can(actor, action)),
        "errors": {},
    }
    ctx.update(context or {})
    if isinstance(ctx.get("error"), ValidationFailed):
        ctx["errors"] = field_errors(ctx["error"])
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
