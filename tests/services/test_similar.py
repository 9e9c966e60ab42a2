"""Search before register: index maintenance, candidates, scores, visibility, archived records."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from wayhome.core.errors import ValidationFailed
from wayhome.core.vocab import Role
from wayhome.linkage import IncrementalLinker, LinkageModel
from wayhome.services import persons, search_index, similar
from wayhome.services.inputs import PersonInput, parse_input
from wayhome.store.tables_search import NameKeyCount, PersonMatchFeatures, PersonNameKey


def data(family="Məmmədov", given="Əli", **extra) -> PersonInput:
    names = [{"family_name": family, "given_name": given}]
    if "patronymic" in extra:
        names[0]["patronymic"] = extra.pop("patronymic")
    return parse_input(PersonInput, {"names": names, **extra})


def register(wayhome, actor, family="Məmmədov", given="Əli", **extra):
    return persons.register_person(wayhome, actor, data(family, given, **extra))


def query(**fields) -> similar.SimilarQuery:
    return parse_input(similar.SimilarQuery, fields)


def postings(wayhome, person_id) -> set[tuple[str, str]]:
    with wayhome.read() as session:
        rows = session.execute(
            select(PersonNameKey.kind, PersonNameKey.key).where(
                PersonNameKey.person_id == person_id
            )
        )
        return {(k, v) for k, v in rows}


def counts(wayhome) -> dict[tuple[str, str], int]:
    with wayhome.read() as session:
        return {(c.kind, c.key): c.persons for c in session.scalars(select(NameKeyCount))}


def test_keys_follow_every_write(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    person = register(wayhome, actor, birth_date="1980-05-02")
    keys = postings(wayhome, person.id)
    assert {kind for kind, _ in keys} == {"f", "fg", "fy", "dg", "fd"}
    assert any(kind == "fy" and key.endswith("|1980") for kind, key in keys)
    assert counts(wayhome)[search_index.TOTAL] == 1

    edited = persons.update_person(
        wayhome, actor, person.id, data("Hüseynov", "Əli", birth_date="1981", version=1)
    )
    after = postings(wayhome, person.id)
    assert after != keys and any(key.endswith("|1981") for _, key in after)
    c = counts(wayhome)
    assert all(c.get(k, 0) == 0 for k in keys - after)  # the old keys are counted out
    assert all(c[k] == 1 for k in after)

    persons.set_archived(wayhome, actor, edited.id, True)
    assert postings(wayhome, person.id) == set()
    assert counts(wayhome)[search_index.TOTAL] == 0
    assert all(n == 0 for n in counts(wayhome).values())
    persons.set_archived(wayhome, actor, edited.id, False)
    assert postings(wayhome, person.id) == after
    assert counts(wayhome)[search_index.TOTAL] == 1


def test_reindex_rebuilds_the_same_index(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    a = register(wayhome, actor, birth_date="1980")
    register(wayhome, actor, "Мамедова", "Лейла", patronymic="Гасановна")
    archived = register(wayhome, actor, "Aliyev", "Rashad")
    persons.set_archived(wayhome, actor, archived.id, True)
    persons.update_person(wayhome, actor, a.id, data(birth_date="1979", version=1))
    before_postings = {(pid, k) for pid in (a.id,) for k in postings(wayhome, pid)}
    before = {k: n for k, n in counts(wayhome).items() if n}
    assert search_index.reindex(wayhome, batch_size=1) == 2
    assert counts(wayhome) == before
    assert {(a.id, k) for k in postings(wayhome, a.id)} == before_postings
    with wayhome.read() as session:
        assert session.scalar(select(func.count()).select_from(PersonMatchFeatures)) == 2


def test_cross_script_variant_is_found_with_explanation(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    target = register(
        wayhome,
        actor,
        patronymic="Həsən oğlu",
        sex="M",
        birth_date="1980-05-02",
        birth_place_text="Şəki",
    )
    register(wayhome, actor, "Həsənov", "Vüqar", sex="M", birth_date="1975")
    found = similar.similar_persons(
        wayhome,
        actor,
        query(family_name="Мамедов", given_name="Али", patronymic="Гасанович", birth_date="1980"),
    )
    assert [s.person.id for s in found] == [target.id]
    [hit] = found
    assert hit.probability > 0.9
    levels = {f.field: f.level for f in hit.fields}
    assert levels["family_name"] == "family_names_share_key"
    assert levels["given_name"] == "given_names_share_key"
    assert levels["patronymic"] == "fathers_names_share_key"
    assert levels["birth_date"] == "birth_precision_compatible"  # a year against a full date
    assert levels["birth_place"] == "birth_place_missing"
    assert all(f.explanation == similar.LEVEL_TEXT[f.level] for f in hit.fields)


def test_partial_dates_rank_and_conflicts_count_against(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    same = register(wayhome, actor, birth_date="1980-05")
    other = register(wayhome, actor, birth_date="1955-01-01")
    found = similar.similar_persons(
        wayhome, actor, query(family_name="Mammadov", given_name="Ali", birth_date="1980-05-02")
    )
    assert found[0].person.id == same.id
    levels = {f.field: f.level for f in found[0].fields}
    assert levels["birth_date"] == "birth_year_and_month_equal"
    assert other.id not in [s.person.id for s in found if s.probability > 0.5]


def test_only_visible_not_archived_persons(wayhome, make):
    mine = make.actor(Role.REGISTRAR, "ORG1")
    theirs = make.actor(Role.REGISTRAR, "ORG2")
    own = register(wayhome, mine, birth_date="1980")
    foreign = register(wayhome, theirs, birth_date="1980")
    archived = register(wayhome, mine, birth_date="1980")
    persons.set_archived(wayhome, mine, archived.id, True)
    q = query(family_name="Мамедов", given_name="Али", birth_date="1980")
    assert [s.person.id for s in similar.similar_persons(wayhome, mine, q)] == [own.id]
    persons.share(wayhome, theirs, foreign.id, None)
    ids = {s.person.id for s in similar.similar_persons(wayhome, mine, q)}
    assert ids == {own.id, foreign.id}


def test_nothing_typed_finds_nothing_and_bad_input_is_refused(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    register(wayhome, actor)
    assert similar.similar_persons(wayhome, actor, query(birth_date="1980")) == []
    with pytest.raises(ValidationFailed) as error:
        query(family_name="x", birth_date="1980-13")
    assert error.value.errors[0].loc == ("birth_date",)
    with pytest.raises(ValidationFailed):
        query(sex="Q")


def test_common_names_keep_the_candidate_set_small():
    counts = {("f", f"K{i}"): 50_000 for i in range(3)}
    counts[("fg", "rare|AL")] = 40
    counts[("fy", "rare|1980")] = 900
    chosen = similar._choose_postings(counts, set(counts))
    assert [(kind, key) for kind, key, _ in chosen] == [("fg", "rare|AL"), ("fy", "rare|1980")]
    only_common = {("f", "MAMATAF"): 50_000}
    assert similar._choose_postings(only_common, set(only_common)) == [("f", "MAMATAF", 50_000)]


RECORDS = [
    ("r1", "Məmmədov", "Əli", "Həsən oğlu", "M", "1980-05-02", "Şəki"),
    ("r2", "Мамедова", "Лейла", "Гасановна", "F", "1983", "Шеки"),
    ("r3", "Hakobyan", "Armen", "", "M", "1975-03", "Gyumri"),
    ("r4", "Акопян", "Арам", "Сергеевич", "", "1975-03-01", ""),
    ("r5", "Aliyev", "Rashad", "", "M", "1990-01-01", "Baku"),
    ("r6", "Алиев", "Рашад", "Ильич", "M", "1990", "Баку"),
    ("r7", "Sargsyan", "Anahit", "", "F", "1962-12-30", "Yerevan"),
    ("r8", "Саркисян", "Анаит", "", "", "1962-30-12", ""),
    ("r9", "Gelashvili", "Nino", "", "F", "1988-07-07", "Tbilisi"),
    ("r10", "Гелашвили", "Нино", "Давидовна", "F", "1988", "Тбилиси"),
    ("r11", "Məmmədova", "Günay", "", "F", "2001-02-03", "Gəncə"),
    ("r12", "Mamedov", "Ali", "Gasanovich", "M", "1981-05-02", ""),
]


def _with_sibling_tables(model):
    """The shipped model with made-up "same parents" u tables (as models trained by newer
    engines carry), so that the scorer's use of them is compared with the engine's too."""
    if "u_same_parents" not in LinkageModel.__dataclass_fields__:
        pytest.skip("this linkage engine has no same-parents u tables")
    data = json.loads(model.to_json())
    data["u_same_parents"] = {
        f: [0.5 / len(u)] * (len(u) - 1) + [0.5] for f, u in model.u_same_family.items()
    }
    return LinkageModel(**data)


@pytest.mark.parametrize("variant", ["shipped", "sibling_tables"])
def test_python_scores_agree_with_the_sql_engine(wayhome, make, monkeypatch, variant):
    """The pure-Python scorer gives the linkage engine's match weight for the same pair."""
    frame = pd.DataFrame(
        [r for r in RECORDS if r[5] != "1962-30-12"],
        columns=[
            "id",
            "family_name",
            "given_name",
            "patronymic",
            "sex",
            "birth_date",
            "birth_place",
        ],
    )
    model = similar.default_model()
    if variant == "sibling_tables":
        model = _with_sibling_tables(model)
    assert similar.Weights.of(model).same_parents  # the shipped model has sibling tables too
    monkeypatch.setattr(similar, "TF_MIN_PERSONS", 0)  # the engine adjusts at any size
    monkeypatch.setattr(similar, "MIN_PROBABILITY", 0.0)
    actor = make.actor(Role.REGISTRAR)
    ids = {}
    for rid, family, given, patronymic, sex, born, place in frame.itertuples(index=False):
        person = persons.register_person(
            wayhome,
            actor,
            parse_input(
                PersonInput,
                {
                    "names": [
                        {"family_name": family, "given_name": given, "patronymic": patronymic}
                    ],
                    "sex": sex or "U",
                    "birth_date": born,
                    "birth_place_text": place,
                },
            ),
        )
        ids[person.id] = rid
    clusters = pd.DataFrame({"id": frame["id"], "cluster_id": frame["id"]})
    queries = [
        {
            "family_name": "Мамедов",
            "given_name": "Али",
            "patronymic": "Гасанович",
            "birth_date": "1980-05",
            "sex": "M",
            "birth_place": "Шеки",
        },
        {  # a brother of r1 (same family and father, another given name): "same parents" u
            "family_name": "Мамедов",
            "given_name": "Рашид",
            "patronymic": "Гасанович",
            "birth_date": "1980-05-02",
            "sex": "M",
            "birth_place": "Шеки",
        },
        {"family_name": "Akopyan", "given_name": "Armen", "birth_date": "1975"},
        {
            "family_name": "Gelashvili",
            "given_name": "Nina",
            "birth_date": "1988-07-08",
            "birth_place": "Tbilisi",
        },
    ]
    compared = 0
    for q in queries:
        with IncrementalLinker(frame, clusters, model, threshold=0.0) as linker:
            placed = linker.add(
                {"id": "query", **{k: q.get(k, "") for k in frame.columns if k != "id"}}
            )
        found = similar.similar_persons(wayhome, actor, query(**q), limit=20, model=model)
        by_rid = {ids[s.person.id]: s for s in found}
        assert placed.matched_id in by_rid, (q, placed)
        assert by_rid[placed.matched_id].probability == pytest.approx(
            placed.match_probability, rel=1e-6, abs=1e-9
        )
        compared += 1
    assert compared == len(queries)


def test_gazetteer_birth_place_is_compared_by_its_name(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    sheki = make.place("AZSK", name="Şəki")
    baku = make.place("AZBK", name="Bakı")
    person = register(wayhome, actor, birth_place_id=baku.id)
    persons.update_person(wayhome, actor, person.id, data(birth_place_id=sheki.id, version=1))
    [found] = similar.similar_persons(
        wayhome, actor, query(family_name="Мамедов", given_name="Али", birth_place="Шеки")
    )
    levels = {f.field: f.level for f in found.fields}
    assert levels["birth_place"] in ("birth_places_share_key", "birth_places_sound_alike")
