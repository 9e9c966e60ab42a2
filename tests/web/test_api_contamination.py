"""The contamination API: hazard areas, releases and their ledger, activities, devices, accidents."""

from __future__ import annotations

import pytest

from tests.services.test_contamination import BAD_GEOMETRIES, LON, rect
from wayhome.core.vocab import Role
from wayhome.services import persons
from wayhome.services.inputs import PersonInput

P = "/api/v1"


def hazard_body(local_id: str = "HA-1", geometry: dict | None = None, **extra) -> dict:
    return {
        "local_id": local_id,
        "name": "Sunflower field by the railway",
        "hazard_type": "cha",
        "geometry": geometry or rect(0, 0, 400, 300),
        "evidence": [{"evidence_type": "accident"}],
        **extra,
    }


@pytest.fixture
def analyst(api):
    return api(Role.ANALYST)


@pytest.fixture
def hazard(analyst) -> dict:
    response = analyst.post(f"{P}/hazard-areas", json=hazard_body())
    assert response.status_code == 201, response.text
    return response.json()


def test_record_read_list_and_edit_a_hazard_area(analyst, hazard, api):
    assert hazard["local_id"] == "HA-1" and hazard["status"] == "open"
    assert hazard["geometry"]["type"] == "Polygon"
    assert hazard["original_area_m2"] == pytest.approx(120_000, rel=2e-3)
    assert hazard["remaining_area_m2"] == hazard["original_area_m2"]
    assert hazard["version"] == 1 and hazard["evidence"][0]["evidence_type"] == "accident"
    viewer = api(Role.VIEWER, "ORG2")
    got = viewer.get(f"{P}/hazard-areas/{hazard['id']}")
    assert got.status_code == 200 and got.json()["id"] == hazard["id"]

    def listed(**params) -> list[str]:
        response = viewer.get(f"{P}/hazard-areas", params=params)
        assert response.status_code == 200, response.text
        return [h["local_id"] for h in response.json()["items"]]

    assert listed() == ["HA-1"]
    assert listed(bbox="36,49,37,51") == ["HA-1"]
    assert listed(bbox="0,0,1,1") == []
    assert listed(status="open", hazard_type="cha") == ["HA-1"]
    assert listed(status=["closed", "handed_over"]) == []
    assert listed(hazard_type="sha") == []
    collection = viewer.get(f"{P}/hazard-areas.geojson", params={"bbox": "36,49,37,51"}).json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"] == hazard["geometry"]
    assert feature["properties"]["local_id"] == "HA-1"

    body = hazard_body(name="Sunflower field, east part", version=1)
    edited = analyst.put(f"{P}/hazard-areas/{hazard['id']}", json=body)
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = analyst.put(f"{P}/hazard-areas/{hazard['id']}", json=body)
    assert stale.status_code == 409
    history = viewer.get(f"{P}/hazard-areas/{hazard['id']}/history").json()
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["changes"]["name"][1] == "Sunflower field, east part"


@pytest.mark.parametrize("name", BAD_GEOMETRIES)
def test_bad_geometry_is_a_422_at_the_geometry_with_the_reason(analyst, name):
    geometry, reason = BAD_GEOMETRIES[name]
    response = analyst.post(f"{P}/hazard-areas", json=hazard_body(geometry=geometry))
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "geometry"]
    assert reason in error["msg"]
    assert analyst.get(f"{P}/hazard-areas").json()["total"] == 0


def test_field_paths_of_input_errors(analyst, hazard):
    response = analyst.post(
        f"{P}/hazard-areas",
        json=hazard_body(
            "HA 2", geometry=rect(1000, 0, 1100, 100), hazard_type="big", benchmark_lat=91
        ),
    )
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert locs == {
        ("body", "local_id"),
        ("body", "hazard_type"),
        ("body", "benchmark_lat"),
    }
    response = analyst.post(f"{P}/hazard-areas", json=hazard_body(geometry="POLYGON((0 0))"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "geometry"]
    duplicate = analyst.post(f"{P}/hazard-areas", json=hazard_body("HA-2"))
    assert duplicate.status_code == 422
    [error] = duplicate.json()["detail"]
    assert error["loc"] == ["body", "geometry"] and "already recorded as HA-1" in error["msg"]
    bad_bbox = analyst.get(f"{P}/hazard-areas", params={"bbox": "1,2,3"})
    assert bad_bbox.status_code == 422
    assert bad_bbox.json()["detail"][0]["loc"] == ["query", "bbox"]
    assert analyst.get(f"{P}/hazard-areas/nope").status_code == 404


def test_releases_the_ledger_and_closing(analyst, hazard, api):
    url = f"{P}/hazard-areas/{hazard['id']}"
    activity = analyst.post(
        f"{url}/activities",
        json={"activity_type": "ts", "organisation_name": "FSD", "start_date": "2024-02"},
    )
    assert activity.status_code == 201, activity.text
    reduced = analyst.post(
        f"{url}/releases",
        json={
            "release_kind": "reduced",
            "geometry": rect(0, 0, 200, 300),
            "release_date": "2024-03-04",
            "activity_id": activity.json()["id"],
        },
    )
    assert reduced.status_code == 201, reduced.text
    assert reduced.json()["area_m2"] == pytest.approx(60_000, rel=3e-3)
    outside = analyst.post(
        f"{url}/releases",
        json={
            "release_kind": "cleared",
            "geometry": rect(300, 200, 500, 400),
            "release_date": "2024-05-01",
        },
    )
    assert outside.status_code == 422
    [error] = outside.json()["detail"]
    assert error["loc"] == ["body", "geometry"]
    assert "outside the hazard area" in error["msg"]
    bowtie = analyst.post(
        f"{url}/releases",
        json={
            "release_kind": "cleared",
            "geometry": BAD_GEOMETRIES["bowtie"][0],
            "release_date": "2024-05-01",
        },
    )
    assert bowtie.status_code == 422
    assert bowtie.json()["detail"][0]["loc"] == ["body", "geometry"]
    assert len(analyst.get(f"{url}/releases").json()) == 1

    ledger = analyst.get(f"{url}/ledger").json()
    assert ledger["reduced_m2"] == pytest.approx(reduced.json()["area_m2"])
    assert ledger["original_m2"] == pytest.approx(
        ledger["remaining_m2"]
        + ledger["cancelled_m2"]
        + ledger["reduced_m2"]
        + ledger["cleared_m2"],
        abs=1,
    )
    assert not ledger["fully_released"]
    assert ledger["remaining_geometry"]["type"] == "Polygon"
    assert [e["release_id"] for e in ledger["entries"]] == [reduced.json()["id"]]
    refused = analyst.post(f"{url}/close")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "status"]

    cleared = analyst.post(
        f"{url}/releases",
        json={
            "release_kind": "cleared",
            "geometry": rect(0, 0, 400, 300),
            "release_date": "2024-06-01",
        },
    )
    assert cleared.status_code == 201
    assert cleared.json()["already_released_m2"] == pytest.approx(60_000, rel=3e-3)
    assert analyst.get(f"{url}/ledger").json()["fully_released"]
    closed = analyst.post(f"{url}/close", json={"status": "closed", "status_date": "2024-06-02"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    viewer = api(Role.VIEWER)
    assert viewer.get(f"{P}/hazard-areas", params={"status": "closed"}).json()["total"] == 1
    late = analyst.post(
        f"{url}/releases",
        json={
            "release_kind": "cleared",
            "geometry": rect(0, 0, 10, 10),
            "release_date": "2024-06-03",
        },
    )
    assert late.status_code == 409


def test_activities_and_devices(analyst, hazard, api):
    url = f"{P}/hazard-areas/{hazard['id']}"
    created = analyst.post(
        f"{url}/activities", json={"activity_type": "clearance", "organisation_name": "MAG"}
    )
    assert created.status_code == 201 and created.json()["status"] == "planned"
    activity_id = created.json()["id"]
    edited = analyst.put(
        f"{P}/mine-action-activities/{activity_id}",
        json={
            "activity_type": "clearance",
            "organisation_name": "MAG",
            "method": "manual",
            "status": "ongoing",
            "start_date": "2024-04",
            "version": 1,
        },
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    history = analyst.get(f"{P}/mine-action-activities/{activity_id}/history").json()
    assert history[0]["changes"]["status"] == ["planned", "ongoing"]
    assert [a["id"] for a in analyst.get(f"{url}/activities").json()] == [activity_id]
    bad_dates = analyst.post(
        f"{url}/activities",
        json={
            "activity_type": "nts",
            "organisation_name": "MAG",
            "start_date": "2024-05-02",
            "end_date": "2024-05-01",
        },
    )
    assert bad_dates.status_code == 422
    assert bad_dates.json()["detail"][0]["loc"] == ["body", "end_date"]

    device = analyst.post(
        f"{url}/devices",
        json={
            "device_category": "cluster_munition",
            "device_type": "9N210",
            "lon": LON,
            "lat": 49.95,
            "activity_id": activity_id,
            "found_on": "2024-05",
        },
    )
    assert device.status_code == 201, device.text
    assert device.json()["condition"] == "unknown" and device.json()["quantity"] == 1
    listed = api(Role.VIEWER, "ORG2").get(f"{url}/devices").json()
    assert [d["device_type"] for d in listed] == ["9N210"]
    wrong = analyst.post(f"{url}/devices", json={"device_category": "mine"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "device_category"]
    denied = api(Role.CASEWORKER).post(f"{url}/devices", json={"device_category": "uxo"})
    assert denied.status_code == 403


def test_accidents_and_their_victims(analyst, api, wayhome, make):
    admin1 = make.actor(Role.ADMIN, "ORG1")
    person = persons.register_person(
        wayhome, admin1, PersonInput.model_validate({"names": [{"family_name": "Бондаренко"}]})
    )
    created = analyst.post(
        f"{P}/accidents",
        json={
            "accident_date": "2022-10",
            "lon": LON,
            "lat": 49.95,
            "device_category": "ap_mine",
            "activity": "gathering",
            "injured": 1,
            "killed": 1,
        },
    )
    assert created.status_code == 201, created.text
    accident = created.json()
    url = f"{P}/accidents/{accident['id']}"
    linked = analyst.post(
        f"{url}/victims", json={"person_id": person.id, "outcome": "killed", "sex": "F"}
    )
    assert linked.status_code == 201, linked.text
    anonymous = analyst.post(f"{url}/victims", json={"outcome": "injured", "age_group": "child"})
    assert anonymous.status_code == 201
    too_many = analyst.post(f"{url}/victims", json={"outcome": "injured"})
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"] == ["body", "outcome"]

    other = api(Role.CASEWORKER, "ORG2")
    assert other.get(url).status_code == 200
    assert [v["id"] for v in other.get(f"{url}/victims").json()] == [anonymous.json()["id"]]
    victim_url = f"{P}/victims/{linked.json()['id']}"
    assert other.get(f"{victim_url}/history").status_code == 404
    assert analyst.get(f"{victim_url}/history").status_code == 200
    persons.share(wayhome, admin1, person.id, other.user.organisation_id)
    assert len(other.get(f"{url}/victims").json()) == 2

    edited = analyst.put(
        victim_url,
        json={"person_id": person.id, "outcome": "killed", "sex": "F", "age_group": "older"},
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    page = analyst.get(f"{P}/accidents", params={"bbox": "36,49,37,51"}).json()
    assert [a["id"] for a in page["items"]] == [accident["id"]]
    changed = analyst.put(url, json={**accident_body(accident), "killed": 3, "version": 1})
    assert changed.status_code == 200 and changed.json()["killed"] == 3
    assert [h["version"] for h in analyst.get(f"{url}/history").json()] == [2, 1]
    assert api(Role.VIEWER).get(url).status_code == 403
    assert api(Role.REGISTRAR).post(f"{P}/accidents", json={}).status_code == 403


def accident_body(accident: dict) -> dict:
    fields = ("accident_date", "lon", "lat", "device_category", "activity", "injured", "killed")
    return {name: accident[name] for name in fields}
