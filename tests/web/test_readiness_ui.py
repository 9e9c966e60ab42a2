"""Readiness pages: the list, a settlement's breakdown with its gate, recording conditions, config."""

from __future__ import annotations

from typing import Any

from wayhome.core.vocab import PlaceType, Role
from wayhome.services import contamination
from wayhome.services.contamination_inputs import HazardAreaInput


def _square(lon: float, lat: float, side: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _world(wayhome, make) -> tuple[Any, Any]:
    country = make.place("DM", PlaceType.COUNTRY)
    free = make.place("SA", PlaceType.SETTLEMENT, parent_id=country.id, name="Aran", lon=45.0)
    mined = make.place("SB", PlaceType.SETTLEMENT, parent_id=country.id, name="Bayat", lon=46.0)
    body = {
        "local_id": "HA-77",
        "name": "Vineyard",
        "hazard_type": "cha",
        "geometry": _square(46.004, 40.0, 0.002),
    }
    contamination.create_hazard_area(
        wayhome, make.actor(Role.ADMIN), HazardAreaInput.model_validate(body)
    )
    return free, mined


def test_list_filters_and_sorts(login, wayhome, make) -> None:
    free, mined = _world(wayhome, make)
    ui = login(Role.VIEWER)
    page = ui.get("/readiness")
    assert page.status_code == 200
    assert "Aran" in page.text and "Bayat" in page.text
    assert 'href="/readiness"' in page.text  # the navigation entry
    blocked = ui.get("/readiness", params={"cls": "blocked"})
    assert "Bayat" in blocked.text and "Aran" not in blocked.text
    by_class = ui.get("/readiness", params={"sort": "class"}).text
    assert by_class.index("Bayat") < by_class.index("Aran")


def test_breakdown_gate_and_recording_conditions(login, wayhome, make) -> None:
    free, mined = _world(wayhome, make)
    ui = login(Role.CASEWORKER)
    gated = ui.get(f"/places/{mined.id}/readiness")
    assert gated.status_code == 200
    assert "Blocked by hazard areas" in gated.text
    hazard_id = contamination.search_hazard_areas(wayhome, make.actor(Role.ADMIN)).items[0].id
    assert f'href="/hazard-areas/{hazard_id}"' in gated.text and "HA-77" in gated.text

    page = ui.get(f"/places/{free.id}/readiness")
    assert "Not enough data" in page.text and 'action="/places/' in page.text
    bad = ui.post_form(
        f"/places/{free.id}/readiness/conditions",
        {"observed_on": "2024-02-30", "housing_damage_pct": "", "services.water": ""},
    )
    assert bad.status_code == 422
    assert "has no day 30" in bad.text and 'value="2024-02-30"' in bad.text
    ok = ui.post_form(
        f"/places/{free.id}/readiness/conditions",
        {
            "observed_on": "2024-02",
            "housing_damage_pct": "10",
            "services.water": "available",
            "services.school": "partial",
            "services.health": "",
            "source": "Field visit",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303, ok.text
    after = ui.get(f"/places/{free.id}/readiness").text
    assert "Ready for return" in after and "Field visit" in after
    assert "89.1" in after  # 100 · (30 + 25 · 0.9 + 25 · 0.75) / 80

    arabic = ui.get(f"/places/{free.id}/readiness", params={"lang": "ar"})
    assert arabic.status_code == 200 and 'dir="rtl"' in arabic.text


def test_not_a_settlement_is_404_and_viewers_cannot_record(login, wayhome, make) -> None:
    free, _ = _world(wayhome, make)
    ui = login(Role.VIEWER)
    assert ui.get(f"/places/{free.parent_id}/readiness").status_code == 404
    assert 'action="/places/' not in ui.get(f"/places/{free.id}/readiness").text
    refused = ui.post_form(
        f"/places/{free.id}/readiness/conditions", {"observed_on": "2024", "services.water": "none"}
    )
    assert refused.status_code == 403


def test_configuration_page(login, wayhome, make) -> None:
    ui = login(Role.ANALYST)
    form = ui.get("/readiness/config")
    assert form.status_code == 200 and 'name="buffer_m"' in form.text
    data = {
        "version": "0",
        "buffer_m": "2500",
        "cutoffs.ready": "80",
        "cutoffs.low": "55",
        "cutoffs.medium": "30",
        "min_coverage": "0.5",
    }
    for i, (key, weight) in enumerate(
        [("safety", 30), ("housing", 25), ("services", 25), ("heritage", 0), ("demand", 20)]
    ):
        data[f"indicators.{i}.key"] = key
        data[f"indicators.{i}.weight"] = str(weight)
        if key != "heritage":
            data[f"indicators.{i}.enabled"] = "on"
    saved = ui.post_form("/readiness/config", data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    again = ui.get("/readiness/config").text
    assert 'value="2500.0"' in again and 'name="version" value="1"' in again
    stale = ui.post_form("/readiness/config", data)
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    wrong = ui.post_form("/readiness/config", {**data, "version": "1", "cutoffs.low": "90"})
    assert wrong.status_code == 422 and "must rise" in wrong.text
    assert login(Role.REGISTRAR).get("/readiness/config").status_code == 403
