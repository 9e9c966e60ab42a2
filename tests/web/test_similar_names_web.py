"""Search before register over HTTP with several names: repeated ``name`` parameters in the API,
every name row of the new-person form in the panel."""

from __future__ import annotations

from wayhome.core.vocab import Role

P = "/api/v1"
# synthetic: registered under the maiden name; the registrar types the married name first
LEYLA = {
    "names": [{"family_name": "Həsənova", "given_name": "Leyla", "patronymic": "Rauf qızı"}],
    "sex": "F",
    "birth_date": "1980-05-02",
    "birth_place_text": "Şəki",
}


def test_api_searches_every_name_given(api):
    client = api(Role.REGISTRAR)
    created = client.post(f"{P}/persons", json=LEYLA)
    assert created.status_code == 201, created.text
    married = {"family_name": "Quliyeva", "given_name": "Leyla", "birth_date": "1980"}
    alone = client.get(f"{P}/persons/similar", params=married).json()
    assert all(hit["match_probability"] < 0.5 for hit in alone)

    r = client.get(
        f"{P}/persons/similar", params={**married, "name": ["Zzyzx", "Гасанова|Лейла|Рауфовна"]}
    )
    assert r.status_code == 200, r.text
    hit = r.json()[0]
    assert hit["person"]["id"] == created.json()["id"]
    assert hit["match_probability"] > 0.9 and hit["query_name"] == 2
    by_field = {e["field"]: e for e in hit["explanation"]}
    assert by_field["family_name"]["level"] == "family_names_share_key"

    # names alone, a part left empty: given name only in the second part
    r = client.get(
        f"{P}/persons/similar", params={"name": ["Гасанова|Лейла", "|Leyla"], "birth_date": "1980"}
    )
    assert r.json()[0]["person"]["id"] == created.json()["id"]
    assert r.json()[0]["query_name"] == 0


def test_api_refuses_bad_names_by_position(api):
    client = api(Role.VIEWER)
    r = client.get(f"{P}/persons/similar", params={"name": ["A|B", "A|B|C|D"]})
    assert r.status_code == 422
    [error] = r.json()["detail"]
    assert error["loc"] == ["query", "name", 1]
    assert "family|given|patronymic" in error["msg"]
    r = client.get(f"{P}/persons/similar", params={"name": ["X", "|" + "y" * 121]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "name", 1, "given_name"]
    r = client.get(f"{P}/persons/similar", params={"name": [f"N{i}" for i in range(10)]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "name"]


def test_api_one_name_as_before(api):
    client = api(Role.REGISTRAR)
    created = client.post(f"{P}/persons", json=LEYLA).json()
    r = client.get(
        f"{P}/persons/similar", params={"family_name": "Гасанова", "given_name": "Лейла"}
    )
    [hit] = r.json()
    assert hit["person"]["id"] == created["id"] and hit["query_name"] == 0


def test_form_panel_searches_every_name_row(login):
    ui = login(Role.REGISTRAR)
    r = ui.post_form(
        "/persons/new",
        {
            "names.0.kind": "primary",
            "names.0.family_name": "Həsənova",
            "names.0.given_name": "Leyla",
            "sex": "F",
            "birth_date": "1980-05-02",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    url = r.headers["location"]
    first_only = {"names.0.family_name": "Quliyeva", "names.0.given_name": "Leyla"}
    assert f'href="{url}"' not in ui.post_form("/persons/similar", first_only).text
    panel = ui.post_form(
        "/persons/similar",
        {
            **first_only,
            "names.1.family_name": "",  # a blank row in between is skipped
            "names.2.kind": "maiden",
            "names.2.family_name": "Гасанова",
            "names.2.given_name": "Лейла",
            "names.3.family_name": "x" * 200,  # not valid (yet): left out, not refused
            "birth_date": "1980",
        },
    )
    assert panel.status_code == 200
    assert f'href="{url}"' in panel.text
    assert "Closest to the name typed: Гасанова Лейла" in panel.text
    one = ui.post_form(
        "/persons/similar", {"names.0.family_name": "Гасанова", "names.0.given_name": "Лейла"}
    )
    assert f'href="{url}"' in one.text and "Closest to the name typed" not in one.text
