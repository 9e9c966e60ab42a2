"""The duplicates review queue: the real engine over real persons, decisions, merges and undo."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from wayhome.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wayhome.core.vocab import PlaceType, Role
from wayhome.services import duplicates, households, persons
from wayhome.services.inputs import HouseholdInput, PersonInput
from wayhome.store.tables import AuditEvent, Person, PersonName, RecordVersion
from wayhome.store.tables_review import DuplicateCandidate, DuplicateDecision, DuplicateMerge

# Distinct people (namesakes of nobody here), so that the engine has a population to learn from.
OTHERS: list[tuple[str, str, str | None, str, str]] = [
    ("Petrosyan", "Armen", "Vardani", "M", "1961-05-02"),
    ("Quliyeva", "Leyla", "Rasim qızı", "F", "1988-11-30"),
    ("Ivanova", "Olga", "Sergeyevna", "F", "1975-07-14"),
    ("Həsənov", "Rauf", "Elçin oğlu", "M", "1990-01-09"),
    ("Nazarov", "Timur", "Olegovich", "M", "1969"),
    ("Sargsyan", "Ani", None, "F", "2001-04-18"),
    ("Babayev", "Vüqar", "Nadir oğlu", "M", "1979-09-21"),
    ("Karimova", "Zarina", "Akmalovna", "F", "1983-02-27"),
    ("Orlov", "Pavel", "Igorevich", "M", "1958-12-01"),
    ("Abbasova", "Günay", "Tofiq qızı", "F", "1994-06-06"),
    ("Melikyan", "Gohar", None, "F", "1966-03-15"),
    ("Rəhimov", "Samir", "Vaqif oğlu", "M", "1972-08-08"),
    ("Smirnova", "Yelena", "Pavlovna", "F", "1980-10-10"),
    ("Cəfərov", "Elnur", "Azad oğlu", "M", "1986-05-25"),
    ("Hakobyan", "Tigran", "Gevorgi", "M", "1955-01-31"),
    ("Məlikova", "Aynur", "Fuad qızı", "F", "1999-12-12"),
    ("Kuznetsov", "Dmitri", "Andreyevich", "M", "1964-04-04"),
    ("Mustafayev", "Kamran", "Ilham oğlu", "M", "1977-11-11"),
]


def body(family: str, given: str, patronymic: str | None = None, **extra: Any) -> PersonInput:
    names = [{"family_name": family, "given_name": given, "patronymic": patronymic}]
    names += extra.pop("names", [])
    return PersonInput.model_validate({"names": names, **extra})


def register(wayhome, actor, family, given, patronymic=None, **extra) -> Person:
    return persons.register_person(wayhome, actor, body(family, given, patronymic, **extra))


def population(wayhome, actor) -> None:
    for family, given, patronymic, sex, born in OTHERS:
        register(wayhome, actor, family, given, patronymic, sex=sex, birth_date=born)


def count(wayhome, table, *where) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


@pytest.fixture
def registrar(make):
    return make.actor(Role.REGISTRAR)


@pytest.fixture
def pair(wayhome, registrar):
    """Ali Mamedov registered twice: in Cyrillic, then in Azerbaijani Latin with another alias."""
    population(wayhome, registrar)
    first = register(
        wayhome, registrar, "Мамедов", "Али", "Гасанович", sex="M", birth_date="1957-03-12"
    )
    second = register(
        wayhome,
        registrar,
        "Məmmədov",
        "Əli",
        "Həsən oğlu",
        sex="M",
        birth_date="1957",
        names=[{"kind": "alias", "family_name": "MAMEDOV", "given_name": "ALI"}],
    )
    return first, second


def candidates(wayhome, actor, status="pending") -> list[DuplicateCandidate]:
    return duplicates.list_candidates(wayhome, actor, status=status, per_page=100).items


def test_cross_script_duplicates_are_found_with_an_explanation(wayhome, registrar, pair):
    first, second = pair
    run = duplicates.find_duplicates(wayhome, registrar)
    assert run.persons_compared == len(OTHERS) + 2
    [candidate] = candidates(wayhome, registrar)
    assert (candidate.person_a_id, candidate.person_b_id) == (first.id, second.id)
    assert candidate.match_probability is not None and candidate.match_probability >= 0.5
    assert candidate.method == "engine" and candidate.run_id == run.id
    by_field = {e["field"]: e for e in candidate.explanation}
    assert set(by_field) >= {"family_name", "given_name", "patronymic", "birth_date", "sex"}
    assert by_field["family_name"]["level"] == "family_names_share_key"
    assert by_field["family_name"]["agreement"] == "agrees"
    assert by_field["family_name"]["bits"] > 0
    assert by_field["patronymic"]["level"] == "fathers_names_share_key"
    assert by_field["birth_date"]["agreement"] == "partly"  # 1957 vs 1957-03-12: compatible
    assert "across scripts" in by_field["family_name"]["text"]
    assert duplicates.queue_counts(wayhome, registrar) == {
        "pending": 1,
        "merged": 0,
        "different": 0,
    }
    detail = duplicates.get_candidate(wayhome, registrar, candidate.id)
    assert [n.family_name for n in detail.b.person.names] == ["Məmmədov", "MAMEDOV"]
    assert detail.is_open and detail.merge is None
    viewed = count(wayhome, AuditEvent, AuditEvent.action == "view")
    assert viewed == 2  # looking at a pair is looking at both persons


def test_rerunning_is_idempotent(wayhome, registrar, pair):
    duplicates.find_duplicates(wayhome, registrar)
    [before] = candidates(wayhome, registrar)
    again = duplicates.find_duplicates(wayhome, registrar)
    assert (again.pairs_found, again.pairs_new, again.pairs_updated) == (1, 0, 0)
    [after] = candidates(wayhome, registrar)
    assert after.id == before.id and after.run_id == before.run_id  # same score: not rewritten
    assert after.match_weight == before.match_weight
    # a new record changes the model's estimates: the pair is rescored, still once
    register(wayhome, registrar, "Mammadov", "Ali", sex="M", birth_date="1957-03-12")
    third = duplicates.find_duplicates(wayhome, registrar)
    assert third.pairs_updated == 1
    rescored = {(c.person_a_id, c.person_b_id): c for c in candidates(wayhome, registrar)}
    assert rescored[(before.person_a_id, before.person_b_id)].run_id == third.id
    assert third.pairs_new == 2  # the new record with each of the two
    assert count(wayhome, DuplicateCandidate) == 3


def test_different_is_remembered_on_rerun(wayhome, registrar, pair):
    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    duplicates.decide_different(wayhome, registrar, candidate.id, note="father differs on ID card")
    assert candidates(wayhome, registrar) == []
    again = duplicates.find_duplicates(wayhome, registrar)
    assert again.pairs_found == 1 and again.pairs_already_decided == 1 and again.pairs_new == 0
    assert candidates(wayhome, registrar) == []
    [decided] = candidates(wayhome, registrar, "different")
    assert decided.note == "father differs on ID card"
    assert decided.decided_by_id == registrar.user_id
    [decision] = duplicates.get_candidate(wayhome, registrar, candidate.id).decisions
    assert decision.decision == "different" and decision.user_name == registrar.label


def test_merge_keeps_every_record_and_unmerge_restores(wayhome, registrar, pair):
    first, second = pair
    household = households.create_household(
        wayhome,
        registrar,
        HouseholdInput.model_validate(
            {"members": [{"person_id": second.id, "relationship": "head"}]}
        ),
    )
    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    names_before = count(wayhome, PersonName)

    merge = duplicates.decide_same(wayhome, registrar, candidate.id, version=candidate.version)
    assert (merge.kept_person_id, merge.merged_person_id) == (first.id, second.id)
    # nothing is deleted: the duplicate, its names and its household stay
    assert count(wayhome, Person) == len(OTHERS) + 2
    assert count(wayhome, PersonName) == names_before
    member_ids = [
        m.person_id for m in households.view_household(wayhome, registrar, household.id).members
    ]
    assert member_ids == [second.id]
    with wayhome.read() as session:
        assert session.get(Person, second.id).merged_into_id == first.id
    # lists show one person, found by any name of either record
    found = persons.search_persons(wayhome, registrar, q="MAMEDOV").items
    assert [p.id for p in found] == [first.id]
    assert [p.id for p in duplicates.merged_records(wayhome, registrar, first.id)] == [second.id]
    assert duplicates.merge_target(wayhome, registrar, second.id).id == first.id
    assert duplicates.queue_counts(wayhome, registrar)["merged"] == 1
    # every touched person has a new version saying what happened
    [kept_latest, *_] = persons.person_history(wayhome, registrar, first.id)
    assert kept_latest.action == "merge"
    assert kept_latest.changes["also_recorded_as"] == [[], [second.id]]
    [dup_latest, *_] = persons.person_history(wayhome, registrar, second.id)
    assert dup_latest.changes["merged_into_id"] == [None, first.id]
    # deciding again, or re-finding, changes nothing
    with pytest.raises(Conflict):
        duplicates.decide_same(wayhome, registrar, candidate.id)
    assert duplicates.find_duplicates(wayhome, registrar).pairs_found == 0

    duplicates.unmerge(wayhome, registrar, candidate.id, note="two brothers")
    with wayhome.read() as session:
        assert session.get(Person, second.id).merged_into_id is None
    found = {p.id for p in persons.search_persons(wayhome, registrar, q="Məmmədov").items}
    assert found == {second.id}
    assert duplicates.merged_records(wayhome, registrar, first.id) == []
    detail = duplicates.get_candidate(wayhome, registrar, candidate.id)
    assert detail.candidate.status == "pending" and detail.merge is None
    assert [d.decision for d in detail.decisions] == ["undo", "same"]
    assert detail.decisions[0].note == "two brothers"
    with wayhome.read() as session:
        undone = session.scalar(select(DuplicateMerge))
        assert undone.undone_at is not None and undone.undone_by_id == registrar.user_id
    [latest, *_] = persons.person_history(wayhome, registrar, second.id)
    assert latest.action == "unmerge" and latest.changes["merged_into_id"] == [first.id, None]


def test_every_decision_is_audited(wayhome, registrar, pair):
    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    duplicates.skip(wayhome, registrar, candidate.id)
    duplicates.decide_same(wayhome, registrar, candidate.id)
    duplicates.unmerge(wayhome, registrar, candidate.id)
    duplicates.decide_different(wayhome, registrar, candidate.id)
    actions = [
        e.action
        for e in _events(wayhome)
        if e.entity_type in ("duplicate_candidate", "duplicate_run")
    ]
    assert actions == [
        "find_duplicates",
        "duplicate_skip",
        "duplicate_same",
        "duplicate_undo",
        "duplicate_different",
    ]
    assert count(wayhome, DuplicateDecision) == 4
    merges = count(wayhome, RecordVersion, RecordVersion.action.in_(["merge", "unmerge"]))
    assert merges == 4  # both persons, at the merge and at the undo


def _events(wayhome) -> list[AuditEvent]:
    with wayhome.read() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)))


def test_stale_version_and_skip_order(wayhome, registrar, pair):
    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    skipped = duplicates.skip(wayhome, registrar, candidate.id, version=candidate.version)
    assert skipped.skipped_at is not None and skipped.status == "pending"
    with pytest.raises(Conflict, match="version 2"):
        duplicates.decide_same(wayhome, registrar, candidate.id, version=candidate.version)


def test_a_chain_of_merges_points_at_the_kept_record_and_undoes_cleanly(wayhome, registrar):
    population(wayhome, registrar)
    a = register(wayhome, registrar, "Əliyev", "Rəşad", sex="M", birth_date="1970")
    b = register(wayhome, registrar, "Aliyev", "Rashad", sex="M", birth_date="1970")
    c = register(wayhome, registrar, "Алиев", "Рашад", sex="M", birth_date="1970")
    ab = duplicates.flag_pair(wayhome, registrar, a.id, b.id)
    bc = duplicates.flag_pair(wayhome, registrar, b.id, c.id)
    assert ab.method == "manual" and ab.match_probability is None
    duplicates.decide_same(wayhome, registrar, bc.id, keep_id=b.id)  # c into b
    duplicates.decide_same(wayhome, registrar, ab.id, keep_id=a.id)  # b (and c) into a
    with wayhome.read() as session:
        assert session.get(Person, c.id).merged_into_id == a.id
    with pytest.raises(Conflict, match="undo that merge first"):
        duplicates.unmerge(wayhome, registrar, bc.id)
    duplicates.unmerge(wayhome, registrar, ab.id)
    with wayhome.read() as session:
        assert session.get(Person, b.id).merged_into_id is None
        assert session.get(Person, c.id).merged_into_id == b.id


def test_roles(wayhome, make, registrar, pair):
    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    viewer = make.actor(Role.VIEWER)
    caseworker = make.actor(Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        duplicates.list_candidates(wayhome, viewer)
    with pytest.raises(PermissionDenied):
        duplicates.find_duplicates(wayhome, caseworker)
    with pytest.raises(PermissionDenied):
        duplicates.decide_same(wayhome, caseworker, candidate.id)
    assert [c.id for c in candidates(wayhome, caseworker)] == [candidate.id]


def test_organisations_see_and_merge_only_what_is_theirs(wayhome, make, registrar, pair):
    first, second = pair
    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    other = make.actor(Role.REGISTRAR, "ORG2")
    assert candidates(wayhome, other) == []
    with pytest.raises(NotFound):
        duplicates.get_candidate(wayhome, other, candidate.id)
    with pytest.raises(NotFound):
        duplicates.decide_same(wayhome, other, candidate.id)
    # ORG2's run sees none of ORG1's persons, so proposes nothing about them
    assert duplicates.find_duplicates(wayhome, other).persons_compared == 0
    # shared: ORG2 sees the pair, but may not merge ORG1's record away
    persons.share(wayhome, registrar, first.id, None)
    persons.share(wayhome, registrar, second.id, None)
    assert [c.id for c in candidates(wayhome, other)] == [candidate.id]
    with pytest.raises(ValidationFailed, match="only the organisation that recorded"):
        duplicates.decide_same(wayhome, other, candidate.id)


def test_bad_input(wayhome, registrar, pair):
    first, _second = pair
    with pytest.raises(ValidationFailed, match="threshold"):
        duplicates.find_duplicates(wayhome, registrar, threshold=1.5)
    with pytest.raises(ValidationFailed, match="status"):
        duplicates.list_candidates(wayhome, registrar, status="maybe")
    with pytest.raises(ValidationFailed, match="two different persons"):
        duplicates.flag_pair(wayhome, registrar, first.id, first.id)
    flagged = duplicates.flag_pair(wayhome, registrar, first.id, _second.id)
    with pytest.raises(ValidationFailed, match="keep one of the two"):
        duplicates.decide_same(wayhome, registrar, flagged.id, keep_id="not-one-of-the-two")


def test_a_merged_record_leaves_the_search_index_and_undo_brings_it_back(wayhome, registrar, pair):
    from wayhome.store.tables_search import PersonMatchFeatures

    first, second = pair

    def indexed(person_id: str) -> bool:
        with wayhome.read() as session:
            return session.get(PersonMatchFeatures, person_id) is not None

    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    assert indexed(first.id) and indexed(second.id)
    merge = duplicates.decide_same(wayhome, registrar, candidate.id, version=candidate.version)
    assert indexed(merge.kept_person_id) and not indexed(merge.merged_person_id)
    duplicates.unmerge(wayhome, registrar, candidate.id)
    assert indexed(first.id) and indexed(second.id)


def test_the_engine_reads_every_name_and_place_of_the_visible_live_persons(
    wayhome, make, registrar, pair
):
    first, second = pair
    country = make.place()
    town = make.place("DM-T1", PlaceType.SETTLEMENT, parent_id=country.id, name="Şuşa")
    third = register(
        wayhome,
        registrar,
        "Sargsyan",
        "Anna",
        None,
        sex="F",
        birth_date="1980-02",
        birth_place_id=town.id,
        names=[{"kind": "maiden", "family_name": "Hakobyan", "given_name": "Anna"}],
    )
    archived = register(wayhome, registrar, "Orlova", "Vera", None, birth_place_text="Gyumri")
    persons.set_archived(wayhome, registrar, archived.id, True)
    register(wayhome, make.actor(Role.REGISTRAR, "ORG2"), "Nazarova", "Irina")  # not visible
    duplicates.find_duplicates(wayhome, registrar)
    [candidate] = candidates(wayhome, registrar)
    duplicates.decide_same(wayhome, registrar, candidate.id, version=candidate.version)

    with wayhome.read() as session:
        frame = duplicates.person_records(session, registrar)

    assert list(frame.columns) == [
        "id",
        "family_name",
        "given_name",
        "patronymic",
        "sex",
        "birth_date",
        "birth_place",
        "names",
    ]
    assert frame["id"].tolist() == sorted(frame["id"])  # stable order: by id
    assert second.id not in set(frame["id"]) and archived.id not in set(frame["id"])
    assert len(frame) == len(OTHERS) + 2  # the kept record, the third, the population
    rows = frame.set_index("id")
    kept = rows.loc[first.id]
    assert (kept.family_name, kept.given_name, kept.patronymic) == ("Мамедов", "Али", "Гасанович")
    assert (kept.sex, kept.birth_date, kept.birth_place) == ("M", "1957-03-12", "")
    # the merged record's names (its primary name and its alias) are the kept person's too
    assert kept.names == ["Məmmədov, Əli Həsən oğlu", "MAMEDOV, ALI"]
    anna = rows.loc[third.id]
    assert (anna.birth_date, anna.birth_place, anna.patronymic) == ("1980-02", "Şuşa", "")
    assert anna.names == ["Hakobyan, Anna"]
    assert rows.loc[rows["family_name"] == "Nazarov", "sex"].tolist() == ["M"]
