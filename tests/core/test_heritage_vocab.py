"""The heritage vocabularies: EAMENA's values, a label for every value, neutral wording."""

from __future__ import annotations

import re

import pytest

from wayhome.core import heritage as h

VOCABULARIES = [pytest.param(v, id=v.__name__) for v in h.VOCABULARIES]


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_value_has_exactly_one_label(vocabulary) -> None:
    labels = h.LABELS[vocabulary]
    assert set(labels) == {member.value for member in vocabulary}
    assert all(label.strip() for label in labels.values())
    assert len(set(labels.values())) == len(labels), "two values share a label"
    for member in vocabulary:
        assert h.label(member) == labels[member.value]


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_values_are_stable_codes(vocabulary) -> None:
    for member in vocabulary:
        assert re.fullmatch(r"[a-z][a-z_]*|\d+(-\d+)?", member.value), member
        assert len(member.value) <= 24  # the narrowest column holding a value (method)


def test_every_vocabulary_is_listed() -> None:
    assert set(h.LABELS) == set(h.VOCABULARIES)


# Words that take sides or blame; labels describe the place and what happened to it.
LOADED = re.compile(
    r"\b(enemy|enemies|terror\w*|occupi\w*|aggress\w*|invader\w*|barbar\w*|liberat\w*|"
    r"martyr\w*|infidel\w*|heretic\w*|genocid\w*|desecrat\w*|cultural cleansing)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_labels_are_neutral(vocabulary) -> None:
    for value, label in h.LABELS[vocabulary].items():
        assert not LOADED.search(label), (value, label)


def test_site_types_cover_the_brief() -> None:
    values = {t.value for t in h.SiteType}
    assert {
        "cemetery",
        "church",
        "mosque",
        "monastery",
        "synagogue",
        "shrine",
        "monument",
        "historic_building",
        "archaeological_site",
        "other",
    } <= values


def test_place_of_worship_group() -> None:
    worship = h.site_types_for("place_of_worship")
    assert set(worship) == {
        h.SiteType.CHURCH,
        h.SiteType.MOSQUE,
        h.SiteType.MONASTERY,
        h.SiteType.SYNAGOGUE,
        h.SiteType.SHRINE,
        h.SiteType.OTHER_WORSHIP,
    }
    assert h.site_types_for("cemetery") == (h.SiteType.CEMETERY,)
    with pytest.raises(ValueError):
        h.site_types_for("castle")


def test_periods_end_with_unknown_and_several() -> None:
    assert h.Period.UNKNOWN in h.Period and h.Period.MULTI_PERIOD in h.Period
    assert len(h.Period) >= 8


def test_designations() -> None:
    assert {d.value for d in h.Designation} >= {"none", "national", "world_heritage", "unknown"}


def test_overall_condition_is_eamena_s_six_states() -> None:
    assert [c.value for c in h.OverallCondition] == [
        "good",
        "fair",
        "poor",
        "very_bad",
        "destroyed",
        "unknown",
    ]
    assert h.label(h.OverallCondition.VERY_BAD) == "Very bad"


def test_condition_rank_orders_every_known_state() -> None:
    ranked = sorted(h.CONDITION_RANK, key=h.CONDITION_RANK.__getitem__)
    assert ranked == [c for c in h.OverallCondition if c != h.OverallCondition.UNKNOWN]


def test_damage_extent_bands() -> None:
    assert [d.value for d in h.DamageExtent] == [
        "0",
        "1-10",
        "11-30",
        "31-60",
        "61-90",
        "91-100",
        "unknown",
    ]
    # the bands cover 0–100 % without gaps or overlaps
    bounds = [tuple(map(int, d.value.split("-"))) for d in h.DamageExtent if "-" in d.value]
    assert bounds[0][0] == 1 and bounds[-1][1] == 100
    for (_, high), (low, _) in zip(bounds, bounds[1:], strict=False):
        assert low == high + 1


def test_disturbance_causes_and_certainty() -> None:
    causes = {c.value for c in h.DisturbanceCause}
    assert {
        "military_activity",
        "looting",
        "vandalism",
        "construction",
        "agriculture",
        "natural",
        "neglect",
        "unknown",
    } <= causes
    assert [c.value for c in h.Certainty] == ["definite", "probable", "possible", "not_assessed"]


def test_recommendations_and_priorities() -> None:
    assert {r.value for r in h.Recommendation} >= {
        "no_action",
        "monitoring",
        "emergency_protection",
        "stabilisation",
        "detailed_survey",
        "restoration",
    }
    assert [p.value for p in h.Priority] == ["low", "medium", "high", "immediate"]


def test_assessment_methods() -> None:
    assert {m.value for m in h.AssessmentMethod} >= {"field_visit", "satellite_imagery", "report"}


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ("good", "poor", "deteriorated"),
        ("destroyed", "very_bad", "improved"),
        ("fair", "fair", "unchanged"),
        ("unknown", "poor", "unknown"),
        ("poor", "unknown", "unknown"),
    ],
)
def test_condition_change(before: str, after: str, change: str) -> None:
    result = h.condition_change(h.OverallCondition(before), h.OverallCondition(after))
    assert result == h.ConditionChange(change)
