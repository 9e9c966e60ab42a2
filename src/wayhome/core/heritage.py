"""Vocabularies of the cultural heritage register, after EAMENA's condition assessment.

The Endangered Archaeology in the Middle East and North Africa project (EAMENA, eamena.org)
records a heritage place's *overall condition*, the *extent of damage*, the *disturbance causes*
with the certainty of each, and a *recommendation* with its *priority*. The values below follow
its concept lists, shortened to what a field team of a displacement information system records;
see ``docs/guide/heritage.md``. Labels are English msgids (``N_``) translated by the UI; they
describe the heritage place and what happened to it, never who is to blame.

Every vocabulary is a ``StrEnum``: the stored value is the enum's value, and `label` gives the
English label of any value of any of them.
"""

from __future__ import annotations

from enum import StrEnum

from wayhome.core.messages import N_


class SiteType(StrEnum):
    """What a heritage place is (several places of worship are told apart)."""

    CEMETERY = "cemetery"
    CHURCH = "church"
    MOSQUE = "mosque"
    MONASTERY = "monastery"
    SYNAGOGUE = "synagogue"
    SHRINE = "shrine"
    OTHER_WORSHIP = "other_worship"
    MONUMENT = "monument"
    HISTORIC_BUILDING = "historic_building"
    ARCHAEOLOGICAL_SITE = "archaeological_site"
    OTHER = "other"


class SiteTypeGroup(StrEnum):
    """Broader groups of site types, for filters and map legends."""

    PLACE_OF_WORSHIP = "place_of_worship"


# The site types each group stands for; a filter by a group matches any of them.
SITE_TYPE_GROUPS: dict[SiteTypeGroup, tuple[SiteType, ...]] = {
    SiteTypeGroup.PLACE_OF_WORSHIP: (
        SiteType.CHURCH,
        SiteType.MOSQUE,
        SiteType.MONASTERY,
        SiteType.SYNAGOGUE,
        SiteType.SHRINE,
        SiteType.OTHER_WORSHIP,
    ),
}


class Period(StrEnum):
    """When a heritage place was built or mainly used: broad periods, not a regional chronology."""

    PREHISTORIC = "prehistoric"
    BRONZE_AGE = "bronze_age"
    IRON_AGE = "iron_age"
    CLASSICAL_ANTIQUITY = "classical_antiquity"
    LATE_ANTIQUITY = "late_antiquity"
    MEDIEVAL = "medieval"
    EARLY_MODERN = "early_modern"
    MODERN = "modern"
    CONTEMPORARY = "contemporary"
    MULTI_PERIOD = "multi_period"
    UNKNOWN = "unknown"


class Designation(StrEnum):
    """The legal protection a heritage place has, as far as is known."""

    NONE = "none"
    LOCAL = "local"
    NATIONAL = "national"
    WORLD_HERITAGE = "world_heritage"
    WORLD_HERITAGE_TENTATIVE = "world_heritage_tentative"
    ENHANCED_PROTECTION = "enhanced_protection"
    UNKNOWN = "unknown"


class AssessmentMethod(StrEnum):
    """How the condition was observed."""

    FIELD_VISIT = "field_visit"
    SATELLITE_IMAGERY = "satellite_imagery"
    AERIAL_IMAGERY = "aerial_imagery"
    REPORT = "report"


class OverallCondition(StrEnum):
    """EAMENA's overall condition state."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    VERY_BAD = "very_bad"
    DESTROYED = "destroyed"
    UNKNOWN = "unknown"


# From best to worst; UNKNOWN has no rank (a trend skips it).
CONDITION_RANK: dict[OverallCondition, int] = {
    OverallCondition.GOOD: 0,
    OverallCondition.FAIR: 1,
    OverallCondition.POOR: 2,
    OverallCondition.VERY_BAD: 3,
    OverallCondition.DESTROYED: 4,
}


class DamageExtent(StrEnum):
    """EAMENA's damage extent: the share of the place that is damaged, in bands."""

    NONE = "0"
    UP_TO_10 = "1-10"
    UP_TO_30 = "11-30"
    UP_TO_60 = "31-60"
    UP_TO_90 = "61-90"
    UP_TO_100 = "91-100"
    UNKNOWN = "unknown"


class DisturbanceCause(StrEnum):
    """What disturbed the place (EAMENA's disturbance cause categories, shortened)."""

    MILITARY_ACTIVITY = "military_activity"
    DELIBERATE_DESTRUCTION = "deliberate_destruction"
    LOOTING = "looting"
    VANDALISM = "vandalism"
    CONSTRUCTION = "construction"
    INFRASTRUCTURE = "infrastructure"
    AGRICULTURE = "agriculture"
    QUARRYING = "quarrying"
    NATURAL = "natural"
    NEGLECT = "neglect"
    UNKNOWN = "unknown"


class Certainty(StrEnum):
    """How sure the assessor is that a disturbance cause acted (EAMENA's certainty)."""

    DEFINITE = "definite"
    PROBABLE = "probable"
    POSSIBLE = "possible"
    NOT_ASSESSED = "not_assessed"


class Recommendation(StrEnum):
    """What the assessor recommends doing next."""

    NO_ACTION = "no_action"
    MONITORING = "monitoring"
    DOCUMENTATION = "documentation"
    DETAILED_SURVEY = "detailed_survey"
    EMERGENCY_PROTECTION = "emergency_protection"
    STABILISATION = "stabilisation"
    CONSERVATION = "conservation"
    RESTORATION = "restoration"


class Priority(StrEnum):
    """How urgent the recommendation is (EAMENA's priority)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    IMMEDIATE = "immediate"


class ConditionChange(StrEnum):
    """How the condition moved between two assessments, or over a site's whole timeline."""

    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"
    UNKNOWN = "unknown"


class LocationPrecision(StrEnum):
    """How precisely an output shows where a site is."""

    EXACT = "exact"
    COARSE = "coarse"
    NONE = "none"


VOCABULARIES: tuple[type[StrEnum], ...] = (
    SiteType,
    SiteTypeGroup,
    Period,
    Designation,
    AssessmentMethod,
    OverallCondition,
    DamageExtent,
    DisturbanceCause,
    Certainty,
    Recommendation,
    Priority,
    ConditionChange,
    LocationPrecision,
)

LABELS: dict[type[StrEnum], dict[str, str]] = {
    SiteType: {
        "cemetery": N_("Cemetery"),
        "church": N_("Church"),
        "mosque": N_("Mosque"),
        "monastery": N_("Monastery"),
        "synagogue": N_("Synagogue"),
        "shrine": N_("Shrine"),
        "other_worship": N_("Other place of worship"),
        "monument": N_("Monument or memorial"),
        "historic_building": N_("Historic building"),
        "archaeological_site": N_("Archaeological site"),
        "other": N_("Other heritage place"),
    },
    SiteTypeGroup: {"place_of_worship": N_("Place of worship")},
    Period: {
        "prehistoric": N_("Prehistoric"),
        "bronze_age": N_("Bronze Age"),
        "iron_age": N_("Iron Age"),
        "classical_antiquity": N_("Classical antiquity"),
        "late_antiquity": N_("Late antiquity"),
        "medieval": N_("Medieval"),
        "early_modern": N_("Early modern (about 1500–1800)"),
        "modern": N_("Modern (about 1800–1945)"),
        "contemporary": N_("Contemporary (after 1945)"),
        "multi_period": N_("Several periods"),
        "unknown": N_("Period unknown"),
    },
    Designation: {
        "none": N_("Not designated"),
        "local": N_("Locally protected"),
        "national": N_("Nationally protected"),
        "world_heritage": N_("World Heritage property"),
        "world_heritage_tentative": N_("On a World Heritage tentative list"),
        "enhanced_protection": N_("Enhanced protection (1954 Hague Convention)"),
        "unknown": N_("Designation unknown"),
    },
    AssessmentMethod: {
        "field_visit": N_("Field visit"),
        "satellite_imagery": N_("Satellite imagery"),
        "aerial_imagery": N_("Aerial or drone imagery"),
        "report": N_("Report by others"),
    },
    OverallCondition: {
        "good": N_("Good"),
        "fair": N_("Fair"),
        "poor": N_("Poor"),
        "very_bad": N_("Very bad"),
        "destroyed": N_("Destroyed"),
        "unknown": N_("Condition unknown"),
    },
    DamageExtent: {
        "0": N_("No visible damage (0 %)"),
        "1-10": N_("1–10 %"),
        "11-30": N_("11–30 %"),
        "31-60": N_("31–60 %"),
        "61-90": N_("61–90 %"),
        "91-100": N_("91–100 %"),
        "unknown": N_("Extent unknown"),
    },
    DisturbanceCause: {
        "military_activity": N_("Military activity"),
        "deliberate_destruction": N_("Deliberate demolition"),
        "looting": N_("Looting or illegal excavation"),
        "vandalism": N_("Vandalism"),
        "construction": N_("Building and development"),
        "infrastructure": N_("Infrastructure and transport"),
        "agriculture": N_("Agriculture or pastoralism"),
        "quarrying": N_("Quarrying or mining"),
        "natural": N_("Natural processes or hazards"),
        "neglect": N_("Neglect or abandonment"),
        "unknown": N_("Cause unknown"),
    },
    Certainty: {
        "definite": N_("Definite"),
        "probable": N_("Probable"),
        "possible": N_("Possible"),
        "not_assessed": N_("Not assessed"),
    },
    Recommendation: {
        "no_action": N_("No action"),
        "monitoring": N_("Monitoring"),
        "documentation": N_("Documentation"),
        "detailed_survey": N_("Detailed survey"),
        "emergency_protection": N_("Emergency protection"),
        "stabilisation": N_("Stabilisation"),
        "conservation": N_("Conservation"),
        "restoration": N_("Restoration"),
    },
    Priority: {
        "low": N_("Low"),
        "medium": N_("Medium"),
        "high": N_("High"),
        "immediate": N_("Immediate"),
    },
    ConditionChange: {
        "improved": N_("Improved"),
        "unchanged": N_("Unchanged"),
        "deteriorated": N_("Deteriorated"),
        "unknown": N_("Trend unknown"),
    },
    LocationPrecision: {
        "exact": N_("Exact location"),
        "coarse": N_("Approximate location (about 10 km)"),
        "none": N_("Location not recorded"),
    },
}


def label(value: StrEnum) -> str:
    """Return the English label (a msgid) of a value of one of the heritage vocabularies."""
    return LABELS[type(value)][value.value]


def site_types_for(name: str) -> tuple[SiteType, ...]:
    """Return the site types a filter value stands for: a type, or every type of a group."""
    if name in {group.value for group in SiteTypeGroup}:
        return SITE_TYPE_GROUPS[SiteTypeGroup(name)]
    return (SiteType(name),)


def condition_change(before: OverallCondition, after: OverallCondition) -> ConditionChange:
    """Tell whether a condition improved, stayed or deteriorated (unknown when either is)."""
    if before not in CONDITION_RANK or after not in CONDITION_RANK:
        return ConditionChange.UNKNOWN
    delta = CONDITION_RANK[after] - CONDITION_RANK[before]
    if delta > 0:
        return ConditionChange.DETERIORATED
    if delta < 0:
        return ConditionChange.IMPROVED
    return ConditionChange.UNCHANGED
