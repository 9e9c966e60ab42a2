"""The heritage register: sites, protected locations by role, assessments, timelines, search."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
import shapely
from sqlalchemy import func, select

from wayhome.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import heritage
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.services.inputs import parse_input
from wayhome.services.permissions import MATRIX
from wayhome.store.tables import AuditEvent, RecordVersion
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite, HeritageSiteName

LAT, LON = 40.123456, 45.654321
SQUARE = {
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
EXACT_ROLES = (Role.ADMIN, Role.ANALYST)
COARSE_ROLES = (Role.REGISTRAR, Role.CASEWORKER, Role.VIEWER)


def site_data(**extra: Any) -> HeritageSiteInput:
    body = {
        "type": "church",
        "names": [{"name": "Սուրբ Աստվածածին", "lang": "hy"}, {"name": "Surb Astvatsatsin"}],
        "lat": LAT,
        "lon": LON,
        **extra,
    }
    return parse_input(HeritageSiteInput, body)


def assessment(**extra: Any) -> HeritageAssessmentInput:
    body = {
        "observed_on": "2021-05",
        "method": "satellite_imagery",
        "overall_condition": "poor",
        **extra,
    }
    return parse_input(HeritageAssessmentInput, body)


def count(wayhome, table, *where) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


def errors_of(info: pytest.ExceptionInfo[ValidationFailed]) -> dict[tuple, str]:
    return {e.loc: e.text() for e in info.value.errors}


# --- sites -------------------------------------------------------------------------------------


def test_create_site_keeps_names_in_every_script(wayhome, make) -> None:
    analyst = make.actor(Role.ANALYST)
    site = heritage.create_site(wayhome, analyst, site_data(source="field survey 2023"))
    assert site["reference"].startswith("HS-") and len(site["reference"]) == 17
    assert [(n["name"], n["script"]) for n in site["names"]] == [
        ("Սուրբ Աստվածածին", "Armn"),
        ("Surb Astvatsatsin", "Latn"),
    ]
    assert site["display_name"] == "Սուրբ Աստվածածին"
    assert site["version"] == 1 and site["origin_instance"] == wayhome.instance_id
    assert site["organisation_id"] == analyst.organisation_id
    assert (site["lat"], site["lon"], site["location_precision"]) == (LAT, LON, "exact")
    assert site["condition"] is None and site["source"] == "field survey 2023"
    with wayhome.read() as session:
        names = session.scalars(select(HeritageSiteName).order_by(HeritageSiteName.position))
        assert [n.folded for n in names] == ["սուրբ աստվածածին", "surb astvatsatsin"]
        version = session.scalar(select(RecordVersion).where(RecordVersion.entity_id == site["id"]))
        assert version.entity_type == "heritage_site" and version.action == "create"
        assert version.snapshot["lat"] == LAT and version.snapshot["type"] == "church"
    assert count(wayhome, AuditEvent, AuditEvent.entity_id == site["id"]) == 1


def test_reference_given_is_upper_cased_and_unique(wayhome, make) -> None:
    admin = make.actor(Role.ADMIN)
    site = heritage.create_site(wayhome, admin, site_data(reference="eamena-0012345"))
    assert site["reference"] == "EAMENA-0012345"
    with pytest.raises(ValidationFailed) as info:
        heritage.create_site(wayhome, admin, site_data(reference="EAMENA-0012345"))
    assert errors_of(info) == {("reference",): "the reference EAMENA-0012345 is already used"}
    with pytest.raises(ValidationFailed) as info:
        parse_input(
            HeritageSiteInput, {"type": "cemetery", "names": [{"name": "x"}], "reference": "a b"}
        )
    assert ("reference",) in errors_of(info)


def test_site_checks_point_and_place(wayhome, make) -> None:
    admin = make.actor(Role.ADMIN)
    with pytest.raises(ValidationFailed) as info:
        heritage.create_site(wayhome, admin, site_data(lon=None, place_id="nope"))
    assert errors_of(info) == {
        ("lon",): "give both latitude and longitude, or neither",
        ("place_id",): "no such place",
    }
    assert count(wayhome, HeritageSite) == 0


@pytest.mark.parametrize(
    ("polygon", "loc", "reason"),
    [
        (
            {"type": "Polygon", "coordinates": [[[45.0, 40.0], [45.1, 40.0], [45.1, 40.1]]]},
            ("polygon", "coordinates", 0),
            "closed",
        ),
        ({"type": "Point", "coordinates": [45.0, 40.0]}, ("polygon", "type"), "Polygon"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[45.0, 40.0], [45.1, 40.1], [45.1, 40.0], [45.0, 40.1], [45.0, 40.0]]
                ],
            },
            ("polygon",),
            "",
        ),
    ],
    ids=["open-ring", "not-a-polygon", "bow-tie"],
)
def test_bad_polygon_is_refused_with_its_reason_and_nothing_is_stored(
    wayhome, make, polygon, loc, reason
) -> None:
    with pytest.raises(ValidationFailed) as info:
        heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data(polygon=polygon))
    [error] = info.value.errors
    assert error.loc[: len(loc)] == loc
    assert error.text().startswith("the polygon was rejected: ") and reason in error.text()
    assert count(wayhome, HeritageSite) == 0
    assert count(wayhome, HeritageSiteName) == 0
    assert count(wayhome, RecordVersion) == 0


def test_polygon_without_a_point_gets_one_inside_it(wayhome, make) -> None:
    site = heritage.create_site(
        wayhome, make.actor(Role.ANALYST), site_data(lat=None, lon=None, polygon=SQUARE)
    )
    assert site["polygon"]["type"] == "Polygon"
    inside = shapely.geometry.shape(SQUARE).contains(shapely.Point(site["lon"], site["lat"]))
    assert inside


def test_polygon_may_come_as_json_text(wayhome, make) -> None:
    data = site_data(polygon=json.dumps(SQUARE))
    assert data.polygon == SQUARE
    with pytest.raises(ValidationFailed) as info:
        site_data(polygon="{not json")
    assert errors_of(info) == {("polygon",): "is not valid GeoJSON"}


def test_update_site_versions_and_conflicts(wayhome, make) -> None:
    analyst = make.actor(Role.ANALYST)
    settlement = make.place("S1", PlaceType.COUNTRY, name="Shusha")
    site = heritage.create_site(wayhome, analyst, site_data())
    edited = heritage.update_site(
        wayhome,
        analyst,
        site["id"],
        site_data(
            place_id=settlement.id, reference=site["reference"], period="medieval", version=1
        ),
    )
    assert edited["version"] == 2 and edited["place_name"] == "Shusha"
    assert edited["period"] == "medieval"
    with pytest.raises(Conflict):
        heritage.update_site(wayhome, analyst, site["id"], site_data(version=1))
    history = heritage.site_history(wayhome, analyst, site["id"])
    assert [e.version for e in history] == [2, 1]
    assert history[0].changes["period"] == ["unknown", "medieval"]
    kept = heritage.update_site(wayhome, analyst, site["id"], site_data())
    assert kept["reference"] == site["reference"]  # an edit without a reference keeps it
    with pytest.raises(NotFound):
        heritage.update_site(wayhome, analyst, "no-such-id", site_data())


def test_roles_that_may_edit_may_see_exact_locations() -> None:
    # An editor must never save back a coarsened location they were shown.
    assert MATRIX["heritage.edit"] <= MATRIX["heritage.exact_location"]
    assert set(EXACT_ROLES) == set(MATRIX["heritage.exact_location"])
    assert MATRIX["heritage.view"] == frozenset(Role)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REGISTRAR, Role.CASEWORKER])
def test_only_editors_record_sites(wayhome, make, role) -> None:
    with pytest.raises(PermissionDenied):
        heritage.create_site(wayhome, make.actor(role), site_data())


# --- protected locations -------------------------------------------------------------------------


def test_coarsen_gives_the_centre_of_a_tenth_degree_cell() -> None:
    assert heritage.coarsen(40.123456, 90) == 40.15
    assert heritage.coarsen(45.654321, 180) == 45.65
    assert heritage.coarsen(-0.01, 90) == -0.05
    assert heritage.coarsen(-179.99, 180) == -179.95
    assert heritage.coarsen(90.0, 90) == 89.95 and heritage.coarsen(180.0, 180) == 179.95
    # every point of a cell gives the same centre: nothing of the exact position remains
    assert {heritage.coarsen(40.1 + i / 1000 + 0.0001, 90) for i in range(99)} == {40.15}


def _sensitive_site(wayhome, make) -> dict[str, Any]:
    return heritage.create_site(
        wayhome, make.actor(Role.ANALYST), site_data(polygon=SQUARE, sensitive=True)
    )


@pytest.mark.parametrize("role", list(Role))
def test_sensitive_site_is_coarsened_by_role_everywhere(wayhome, make, role) -> None:
    site = _sensitive_site(wayhome, make)
    actor = make.actor(role)
    outputs = [
        heritage.get_site(wayhome, actor, site["id"]),
        heritage.search_sites(wayhome, actor).items[0],
        heritage.export_sites(wayhome, actor)[0],
    ]
    feature = heritage.map_features(wayhome, actor)["features"][0]
    text = json.dumps([outputs, feature], default=str)
    if role in EXACT_ROLES:
        for output in outputs:
            assert (output["lat"], output["lon"]) == (LAT, LON)
            assert output["polygon"] == SQUARE and output["location_precision"] == "exact"
        assert feature["geometry"] == SQUARE
    else:
        for output in outputs:
            assert (output["lat"], output["lon"]) == (40.15, 45.65)
            assert output["polygon"] is None and output["location_precision"] == "coarse"
        assert feature["geometry"] == {"type": "Point", "coordinates": [45.65, 40.15]}
        assert feature["properties"]["location_precision"] == "coarse"
        for exact in ("40.123", "45.654", "40.1231", "45.6541", "40.1237", "45.6547"):
            assert exact not in text


def test_a_site_that_is_not_sensitive_is_exact_for_everyone(wayhome, make) -> None:
    site = heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data())
    viewer = make.actor(Role.VIEWER)
    shown = heritage.get_site(wayhome, viewer, site["id"])
    assert (shown["lat"], shown["lon"], shown["location_precision"]) == (LAT, LON, "exact")


def test_history_withholds_the_exact_location_too(wayhome, make) -> None:
    analyst = make.actor(Role.ANALYST)
    site = heritage.create_site(wayhome, analyst, site_data(polygon=SQUARE))
    heritage.update_site(wayhome, analyst, site["id"], site_data(sensitive=True, lat=40.133333))
    heritage.update_site(wayhome, analyst, site["id"], site_data(sensitive=False, lat=40.144444))
    viewer_history = heritage.site_history(wayhome, make.actor(Role.VIEWER), site["id"])
    text = json.dumps([(e.snapshot, e.changes) for e in viewer_history])
    for exact in ("40.123456", "45.654321", "40.133333", "40.144444", "45.6541234"):
        assert exact not in text
    assert all(e.snapshot["polygon"] is None for e in viewer_history)
    # a move within the same cell is not even shown as a change
    assert "lat" not in viewer_history[1].changes
    analyst_history = heritage.site_history(wayhome, analyst, site["id"])
    assert analyst_history[1].changes["lat"] == [40.123456, 40.133333]


def test_viewing_a_protected_exact_location_is_audited(wayhome, make) -> None:
    site = _sensitive_site(wayhome, make)
    analyst, viewer = make.actor(Role.ANALYST), make.actor(Role.VIEWER)
    heritage.get_site(wayhome, analyst, site["id"])
    heritage.get_site(wayhome, viewer, site["id"])
    with wayhome.read() as session:
        views = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "view")))
    assert [(v.username, v.detail) for v in views] == [(analyst.username, {"exact_location": True})]


def test_map_bounding_box_works_on_coarsened_points(wayhome, make) -> None:
    site = _sensitive_site(wayhome, make)
    around_exact = (45.654, 40.123, 45.655, 40.124)
    around_coarse = (45.64, 40.14, 45.66, 40.16)
    viewer, analyst = make.actor(Role.VIEWER), make.actor(Role.ANALYST)
    assert heritage.map_features(wayhome, viewer, bbox=around_exact)["features"] == []
    [found] = heritage.map_features(wayhome, viewer, bbox=around_coarse)["features"]
    assert found["id"] == site["id"]
    assert len(heritage.map_features(wayhome, analyst, bbox=around_exact)["features"]) == 1


# --- assessments -------------------------------------------------------------------------------


def test_assessment_is_versioned_and_audited(wayhome, make) -> None:
    site = heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data())
    caseworker = make.actor(Role.CASEWORKER)
    added = heritage.add_assessment(
        wayhome,
        caseworker,
        site["id"],
        assessment(
            assessed_on="2021-06-02",
            damage_extent="31-60",
            disturbances=[
                {"cause": "military_activity", "certainty": "probable"},
                {"cause": "neglect"},
            ],
            recommendation="emergency_protection",
            priority="immediate",
            assessor="Field team 3",
        ),
    )
    assert added["observed_on"] == "2021-05" and added["observed_on_precision"] == "month"
    assert added["assessed_on"] == "2021-06-02" and added["assessed_on_precision"] == "day"
    assert added["disturbances"] == [
        {"cause": "military_activity", "certainty": "probable"},
        {"cause": "neglect", "certainty": "not_assessed"},
    ]
    assert added["organisation_id"] == caseworker.organisation_id
    with wayhome.read() as session:
        version = session.scalar(
            select(RecordVersion).where(RecordVersion.entity_id == added["id"])
        )
    assert version.entity_type == "heritage_assessment" and version.version == 1
    assert version.snapshot["overall_condition"] == "poor"
    shown = heritage.get_site(wayhome, make.actor(Role.VIEWER), site["id"])
    assert (shown["condition"], shown["last_observed_on"]) == ("poor", "2021-05")


def test_assessed_on_defaults_to_today(wayhome, make) -> None:
    site = heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data())
    added = heritage.add_assessment(wayhome, make.actor(Role.ANALYST), site["id"], assessment())
    assert added["assessed_on"] == date.today().isoformat()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REGISTRAR])
def test_roles_that_may_not_assess(wayhome, make, role) -> None:
    site = heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data())
    with pytest.raises(PermissionDenied):
        heritage.add_assessment(wayhome, make.actor(role), site["id"], assessment())


def test_observation_cannot_be_in_the_future() -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    with pytest.raises(ValidationFailed) as info:
        assessment(observed_on=tomorrow)
    assert errors_of(info) == {("observed_on",): f"{tomorrow} is in the future"}
    with pytest.raises(ValidationFailed) as info:
        assessment(observed_on="")
    assert errors_of(info) == {("observed_on",): "is required"}


def test_service_rechecks_dates_against_its_today(wayhome, make) -> None:
    site = heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data())
    admin = make.actor(Role.ADMIN)
    with wayhome.transaction() as session, pytest.raises(ValidationFailed) as info:
        heritage.write_assessment(
            session,
            wayhome,
            admin,
            session.get(HeritageSite, site["id"]),
            assessment(observed_on="2021-05-02", assessed_on="2021-05-03"),
            today=date(2021, 5, 1),
        )
    assert errors_of(info) == {
        ("observed_on",): "2021-05-02 is in the future",
        ("assessed_on",): "2021-05-03 is in the future",
    }


@pytest.mark.parametrize(
    ("observed_on", "assessed_on", "ok"),
    [
        ("2021-05", "2021-04-30", False),
        ("2021-05-10", "2021-05-09", False),
        ("2022", "2021-12", False),
        ("2021-05", "2021", True),  # the assessment year may include the observation month
        ("2021-05-10", "2021-05", True),
        ("2021-05-10", "2021-05-10", True),
    ],
)
def test_assessment_cannot_be_before_the_observation(
    wayhome, make, observed_on, assessed_on, ok
) -> None:
    site = heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data())
    data = assessment(observed_on=observed_on, assessed_on=assessed_on)
    if ok:
        heritage.add_assessment(wayhome, make.actor(Role.ANALYST), site["id"], data)
        return
    with pytest.raises(ValidationFailed) as info:
        heritage.add_assessment(wayhome, make.actor(Role.ANALYST), site["id"], data)
    assert list(errors_of(info)) == [("assessed_on",)]
    assert count(wayhome, HeritageAssessment) == 0


def test_assessment_consistency_rules(wayhome, make) -> None:
    site = heritage.create_site(wayhome, make.actor(Role.ANALYST), site_data())
    data = assessment(
        overall_condition="destroyed",
        damage_extent="0",
        disturbances=[{"cause": "looting"}, {"cause": "natural"}, {"cause": "looting"}],
    )
    with pytest.raises(ValidationFailed) as info:
        heritage.add_assessment(wayhome, make.actor(Role.ANALYST), site["id"], data)
    assert errors_of(info) == {
        ("disturbances", 2, "cause"): "this cause is listed twice",
        ("damage_extent",): "a destroyed site cannot be without damage",
    }


def test_assessment_of_an_unknown_site(wayhome, make) -> None:
    with pytest.raises(NotFound):
        heritage.add_assessment(wayhome, make.actor(Role.ADMIN), "nope", assessment())


def test_timeline_orders_by_observation_and_gives_the_trend(wayhome, make) -> None:
    analyst = make.actor(Role.ANALYST)
    site = heritage.create_site(wayhome, analyst, site_data())
    for observed_on, condition in [
        ("2023-02-01", "destroyed"),
        ("2019", "good"),
        ("2021-05", "unknown"),
        ("2020-08-15", "fair"),
        ("2023-02", "very_bad"),
    ]:
        heritage.add_assessment(
            wayhome,
            analyst,
            site["id"],
            assessment(observed_on=observed_on, overall_condition=condition),
        )
    line = heritage.timeline(wayhome, make.actor(Role.VIEWER), site["id"])
    assert [(e["observed_on"], e["overall_condition"], e["change"]) for e in line["entries"]] == [
        ("2019", "good", "unknown"),
        ("2020-08-15", "fair", "deteriorated"),
        ("2021-05", "unknown", "unknown"),
        ("2023-02", "very_bad", "deteriorated"),  # against fair, the last known condition
        ("2023-02-01", "destroyed", "deteriorated"),
    ]
    assert line["trend"] == "deteriorated"
    assert (line["first_condition"], line["latest_condition"]) == ("good", "destroyed")
    listed = heritage.list_assessments(wayhome, make.actor(Role.VIEWER), site["id"])
    assert [a["observed_on"] for a in listed] == [e["observed_on"] for e in line["entries"]]
    assert heritage.get_site(wayhome, analyst, site["id"])["condition"] == "destroyed"


def test_timeline_trend_needs_two_known_conditions(wayhome, make) -> None:
    analyst = make.actor(Role.ANALYST)
    site = heritage.create_site(wayhome, analyst, site_data())
    assert heritage.timeline(wayhome, analyst, site["id"])["trend"] == "unknown"
    heritage.add_assessment(wayhome, analyst, site["id"], assessment(overall_condition="poor"))
    heritage.add_assessment(
        wayhome, analyst, site["id"], assessment(observed_on="2022", overall_condition="fair")
    )
    line = heritage.timeline(wayhome, analyst, site["id"])
    assert line["trend"] == "improved"
    assert [e["change"] for e in line["entries"]] == ["unknown", "improved"]


# --- search ------------------------------------------------------------------------------------


@pytest.fixture
def register(wayhome, make) -> dict[str, str]:
    """Four sites with names in Armenian, Azerbaijani Latin, Russian and Arabic."""
    analyst = make.actor(Role.ANALYST)
    village = make.place("V1", PlaceType.COUNTRY, name="Village")
    sites = {
        "church": site_data(community="Armenian Apostolic parish", place_id=village.id),
        "mosque": site_data(
            type="mosque",
            names=[{"name": "Cümə məscidi", "lang": "az"}, {"name": "Джума мечеть", "lang": "ru"}],
            community="Local Muslim community",
        ),
        "cemetery": site_data(
            type="cemetery", names=[{"name": "مقبرة القرية", "lang": "ar"}], reference="CEM-7"
        ),
        "monument": site_data(type="monument", names=[{"name": "Monument to the poets"}]),
    }
    ids = {key: heritage.create_site(wayhome, analyst, data)["id"] for key, data in sites.items()}
    heritage.add_assessment(wayhome, analyst, ids["church"], assessment(overall_condition="good"))
    heritage.add_assessment(
        wayhome,
        analyst,
        ids["church"],
        assessment(observed_on="2023", overall_condition="destroyed"),
    )
    heritage.add_assessment(wayhome, analyst, ids["mosque"], assessment(overall_condition="good"))
    heritage.add_assessment(
        wayhome, analyst, ids["cemetery"], assessment(overall_condition="unknown")
    )
    ids["village"] = village.id
    return ids


def _found(wayhome, make, **filters) -> set[str]:
    page = heritage.search_sites(wayhome, make.actor(Role.VIEWER), per_page=100, **filters)
    assert page.total == len(page.items)
    return {s["id"] for s in page.items}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Աստվածածին", {"church"}),  # Armenian, as recorded
        ("astvatsatsin", {"church"}),  # Latin, as recorded
        ("Аствацацин", {"church"}),  # Cyrillic: only through the Latin keys of each word
        ("сурб", {"church"}),
        ("cümə", {"mosque"}),
        ("CÜMƏ", {"mosque"}),  # case folded
        ("cume", {"mosque"}),  # marks folded
        ("мечеть", {"mosque"}),
        ("джума", {"mosque"}),
        ("Juma", {"mosque"}),  # Latin spelling of the Cyrillic/Azerbaijani names
        ("القرية", {"cemetery"}),
        ("cem-7", {"cemetery"}),  # the reference
        ("poets monument", {"monument"}),  # every word, in any order
        ("poets church", set()),
    ],
)
def test_search_by_name_in_any_script(wayhome, make, register, q, expected) -> None:
    assert _found(wayhome, make, q=q) == {register[k] for k in expected}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"type": "place_of_worship"}, {"church", "mosque"}),
        ({"type": "cemetery"}, {"cemetery"}),
        ({"condition": "destroyed"}, {"church"}),  # the latest observation counts
        ({"condition": "good"}, {"mosque"}),
        ({"condition": "unknown"}, {"cemetery", "monument"}),  # never assessed is unknown
        ({"community": "muslim"}, {"mosque"}),
        ({"type": "place_of_worship", "condition": "good"}, {"mosque"}),
    ],
)
def test_search_by_type_condition_and_community(wayhome, make, register, filters, expected) -> None:
    assert _found(wayhome, make, **filters) == {register[k] for k in expected}


def test_search_by_place(wayhome, make, register) -> None:
    assert _found(wayhome, make, place_id=register["village"]) == {register["church"]}


@pytest.mark.parametrize(("name", "value"), [("type", "castle"), ("condition", "ruined")])
def test_unknown_filter_values_are_refused(wayhome, make, name, value) -> None:
    with pytest.raises(ValidationFailed) as info:
        heritage.search_sites(wayhome, make.actor(Role.VIEWER), **{name: value})
    assert list(errors_of(info)) == [("query", name)]


def test_every_role_that_edits_sites_sees_exact_locations() -> None:
    """The edit form is filled from what the editor sees: an editor who saw coarsened coordinates
    would save them over the exact ones. The matrix must never allow that combination."""
    editors = MATRIX["heritage.edit"]
    assert editors <= MATRIX["heritage.exact_location"], sorted(
        editors - MATRIX["heritage.exact_location"]
    )
