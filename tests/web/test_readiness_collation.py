"""The readiness list sorts settlement names in the order of the interface language (ICU)."""

from __future__ import annotations

from wayhome.core.vocab import PlaceType, Role


def test_readiness_list_sorts_names_as_the_reader_expects(login, make) -> None:
    country = make.place("DM", PlaceType.COUNTRY)
    names = ["Ёлкино", "Абрамово", "Ежово", "Əhmədli", "Zərdab", "Emirli"]
    for i, name in enumerate(names):
        make.place(f"S{i}", PlaceType.SETTLEMENT, parent_id=country.id, name=name, lon=45 + i)
    ui = login(Role.VIEWER)

    def order(lang: str) -> list[str]:
        html = ui.get("/readiness", params={"sort": "name", "lang": lang}).text
        assert all(n in html for n in names)
        return sorted(names, key=html.index)

    # Ё is sorted with Е (code points put Ё before А); a Russian reader gets Cyrillic first,
    # an English one Latin first
    assert order("ru")[:3] == ["Абрамово", "Ежово", "Ёлкино"]
    assert order("en")[3:] == ["Абрамово", "Ежово", "Ёлкино"]
    # in every interface language Ə is read as a letter after E (code points put it after Z)
    for lang in ("en", "ru", "ar"):
        latin = [n for n in order(lang) if n.isascii() or "ə" in n.lower()]
        assert latin == ["Emirli", "Əhmədli", "Zərdab"], lang
