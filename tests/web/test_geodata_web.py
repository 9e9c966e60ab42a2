"""Geodata over HTTP: API downloads and uploads, and the UI page with its validation report."""

from __future__ import annotations

import json

import pyogrio
from sqlalchemy import func, select

from wayhome.core.vocab import Role
from wayhome.services import heritage
from wayhome.services.heritage_inputs import HeritageSiteInput
from wayhome.services.inputs import parse_input
from wayhome.store.tables_contamination import HazardArea

P = "/api/v1"
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[36.0, 50.0], [36.01, 50.01], [36.01, 50.0], [36.0, 50.01], [36.0, 50.0]]],
}


def square(lat: float) -> dict:
    ring = [[36.0, lat], [36.002, lat], [36.002, lat + 0.002], [36.0, lat + 0.002], [36.0, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def upload(*geometries: dict) -> dict:
    features = [
        {
            "type": "Feature",
            "geometry": g,
            "properties": {"hazard_localid": f"HA-{i}", "hazard_name": "F", "hazard_type": "sha"},
        }
        for i, g in enumerate(geometries, start=1)
    ]
    content = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return {"file": ("hazards.geojson", content, "application/geo+json")}


def count(wayhome) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(HazardArea)) or 0


def test_api_upload_reports_each_bad_feature_and_writes_nothing(api, wayhome):
    client = api(Role.ANALYST)
    response = client.post(
        f"{P}/geodata/import", files=upload(square(50), BOWTIE), data={"entity": "hazard_areas"}
    )
    assert response.status_code == 200
    report = response.json()
    assert report["written"] is False and report["created"] == 0
    [error] = report["errors"]
    assert error["where"] == "hazards.geojson, layer hazard, feature 2"
    assert error["field"] == "geometry" and "intersects itself" in error["message"]
    assert count(wayhome) == 0


def test_api_upload_of_a_broken_file_is_a_422_at_file(api, wayhome):
    client = api(Role.ADMIN)
    files = {"file": ("hazards.gpkg", b"not sqlite", "application/octet-stream")}
    response = client.post(f"{P}/geodata/import", files=files, data={"entity": "hazard_areas"})
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "file"]
    assert "hazards.gpkg: not a readable GeoPackage" in detail["msg"]


def test_api_export_is_a_download_with_mdr_layers(api, wayhome, tmp_path):
    client = api(Role.ADMIN)
    client.post(f"{P}/geodata/import", files=upload(square(50)), data={"entity": "hazard_areas"})
    response = client.get(
        f"{P}/geodata/export", params={"format": "gpkg", "entity": "hazard_areas"}
    )
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="hazard_areas.gpkg"'
    path = tmp_path / "x.gpkg"
    path.write_bytes(response.content)
    assert "hazard_localid" in pyogrio.read_info(path, layer="hazard")["fields"]


def test_api_export_of_accidents_is_refused_to_viewers(api):
    response = api(Role.VIEWER).get(f"{P}/geodata/export", params={"entity": "accidents"})
    assert response.status_code == 403


def test_api_export_coarsens_sensitive_sites(api, wayhome, make):
    heritage.create_site(
        wayhome,
        make.actor(Role.ADMIN),
        parse_input(
            HeritageSiteInput,
            {
                "reference": "HS-1",
                "type": "shrine",
                "names": [{"name": "Shrine"}],
                "lat": 40.123456,
                "lon": 45.654321,
                "sensitive": True,
            },
        ),
    )
    response = api(Role.REGISTRAR).get(
        f"{P}/geodata/export", params={"format": "geojson", "entity": "heritage_sites"}
    )
    [site] = response.json()["features"]
    assert site["geometry"]["coordinates"] == [45.65, 40.15]
    assert "45.654321" not in response.text


def test_ui_page_lists_downloads_by_role(login):
    viewer = login(Role.VIEWER)
    page = viewer.get("/geodata")
    assert page.status_code == 200
    assert "/geodata/export?entity=hazard_areas&amp;format=shp" in page.text
    assert "entity=accidents" not in page.text  # viewers may not see accidents
    assert 'action="/geodata/import"' not in page.text  # nor import


def test_ui_upload_shows_the_report(login, wayhome):
    client = login(Role.ANALYST)
    csrf = client.refresh_csrf()
    response = client.post(
        "/geodata/import",
        files=upload(square(50), BOWTIE),
        data={"entity": "hazard_areas", "csrf_token": csrf},
    )
    assert response.status_code == 422
    assert "Nothing was written." in response.text
    assert "hazards.geojson, layer hazard, feature 2" in response.text
    assert "intersects itself" in response.text
    assert count(wayhome) == 0
    ok = client.post(
        "/geodata/import",
        files=upload(square(50)),
        data={"entity": "hazard_areas", "csrf_token": csrf},
    )
    assert ok.status_code == 200 and "Written." in ok.text
    assert count(wayhome) == 1


def test_ui_download(login):
    response = login(Role.VIEWER).get("/geodata/export?entity=hazard_areas&format=csv")
    assert response.status_code == 200
    assert response.text.startswith("hazard_localid,")
