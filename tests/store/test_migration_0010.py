"""Migration 0010 rebuilds the search index with the name keys of rules 3 (Эльчин keeps its
first syllable; Elçin = Эльчин), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from tests.store.test_migration_0009 import _index, _move
from wayhome.core.vocab import Role
from wayhome.services import persons, search_index, similar
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables_search import NameKeyCount, PersonMatchFeatures, PersonNameKey


def test_0010_rebuilds_the_index_of_stored_persons(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    for family, given in (("Аббасов", "Эльчин"), ("Abbasov", "Elçin"), ("Əliyev", "İlham")):
        persons.register_person(
            wayhome,
            actor,
            parse_input(PersonInput, {"names": [{"family_name": family, "given_name": given}]}),
        )
    written = _index(wayhome)

    _move(wayhome, "0009", down=True)
    with wayhome.transaction() as session:  # an index as an older release left it
        session.execute(delete(PersonNameKey))
        session.execute(delete(NameKeyCount))
        session.execute(update(PersonMatchFeatures).values(rules=2))
    search_index.forget_counts()
    typed = parse_input(similar.SimilarQuery, {"family_name": "Аббасов", "given_name": "Эльчин"})
    assert similar.similar_persons(wayhome, actor, typed) == []

    _move(wayhome, "head")
    assert _index(wayhome) == written
    with wayhome.read() as session:
        assert set(session.scalars(select(PersonMatchFeatures.rules))) == {search_index.RULES}
    search_index.forget_counts()
    found = similar.similar_persons(wayhome, actor, typed)
    assert len(found) == 2  # both spellings of Elçin Abbasov, and not İlham Əliyev
    for match in found:
        given = next(f for f in match.fields if f.field == "given_name")
        assert given.level == "given_names_share_key", (match.person.id, given)
