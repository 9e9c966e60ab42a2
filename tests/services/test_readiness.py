"""Return readiness: the safety gate, weights and contributions, classes, demand, configuration."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from wayhome.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import contamination, heritage, households, readiness
from wayhome.services.contamination_inputs import (
    CloseHazardInput,
    HazardAreaInput,
    ReleaseInput,
)
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.services.inputs import HouseholdInput, parse_input
from wayhome.services.readiness_conditions import ConditionInput, list_conditions, record_condition
from wayhome.services.readiness_config import (
    DEFAULT_SETTINGS,
    ReadinessSettings,
    config_history,
    get_config,
    update_config,
)

LON, LAT = 45.0, 40.0


def square(lon: float, lat: float, side: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def admin(make):
    return make.actor(Role.ADMIN, "ORG1")


@pytest.fixture
def country(make):
    return make.place("DM", PlaceType.COUNTRY)


def settlement(make, country, code: str = "S1", lon: float = LON, lat: float = LAT):
    return make.place(code, PlaceType.SETTLEMENT, parent_id=country.id, lon=lon, lat=lat)


def hazard(wayhome, admin, local_id: str, geometry: dict[str, Any]):
    data = {"local_id": local_id, "name": f"Field {local_id}", "hazard_type": "cha"}
    return contamination.create_hazard_area(
        wayhome, admin, HazardAreaInput.model_validate({**data, "geometry": geometry})
    )


def close(wayhome, admin, found, geometry: dict[str, Any]) -> None:
    release = {"release_kind": "cleared", "geometry": geometry, "release_date": "2024-04-01"}
    contamination.record_release(wayhome, admin, found.id, ReleaseInput.model_validate(release))
    contamination.close_hazard_area(wayhome, admin, found.id, CloseHazardInput())


def observe(wayhome, admin, place_id: str, **values: Any):
    data = {"observed_on": "2024-05", **values}
    return record_condition(wayhome, admin, place_id, parse_input(ConditionInput, data))


def indicator(result, key: str):
    return next(i for i in result.indicators if i.key == key)


# --- the safety gate -------------------------------------------------------------------------


def test_open_hazard_in_the_buffer_blocks_and_is_named(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    observe(wayhome, admin, place.id, housing_damage_pct=0, services={"water": "available"})
    near = hazard(wayhome, admin, "HA-NEAR", square(LON + 0.005, LAT, 0.003))  # ~430 m east
    hazard(wayhome, admin, "HA-FAR", square(LON + 0.05, LAT, 0.003))  # ~4.3 km east
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert result.readiness_class == "blocked"
    assert result.ready is False
    assert [b.local_id for b in result.blocking_hazards] == ["HA-NEAR"]
    blocking = result.blocking_hazards[0]
    assert blocking.id == near.id and blocking.status == "open" and blocking.hazard_type == "cha"
    assert 400 < blocking.distance_m < 450
    assert indicator(result, "safety").score == 0.0


def test_hazard_containing_the_settlement_is_at_zero_metres(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    hazard(wayhome, admin, "HA-IN", square(LON - 0.001, LAT - 0.001, 0.002))
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert [(b.local_id, b.distance_m) for b in result.blocking_hazards] == [("HA-IN", 0.0)]


def test_closed_hazards_do_not_block(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    observe(wayhome, admin, place.id, housing_damage_pct=0, services={"water": "available"})
    geometry = square(LON - 0.001, LAT - 0.001, 0.002)
    close(wayhome, admin, hazard(wayhome, admin, "HA-DONE", geometry), geometry)
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert result.blocking_hazards == []
    assert result.readiness_class == "ready" and result.ready is True
    assert indicator(result, "safety").score == 1.0


def test_the_buffer_comes_from_the_configuration(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    hazard(wayhome, admin, "HA-NEAR", square(LON + 0.005, LAT, 0.003))  # ~430 m east
    assert readiness.assess_settlement(wayhome, admin, place.id).blocking_hazards
    update_config(wayhome, admin, ReadinessSettings(buffer_m=300))
    assert not readiness.assess_settlement(wayhome, admin, place.id).blocking_hazards


def test_the_gate_holds_when_the_safety_indicator_is_disabled(
    wayhome, make, admin, country
) -> None:
    place = settlement(make, country)
    observe(wayhome, admin, place.id, housing_damage_pct=0, services={"water": "available"})
    hazard(wayhome, admin, "HA-IN", square(LON - 0.001, LAT - 0.001, 0.002))
    settings = DEFAULT_SETTINGS.model_dump()
    for item in settings["indicators"]:
        if item["key"] == "safety":
            item["enabled"] = False
    update_config(wayhome, admin, ReadinessSettings.model_validate(settings))
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert result.score == pytest.approx(100.0)
    assert result.readiness_class == "blocked" and not result.ready


# --- score, contributions and classes --------------------------------------------------------


def test_contributions_add_up_to_the_weighted_score(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    observe(
        wayhome,
        admin,
        place.id,
        housing_damage_pct=40,
        services={"water": "available", "electricity": "partial", "school": "none"},
        source="Shelter cluster rapid assessment",
    )
    result = readiness.assess_settlement(wayhome, admin, place.id)
    # safety 1 (w 30), housing 0.6 (w 25), services 0.5 (w 25); heritage, demand: no data
    expected = 100 * (30 * 1.0 + 25 * 0.6 + 25 * 0.5) / 80
    assert result.score == pytest.approx(expected)
    assert sum(i.contribution for i in result.indicators) == pytest.approx(result.score)
    assert indicator(result, "housing").contribution == pytest.approx(100 * 25 * 0.6 / 80)
    assert indicator(result, "housing").source == "Shelter cluster rapid assessment"
    assert indicator(result, "housing").date == "2024-05"
    assert indicator(result, "heritage").score is None
    assert indicator(result, "heritage").contribution == 0.0
    assert result.coverage == pytest.approx(80 / 100)
    assert result.readiness_class == "low"  # 71.9: 55 <= score < 75


@pytest.mark.parametrize(
    ("damage", "water", "cls"),  # scores 100, 65.6, 50 and 37.5
    [
        (0, "available", "ready"),
        (60, "partial", "low"),
        (60, "none", "medium"),
        (100, "none", "high"),
    ],
)
def test_class_cut_offs(wayhome, make, admin, country, damage, water, cls) -> None:
    place = settlement(make, country)
    observe(wayhome, admin, place.id, housing_damage_pct=damage, services={"water": water})
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert result.readiness_class == cls, result.score


def test_cut_offs_can_be_changed(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    observe(wayhome, admin, place.id, housing_damage_pct=100, services={"water": "none"})
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert result.score == pytest.approx(100 * 30 / 80)  # only safety scores
    assert result.readiness_class == "high"
    settings = ReadinessSettings.model_validate(
        {**DEFAULT_SETTINGS.model_dump(), "cutoffs": {"ready": 90, "low": 60, "medium": 30}}
    )
    update_config(wayhome, admin, settings)
    assert readiness.assess_settlement(wayhome, admin, place.id).readiness_class == "medium"


def test_too_little_data_gives_no_score(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert result.score is None and result.readiness_class == "no_data" and not result.ready
    assert indicator(result, "safety").score == 1.0  # known, but 30 % of the weight is too little
    assert all(i.contribution == 0 for i in result.indicators)


def test_without_coordinates_a_settlement_is_never_ready(wayhome, make, admin, country) -> None:
    place = make.place("S0", PlaceType.SETTLEMENT, parent_id=country.id, lat=None, lon=None)
    observe(wayhome, admin, place.id, housing_damage_pct=0, services={"water": "available"})
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert indicator(result, "safety").score is None
    assert result.score == pytest.approx(100.0)
    assert result.readiness_class == "low" and not result.ready


def test_latest_observation_of_each_indicator_counts(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    observe(wayhome, admin, place.id, observed_on="2023", housing_damage_pct=80)
    observe(wayhome, admin, place.id, observed_on="2024-02", services={"water": "available"})
    observe(wayhome, admin, place.id, observed_on="2023-06", housing_damage_pct=20)
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert indicator(result, "housing").value == 20
    assert indicator(result, "services").date == "2024-02"
    assert [c.observed_on for c in list_conditions(wayhome, admin, place.id)] == [
        "2024-02",
        "2023-06",
        "2023",
    ]


def test_heritage_condition_counts(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    for i, condition in enumerate(("good", "destroyed")):
        site = heritage.create_site(
            wayhome,
            admin,
            HeritageSiteInput.model_validate(
                {"type": "cemetery", "names": [{"name": f"Site {i}"}], "place_id": place.id}
            ),
        )
        assessment = {
            "observed_on": "2022",
            "method": "field_visit",
            "overall_condition": condition,
        }
        if condition == "destroyed":
            assessment["damage_extent"] = "91-100"
        heritage.add_assessment(
            wayhome, admin, site["id"], HeritageAssessmentInput.model_validate(assessment)
        )
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert indicator(result, "heritage").score == pytest.approx(0.5)
    assert indicator(result, "heritage").value_params == {"count": 2}


# --- demand ----------------------------------------------------------------------------------


def test_demand_counts_households_by_intention(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    other = settlement(make, country, "S2", lon=46.0)
    for intention, origin in [
        ("return", place),
        ("return", place),
        ("stay", place),
        ("undecided", place),
        ("return", other),
    ]:
        households.create_household(
            wayhome,
            admin,
            HouseholdInput.model_validate(
                {"origin_place_id": origin.id, "return_intention": intention}
            ),
        )
    elsewhere = make.actor(Role.ADMIN, "ORG2")
    households.create_household(
        wayhome,
        elsewhere,
        HouseholdInput.model_validate({"origin_place_id": place.id, "return_intention": "stay"}),
    )
    result = readiness.assess_settlement(wayhome, admin, place.id)
    assert result.demand["return"] == 2 and result.demand["stay"] == 1
    assert result.demand["undecided"] == 1 and result.households == 4  # ORG2's is not seen
    demand = indicator(result, "demand")
    assert demand.score == pytest.approx(2 / 3)
    assert demand.value_params == {"returning": 2, "stated": 3}
    assert readiness.assess_settlement(wayhome, elsewhere, place.id).demand["stay"] == 1


# --- many settlements, filters ---------------------------------------------------------------


def test_assess_settlements_filters_and_pages(wayhome, make, admin, country) -> None:
    a = settlement(make, country, "SA", lon=45.0)
    b = settlement(make, country, "SB", lon=46.0)
    make.place("DX", PlaceType.DISTRICT, parent_id=country.id)  # not a settlement
    observe(wayhome, admin, a.id, housing_damage_pct=0, services={"water": "available"})
    hazard(wayhome, admin, "HA-B", square(46.0 - 0.001, LAT - 0.001, 0.002))
    everything = readiness.assess_settlements(wayhome, admin)
    assert [r.place_id for r in everything] == [a.id, b.id]
    assert [r.readiness_class for r in everything] == ["ready", "blocked"]
    in_box = readiness.assess_settlements(wayhome, admin, bbox=(45.5, 39.0, 46.5, 41.0))
    assert [r.place_id for r in in_box] == [b.id]
    assert [r.place_id for r in readiness.assess_settlements(wayhome, admin, place_ids=[a.id])] == [
        a.id
    ]
    page = readiness.readiness_page(wayhome, admin, readiness_class=["blocked"])
    assert page.total == 1 and page.items[0].place_id == b.id
    by_class = readiness.readiness_page(wayhome, admin, sort="class", per_page=1)
    assert by_class.total == 2 and by_class.items[0].readiness_class == "blocked"
    with pytest.raises(ValidationFailed):
        readiness.readiness_page(wayhome, admin, readiness_class=["nope"])
    with pytest.raises(ValidationFailed):
        readiness.readiness_page(wayhome, admin, sort="nope")


def test_only_settlements_have_readiness(wayhome, make, admin, country) -> None:
    with pytest.raises(NotFound):
        readiness.assess_settlement(wayhome, admin, country.id)
    with pytest.raises(NotFound):
        observe(wayhome, admin, country.id, housing_damage_pct=5)


# --- conditions and configuration ------------------------------------------------------------


def test_conditions_are_validated(wayhome, make, admin, country) -> None:
    place = settlement(make, country)
    with pytest.raises(ValidationFailed) as empty:
        observe(wayhome, admin, place.id)
    assert empty.value.errors[0].loc == ("housing_damage_pct",)
    with pytest.raises(ValidationFailed) as bad:
        parse_input(
            ConditionInput,
            {"observed_on": "2099", "housing_damage_pct": 120, "services": {"water": "lots"}},
        )
    locs = {e.path() for e in bad.value.errors}
    assert {"observed_on", "housing_damage_pct", "services.water"} <= locs
    viewer = make.actor(Role.VIEWER, "ORG1")
    with pytest.raises(PermissionDenied):
        observe(wayhome, viewer, place.id, housing_damage_pct=5)


def test_configuration_is_versioned_and_checked(wayhome, make, admin) -> None:
    settings, version = get_config(wayhome, admin)
    assert settings == DEFAULT_SETTINGS and version == 0
    changed = ReadinessSettings.model_validate(
        {**DEFAULT_SETTINGS.model_dump(), "buffer_m": 2500, "version": 0}
    )
    _, version = update_config(wayhome, admin, changed)
    assert version == 1
    with pytest.raises(Conflict):
        update_config(wayhome, admin, changed)  # still says version 0
    history = config_history(wayhome, admin)
    assert [h.version for h in history] == [1]
    assert history[0].changes["buffer_m"] == [1000.0, 2500.0]
    with pytest.raises(PermissionDenied):
        update_config(wayhome, make.actor(Role.REGISTRAR, "ORG1"), changed)
    for bad in (
        {"cutoffs": {"ready": 40, "low": 50, "medium": 25}},
        {"indicators": [{"key": "safety", "weight": 1}]},
        {"buffer_m": -1},
    ):
        with pytest.raises(ValidationFailed):
            parse_input(ReadinessSettings, {**DEFAULT_SETTINGS.model_dump(), **bad})


def test_the_guide_states_the_defaults() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guide" / "readiness.md").read_text()
    for item in DEFAULT_SETTINGS.indicators:
        assert f'{{"key": "{item.key.value}", "enabled": true, "weight": {item.weight:g}}}' in guide
        assert re.search(rf"\| `{item.key.value}` \|.*\| {item.weight:g} \|", guide), item.key
    assert f'"buffer_m": {DEFAULT_SETTINGS.buffer_m:g}' in guide
    cut = DEFAULT_SETTINGS.cutoffs
    assert (
        f'"cutoffs": {{"ready": {cut.ready:g}, "low": {cut.low:g}, "medium": {cut.medium:g}}}'
        in guide
    )
    assert f'"min_coverage": {DEFAULT_SETTINGS.min_coverage:g}' in guide


def test_hazards_across_the_antimeridian_still_block(wayhome, make, admin, country) -> None:
    east = settlement(make, country, "SE", lon=179.9995)
    settlement(make, country, "SW", lon=-170.0)
    hazard(wayhome, admin, "HA-W", square(-179.9995, LAT - 0.0005, 0.001))  # ~85 m west of 180°
    found = {r.place_code: r for r in readiness.assess_settlements(wayhome, admin)}
    assert [b.local_id for b in found["SE"].blocking_hazards] == ["HA-W"]
    assert 0 < found["SE"].blocking_hazards[0].distance_m < 100
    assert found["SW"].blocking_hazards == []
    assert found["SE"].place_id == east.id
