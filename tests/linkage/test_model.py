"""EM recovers known m/u; term-frequency adjustment; scores and explanations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.linkage.synth import demo_engine_row
from wayhome.linkage.api import score
from wayhome.linkage.model import (
    LinkageModel,
    expectation_maximisation,
    fit,
    initial_m,
    monotone_m,
)
from wayhome.linkage.records import load_records


def simulate(m, u, prior, n, rng):
    """Comparison vectors of n pairs with known m/u (levels drawn independently per field)."""
    is_match = rng.random(n) < prior
    columns = []
    for mk, uk in zip(m, u, strict=True):
        col = np.where(is_match, rng.choice(len(mk), n, p=mk), rng.choice(len(uk), n, p=uk))
        columns.append(col)
    vectors = np.column_stack(columns)
    patterns, counts = np.unique(vectors, axis=0, return_counts=True)
    return patterns, counts.astype(float)


M_TRUE = [
    np.array([0.9, 0.07, 0.03]),
    np.array([0.85, 0.15]),
    np.array([0.7, 0.2, 0.1]),
    np.array([0.95, 0.05]),
]
U_TRUE = [
    np.array([0.05, 0.1, 0.85]),
    np.array([0.1, 0.9]),
    np.array([0.02, 0.08, 0.9]),
    np.array([0.3, 0.7]),
]


def test_em_recovers_m_u_and_prior():
    rng = np.random.default_rng(1)
    patterns, counts = simulate(M_TRUE, U_TRUE, 0.2, 200_000, rng)
    m0 = [initial_m(len(x)) for x in M_TRUE]
    u0 = [np.full(len(x), 1 / len(x)) for x in U_TRUE]
    m, u, prior, _, converged = expectation_maximisation(patterns, counts, m0, u0, 0.5)
    assert converged
    assert abs(prior - 0.2) < 0.01
    for k in range(len(M_TRUE)):
        assert np.abs(m[k] - M_TRUE[k]).max() < 0.02
        assert np.abs(u[k] - U_TRUE[k]).max() < 0.02


def test_em_with_fixed_u_recovers_m():
    rng = np.random.default_rng(2)
    patterns, counts = simulate(M_TRUE, U_TRUE, 0.3, 100_000, rng)
    m0 = [initial_m(len(x)) for x in M_TRUE]
    m, u, prior, _, _ = expectation_maximisation(patterns, counts, m0, U_TRUE, 0.5, fix_u=True)
    assert abs(prior - 0.3) < 0.01
    for k in range(len(M_TRUE)):
        assert np.abs(m[k] - M_TRUE[k]).max() < 0.02
        assert np.array_equal(u[k], U_TRUE[k])


def test_em_ignores_missing_levels():
    rng = np.random.default_rng(3)
    patterns, counts = simulate(M_TRUE, U_TRUE, 0.2, 100_000, rng)
    patterns = patterns.copy()
    patterns[::3, 0] = -1  # field 0 missing in a third of the patterns
    m0 = [initial_m(len(x)) for x in M_TRUE]
    u0 = [np.full(len(x), 1 / len(x)) for x in U_TRUE]
    m, _, prior, _, _ = expectation_maximisation(patterns, counts, m0, u0, 0.5)
    assert abs(prior - 0.2) < 0.02
    assert np.abs(m[1] - M_TRUE[1]).max() < 0.03


def _frame(rows):
    columns = ["id", "given_name", "family_name", "birth_date", "sex"]
    return pd.DataFrame(rows, columns=columns)


def test_common_family_name_weighs_less_than_rare_one():
    rows = [(f"c{i}", f"Given{i}x", "Ivanov", "", "M") for i in range(40)]
    rows += [(f"o{i}", f"Other{i}y", f"Family{i}z", "", "M") for i in range(40)]
    rows += [
        ("p1", "Petr", "Ivanov", "1970", "M"),
        ("p2", "Petr", "Ivanov", "1970", "M"),
        ("q1", "Petr", "Zaslavsky", "1970", "M"),
        ("q2", "Petr", "Zaslavsky", "1970", "M"),
    ]
    scored = score(load_records(_frame(rows)), model=_fixed_model())
    bits = scored.engine.fetch(
        "SELECT l, r, bits_family_name FROM scores WHERE g_family_name = 0"
    ).to_pandas()
    ids = scored.features.ids
    bits["pair"] = [f"{ids[a]}-{ids[b]}" for a, b in zip(bits.l, bits.r, strict=True)]
    common = bits.loc[bits.pair == "p1-p2", "bits_family_name"].iat[0]
    rare = bits.loc[bits.pair == "q1-q2", "bits_family_name"].iat[0]
    scored.engine.close()
    assert rare > common + 2


def _fixed_model() -> LinkageModel:
    rng = np.random.default_rng(0)
    patterns = rng.integers(0, 2, size=(50, 6))
    counts = np.ones(50)
    return fit((patterns, counts), (patterns, counts), 1000.0)


def test_model_json_round_trip():
    model = _fixed_model()
    again = LinkageModel.from_json(model.to_json())
    assert again == model
    assert "family_name" in model.summary()


def test_same_family_u_weakens_what_siblings_share():
    rng = np.random.default_rng(4)
    sizes = [6, 6, 5, 10, 2, 4]
    patterns = np.column_stack([rng.integers(0, s, 5000) for s in sizes])
    counts = np.ones(5000)
    # within families: family names agree, fathers' names mostly agree too (siblings)
    family = patterns.copy()
    family[:, 0] = 0
    family[:, 2] = np.where(rng.random(5000) < 0.6, 0, 4)
    model = fit((patterns, counts), (patterns, counts), 1e6, same_family=(family, counts))
    assert model.u_same_family
    assert model.bits("patronymic", same_family=True)[0] < model.bits("patronymic")[0] - 1


def test_same_parents_u_weakens_what_twins_share():
    """Among pairs with the same family and father's name that clearly are two people (given
    names differ), equal birth dates and places are common (twins, siblings): they must weigh
    less there than within the family, and much less than between strangers."""
    rng = np.random.default_rng(5)
    sizes = [6, 6, 5, 10, 2, 4]
    n = 20000
    patterns = np.column_stack([rng.integers(0, s, n) for s in sizes])
    counts = np.ones(n)
    family = patterns.copy()
    family[:, 0] = 0
    siblings = rng.random(n) < 0.5
    family[:, 2] = np.where(siblings, 0, 4)  # siblings share the father's name
    family[:, 1] = np.where(siblings, 5, family[:, 1])  # ... and have other given names
    family[:, 3] = np.where(siblings & (rng.random(n) < 0.3), 0, family[:, 3])  # twins
    family[:, 5] = np.where(siblings & (rng.random(n) < 0.9), 0, family[:, 5])  # one home
    model = fit((patterns, counts), (patterns, counts), 1e6, same_family=(family, counts))
    assert set(model.u_same_parents) == {"given_name", "birth_date", "sex", "birth_place"}
    for name in ("birth_date", "birth_place"):
        parents = model.bits(name, same_parents=True)[0]
        assert parents < model.bits(name, same_family=True)[0] - 0.5, name
        assert parents < model.bits(name)[0] - 1, name
    again = LinkageModel.from_json(model.to_json())
    assert again.u_same_parents == model.u_same_parents


def test_twins_weigh_less_than_a_duplicate():
    """Scores use the same-parents weights when family and father's names agree."""
    import duckdb

    from wayhome.linkage.engines import make_engine
    from wayhome.linkage.model import scores_sql

    rng = np.random.default_rng(5)
    sizes = [6, 6, 5, 10, 2, 4]
    n = 20000
    patterns = np.column_stack([rng.integers(0, s, n) for s in sizes])
    family = patterns.copy()
    family[:, 0] = 0
    siblings = rng.random(n) < 0.5
    family[:, 2] = np.where(siblings, 0, 4)
    family[:, 1] = np.where(siblings, 5, family[:, 1])
    family[:, 3] = np.where(siblings & (rng.random(n) < 0.3), 0, family[:, 3])
    counts = np.ones(n)
    model = fit((patterns, counts), (patterns, counts), 1e6, same_family=(family, counts))
    engine = make_engine("duckdb")
    d = engine.dialect
    # twins: all agree but the given name; a stranger pair with the same levels but another
    # father; the duplicate of one twin
    rows = pd.DataFrame(
        {
            "l": [0, 1, 2],
            "r": [10, 11, 12],
            "g_family_name": [0, 0, 0],
            "g_given_name": [5, 5, 0],
            "g_patronymic": [0, 4, 0],
            "g_birth_date": [0, 0, 0],
            "g_sex": [0, 0, 0],
            "g_birth_place": [0, 0, 0],
        }
    )
    for field in ("family_name", "given_name", "patronymic", "birth_place"):
        rows[f"tf_{field}"] = np.nan
    con = duckdb.connect()
    con.register("v_in", rows)
    got = con.sql(scores_sql(model, d, "v_in")).df().set_index("l")
    twin, duplicate = got.loc[0], got.loc[2]
    assert twin["bits_birth_date"] == model.bits("birth_date", same_parents=True)[0]
    assert got.loc[1]["bits_birth_date"] == model.bits("birth_date", same_family=True)[0]
    assert duplicate["match_weight"] - twin["match_weight"] > 5
    engine.close()


def test_monotone_m_keeps_agreement_for_and_difference_against_a_match():
    rng = np.random.default_rng(6)
    for _ in range(200):
        size = int(rng.integers(2, 8))
        m, u = rng.dirichlet(np.ones(size)), rng.dirichlet(np.ones(size))
        got = monotone_m(m, u)
        assert abs(got.sum() - 1) < 1e-12 and (got >= 0).all()
        assert got[0] >= u[0] - 1e-12
        assert got[-1] <= u[-1] + 1e-12
        if m[0] >= u[0] and m[-1] <= u[-1]:
            assert np.allclose(got, m)  # nothing to correct: left alone


def test_m_prior_holds_without_matches_and_yields_to_many():
    """MAP-EM: with no matches among the pairs, m stays at its prior (plain EM makes a "match"
    class of whatever pairs look most alike); with many matches the data wins."""
    rng = np.random.default_rng(7)
    reference = [np.array([0.8, 0.15, 0.05]), np.array([0.9, 0.1]), np.array([0.6, 0.3, 0.1])]
    u = [np.array([0.05, 0.1, 0.85]), np.array([0.1, 0.9]), np.array([0.02, 0.08, 0.9])]
    # related non-matches: agree on the first two fields, differ on the third
    related = [np.array([0.7, 0.2, 0.1]), np.array([0.8, 0.2]), np.array([0.0, 0.05, 0.95])]
    patterns, counts = simulate(related, u, 0.02, 50_000, rng)  # 1000 related pairs
    kwargs = {"m_prior": reference, "prior_strength": 500.0, "monotone": True}
    m, _, prior, _, ok = expectation_maximisation(
        patterns, counts, reference, u, 0.3, fix_u=True, **kwargs
    )
    assert ok
    assert m[2][2] <= u[2][2]  # "differs" never counts for a match
    assert m[2][2] < 0.2 and prior < 0.005
    plain, _, plain_prior, _, _ = expectation_maximisation(
        patterns, counts, [initial_m(3), initial_m(2), initial_m(3)], u, 0.3, fix_u=True
    )
    assert plain[2][2] > 0.5 and plain_prior > 0.01  # the relatives became "matches"
    truth = [np.array([0.9, 0.07, 0.03]), np.array([0.85, 0.15]), np.array([0.7, 0.2, 0.1])]
    patterns, counts = simulate(truth, u, 0.3, 200_000, rng)
    m, _, prior, _, _ = expectation_maximisation(
        patterns, counts, reference, u, 0.5, fix_u=True, **kwargs
    )
    assert abs(prior - 0.3) < 0.01
    for k in range(3):
        assert np.abs(m[k] - truth[k]).max() < 0.02


def test_em_reports_when_it_does_not_converge():
    rng = np.random.default_rng(8)
    patterns, counts = simulate(M_TRUE, U_TRUE, 0.2, 50_000, rng)
    m0 = [initial_m(len(x)) for x in M_TRUE]
    u0 = [np.full(len(x), 1 / len(x)) for x in U_TRUE]
    *_, iterations, converged = expectation_maximisation(
        patterns, counts, m0, u0, 0.5, max_iterations=3
    )
    assert (iterations, converged) == (3, False)
    model = _fixed_model()
    runs = model.stats["em_runs"]
    assert runs and all({"rule", "iterations", "converged", "matches"} <= set(r) for r in runs)
    assert model.converged == all(r["converged"] for r in runs)


def _demo_frame() -> pd.DataFrame:
    """The demo generator's persons (invented, no duplicates) in the engine's input columns."""
    from wayhome.demo import generate_region

    region = generate_region()
    place = {p.code: p.names[0].name for p in region.places}
    people = (m.person for home in region.households for m in home.members)
    rows = [demo_engine_row(p, place) for p in people]
    return pd.DataFrame(rows)


def test_a_registry_without_duplicates_gets_almost_no_proposals():
    """11,280 invented persons, siblings and namesakes but no duplicates: plain EM found a "match"
    class among relatives (479 iterations, not converged) and proposed 129 pairs at >= 0.5, 7 at
    >= 0.9 ("Əliyev Ramil Nicat oğlu 2010-09" ~ "Vəliyev Ramil Əli oğlu 1983-02-28", 95 %)."""
    from wayhome.linkage import dedupe

    frame = _demo_frame()
    result = dedupe(frame, threshold=0.5, explain=False)
    probability = result.pairs["match_probability"].to_numpy()
    assert result.model.converged
    assert (probability >= 0.5).sum() <= 0.002 * len(frame)  # 22; there were 129, now 11
    assert (probability >= 0.9).sum() <= 5  # there were 7, now 2
    assert result.model.bits("birth_date")[-1] < -5  # birth dates far apart speak against


def test_a_near_match_never_weighs_more_than_the_exact_match_of_the_same_name():
    """On a term-frequency field, a weaker agreement (sound alike, one letter apart) is capped
    at what the exact agreement on the same name would weigh with its term frequency: a
    common name one letter apart is no rarer than the name itself. Rare names are not capped
    below their own level weight."""
    import duckdb

    from wayhome.linkage.engines import make_engine
    from wayhome.linkage.model import scores_sql
    from wayhome.services.similar import default_model  # a model trained on real-looking data

    model = default_model()
    engine = make_engine("duckdb")
    levels = [0, 1, 3, 0, 1, 3, 3]  # share key, sound alike, one letter apart
    shares = [0.3, 0.3, 0.3, 1e-5, 1e-5, 1e-5, None]  # a common name, a rare one, unknown
    rows = pd.DataFrame(
        {
            "l": range(len(levels)),
            "r": range(10, 10 + len(levels)),
            "g_family_name": levels,
            "tf_family_name": shares,
            **{f"g_{f}": -1 for f in ("given_name", "patronymic", "birth_date", "sex")},
            "g_birth_place": -1,
        }
    )
    for field in ("given_name", "patronymic", "birth_place"):
        rows[f"tf_{field}"] = np.nan
    con = duckdb.connect()
    con.register("v_in", rows)
    bits = (
        con.sql(scores_sql(model, engine.dialect, "v_in")).df().set_index("l")["bits_family_name"]
    )
    plain = model.bits("family_name")
    exact_common, exact_rare = bits[0], bits[3]
    assert exact_common < plain[0] < exact_rare  # the term frequency at work
    assert bits[1] <= exact_common and bits[2] <= exact_common
    assert bits[4] == pytest.approx(min(plain[1], exact_rare))
    assert bits[5] == pytest.approx(min(plain[3], exact_rare))
    assert bits[6] == pytest.approx(plain[3])  # no term frequency: the level's own weight
    engine.close()


def test_a_pair_whose_given_names_differ_links_only_on_what_siblings_do_not_share():
    import duckdb

    from wayhome.linkage.model import links_sql

    rng = np.random.default_rng(7)
    sizes = [6, 6, 5, 10, 2, 4]
    patterns = np.column_stack([rng.integers(0, s, 5000) for s in sizes])
    model = fit((patterns, np.ones(5000)), (patterns, np.ones(5000)), 1e6)
    differ = model.levels["given_name"].index("given_names_differ")
    rows = pd.DataFrame(  # bits of the fields siblings share (35 in all), and the weight
        {
            "g_given_name": [differ, differ, 0, differ, differ],
            "bits_family_name": [7.0] * 5,
            "bits_patronymic": [6.0] * 5,
            "bits_birth_place": [8.0] * 5,
            "bits_birth_date": [14.0] * 5,
            # a twin; the same and 20 bits more (an identifier, say); given names that agree;
            # 3.0 and 3.5 bits beyond the shared fields (the threshold 0.9 is 3.17 bits)
            "match_weight": [20.0, 40.0, 20.0, 38.0, 38.5],
        }
    )
    con = duckdb.connect()
    con.register("s", rows)
    got = con.sql(f"SELECT {links_sql(model, 's', 0.9)} AS links FROM s").df()["links"]
    assert got.tolist() == [0, 1, 1, 0, 1]
