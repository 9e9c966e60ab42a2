"""`wayhome search reindex` on the command line."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from wayhome.cli.search import app
from wayhome.core.vocab import Role
from wayhome.services import persons, similar
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables_search import NameKeyCount, PersonMatchFeatures, PersonNameKey

runner = CliRunner()


def test_reindex_restores_a_lost_index(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    for family, given in (("Məmmədov", "Əli"), ("Hakobyan", "Armen")):
        data = {"names": [{"family_name": family, "given_name": given}], "birth_date": "1980"}
        persons.register_person(wayhome, actor, parse_input(PersonInput, data))
    with wayhome.transaction() as session:
        for table in (PersonNameKey, PersonMatchFeatures, NameKeyCount):
            session.execute(delete(table))
    query = parse_input(similar.SimilarQuery, {"family_name": "Мамедов", "given_name": "Али"})
    assert similar.similar_persons(wayhome, actor, query) == []

    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "indexed 2 persons" in result.output
    with wayhome.read() as session:
        assert session.scalar(select(func.count()).select_from(PersonMatchFeatures)) == 2
    [found] = similar.similar_persons(wayhome, actor, query)
    assert found.person.display_name == "Məmmədov Əli"
