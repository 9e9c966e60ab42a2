"""Persons, places and heritage sites are listed by name in the interface language's order
(ICU, in SQL: store/collation.py), not by code point."""

from __future__ import annotations

from wayhome.core.vocab import PlaceType, Role
from wayhome.services import heritage, persons
from wayhome.services.heritage_inputs import HeritageSiteInput
from wayhome.services.inputs import PersonInput, parse_input

CYRILLIC = ["Абрамов", "Ежов", "Ёлкин"]  # by code point Ё (U+0401) comes before А
LATIN = ["Emin", "Əliyev", "Zeynalov"]  # by code point Ə (U+018F) comes after Z


def _order(ui, url: str, lang: str, names: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    html = ui.get(url, params={"lang": lang}).text
    assert all(n in html for n in names), url
    return sorted(names, key=html.index)


def _check(ui, url: str) -> None:  # type: ignore[no-untyped-def]
    names = LATIN + CYRILLIC
    assert _order(ui, url, "ru", names) == CYRILLIC + LATIN  # a Russian reader: Cyrillic first
    assert _order(ui, url, "en", names) == LATIN + CYRILLIC
    assert _order(ui, url, "ar", names) == LATIN + CYRILLIC


def test_persons_list(login, wayhome, make) -> None:
    registrar = make.actor(Role.REGISTRAR)
    for name in ["Ёлкин", "Zeynalov", "Абрамов", "Əliyev", "Ежов", "Emin"]:
        data = {"names": [{"family_name": name}]}
        persons.register_person(wayhome, registrar, parse_input(PersonInput, data))
    _check(login(Role.REGISTRAR), "/persons")


def test_places_list(login, make) -> None:
    for i, name in enumerate(["Ёлкин", "Zeynalov", "Абрамов", "Əliyev", "Ежов", "Emin"]):
        make.place(f"C{i}", PlaceType.COUNTRY, name=name)
    _check(login(Role.VIEWER), "/places")


def test_heritage_sites_list(login, wayhome, make) -> None:
    analyst = make.actor(Role.ANALYST)
    for name in ["Ёлкин", "Zeynalov", "Абрамов", "Əliyev", "Ежов", "Emin"]:
        body = {"type": "cemetery", "names": [{"name": name}], "lat": 40.0, "lon": 45.0}
        heritage.create_site(wayhome, analyst, parse_input(HeritageSiteInput, body))
    _check(login(Role.ANALYST), "/heritage-sites")
