"""The duplicates-queue benchmark's registry load: bulk registration, ids mapped to true ids."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wayhome.core.vocab import Role
from wayhome.store.tables import AuditEvent, Person, PersonName

pd = pytest.importorskip("pandas")

from benchmarks.bench_duplicates import _load, _truth_pairs  # noqa: E402
from benchmarks.synth import COLUMNS  # noqa: E402


def _frame() -> pd.DataFrame:
    rows = [  # id, given, family, patronymic, sex, birth date, birth place, source, true id
        ("r0", "Anna", "Petrova", None, "F", "1980-03-01", "Sevan", "ngo_form", "p1"),
        ("r1", "Анна", "Петрова", "Ивановна", "F", "1980", None, "hotline", "p1"),
        ("r2", None, None, "Ivanovich", "M", None, None, "hotline", "p2"),  # no name: left out
        ("r3", "", "", None, None, None, None, "hotline", "p3"),  # empty name: left out
        ("r4", "Levan", None, None, None, None, "Gori", "checkpoint_list", "p4"),
        ("r5", None, "Nadareishvili", None, "M", "1975-07", None, "checkpoint_list", "p4"),
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_load_registers_in_bulk_and_maps_ids_to_true_ids(wayhome, make, capsys):
    actor = make.actor(Role.REGISTRAR)
    truth_of = _load(wayhome, actor, _frame())
    assert "2 records without a name left out" in capsys.readouterr().err
    assert sorted(truth_of.values()) == ["p1", "p1", "p4", "p4"]
    with wayhome.read() as session:
        names = {
            pid: (given, family)
            for pid, given, family in session.execute(
                select(PersonName.person_id, PersonName.given_name, PersonName.family_name)
            )
        }
        sexes = dict(session.execute(select(Person.id, Person.sex)).all())
        bulk = [
            d.get("bulk")
            for d in session.scalars(
                select(AuditEvent.detail).where(AuditEvent.entity_id.in_(list(truth_of)))
            )
        ]
    assert set(names) == set(truth_of)  # every registered person is mapped, nothing else
    by_name = {names[pid]: true for pid, true in truth_of.items()}
    assert by_name == {
        ("Anna", "Petrova"): "p1",
        ("Анна", "Петрова"): "p1",
        ("Levan", None): "p4",
        (None, "Nadareishvili"): "p4",
    }
    assert {sexes[pid] for pid, name in names.items() if name[0] == "Levan"} == {"U"}
    assert bulk == [True] * 4  # written by the bulk loader
    assert len(_truth_pairs(truth_of)) == 2
