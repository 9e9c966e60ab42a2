"""Blocking keeps the cross-script variants of one person together."""

from __future__ import annotations

import itertools

import pandas as pd

from tests.linkage.conftest import people_frame
from wayhome.linkage.blocking import RULES, block, rules_for
from wayhome.linkage.engines.duckdb_engine import DuckDBEngine
from wayhome.linkage.features import prepare
from wayhome.linkage.records import load_records


def candidate_pairs(frame: pd.DataFrame, **options) -> tuple[set[tuple[str, str]], object]:
    features = prepare(load_records(frame), workers=1)
    with DuckDBEngine() as engine:
        engine.load("features", features.table)
        report = block(engine, "features", records=len(frame), **options)
        pairs = engine.fetch("SELECT l, r FROM pairs").to_pandas()
    ids = features.ids
    found = {tuple(sorted((ids[a], ids[b]))) for a, b in zip(pairs.l, pairs.r, strict=True)}
    return found, report


def test_every_variant_pair_is_a_candidate():
    frame = people_frame()
    found, report = candidate_pairs(frame.drop(columns="person"))
    for _, group in frame.groupby("person"):
        for a, b in itertools.combinations(sorted(group["id"]), 2):
            assert (a, b) in found, (a, b)
    assert report.pairs == len(found)
    assert [r["rule"] for r in report.rules] == [rule.name for rule in RULES]
    assert "candidate pairs" in str(report)


def test_issue_examples_family_name_only_variants():
    frame = pd.DataFrame(
        [
            ("1", "Əli", "Məmmədov", "Həsən oğlu", "1957"),
            ("2", "Али", "Мамедов", "Гасанович", "1957"),
            ("3", "ALI", "MAMEDOV", "", "1957"),
            ("4", "", "Mammadof", "", "1957"),
            ("5", "Արամ", "Սարգսյան", "", "1971"),
            ("6", "Aram", "Sargsyan", "", "1971"),
            ("7", "Aram", "Sarkisyan", "", "1971"),
            ("8", "Арам", "Саркисян", "", "1971"),
        ],
        columns=["id", "given_name", "family_name", "patronymic", "birth_date"],
    )
    found, _ = candidate_pairs(frame)
    for group in (["1", "2", "3", "4"], ["5", "6", "7", "8"]):
        for pair in itertools.combinations(group, 2):
            assert pair in found, pair
    assert ("1", "5") not in found


def test_aliases_are_blocked_too():
    frame = pd.DataFrame(
        [
            {
                "id": "x",
                "given_name": "Leyla",
                "family_name": "Həsənova",
                "birth_date": "1980",
                "names": "Quliyeva Leyla Rauf qızı",
            },
            {"id": "y", "given_name": "Лейла", "family_name": "Кулиева", "birth_date": "1980"},
        ]
    )
    found, _ = candidate_pairs(frame)
    assert ("x", "y") in found


def test_big_blocks_are_dropped_and_reported():
    rows = [(str(i), "Ali", "Mammadov", "", "1957") for i in range(30)]
    frame = pd.DataFrame(
        rows, columns=["id", "given_name", "family_name", "patronymic", "birth_date"]
    )
    found, report = candidate_pairs(frame, max_block_pairs=100)
    assert not found
    assert sum(r["dropped_blocks"] for r in report.rules) >= 2


def test_birth_place_pairs_records_with_a_wrong_or_missing_date():
    frame = pd.DataFrame(
        [
            # a year typed wrong and a typo in the family name: same given name and birth place
            ("1", "Лия", "Мелазе", "", "1968-04-05", "Сарухан"),
            ("2", "ლია", "მელაძე", "", "1967-04-05", "Sarukhan"),
            # no date at all, typos in both names: the halves of both and the birth place
            ("3", "Petro", "Kravchenko", "Ihorovych", "", "Ozurgeti"),
            ("4", "Petrro", "Kravenko", "", "1943-11-27", "Озургети"),
        ],
        columns=["id", "given_name", "family_name", "patronymic", "birth_date", "birth_place"],
    )
    found, _ = candidate_pairs(frame)
    assert ("1", "2") in found
    assert ("3", "4") in found
    assert ("1", "3") not in found


def test_big_blocks_are_split_into_sub_blocks():
    """A block too big to use whole (one common name, years all over) still pairs the records
    that also share a birth decade."""
    rows = []
    for i in range(10):
        for j, year in enumerate((1900 + 20 * i, 1901 + 20 * i)):
            rows.append((f"{i}-{j}", "Ali", "Mammadov", "", str(year)))
    frame = pd.DataFrame(
        rows, columns=["id", "given_name", "family_name", "patronymic", "birth_date"]
    )
    found, report = candidate_pairs(frame, max_block_pairs=100)
    assert found == {(f"{i}-0", f"{i}-1") for i in range(10)}
    rules = {r["rule"]: r for r in report.rules}
    assert rules["family+given"]["dropped_blocks"] == 1
    assert rules["sub-blocks by birth decade"]["pairs"] >= 10


def test_typos_in_both_names_meet_by_birth_year_and_place():
    (rule,) = [r for r in RULES if r.name == "family_typo+given_typo+birth_year+birth_place"]
    frame = pd.DataFrame(
        [
            ("1", "Hasan", "Nasirov", "2015-06-25", "Füzuli"),
            ("2", "Haasn", "Nasriov", "2015-06", "Füzuli"),  # a typo in each name
            ("3", "Hasqn", "Nasirow", "2015", "Lerik"),  # the same, born elsewhere
            ("4", "Hasan", "Nasirov", "2016", "Füzuli"),  # another year
        ],
        columns=["id", "given_name", "family_name", "birth_date", "birth_place"],
    )
    found, report = candidate_pairs(frame, rules=(rule,))
    assert found == {("1", "2")}
    assert report.rules[0]["rule"] == rule.name and report.rules[0]["pairs"] == 1


def test_each_pass_has_its_rules():
    first = [r.name for r in rules_for(("source",))]
    profiles = [r.name for r in rules_for(("source",), first_pass=False)]
    # the rule with most keys blocks only the records left alone against the profiles
    assert "family_typo+given_typo+birth_year+birth_place" in profiles
    assert "family_typo+given_typo+birth_year+birth_place" not in first
    # big-block pairs of names only, or a name and a year, only in the first pass
    for name in ("family+birth_year", "given+father", "family+father"):
        assert name in first and name not in profiles
    assert set(first) | set(profiles) == {r.name for r in RULES} | {"source"}
    assert first[-1] == profiles[-1] == "source"
