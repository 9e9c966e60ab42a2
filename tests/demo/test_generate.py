"""Tests for the pure synthetic demo-region generator."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.linkage.synth import demo_engine_row
from wayhome.demo import SYNTHETIC_NOTICE, DemoRegion, generate_region
from wayhome.demo.model import (
    NAME_KINDS,
    NEEDS,
    RELATIONSHIPS,
    RETURN_INTENTIONS,
    STATUSES,
)
from wayhome.demo.places import real_towns

RANGES = {
    "Latn": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x250, 0x2AF), (0x1E00, 0x1EFF)),
    "Cyrl": ((0x400, 0x52F),),
    "Armn": ((0x531, 0x58F),),
    "Geor": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF)),
    "Arab": ((0x600, 0x6FF), (0x750, 0x77F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
}
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FEMININE = {"azerbaijani": ("ova", "eva"), "russian": ("ова", "ева", "ёва", "ина", "ская", "цкая")}


def letters_in(text: str, script: str) -> bool:
    """True when every letter of ``text`` lies in the Unicode ranges of ``script``."""
    return all(
        any(lo <= ord(ch) <= hi for lo, hi in RANGES[script])
        for ch in text
        if ch.isalpha() and ch not in "ʻʼ"
    )


def year(partial: str | None) -> int | None:
    return int(partial[:4]) if partial else None


@pytest.fixture(scope="module")
def region() -> DemoRegion:
    return generate_region()


@pytest.fixture(scope="module")
def small() -> DemoRegion:
    return generate_region(seed=3, settlements=60, households=200)


def test_notice_says_synthetic() -> None:
    assert SYNTHETIC_NOTICE.startswith("All persons in this demo region are invented.")


def test_same_seed_same_output_and_other_seed_differs(small: DemoRegion) -> None:
    assert generate_region(seed=3, settlements=60, households=200) == small
    other = generate_region(seed=4, settlements=60, households=200)
    assert other != small
    assert other.households != small.households


def test_default_counts(region: DemoRegion) -> None:
    types = [p.type for p in region.places]
    assert region.name == "Demo region (synthetic)"
    assert types.count("country") == 1
    assert types.count("region") == 6
    assert types.count("district") == 20
    assert types.count("settlement") == 300
    assert len(region.households) == 3000
    assert all(1 <= len(h.members) <= 8 for h in region.households)


def test_hierarchy_is_consistent_and_codes_unique(region: DemoRegion) -> None:
    by_code = {p.code: p for p in region.places}
    assert len(by_code) == len(region.places)
    expected_parent = {"region": "country", "district": "region", "settlement": "district"}
    for place in region.places:
        if place.type == "country":
            assert place.parent_code is None and place.code == "DM"
            continue
        parent = by_code[place.parent_code]
        assert parent.type == expected_parent[place.type]
        assert place.code.startswith(parent.code) and len(place.code) > len(parent.code)
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
    districts = {p.code for p in region.places if p.type == "district"}
    assert districts == {p.parent_code for p in region.places if p.type == "settlement"}


def test_place_names_match_their_scripts(region: DemoRegion) -> None:
    for place in region.places:
        assert place.names, place.code
        assert len(place.names) <= 4 or place.type != "settlement"
        for name in place.names:
            assert name.name.strip() and letters_in(name.name, name.script), (place.code, name)
    settlements = [p for p in region.places if p.type == "settlement"]
    multi = [p for p in settlements if len({n.script for n in p.names}) >= 2]
    assert len(multi) >= 0.8 * len(settlements)
    assert all(len({n.script for n in p.names}) == len(p.names) for p in settlements)


def test_invented_villages_when_real_towns_run_out() -> None:
    home, near = real_towns()
    assert len(home) + len(near) < 700  # so some villages must be invented
    big = generate_region(seed=5, settlements=700, households=20)
    settlements = [p for p in big.places if p.type == "settlement"]
    assert len(settlements) == 700
    assert len({p.code for p in settlements}) == 700
    for place in settlements:
        for name in place.names:
            assert letters_in(name.name, name.script), name


def test_person_names_match_their_scripts(region: DemoRegion) -> None:
    persons = [m.person for h in region.households for m in h.members]
    assert len({p.key for p in persons}) == len(persons)
    for person in persons:
        assert person.names[0].kind == "primary"
        assert all(n.kind != "primary" for n in person.names[1:])
        for name in person.names:
            assert name.given_name and name.family_name
            for part in (name.given_name, name.family_name, name.patronymic or ""):
                assert letters_in(part, name.script), (person.key, name)
    with_extra = sum(len(p.names) > 1 for p in persons) / len(persons)
    assert 0.3 <= with_extra <= 0.5


def test_primary_scripts_per_community(region: DemoRegion) -> None:
    expected = {
        "azerbaijani": "Latn",
        "armenian": "Armn",
        "georgian": "Geor",
        "arab": "Arab",
        "russian": "Cyrl",
        "ukrainian": "Cyrl",
    }
    assert {h.community for h in region.households} == set(expected)
    for h in region.households:
        assert all(m.person.names[0].script == expected[h.community] for m in h.members)


def test_feminine_surnames_in_azerbaijani_and_russian_households(region: DemoRegion) -> None:
    checked = 0
    for h in region.households:
        if h.community not in FEMININE:
            continue
        for m in h.members:
            family = m.person.names[0].family_name
            is_feminine = family.endswith(FEMININE[h.community])
            assert is_feminine == (m.person.sex == "F"), (h.key, m)
            checked += 1
            if h.community == "azerbaijani" and m.person.names[0].patronymic:
                suffix = " qızı" if m.person.sex == "F" else " oğlu"
                assert m.person.names[0].patronymic.endswith(suffix)
    assert checked > 1000


def test_children_share_the_family_name(region: DemoRegion) -> None:
    for h in region.households:
        if h.community not in ("russian", "armenian", "georgian"):
            continue
        head = h.members[0].person
        fathers = [
            m.person
            for m in h.members
            if m.relationship in ("head", "spouse") and m.person.sex == "M"
        ]
        if not fathers:
            continue
        stem = fathers[0].names[0].family_name
        for m in h.members:
            if m.relationship in ("son", "daughter"):
                assert m.person.names[0].family_name.startswith(stem.rstrip("ий")), (h.key, head)


def test_ages_are_coherent(region: DemoRegion) -> None:
    for h in region.households:
        years = {m.relationship: [] for m in h.members}
        for m in h.members:
            years[m.relationship].append(year(m.person.birth_date))
        head = years["head"][0]
        parents = [y for y in years["head"] + years.get("spouse", []) if y is not None]
        for rel in ("son", "daughter"):
            for child in years.get(rel, []):
                if child is not None:
                    assert all(18 <= child - p <= 40 for p in parents), h.key
        for rel in ("father", "mother"):
            for elder in years.get(rel, []):
                if elder is not None and head is not None:
                    assert 18 <= head - elder <= 40, h.key
        for rel in ("grandson", "granddaughter"):
            for young in years.get(rel, []):
                if young is not None and head is not None:
                    assert young - head >= 36, h.key
        if head is not None and years.get("spouse", [None])[0] is not None:
            assert abs(head - years["spouse"][0]) <= 15, h.key


def test_sex_matches_relationship(region: DemoRegion) -> None:
    sex_of = {
        "son": "M",
        "daughter": "F",
        "father": "M",
        "mother": "F",
        "brother": "M",
        "sister": "F",
        "grandson": "M",
        "granddaughter": "F",
    }
    for h in region.households:
        assert h.members[0].relationship == "head"
        assert [m.relationship for m in h.members].count("head") == 1
        head_sex = h.members[0].person.sex
        for m in h.members:
            assert m.person.sex == sex_of.get(m.relationship, m.person.sex)
            if m.relationship == "spouse":
                assert m.person.sex != head_sex


def _valid_partial(value: str) -> bool:
    if not PARTIAL_DATE.match(value):
        return False
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 3:
        date(*parts)
    return len(parts) < 2 or 1 <= parts[1] <= 12


def test_dates_are_valid_partial_iso(region: DemoRegion) -> None:
    births = [m.person.birth_date for h in region.households for m in h.members]
    for value in births:
        assert value is None or _valid_partial(value), value
    share = {n: sum(1 for b in births if b and len(b) == n) / len(births) for n in (4, 7, 10)}
    assert 0.4 <= share[4] <= 0.6 and 0.12 <= share[7] <= 0.28 and 0.2 <= share[10] <= 0.4
    assert 0 < sum(b is None for b in births) < 0.05 * len(births)
    for h in region.households:
        for d in h.displacements:
            for value in (d.displaced_on, d.status_date):
                assert value is None or _valid_partial(value), value


def test_enumerations_and_references(region: DemoRegion) -> None:
    settlements = {p.code for p in region.places if p.type == "settlement"}
    for h in region.households:
        assert h.origin_code in settlements and h.current_code in settlements
        assert h.return_intention in RETURN_INTENTIONS
        assert set(h.needs) <= set(NEEDS) and len(set(h.needs)) == len(h.needs)
        assert [d.person_key for d in h.displacements] == [m.person.key for m in h.members]
        for m in h.members:
            assert m.relationship in RELATIONSHIPS and m.person.sex in ("M", "F")
            assert all(n.kind in NAME_KINDS for n in m.person.names)
            assert m.person.birth_place_code is None or m.person.birth_place_code in settlements
        for d, m in zip(h.displacements, h.members, strict=True):
            assert d.status in STATUSES
            assert d.origin_code == h.origin_code
            assert d.current_code is None or d.current_code in settlements
            born, left = year(m.person.birth_date), year(d.displaced_on)
            if born is not None and left is not None:
                assert born <= left
            if d.status == "returned":
                assert d.current_code == h.origin_code
    statuses = {d.status for h in region.households for d in h.displacements}
    assert statuses == set(STATUSES)


def test_rejects_too_few_settlements() -> None:
    with pytest.raises(ValueError):
        generate_region(settlements=1)


def test_second_registrations_are_planted_in_other_spellings(region: DemoRegion) -> None:
    persons = {m.person.key: m.person for h in region.households for m in h.members}
    seconds = region.second_registrations
    assert 0.02 <= len(seconds) / len(persons) <= 0.04
    assert len({s.original_key for s in seconds}) == len(seconds)
    other_script = 0
    for second in seconds:
        original, again = persons[second.original_key], second.person
        assert again.key not in persons and again.sex == original.sex
        (name,) = again.names
        assert name.kind == "primary" and name.given_name and name.family_name
        for part in (name.given_name, name.family_name, name.patronymic or ""):
            assert letters_in(part, name.script), (again.key, name)
        assert again != original
        if again.birth_date and original.birth_date:  # vaguer, or day and month swapped
            assert again.birth_date[:4] == original.birth_date[:4]
        other_script += name.script != original.names[0].script
    assert other_script >= 0.7 * len(seconds)


def test_second_registrations_leave_the_households_alone(small: DemoRegion) -> None:
    without = generate_region(seed=3, settlements=60, households=200, duplicate_share=0.0)
    assert without.households == small.households
    assert without.second_registrations == () and small.second_registrations
    with pytest.raises(ValueError, match="duplicate_share"):
        generate_region(duplicate_share=1.5)


def test_the_duplicates_engine_finds_mostly_the_planted_pairs(region: DemoRegion) -> None:
    """On the demo's persons (as the duplicates queue reads them) the engine proposes mostly the
    planted second registrations: they are the truth here (measured: precision 0.90, recall 0.92
    at the queue's threshold 0.5; 0.98 and 0.77 at 0.9)."""
    import pandas as pd

    from wayhome.linkage import dedupe
    from wayhome.services.duplicates_find import DEFAULT_THRESHOLD

    place = {p.code: p.names[0].name for p in region.places}
    people = [m.person for h in region.households for m in h.members]
    people += [s.person for s in region.second_registrations]
    frame = pd.DataFrame([demo_engine_row(p, place) for p in people])
    result = dedupe(frame, threshold=DEFAULT_THRESHOLD, explain=False)
    truth = {frozenset((s.original_key, s.person.key)) for s in region.second_registrations}
    found = {frozenset(p) for p in zip(result.pairs["id_a"], result.pairs["id_b"], strict=True)}
    hits = len(found & truth)
    assert hits / len(found) >= 0.85  # precision
    assert hits / len(truth) >= 0.85  # recall
