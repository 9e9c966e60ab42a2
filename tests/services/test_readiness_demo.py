"""The demo's settlement conditions: deterministic, valid, and enough for every readiness class."""

from __future__ import annotations

from sqlalchemy import func, select

from wayhome.core.vocab import Role
from wayhome.demo import generate_region
from wayhome.demo.conditions import generate_conditions
from wayhome.services import demo_hazards, readiness, readiness_demo
from wayhome.services.context import system_actor
from wayhome.services.readiness_conditions import CONDITION_ENTITY
from wayhome.store.tables import RecordVersion
from wayhome.store.tables_readiness import SettlementCondition

REGION = generate_region(seed=11, settlements=60, households=5)


def test_generator_is_deterministic_and_only_about_settlements() -> None:
    first = generate_conditions(REGION.places, seed=11)
    assert first == generate_conditions(REGION.places, seed=11)
    assert first != generate_conditions(REGION.places, seed=12)
    settlements = {p.code for p in REGION.places if p.type == "settlement"}
    observed = {c.place_code for c in first}
    assert observed < settlements  # some settlements have no observation at all
    for item in first:
        assert item.services or item.housing_damage_pct is not None
        assert item.housing_damage_pct is None or 0 <= item.housing_damage_pct <= 100


def demo_places(make) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The demo region's places, parents first; their ids by place code."""
    ids: dict[str, str] = {}
    for place in REGION.places:
        parent = ids.get(place.parent_code) if place.parent_code else None
        ids[place.code] = make.place(
            place.code, place.type, parent, place.names[0].name, place.lat, place.lon
        ).id
    return ids


def test_demo_conditions_load_through_the_service(wayhome, make) -> None:
    actor = system_actor(make.org("DEMO"))
    ids = demo_places(make)
    demo_hazards.load_hazards(wayhome, actor, REGION.places, ids, seed=11)
    counts = readiness_demo.load_conditions(wayhome, actor, REGION.places, ids, seed=11)
    with wayhome.read() as session:
        stored = session.scalar(select(func.count()).select_from(SettlementCondition))
        versions = session.scalar(
            select(func.count())
            .select_from(RecordVersion)
            .where(RecordVersion.entity_type == CONDITION_ENTITY)
        )
    assert stored == versions == counts["settlement_conditions"] > 0
    classes = {r.readiness_class for r in readiness.assess_settlements(wayhome, actor)}
    assert {"blocked", "no_data"} <= classes
    assert classes & {"ready", "low", "medium", "high"}


def test_demo_bulk_loads_leave_the_stored_readiness_facts_right(wayhome, make) -> None:
    from tests.services.test_readiness_store import assert_stored_is_fresh

    actor = system_actor(make.org("DEMO"))
    ids = demo_places(make)
    demo_hazards.load_hazards(wayhome, actor, REGION.places, ids, seed=11)  # one transaction
    readiness_demo.load_conditions(wayhome, actor, REGION.places, ids, seed=11)  # one more
    assert_stored_is_fresh(wayhome, [make.actor(Role.ADMIN, "DEMO"), make.actor(Role.ADMIN)])
