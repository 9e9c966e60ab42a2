"""Migration 0012 rebuilds the search index with the name keys of rules 4 (Олійник = Олейник),
on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.store.rules_migration import check_rebuild


def test_0012_rebuilds_the_index_of_stored_persons(wayhome, make):
    found = check_rebuild(
        wayhome,
        make,
        names=(("Олійник", "Олександр"), ("Oliinyk", "Oleksandr"), ("Олешко", "Олег")),
        before="0011",
        old_rules=3,
        query={"family_name": "Олейник", "given_name": "Александр"},
    )
    assert "Олійник Олександр" in {m.person.display_name for m in found}
    for match in found:
        family = next(f for f in match.fields if f.field == "family_name")
        assert family.level == "family_names_share_key", (match.person.display_name, family)
