"""Controlled vocabularies of the registry; labels are English msgids translated by the UI."""

from __future__ import annotations

from enum import StrEnum

from wayhome.core.messages import N_


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
    "admin": N_("Administrator"),
    "registrar": N_("Registrar"),
    "caseworker": N_("Caseworker"),
    "analyst": N_("Analyst"),
    "viewer": N_("Viewer"),
    "country": N_("Country"),
    "region": N_("Region"),
    "district": N_("District"),
    "settlement": N_("Settlement"),
    "camp": N_("Camp"),
    "collective_centre": N_("Collective centre"),
    "M": N_("Male"),
    "F": N_("Female"),
    "X": N_("Other"),
    "U": N_("Unknown"),
    "primary": N_("Primary name"),
    "alias": N_("Alias"),
    "maiden": N_("Maiden name"),
    "former_spelling": N_("Former spelling"),
    "displaced": N_("Displaced"),
    "returned": N_("Returned"),
    "relocated": N_("Relocated"),
    "locally_integrated": N_("Locally integrated"),
    "deceased": N_("Deceased"),
    "unknown": N_("Unknown"),
    "head": N_("Head of household"),
    "spouse": N_("Spouse"),
    "son": N_("Son"),
    "daughter": N_("Daughter"),
    "father": N_("Father"),
    "mother": N_("Mother"),
    "brother": N_("Brother"),
    "sister": N_("Sister"),
    "grandson": N_("Grandson"),
    "granddaughter": N_("Granddaughter"),
    "other_relative": N_("Other relative"),
    "non_relative": N_("Not related"),
    "return": N_("Return"),
    "stay": N_("Stay"),
    "relocate": N_("Relocate"),
    "undecided": N_("Undecided"),
    "shelter": N_("Shelter"),
    "food": N_("Food"),
    "health": N_("Health"),
    "documentation": N_("Documentation"),
    "livelihood": N_("Livelihood"),
    "education": N_("Education"),
    "psychosocial": N_("Psychosocial support"),
    "legal": N_("Legal aid"),
    "wash": N_("Water, sanitation, hygiene"),
    "day": N_("Day"),
    "month": N_("Month"),
    "year": N_("Year"),
    # Actions in the history of a record and in the audit log.
    "create": N_("Record created"),
    "update": N_("Record changed"),
    "archive": N_("Record archived"),
    "restore": N_("Record restored"),
    "view": N_("Record viewed"),
    "view_history": N_("History viewed"),
    "share": N_("Record shared"),
    "login": N_("Logged in"),
    "login.failed": N_("Login failed"),
    "user.create": N_("User created"),
    "token.create": N_("API token created"),
    "token.revoke": N_("API token revoked"),
}
