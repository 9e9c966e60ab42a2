"""Contamination: hazard areas, the land-release ledger through the service, devices, accidents."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import shape
from sqlalchemy import func, select

from tests.geo.shapes import offset
from wayhome.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wayhome.core.vocab import Role
from wayhome.geo import geodesic_area, validate_polygon
from wayhome.services import contamination, persons
from wayhome.services.contamination_inputs import (
    AccidentInput,
    ActivityInput,
    CloseHazardInput,
    DeviceInput,
    HazardAreaInput,
    ReleaseInput,
    VictimInput,
)
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables import AuditEvent, RecordVersion
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent, MineVictim

LON, LAT = 36.25, 49.95


def rect(x0: float, y0: float, x1: float, y1: float, lon: float = LON, lat: float = LAT) -> dict:
    """A GeoJSON rectangle given in metres east and north of (lon, lat)."""
    corners = [offset(lon, lat, x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    ring = [list(c) for c in corners]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def hazard_data(local_id: str = "HA-1", geometry: dict | None = None, **extra) -> HazardAreaInput:
    return parse_input(
        HazardAreaInput,
        {
            "local_id": local_id,
            "name": "Orchard north of the school",
            "hazard_type": "sha",
            "geometry": geometry or rect(0, 0, 400, 300),
            **extra,
        },
    )


def release_data(kind: str, geometry: dict, day: str = "2024-03-01", **extra) -> ReleaseInput:
    return parse_input(
        ReleaseInput, {"release_kind": kind, "geometry": geometry, "release_date": day, **extra}
    )


def count(wayhome, table, *where) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


def area(geojson: dict) -> float:
    return geodesic_area(validate_polygon(geojson))


def only_error(excinfo: pytest.ExceptionInfo[ValidationFailed]):
    [error] = excinfo.value.errors
    return error


@pytest.fixture
def analyst(make):
    return make.actor(Role.ANALYST)


@pytest.fixture
def hazard(wayhome, analyst):
    return contamination.create_hazard_area(wayhome, analyst, hazard_data())


# --- hazard areas ----------------------------------------------------------------------------


def test_a_hazard_area_is_measured_boxed_and_versioned(wayhome, make, analyst):
    place = make.place("UA-KH-0412", lat=LAT, lon=LON)
    geometry = rect(0, 0, 400, 300)
    data = hazard_data(
        "ha-0042",
        geometry,
        place_id=place.id,
        benchmark_lon=LON,
        benchmark_lat=LAT,
        evidence=[{"evidence_type": "device_found", "device_category": "ap_mine"}],
        expected_beneficiaries=350,
        source="NTS form 17",
    )
    hazard = contamination.create_hazard_area(wayhome, analyst, data)
    assert hazard.local_id == "HA-0042"  # references are upper-cased, like P-codes
    assert hazard.status == "open" and hazard.hazard_type == "sha"
    assert hazard.original_area_m2 == pytest.approx(120_000, rel=2e-3)
    assert hazard.original_area_m2 == pytest.approx(area(geometry), abs=1e-3)
    assert hazard.remaining_area_m2 == pytest.approx(hazard.original_area_m2)
    west, south, east, north = validate_polygon(geometry).bounds
    assert (hazard.min_lon, hazard.min_lat, hazard.max_lon, hazard.max_lat) == pytest.approx(
        (west, south, east, north)
    )
    assert hazard.evidence == [
        {
            "evidence_type": "device_found",
            "device_category": "ap_mine",
            "device_type": None,
            "lon": None,
            "lat": None,
            "description": None,
        }
    ]
    assert hazard.organisation_id == analyst.organisation_id
    assert hazard.recorded_by_id == analyst.user_id
    assert hazard.origin_instance == wayhome.instance_id
    [first] = contamination.hazard_history(wayhome, analyst, hazard.id)
    assert first.action == "create" and first.version == 1
    assert first.snapshot["geometry"]["type"] == "Polygon"
    assert first.snapshot["place_id"] == place.id

    edited = contamination.update_hazard_area(
        wayhome, analyst, hazard.id, hazard_data("HA-0042", geometry, hazard_type="cha", version=1)
    )
    assert edited.version == 2 and edited.hazard_type == "cha"
    latest, _ = contamination.hazard_history(wayhome, analyst, hazard.id)
    assert latest.changes["hazard_type"] == ["sha", "cha"]
    with pytest.raises(Conflict):
        contamination.update_hazard_area(
            wayhome, analyst, hazard.id, hazard_data("HA-0042", geometry, version=1)
        )


def test_every_organisation_sees_hazard_areas_but_only_some_roles_edit(wayhome, make, hazard):
    viewer = make.actor(Role.VIEWER, "ORG2")
    assert contamination.get_hazard_area(wayhome, viewer, hazard.id).id == hazard.id
    assert contamination.search_hazard_areas(wayhome, viewer).total == 1
    for role in (Role.REGISTRAR, Role.CASEWORKER, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            contamination.create_hazard_area(
                wayhome, make.actor(role), hazard_data("HA-9", rect(0, 1000, 100, 1100))
            )
        with pytest.raises(PermissionDenied):
            contamination.record_release(
                wayhome, make.actor(role), hazard.id, release_data("cleared", rect(0, 0, 10, 10))
            )
    admin = make.actor(Role.ADMIN, "ORG2")  # another organisation's admin may edit too
    contamination.record_release(
        wayhome, admin, hazard.id, release_data("cleared", rect(0, 0, 10, 10))
    )


BAD_GEOMETRIES = {
    "bowtie": (
        {
            "type": "Polygon",
            "coordinates": [
                [[36.0, 50.0], [36.01, 50.01], [36.01, 50.0], [36.0, 50.01], [36.0, 50.0]]
            ],
        },
        "intersects itself",
    ),
    "two vertices": (
        {"type": "Polygon", "coordinates": [[[36.0, 50.0], [36.01, 50.0], [36.0, 50.0]]]},
        "2 distinct vertices",
    ),
    "latitude out of range": (
        {
            "type": "Polygon",
            "coordinates": [[[36.0, 50.0], [36.01, 95.0], [36.02, 50.0], [36.0, 50.0]]],
        },
        "latitude 95",
    ),
    "open ring": (
        {"type": "Polygon", "coordinates": [[[36.0, 50.0], [36.01, 50.0], [36.01, 50.01]]]},
        "not closed",
    ),
    "a point": ({"type": "Point", "coordinates": [36.0, 50.0]}, "expected a Polygon"),
}


@pytest.mark.parametrize("name", BAD_GEOMETRIES)
def test_bad_hazard_geometries_are_refused_with_the_reason(wayhome, analyst, name):
    geometry, reason = BAD_GEOMETRIES[name]
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.create_hazard_area(wayhome, analyst, hazard_data("HA-1", geometry))
    error = only_error(excinfo)
    assert error.loc == ("geometry",)
    assert reason in error.text()
    assert count(wayhome, HazardArea) == 0
    assert count(wayhome, RecordVersion) == 0


@pytest.mark.parametrize("name", BAD_GEOMETRIES)
def test_bad_release_geometries_are_refused_and_nothing_stored(wayhome, analyst, hazard, name):
    geometry, reason = BAD_GEOMETRIES[name]
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.record_release(wayhome, analyst, hazard.id, release_data("cleared", geometry))
    assert only_error(excinfo).loc == ("geometry",)
    assert reason in only_error(excinfo).text()
    assert count(wayhome, LandReleaseEvent) == 0


def test_the_same_polygon_cannot_be_recorded_twice(wayhome, analyst, hazard):
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.create_hazard_area(wayhome, analyst, hazard_data("HA-2"))
    error = only_error(excinfo)
    assert error.loc == ("geometry",)
    assert "already recorded as HA-1" in error.text()
    # re-digitised to 6 decimals (11 cm): still the same area
    rounded = rect(0, 0, 400, 300)
    rounded["coordinates"] = [[[round(x, 6), round(y, 6)] for x, y in rounded["coordinates"][0]]]
    with pytest.raises(ValidationFailed, match="already recorded as HA-1"):
        contamination.create_hazard_area(wayhome, analyst, hazard_data("HA-2", rounded))
    # a neighbouring field, or the same one with a corner 5 m further, is another area
    contamination.create_hazard_area(wayhome, analyst, hazard_data("HA-2", rect(0, 0, 405, 300)))
    contamination.create_hazard_area(wayhome, analyst, hazard_data("HA-3", rect(400, 0, 800, 300)))
    assert count(wayhome, HazardArea) == 3
    # editing a hazard does not make it a duplicate of itself
    contamination.update_hazard_area(wayhome, analyst, hazard.id, hazard_data("HA-1", name="New"))


def test_a_reference_is_used_once_and_references_are_checked(wayhome, analyst, hazard):
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.create_hazard_area(
            wayhome,
            analyst,
            hazard_data("ha-1", rect(0, 1000, 100, 1100), place_id="nope", benchmark_lon=36.0),
        )
    locs = {e.loc: e.text() for e in excinfo.value.errors}
    assert locs == {
        ("local_id",): "the reference HA-1 is already used",
        ("place_id",): "no such place",
        ("benchmark_lat",): "give both latitude and longitude, or neither",
    }


# --- the land-release ledger -----------------------------------------------------------------


def test_land_release_from_survey_to_clearance_then_closing(wayhome, analyst, hazard):
    nts = contamination.record_activity(
        wayhome,
        analyst,
        hazard.id,
        parse_input(
            ActivityInput,
            {"activity_type": "nts", "organisation_name": "HALO", "start_date": "2023"},
        ),
    )
    cancelled = contamination.record_release(
        wayhome,
        analyst,
        hazard.id,
        release_data("cancelled", rect(0, 0, 100, 300), "2023-05-02", activity_id=nts.id),
    )
    # edges shared with the hazard's longer geodesic edges differ by millimetres: clipped
    assert cancelled.area_m2 == pytest.approx(area(rect(0, 0, 100, 300)), abs=1)
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("reduced", rect(100, 0, 250, 300), "2024-01-10")
    )
    result = contamination.ledger(wayhome, analyst, hazard.id)
    assert result.original_m2 == pytest.approx(hazard.original_area_m2)
    assert result.cancelled_m2 == pytest.approx(30_000, rel=3e-3)
    assert result.reduced_m2 == pytest.approx(45_000, rel=3e-3)
    assert result.remaining_m2 == pytest.approx(45_000, rel=3e-3)
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.close_hazard_area(wayhome, analyst, hazard.id)
    assert only_error(excinfo).loc == ("status",)
    assert "have not been released yet" in only_error(excinfo).text()
    with pytest.raises(ValidationFailed):  # nor by an edit
        contamination.update_hazard_area(wayhome, analyst, hazard.id, hazard_data(status="closed"))

    contamination.record_release(
        wayhome,
        analyst,
        hazard.id,
        release_data("cleared", rect(240, -0.5, 400.5, 300.5), "2024-06-01"),
    )
    result = contamination.ledger(wayhome, analyst, hazard.id)
    assert result.remaining_m2 < 1
    assert result.original_m2 == pytest.approx(
        result.remaining_m2 + result.cancelled_m2 + result.reduced_m2 + result.cleared_m2, abs=1
    )
    summary = contamination.ledger_summary(result)
    assert summary["fully_released"] and len(summary["entries"]) == 3
    [_, _, cleared] = summary["entries"]
    assert cleared["already_released_m2"] == pytest.approx(10 * 300, rel=0.01)  # 240–250 m
    assert cleared["outside_m2"] > 0  # the 50 cm overshoot along the edges is clipped off
    with pytest.raises(ValidationFailed):  # closing is not the way to reopen
        parse_input(CloseHazardInput, {"status": "open"})
    closed = contamination.close_hazard_area(
        wayhome, analyst, hazard.id, CloseHazardInput(status="handed_over", status_date="2024-07")
    )
    assert (closed.status, closed.status_date, closed.version) == ("handed_over", "2024-07", 2)
    with pytest.raises(Conflict, match="closed"):
        contamination.record_release(
            wayhome, analyst, hazard.id, release_data("cleared", rect(0, 0, 10, 10))
        )


def test_overlapping_releases_are_counted_once(wayhome, analyst, hazard):
    strip = rect(0, 0, 400, 100)
    first = contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", strip, "2024-01-01")
    )
    again = contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", strip, "2024-02-01")
    )
    overlapping = contamination.record_release(
        wayhome, analyst, hazard.id, release_data("reduced", rect(0, 50, 400, 150), "2024-03-01")
    )
    assert first.area_m2 == pytest.approx(area(strip), abs=0.01)
    assert again.area_m2 == pytest.approx(0, abs=1e-6)
    assert again.already_released_m2 == pytest.approx(area(strip), abs=0.01)
    assert overlapping.area_m2 == pytest.approx(area(strip) / 2, rel=1e-3)
    result = contamination.ledger(wayhome, analyst, hazard.id)
    assert result.cleared_m2 == pytest.approx(area(strip), abs=0.01)
    assert result.released_m2 == pytest.approx(area(rect(0, 0, 400, 150)), abs=0.5)


def test_a_release_outside_the_hazard_is_refused_and_nothing_stored(wayhome, analyst, hazard):
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", rect(0, 0, 100, 100))
    )
    before = contamination.get_hazard_area(wayhome, analyst, hazard.id)
    versions = count(wayhome, RecordVersion)
    for geometry in (rect(300, 200, 500, 400), rect(1000, 1000, 1100, 1100)):
        with pytest.raises(ValidationFailed) as excinfo:
            contamination.record_release(
                wayhome, analyst, hazard.id, release_data("cleared", geometry)
            )
        error = only_error(excinfo)
        assert error.loc == ("geometry",)
        assert "outside the hazard area" in error.text()
    assert count(wayhome, LandReleaseEvent) == 1
    assert count(wayhome, RecordVersion) == versions
    after = contamination.get_hazard_area(wayhome, analyst, hazard.id)
    assert after.remaining_area_m2 == before.remaining_area_m2


def test_a_backdated_release_recounts_the_later_ones(wayhome, analyst, hazard):
    later = contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", rect(0, 0, 200, 300), "2024-06-01")
    )
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cancelled", rect(0, 0, 100, 300), "2023-01-01")
    )
    releases = contamination.list_releases(wayhome, analyst, hazard.id)
    assert [r.release_date for r in releases] == ["2023-01-01", "2024-06-01"]
    assert releases[1].id == later.id
    assert releases[1].area_m2 == pytest.approx(later.area_m2 / 2, rel=1e-3)
    result = contamination.ledger(wayhome, analyst, hazard.id)
    assert sum(r.area_m2 for r in releases) == pytest.approx(result.released_m2, abs=1e-6)


def test_a_release_must_come_from_a_fitting_activity_of_the_same_hazard(wayhome, analyst, hazard):
    ts = contamination.record_activity(
        wayhome,
        analyst,
        hazard.id,
        parse_input(ActivityInput, {"activity_type": "ts", "organisation_name": "NPA"}),
    )
    other = contamination.create_hazard_area(
        wayhome, analyst, hazard_data("HA-2", rect(1000, 0, 1200, 200))
    )
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.record_release(
            wayhome,
            analyst,
            hazard.id,
            release_data("cleared", rect(0, 0, 50, 50), activity_id=ts.id),
        )
    assert only_error(excinfo).loc == ("release_kind",)
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.record_release(
            wayhome,
            analyst,
            other.id,
            release_data("reduced", rect(1000, 0, 1050, 50), activity_id=ts.id),
        )
    assert only_error(excinfo).loc == ("activity_id",)
    ok = contamination.record_release(
        wayhome, analyst, hazard.id, release_data("reduced", rect(0, 0, 50, 50), activity_id=ts.id)
    )
    assert ok.activity_id == ts.id
    with pytest.raises(ValidationFailed):  # its type can no longer change
        contamination.update_activity(
            wayhome,
            analyst,
            ts.id,
            parse_input(ActivityInput, {"activity_type": "nts", "organisation_name": "NPA"}),
        )


def test_a_hazard_must_keep_containing_its_releases(wayhome, analyst, hazard):
    contamination.record_release(
        wayhome, analyst, hazard.id, release_data("cleared", rect(300, 0, 400, 300), "2024-02-03")
    )
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.update_hazard_area(
            wayhome, analyst, hazard.id, hazard_data(geometry=rect(0, 0, 250, 300))
        )
    error = only_error(excinfo)
    assert error.loc == ("geometry",)
    assert "released on 2024-02-03" in error.text()
    grown = contamination.update_hazard_area(
        wayhome, analyst, hazard.id, hazard_data(geometry=rect(0, 0, 400, 400))
    )
    assert grown.original_area_m2 == pytest.approx(area(rect(0, 0, 400, 400)), abs=1e-3)
    released = area(rect(300, 0, 400, 300))
    assert grown.remaining_area_m2 == pytest.approx(grown.original_area_m2 - released, abs=1)


_places = itertools.count()

release_boxes = st.tuples(
    st.integers(0, 380), st.integers(0, 280), st.integers(5, 200), st.integers(5, 200)
)
releases = st.lists(
    st.tuples(
        st.sampled_from(["cancelled", "reduced", "cleared"]),
        release_boxes,
        st.sampled_from(["2021-04-01", "2022-01-15", "2022-01-15", "2023-09-30"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=releases)
def test_the_ledger_balances_whatever_order_releases_come_in(wayhome, make, events):
    if not hasattr(make, "_analyst"):
        make._analyst = make.actor(Role.ANALYST)
    actor = make._analyst
    n = next(_places)
    lon = LON + 0.02 * n  # a new field for every example: no duplicates
    hazard = contamination.create_hazard_area(
        wayhome, actor, hazard_data(f"HA-P{n}", rect(0, 0, 400, 300, lon=lon))
    )
    boxes = []
    for kind, (x, y, w, h), day in events:
        box = rect(x, y, min(x + w, 400), min(y + h, 300), lon=lon)
        boxes.append(validate_polygon(box))
        contamination.record_release(wayhome, actor, hazard.id, release_data(kind, box, day))
        result = contamination.ledger(wayhome, actor, hazard.id)
        parts = result.remaining_m2 + result.cancelled_m2 + result.reduced_m2 + result.cleared_m2
        assert result.original_m2 == pytest.approx(parts, abs=1.0)
    union = shapely.intersection(
        shapely.union_all(boxes), validate_polygon(rect(0, 0, 400, 300, lon=lon))
    )
    assert result.released_m2 == pytest.approx(geodesic_area(union), abs=1.0)
    stored = contamination.list_releases(wayhome, actor, hazard.id)
    for kind in ("cancelled", "reduced", "cleared"):
        counted = sum(r.area_m2 for r in stored if r.release_kind == kind)
        assert counted == pytest.approx(getattr(result, f"{kind}_m2"), abs=1e-6)
    current = contamination.get_hazard_area(wayhome, actor, hazard.id)
    assert current.remaining_area_m2 == pytest.approx(result.remaining_m2, abs=1e-6)


# --- lists, activities, devices --------------------------------------------------------------


def test_hazards_are_found_by_bounding_box_status_and_type(wayhome, analyst, hazard):
    far = contamination.create_hazard_area(
        wayhome,
        analyst,
        hazard_data("HA-EAST", rect(0, 0, 100, 100, lon=179.99), hazard_type="cha"),
    )

    def found(**filters) -> list[str]:
        page = contamination.search_hazard_areas(wayhome, analyst, **filters)
        return [h.local_id for h in page.items]

    assert found() == ["HA-1", "HA-EAST"]
    assert found(bbox=(36.0, 49.0, 37.0, 50.5)) == ["HA-1"]
    assert found(bbox=(36.26, 49.0, 37.0, 50.5)) == []
    assert found(bbox=(179.0, 49.0, -179.0, 51.0)) == ["HA-EAST"]  # a box across 180°
    assert found(hazard_type=["cha"]) == ["HA-EAST"]
    assert found(status=["closed", "handed_over"]) == []
    assert found(q="orchard") == ["HA-1", "HA-EAST"]
    assert found(q="east") == ["HA-EAST"]
    contamination.create_hazard_area(
        wayhome, analyst, hazard_data("HA-77", rect(0, 2000, 100, 2100), name="Поле у Школы")
    )
    assert found(q="школы ПОЛЕ") == ["HA-77"]  # any script, any case
    assert found(q="ha-77") == ["HA-77"]
    assert found(q="%") == []  # no wildcards
    features = contamination.hazard_features(
        wayhome, analyst, hazard_type=["sha"], bbox=(36.0, 49.0, 37.0, 49.96)
    )
    [feature] = features["features"]
    assert feature["id"] == hazard.id and feature["properties"]["local_id"] == "HA-1"
    assert shape(feature["geometry"]).equals(shape(json.loads(hazard.geometry)))
    assert far.min_lon > 179.98


def test_activities_keep_their_history_and_dates_in_order(wayhome, analyst, hazard):
    def activity(**values) -> ActivityInput:
        return parse_input(
            ActivityInput, {"activity_type": "clearance", "organisation_name": "DDG", **values}
        )

    with pytest.raises(ValidationFailed) as excinfo:
        contamination.record_activity(
            wayhome, analyst, hazard.id, activity(start_date="2024-05", end_date="2024-04-30")
        )
    assert only_error(excinfo).loc == ("end_date",)
    done = contamination.record_activity(
        wayhome,
        analyst,
        hazard.id,
        activity(start_date="2024-05", end_date="2024", status="ongoing"),
    )
    changed = contamination.update_activity(
        wayhome,
        analyst,
        done.id,
        activity(start_date="2024-05", end_date="2024-09-02", status="completed", version=1),
    )
    assert changed.version == 2 and changed.status == "completed"
    latest, _ = contamination.activity_history(wayhome, analyst, done.id)
    assert latest.changes["status"] == ["ongoing", "completed"]
    assert [a.id for a in contamination.list_activities(wayhome, analyst, hazard.id)] == [done.id]
    with pytest.raises(NotFound):
        contamination.list_activities(wayhome, analyst, "no-such-id")


def test_devices_found(wayhome, make, analyst, hazard):
    device = contamination.record_device(
        wayhome,
        analyst,
        hazard.id,
        parse_input(
            DeviceInput,
            {
                "device_category": "ap_mine",
                "device_type": "PMN-2",
                "condition": "intact",
                "lon": LON,
                "lat": LAT,
                "depth_cm": 8,
                "found_on": "2024-05-12",
            },
        ),
    )
    assert (device.device_category, device.quantity, device.depth_cm) == ("ap_mine", 1, 8)
    assert [d.id for d in contamination.list_devices(wayhome, analyst, hazard.id)] == [device.id]
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.record_device(
            wayhome,
            analyst,
            hazard.id,
            parse_input(DeviceInput, {"device_category": "uxo", "lon": 1}),
        )
    assert only_error(excinfo).loc == ("lat",)
    with pytest.raises(PermissionDenied):
        contamination.record_device(
            wayhome,
            make.actor(Role.CASEWORKER),
            hazard.id,
            parse_input(DeviceInput, {"device_category": "uxo"}),
        )


# --- accidents and victims -------------------------------------------------------------------


def register(wayhome, actor, family: str):
    return persons.register_person(
        wayhome, actor, PersonInput.model_validate({"names": [{"family_name": family}]})
    )


def accident_data(**values) -> AccidentInput:
    return parse_input(
        AccidentInput,
        {
            "accident_date": "2023-04-17",
            "lon": LON,
            "lat": LAT,
            "device_category": "at_mine",
            "activity": "agriculture",
            "injured": 1,
            "killed": 1,
            **values,
        },
    )


def test_accident_victims_follow_the_rules_of_persons(wayhome, make, analyst):
    admin1 = make.actor(Role.ADMIN, "ORG1")
    analyst2 = make.actor(Role.ANALYST, "ORG2")
    org2 = analyst2.organisation_id
    known = register(wayhome, admin1, "Коваленко")
    shared = register(wayhome, admin1, "Шевченко")
    accident = contamination.record_accident(wayhome, analyst, accident_data(injured=2))
    linked = contamination.add_victim(
        wayhome,
        analyst,
        accident.id,
        parse_input(VictimInput, {"person_id": known.id, "outcome": "killed", "sex": "M"}),
    )
    anonymous = contamination.add_victim(
        wayhome,
        analyst,
        accident.id,
        parse_input(VictimInput, {"outcome": "injured", "age_group": "child", "sex": "F"}),
    )
    assert {v.id for v in contamination.list_victims(wayhome, analyst, accident.id)} == {
        linked.id,
        anonymous.id,
    }
    # ORG2 sees the accident and the anonymous casualty, not the person of ORG1
    assert contamination.get_accident(wayhome, analyst2, accident.id).killed == 1
    assert [v.id for v in contamination.list_victims(wayhome, analyst2, accident.id)] == [
        anonymous.id
    ]
    with pytest.raises(NotFound):
        contamination.victim_history(wayhome, analyst2, linked.id)
    victim_input = parse_input(VictimInput, {"person_id": shared.id, "outcome": "injured"})
    with pytest.raises(ValidationFailed) as excinfo:  # nor may it link a person it cannot see
        contamination.add_victim(wayhome, analyst2, accident.id, victim_input)
    assert only_error(excinfo).loc == ("person_id",)
    assert only_error(excinfo).text() == "no such person"

    persons.share(wayhome, admin1, shared.id, org2)
    other = contamination.add_victim(wayhome, analyst2, accident.id, victim_input)
    assert {v.id for v in contamination.list_victims(wayhome, analyst2, accident.id)} == {
        anonymous.id,
        other.id,
    }
    persons.share(wayhome, admin1, known.id, None)  # shared with every organisation
    assert len(contamination.list_victims(wayhome, analyst2, accident.id)) == 3
    [entry] = contamination.victim_history(wayhome, analyst2, linked.id)
    assert entry.snapshot["person_id"] == known.id
    assert count(wayhome, AuditEvent, AuditEvent.action == "view_history") == 1


def test_victims_cannot_outnumber_the_accident_totals(wayhome, analyst):
    accident = contamination.record_accident(wayhome, analyst, accident_data(injured=0, killed=1))
    killed = parse_input(VictimInput, {"outcome": "killed"})
    victim = contamination.add_victim(wayhome, analyst, accident.id, killed)
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.add_victim(wayhome, analyst, accident.id, killed)
    assert only_error(excinfo).loc == ("outcome",)
    with pytest.raises(ValidationFailed) as excinfo:
        contamination.update_accident(wayhome, analyst, accident.id, accident_data(killed=0))
    assert only_error(excinfo).loc == ("killed",)
    updated = contamination.update_accident(
        wayhome, analyst, accident.id, accident_data(injured=0, killed=2, version=1)
    )
    assert updated.version == 2
    contamination.add_victim(wayhome, analyst, accident.id, killed)
    edited = contamination.update_victim(
        wayhome,
        analyst,
        victim.id,
        parse_input(VictimInput, {"outcome": "killed", "age_group": "adult", "version": 1}),
    )
    assert edited.version == 2 and edited.age_group == "adult"
    assert count(wayhome, MineVictim) == 2
    [latest, _] = contamination.accident_history(wayhome, analyst, accident.id)
    assert latest.changes == {"killed": [1, 2]}


def test_who_may_see_and_record_accidents(wayhome, make, analyst):
    accident = contamination.record_accident(wayhome, analyst, accident_data())
    for role in (Role.ADMIN, Role.REGISTRAR, Role.CASEWORKER, Role.ANALYST):
        contamination.get_accident(wayhome, make.actor(role, "ORG2"), accident.id)
    with pytest.raises(PermissionDenied):
        contamination.get_accident(wayhome, make.actor(Role.VIEWER), accident.id)
    for role in (Role.REGISTRAR, Role.CASEWORKER, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            contamination.record_accident(wayhome, make.actor(role), accident_data())
    page = contamination.search_accidents(wayhome, analyst, bbox=(36.0, 49.0, 37.0, 51.0))
    assert [a.id for a in page.items] == [accident.id]
    assert contamination.search_accidents(wayhome, analyst, bbox=(0.0, 0.0, 1.0, 1.0)).total == 0


def test_release_dates_are_full_days_and_not_in_the_future():
    with pytest.raises(ValidationFailed) as excinfo:
        release_data("cleared", rect(0, 0, 10, 10), "2024-05")
    assert only_error(excinfo).text() == "give the full date: YYYY-MM-DD"
    tomorrow = date.fromordinal(date.today().toordinal() + 2).isoformat()
    with pytest.raises(ValidationFailed, match="in the future"):
        release_data("cleared", rect(0, 0, 10, 10), tomorrow)
