"""Search before register finds a record whose family or given name differs by one typo (a
letter missing, extra, changed or two swapped), in any script and on either side, as the batch
engine's blocking does (half keys of the name: ``wayhome.linkage.tokens.half_keys``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wayhome.core.vocab import Role
from wayhome.services import persons, persons_bulk, search_index, similar
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables_search import PersonNameKey


def person(family: str, given: str, patronymic: str | None = None, **extra) -> PersonInput:
    name = {"family_name": family, "given_name": given}
    if patronymic:
        name["patronymic"] = patronymic
    return parse_input(PersonInput, {"names": [name], **extra})


#: Persons sharing a family or a given name with the ones searched for, so that the typo
#: postings hold more than the one record looked for and the right one must rank first.
NEIGHBOURS = [
    ("Новрузов", "Рашад", "Эльнурович"),
    ("Новрузов", "Ильгар", None),
    ("Новрузова", "Севиндж", None),
    ("Гусейнов", "Рамиль", "Вагифович"),
    ("Мамедов", "Рамиль", None),
    ("Nəsirov", "Rəşad", None),
    ("Hüseynov", "Elvin", None),
    ("Quliyev", "Vüqar", None),
    ("Quliyeva", "Rəna", None),
    ("Պետրոսյան", "Անահիտ", None),
    ("Ղազարյան", "Արամ", None),
    ("Սարգսյան", "Արամ", None),
]

#: (stored name, typed name, what changed): the typo is on the stored side, the typed side or
#: in the given name; Cyrillic, Latin and Armenian script.
CASES = [
    # the demo's planted second registration: a letter dropped from the family name
    (("Нврузов", "Рамиль", "Эльнурович"), ("Новрузов", "Рамиль"), "stored family: dropped"),
    (("Новрузов", "Рамиль", "Эльнурович"), ("Нврузов", "Рамиль"), "typed family: dropped"),
    (("Hüseynov", "Rəşad", None), ("Hüsyenov", "Rəşad"), "typed family: swapped"),
    (("Quliyev", "Rəşad", None), ("Quliyev", "Rsahad"), "typed given: swapped"),
    (("Abbasov", "Tural", None), ("Abbasvov", "Tural"), "typed family: inserted"),
    (("Qasımov", "Elçin", None), ("Qasımov", "Elçim"), "typed given: changed"),
    (("Պետրսյան", "Արամ", None), ("Պետրոսյան", "Արամ"), "stored family: dropped, Armenian"),
    (("Ղազարյան", "Անահիտ", None), ("Ղազարյան", "Անահտ"), "typed given: dropped, Armenian"),
    (("Ղազայրան", "Գոռ", None), ("Ղազարյան", "Գոռ"), "stored family: swapped, Armenian"),
]


def query(family: str, given: str, **extra) -> similar.SimilarQuery:
    return parse_input(similar.SimilarQuery, {"family_name": family, "given_name": given, **extra})


def found_ids(wayhome, actor, typed: tuple[str, str]) -> list[str]:
    return [s.person.id for s in similar.similar_persons(wayhome, actor, query(*typed))]


@pytest.fixture()
def registry(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    for family, given, patronymic in NEIGHBOURS:
        persons.register_person(wayhome, actor, person(family, given, patronymic))
    return actor


def typo_free_postings(name: tuple[str | None, ...]) -> set[tuple[str, str]]:
    features = search_index.match_features([name], None, None, None)
    return {(k, v) for k, v in search_index.posting_keys(features) if k not in ("dg", "fd")}


@pytest.mark.parametrize(("stored", "typed", "what"), CASES, ids=[c[2] for c in CASES])
def test_one_typo_in_a_name_is_found_first(wayhome, registry, monkeypatch, stored, typed, what):
    # as in a big registry, where a family name's list alone is longer than the budget: two
    # more persons of each family name, and a budget of two posting ids
    for family in {stored[0], typed[0]}:
        for given in ("Zaur", "Tofiq"):
            persons.register_person(wayhome, registry, person(family, given))
    monkeypatch.setattr(similar, "FETCH_BUDGET", 2)
    target = persons.register_person(wayhome, registry, person(*stored))
    # one name part differs, and not by a sound key: at most the family's own list is shared
    shared = typo_free_postings(stored) & typo_free_postings((*typed, None))
    assert {kind for kind, _ in shared} <= {"f"}, what
    found = found_ids(wayhome, registry, typed)
    assert found and found[0] == target.id, what


def test_the_demo_pair_is_listed_beside_the_other_spelling(wayhome, registry):
    """The victim picker's case: both registrations of the person come up for the typed name."""
    latin = persons.register_person(wayhome, registry, person("Novruzov", "Ramil", "Elnur oğlu"))
    typo = persons.register_person(wayhome, registry, person("Нврузов", "Рамиль", "Эльнурович"))
    hits = similar.similar_persons(wayhome, registry, query("Новрузов", "Рамиль"))
    assert {h.person.id for h in hits[:2]} == {latin.id, typo.id}
    [found] = [h for h in hits if h.person.id == typo.id]
    levels = {f.field: f.level for f in found.fields}
    assert levels["family_name"] == "family_names_one_edit_apart"
    assert levels["given_name"] == "given_names_share_key"


@pytest.mark.parametrize("novruzov_share", [0.0005, 0.01, 0.2])
def test_a_typo_never_outranks_the_same_name_spelled_right(novruzov_share):
    """One letter apart says no more than the same name across scripts would, term frequency
    included, whether the name is rare or common: "Новрузов Рамиль" scores "Novruzov Ramil" at
    least as high as "Нврузов Рамиль" (in the demo the typo ranked first, 0.55 against 0.15:
    the one-letter family pair was not read as one family, so the given name counted more)."""

    def features(family: str, given: str, patronymic: str | None = None):
        return search_index.match_features([(family, given, patronymic)], None, None, None)

    typed = features("Новрузов", "Рамиль")
    latin = features("Novruzov", "Ramil", "Elnur oğlu")
    typo = features("Нврузов", "Рамиль", "Эльнурович")
    total = 100_000
    counts = {("fk", key): int(novruzov_share * total) for key in typed["fam_k"]}
    counts.update({("gk", key): 300 for key in typed["giv_k"]})
    weights = similar._default_weights()
    scored = {
        name: similar.score(weights, typed, candidate, counts, total)
        for name, candidate in (("latin", latin), ("typo", typo))
    }
    family = {n: next(f for f in s[2] if f.field == "family_name") for n, s in scored.items()}
    assert family["typo"].level == "family_names_one_edit_apart"
    assert family["typo"].bits <= family["latin"].bits
    given = {n: next(f for f in s[2] if f.field == "given_name") for n, s in scored.items()}
    assert given["typo"].bits == given["latin"].bits  # both read as one family
    assert scored["latin"][0] >= scored["typo"][0]


def test_another_family_name_is_not_proposed(wayhome, registry):
    persons.register_person(wayhome, registry, person("Нврузов", "Рамиль"))
    assert found_ids(wayhome, registry, ("Абдуллаев", "Рамиль")) == []


def test_typo_postings_follow_writes_and_bulk_loads(wayhome, registry):
    [bulk] = persons_bulk.bulk_register(
        wayhome, registry, [person("Нврузов", "Рамиль", "Эльнурович")]
    )
    assert found_ids(wayhome, registry, ("Новрузов", "Рамиль")) == [bulk]
    with wayhome.read() as session:
        kinds = set(
            session.scalars(select(PersonNameKey.kind).where(PersonNameKey.person_id == bulk))
        )
    assert {"dg", "fd"} <= kinds
    # renamed: the old typo postings go, the new ones come
    persons.update_person(wayhome, registry, bulk, person("Гасымов", "Рамиль", version=1))
    assert found_ids(wayhome, registry, ("Новрузов", "Рамиль")) == []
    assert found_ids(wayhome, registry, ("Гасимов", "Рамиль")) == [bulk]
