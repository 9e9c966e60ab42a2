"""ORDER BY a name in the reader's language: the same order on SQLite and PostgreSQL, and the
same as the Python sort keys (core/collation.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wayhome.core.collation import name_sort_key
from wayhome.core.vocab import PlaceType
from wayhome.store.collation import by_name, collation_name
from wayhome.store.tables import Place

NAMES = ["Ёлкино", "Zərdab", "Абрамово", "Əhmədli", "Ежово", "emirli", "Şəki", "إبراهيم", "أحمد"]


@pytest.mark.parametrize("lang", ["en", "ru", "ar", "az"])
def test_sql_order_is_the_language_order(wayhome, make, lang: str) -> None:
    for i, name in enumerate(NAMES):
        make.place(f"P{i}", PlaceType.COUNTRY, name=name)
    query = select(Place.display_name).order_by(by_name(Place.display_name, lang), Place.code)
    with wayhome.read() as session:
        in_sql = list(session.scalars(query))
    assert in_sql == sorted(NAMES, key=name_sort_key(lang))
    assert in_sql.index("Ежово") < in_sql.index("Ёлкино")
    assert in_sql.index("emirli") < in_sql.index("Əhmədli") < in_sql.index("Zərdab")


def test_without_a_language_the_order_stays_by_code_point(wayhome, make) -> None:
    for i, name in enumerate(NAMES):
        make.place(f"P{i}", PlaceType.COUNTRY, name=name)
    query = select(Place.display_name).order_by(by_name(Place.display_name, None))
    with wayhome.read() as session:
        assert list(session.scalars(query)) == sorted(NAMES)


def test_collation_names_are_checked_not_passed_through() -> None:
    assert collation_name("ru") == "ru-x-icu"
    assert collation_name("az-Latn-AZ") == "az-x-icu"
    assert collation_name("xx") == "und-x-icu"  # no registered collation: Unicode default order
    assert collation_name('ru" ; drop table persons; --') == "und-x-icu"
    assert collation_name(None) == "und-x-icu"
