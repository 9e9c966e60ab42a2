from wayhome.core.vocab import PlaceType, Role


def test_register_find_and_history(login):
    ui = login(Role.REGISTRAR)
    r = ui.post_form(
        "/persons/new",
        {
            "names.0.kind": "primary",
            "names.0.family_name": "Мамедов",
            "names.0.given_name": "Али",
            "names.0.patronymic": "Гасанович",
            "sex": "M",
            "birth_date": "1957",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    page = ui.get(url)
    assert "Мамедов" in page.text and "Cyrl" in page.text
    found = ui.get("/persons", params={"q": "мамедов али"})
    assert url in found.text
    hist = ui.get(url + "/history")
    assert "Version 1" in hist.text


def test_bad_date_shows_error_at_field(login):
    ui = login(Role.REGISTRAR)
    r = ui.post_form("/persons/new", {"names.0.family_name": "X", "birth_date": "1957-13"})
    assert r.status_code == 422
    assert "month 13 is not between 1 and 12" in r.text


def test_login_required(anon):
    r = anon.get("/persons", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_csrf_required(login):
    ui = login(Role.REGISTRAR)
    r = ui.post("/persons/new", data={"names.0.family_name": "X"})
    assert r.status_code == 403


def test_history_shows_places_and_names_readably(login, make):
    ui = login(Role.REGISTRAR)
    country = make.place()
    town = make.place("DM01", PlaceType.SETTLEMENT, country.id, "Ахурян")
    r = ui.post_form(
        "/persons/new",
        {
            "names.0.family_name": "Սարգսյան",
            "names.0.given_name": "Արամ",
            "birth_place_id": town.id,
        },
        follow_redirects=False,
    )
    history = ui.get(r.headers["location"] + "/history").text
    assert "Ахурян (DM01)" in history
    assert town.id not in history
    assert "Սարգսյան Արամ" in history
