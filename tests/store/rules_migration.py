"""A migration that follows a change of the name rules rebuilds the stored search index: the
check shared by the tests of migrations 0010 and 0012."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from tests.store.test_migration_0009 import _index, _move
from wayhome.core.vocab import Role
from wayhome.services import persons, search_index, similar
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables_search import NameKeyCount, PersonMatchFeatures, PersonNameKey


def check_rebuild(
    wayhome,
    make,
    *,
    names: tuple[tuple[str, str], ...],
    before: str,
    old_rules: int,
    query: dict[str, str],
) -> list[similar.SimilarPerson]:
    """Register persons by (family, given) ``names``, leave the index as a release of
    ``old_rules`` left it at revision ``before`` (``query`` then finds nothing), upgrade to head
    and check that the index equals a fresh one. Returns what ``query`` finds then."""
    actor = make.actor(Role.REGISTRAR)
    for family, given in names:
        persons.register_person(
            wayhome,
            actor,
            parse_input(PersonInput, {"names": [{"family_name": family, "given_name": given}]}),
        )
    written = _index(wayhome)

    _move(wayhome, before, down=True)
    with wayhome.transaction() as session:  # an index as an older release left it
        session.execute(delete(PersonNameKey))
        session.execute(delete(NameKeyCount))
        session.execute(update(PersonMatchFeatures).values(rules=old_rules))
    search_index.forget_counts()
    typed = parse_input(similar.SimilarQuery, query)
    assert similar.similar_persons(wayhome, actor, typed) == []

    _move(wayhome, "head")
    assert _index(wayhome) == written
    with wayhome.read() as session:
        assert set(session.scalars(select(PersonMatchFeatures.rules))) == {search_index.RULES}
    search_index.forget_counts()
    return similar.similar_persons(wayhome, actor, typed)
