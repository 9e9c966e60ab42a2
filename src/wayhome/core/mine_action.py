"""Vocabularies of mine action (IMAS land release; GICHD's Minimum Data Requirements, MDR).

Values are stable codes stored in the database and sent by the API; labels are English msgids
translated by the UI. Several vocabularies share a value with a different meaning ("cancelled"
land is not a "cancelled" activity, "other" devices are not "other" activities), so labels are
kept per vocabulary: use :func:`label` (or ``LABELS[Vocabulary]``), not a flat lookup by value.
"""

from __future__ import annotations

from enum import StrEnum

from wayhome.core.messages import N_


class HazardType(StrEnum):
    """What is known of a hazard area (IMAS 04.10, 08.10, 08.20)."""

    SHA = "sha"  # suspected hazardous area: indirect evidence of explosive ordnance
    CHA = "cha"  # confirmed hazardous area: direct evidence


class HazardStatus(StrEnum):
    """Where a hazard area stands in land release."""

    OPEN = "open"
    CLOSED = "closed"  # all its land cancelled, reduced or cleared
    HANDED_OVER = "handed_over"  # closed and formally handed over to the land's users


class DeviceCategory(StrEnum):
    """The category of explosive ordnance (MDR "device classification")."""

    AP_MINE = "ap_mine"
    AT_MINE = "at_mine"
    UXO = "uxo"
    AXO = "axo"
    CLUSTER_MUNITION = "cluster_munition"
    IED = "ied"
    OTHER = "other"


class EvidenceType(StrEnum):
    """Why an area is believed to be hazardous (IMAS 08.10 evidence of contamination)."""

    ACCIDENT = "accident"  # an explosive ordnance accident happened there
    DEVICE_FOUND = "device_found"  # a device was seen or found (direct evidence)
    DEVICE_REPORTED = "device_reported"  # a device was reported by someone else
    MINEFIELD_RECORD = "minefield_record"  # military minefield records or maps
    MARKING = "marking"  # warning signs, fences or other markings
    INFORMANT = "informant"  # local knowledge: residents, former combatants
    CONFLICT_HISTORY = "conflict_history"  # fighting, front lines, defensive positions
    LAND_NOT_USED = "land_not_used"  # land abandoned for fear of contamination
    OTHER = "other"


class ActivityType(StrEnum):
    """A mine action activity on a hazard area (MDR "activity type")."""

    NTS = "nts"  # non-technical survey: cancels land
    TS = "ts"  # technical survey: reduces land
    CLEARANCE = "clearance"  # clears land
    BAC = "bac"  # battle area clearance: clears land of UXO/AXO
    EOD = "eod"  # explosive ordnance disposal (spot task): releases no land


class ActivityStatus(StrEnum):
    """Where an activity stands."""

    PLANNED = "planned"
    ONGOING = "ongoing"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ReleaseKind(StrEnum):
    """How land was released (IMAS 07.11); the same codes as `wayhome.geo.RELEASE_KINDS`."""

    CANCELLED = "cancelled"  # by non-technical survey
    REDUCED = "reduced"  # by technical survey
    CLEARED = "cleared"  # by clearance


# The activities that release land of each kind.
RELEASED_BY: dict[ReleaseKind, frozenset[ActivityType]] = {
    ReleaseKind.CANCELLED: frozenset({ActivityType.NTS}),
    ReleaseKind.REDUCED: frozenset({ActivityType.TS}),
    ReleaseKind.CLEARED: frozenset({ActivityType.CLEARANCE, ActivityType.BAC}),
}


class DeviceCondition(StrEnum):
    """The state of a device when it was found."""

    INTACT = "intact"
    DAMAGED = "damaged"
    DETERIORATED = "deteriorated"  # corroded, decayed
    PARTLY_FUNCTIONED = "partly_functioned"
    UNKNOWN = "unknown"


class VictimOutcome(StrEnum):
    """What happened to a person in an accident (MDR casualty status)."""

    INJURED = "injured"
    KILLED = "killed"


class AgeGroup(StrEnum):
    """A victim's age group at the time of the accident."""

    CHILD = "child"  # under 18
    ADULT = "adult"  # 18 to 59
    OLDER = "older"  # 60 and over
    UNKNOWN = "unknown"


class AccidentActivity(StrEnum):
    """What the victims were doing when the accident happened."""

    DEMINING = "demining"  # mine action work
    AGRICULTURE = "agriculture"
    HERDING = "herding"
    GATHERING = "gathering"  # food, firewood, water
    SCRAP_COLLECTION = "scrap_collection"
    HANDLING = "handling"  # touching, tampering with a device
    TRAVELLING = "travelling"
    PLAYING = "playing"
    MILITARY = "military"
    HOUSEHOLD = "household"  # at or near home
    OTHER = "other"
    UNKNOWN = "unknown"


LABELS: dict[type[StrEnum], dict[str, str]] = {
    HazardType: {
        "sha": N_("Suspected hazardous area (SHA)"),
        "cha": N_("Confirmed hazardous area (CHA)"),
    },
    HazardStatus: {
        "open": N_("Open"),
        "closed": N_("Closed"),
        "handed_over": N_("Handed over"),
    },
    DeviceCategory: {
        "ap_mine": N_("Anti-personnel mine"),
        "at_mine": N_("Anti-vehicle mine"),
        "uxo": N_("Unexploded ordnance (UXO)"),
        "axo": N_("Abandoned explosive ordnance (AXO)"),
        "cluster_munition": N_("Cluster munition"),
        "ied": N_("Improvised explosive device (IED)"),
        "other": N_("Other device"),
    },
    EvidenceType: {
        "accident": N_("Accident"),
        "device_found": N_("Device seen or found"),
        "device_reported": N_("Device reported"),
        "minefield_record": N_("Minefield record"),
        "marking": N_("Warning signs or markings"),
        "informant": N_("Local knowledge"),
        "conflict_history": N_("History of fighting"),
        "land_not_used": N_("Land not used for fear of explosives"),
        "other": N_("Other evidence"),
    },
    ActivityType: {
        "nts": N_("Non-technical survey"),
        "ts": N_("Technical survey"),
        "clearance": N_("Clearance"),
        "bac": N_("Battle area clearance"),
        "eod": N_("Explosive ordnance disposal"),
    },
    ActivityStatus: {
        "planned": N_("Planned"),
        "ongoing": N_("Ongoing"),
        "suspended": N_("Suspended"),
        "completed": N_("Completed"),
        "cancelled": N_("Called off"),
    },
    ReleaseKind: {
        "cancelled": N_("Cancelled (non-technical survey)"),
        "reduced": N_("Reduced (technical survey)"),
        "cleared": N_("Cleared"),
    },
    DeviceCondition: {
        "intact": N_("Intact"),
        "damaged": N_("Damaged"),
        "deteriorated": N_("Deteriorated"),
        "partly_functioned": N_("Partly functioned"),
        "unknown": N_("Condition unknown"),
    },
    VictimOutcome: {
        "injured": N_("Injured"),
        "killed": N_("Killed"),
    },
    AgeGroup: {
        "child": N_("Child (under 18)"),
        "adult": N_("Adult (18–59)"),
        "older": N_("Older person (60 and over)"),
        "unknown": N_("Age unknown"),
    },
    AccidentActivity: {
        "demining": N_("Mine action work"),
        "agriculture": N_("Farming"),
        "herding": N_("Herding animals"),
        "gathering": N_("Gathering food, firewood or water"),
        "scrap_collection": N_("Collecting scrap metal"),
        "handling": N_("Handling a device"),
        "travelling": N_("Travelling"),
        "playing": N_("Playing"),
        "military": N_("Military activity"),
        "household": N_("Household tasks"),
        "other": N_("Other activity"),
        "unknown": N_("Activity unknown"),
    },
}

VOCABULARIES: tuple[type[StrEnum], ...] = tuple(LABELS)


def label(value: StrEnum) -> str:
    """Return the English label (a msgid) of a vocabulary value."""
    return LABELS[type(value)][value.value]
