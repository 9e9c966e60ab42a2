"""Pages of the heritage register: list, site page with its timeline, forms, history, coarsening."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.web.test_api_heritage import EXACT_DIGITS, EXACT_ROLES, POLYGON, site_body
from wayhome.core.vocab import Role
from wayhome.services import heritage
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.services.inputs import parse_input

ALL_ROLES = list(Role)
EDITORS = (Role.ADMIN, Role.ANALYST)
ASSESSORS = (Role.ADMIN, Role.ANALYST, Role.CASEWORKER)


def _error_at(page: str, name: str) -> str:
    match = re.search(rf'id="err-{re.escape(name.replace(".", "-"))}">([^<]*)<', page)
    assert match, f"no error shown at {name}"
    return html.unescape(match.group(1))


def _site_id(location: str) -> str:
    match = re.fullmatch(r"/heritage-sites/([0-9a-f-]+)(#\w+)?", location)
    assert match, location
    return match.group(1)


@pytest.fixture
def analyst(make):
    return make.actor(Role.ANALYST)


@pytest.fixture
def site(wayhome, analyst):
    created = heritage.create_site(
        wayhome, analyst, parse_input(HeritageSiteInput, site_body(period="medieval"))
    )
    for observed, condition, extra in (
        ("2019-05", "good", {}),
        (
            "2021-08-14",
            "poor",
            {
                "damage_extent": "31-60",
                "disturbances": [{"cause": "looting", "certainty": "probable"}],
                "recommendation": "emergency_protection",
                "priority": "high",
            },
        ),
    ):
        heritage.add_assessment(
            wayhome,
            analyst,
            created["id"],
            parse_input(
                HeritageAssessmentInput,
                {
                    "observed_on": observed,
                    "method": "satellite_imagery",
                    "overall_condition": condition,
                    **extra,
                },
            ),
        )
    return created


@pytest.mark.parametrize("role", ALL_ROLES)
def test_site_page_by_role_coarsens_protected_locations(role, login, site):
    ui = login(role)
    page = ui.get(f"/heritage-sites/{site['id']}")
    assert page.status_code == 200
    text = page.text
    for name in ("Ծիծեռնակաբերդ", "Tsitsernakaberd", "Armn", "Latn"):
        assert name in text  # names in every script, with their scripts
    assert "Cemetery" in text and "Medieval" in text and "Designation unknown" in text
    assert "Looting or illegal excavation" in text and "Probable" in text
    assert "Emergency protection" in text and "Deteriorated" in text  # good → poor
    assert text.count('class="tick"') == 2  # one bar per assessment in the timeline
    layers = json.loads(html.unescape(re.search(r"data-layers='([^']*)'", text).group(1)))
    if role in EXACT_ROLES:
        assert "39.7612345" in text and [lay["kind"] for lay in layers] == ["site", "point"]
        assert "Exact location" in text
    else:
        for digits in EXACT_DIGITS:
            assert digits not in text, digits
        assert "39.75, 46.75" in text and [lay["kind"] for lay in layers] == ["point"]
        assert "exact location is protected" in text
    assert (f"/heritage-sites/{site['id']}/edit" in text) is (role in EDITORS)
    assert (f"/heritage-sites/{site['id']}/assessments/new" in text) is (role in ASSESSORS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_history_page_coarsens_too(role, login, wayhome, analyst, site):
    heritage.update_site(
        wayhome,
        analyst,
        site["id"],
        parse_input(HeritageSiteInput, site_body(type="shrine", lat=39.7654321, version=1)),
    )
    page = login(role).get(f"/heritage-sites/{site['id']}/history")
    assert page.status_code == 200
    assert "Shrine" in page.text and "Cemetery" in page.text  # labels of the site_type list
    if role not in EXACT_ROLES:
        for digits in (*EXACT_DIGITS, "39.7654"):
            assert digits not in page.text, digits


def test_list_filters_by_type_group_condition_and_text(login, wayhome, analyst, site):
    heritage.create_site(
        wayhome,
        analyst,
        parse_input(
            HeritageSiteInput,
            {"type": "mosque", "names": [{"name": "جامع الأمويين", "lang": "ar"}]},
        ),
    )
    ui = login(Role.VIEWER)
    everything = ui.get("/heritage-sites").text
    assert "Ծիծեռնակաբերդ" in everything and "جامع الأمويين" in everything
    worship = ui.get("/heritage-sites", params={"type": "place_of_worship"}).text
    assert "جامع الأمويين" in worship and "Ծիծեռնակաբերդ" not in worship
    poor = ui.get("/heritage-sites", params={"condition": "poor"}).text
    assert "Ծիծեռնակաբերդ" in poor and "جامع الأمويين" not in poor
    by_name = ui.get("/heritage-sites", params={"q": "tsitsernakaberd"}).text
    assert "Ծիծեռնակաբերդ" in by_name and "جامع الأمويين" not in by_name
    partial = ui.get("/heritage-sites", headers={"HX-Request": "true", "HX-Target": "results"}).text
    assert "<html" not in partial and "2 records" in partial


def test_an_analyst_creates_and_edits_a_site(login, wayhome, analyst):
    ui = login(Role.ANALYST)
    assert ui.get("/heritage-sites/new").status_code == 200
    r = ui.post_form(
        "/heritage-sites/new",
        {
            "names.0.name": "Սուրբ Ամենափրկիչ",
            "names.0.lang": "hy",
            "names.1.name": "Ghazanchetsots",
            "names.2.name": "",
            "type": "church",
            "period": "modern",
            "designation": "national",
            "lat": "39.7583",
            "lon": "46.7525",
            "sensitive": "true",
            "polygon": "",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    site_id = _site_id(r.headers["location"])
    stored = heritage.get_site(wayhome, analyst, site_id)
    assert [n["name"] for n in stored["names"]] == ["Սուրբ Ամենափրկիչ", "Ghazanchetsots"]
    assert stored["sensitive"] is True and stored["designation"] == "national"
    edit = ui.get(f"/heritage-sites/{site_id}/edit")
    assert edit.status_code == 200 and "Ghazanchetsots" in edit.text and "checked" in edit.text
    r = ui.post_form(
        f"/heritage-sites/{site_id}/edit",
        {
            "names.0.name": "Սուրբ Ամենափրկիչ",
            "type": "church",
            "period": "modern",
            "designation": "national",
            "lat": "39.7583",
            "lon": "46.7525",
            "polygon": json.dumps(POLYGON),
            "version": "1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    stored = heritage.get_site(wayhome, analyst, site_id)
    assert stored["sensitive"] is False and stored["polygon"]["type"] == "Polygon"
    stale = ui.post_form(
        f"/heritage-sites/{site_id}/edit",
        {"names.0.name": "x", "type": "church", "version": "1"},
    )
    assert stale.status_code == 409 and "changed by someone else" in _error_at(
        stale.text, "version"
    )


def test_site_form_errors_are_shown_at_their_fields(login):
    ui = login(Role.ANALYST)
    r = ui.post_form(
        "/heritage-sites/new",
        {
            "names.0.name": "",
            "type": "pyramid",
            "lat": "95",
            "polygon": '{"type": "Polygon"',
            "reference": "bad ref!",
        },
    )
    assert r.status_code == 422
    assert _error_at(r.text, "names.0.name")
    assert _error_at(r.text, "type") and _error_at(r.text, "lat")
    assert "not valid GeoJSON" in _error_at(r.text, "polygon")
    assert "use letters" in _error_at(r.text, "reference")
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[36.0, 50.0], [36.01, 50.01], [36.01, 50.0], [36.0, 50.01], [36.0, 50.0]]],
    }
    r = ui.post_form(
        "/heritage-sites/new",
        {"names.0.name": "Hill", "type": "archaeological_site", "polygon": json.dumps(bowtie)},
    )
    assert r.status_code == 422 and "intersects itself" in _error_at(r.text, "polygon")


def test_a_caseworker_records_an_assessment(login, wayhome, analyst, site):
    ui = login(Role.CASEWORKER)
    form = ui.get(f"/heritage-sites/{site['id']}/assessments/new")
    assert form.status_code == 200 and 'name="disturbances.0.cause"' in form.text
    bad = ui.post_form(
        f"/heritage-sites/{site['id']}/assessments/new",
        {
            "observed_on": "2024-02",
            "method": "field_visit",
            "overall_condition": "destroyed",
            "damage_extent": "0",
            "disturbances.0.cause": "looting",
            "disturbances.1.cause": "looting",
        },
    )
    assert bad.status_code == 422
    assert "without damage" in _error_at(bad.text, "damage_extent")
    assert "listed twice" in _error_at(bad.text, "disturbances.1.cause")
    r = ui.post_form(
        f"/heritage-sites/{site['id']}/assessments/new",
        {
            "observed_on": "2024-02",
            "method": "field_visit",
            "overall_condition": "very_bad",
            "damage_extent": "61-90",
            "disturbances.0.cause": "military_activity",
            "disturbances.0.certainty": "definite",
            "disturbances.1.cause": "",
            "assessor": "community report",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    timeline = heritage.timeline(wayhome, analyst, site["id"])
    assert [e["overall_condition"] for e in timeline["entries"]] == ["good", "poor", "very_bad"]
    assert timeline["entries"][-1]["disturbances"] == [
        {"cause": "military_activity", "certainty": "definite"}
    ]
    page = ui.get(f"/heritage-sites/{site['id']}").text
    assert "Very bad" in page and "Military activity" in page and "Definite" in page


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r not in EDITORS])
def test_forbidden_roles_get_403(role, login, site):
    ui = login(role)
    assert ui.get("/heritage-sites/new").status_code == 403
    assert ui.post_form("/heritage-sites/new", {"type": "church"}).status_code == 403
    assert ui.get(f"/heritage-sites/{site['id']}/edit").status_code == 403
    assert ui.post_form(f"/heritage-sites/{site['id']}/edit", {}).status_code == 403
    may_assess = role in ASSESSORS
    assess = ui.post_form(
        f"/heritage-sites/{site['id']}/assessments/new",
        {"observed_on": "2024", "method": "report", "overall_condition": "fair"},
        follow_redirects=False,
    )
    assert assess.status_code == (303 if may_assess else 403)


def test_unknown_site_is_404(login):
    ui = login(Role.VIEWER)
    assert ui.get("/heritage-sites/0190c0de-0000-7000-8000-000000000000").status_code == 404


@pytest.mark.parametrize("lang", ["ar", "ru"])
def test_site_page_in_arabic_and_russian(lang, login, site):
    page = login(Role.ANALYST).get(f"/heritage-sites/{site['id']}", params={"lang": lang})
    assert page.status_code == 200
    assert f'lang="{lang}"' in page.text
    assert ('dir="rtl"' in page.text) is (lang == "ar")
