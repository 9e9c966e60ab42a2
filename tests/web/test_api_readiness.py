"""The readiness API: the index of settlements, observed conditions and the configuration."""

from __future__ import annotations

from typing import Any

from wayhome.core.vocab import PlaceType, Role

P = "/api/v1"


def _square(lon: float, lat: float, side: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _settlements(make) -> tuple[Any, Any, Any]:
    country = make.place("DM", PlaceType.COUNTRY)
    a = make.place("SA", PlaceType.SETTLEMENT, parent_id=country.id, name="Aran", lon=45.0)
    b = make.place("SB", PlaceType.SETTLEMENT, parent_id=country.id, name="Bayat", lon=46.0)
    return country, a, b


def test_readiness_of_a_settlement_with_its_breakdown_and_gate(api, make) -> None:
    _, a, b = _settlements(make)
    client = api(Role.ANALYST)
    body = {"observed_on": "2024-05-03", "housing_damage_pct": 20, "services": {"water": "partial"}}
    created = client.post(f"{P}/places/{a.id}/conditions", json={**body, "source": "REACH"})
    assert created.status_code == 201, created.text
    assert created.json()["services"] == {"water": "partial"}
    hazard = {
        "local_id": "HA-1",
        "name": "Orchard",
        "hazard_type": "sha",
        "geometry": _square(46.0 - 0.001, 40.0 - 0.001, 0.002),
    }
    assert client.post(f"{P}/hazard-areas", json=hazard).status_code == 201

    found = client.get(f"{P}/places/{a.id}/readiness").json()
    assert found["readiness_class"] == "ready" and found["ready"] is True
    assert found["score"] == sum(i["contribution"] for i in found["indicators"])
    housing = next(i for i in found["indicators"] if i["key"] == "housing")
    assert housing["value"] == 20 and housing["source"] == "REACH"
    assert housing["value_label"] == "20 per cent of housing damaged or destroyed"
    assert housing["date"] == "2024-05-03"

    blocked = client.get(f"{P}/places/{b.id}/readiness").json()
    assert blocked["readiness_class"] == "blocked" and blocked["ready"] is False
    assert [h["local_id"] for h in blocked["blocking_hazards"]] == ["HA-1"]
    assert blocked["blocking_hazards"][0]["distance_m"] == 0.0

    listed = client.get(f"{P}/readiness", params={"class": "blocked"}).json()
    assert listed["total"] == 1 and listed["items"][0]["place_id"] == b.id
    by_score = client.get(f"{P}/readiness", params={"sort": "-score"}).json()
    assert [r["place_code"] for r in by_score["items"]] == ["SA", "SB"]
    boxed = client.get(f"{P}/readiness", params={"bbox": "45.5,39,46.5,41"}).json()
    assert [r["place_code"] for r in boxed["items"]] == ["SB"]
    history = client.get(f"{P}/places/{a.id}/conditions").json()
    assert [c["observed_on"] for c in history] == ["2024-05-03"]


def test_bad_input_says_what_and_where(api, make) -> None:
    country, a, _ = _settlements(make)
    client = api(Role.ADMIN)
    bad = client.post(
        f"{P}/places/{a.id}/conditions",
        json={"observed_on": "2024-13", "housing_damage_pct": 101, "services": {"gas": "none"}},
    )
    assert bad.status_code == 422
    locs = {tuple(e["loc"]) for e in bad.json()["detail"]}
    assert {("body", "observed_on"), ("body", "housing_damage_pct")} <= locs
    assert any(loc[:2] == ("body", "services") for loc in locs)
    assert client.get(f"{P}/places/{country.id}/readiness").status_code == 404
    assert client.get(f"{P}/readiness", params={"class": "nope"}).status_code == 422
    assert client.get(f"{P}/readiness", params={"bbox": "1,2,3"}).status_code == 422


def test_configuration_round_trip_and_conflict(api, make) -> None:
    client = api(Role.ADMIN)
    current = client.get(f"{P}/readiness/config").json()
    assert current["version"] == 0 and current["settings"]["buffer_m"] == 1000
    settings = {**current["settings"], "buffer_m": 2000, "version": 0}
    changed = client.put(f"{P}/readiness/config", json=settings)
    assert changed.status_code == 200 and changed.json()["version"] == 1
    assert client.put(f"{P}/readiness/config", json=settings).status_code == 409
    wrong = {**settings, "version": 1, "cutoffs": {"ready": 10, "low": 50, "medium": 20}}
    refused = client.put(f"{P}/readiness/config", json=wrong)
    assert refused.status_code == 422 and "cut-offs" in refused.text
    history = client.get(f"{P}/readiness/config/history").json()
    assert history[0]["changes"]["buffer_m"] == [1000, 2000]
