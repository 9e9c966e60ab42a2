"""The multi-script benchmark generator: contract, determinism, ground truth, variety."""

from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")

from benchmarks.synth import COLUMNS, SynthConfig, generate  # noqa: E402
from wayhome.names import detect_script  # noqa: E402

N = 6000


@pytest.fixture(scope="module")
def df():
    return generate(SynthConfig(n=N, seed=3))


def test_columns_and_size(df):
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == N
    assert df["id"].is_unique
    assert df["true_id"].notna().all()


def test_deterministic_for_a_seed(df):
    again = generate(SynthConfig(n=N, seed=3))
    pd.testing.assert_frame_equal(df, again)
    other = generate(SynthConfig(n=N, seed=4))
    assert not df.equals(other)


def test_cluster_sizes(df):
    sizes = df.groupby("true_id").size()
    assert sizes.min() >= 1 and sizes.max() <= 6
    assert set(sizes.unique()) == {1, 2, 3, 4, 5, 6}
    assert 0.2 < (sizes == 1).mean() < 0.45  # weights (0.30, 0.25, ...) by person


def test_scripts_and_romanisations(df):
    scripts = df["family_name"].dropna().map(detect_script).value_counts(normalize=True)
    for s in ("Latn", "Cyrl", "Armn", "Geor", "Arab"):
        assert scripts.get(s, 0) > 0.02, s
    fam = set(df["family_name"].dropna())
    # Armenian: script, national Latin, Russian Cyrillic, Western, capitals.
    for spelling in ("Սարգսյան", "Sargsyan", "Саркисян", "Sarkissian", "SARKISIAN"):
        assert spelling in fam, spelling
    given = set(df["given_name"].dropna())
    assert "محمد" in given
    assert len({"Muhammad", "Mohammed", "Mohamed", "Mohammad"} & given) >= 2
    # Azerbaijani Latin / Russian Cyrillic / checkpoint capitals / hotline -f.
    assert {"Məmmədov", "Мамедов", "MAMEDOV"} <= fam
    assert any(f.endswith("of") for f in fam)


def test_female_forms_and_patronymics(df):
    women = df[df["sex"] == "F"]
    assert (
        women["family_name"].dropna().str.endswith(("eva", "ova", "ева", "ова", "EVA", "OVA")).any()
    )
    patr = df["patronymic"].dropna()
    assert patr.str.endswith(" oğlu").any() and patr.str.endswith(" qızı").any()
    assert patr.str.endswith("ович").any() and patr.str.endswith("овна").any()
    assert patr.str.endswith(" оглы").any()
    assert patr.str.endswith("ի").any()  # Armenian genitive


def test_dates_partial_and_missing(df):
    d = df["birth_date"]
    lengths = d.dropna().str.len().value_counts(normalize=True)
    assert set(lengths.index) == {4, 7, 10}
    assert 0.5 < lengths[10] < 0.75
    assert 0.02 < d.isna().mean() < 0.12
    assert d.dropna().str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()
    full = pd.to_datetime(d[d.str.len() == 10], format="%Y-%m-%d", errors="coerce")
    assert full.notna().all()  # swapped or shifted dates are still valid dates


def test_missing_fields_and_sources(df):
    for col in ("given_name", "family_name", "sex", "birth_place", "patronymic"):
        assert df[col].isna().any(), col
    assert df["sex"].dropna().isin(["M", "F"]).all()
    assert df["source"].nunique() >= 5


def test_noise_keeps_clusters_mostly_consistent(df):
    # Sex is the same within a person wherever it is given.
    per_person = df.dropna(subset=["sex"]).groupby("true_id")["sex"].nunique()
    assert (per_person == 1).all()


def test_namesakes_and_families_exist(df):
    # Different persons sharing the same given and family name spelling (namesakes, or chance).
    same = (
        df.dropna(subset=["given_name", "family_name"])
        .groupby(["given_name", "family_name"])["true_id"]
        .nunique()
    )
    assert (same > 1).sum() > 50


def test_twins_and_siblings_from_generator():
    import numpy as np

    from benchmarks import synth

    cfg = SynthConfig(n=20000, seed=5)
    r = np.random.Generator(np.random.PCG64(cfg.seed))
    ps = synth._persons(cfg, r, synth._build_tables(), synth._build_places())
    assert 0.05 < ps["sibling"].mean() < 0.4
    assert ps["twin"].sum() > 0
    assert ps["sizes"].sum() == cfg.n


def test_rates_are_knobs():
    clean = generate(
        SynthConfig(
            n=3000,
            seed=1,
            typo_rate=0.0,
            place_typo_rate=0.0,
            missing_rates={},
            date_precision_weights=(1, 0, 0, 0),
            date_swap_rate=0,
            date_year_off_rate=0,
            date_random_day_rate=0,
        )
    )
    assert clean["birth_date"].str.len().eq(10).all()
    assert clean["given_name"].notna().all()
    # Without date errors every record of a person carries the same birth date.
    assert (clean.groupby("true_id")["birth_date"].nunique() == 1).all()
