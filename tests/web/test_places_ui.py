import re

from wayhome.core.vocab import PlaceType, Role
from wayhome.services import places
from wayhome.services.context import system_actor


def _place_id(location: str) -> str:
    match = re.fullmatch(r"/places/([0-9a-f-]+)", location)
    assert match, location
    return match.group(1)


def test_list_and_search_in_any_script(login, make):
    country = make.place("AZ", PlaceType.COUNTRY, name="Azərbaycan")
    make.place("AZ-SUS", PlaceType.SETTLEMENT, country.id, "Şuşa", extra_names=("Шуша", "Շուշի"))
    make.place("AZ-BAK", PlaceType.SETTLEMENT, country.id, "Bakı", extra_names=("Баку",))
    ui = login(Role.VIEWER)
    page = ui.get("/places")
    assert page.status_code == 200
    assert "Şuşa" in page.text and "Bakı" in page.text
    found = ui.get("/places", params={"q": "шуша"})
    assert "Şuşa" in found.text and "Bakı" not in found.text
    found = ui.get(
        "/places", params={"q": "Շուշի"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "Şuşa" in found.text and "Bakı" not in found.text
    assert "<html" not in found.text  # the partial only
    by_code = ui.get("/places", params={"q": "az-bak"})
    assert "Bakı" in by_code.text and "Şuşa" not in by_code.text
    by_type = ui.get("/places", params={"type": "country"})
    assert "Azərbaycan" in by_type.text and "Bakı" not in by_type.text
    inside = ui.get("/places", params={"parent_id": country.id})
    assert "Bakı" in inside.text and "<code>AZ</code>" not in inside.text


def test_create_with_names_in_three_scripts(login, make, wayhome):
    country = make.place("AM", PlaceType.COUNTRY, name="Hayastan")
    ui = login(Role.ANALYST)
    form = ui.get("/places/new")
    assert form.status_code == 200 and 'name="names.0.name"' in form.text
    r = ui.post_form(
        "/places/new",
        {
            "names.0.name": "Գորիս",
            "names.0.lang": "hy",
            "names.1.name": "Горис",
            "names.1.lang": "ru",
            "names.2.name": "Goris",
            "names.2.lang": "en",
            "names.3.name": "",
            "names.3.lang": "",
            "code": "am-sy-gor",
            "type": "settlement",
            "parent_id": country.id,
            "pp_q": "Hayastan (AM)",
            "lat": "39.5111",
            "lon": "46.3417",
            "population": "20000",
            "source": "census 2011",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    place_id = _place_id(r.headers["location"])
    stored = places.get_place(wayhome, system_actor(), place_id)
    assert [(n.name, n.lang, n.script) for n in stored.names] == [
        ("Գորիս", "hy", "Armn"),
        ("Горис", "ru", "Cyrl"),
        ("Goris", "en", "Latn"),
    ]
    assert (
        stored.code == "AM-SY-GOR" and stored.parent_id == country.id and stored.population == 20000
    )
    page = ui.get(r.headers["location"])
    assert page.status_code == 200
    for text in (
        "Գորիս",
        "Горис",
        "Goris",
        "Armn",
        "Cyrl",
        "AM-SY-GOR",
        "Hayastan",
        "countries-50m.geojson",
    ):
        assert text in page.text
    parent_page = ui.get(f"/places/{country.id}")
    assert "Գորիս" in parent_page.text  # listed among the places inside


def test_bad_latitude_is_reported_at_the_field(login, wayhome):
    ui = login(Role.ADMIN)
    r = ui.post_form(
        "/places/new",
        {"names.0.name": "Nowhere", "code": "XX", "type": "country", "lat": "95", "lon": "10"},
    )
    assert r.status_code == 422
    assert 'id="err-lat"' in r.text and "less than or equal to 90" in r.text
    assert 'value="Nowhere"' in r.text  # what was typed stays in the form
    assert places.search_places(wayhome, system_actor()).total == 0


def test_duplicate_code_and_wrong_parent_are_reported_at_the_field(login, make, wayhome):
    country = make.place("GE", PlaceType.COUNTRY, name="Sakartvelo")
    ui = login(Role.ADMIN)
    r = ui.post_form("/places/new", {"names.0.name": "Another", "code": "ge", "type": "country"})
    assert r.status_code == 422
    assert 'id="err-code"' in r.text and "the code GE is already used" in r.text
    settlement = make.place("GE-TB", PlaceType.SETTLEMENT, country.id, "Tbilisi")
    r = ui.post_form(
        "/places/new",
        {"names.0.name": "Region X", "code": "GE-RX", "type": "region", "parent_id": settlement.id},
    )
    assert r.status_code == 422
    assert "a region can only lie in: country" in r.text
    assert "Tbilisi (GE-TB)" in r.text  # the chosen parent is kept in the picker
    assert places.search_places(wayhome, system_actor()).total == 2


def test_edit_creates_version_2_in_history(login, make, wayhome):
    place = make.place("UA", PlaceType.COUNTRY, name="Ukraina")
    ui = login(Role.ANALYST)
    form = ui.get(f"/places/{place.id}/edit")
    assert form.status_code == 200 and 'name="version" value="1"' in form.text
    assert 'value="Ukraina"' in form.text
    r = ui.post_form(
        f"/places/{place.id}/edit",
        {
            "version": "1",
            "code": "UA",
            "type": "country",
            "names.0.name": "Україна",
            "names.0.lang": "uk",
            "names.1.name": "Ukraine",
            "names.1.lang": "en",
            "lat": "49",
            "lon": "32",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert places.get_place(wayhome, system_actor(), place.id).version == 2
    history = ui.get(f"/places/{place.id}/history")
    assert history.status_code == 200
    assert "Version 2" in history.text and "Version 1" in history.text and "Україна" in history.text
    stale = ui.post_form(
        f"/places/{place.id}/edit",
        {"version": "1", "code": "UA", "type": "country", "names.0.name": "Ukraina"},
    )
    assert stale.status_code == 409 and "changed by someone else" in stale.text


def test_viewer_cannot_add_or_edit(login, make):
    place = make.place("DM", PlaceType.COUNTRY)
    ui = login(Role.VIEWER)
    page = ui.get("/places")
    assert page.status_code == 200 and "New place" not in page.text
    detail = ui.get(f"/places/{place.id}")
    assert detail.status_code == 200 and f"/places/{place.id}/edit" not in detail.text
    assert ui.get("/places/new").status_code == 403
    assert ui.get(f"/places/{place.id}/edit").status_code == 403
    r = ui.post_form("/places/new", {"names.0.name": "X", "code": "X", "type": "country"})
    assert r.status_code == 403
    admin = login(Role.ADMIN)
    assert "New place" in admin.get("/places").text


def test_choices_returns_matching_places(login, make):
    country = make.place("AZ", PlaceType.COUNTRY, name="Azərbaycan")
    susa = make.place("AZ-SUS", PlaceType.SETTLEMENT, country.id, "Şuşa", extra_names=("Шуша",))
    ui = login(Role.REGISTRAR)
    r = ui.get("/places/choices", params={"target": "birth_place_id", "pp_q": "шуш"})
    assert r.status_code == 200
    assert f'data-place-id="{susa.id}"' in r.text
    assert 'data-target="birth_place_id"' in r.text and 'data-label="Şuşa (AZ-SUS)"' in r.text
    assert "Azərbaycan" in r.text  # the parent's name
    assert country.id not in r.text
    assert ui.get("/places/choices", params={"target": "x", "pp_q": ""}).text == ""
    assert (
        "No place matches" in ui.get("/places/choices", params={"target": "x", "pp_q": "zzz"}).text
    )


def test_map_page_and_geojson_by_bbox(login, make):
    country = make.place("AM", PlaceType.COUNTRY, name="Hayastan", lat=40.2, lon=44.5)
    make.place("AM-ER", PlaceType.SETTLEMENT, country.id, "Yerevan", lat=40.18, lon=44.51)
    make.place("FJ", PlaceType.COUNTRY, name="Fiji", lat=-17.7, lon=178.0)
    make.place("XX", PlaceType.COUNTRY, name="No point", lat=None, lon=None)
    ui = login(Role.VIEWER)
    page = ui.get("/map")
    assert page.status_code == 200
    assert "/static/vendor/world-atlas/countries-50m.geojson" in page.text
    assert "/static/vendor/leaflet/leaflet.js" in page.text and "/static/js/map.js" in page.text
    inside = ui.get("/places/map.geojson", params={"bbox": "43,39,46,41"}).json()
    assert sorted(f["properties"]["code"] for f in inside["features"]) == ["AM", "AM-ER"]
    only = ui.get(
        "/places/map.geojson", params={"bbox": "43,39,46,41", "type": "settlement"}
    ).json()
    assert [f["properties"]["code"] for f in only["features"]] == ["AM-ER"]
    across = ui.get("/places/map.geojson", params={"bbox": "170,-30,190,0"}).json()  # past 180°
    assert [f["properties"]["code"] for f in across["features"]] == ["FJ"]
    everything = ui.get("/places/map.geojson").json()
    assert len(everything["features"]) == 3 and everything["truncated"] is False
    assert ui.get("/places/map.geojson", params={"bbox": "a,b"}).status_code == 422
    popup = ui.get(f"/places/{country.id}/popup")
    assert "Hayastan" in popup.text and f"/places/{country.id}" in popup.text


def test_name_row_and_login_required(login, anon):
    assert anon.get("/places", follow_redirects=False).status_code == 303
    assert anon.get("/places/map.geojson", follow_redirects=False).status_code == 303
    ui = login(Role.ANALYST)
    row = ui.get("/places/names/row", params={"i": 3})
    assert 'name="names.3.name"' in row.text and 'name="names.3.lang"' in row.text
