"""Every comparison level, evaluated in DuckDB on two prepared records."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from wayhome.linkage import comparisons as C
from wayhome.linkage.engines.base import Dialect, SparkDialect
from wayhome.linkage.features import prepare
from wayhome.linkage.records import load_records


def holds(level, a: dict, b: dict) -> bool:
    """Whether ``level`` holds for records a and b (other fields empty)."""
    frame = pd.DataFrame([{"id": "a", **a}, {"id": "b", **b}])
    feats = prepare(load_records(frame), workers=1).table  # noqa: F841 - used by DuckDB
    con = duckdb.connect()
    sql = f"SELECT {level(Dialect())} FROM feats l, feats r WHERE l.rid = 0 AND r.rid = 1"
    value = con.execute(sql).fetchone()[0]
    return bool(value)


CASES = [
    # level, a, b, expected
    (C.family_names_share_key, {"family_name": "Мамедов"}, {"family_name": "Məmmədov"}, True),
    (C.family_names_share_key, {"family_name": "Sargsyan"}, {"family_name": "Саркисян"}, True),
    (C.family_names_share_key, {"family_name": "Мамедов"}, {"family_name": "Алиев"}, False),
    (C.family_names_sound_alike, {"family_name": "Mamedov"}, {"family_name": "Mammadof"}, True),
    (C.family_names_sound_alike, {"family_name": "Mamedov"}, {"family_name": "Petrov"}, False),
    (C.family_names_same_stem, {"family_name": "Aliyeva"}, {"family_name": "Алиев"}, True),
    (C.family_names_same_stem, {"family_name": "Aliyeva"}, {"family_name": "Petrova"}, False),
    (C.family_names_one_edit_apart, {"family_name": "Petrov"}, {"family_name": "Petrkov"}, True),
    (C.family_names_one_edit_apart, {"family_name": "Petrov"}, {"family_name": "Petrenko"}, False),
    (C.family_names_two_edits_apart, {"family_name": "Petrov"}, {"family_name": "Pertova"}, False),
    (C.family_names_two_edits_apart, {"family_name": "Petrov"}, {"family_name": "Petrova"}, True),
    (C.family_name_missing, {"family_name": ""}, {"family_name": "Petrov"}, True),
    (C.family_name_missing, {"family_name": "Petrov"}, {"family_name": "Petrov"}, False),
    (C.given_names_share_key, {"given_name": "Али"}, {"given_name": "Əli"}, True),
    (C.given_names_share_key, {"given_name": "Oleksandr"}, {"given_name": "Александр"}, True),
    (C.given_names_share_key, {"given_name": "Ali"}, {"given_name": "Leyla"}, False),
    (C.given_names_sound_alike, {"given_name": "Rashid"}, {"given_name": "Rasheed"}, True),
    (C.given_names_sound_alike, {"given_name": "Rashid"}, {"given_name": "Samir"}, False),
    (C.given_names_one_edit_apart, {"given_name": "Tamara"}, {"given_name": "Tamra"}, True),
    (C.given_names_one_edit_apart, {"given_name": "Tamara"}, {"given_name": "Samira"}, False),
    (C.given_names_two_edits_apart, {"given_name": "Gunel"}, {"given_name": "Gunle"}, True),
    (C.given_names_two_edits_apart, {"given_name": "Ali"}, {"given_name": "Eva"}, False),
    (C.given_name_is_initial_of_other, {"given_name": "A."}, {"given_name": "Ali"}, True),
    (C.given_name_is_initial_of_other, {"given_name": "B."}, {"given_name": "Ali"}, False),
    (C.given_name_missing, {"given_name": ""}, {"given_name": "Ali"}, True),
    (C.fathers_names_share_key, {"patronymic": "Гасанович"}, {"patronymic": "Həsən oğlu"}, True),
    (C.fathers_names_share_key, {"patronymic": "Վարդանի"}, {"patronymic": "Варданович"}, True),
    (C.fathers_names_share_key, {"patronymic": "Гасанович"}, {"patronymic": "Иванович"}, False),
    (
        C.fathers_names_sound_alike,
        {"patronymic": "Rashidovich"},
        {"patronymic": "Rasheed oglu"},
        True,
    ),
    (
        C.fathers_names_one_edit_apart,
        {"patronymic": "Petrovich"},
        {"patronymic": "Petrovch"},
        False,
    ),
    (
        C.fathers_names_one_edit_apart,
        {"patronymic": "Tamazovich"},
        {"patronymic": "Tamzovich"},
        True,
    ),
    (C.fathers_name_missing, {"patronymic": ""}, {"patronymic": "Petrovich"}, True),
    (C.patronymics_nearly_equal, {"patronymic": "Tamazovna"}, {"patronymic": "Tamazovan"}, True),
    (C.patronymics_nearly_equal, {"patronymic": "Tamazovna"}, {"patronymic": "Davidovna"}, False),
    (C.birth_dates_equal, {"birth_date": "1957-03-12"}, {"birth_date": "1957-03-12"}, True),
    (C.birth_dates_equal, {"birth_date": "1957-03-12"}, {"birth_date": "1957-03"}, False),
    (C.birth_dates_equal, {"birth_date": "1957"}, {"birth_date": "1957"}, False),
    (
        C.birth_dates_day_month_swapped,
        {"birth_date": "1957-03-12"},
        {"birth_date": "1957-12-03"},
        True,
    ),
    (
        C.birth_dates_day_month_swapped,
        {"birth_date": "1957-03-03"},
        {"birth_date": "1957-03-03"},
        False,
    ),
    (
        C.birth_dates_day_month_swapped,
        {"birth_date": "1957-03-12"},
        {"birth_date": "1958-12-03"},
        False,
    ),
    (C.birth_year_and_month_equal, {"birth_date": "1957-03-12"}, {"birth_date": "1957-03"}, True),
    (C.birth_year_and_month_equal, {"birth_date": "1957-03"}, {"birth_date": "1957-03"}, True),
    (C.birth_year_and_month_equal, {"birth_date": "1957-03"}, {"birth_date": "1957-04"}, False),
    (C.birth_dates_day_differs, {"birth_date": "1957-03-11"}, {"birth_date": "1957-03-12"}, True),
    (C.birth_dates_day_differs, {"birth_date": "1957-03"}, {"birth_date": "1957-03-12"}, False),
    (
        C.birth_dates_year_off_by_one,
        {"birth_date": "1958-03-12"},
        {"birth_date": "1957-03-12"},
        True,
    ),
    (
        C.birth_dates_year_off_by_one,
        {"birth_date": "1959-03-12"},
        {"birth_date": "1957-03-12"},
        False,
    ),
    (C.birth_dates_year_off_by_one, {"birth_date": "1958"}, {"birth_date": "1957-03-12"}, False),
    (C.birth_precision_compatible, {"birth_date": "1957"}, {"birth_date": "1957-03-12"}, True),
    (C.birth_precision_compatible, {"birth_date": "1957"}, {"birth_date": "1957"}, True),
    (C.birth_precision_compatible, {"birth_date": "1957-04"}, {"birth_date": "1957-03-12"}, False),
    (C.birth_precision_compatible, {"birth_date": "1958"}, {"birth_date": "1957-03-12"}, False),
    (C.birth_years_equal, {"birth_date": "1957-04-01"}, {"birth_date": "1957-03-12"}, True),
    (C.birth_year_within_1, {"birth_date": "1958"}, {"birth_date": "1957-03-12"}, True),
    (C.birth_year_within_1, {"birth_date": "1959"}, {"birth_date": "1957-03-12"}, False),
    (C.birth_year_within_5, {"birth_date": "1962"}, {"birth_date": "1957-03-12"}, True),
    (C.birth_year_within_5, {"birth_date": "1963"}, {"birth_date": "1957-03-12"}, False),
    (C.birth_date_missing, {"birth_date": ""}, {"birth_date": "1957"}, True),
    (C.sexes_equal, {"sex": "F"}, {"sex": "f"}, True),
    (C.sexes_equal, {"sex": "F"}, {"sex": "M"}, False),
    (C.sex_missing, {"sex": ""}, {"sex": "M"}, True),
    # sex implied by the patronymic or the surname form when the column is empty
    (C.sexes_equal, {"sex": "", "patronymic": "Гасановна"}, {"sex": "F"}, True),
    (C.sexes_equal, {"sex": "", "family_name": "Aliyeva"}, {"sex": "F"}, True),
    (C.birth_places_share_key, {"birth_place": "Gyumri"}, {"birth_place": "Гюмри"}, True),
    (C.birth_places_share_key, {"birth_place": "Gyumri"}, {"birth_place": "Tbilisi"}, False),
    (C.birth_places_share_key, {"birth_place": "DM0101"}, {"birth_place": "DM0102"}, False),
    (C.birth_places_sound_alike, {"birth_place": "Sheki"}, {"birth_place": "Şəki"}, True),
    (C.birth_places_nearly_equal, {"birth_place": "Jrvezh"}, {"birth_place": "Jrvezr"}, True),
    (C.birth_places_nearly_equal, {"birth_place": "Jrvezh"}, {"birth_place": "Gyumri"}, False),
    (C.birth_place_missing, {"birth_place": ""}, {"birth_place": "Gyumri"}, True),
]


@pytest.mark.parametrize(
    ("level", "a", "b", "expected"), CASES, ids=lambda x: getattr(x, "__name__", None)
)
def test_level(level, a, b, expected):
    assert holds(level, a, b) is expected
    assert holds(level, b, a) is expected  # every level is symmetric


def test_every_level_is_tested_and_explained():
    tested = {case[0] for case in CASES}
    for comparison in C.COMPARISONS:
        for level in (comparison.missing, *comparison.levels[:-1]):
            assert level in tested, level.__name__
        for level in (comparison.missing, *comparison.levels):
            text = C.explain(level)
            assert text and "\n" not in text
            assert level(Dialect()) and level(SparkDialect())


def test_levels_are_ordered_best_first():
    frame = pd.DataFrame(
        [
            {"id": "a", "family_name": "Мамедов", "birth_date": "1957-03-12"},
            {"id": "b", "family_name": "Məmmədov", "birth_date": "1957-12-03"},
        ]
    )
    feats = prepare(load_records(frame), workers=1).table  # noqa: F841
    con = duckdb.connect()
    expressions = ", ".join(c.level_sql(Dialect()) for c in C.COMPARISONS)
    row = con.execute(
        f"SELECT {expressions} FROM feats l, feats r WHERE l.rid=0 AND r.rid=1"
    ).fetchone()
    levels = dict(zip([c.field for c in C.COMPARISONS], row, strict=True))
    assert levels["family_name"] == 0  # shares a key (also sounds alike: the first level wins)
    assert levels["birth_date"] == 1  # day/month swapped
    assert levels["given_name"] == -1  # missing


WORDS = [
    "",
    "a",
    "ab",
    "abc",
    "mamedov",
    "mamedof",
    "mammadov",
    "memmedova",
    "aliyev",
    "aliev",
    "é",
    "e",
    "éé",
    "ee",
    "ეგ",
    "ეგო",
    "sargsyan",
    "sarkisian",
    "x" * 12,
    "y" * 9,
]


@pytest.mark.parametrize("edits", [1, 2])
def test_within_edits_is_the_levenshtein_distance_test_with_a_length_shortcut(edits):
    con = duckdb.connect()
    con.execute("CREATE TABLE w (t VARCHAR)")
    con.executemany("INSERT INTO w VALUES (?)", [(w,) for w in WORDS])
    test = Dialect().within_edits("a.t", "b.t", edits)
    differ = con.execute(
        f"SELECT a.t, b.t FROM w a, w b WHERE ({test}) <> (levenshtein(a.t, b.t) <= {edits})"
    ).fetchall()
    assert differ == []
    cut = con.execute(f"SELECT count(*) FROM w a, w b WHERE NOT ({test})").fetchone()[0]
    assert cut > 0
