"""Make a record's history readable: ids become names, vocabulary values become labels."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from wayhome.services import accounts, contamination, members, places
from wayhome.services.audit import HistoryEntry
from wayhome.services.context import Actor, Wayhome
from wayhome.web.i18n import gettext as _
from wayhome.web.templating import label, list_separator

VOCABULARY_FIELDS = ("return_intention", "status", "sex", "type", "relationship")

# Per record type, the vocabulary of each coded field (values differ in meaning between lists).
ENTITY_VOCABULARIES: dict[str, dict[str, str]] = {
    contamination.HAZARD: {"hazard_type": "hazard_type", "status": "hazard_status"},
    contamination.ACTIVITY: {"activity_type": "activity_type", "status": "activity_status"},
    contamination.RELEASE: {"release_kind": "release_kind"},
    contamination.DEVICE: {"device_category": "device_category", "condition": "device_condition"},
    contamination.ACCIDENT: {"device_category": "device_category", "activity": "accident_activity"},
    contamination.VICTIM: {
        "age_group": "age_group",
        "outcome": "victim_outcome",
        "activity": "accident_activity",
    },
    "heritage_site": {"type": "site_type", "period": "period", "designation": "designation"},
    "heritage_assessment": {
        "method": "assessment_method",
        "overall_condition": "overall_condition",
        "damage_extent": "damage_extent",
        "recommendation": "recommendation",
        "priority": "priority",
    },
}
REFERENCE_FIELDS = ("hazard_area_id", "activity_id", "accident_id")


def _collect(entries: list[HistoryEntry]) -> tuple[set[str], set[str]]:
    person_ids: set[str] = set()
    place_ids: set[str] = set()
    for entry in entries:
        for name, pair in entry.changes.items():
            if name == "members":
                for value in pair:
                    person_ids.update(m.get("person_id") for m in value or [])
            elif name == "person_id":
                person_ids.update(v for v in pair if v)
            elif name.endswith("_place_id") or name in ("parent_id", "place_id"):
                place_ids.update(v for v in pair if v)
    return person_ids, place_ids


def _place_names(wayhome: Wayhome, actor: Actor, ids: set[str]) -> dict[str, str]:
    names = {}
    for place_id in ids:
        try:
            place = places.get_place(wayhome, actor, place_id)
        except Exception:  # noqa: BLE001 - a place that is gone keeps its id in the history
            continue
        names[place_id] = f"{place.display_name} ({place.code})"
    return names


def _outline_text(value: Any) -> str:
    """A polygon in a history reads as its size, not thousands of coordinates."""
    if not isinstance(value, dict):
        return str(value)
    points = 0
    stack: list[Any] = [value.get("coordinates", [])]
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and isinstance(item[0], (int, float)):
            points += 1
        elif isinstance(item, list):
            stack.extend(item)
    return _("outline of %(num)d points") % {"num": points}


def _evidence_text(items: list[dict[str, Any]]) -> str:
    parts = []
    for item in items or []:
        details = [
            label(item.get("device_category"), "device_category")
            if item.get("device_category")
            else None,
            item.get("device_type"),
            item.get("description"),
        ]
        text = label(item.get("evidence_type"), "evidence_type")
        shown = [d for d in details if d]
        parts.append(f"{text} ({list_separator().join(shown)})" if shown else text)
    return "; ".join(parts) or "—"


def _disturbances_text(items: list[dict[str, Any]]) -> str:
    return (
        "; ".join(
            f"{label(d.get('cause'), 'disturbance_cause')} "
            f"({label(d.get('certainty'), 'certainty')})"
            for d in items or []
        )
        or "—"
    )


def _site_names_text(items: list[dict[str, Any]]) -> str:
    parts = []
    for n in items or []:
        about = list_separator().join(x for x in (n.get("lang"), n.get("script")) if x)
        parts.append(f"{n.get('name')} ({about})" if about else str(n.get("name")))
    return "; ".join(parts) or "—"


def _reference_text(fields: dict[str, Any] | None, value: str) -> str:
    if not fields:
        return value
    if "local_id" in fields:
        return f"{fields['local_id']} — {fields['name']}"
    if "activity_type" in fields:
        when = f", {fields['start_date']}" if fields.get("start_date") else ""
        kind = label(fields["activity_type"], "activity_type")
        return f"{kind} — {fields['organisation_name']}{when}"
    return _("accident of %(date)s") % {"date": fields.get("accident_date") or "?"}


def _name_text(name: dict[str, Any]) -> str:
    written = " ".join(
        p for p in (name.get("family_name"), name.get("given_name"), name.get("patronymic")) if p
    )
    return f"{written} ({label(name.get('kind'))}, {name.get('script')})"


def readable(
    wayhome: Wayhome, actor: Actor, entries: list[HistoryEntry], entity_type: str | None = None
) -> list[HistoryEntry]:
    """Return the entries with their changes rewritten for people to read (persons, places, members).

    With the record type (e.g. ``hazard_area``), coded fields get the labels of their own
    vocabulary, and references to hazard areas, activities and accidents become their names.
    """
    person_ids, place_ids = _collect(entries)
    vocabularies = ENTITY_VOCABULARIES.get(entity_type or "", {})
    wanted: dict[str, set[str]] = {name: set() for name in REFERENCE_FIELDS}
    for entry in entries:
        for name, pair in entry.changes.items():
            if name in wanted:
                wanted[name].update(v for v in pair if v)
    refs = (
        contamination.references(
            wayhome,
            actor,
            hazard_ids=wanted["hazard_area_id"],
            activity_ids=wanted["activity_id"],
            accident_ids=wanted["accident_id"],
        )
        if any(wanted.values())
        else {}
    )
    person_names = members.display_names(wayhome, actor, person_ids)
    place_names = _place_names(wayhome, actor, place_ids)
    org_names = {o.id: o.name for o in accounts.list_organisations(wayhome)}

    def members_text(value: list[dict[str, Any]]) -> str:
        return (
            "; ".join(
                f"{person_names.get(m['person_id'], m['person_id'])} — {label(m.get('relationship'))}"
                for m in value
            )
            or "—"
        )

    def convert(name: str) -> Callable[[Any], Any] | None:
        if name == "members":
            return members_text
        if name in vocabularies:
            vocabulary = vocabularies[name]
            return lambda value: label(value, vocabulary)
        if name == "names" and entity_type == "heritage_site":
            return _site_names_text
        if name == "names":
            return lambda value: "; ".join(_name_text(n) for n in value) or "—"
        if name == "sensitive":
            return lambda value: _("yes") if value else _("no")
        if name in ("geometry", "polygon"):
            return _outline_text
        if name == "evidence":
            return _evidence_text
        if name == "disturbances":
            return _disturbances_text
        if name in REFERENCE_FIELDS:
            return lambda value: _reference_text(refs.get(value), value)
        if name.endswith("_place_id") or name in ("parent_id", "place_id"):
            return lambda value: place_names.get(value, value)
        if name == "person_id":
            return lambda value: person_names.get(value, value)
        if name == "organisation_id":
            return lambda value: org_names.get(value, value)
        if name == "needs":
            return lambda value: list_separator().join(label(n) for n in value) or "—"
        if name in VOCABULARY_FIELDS:
            return label
        return None

    result = []
    for entry in entries:
        changes = {}
        for name, pair in entry.changes.items():
            converter = convert(name)
            changes[name] = (
                [None if v is None else converter(v) for v in pair] if converter else pair
            )
        result.append(dataclasses.replace(entry, changes=changes))
    return result
