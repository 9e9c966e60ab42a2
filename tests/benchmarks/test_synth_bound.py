"""The ideal-reader bound: which persons a record is compatible with, and the F1 it allows."""

from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

from benchmarks.synth import SynthConfig, generate  # noqa: E402
from benchmarks.synth_bound import ambiguity, bound_scores, persons_frame  # noqa: E402


def _persons() -> pd.DataFrame:
    # p0 and p1: same community, sex, given and family name and birth year, other father and
    # date; p2: another given name
    return pd.DataFrame(
        {
            "comm": [0, 0, 0],
            "sex": [0, 0, 0],
            "given": [1, 1, 7],
            "fam": [2, 2, 2],
            "father": [3, 5, 3],
            "place": [4, 4, 4],
            "y": [1957, 1957, 1957],
            "m": [3, 8, 3],
            "d": [12, 1, 12],
        }
    )


def _record(true_id: str, **fields: str | None) -> dict[str, str | None]:
    row = dict.fromkeys(("given_name", "family_name", "patronymic", "birth_date", "birth_place"))
    row.update(fields)
    return {**row, "true_id": true_id}


def test_compatible_persons_are_counted_per_given_field():
    records = pd.DataFrame(
        [
            _record("p0", given_name="x", family_name="x", birth_date="1957"),  # p0 or p1
            _record("p0", given_name="x", family_name="x", patronymic="x"),  # father: p0 only
            _record("p0", given_name="x", birth_date="1957-03-12"),  # full date: p0 only
            _record("p0", family_name="x", birth_date="1957-03"),  # p0 or p2 (same month)
            _record("p0", family_name="x", birth_place="x"),  # all three
            _record("p0", given_name="x", family_name="x", birth_date="1958"),  # wrong year
        ]
    )
    k, other = ambiguity(records, _persons())
    assert k.tolist() == [2, 1, 1, 2, 3, 1]
    assert other[0] == 1 and other[3] == 2 and other[4] in (1, 2)
    assert other[1] == other[2] == other[5] == -1


def test_bound_is_perfect_without_ambiguity_and_drops_with_it():
    persons = _persons()
    clear = pd.DataFrame(
        [
            _record("p0", given_name="x", patronymic="x"),
            _record("p0", given_name="x", birth_date="1957-03-12"),
            _record("p1", given_name="x", patronymic="x"),
            _record("p1", given_name="x", birth_date="1957-08"),
        ]
    )
    assert all(f == 1.0 for _, _, f in bound_scores(clear, persons).values())
    vague = pd.concat([clear, pd.DataFrame([_record("p1", given_name="x", birth_date="1957")])])
    scores = bound_scores(vague.reset_index(drop=True), persons)
    assert scores["alone"][0] == 1.0 and scores["alone"][1] < 1.0  # left alone: recall only


def test_persons_are_those_of_the_generator():
    cfg = SynthConfig(n=3000, seed=3)
    records = generate(cfg)
    persons = persons_frame(cfg)
    owner = persons.iloc[records["true_id"].str[1:].astype(int).to_numpy()]
    full = records["birth_date"].str.len() == 10
    # a full date is the person's own date unless one of the generator's date errors hit it
    same = (owner["y"].to_numpy()[full] == records["birth_date"][full].str[:4].astype(int)).mean()
    assert same > 0.9
    k, _ = ambiguity(records, persons)
    assert (k >= 1).all() and 0.9 < (k == 1).mean() < 1.0
