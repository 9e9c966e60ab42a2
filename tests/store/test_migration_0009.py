"""Migration 0009 gives the persons already indexed the typo postings of search before
register (and its downgrade takes them away), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, update

from wayhome.core.vocab import Role
from wayhome.services import persons, search_index, similar
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store import migrate
from wayhome.store.tables_search import NameKeyCount, PersonMatchFeatures, PersonNameKey

TYPO = ("dg", "fd")


def _move(wayhome, revision: str, down: bool = False) -> None:
    engine = wayhome.engine
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _index(wayhome) -> tuple[set[tuple[str, str, str]], dict[tuple[str, str], int]]:
    with wayhome.read() as session:
        postings = set(
            session.execute(select(PersonNameKey.kind, PersonNameKey.key, PersonNameKey.person_id))
        )
        counts = {
            (kind, key): n
            for kind, key, n in session.execute(
                select(NameKeyCount.kind, NameKeyCount.key, NameKeyCount.persons)
            )
            if n
        }
    return {tuple(p) for p in postings}, counts


def test_0009_adds_the_typo_postings_of_stored_persons(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    for family, given in (("Нврузов", "Рамиль"), ("Novruzov", "Ramil"), ("Պետրոսյան", "Արամ")):
        persons.register_person(
            wayhome,
            actor,
            parse_input(PersonInput, {"names": [{"family_name": family, "given_name": given}]}),
        )
    archived = persons.register_person(
        wayhome,
        actor,
        parse_input(PersonInput, {"names": [{"family_name": "Aliyev", "given_name": "Rashad"}]}),
    )
    persons.set_archived(wayhome, actor, archived.id, True)
    written = _index(wayhome)
    assert any(kind in TYPO for kind, _, _ in written[0])

    _move(wayhome, "0008", down=True)
    postings, counts = _index(wayhome)
    assert postings == {p for p in written[0] if p[0] not in TYPO}
    assert counts == {k: n for k, n in written[1].items() if k[0] not in TYPO}
    with wayhome.transaction() as session:  # the features as rules 1 wrote them
        for row in session.scalars(select(PersonMatchFeatures)):
            old = {k: v for k, v in row.features.items() if k not in ("fam_d", "giv_d")}
            session.execute(
                update(PersonMatchFeatures)
                .where(PersonMatchFeatures.person_id == row.person_id)
                .values(features=old, rules=1)
            )
    search_index.forget_counts()
    typed = parse_input(similar.SimilarQuery, {"family_name": "Новрузов", "given_name": "Рамиль"})
    assert len(similar.similar_persons(wayhome, actor, typed)) == 1  # the Latin spelling only

    _move(wayhome, "head")
    assert _index(wayhome) == written
    with wayhome.read() as session:
        assert set(session.scalars(select(PersonMatchFeatures.rules))) == {search_index.RULES}
    search_index.forget_counts()
    assert len(similar.similar_persons(wayhome, actor, typed)) == 2
