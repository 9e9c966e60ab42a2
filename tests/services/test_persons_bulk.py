"""Bulk registration writes exactly the rows of registering one by one, or nothing at all.

The persons are synthetic: invented names in six scripts, built from small fixed lists.
"""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from wayhome.core.errors import PermissionDenied, ValidationFailed
from wayhome.core.ids import is_uuid
from wayhome.core.vocab import Role
from wayhome.services import persons, search_index
from wayhome.services.accounts import actor_for
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.services.persons_bulk import bulk_register, new_ids
from wayhome.store.bulk import insert_rows
from wayhome.store.tables import AuditEvent, Person, PersonName, RecordVersion
from wayhome.store.tables_search import NameKeyCount, PersonMatchFeatures, PersonNameKey

FAMILIES = [
    ("Мамедов", "Мамедова"),
    ("Məmmədov", "Məmmədova"),
    ("MAMEDOV", "MAMEDOVA"),
    ("Саркисян", "Саркисян"),
    ("Սարգսյան", "Սարգսյան"),
    ("ბერიძე", "ბერიძე"),
    ("الحسن", "الحسن"),
    ("Шевченко", "Шевченко"),
    ("Aliyev", "Aliyeva"),
    ("Петров", "Петрова"),
]
GIVEN = [
    ("Али", "Лейла"),
    ("Əli", "Leyla"),
    ("Арам", "Анна"),
    ("Արամ", "Աննա"),
    ("გიორგი", "ნინო"),
    ("محمد", "فاطمة"),
    ("Тарас", "Оксана"),
    ("Rashad", "Aysel"),
    ("Пётр", "Мария"),
]
FATHERS = ["Гасанович", "Həsən oğlu", "Գագիկի", None, "Ivanovich", "Сергеевич", "Hasan qızı"]
DATES = ["1980-05-02", "1980-05", "1975", None, "2001-12-31", "1955-01-01", "1990-07"]
PLACES = ["Şəki", "Шеки", "Gyumri", None, "Tbilisi", "حلب", "Kharkiv 2"]


def synthetic_people(n: int, place_id: str) -> list[PersonInput]:
    """``n`` invented persons: mixed scripts, partial dates, aliases, gazetteer and free-text
    places, blank fields; deterministic."""
    out = []
    for i in range(n):
        female = i % 3 == 0
        family = FAMILIES[i % len(FAMILIES)][female]
        given = GIVEN[(i * 7) % len(GIVEN)][female]
        names: list[dict[str, Any]] = [
            {
                "family_name": family if i % 11 else None,
                "given_name": given,
                "patronymic": FATHERS[(i * 5) % len(FATHERS)],
                "lang": "ru" if i % 4 == 0 else None,
            }
        ]
        if i % 5 == 0:  # an alias written first: the primary name must still lead
            names.insert(0, {"kind": "alias", "family_name": family.upper(), "given_name": given})
        if i % 13 == 0:
            names.append({"kind": "maiden", "family_name": FAMILIES[(i + 3) % len(FAMILIES)][1]})
        out.append(
            parse_input(
                PersonInput,
                {
                    "names": names,
                    "sex": ["M", "F", "U"][i % 3] if i % 7 else ("F" if female else "M"),
                    "birth_date": DATES[i % len(DATES)],
                    "birth_place_id": place_id if i % 6 == 0 else None,
                    "birth_place_text": PLACES[i % len(PLACES)] if i % 6 else None,
                    "notes": f"synthetic note {i}" if i % 9 == 0 else None,
                    "source": f"intake {i % 4}" if i % 2 else None,
                },
            )
        )
    return out


PERSON_TABLES = (PersonNameKey, PersonMatchFeatures, NameKeyCount, PersonName)
ENTITY = persons.ENTITY


def wipe(wayhome) -> None:
    """Delete every person and everything written with them (tests only)."""
    with wayhome.transaction() as session:
        for table in PERSON_TABLES:
            session.execute(delete(table))
        session.execute(delete(RecordVersion).where(RecordVersion.entity_type == ENTITY))
        session.execute(delete(AuditEvent).where(AuditEvent.entity_type == ENTITY))
        session.execute(delete(Person))


def _stamp(value: datetime, started: datetime, ended: datetime) -> None:
    assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
    assert started - timedelta(seconds=1) <= value <= ended + timedelta(seconds=1)


def state(wayhome, ids: list[str], started: datetime) -> dict[str, Any]:
    """Every row of the person tables with generated ids replaced by the person's input
    position and timestamps checked (UTC, written during the load) and then left out."""
    label = {pid: f"P{i}" for i, pid in enumerate(ids)}
    ended = datetime.now(UTC)
    out: dict[str, Any] = {}
    with wayhome.read() as session:
        rows = []
        for p in session.scalars(select(Person)):
            for stamp in (p.recorded_at, p.created_at, p.updated_at):
                _stamp(stamp, started, ended)
            assert is_uuid(p.id) and uuid.UUID(p.id).version == 7
            rows.append(
                (label[p.id], p.origin_instance, p.organisation_id, p.source, p.recorded_by_id)
                + (p.version, p.deleted_at, p.sex, p.birth_date, p.birth_date_precision)
                + (p.birth_year, p.birth_place_id, p.birth_place_text, p.notes, p.display_name)
                + (p.merged_into_id,)
            )
        out["persons"] = sorted(rows)
        out["names"] = sorted(
            (label[n.person_id], n.position, n.kind, n.given_name, n.family_name)
            + (n.patronymic, n.script, n.lang, n.folded)
            for n in session.scalars(select(PersonName))
        )
        assert len({n.id for n in session.scalars(select(PersonName))}) == len(out["names"])
        versions = []
        for v in session.scalars(select(RecordVersion).where(RecordVersion.entity_type == ENTITY)):
            _stamp(v.changed_at, started, ended)
            versions.append(
                (label[v.entity_id], v.entity_type, v.version, v.action, v.changed_by_id)
                + (v.changed_by_name, v.origin_instance, repr(v.snapshot), repr(v.changes))
            )
        out["versions"] = sorted(versions)
        events = []
        for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_type == ENTITY)):
            _stamp(e.at, started, ended)
            detail = dict(e.detail)
            bulk = detail.pop("bulk", False)
            events.append(
                (label[e.entity_id], e.user_id, e.username, e.organisation_id, e.action)
                + (e.entity_type, e.ip, repr(detail), bulk)
            )
        out["events"] = sorted(events)
        out["features"] = sorted(
            (label[f.person_id], f.rules, repr(sorted(f.features.items())))
            for f in session.scalars(select(PersonMatchFeatures))
        )
        out["postings"] = sorted(
            (k.kind, k.key, label[k.person_id]) for k in session.scalars(select(PersonNameKey))
        )
        out["counts"] = sorted(
            (c.kind, c.key, c.persons) for c in session.scalars(select(NameKeyCount))
        )
    return out


def index_state(wayhome) -> tuple[list[Any], ...]:
    with wayhome.read() as session:
        return (
            sorted(
                (f.person_id, f.rules, repr(f.features))
                for f in session.scalars(select(PersonMatchFeatures))
            ),
            sorted((k.kind, k.key, k.person_id) for k in session.scalars(select(PersonNameKey))),
            sorted(
                (c.kind, c.key, c.persons)
                for c in session.scalars(select(NameKeyCount))
                if c.persons
            ),
        )


def test_bulk_writes_the_rows_of_registering_one_by_one(wayhome, make):
    place = make.place("AZ", name="Şəki", extra_names=("Шеки",))
    user = make.user(Role.REGISTRAR)
    actor = actor_for(user, ip="192.0.2.7")
    people = synthetic_people(240, place.id)
    early, batch = people[:15], people[15:]  # the batch goes into an index that is not empty

    started = datetime.now(UTC)
    one_by_one = [persons.register_person(wayhome, actor, p).id for p in people]
    expected = state(wayhome, one_by_one, started)
    wipe(wayhome)

    started = datetime.now(UTC)
    first = [persons.register_person(wayhome, actor, p).id for p in early]
    ids = bulk_register(wayhome, actor, batch, batch_size=70)  # several batches, a partial last
    got = state(wayhome, first + ids, started)

    # the bulk count path (one upsert fed in bulk) is the one exercised here
    assert len(expected["counts"]) >= search_index.BULK_COUNTS
    assert len(ids) == len(batch) == len(set(ids))
    for table in ("persons", "names", "versions", "features", "postings", "counts"):
        assert got[table] == expected[table], table
    # the audit events differ only in saying which came from a bulk load
    assert [e[:-1] for e in got["events"]] == [e[:-1] for e in expected["events"]]
    assert {e[0]: e[-1] for e in got["events"]} == {
        f"P{i}": i >= len(early) for i in range(len(people))
    }
    assert not any(e[-1] for e in expected["events"])

    # and the index is the one a rebuild makes
    before = index_state(wayhome)
    assert search_index.reindex(wayhome, batch_size=50) == len(people)
    assert index_state(wayhome) == before


def test_a_bad_row_is_reported_and_nothing_is_written(wayhome, make):
    place = make.place("AZ")
    actor = make.actor(Role.REGISTRAR)
    people = synthetic_people(30, place.id)
    people[23] = parse_input(
        PersonInput, {"names": [{"family_name": "Aliyev"}, {"patronymic": "Гасанович"}]}
    )
    people[25] = parse_input(
        PersonInput, {"names": [{"given_name": "Ali"}], "birth_place_id": "no-such-place"}
    )
    with pytest.raises(ValidationFailed) as failed:
        bulk_register(wayhome, actor, people, batch_size=10)  # two good batches went first
    assert [e.loc for e in failed.value.errors] == [
        ("persons", 23, "names", 1),
        ("persons", 25, "birth_place_id"),
    ]
    with wayhome.read() as session:
        for table in (Person, *PERSON_TABLES):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table
        for table in (RecordVersion, AuditEvent):
            where = table.entity_type == ENTITY
            assert session.scalar(select(func.count()).select_from(table).where(where)) == 0


def test_bulk_register_needs_the_right_to_register(wayhome, make):
    viewer = make.actor(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        bulk_register(wayhome, viewer, synthetic_people(3, "unused"))


def test_nothing_to_load(wayhome, make):
    assert bulk_register(wayhome, make.actor(Role.REGISTRAR), []) == []
    with wayhome.read() as session:
        assert search_index.index_size(session) == 0


def test_new_ids_are_distinct_time_ordered_uuid7():
    before = new_ids(1)[0]
    ids = new_ids(5000)
    assert len(set(ids)) == 5000
    for value in ids:
        assert is_uuid(value)
        parsed = uuid.UUID(value)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert value[:13] >= before[:13]  # the millisecond prefix never goes back


def test_insert_rows_refuses_a_row_of_the_wrong_shape(wayhome):
    with wayhome.transaction() as session, pytest.raises(ValueError, match="has 2 values"):
        insert_rows(session, NameKeyCount, ("kind", "key", "persons"), [("f", "x")])
    with wayhome.transaction() as session, pytest.raises(ValueError, match="no column"):
        insert_rows(session, NameKeyCount, ("kind", "nope"), [("f", "x")])
    with wayhome.read() as session:
        assert session.scalar(select(func.count()).select_from(NameKeyCount)) == 0


def test_counts_add_to_an_existing_index_in_both_paths(wayhome):
    """``add_counts``: a few deltas go through the ORM upsert, many through the bulk one;
    both add to existing rows and create missing ones."""
    keys = [("f", f"k{i:05d}") for i in range(search_index.BULK_COUNTS + 10)]
    with wayhome.transaction() as session:
        search_index.add_counts(session, Counter({keys[0]: 2}))
        search_index.add_counts(session, Counter(dict.fromkeys(keys, 1)))
        search_index.add_counts(session, Counter({keys[1]: 5}))
    with wayhome.read() as session:
        found = dict(((c.kind, c.key), c.persons) for c in session.scalars(select(NameKeyCount)))
    assert found == {**dict.fromkeys(keys, 1), keys[0]: 3, keys[1]: 6}


def test_script_and_folded_form_from_the_parts_equal_those_of_the_whole_name():
    """The loader works out a name's script and folded form part by part; they must be
    exactly what ``detect_script`` and ``fold`` give for the name as written."""
    from wayhome.core.scripts import detect_script, fold
    from wayhome.services.inputs import PersonNameInput
    from wayhome.services.persons import full_name
    from wayhome.services.persons_bulk import _Loader

    odd = ["Ali Vəli", " Leyla ", "O'Neil-Smith", "12", "Jose\u0301", "ΣΟΦΙΑ", "İsmayıl", "-"]
    parts = [None, *odd, *(f for f, _ in FAMILIES), *(g for g, _ in GIVEN), *FATHERS]
    loader = _Loader(None)
    checked = 0
    for family, given, father in itertools.product(parts[:14], parts[::3], FATHERS):
        if not (family or given):
            continue
        name = PersonNameInput(family_name=family, given_name=given, patronymic=father)
        written = full_name(name)
        assert loader.spelling(name) == (detect_script(written), fold(written)), written
        checked += 1
    assert checked > 500


def test_the_sqlite_page_cache_is_given_back_after_a_load(wayhome, make):
    if wayhome.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite connection setting")
    actor = make.actor(Role.REGISTRAR)

    def cache_size() -> int:
        with wayhome.engine.connect() as connection:  # the pool's one connection, reused
            return connection.exec_driver_sql("PRAGMA cache_size").scalar_one()

    before = cache_size()
    bulk_register(wayhome, actor, synthetic_people(5, "unused")[1:])
    assert cache_size() == before
    with pytest.raises(ValidationFailed):
        bulk_register(wayhome, actor, synthetic_people(7, "no-such-place"))
    assert cache_size() == before


def test_a_large_load_on_postgresql_leaves_the_planner_fresh_statistics(wayhome, make, monkeypatch):
    if wayhome.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    import wayhome.services.persons_bulk as bulk

    place = make.place("AZ")
    actor = make.actor(Role.REGISTRAR)

    def analysed() -> dict[str, int]:
        with wayhome.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT relname, analyze_count FROM pg_stat_user_tables"
            ).all()
        return {name: count for name, count in rows if name in bulk.ANALYZED_TABLES}

    monkeypatch.setattr(bulk, "ANALYZE_AFTER", 1_000)
    before = analysed()
    bulk_register(wayhome, actor, synthetic_people(20, place.id))  # small: not analysed
    assert analysed() == before
    monkeypatch.setattr(bulk, "ANALYZE_AFTER", 20)
    bulk_register(wayhome, actor, synthetic_people(20, place.id))
    after = analysed()
    assert set(after) == set(bulk.ANALYZED_TABLES)
    assert all(after[t] == before.get(t, 0) + 1 for t in bulk.ANALYZED_TABLES), (before, after)
