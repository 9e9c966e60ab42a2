"""Map layers: bbox, simplification for the zoom, readiness, coarsened sites, who may see what."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace
from typing import Any

import pytest
import shapely
from sqlalchemy import delete, select

from wayhome.core.vocab import PlaceType, Role
from wayhome.geo.layer_geometry import display_geojson
from wayhome.services import contamination, heritage, map_layers, map_outlines
from wayhome.services.contamination_inputs import ActivityInput, HazardAreaInput, ReleaseInput
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.store.tables_contamination import HazardAreaOutline

API = "/api/v1/map"
LON, LAT = 45.0, 40.0


def circle(lon: float, lat: float, radius_deg: float, vertices: int = 200) -> dict[str, Any]:
    ring = [
        [
            lon + radius_deg * math.cos(2 * math.pi * k / vertices),
            lat + 0.8 * radius_deg * math.sin(2 * math.pi * k / vertices),
        ]
        for k in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def add_hazard(wayhome, actor, local_id: str, lon: float, lat: float, radius: float = 0.01):
    return contamination.create_hazard_area(
        wayhome,
        actor,
        HazardAreaInput.model_validate(
            {
                "local_id": local_id,
                "name": f"Field {local_id}",
                "hazard_type": "cha",
                "geometry": circle(lon, lat, radius),
            }
        ),
    )


def add_site(wayhome, actor, name: str, lat: float, lon: float, *, sensitive: bool = False):
    return heritage.create_site(
        wayhome,
        actor,
        HeritageSiteInput.model_validate(
            {
                "type": "cemetery" if sensitive else "church",
                "names": [{"name": name}],
                "lat": lat,
                "lon": lon,
                "sensitive": sensitive,
            }
        ),
    )


def assess(wayhome, actor, site_id: str, observed_on: str, condition: str) -> None:
    heritage.add_assessment(
        wayhome,
        actor,
        site_id,
        HeritageAssessmentInput.model_validate(
            {"observed_on": observed_on, "method": "field_visit", "overall_condition": condition}
        ),
    )


def vertices(feature: dict[str, Any]) -> int:
    return sum(len(ring) for ring in feature["geometry"]["coordinates"])


@pytest.fixture
def admin(make):
    return make.actor(Role.ADMIN)


def test_hazard_layer_by_bbox_and_simplified_for_the_zoom(api, wayhome, admin) -> None:
    near = add_hazard(wayhome, admin, "HA-NEAR", LON, LAT)
    add_hazard(wayhome, admin, "HA-FAR", LON + 5, LAT)
    client = api(Role.VIEWER)
    inside = client.get(f"{API}/hazard-areas.geojson", params={"bbox": "44.9,39.9,45.1,40.1"})
    assert inside.status_code == 200, inside.text
    assert inside.headers["content-type"].startswith("application/geo+json")
    body = inside.json()
    assert body["type"] == "FeatureCollection" and body["truncated"] is False
    assert [f["id"] for f in body["features"]] == [near.id]
    props = body["features"][0]["properties"]
    assert props == {
        "ref": "HA-NEAR",
        "name": "Field HA-NEAR",
        "hazard_type": "cha",
        "status": "open",
        "remaining_m2": round(near.remaining_area_m2),
    }
    full = vertices(body["features"][0])
    assert full == 201  # no zoom: as stored
    far_out = client.get(f"{API}/hazard-areas.geojson", params={"zoom": 5}).json()
    close_in = client.get(f"{API}/hazard-areas.geojson", params={"zoom": 16}).json()
    assert len(far_out["features"]) == 2
    coarse = {f["id"]: vertices(f) for f in far_out["features"]}[near.id]
    fine = {f["id"]: vertices(f) for f in close_in["features"]}[near.id]
    assert coarse < fine <= full and coarse <= 10
    # rounded to about a tenth of a pixel: 2 decimals at zoom 5, more at 16
    lon5 = far_out["features"][0]["geometry"]["coordinates"][0][0][0]
    assert lon5 == round(lon5, 2)
    bad = client.get(f"{API}/hazard-areas.geojson", params={"bbox": "1,2,x,4"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "bbox"]
    assert client.get(f"{API}/hazard-areas.geojson", params={"zoom": 40}).status_code == 422


def test_an_edited_outline_is_simplified_again(api, wayhome, admin) -> None:
    hazard = add_hazard(wayhome, admin, "HA-1", LON, LAT)
    client = api(Role.VIEWER)
    before = client.get(f"{API}/hazard-areas.geojson", params={"zoom": 14}).json()
    contamination.update_hazard_area(
        wayhome,
        admin,
        hazard.id,
        HazardAreaInput.model_validate(
            {
                "local_id": "HA-1",
                "name": "Moved",
                "hazard_type": "cha",
                "geometry": circle(LON + 1, LAT, 0.01),
                "version": hazard.version,
            }
        ),
    )
    after = client.get(f"{API}/hazard-areas.geojson", params={"zoom": 14}).json()
    x_before = before["features"][0]["geometry"]["coordinates"][0][0][0]
    x_after = after["features"][0]["geometry"]["coordinates"][0][0][0]
    assert x_after == pytest.approx(x_before + 1, abs=0.001)


def stored_outlines(wayhome, hazard_id: str) -> dict[int, str]:
    o = HazardAreaOutline
    with wayhome.read() as session:
        rows = session.execute(
            select(o.band, o.geometry).where(o.hazard_area_id == hazard_id)
        ).all()
    return dict(rows)


def test_outlines_are_stored_per_band_when_written(api, wayhome, admin) -> None:
    hazard = add_hazard(wayhome, admin, "HA-1", LON, LAT)
    outlines = stored_outlines(wayhome, hazard.id)
    assert sorted(outlines) == list(map_outlines.BANDS)
    expected = display_geojson([shapely.from_geojson(hazard.geometry)], 5)[0]
    assert outlines[5] == expected
    # the layer only reads them: zoom 5 and zoom 16 answer exactly the stored texts
    map_layers.clear_caches()
    client = api(Role.VIEWER)
    for zoom, band in ((5, 5), (16, 16), (None, map_outlines.FULL)):
        params = {} if zoom is None else {"zoom": zoom}
        body = client.get(f"{API}/hazard-areas.geojson", params=params).json()
        assert body["features"][0]["geometry"] == json.loads(outlines[band])
    assert json.loads(outlines[5])["coordinates"] != json.loads(outlines[16])["coordinates"]
    assert sum(map(len, json.loads(outlines[5])["coordinates"])) <= 10

    contamination.update_hazard_area(
        wayhome,
        admin,
        hazard.id,
        HazardAreaInput.model_validate(
            {
                "local_id": "HA-1",
                "name": "Moved",
                "hazard_type": "cha",
                "geometry": circle(LON + 1, LAT, 0.02),
                "version": hazard.version,
            }
        ),
    )
    replaced = stored_outlines(wayhome, hazard.id)
    assert sorted(replaced) == list(map_outlines.BANDS)  # replaced, not added to
    assert all(replaced[band] != outlines[band] for band in map_outlines.BANDS)
    x = json.loads(replaced[14])["coordinates"][0][0][0]
    assert x == pytest.approx(LON + 1.02, abs=0.001)
    map_layers.clear_caches()  # a fresh process: the stored outline, not a cached feature
    body = client.get(f"{API}/hazard-areas.geojson", params={"zoom": 14}).json()
    assert body["features"][0]["geometry"] == json.loads(replaced[14])


def test_hazards_without_stored_outlines_are_simplified_on_request(api, wayhome, admin) -> None:
    hazard = add_hazard(wayhome, admin, "HA-1", LON, LAT)
    outlines = stored_outlines(wayhome, hazard.id)
    with wayhome.transaction() as session:  # as a bulk load outside the services leaves it
        session.execute(delete(HazardAreaOutline))
    map_layers.clear_caches()
    body = api(Role.VIEWER).get(f"{API}/hazard-areas.geojson", params={"zoom": 9}).json()
    assert body["features"][0]["geometry"] == json.loads(outlines[9])


def test_cold_read_by_box_gives_what_reading_by_ids_gives(wayhome, admin, monkeypatch) -> None:
    for n in range(3):
        add_hazard(wayhome, admin, f"HA-{n}", LON + n * 0.1, LAT, 0.005)
    add_hazard(wayhome, admin, "HA-EAST", 179.9, LAT, 0.005)
    add_hazard(wayhome, admin, "HA-WEST", -179.9, LAT, 0.005)
    boxes = [None, (44.9, 39.9, 45.15, 40.1), (179.0, 39.0, -179.0, 41.0), (170, 0, 190, 50)]

    def layers() -> list[list[str]]:
        found = []
        for bbox in boxes:
            for zoom in (None, 7):
                map_layers.clear_caches()
                found.append(map_layers.hazard_layer(wayhome, admin, bbox=bbox, zoom=zoom).features)
        return found

    by_ids = layers()
    monkeypatch.setattr(map_layers, "_CHUNK", 1)  # every cold request now reads by the box
    assert layers() == by_ids
    assert [len(features) for features in by_ids] == [5, 5, 2, 2, 2, 2, 2, 2]


def test_limit_sets_truncated(wayhome, admin) -> None:
    for n in range(3):
        add_hazard(wayhome, admin, f"HA-{n}", LON + n * 0.1, LAT, 0.005)
    layer = map_layers.hazard_layer(wayhome, admin, limit=2)
    assert len(layer.features) == 2 and layer.truncated is True
    assert map_layers.hazard_layer(wayhome, admin, limit=3).truncated is False


def test_heritage_layer_latest_condition_and_coarsened_by_role(api, wayhome, admin) -> None:
    open_site = add_site(wayhome, admin, "Old church", 40.0123, 45.0123)
    secret = add_site(wayhome, admin, "Family cemetery", 40.0312, 45.0377, sensitive=True)
    assess(wayhome, admin, open_site["id"], "2019", "good")
    assess(wayhome, admin, open_site["id"], "2023-05", "poor")
    assess(wayhome, admin, open_site["id"], "2021-02-03", "fair")
    viewer = api(Role.VIEWER).get(f"{API}/heritage-sites.geojson", params={"zoom": 12}).json()
    by_id = {f["id"]: f for f in viewer["features"]}
    assert by_id[open_site["id"]]["properties"]["condition"] == "poor"  # latest observed
    assert by_id[secret["id"]]["properties"]["condition"] == "unknown"  # never assessed
    assert by_id[open_site["id"]]["geometry"]["coordinates"] == [45.0123, 40.0123]
    hidden = by_id[secret["id"]]
    assert hidden["geometry"]["coordinates"] == [45.05, 40.05]  # the centre of its 0.1° cell
    assert hidden["properties"]["precision"] == "coarse"
    raw = api(Role.VIEWER).get(f"{API}/heritage-sites.geojson").text
    assert "40.0312" not in raw and "45.0377" not in raw
    # the box applies to the presented point: a box around the true spot finds nothing
    tight = api(Role.VIEWER).get(
        f"{API}/heritage-sites.geojson", params={"bbox": "45.036,40.030,45.039,40.032"}
    )
    assert tight.json()["features"] == []
    cell = api(Role.VIEWER).get(
        f"{API}/heritage-sites.geojson", params={"bbox": "45.04,40.04,45.06,40.06"}
    )
    assert [f["id"] for f in cell.json()["features"]] == [secret["id"]]
    exact = api(Role.ANALYST).get(f"{API}/heritage-sites.geojson").json()
    shown = {f["id"]: f for f in exact["features"]}[secret["id"]]
    assert shown["geometry"]["coordinates"] == [45.0377, 40.0312]
    assert shown["properties"]["precision"] == "exact"


def test_settlement_layer_has_readiness(api, wayhome, admin, make) -> None:
    country = make.place("DM", PlaceType.COUNTRY, lat=LAT, lon=LON)
    blocked = make.place("S-BLOCK", PlaceType.SETTLEMENT, country.id, "Blocked", LAT, LON)
    free = make.place("S-FREE", PlaceType.SETTLEMENT, country.id, "Free", LAT, LON + 1)
    add_hazard(wayhome, admin, "HA-OVER", LON, LAT)
    body = api(Role.VIEWER).get(f"{API}/settlements.geojson", params={"zoom": 8}).json()
    by_id = {f["id"]: f for f in body["features"]}
    assert set(by_id) == {blocked.id, free.id}  # the country is no settlement
    assert by_id[blocked.id]["properties"]["class"] == "blocked"
    assert by_id[blocked.id]["properties"]["ready"] is False
    assert by_id[blocked.id]["properties"]["blocking"] == 1
    assert by_id[blocked.id]["properties"]["name"] == "Blocked"
    assert set(by_id[free.id]["properties"]) == {"name", "score", "class", "ready", "blocking"}
    assert by_id[free.id]["properties"]["blocking"] == 0
    west = api(Role.VIEWER).get(
        f"{API}/settlements.geojson", params={"bbox": "44.5,39.5,45.5,40.5"}
    )
    assert [f["id"] for f in west.json()["features"]] == [blocked.id]


def test_antimeridian_bbox(api, wayhome, admin) -> None:
    east = add_hazard(wayhome, admin, "HA-E", 179.5, -17.0)
    west = add_hazard(wayhome, admin, "HA-W", -179.5, -17.0)
    add_hazard(wayhome, admin, "HA-X", 0.0, -17.0)
    body = api(Role.VIEWER).get(f"{API}/hazard-areas.geojson", params={"bbox": "179,-18,-179,-16"})
    assert {f["id"] for f in body.json()["features"]} == {east.id, west.id}


def test_session_or_token_and_nothing_else(app, anon, login) -> None:
    assert anon.get(f"{API}/hazard-areas.geojson").status_code == 401
    ui = login(Role.VIEWER)
    for layer in map_layers.LAYERS:
        assert ui.get(f"{API}/{layer}.geojson").status_code == 200, layer


def test_settlement_readiness_follows_new_hazards(api, wayhome, admin, make) -> None:
    """The readiness shown is cached between requests, but never survives a change to its data."""
    country = make.place("DM", PlaceType.COUNTRY, lat=LAT, lon=LON)
    town = make.place("S-1", PlaceType.SETTLEMENT, country.id, "Town", LAT, LON)
    client = api(Role.VIEWER)

    def town_class() -> str:
        body = client.get(f"{API}/settlements.geojson").json()
        return next(f for f in body["features"] if f["id"] == town.id)["properties"]["class"]

    before = town_class()
    assert before != "blocked" and town_class() == before  # the second answer from the cache
    add_hazard(wayhome, admin, "HA-NEW", LON, LAT)
    assert town_class() == "blocked"


def test_cached_features_follow_releases_and_assessments(api, wayhome, admin) -> None:
    hazard = add_hazard(wayhome, admin, "HA-1", LON, LAT)
    site = add_site(wayhome, admin, "Old church", LAT + 0.1, LON)
    client = api(Role.VIEWER)

    def props(layer: str) -> dict[str, Any]:
        body = client.get(f"{API}/{layer}.geojson", params={"zoom": 12}).json()
        return body["features"][0]["properties"]

    before = props("hazard-areas")["remaining_m2"]
    assert props("hazard-areas")["remaining_m2"] == before  # again, from the cache
    activity = contamination.record_activity(
        wayhome,
        admin,
        hazard.id,
        ActivityInput.model_validate(
            {"activity_type": "clearance", "organisation_name": "Team", "status": "completed"}
        ),
    )
    contamination.record_release(
        wayhome,
        admin,
        hazard.id,
        ReleaseInput.model_validate(
            {
                "release_kind": "cleared",
                "geometry": circle(LON, LAT, 0.005),
                "release_date": "2024-05-01",
                "activity_id": activity.id,
            }
        ),
    )
    assert props("hazard-areas")["remaining_m2"] < before
    assert props("heritage-sites")["condition"] == "unknown"
    assess(wayhome, admin, site["id"], "2024", "destroyed")
    assert props("heritage-sites")["condition"] == "destroyed"


def test_hazard_feature_text_is_what_the_generic_feature_writes() -> None:
    row = SimpleNamespace(
        id="01H-id",
        local_id='HA-"1',
        name='Поле "7" \\ حقل\n\t\u2028\x00',
        hazard_type="cha",
        status="open",
        remaining_area_m2=12.5,
    )
    properties = {"ref": row.local_id, "name": row.name, "hazard_type": "cha", "status": "open"}
    expected = map_layers._feature(row.id, "{}", {**properties, "remaining_m2": 12})
    assert map_layers._hazard_feature(row, "{}") == expected
    assert json.loads(expected)["properties"]["name"] == row.name
