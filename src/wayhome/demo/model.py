"""Frozen dataclasses describing a synthetic demo region (places, households, persons)."""

from __future__ import annotations

from dataclasses import dataclass

PLACE_TYPES = ("country", "region", "district", "settlement")
SCRIPTS = ("Latn", "Cyrl", "Armn", "Geor", "Arab")
NAME_KINDS = ("primary", "alias", "maiden", "former_spelling")
SEXES = ("M", "F")
RELATIONSHIPS = (
    "head",
    "spouse",
    "son",
    "daughter",
    "father",
    "mother",
    "brother",
    "sister",
    "grandson",
    "granddaughter",
    "other_relative",
)
STATUSES = ("displaced", "returned", "relocated", "locally_integrated", "deceased", "unknown")
RETURN_INTENTIONS = ("return", "stay", "relocate", "undecided", "unknown")
NEEDS = (
    "shelter",
    "food",
    "health",
    "documentation",
    "livelihood",
    "education",
    "psychosocial",
    "legal",
    "wash",
)
COMMUNITIES = ("azerbaijani", "armenian", "georgian", "arab", "russian", "ukrainian")


@dataclass(frozen=True)
class DemoPlaceName:
    """One name of a place in one language and script (ISO 15924 code)."""

    name: str
    lang: str
    script: str


@dataclass(frozen=True)
class DemoPlace:
    """A place in the synthetic hierarchy; ``names[0]`` is the preferred (local) name."""

    code: str
    type: str
    parent_code: str | None
    lat: float
    lon: float
    names: tuple[DemoPlaceName, ...]
    population: int | None


@dataclass(frozen=True)
class DemoName:
    """One rendering of a person's name (primary, alias, maiden or former spelling)."""

    given_name: str
    family_name: str
    patronymic: str | None
    script: str
    lang: str
    kind: str


@dataclass(frozen=True)
class DemoPerson:
    """An invented person; ``names[0]`` is the primary name, birth_date is partial ISO."""

    key: str
    sex: str
    birth_date: str | None
    names: tuple[DemoName, ...]
    birth_place_code: str | None


@dataclass(frozen=True)
class DemoMember:
    """A person's membership in a household, with the relationship to the head."""

    person: DemoPerson
    relationship: str


@dataclass(frozen=True)
class DemoDisplacement:
    """One displacement of one person from the household origin, with its current status."""

    person_key: str
    origin_code: str
    displaced_on: str | None
    current_code: str | None
    status: str
    status_date: str | None


@dataclass(frozen=True)
class DemoHousehold:
    """An invented household: members, origin/current settlement, intention, needs."""

    key: str
    community: str
    origin_code: str
    current_code: str
    members: tuple[DemoMember, ...]
    return_intention: str
    needs: tuple[str, ...]
    displacements: tuple[DemoDisplacement, ...]


@dataclass(frozen=True)
class DemoSecondRegistration:
    """A person of a household registered a second time by another source: another script or
    romanisation, maybe a typo, a vaguer birth date. ``original_key`` is the truth (the person it
    duplicates), for measuring the duplicates queue; the loader does not store it."""

    person: DemoPerson
    original_key: str


@dataclass(frozen=True)
class DemoRegion:
    """The whole synthetic region: place hierarchy, households and planted second registrations."""

    name: str
    places: tuple[DemoPlace, ...]
    households: tuple[DemoHousehold, ...]
    second_registrations: tuple[DemoSecondRegistration, ...] = ()
