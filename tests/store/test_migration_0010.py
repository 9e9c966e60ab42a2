"""Migration 0010 rebuilds the search index with the name keys of rules 3 (Эльчин keeps its
first syllable; Elçin = Эльчин), on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.store.rules_migration import check_rebuild


def test_0010_rebuilds_the_index_of_stored_persons(wayhome, make):
    found = check_rebuild(
        wayhome,
        make,
        names=(("Аббасов", "Эльчин"), ("Abbasov", "Elçin"), ("Əliyev", "İlham")),
        before="0009",
        old_rules=2,
        query={"family_name": "Аббасов", "given_name": "Эльчин"},
    )
    assert len(found) == 2  # both spellings of Elçin Abbasov, and not İlham Əliyev
    for match in found:
        given = next(f for f in match.fields if f.field == "given_name")
        assert given.level == "given_names_share_key", (match.person.id, given)
