"""Make a record's history readable: ids become names, vocabulary values become labels."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from wayhome.services import accounts, members, places
from wayhome.services.audit import HistoryEntry
from wayhome.services.context import Actor, Wayhome
from wayhome.web.templating import label, list_separator

VOCABULARY_FIELDS = ("return_intention", "status", "sex", "type", "relationship")


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
            elif name.endswith("_place_id") or name == "parent_id":
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


def _name_text(name: dict[str, Any]) -> str:
    written = " ".join(
        p for p in (name.get("family_name"), name.get("given_name"), name.get("patronymic")) if p
    )
    return f"{written} ({label(name.get('kind'))}, {name.get('script')})"


def readable(wayhome: Wayhome, actor: Actor, entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Return the entries with their changes rewritten for people to read (persons, places, members)."""
    person_ids, place_ids = _collect(entries)
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
        if name == "names":
            return lambda value: "; ".join(_name_text(n) for n in value) or "—"
        if name.endswith("_place_id") or name == "parent_id":
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
