"""Labels of the mine-action and heritage vocabularies, in pages and in readable histories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from wayhome.core import heritage as heritage_vocab
from wayhome.core import mine_action
from wayhome.core.mine_action import ActivityStatus, ReleaseKind
from wayhome.core.vocab import Role
from wayhome.services import contamination
from wayhome.services.audit import HistoryEntry
from wayhome.web import i18n
from wayhome.web.history_view import ENTITY_VOCABULARIES, readable
from wayhome.web.templating import VOCABULARIES, label, vocabulary_options


@pytest.fixture
def locale() -> Iterator[None]:
    yield
    i18n.set_locale("en")


def test_every_vocabulary_is_known_by_name_with_all_its_values() -> None:
    for module in (mine_action, heritage_vocab):
        for enum, labels in module.LABELS.items():
            name = next(n for n, v in VOCABULARIES.items() if v is labels)
            assert [code for code, _ in vocabulary_options(name)] == [e.value for e in enum]
    assert "hazard_status" in VOCABULARIES and "damage_extent" in VOCABULARIES


def test_a_value_with_several_meanings_needs_its_vocabulary() -> None:
    assert label("cancelled", "activity_status") == "Called off"
    assert label("cancelled", "release_kind") == "Cancelled (non-technical survey)"
    assert label(ActivityStatus.CANCELLED) == "Called off"  # the enum names its vocabulary
    assert label(ReleaseKind.CANCELLED) == "Cancelled (non-technical survey)"
    assert label("cancelled") == "cancelled"  # ambiguous without one: the code, never a guess
    assert label("other", "device_category") == "Other device"
    assert label("other", "evidence_type") == "Other evidence"


def test_values_that_only_one_list_has_need_no_vocabulary() -> None:
    assert label("sha") == "Suspected hazardous area (SHA)"
    assert label("handed_over") == "Handed over"
    assert label("31-60") == "31–60 %"
    assert label("displaced") == "Displaced"  # the registry's labels are unchanged
    assert label("unknown") == "Unknown"
    assert label(None) == "—"
    assert label("no-such-code", "hazard_type") == "no-such-code"


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_labels_are_translated(lang: str, locale: None) -> None:
    i18n.set_locale(lang)
    for vocabulary, code in (
        ("hazard_type", "cha"),
        ("release_kind", "cleared"),
        ("overall_condition", "very_bad"),
        ("disturbance_cause", "looting"),
    ):
        english = VOCABULARIES[vocabulary][code]
        assert label(code, vocabulary) not in ("", english, code), (vocabulary, code)


def test_every_record_type_names_vocabularies_that_exist() -> None:
    for fields in ENTITY_VOCABULARIES.values():
        assert set(fields.values()) <= set(VOCABULARIES)


def _entry(changes: dict) -> HistoryEntry:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    return HistoryEntry(1, "update", now, "someone", "i1", changes, {})


def test_readable_history_of_each_record_type(wayhome, make) -> None:
    viewer = make.actor(Role.VIEWER)
    [hazard] = readable(
        wayhome,
        viewer,
        [
            _entry(
                {
                    "status": ["open", "closed"],
                    "hazard_type": ["sha", "cha"],
                    "evidence": [[], [{"evidence_type": "marking", "device_type": "PMN-2"}]],
                    "geometry": [
                        None,
                        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
                    ],
                }
            )
        ],
        contamination.HAZARD,
    )
    assert hazard.changes["status"] == ["Open", "Closed"]
    assert hazard.changes["hazard_type"][1] == "Confirmed hazardous area (CHA)"
    assert hazard.changes["evidence"] == ["—", "Warning signs or markings (PMN-2)"]
    assert hazard.changes["geometry"] == [None, "outline of 4 points"]
    [activity] = readable(
        wayhome, viewer, [_entry({"status": ["planned", "cancelled"]})], contamination.ACTIVITY
    )
    assert activity.changes["status"] == ["Planned", "Called off"]
    [release] = readable(
        wayhome, viewer, [_entry({"release_kind": [None, "cancelled"]})], contamination.RELEASE
    )
    assert release.changes["release_kind"] == [None, "Cancelled (non-technical survey)"]
    [assessment] = readable(
        wayhome,
        viewer,
        [
            _entry(
                {
                    "overall_condition": ["unknown", "poor"],
                    "disturbances": [[], [{"cause": "neglect", "certainty": "possible"}]],
                    "priority": [None, "high"],
                }
            )
        ],
        "heritage_assessment",
    )
    assert assessment.changes["overall_condition"] == ["Condition unknown", "Poor"]
    assert assessment.changes["disturbances"][1] == "Neglect or abandonment (Possible)"
    assert assessment.changes["priority"] == [None, "High"]
    [site] = readable(
        wayhome,
        viewer,
        [_entry({"names": [[], [{"name": "Մեծ", "lang": "hy", "script": "Armn"}]]})],
        "heritage_site",
    )
    assert site.changes["names"] == ["—", "Մեծ (hy, Armn)"]


def test_references_become_names_for_those_who_may_see_them(wayhome, make) -> None:
    from tests.services.test_contamination import hazard_data

    analyst = make.actor(Role.ANALYST)
    hazard = contamination.create_hazard_area(wayhome, analyst, hazard_data("HA-11"))
    entries = [_entry({"hazard_area_id": [None, hazard.id]})]
    [shown] = readable(wayhome, make.actor(Role.VIEWER), entries, contamination.DEVICE)
    assert shown.changes["hazard_area_id"] == [None, "HA-11 — Orchard north of the school"]
