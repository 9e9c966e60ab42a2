"""The heritage API: sites, assessments, timeline, history; protected locations in raw JSON."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from wayhome.core.vocab import Role
from wayhome.store.tables import RecordVersion
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite

API = "/api/v1"
SITES = f"{API}/heritage-sites"
LAT, LON = 39.7612345, 46.7498765
POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [
            [46.7491111, 39.7611111],
            [46.7503333, 39.7611111],
            [46.7503333, 39.7622222],
            [46.7491111, 39.7622222],
            [46.7491111, 39.7611111],
        ]
    ],
}
# Every exact figure above, cut to 4 decimals (well below the 0.1° grid): none may appear.
EXACT_DIGITS = ("39.7612", "46.7498", "46.7491", "46.7503", "39.7611", "39.7622")
COARSE = {"lat": 39.75, "lon": 46.75}
EXACT_ROLES = {Role.ADMIN, Role.ANALYST}


def site_body(**extra: Any) -> dict[str, Any]:
    return {
        "type": "cemetery",
        "names": [{"name": "Ծիծեռնակաբերդ", "lang": "hy"}, {"name": "Tsitsernakaberd"}],
        "lat": LAT,
        "lon": LON,
        "polygon": POLYGON,
        "sensitive": True,
        "community": "village families",
        **extra,
    }


def locs(response) -> list[list[Any]]:
    assert response.status_code == 422, response.text
    return [e["loc"] for e in response.json()["detail"]]


def counts(wayhome) -> tuple[int, int, int]:
    with wayhome.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(t)) or 0
            for t in (HeritageSite, HeritageAssessment, RecordVersion)
        )


@pytest.fixture
def analyst(api):
    return api(Role.ANALYST)


@pytest.fixture
def site(analyst) -> dict[str, Any]:
    response = analyst.post(SITES, json=site_body())
    assert response.status_code == 201, response.text
    return response.json()


def test_create_get_and_update_a_site(analyst, site) -> None:
    assert site["reference"].startswith("HS-")
    assert (site["lat"], site["lon"], site["polygon"]) == (LAT, LON, POLYGON)
    assert [n["script"] for n in site["names"]] == ["Armn", "Latn"]
    got = analyst.get(f"{SITES}/{site['id']}").json()
    assert got == site
    body = site_body(type="monument", designation="national", version=1)
    updated = analyst.put(f"{SITES}/{site['id']}", json=body)
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2 and updated.json()["designation"] == "national"
    stale = analyst.put(f"{SITES}/{site['id']}", json=body)
    assert stale.status_code == 409
    history = analyst.get(f"{SITES}/{site['id']}/history").json()
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["changes"]["type"] == ["cemetery", "monument"]


def test_unknown_site_is_404(analyst) -> None:
    for path in ("", "/assessments", "/timeline", "/history"):
        response = analyst.get(f"{SITES}/nope{path}")
        assert response.status_code == 404
        assert response.json()["detail"] == "no such heritage site"


@pytest.mark.parametrize("role", list(Role))
def test_exact_location_never_reaches_a_role_without_the_right(api, site, role) -> None:
    client = api(role)
    responses = [
        client.get(SITES),
        client.get(f"{SITES}/{site['id']}"),
        client.get(f"{SITES}.geojson"),
        client.get(f"{SITES}/{site['id']}/history"),
        client.get(f"{SITES}?q=Tsitsernakaberd&type=cemetery&condition=unknown"),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
    text = "".join(r.text for r in responses)
    listed = responses[0].json()["items"][0]
    feature = responses[2].json()["features"][0]
    if role in EXACT_ROLES:
        assert all(digits in text for digits in EXACT_DIGITS)
        assert listed["location_precision"] == "exact" and listed["polygon"] == POLYGON
        assert feature["geometry"] == POLYGON
    else:
        leaked = [digits for digits in EXACT_DIGITS if digits in text]
        assert not leaked, f"exact coordinates in the response body for a {role}: {leaked}"
        assert '"polygon":null' in responses[1].text.replace(" ", "")
        for shown in (listed, responses[1].json()):
            assert {k: shown[k] for k in ("lat", "lon")} == COARSE
            assert shown["location_precision"] == "coarse" and shown["sensitive"] is True
        assert feature["geometry"] == {"type": "Point", "coordinates": [46.75, 39.75]}


def test_bounding_box_cannot_locate_a_protected_site(api, site) -> None:
    viewer = api(Role.VIEWER)
    tight = f"{LON - 0.0001},{LAT - 0.0001},{LON + 0.0001},{LAT + 0.0001}"
    assert viewer.get(f"{SITES}.geojson", params={"bbox": tight}).json()["features"] == []
    wide = viewer.get(f"{SITES}.geojson", params={"bbox": "46.7,39.7,46.8,39.8"}).json()
    assert [f["id"] for f in wide["features"]] == [site["id"]]
    bad = viewer.get(f"{SITES}.geojson", params={"bbox": "1,2,3"})
    assert locs(bad) == [["query", "bbox"]]


def test_assessments_timeline_and_condition(api, analyst, site) -> None:
    caseworker = api(Role.CASEWORKER)
    url = f"{SITES}/{site['id']}/assessments"
    first = caseworker.post(
        url,
        json={
            "observed_on": "2020-10",
            "method": "field_visit",
            "overall_condition": "fair",
            "disturbances": [{"cause": "military_activity", "certainty": "possible"}],
            "assessor": "community members",
        },
    )
    assert first.status_code == 201, first.text
    second = analyst.post(
        url,
        json={
            "observed_on": "2022-03-14",
            "assessed_on": "2022-04",
            "method": "satellite_imagery",
            "overall_condition": "very_bad",
            "damage_extent": "61-90",
            "disturbances": [{"cause": "deliberate_destruction", "certainty": "probable"}],
            "recommendation": "emergency_protection",
            "priority": "high",
        },
    )
    assert second.status_code == 201, second.text
    viewer = api(Role.VIEWER)
    listed = viewer.get(url).json()
    assert [a["overall_condition"] for a in listed] == ["fair", "very_bad"]
    timeline = viewer.get(f"{SITES}/{site['id']}/timeline").json()
    assert timeline["trend"] == "deteriorated"
    assert [e["change"] for e in timeline["entries"]] == ["unknown", "deteriorated"]
    assert viewer.get(f"{SITES}/{site['id']}").json()["condition"] == "very_bad"
    assert viewer.get(SITES, params={"condition": "very_bad"}).json()["total"] == 1
    assert viewer.get(SITES, params={"condition": "fair"}).json()["total"] == 0
    body = {"observed_on": "2023", "method": "report", "overall_condition": "poor"}
    assert api(Role.REGISTRAR).post(url, json=body).status_code == 403
    assert api(Role.VIEWER).post(url, json=body).status_code == 403


def test_site_field_errors_have_paths(analyst, wayhome) -> None:
    response = analyst.post(
        SITES,
        json={
            "type": "castle",
            "names": [{"name": ""}],
            "lat": 91,
            "designation": "protected",
            "sensitive": "maybe",
            "colour": "red",
        },
    )
    assert sorted(locs(response)) == sorted(
        [
            ["body", "type"],
            ["body", "names", 0, "name"],
            ["body", "lat"],
            ["body", "designation"],
            ["body", "sensitive"],
            ["body", "colour"],
        ]
    )
    missing = analyst.post(SITES, json={"type": "cemetery", "names": []})
    assert locs(missing) == [["body", "names"]]
    point_half = analyst.post(SITES, json=site_body(lon=None, place_id="nope"))
    assert sorted(locs(point_half)) == [["body", "lon"], ["body", "place_id"]]
    assert counts(wayhome) == (0, 0, 0)


@pytest.mark.parametrize(
    ("polygon", "loc", "reason"),
    [
        (
            {
                "type": "Polygon",
                "coordinates": [[[46.74, 39.76], [46.75, 39.76], [46.75, 39.77], [46.74, 39.77]]],
            },
            ["body", "polygon", "coordinates", 0, 3],
            "closed",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[46.74, 39.76], [46.75, 39.76], [46.75, 99.0], [46.74, 39.76]]],
            },
            ["body", "polygon", "coordinates", 0, 2],
            "latitude",
        ),
        ({"type": "LineString", "coordinates": []}, ["body", "polygon", "type"], "LineString"),
    ],
    ids=["open-ring", "latitude-out-of-range", "line"],
)
def test_bad_polygon_is_422_with_reason_and_nothing_stored(
    analyst, wayhome, polygon, loc, reason
) -> None:
    response = analyst.post(SITES, json=site_body(polygon=polygon))
    assert locs(response) == [loc]
    message = response.json()["detail"][0]["msg"]
    assert message.startswith("the polygon was rejected: ") and reason in message
    assert counts(wayhome) == (0, 0, 0)


def test_bad_polygon_on_edit_leaves_the_site_as_it_was(analyst, wayhome, site) -> None:
    broken = {"type": "Polygon", "coordinates": [[[46.74, 39.76], [46.75, 39.76]]]}
    response = analyst.put(f"{SITES}/{site['id']}", json=site_body(polygon=broken))
    assert locs(response)[0][:2] == ["body", "polygon"]
    assert analyst.get(f"{SITES}/{site['id']}").json() == site
    assert counts(wayhome) == (1, 0, 1)


def test_assessment_field_errors_have_paths(analyst, wayhome, site) -> None:
    url = f"{SITES}/{site['id']}/assessments"
    response = analyst.post(
        url,
        json={
            "observed_on": "2099-01",
            "method": "rumour",
            "overall_condition": "ruined",
            "damage_extent": "50",
            "disturbances": [{"cause": "aliens", "certainty": "sure"}],
            "priority": "urgent",
        },
    )
    assert sorted(locs(response), key=str) == sorted(
        [
            ["body", "observed_on"],
            ["body", "method"],
            ["body", "overall_condition"],
            ["body", "damage_extent"],
            ["body", "disturbances", 0, "cause"],
            ["body", "disturbances", 0, "certainty"],
            ["body", "priority"],
        ],
        key=str,
    )
    assert "2099-01 is in the future" in response.text
    before = analyst.post(
        url,
        json={
            "observed_on": "2021-05-10",
            "assessed_on": "2021-05-01",
            "method": "report",
            "overall_condition": "poor",
        },
    )
    assert locs(before) == [["body", "assessed_on"]]
    assert "observed 2021-05-10" in before.json()["detail"][0]["msg"]
    twice = analyst.post(
        url,
        json={
            "observed_on": "2021",
            "method": "report",
            "overall_condition": "poor",
            "disturbances": [{"cause": "looting"}, {"cause": "looting"}],
        },
    )
    assert locs(twice) == [["body", "disturbances", 1, "cause"]]
    assert counts(wayhome) == (1, 0, 1)


@pytest.mark.parametrize(("name", "value"), [("type", "castle"), ("condition", "ruined")])
def test_unknown_filter_is_422(api, name, value) -> None:
    response = api(Role.VIEWER).get(SITES, params={name: value})
    assert locs(response) == [["query", name]]


def test_search_across_scripts_over_the_api(api, analyst) -> None:
    for body in (
        site_body(sensitive=False, polygon=None),
        {"type": "mosque", "names": [{"name": "Cümə məscidi"}, {"name": "Джума мечеть"}]},
        {"type": "church", "names": [{"name": "Սուրբ Ամենափրկիչ"}]},
    ):
        assert analyst.post(SITES, json=body).status_code == 201
    viewer = api(Role.VIEWER)

    def names(**params: Any) -> list[str]:
        return [s["display_name"] for s in viewer.get(SITES, params=params).json()["items"]]

    assert names(q="мечеть") == ["Cümə məscidi"]
    assert names(q="cume") == ["Cümə məscidi"]
    assert names(q="Ամենափրկիչ") == ["Սուրբ Ամենափրկիչ"]
    assert names(q="tsitsernakaberd") == ["Ծիծեռնակաբերդ"]
    assert names(type="place_of_worship") == ["Cümə məscidi", "Սուրբ Ամենափրկիչ"]
    assert names(community="VILLAGE") == ["Ծիծեռնակաբերդ"]
