"""The demo's hazards, releases, accidents and heritage sites: written through the services, valid."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import func, select

from wayhome.demo import generate_region
from wayhome.demo.hazards import generate_accidents, generate_hazards, generate_heritage
from wayhome.services import contamination, demo_hazards, heritage
from wayhome.services.context import system_actor
from wayhome.store.tables import RecordVersion
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent, MineAccident
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite

REGION = generate_region(seed=11, settlements=60, households=5)


def test_generator_is_deterministic_and_valid() -> None:
    first = generate_hazards(REGION.places, seed=11)
    assert first == generate_hazards(REGION.places, seed=11)
    assert first != generate_hazards(REGION.places, seed=12)
    settlements = {p.code: p for p in REGION.places if p.type == "settlement"}
    over = 0
    for hazard in first:
        outline = shape(hazard.geometry)
        assert outline.is_valid and outline.geom_type == "Polygon"
        place = settlements[hazard.place_code]
        over += outline.contains(Point(place.lon, place.lat))
        for release in hazard.releases:
            land = shape(release.geometry)
            assert land.is_valid and outline.buffer(1e-9).contains(land)
            assert hazard.activities[release.activity]["status"] == "completed"
        kinds = [r.kind for r in hazard.releases]
        assert kinds == sorted(kinds, key=["cancelled", "reduced", "cleared"].index)
    assert over >= 1  # some settlements are blocked by a hazard over them
    assert any(h.closed_on for h in generate_hazards(REGION.places, seed=7))
    accidents = generate_accidents(first, REGION.places, seed=11)
    assert all(1 <= len(a.victims) <= 3 for a in accidents)
    sites = generate_heritage(REGION.places, seed=11)
    assert sites and any(s.sensitive for s in sites)
    for site in sites:
        observed = [a.observed_on for a in site.assessments]
        assert observed == sorted(observed)


@pytest.fixture
def loaded(wayhome, make):
    org = make.org("DEMO")
    actor = system_actor(org)
    ids = {}
    for place in REGION.places:
        parent = ids.get(place.parent_code) if place.parent_code else None
        ids[place.code] = make.place(
            place.code, place.type, parent, place.names[0].name, place.lat, place.lon
        ).id
    counts = demo_hazards.load_hazards(wayhome, actor, REGION.places, ids, seed=11)
    counts |= demo_hazards.load_heritage(wayhome, actor, REGION.places, ids, seed=11)
    return actor, counts


def test_every_demo_hazard_keeps_the_ledger_invariant(wayhome, loaded) -> None:
    actor, counts = loaded
    with wayhome.read() as session:
        hazards = list(session.scalars(select(HazardArea)))
        releases = session.scalar(select(func.count()).select_from(LandReleaseEvent))
        accidents = session.scalar(select(func.count()).select_from(MineAccident))
        versions = session.scalar(
            select(func.count())
            .select_from(RecordVersion)
            .where(RecordVersion.entity_type == contamination.HAZARD)
        )
    assert len(hazards) == counts["hazard_areas"] > 0
    assert releases == counts["releases"] > 0 and accidents == counts["accidents"]
    assert versions >= len(hazards)  # written through the service: history kept
    for hazard in hazards:
        result = contamination.ledger(wayhome, actor, hazard.id)
        total = math.fsum((result.remaining_m2, result.released_m2))
        assert total == pytest.approx(result.original_m2, rel=1e-6, abs=1.0), hazard.local_id
        assert hazard.remaining_area_m2 == pytest.approx(result.remaining_m2, abs=1.0)
        if hazard.status != "open":
            assert result.remaining_m2 < contamination.RELEASED_BELOW_M2


def test_demo_heritage_sites_and_assessments(wayhome, loaded) -> None:
    actor, counts = loaded
    with wayhome.read() as session:
        sites = list(session.scalars(select(HeritageSite)))
        assessments = session.scalar(select(func.count()).select_from(HeritageAssessment))
    assert len(sites) == counts["heritage_sites"] > 0
    assert assessments == counts["assessments"] >= len(sites)
    sensitive = next(s for s in sites if s.sensitive)
    assert heritage.location_of(sensitive, actor)["location_precision"] == "exact"  # system actor
    timeline = heritage.list_assessments(wayhome, actor, sites[0].id)
    assert [a["observed_on"] for a in timeline] == sorted(a["observed_on"] for a in timeline)
    assert assessments > len(sites)  # some sites were assessed more than once


def test_load_demo_includes_hazards_and_heritage(wayhome) -> None:
    from wayhome.services.demo_loader import load_demo

    seen: dict[str, int] = {}
    load_demo(
        wayhome,
        settlements=40,
        household_count=10,
        progress=lambda kind, done, total: seen.__setitem__(kind, total),
    )
    with wayhome.read() as session:
        hazards = session.scalar(select(func.count()).select_from(HazardArea))
        sites = session.scalar(select(func.count()).select_from(HeritageSite))
    assert hazards == seen["hazard_areas"] > 0 and sites == seen["heritage_sites"] > 0
