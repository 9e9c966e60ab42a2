"""Stored readiness facts: kept right by every write, equal to a fresh assessment, rebuilt."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from wayhome.core.errors import ValidationFailed
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import (
    contamination,
    heritage,
    households,
    map_layers,
    places,
    readiness,
    readiness_store,
)
from wayhome.services.contamination_inputs import (
    CloseHazardInput,
    HazardAreaInput,
    ReleaseInput,
)
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.services.inputs import HouseholdInput, PlaceInput, parse_input
from wayhome.services.readiness_conditions import ConditionInput, record_condition
from wayhome.services.readiness_config import (
    DEFAULT_SETTINGS,
    ReadinessSettings,
    read_settings,
    update_config,
)
from wayhome.services.readiness_facts import compute_facts, load_facts
from wayhome.store.tables import Place
from wayhome.store.tables_readiness import SettlementBlockingHazard, SettlementReadinessFacts

LON, LAT = 45.0, 40.0
STEP = 0.05  # settlements ~4 km apart: one hazard's buffer reaches one settlement


def square(lon: float, lat: float, side: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def hazard_input(local_id: str, geometry: dict[str, Any], version: int | None = None):
    data = {"local_id": local_id, "name": f"Field {local_id}", "hazard_type": "cha"}
    return HazardAreaInput.model_validate({**data, "geometry": geometry, "version": version})


def site_input(name: str, place_id: str, lon: float, version: int | None = None):
    data = {"type": "church", "names": [{"name": name}], "lat": LAT, "lon": lon}
    return HeritageSiteInput.model_validate({**data, "place_id": place_id, "version": version})


def assess_site(wayhome, actor, site_id: str, observed_on: str, condition: str) -> None:
    data = {"observed_on": observed_on, "method": "field_visit", "overall_condition": condition}
    heritage.add_assessment(wayhome, actor, site_id, HeritageAssessmentInput.model_validate(data))


def observe(wayhome, actor, place_id: str, observed_on: str, **values: Any) -> None:
    data = parse_input(ConditionInput, {"observed_on": observed_on, **values})
    record_condition(wayhome, actor, place_id, data)


def household(wayhome, actor, place_id: str, intention: str) -> None:
    data = {"origin_place_id": place_id, "return_intention": intention}
    households.create_household(wayhome, actor, HouseholdInput.model_validate(data))


def settlements_query() -> Any:
    return select(Place.id).where(
        Place.type == PlaceType.SETTLEMENT.value, Place.deleted_at.is_(None)
    )


def assert_stored_is_fresh(wayhome, actors) -> None:
    """Stored facts equal freshly computed ones, and every answer equals a fresh assessment."""
    with wayhome.read() as session:
        settings, _ = read_settings(session)
        chosen = settlements_query()
        rows = session.execute(
            select(Place.id, Place.lat, Place.lon).where(Place.id.in_(chosen))
        ).all()
        stored = load_facts(session, chosen, settings.buffer_m)
        fresh = compute_facts(session, rows, chosen, settings.buffer_m)
        assert set(stored) == set(fresh) == {r.id for r in rows}  # every settlement is stored
        for place_id, facts in fresh.items():
            kept = stored[place_id]
            assert kept.blocking == facts.blocking
            assert (kept.housing, kept.services) == (facts.housing, facts.services)
            assert sorted(kept.heritage) == sorted(facts.heritage)
        for actor in actors:
            from_store = readiness.assess(session, actor, settings)
            summaries = readiness.summaries(session, actor, settings, None)
            # the same session without the stored rows: everything computed on the spot
            session.execute(delete(SettlementBlockingHazard))
            session.execute(delete(SettlementReadinessFacts))
            computed = readiness.assess(session, actor, settings)
            session.rollback()
            assert from_store == computed
            assert {s.place_id: (s.score, s.readiness_class, s.blocking) for s in summaries} == {
                r.place_id: (r.score, r.readiness_class, len(r.blocking_hazards)) for r in computed
            }
    for actor in actors:
        map_layers.clear_caches()
        layer = map_layers.settlement_layer(wayhome, actor)
        by_id = {r.place_id: r for r in readiness.assess_settlements(wayhome, actor)}
        assert layer.features, "the map shows the located settlements"
        for feature in map(json.loads, layer.features):
            expected = by_id[feature["id"]]
            assert feature["properties"] == {
                "name": expected.place_name,
                "score": None if expected.score is None else round(expected.score, 1),
                "class": expected.readiness_class,
                "ready": expected.ready,
                "blocking": len(expected.blocking_hazards),
            }


@pytest.fixture
def admin(make):
    return make.actor(Role.ADMIN, "ORG1")


def test_stored_facts_follow_every_kind_of_write(wayhome, make, admin) -> None:
    other = make.actor(Role.ADMIN, "ORG2")
    actors = [admin, other]
    country = make.place("DM", PlaceType.COUNTRY)
    s = [
        make.place(f"S{i}", PlaceType.SETTLEMENT, parent_id=country.id, lon=LON + i * STEP, lat=LAT)
        for i in range(5)
    ]
    nowhere = make.place("SX", PlaceType.SETTLEMENT, parent_id=country.id, lon=None, lat=None)
    assert_stored_is_fresh(wayhome, actors)

    # hazards: one ~400 m from S0, one containing S1, one far from everything
    near = contamination.create_hazard_area(
        wayhome, admin, hazard_input("HA-1", square(LON + 0.005, LAT, 0.003))
    )
    inside = contamination.create_hazard_area(
        wayhome, admin, hazard_input("HA-2", square(LON + STEP - 0.002, LAT - 0.002, 0.004))
    )
    contamination.create_hazard_area(
        wayhome, admin, hazard_input("HA-3", square(LON + 1, LAT + 1, 0.004))
    )
    assert_stored_is_fresh(wayhome, actors)
    with wayhome.read() as session:
        blocked = dict(
            session.execute(
                select(SettlementReadinessFacts.place_id, SettlementReadinessFacts.blocking_count)
            ).all()
        )
    assert blocked[s[0].id] == 1 and blocked[s[1].id] == 1 and blocked[s[2].id] == 0

    # observations (the latest of each indicator counts), households of two organisations
    observe(wayhome, admin, s[0].id, "2023", housing_damage_pct=80, services={"water": "none"})
    observe(wayhome, admin, s[0].id, "2024-02", housing_damage_pct=20)
    observe(wayhome, admin, s[2].id, "2024", services={"water": "available", "school": "partial"})
    observe(wayhome, admin, s[3].id, "2024", housing_damage_pct=10, services={"water": "available"})
    observe(wayhome, admin, nowhere.id, "2024", housing_damage_pct=0)
    for place, intention in ((s[2], "return"), (s[2], "stay"), (s[3], "return")):
        household(wayhome, admin, place.id, intention)
    household(wayhome, other, s[2].id, "relocate")
    assert_stored_is_fresh(wayhome, actors)

    # heritage: a site assessed twice in S3, a site moved from S3 to S4
    church = heritage.create_site(wayhome, admin, site_input("Church", s[3].id, LON + 3 * STEP))
    assess_site(wayhome, admin, church["id"], "2019", "good")
    assess_site(wayhome, admin, church["id"], "2023-05", "poor")
    chapel = heritage.create_site(wayhome, admin, site_input("Chapel", s[3].id, LON + 3 * STEP))
    assess_site(wayhome, admin, chapel["id"], "2022", "destroyed")
    assert_stored_is_fresh(wayhome, actors)
    heritage.update_site(
        wayhome, admin, chapel["id"], site_input("Chapel", s[4].id, LON + 4 * STEP, version=1)
    )
    assert_stored_is_fresh(wayhome, actors)

    # releases, then closing, lift the block on S1; an edit moves HA-1 from S0 to S4
    release = {"release_kind": "cleared", "release_date": "2024-04-01"}
    contamination.record_release(
        wayhome,
        admin,
        inside.id,
        ReleaseInput.model_validate({**release, "geometry": json.loads(inside.geometry)}),
    )
    assert_stored_is_fresh(wayhome, actors)
    contamination.close_hazard_area(wayhome, admin, inside.id, CloseHazardInput())
    contamination.update_hazard_area(
        wayhome,
        admin,
        near.id,
        hazard_input("HA-1", square(LON + 4 * STEP + 0.004, LAT, 0.003), version=near.version),
    )
    assert_stored_is_fresh(wayhome, actors)
    with wayhome.read() as session:
        blocking = session.execute(
            select(SettlementBlockingHazard.place_id, SettlementBlockingHazard.hazard_area_id)
        ).all()
    assert [tuple(row) for row in blocking] == [(s[4].id, near.id)]

    # a settlement moved next to a hazard, another no longer a settlement
    moved = PlaceInput.model_validate(
        {
            "code": "S2",
            "type": "settlement",
            "parent_id": country.id,
            "lat": LAT,
            "lon": LON + 4 * STEP + 0.001,
            "names": [{"name": "Place S2"}],
            "version": 1,
        }
    )
    places.update_place(wayhome, admin, s[2].id, moved)
    district = moved.model_copy(
        update={"code": "S3", "type": PlaceType.DISTRICT, "lon": LON + 3 * STEP}
    )
    places.update_place(wayhome, admin, s[3].id, district)
    assert_stored_is_fresh(wayhome, actors)

    # the configuration: a wider buffer reaches more settlements; weights change the scores
    wider = ReadinessSettings.model_validate(
        {**DEFAULT_SETTINGS.model_dump(), "buffer_m": 5000, "min_coverage": 0.3}
    )
    update_config(wayhome, admin, wider)
    assert_stored_is_fresh(wayhome, actors)
    with wayhome.read() as session:
        assert set(session.scalars(select(SettlementReadinessFacts.buffer_m))) == {5000.0}


def test_settlements_without_stored_facts_are_computed_on_the_spot(wayhome, make, admin) -> None:
    country = make.place("DM", PlaceType.COUNTRY)
    place = make.place("S1", PlaceType.SETTLEMENT, parent_id=country.id, lon=LON, lat=LAT)
    contamination.create_hazard_area(
        wayhome, admin, hazard_input("HA-1", square(LON + 0.005, LAT, 0.003))
    )
    observe(wayhome, admin, place.id, "2024", housing_damage_pct=30)
    before = readiness.assess_settlements(wayhome, admin)
    with wayhome.transaction() as session:  # as after rows were written outside the services
        session.execute(delete(SettlementBlockingHazard))
        session.execute(delete(SettlementReadinessFacts))
    assert readiness.assess_settlements(wayhome, admin) == before
    [summary] = readiness.settlement_summaries(wayhome, admin)
    assert (summary.score, summary.readiness_class, summary.blocking) == (
        before[0].score,
        "blocked",
        1,
    )

    from wayhome.cli.readiness import app

    result = CliRunner().invoke(app, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert "recomputed 1 settlements and 0 heritage sites" in result.output
    assert_stored_is_fresh(wayhome, [admin])


def test_a_bulk_transaction_refreshes_once(wayhome, make, admin, monkeypatch) -> None:
    country = make.place("DM", PlaceType.COUNTRY)
    calls: list[Any] = []
    real_refresh = readiness_store._refresh

    def counting(session, place_ids, buffer_m):
        calls.append(place_ids)
        return real_refresh(session, place_ids, buffer_m)

    monkeypatch.setattr(readiness_store, "_refresh", counting)
    with wayhome.transaction() as session:
        for i in range(30):
            data = PlaceInput.model_validate(
                {
                    "code": f"B{i}",
                    "type": "settlement",
                    "parent_id": country.id,
                    "lat": LAT,
                    "lon": LON + i * STEP,
                    "names": [{"name": f"Bulk {i}"}],
                }
            )
            places.write_place(session, wayhome, admin, data)
    assert len(calls) == 1 and len(calls[0]) == 30
    with wayhome.read() as session:
        assert session.scalar(select(func.count()).select_from(SettlementReadinessFacts)) == 30


def test_a_failed_write_leaves_the_stored_facts_alone(wayhome, make, admin) -> None:
    country = make.place("DM", PlaceType.COUNTRY)
    place = make.place("S1", PlaceType.SETTLEMENT, parent_id=country.id, lon=LON, lat=LAT)
    with pytest.raises(ValidationFailed), wayhome.transaction() as session:
        readiness_store.places_changed(session, [place.id])
        session.execute(delete(SettlementReadinessFacts))
        raise ValidationFailed([])
    assert_stored_is_fresh(wayhome, [admin])
