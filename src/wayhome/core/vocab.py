"""Controlled vocabularies of the registry; labels are English msgids translated by the UI."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do; see `wayhome.services.permissions` for the matrix."""

    ADMIN = "admin"
    REGISTRAR = "registrar"
    CASEWORKER = "caseworker"
    ANALYST = "analyst"
    VIEWER = "viewer"


class PlaceType(StrEnum):
    """Level of a place in the administrative hierarchy."""

    COUNTRY = "country"
    REGION = "region"
    DISTRICT = "district"
    SETTLEMENT = "settlement"
    CAMP = "camp"
    COLLECTIVE_CENTRE = "collective_centre"


# A place of a given type may only sit under one of these parent types.
PARENT_TYPES: dict[PlaceType, tuple[PlaceType, ...]] = {
    PlaceType.COUNTRY: (),
    PlaceType.REGION: (PlaceType.COUNTRY,),
    PlaceType.DISTRICT: (PlaceType.REGION, PlaceType.COUNTRY),
    PlaceType.SETTLEMENT: (PlaceType.DISTRICT, PlaceType.REGION, PlaceType.COUNTRY),
    PlaceType.CAMP: (PlaceType.SETTLEMENT, PlaceType.DISTRICT, PlaceType.REGION),
    PlaceType.COLLECTIVE_CENTRE: (PlaceType.SETTLEMENT, PlaceType.DISTRICT, PlaceType.REGION),
}


class Sex(StrEnum):
    """Sex as recorded; unknown is a value, not a missing field."""

    MALE = "M"
    FEMALE = "F"
    OTHER = "X"
    UNKNOWN = "U"


class NameKind(StrEnum):
    """Why a person carries a name."""

    PRIMARY = "primary"
    ALIAS = "alias"
    MAIDEN = "maiden"
    FORMER_SPELLING = "former_spelling"


class DisplacementStatus(StrEnum):
    """Where a person stands in their displacement."""

    DISPLACED = "displaced"
    RETURNED = "returned"
    RELOCATED = "relocated"
    LOCALLY_INTEGRATED = "locally_integrated"
    DECEASED = "deceased"
    UNKNOWN = "unknown"


class Relationship(StrEnum):
    """A member's relationship to the head of the household."""

    HEAD = "head"
    SPOUSE = "spouse"
    SON = "son"
    DAUGHTER = "daughter"
    FATHER = "father"
    MOTHER = "mother"
    BROTHER = "brother"
    SISTER = "sister"
    GRANDSON = "grandson"
    GRANDDAUGHTER = "granddaughter"
    OTHER_RELATIVE = "other_relative"
    NON_RELATIVE = "non_relative"


class ReturnIntention(StrEnum):
    """What a household says it intends to do."""

    RETURN = "return"
    STAY = "stay"
    RELOCATE = "relocate"
    UNDECIDED = "undecided"
    UNKNOWN = "unknown"


class Need(StrEnum):
    """Sectors in which a household has stated needs."""

    SHELTER = "shelter"
    FOOD = "food"
    HEALTH = "health"
    DOCUMENTATION = "documentation"
    LIVELIHOOD = "livelihood"
    EDUCATION = "education"
    PSYCHOSOCIAL = "psychosocial"
    LEGAL = "legal"
    WASH = "wash"


LABELS: dict[str, str] = {
    # Human-readable English labels (gettext msgids) for every vocabulary value.
    "admin": "Administrator",
    "registrar": "Registrar",
    "caseworker": "Caseworker",
    "analyst": "Analyst",
    "viewer": "Viewer",
    "country": "Country",
    "region": "Region",
    "district": "District",
    "settlement": "Settlement",
    "camp": "Camp",
    "collective_centre": "Collective centre",
    "M": "Male",
    "F": "Female",
    "X": "Other",
    "U": "Unknown",
    "primary": "Primary name",
    "alias": "Alias",
    "maiden": "Maiden name",
    "former_spelling": "Former spelling",
    "displaced": "Displaced",
    "returned": "Returned",
    "relocated": "Relocated",
    "locally_integrated": "Locally integrated",
    "deceased": "Deceased",
    "unknown": "Unknown",
    "head": "Head of household",
    "spouse": "Spouse",
    "son": "Son",
    "daughter": "Daughter",
    "father": "Father",
    "mother": "Mother",
    "brother": "Brother",
    "sister": "Sister",
    "grandson": "Grandson",
    "granddaughter": "Granddaughter",
    "other_relative": "Other relative",
    "non_relative": "Not related",
    "return": "Return",
    "stay": "Stay",
    "relocate": "Relocate",
    "undecided": "Undecided",
    "shelter": "Shelter",
    "food": "Food",
    "health": "Health",
    "documentation": "Documentation",
    "livelihood": "Livelihood",
    "education": "Education",
    "psychosocial": "Psychosocial support",
    "legal": "Legal aid",
    "wash": "Water, sanitation, hygiene",
    "day": "Day",
    "month": "Month",
    "year": "Year",
}
