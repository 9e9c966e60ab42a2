"""Vocabularies of mine action: every value has a label, and the codes the rest relies on."""

from __future__ import annotations

from enum import StrEnum

import pytest

from wayhome.core import mine_action as ma
from wayhome.geo import RELEASE_KINDS

EXPECTED: dict[type[StrEnum], set[str]] = {
    ma.HazardType: {"sha", "cha"},
    ma.HazardStatus: {"open", "closed", "handed_over"},
    ma.DeviceCategory: {"ap_mine", "at_mine", "uxo", "axo", "cluster_munition", "ied", "other"},
    ma.EvidenceType: {
        "accident",
        "device_found",
        "device_reported",
        "minefield_record",
        "marking",
        "informant",
        "conflict_history",
        "land_not_used",
        "other",
    },
    ma.ActivityType: {"nts", "ts", "clearance", "bac", "eod"},
    ma.ActivityStatus: {"planned", "ongoing", "suspended", "completed", "cancelled"},
    ma.ReleaseKind: {"cancelled", "reduced", "cleared"},
    ma.DeviceCondition: {"intact", "damaged", "deteriorated", "partly_functioned", "unknown"},
    ma.VictimOutcome: {"injured", "killed"},
    ma.AgeGroup: {"child", "adult", "older", "unknown"},
    ma.AccidentActivity: {
        "demining",
        "agriculture",
        "herding",
        "gathering",
        "scrap_collection",
        "handling",
        "travelling",
        "playing",
        "military",
        "household",
        "other",
        "unknown",
    },
}


def test_every_vocabulary_is_checked_here() -> None:
    assert set(ma.VOCABULARIES) == set(EXPECTED)


@pytest.mark.parametrize("vocabulary", list(EXPECTED), ids=lambda v: v.__name__)
def test_values_and_labels(vocabulary: type[StrEnum]) -> None:
    assert {v.value for v in vocabulary} == EXPECTED[vocabulary]
    labels = ma.LABELS[vocabulary]
    assert set(labels) == EXPECTED[vocabulary], "every value has a label, and only values do"
    for value in vocabulary:
        label = ma.label(value)
        assert label == labels[value.value]
        assert label and label[0].isupper() and label == label.strip()
    assert len(set(labels.values())) == len(labels), "two values share a label"
    for value in vocabulary:  # codes are stored: short, lower case, no spaces
        assert value.value == value.value.lower() and " " not in value.value
        assert len(value.value) <= 24


def test_a_value_shared_by_two_vocabularies_keeps_its_own_label() -> None:
    assert ma.ActivityStatus.CANCELLED == ma.ReleaseKind.CANCELLED == "cancelled"
    assert ma.label(ma.ActivityStatus.CANCELLED) != ma.label(ma.ReleaseKind.CANCELLED)
    assert ma.label(ma.DeviceCategory.OTHER) != ma.label(ma.AccidentActivity.OTHER)


def test_release_kinds_are_those_of_the_ledger() -> None:
    assert tuple(k.value for k in ma.ReleaseKind) == RELEASE_KINDS


def test_which_activities_release_which_land() -> None:
    assert set(ma.RELEASED_BY) == set(ma.ReleaseKind)
    assert ma.RELEASED_BY[ma.ReleaseKind.CANCELLED] == {ma.ActivityType.NTS}
    assert ma.RELEASED_BY[ma.ReleaseKind.REDUCED] == {ma.ActivityType.TS}
    assert ma.RELEASED_BY[ma.ReleaseKind.CLEARED] == {
        ma.ActivityType.CLEARANCE,
        ma.ActivityType.BAC,
    }
    releasing = set().union(*ma.RELEASED_BY.values())
    assert ma.ActivityType.EOD not in releasing  # spot tasks release no land


def test_stored_codes_fit_their_columns() -> None:
    from wayhome.store.tables_contamination import (
        DeviceFound,
        HazardArea,
        LandReleaseEvent,
        MineAccident,
        MineActionActivity,
        MineVictim,
    )

    columns = {
        (HazardArea, "hazard_type"): ma.HazardType,
        (HazardArea, "status"): ma.HazardStatus,
        (MineActionActivity, "activity_type"): ma.ActivityType,
        (MineActionActivity, "status"): ma.ActivityStatus,
        (LandReleaseEvent, "release_kind"): ma.ReleaseKind,
        (DeviceFound, "device_category"): ma.DeviceCategory,
        (DeviceFound, "condition"): ma.DeviceCondition,
        (MineAccident, "device_category"): ma.DeviceCategory,
        (MineAccident, "activity"): ma.AccidentActivity,
        (MineVictim, "age_group"): ma.AgeGroup,
        (MineVictim, "outcome"): ma.VictimOutcome,
        (MineVictim, "activity"): ma.AccidentActivity,
    }
    for (model, name), vocabulary in columns.items():
        length = model.__table__.c[name].type.length
        assert max(len(v.value) for v in vocabulary) <= length, f"{model.__name__}.{name}"
