"""Search before register over HTTP: GET /api/v1/persons/similar and the form's htmx panel."""

from __future__ import annotations

import pytest

from wayhome.core.vocab import Role
from wayhome.services import similar

P = "/api/v1"
PERSON = {
    "names": [{"family_name": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu"}],
    "sex": "M",
    "birth_date": "1980-05-02",
    "birth_place_text": "Şəki",
}


def test_api_finds_a_cross_script_variant_with_explanation(api):
    client = api(Role.REGISTRAR)
    created = client.post(f"{P}/persons", json=PERSON)
    assert created.status_code == 201, created.text
    r = client.get(
        f"{P}/persons/similar",
        params={"family_name": "Мамедов", "given_name": "Али", "birth_date": "1980-05"},
    )
    assert r.status_code == 200, r.text
    [hit] = r.json()
    assert hit["person"]["id"] == created.json()["id"]
    assert hit["person"]["names"][0]["script"] == "Latn"
    assert hit["match_probability"] > 0.9
    by_field = {e["field"]: e for e in hit["explanation"]}
    assert by_field["family_name"]["level"] == "family_names_share_key"
    assert by_field["birth_date"]["level"] == "birth_year_and_month_equal"
    assert "Мамедов = Məmmədov" in by_field["family_name"]["explanation"]
    prior = similar.default_model().prior_bits
    assert hit["match_weight"] == pytest.approx(prior + sum(e["bits"] for e in hit["explanation"]))


def test_api_refuses_bad_parameters_clearly(api):
    client = api(Role.VIEWER)
    r = client.get(f"{P}/persons/similar", params={"family_name": "X", "birth_date": "1980-13"})
    assert r.status_code == 422
    [error] = r.json()["detail"]
    assert error["loc"] == ["query", "birth_date"]
    assert "month 13" in error["msg"]
    r = client.get(f"{P}/persons/similar", params={"family_name": "X", "limit": 0})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "limit"]
    r = client.get(f"{P}/persons/similar", params={"family_name": "X", "sex": "Q"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "sex"]


def test_api_hides_other_organisations_records(api):
    mine, theirs = api(Role.REGISTRAR, "ORG1"), api(Role.REGISTRAR, "ORG2")
    assert theirs.post(f"{P}/persons", json=PERSON).status_code == 201
    params = {"family_name": "Mammadov", "given_name": "Ali", "birth_date": "1980"}
    assert mine.get(f"{P}/persons/similar", params=params).json() == []
    assert len(theirs.get(f"{P}/persons/similar", params=params).json()) == 1


def test_form_panel_proposes_the_existing_record(login):
    ui = login(Role.REGISTRAR)
    r = ui.post_form(
        "/persons/new",
        {
            "names.0.kind": "primary",
            "names.0.family_name": "Məmmədov",
            "names.0.given_name": "Əli",
            "sex": "M",
            "birth_date": "1980-05-02",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    url = r.headers["location"]
    form = ui.get("/persons/new")
    assert 'hx-post="/persons/similar"' in form.text and "keyup changed delay" in form.text
    panel = ui.post_form(
        "/persons/similar",
        {"names.0.family_name": "Мамедов", "names.0.given_name": "Али", "birth_date": "198"},
    )
    assert panel.status_code == 200
    assert f'href="{url}"' in panel.text
    assert "Məmmədov" in panel.text and "Latn" in panel.text
    assert "match probability" in panel.text
    assert "Family names are the same name across scripts" in panel.text
    nothing = ui.post_form("/persons/similar", {"names.0.family_name": "Zzyzx"})
    assert "No similar records found so far." in nothing.text
    empty = ui.post_form("/persons/similar", {"birth_date": "1980"})
    assert empty.text.strip() == "" or "similar" not in empty.text.lower()


def test_form_panel_in_arabic_is_right_to_left(login):
    ui = login(Role.REGISTRAR)
    ui.post_form(
        "/persons/new",
        {"names.0.family_name": "محمد", "names.0.given_name": "أحمد", "birth_date": "1990"},
        follow_redirects=False,
    )
    form = ui.get("/persons/new", params={"lang": "ar"})
    assert 'dir="rtl"' in form.text and 'id="similar"' in form.text
    panel = ui.post_form(
        "/persons/similar",
        {"names.0.family_name": "Mohammed", "names.0.given_name": "Ahmad", "birth_date": "1990"},
    )
    assert panel.status_code == 200 and "محمد" in panel.text


def test_panel_needs_csrf(login):
    ui = login(Role.REGISTRAR)
    r = ui.post("/persons/similar", data={"names.0.family_name": "X"})
    assert r.status_code in (400, 403)
