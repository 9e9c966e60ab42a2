"""`wayhome duplicates find` on the command line."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.services.test_duplicates import OTHERS, population, register
from wayhome.cli.main import app
from wayhome.core.vocab import Role
from wayhome.services import duplicates

runner = CliRunner()


def test_find_queues_pairs_and_is_idempotent(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    population(wayhome, actor)
    register(wayhome, actor, "Мамедов", "Али", "Гасанович", sex="M", birth_date="1957-03-12")
    register(wayhome, actor, "Məmmədov", "Əli", "Həsən oğlu", sex="M", birth_date="1957")
    result = runner.invoke(app, ["duplicates", "find", "--threshold", "0.5"])
    assert result.exit_code == 0, result.output
    persons = len(OTHERS) + 2
    assert result.stdout.strip() == (
        f"ORG1: compared {persons} persons; 1 pairs at or above 0.5: "
        "1 new, 0 rescored, 0 decided before"
    )
    assert duplicates.list_candidates(wayhome, actor).total == 1
    again = runner.invoke(app, ["duplicates", "find", "--org", "org1", "--progress"])
    assert again.exit_code == 0, again.output
    assert "1 pairs at or above 0.5: 0 new, 0 rescored" in again.stdout
    assert "scoring" in again.stderr
    assert duplicates.list_candidates(wayhome, actor).total == 1


def test_bad_options(wayhome, make):
    make.org("ORG1")
    make.org("ORG2")
    result = runner.invoke(app, ["duplicates", "find"])
    assert result.exit_code == 2 and "give --org CODE: the organisations are" in result.stderr
    result = runner.invoke(app, ["duplicates", "find", "--org", "NOPE"])
    assert result.exit_code == 1 and "no organisation with code 'NOPE'" in result.stderr
    result = runner.invoke(app, ["duplicates", "find", "--org", "ORG1", "--threshold", "1"])
    assert result.exit_code == 2 and "--threshold must be between 0 and 1" in result.stderr
