"""Search before register with several names typed: each is searched, the best one counts."""

from __future__ import annotations

import pytest

from wayhome.core.errors import ValidationFailed
from wayhome.core.vocab import Role
from wayhome.services import persons, similar
from wayhome.services.inputs import PersonInput, parse_input

# synthetic persons; the married name typed first is unrelated to the registered one
LEYLA = {
    "names": [{"family_name": "Həsənova", "given_name": "Leyla", "patronymic": "Rauf qızı"}],
    "sex": "F",
    "birth_date": "1980-05-02",
    "birth_place_text": "Şəki",
}
MARRIED = {"family_name": "Quliyeva", "given_name": "Leyla"}
MAIDEN_CYRILLIC = {"family_name": "Гасанова", "given_name": "Лейла", "patronymic": "Рауфовна"}


def query(**fields) -> similar.SimilarQuery:
    return parse_input(similar.SimilarQuery, fields)


@pytest.fixture()
def leyla(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    person = persons.register_person(wayhome, actor, parse_input(PersonInput, LEYLA))
    other = {"family_name": "Quliyev", "given_name": "Rauf", "patronymic": "Əli oğlu"}
    persons.register_person(
        wayhome, actor, parse_input(PersonInput, {"names": [other], "birth_date": "1950"})
    )
    return actor, person


def test_a_second_name_in_another_script_finds_the_person(wayhome, leyla):
    actor, person = leyla
    first_only = similar.similar_persons(wayhome, actor, query(**MARRIED, birth_date="1980"))
    assert person.id not in [s.person.id for s in first_only if s.probability >= 0.5]

    both = query(**MARRIED, birth_date="1980", other_names=[MAIDEN_CYRILLIC])
    [hit, *_] = similar.similar_persons(wayhome, actor, both)
    assert hit.person.id == person.id and hit.probability > 0.9
    assert hit.query_name == 1  # the maiden name scored best
    levels = {f.field: f.level for f in hit.fields}
    assert levels["family_name"] == "family_names_share_key"


def test_the_score_is_the_best_over_the_names(wayhome, leyla):
    actor, person = leyla
    alone = similar.similar_persons(
        wayhome, actor, query(**MAIDEN_CYRILLIC, birth_date="1980", sex="F")
    )
    both = similar.similar_persons(
        wayhome,
        actor,
        query(**MARRIED, birth_date="1980", sex="F", other_names=[MAIDEN_CYRILLIC]),
    )
    best_alone = {s.person.id: s for s in alone}
    best_both = {s.person.id: s for s in both}
    assert best_both[person.id].match_weight == pytest.approx(best_alone[person.id].match_weight)
    assert best_both[person.id].fields == best_alone[person.id].fields
    # the other way round: the matching name first gives the same score, as name 0
    swapped = similar.similar_persons(
        wayhome,
        actor,
        query(**MAIDEN_CYRILLIC, birth_date="1980", sex="F", other_names=[MARRIED]),
    )
    assert swapped[0].person.id == person.id and swapped[0].query_name == 0
    assert swapped[0].match_weight == pytest.approx(best_alone[person.id].match_weight)


def test_names_are_the_typed_rows_without_blanks_or_repeats():
    q = query(
        given_name="",
        family_name=" ",
        other_names=[{}, {"family_name": "Гасанова"}, {"family_name": "Гасанова"}],
    )
    assert q.names == [("Гасанова", None, None)]
    assert q.has_name
    assert not query(other_names=[{"given_name": ""}]).has_name
    assert len(similar.query_features(q)) == 1


def test_too_many_or_bad_names_are_refused():
    names = [{"family_name": f"Name{i}"} for i in range(similar.MAX_OTHER_NAMES + 1)]
    with pytest.raises(ValidationFailed) as error:
        query(family_name="X", other_names=names)
    assert error.value.errors[0].loc == ("other_names",)
    with pytest.raises(ValidationFailed) as error:
        query(other_names=[{"family_name": "x" * 121}])
    assert error.value.errors[0].loc == ("other_names", 0, "family_name")
    with pytest.raises(ValidationFailed):
        query(other_names=[{"surname": "X"}])  # unknown fields are refused


def test_only_other_names_typed_still_searches(wayhome, leyla):
    actor, person = leyla
    found = similar.similar_persons(
        wayhome, actor, query(other_names=[MAIDEN_CYRILLIC], birth_date="1980-05-02")
    )
    assert found[0].person.id == person.id
