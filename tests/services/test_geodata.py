"""Geodata import and export: every format, MDR names, bad geometry and files, coarsening, re-import."""

from __future__ import annotations

import csv
import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
from sqlalchemy import func, select

from tests.services.test_contamination import rect
from wayhome.core.errors import PermissionDenied
from wayhome.core.mdr import LAYERS, Entity
from wayhome.core.vocab import Role
from wayhome.services import contamination, geodata, heritage, persons
from wayhome.services.contamination_inputs import (
    AccidentInput,
    ActivityInput,
    DeviceInput,
    HazardAreaInput,
    ReleaseInput,
    VictimInput,
)
from wayhome.services.heritage_inputs import HeritageSiteInput
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables import RecordVersion
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent
from wayhome.store.tables_heritage import HeritageSite

FORMATS = ("geojson", "gpkg", "shp", "csv")
SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "shp": ".zip", "csv": ".csv"}
SITE_POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [
            [45.6541234, 40.1231234],
            [45.6547234, 40.1231234],
            [45.6547234, 40.1237234],
            [45.6541234, 40.1237234],
            [45.6541234, 40.1231234],
        ]
    ],
}


@pytest.fixture
def admin(make):
    return make.actor(Role.ADMIN)


@pytest.fixture
def world(wayhome, make, admin) -> dict[str, Any]:
    """Two hazard areas (one partly cleared, with a device), an accident and two heritage sites."""
    place = make.place("DM")
    ha1 = contamination.create_hazard_area(
        wayhome,
        admin,
        parse_input(
            HazardAreaInput,
            {
                "local_id": "HA-1",
                "name": "Сад к северу от школы",
                "hazard_type": "cha",
                "geometry": rect(0, 0, 400, 300),
                "place_id": place.id,
                "benchmark_lon": 36.2501,
                "benchmark_lat": 49.9501,
                "evidence": [{"evidence_type": "accident", "device_category": "ap_mine"}],
                "expected_beneficiaries": 120,
                "notes": "Reported by the village council",
            },
        ),
    )
    contamination.create_hazard_area(
        wayhome,
        admin,
        parse_input(
            HazardAreaInput,
            {
                "local_id": "HA-2",
                "name": "حقل",
                "hazard_type": "sha",
                "geometry": rect(1000, 0, 1300, 300),
            },
        ),
    )
    activity = contamination.record_activity(
        wayhome,
        admin,
        ha1.id,
        parse_input(ActivityInput, {"activity_type": "clearance", "organisation_name": "HALO"}),
    )
    contamination.record_release(
        wayhome,
        admin,
        ha1.id,
        parse_input(
            ReleaseInput,
            {
                "release_kind": "cleared",
                "geometry": rect(0, 0, 100, 300),
                "release_date": "2024-03-01",
                "activity_id": activity.id,
            },
        ),
    )
    contamination.record_device(
        wayhome,
        admin,
        ha1.id,
        parse_input(DeviceInput, {"device_category": "ap_mine", "lon": 36.2502, "lat": 49.9502}),
    )
    person = persons.register_person(
        wayhome, admin, parse_input(PersonInput, {"names": [{"family_name": "Petrenko"}]})
    )
    accident = contamination.record_accident(
        wayhome,
        admin,
        parse_input(
            AccidentInput,
            {"accident_date": "2023-04", "lon": 36.26, "lat": 49.96, "injured": 1, "killed": 1},
        ),
    )
    contamination.add_victim(
        wayhome,
        admin,
        accident.id,
        parse_input(VictimInput, {"person_id": person.id, "outcome": "killed", "notes": "Father"}),
    )
    sensitive = heritage.create_site(
        wayhome,
        admin,
        parse_input(
            HeritageSiteInput,
            {
                "reference": "HS-1",
                "type": "cemetery",
                "names": [{"name": "Old cemetery", "lang": "en"}, {"name": "Старое кладбище"}],
                "polygon": SITE_POLYGON,
                "sensitive": True,
            },
        ),
    )
    heritage.create_site(
        wayhome,
        admin,
        parse_input(
            HeritageSiteInput,
            {
                "reference": "HS-2",
                "type": "mosque",
                "names": [{"name": "مسجد"}],
                "lat": 40.5,
                "lon": 45.5,
            },
        ),
    )
    return {"place": place, "ha1": ha1, "person": person, "sensitive": sensitive["id"]}


def export_to(wayhome, actor, tmp_path: Path, entity: Entity, fmt: str) -> Path:
    exported = geodata.export_geodata(wayhome, actor, [entity], fmt)
    path = tmp_path / f"{entity.value}{SUFFIX[fmt]}"
    path.write_bytes(exported.content)
    return path


def count(wayhome, model) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def versions(wayhome) -> int:
    return count(wayhome, RecordVersion)


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def hazard_feature(local_id: str, geometry: dict, **props: Any) -> dict:
    properties = {"hazard_localid": local_id, "hazard_name": "Field", "hazard_type": "sha"}
    return {"type": "Feature", "geometry": geometry, "properties": {**properties, **props}}


# --- round trips and names -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("entity", geodata.IMPORTABLE, ids=str)
def test_export_then_reimport_changes_nothing(wayhome, world, admin, tmp_path, fmt, entity):
    path = export_to(wayhome, admin, tmp_path, entity, fmt)
    before = versions(wayhome)
    report = geodata.import_geodata(wayhome, admin, entity, path)
    assert report.errors == []
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == {Entity.HAZARD_AREAS: 2, Entity.LAND_RELEASES: 1}.get(entity, 2)
    assert versions(wayhome) == before  # nothing rewritten: the file said what is stored


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_into_an_empty_installation(wayhome, world, admin, tmp_path, fmt):
    """Export hazards and releases, remove them, import them back: the same areas and ledger."""
    hazards = export_to(wayhome, admin, tmp_path, Entity.HAZARD_AREAS, fmt)
    releases = export_to(wayhome, admin, tmp_path, Entity.LAND_RELEASES, fmt)
    with wayhome.read() as session:
        stored = {
            h.local_id: (h.geometry, h.remaining_area_m2)
            for h in session.scalars(select(HazardArea))
        }
    with wayhome.transaction() as session:
        # a second installation would start empty; clear the contamination tables instead
        from wayhome.store.tables_contamination import (
            DeviceFound,
            HazardAreaOutline,
            MineAccident,
            MineActionActivity,
            MineVictim,
        )

        for model in (MineVictim, MineAccident, DeviceFound, LandReleaseEvent):
            session.query(model).delete()
        session.query(MineActionActivity).delete()
        session.query(HazardAreaOutline).delete()
        session.query(HazardArea).delete()
    first = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, hazards)
    assert (first.created, first.errors) == (2, [])
    second = geodata.import_geodata(wayhome, admin, Entity.LAND_RELEASES, releases)
    # the release named an activity that no longer exists: refused, nothing written
    assert second.created == 0 and "activity" in str(second.errors[0])
    assert count(wayhome, LandReleaseEvent) == 0
    with wayhome.read() as session:
        again = {h.local_id: h.geometry for h in session.scalars(select(HazardArea))}
        ha1 = session.scalar(select(HazardArea).where(HazardArea.local_id == "HA-1"))
        assert ha1.name == "Сад к северу от школы"
        assert ha1.evidence[0]["evidence_type"] == "accident"
        assert ha1.expected_beneficiaries == 120
        assert ha1.benchmark_lon == 36.2501
    assert again == {k: v[0] for k, v in stored.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_multipolygons_and_polygons_share_a_layer(wayhome, world, admin, tmp_path, fmt):
    a, b = rect(0, 0, 50, 50, lat=60), rect(200, 0, 250, 50, lat=60)
    two = {"type": "MultiPolygon", "coordinates": [a["coordinates"], b["coordinates"]]}
    one = {"type": "MultiPolygon", "coordinates": [rect(0, 0, 50, 50, lat=61)["coordinates"]]}
    for local_id, geometry in (("HA-M2", two), ("HA-M1", one)):
        contamination.create_hazard_area(
            wayhome,
            admin,
            parse_input(
                HazardAreaInput,
                {"local_id": local_id, "name": "M", "hazard_type": "sha", "geometry": geometry},
            ),
        )
    path = export_to(wayhome, admin, tmp_path, Entity.HAZARD_AREAS, fmt)
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    assert (report.errors, report.unchanged, report.updated) == ([], 4, 0)


def test_gpkg_has_one_layer_per_entity_with_mdr_names(wayhome, world, admin, tmp_path):
    exported = geodata.export_geodata(wayhome, admin, [], "gpkg")
    path = tmp_path / exported.filename
    path.write_bytes(exported.content)
    layers = {str(name) for name, _type in pyogrio.list_layers(path)}
    assert layers == {"hazard", "hazreduc", "ordnance", "accident", "victim", "heritage_site"}
    fields = set(pyogrio.read_info(path, layer="hazard")["fields"])
    assert {"hazard_localid", "hazard_type", "hazard_status", "area_cleared_m2"} <= fields
    meta, _fids, _geometry, arrays = pyogrio.raw.read(path, layer="hazard")
    row = dict(zip(meta["fields"], (a[0] for a in arrays), strict=True))
    assert row["hazard_localid"] == "HA-1"
    assert row["location_localid"] == "DM"
    assert row["area_remaining_m2"] == pytest.approx(
        row["hazard_area_m2"] - row["area_cleared_m2"], abs=1
    )
    assert row["area_cleared_m2"] > 25_000  # the ledger numbers come along
    assert set(pyogrio.read_info(path, layer="hazreduc")["fields"]) >= {
        "hazreduc_type",
        "hazard_localid",
    }
    assert set(pyogrio.read_info(path, layer="ordnance")["fields"]) >= {"ordnance_category"}
    assert set(pyogrio.read_info(path, layer="accident")["fields"]) >= {
        "num_killed",
        "accident_date",
    }


def test_shapefiles_are_zipped_one_per_layer_with_short_names(wayhome, world, admin, tmp_path):
    exported = geodata.export_geodata(
        wayhome, admin, [Entity.HAZARD_AREAS, Entity.HERITAGE_SITES], "shp"
    )
    names = set(zipfile.ZipFile(io.BytesIO(exported.content)).namelist())
    assert {"hazard.shp", "hazard.dbf", "hazard.prj", "hazard.cpg"} <= names
    # heritage has points and polygons: one Shapefile of each
    assert {"heritage_site_point.shp", "heritage_site_polygon.shp"} <= names
    path = tmp_path / "x.zip"
    path.write_bytes(exported.content)
    fields = pyogrio.read_info(f"/vsizip/{path}", layer="hazard")["fields"]
    assert all(len(f) <= 10 for f in fields)
    assert {"haz_locid", "haz_type", "clear_m2", "evid_types"} <= set(fields)


def test_csv_has_mdr_header_and_wkt(wayhome, world, admin):
    exported = geodata.export_geodata(wayhome, admin, [Entity.HAZARD_AREAS], "csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert rows[0]["hazard_localid"] == "HA-1"
    assert rows[0]["wkt"].startswith("POLYGON ((")
    assert json.loads(rows[0]["evidence"])[0]["device_category"] == "ap_mine"


def test_geojson_and_csv_of_several_layers_come_zipped(wayhome, world, admin):
    exported = geodata.export_geodata(
        wayhome, admin, [Entity.HAZARD_AREAS, Entity.DEVICES], "geojson"
    )
    assert exported.filename.endswith(".geojson.zip")
    assert set(zipfile.ZipFile(io.BytesIO(exported.content)).namelist()) == {
        "hazard.geojson",
        "ordnance.geojson",
    }


# --- updates and idempotence -----------------------------------------------------------------


def test_a_changed_feature_becomes_an_update_in_history(wayhome, world, admin, tmp_path):
    path = export_to(wayhome, admin, tmp_path, Entity.HAZARD_AREAS, "geojson")
    document = json.loads(path.read_text())
    document["features"][1]["properties"]["hazard_name"] = "Field by the river"
    path.write_text(json.dumps(document))
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    with wayhome.read() as session:
        ha2 = session.scalar(select(HazardArea).where(HazardArea.local_id == "HA-2"))
        assert ha2.version == 2
    history = contamination.hazard_history(wayhome, admin, ha2.id)
    assert history[0].changes["name"] == ["حقل", "Field by the river"]
    again = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_same_new_release_twice_is_recorded_once(wayhome, world, admin, tmp_path):
    path = tmp_path / "releases.csv"
    polygon = rect(300, 0, 400, 300)
    from shapely.geometry import shape

    path.write_text(
        "hazard_localid,hazreduc_type,hazreduc_date,wkt\n"
        f'HA-1,cancelled,2024-05-02,"{shape(polygon).wkt}"\n'
    )
    first = geodata.import_geodata(wayhome, admin, Entity.LAND_RELEASES, path)
    second = geodata.import_geodata(wayhome, admin, Entity.LAND_RELEASES, path)
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert count(wayhome, LandReleaseEvent) == 2


# --- bad geometry: a clear reason, nothing stored --------------------------------------------

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[36.0, 50.0], [36.01, 50.01], [36.01, 50.0], [36.0, 50.01], [36.0, 50.0]]],
}


def test_self_intersection_is_refused_with_feature_and_field(wayhome, world, admin, tmp_path):
    path = write_geojson(
        tmp_path / "h.geojson",
        [hazard_feature("HA-9", rect(0, 0, 50, 50, lat=51)), hazard_feature("HA-10", BOWTIE)],
    )
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    assert not report.written and report.created == 0
    [error] = report.errors
    assert error.number == 2 and error.field == "geometry"
    assert str(error).startswith("h.geojson, layer hazard, feature 2: field 'geometry':")
    assert "intersects itself" in error.message
    assert count(wayhome, HazardArea) == 2  # HA-9 was good but nothing is written


def test_ring_of_two_vertices_in_a_geopackage_is_refused(wayhome, world, admin, tmp_path):
    # GEOS cannot even build such a ring, so write its WKB by hand
    ring = [(36.0, 50.0), (36.01, 50.0), (36.0, 50.0)]
    wkb = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring))
    wkb += b"".join(struct.pack("<dd", *p) for p in ring)
    path = tmp_path / "thin.gpkg"
    pyogrio.raw.write(
        str(path),
        np.array([wkb], dtype=object),
        [
            np.array(["HA-7"], dtype=object),
            np.array(["Thin"], dtype=object),
            np.array(["sha"], dtype=object),
        ],
        ["hazard_localid", "hazard_name", "hazard_type"],
        layer="hazard",
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4326",
    )
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    [error] = report.errors
    assert "thin.gpkg, layer hazard, feature 1" in str(error)
    assert error.field == "geometry" and "2 distinct vertices; at least 3" in error.message
    assert count(wayhome, HazardArea) == 2


def test_duplicate_polygon_is_refused(wayhome, world, admin, tmp_path):
    same = json.loads(
        contamination.geometry_text(contamination.load_geometry(world["ha1"].geometry))
    )
    path = write_geojson(tmp_path / "d.geojson", [hazard_feature("HA-11", same)])
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    [error] = report.errors
    assert error.field == "geometry" and "already recorded as HA-1" in error.message
    assert count(wayhome, HazardArea) == 2


def test_duplicate_polygons_within_one_file_are_refused(wayhome, world, admin, tmp_path):
    square = rect(0, 0, 80, 80, lat=52)
    path = write_geojson(
        tmp_path / "d.geojson", [hazard_feature("HA-12", square), hazard_feature("HA-13", square)]
    )
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    [error] = report.errors
    assert error.number == 2 and "already recorded as HA-12" in error.message
    assert count(wayhome, HazardArea) == 2


def test_implausible_vertex_gap_is_refused(wayhome, world, admin, tmp_path):
    spike = rect(0, 0, 200, 200, lat=53)
    spike["coordinates"][0].insert(2, [37.5, 53.0])  # one vertex ~80 km away
    path = write_geojson(tmp_path / "s.geojson", [hazard_feature("HA-14", spike)])
    [error] = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path).errors
    assert error.field == "geometry" and "vertex 2" in error.message


# --- bad files -------------------------------------------------------------------------------


def test_not_a_geopackage(wayhome, world, admin, tmp_path):
    path = tmp_path / "hazards.gpkg"
    path.write_text("hazard_localid,wkt\nHA-1,POINT (1 2)\n")
    with pytest.raises(geodata.GeodataFileError, match="hazards.gpkg: not a readable GeoPackage"):
        geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)


def test_geopackage_without_the_layer(wayhome, world, admin, tmp_path):
    path = export_to(wayhome, admin, tmp_path, Entity.DEVICES, "gpkg")
    with pytest.raises(
        geodata.GeodataFileError, match="no layer 'hazard' \\(the file has: ordnance\\)"
    ):
        geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)


def test_csv_with_broken_wkt_names_the_line(wayhome, world, admin, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "hazard_localid,hazard_name,hazard_type,wkt\n"
        f'HA-20,Good,sha,"{_wkt(rect(0, 0, 50, 50, lat=54))}"\n'
        'HA-21,Broken,sha,"POLYGON ((36 50, 36.1 50, 36.1"\n'
    )
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    [error] = report.errors
    assert str(error).startswith("h.csv:3: field 'wkt': is not valid WKT")
    assert count(wayhome, HazardArea) == 2


def test_csv_without_a_wkt_column(wayhome, world, admin, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("hazard_localid,hazard_name\nHA-1,x\n")
    with pytest.raises(geodata.GeodataFileError, match="h.csv:1: no geometry column"):
        geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)


def test_missing_required_field_and_unknown_vocabulary(wayhome, world, admin, tmp_path):
    missing = hazard_feature("HA-30", rect(0, 0, 50, 50, lat=55))
    del missing["properties"]["hazard_type"]
    unknown = hazard_feature("HA-31", rect(0, 0, 50, 50, lat=56), hazard_type="minefield")
    path = write_geojson(tmp_path / "h.geojson", [missing, unknown])
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path)
    by_feature = {e.number: e for e in report.errors}
    assert by_feature[1].field == "hazard_type" and "required" in by_feature[1].message
    assert by_feature[2].field == "hazard_type" and "sha" in by_feature[2].message
    assert count(wayhome, HazardArea) == 2


def test_field_names_as_in_the_file_short_or_wayhome(wayhome, world, admin, tmp_path):
    feature = {
        "type": "Feature",
        "geometry": rect(0, 0, 50, 50, lat=57),
        "properties": {"HAZ_LOCID": "ha-40", "name": "Field", "haz_type": "bogus"},
    }
    path = write_geojson(tmp_path / "h.geojson", [feature])
    [error] = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path).errors
    assert error.field == "haz_type"  # the column as the file calls it


def test_skip_bad_rows_writes_the_good_ones(wayhome, world, admin, tmp_path):
    path = write_geojson(
        tmp_path / "h.geojson",
        [hazard_feature("HA-50", rect(0, 0, 50, 50, lat=58)), hazard_feature("HA-51", BOWTIE)],
    )
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path, mode="skip-bad-rows")
    assert report.written and report.created == 1 and len(report.skipped) == 1
    assert count(wayhome, HazardArea) == 3


def test_release_of_an_unknown_hazard(wayhome, world, admin, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        f'hazard_localid,hazreduc_type,hazreduc_date,wkt\nHA-99,cleared,2024-01-01,"{_wkt(rect(0, 0, 10, 10))}"\n'
    )
    [error] = geodata.import_geodata(wayhome, admin, Entity.LAND_RELEASES, path).errors
    assert error.field == "hazard_localid" and "no hazard area HA-99" in error.message


def test_dry_run_writes_nothing(wayhome, world, admin, tmp_path):
    path = write_geojson(
        tmp_path / "h.geojson", [hazard_feature("HA-60", rect(0, 0, 50, 50, lat=59))]
    )
    report = geodata.import_geodata(wayhome, admin, Entity.HAZARD_AREAS, path, dry_run=True)
    assert report.created == 1 and not report.written
    assert count(wayhome, HazardArea) == 2


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_sensitive_sites_are_coarsened_for_roles_without_exact_location(
    wayhome, world, make, tmp_path, fmt
):
    viewer = make.actor(Role.VIEWER)
    path = export_to(wayhome, viewer, tmp_path, Entity.HERITAGE_SITES, fmt)
    raw = _read(path, Entity.HERITAGE_SITES)
    site = next(f for f in raw.features if f.values["reference"] == "HS-1")
    assert site.geometry["type"] == "Point"  # the polygon is withheld
    assert site.geometry["coordinates"] == [45.65, 40.15]  # the centre of its 0.1° cell
    assert site.values["location_precision"] == "coarse"
    assert "45.654" not in path.read_bytes().decode("utf-8", "replace")
    # an editor importing a coarsened export must not overwrite the exact location
    report = geodata.import_geodata(wayhome, make.actor(Role.ADMIN), Entity.HERITAGE_SITES, path)
    assert any("coarsened" in e.message for e in report.errors)
    with wayhome.read() as session:
        stored = session.get(HeritageSite, world["sensitive"])
        assert stored.polygon is not None and stored.lat != 40.15


def test_roles_with_exact_location_get_the_polygon(wayhome, world, make, tmp_path):
    path = export_to(wayhome, make.actor(Role.ANALYST), tmp_path, Entity.HERITAGE_SITES, "geojson")
    features = {
        f["properties"]["site_localid"]: f for f in json.loads(path.read_text())["features"]
    }
    assert features["HS-1"]["geometry"]["type"] == "Polygon"
    assert features["HS-1"]["properties"]["location_precision"] == "exact"


def test_victims_without_personal_data_unless_allowed(wayhome, world, make):
    analyst = geodata.export_geodata(wayhome, make.actor(Role.ANALYST), [Entity.VICTIMS], "geojson")
    [victim] = json.loads(analyst.content)["features"]
    assert "person_guid" not in victim["properties"] and "remarks" not in victim["properties"]
    assert victim["properties"]["victim_status"] == "killed"
    caseworker = geodata.export_geodata(
        wayhome, make.actor(Role.CASEWORKER), [Entity.VICTIMS], "geojson"
    )
    [victim] = json.loads(caseworker.content)["features"]
    assert victim["properties"]["person_guid"] == world["person"].id
    # a caseworker of another organisation does not see the victim linked to ORG1's person
    other = geodata.export_geodata(
        wayhome, make.actor(Role.CASEWORKER, "ORG2"), [Entity.VICTIMS], "geojson"
    )
    assert json.loads(other.content)["features"] == []


def test_viewers_may_not_export_accidents_nor_import(wayhome, world, make, tmp_path):
    viewer = make.actor(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        geodata.export_geodata(wayhome, viewer, [Entity.ACCIDENTS], "csv")
    assert Entity.ACCIDENTS not in geodata.exportable(viewer)
    path = write_geojson(tmp_path / "h.geojson", [])
    with pytest.raises(PermissionDenied):
        geodata.import_geodata(wayhome, viewer, Entity.HAZARD_AREAS, path)


def test_exports_are_audited(wayhome, world, admin):
    from wayhome.store.tables import AuditEvent

    geodata.export_geodata(wayhome, admin, [Entity.HAZARD_AREAS, Entity.HERITAGE_SITES], "gpkg")
    with wayhome.read() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.detail["layers"] == {"hazard": 2, "heritage_site": 2}
    assert event.detail["exact_sensitive_sites"] == 1  # an admin saw HS-1 exactly


# --- helpers ---------------------------------------------------------------------------------


def _wkt(geometry: dict) -> str:
    from shapely.geometry import shape

    return shape(geometry).wkt


def _read(path: Path, entity: Entity):
    from wayhome.services.geodata_read import read_layer

    return read_layer(path, LAYERS[entity])
