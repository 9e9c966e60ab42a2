"""The public API end to end: dedupe, link, explanations, engines."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.linkage.conftest import people_frame
from tests.linkage.synth import make_records, pairwise_scores
from wayhome.linkage import DedupeResult, dedupe, link


def test_dedupe_finds_the_people(people):
    result = dedupe(people.drop(columns="person"))
    assert isinstance(result, DedupeResult)
    assert list(result.clusters.columns) == ["id", "cluster_id", "match_probability"]
    assert len(result.clusters) == len(people)
    merged = result.clusters.merge(people[["id", "person"]])
    scores = pairwise_scores(merged["person"], merged["cluster_id"])
    assert scores["f1"] == 1.0
    assert (
        result.clusters.set_index("id").loc["r1", "match_probability"]
        != result.clusters.set_index("id").loc["r1", "match_probability"]
    )  # NaN: alone


def test_every_proposed_match_is_explained(people):
    result = dedupe(people.drop(columns="person"))
    pairs = result.pairs
    assert {"id_a", "id_b", "match_probability", "match_weight", "explanation"} <= set(
        pairs.columns
    )
    assert (pairs["match_probability"] >= 0.9).all()
    row = pairs[(pairs.id_a == "a1") & (pairs.id_b == "a2")].iloc[0]
    assert row["family_name_level"] == "family_names_share_key"
    assert row["patronymic_level"] == "fathers_names_share_key"
    assert "Family names are the same name" in row["explanation"]
    bits = [c for c in pairs.columns if c.endswith("_bits")]
    total = result.model.prior_bits + row[bits].sum()
    assert total == pytest.approx(row["match_weight"])


def test_dedupe_accepts_a_path_and_arrow(tmp_path, people):
    import pyarrow as pa

    path = tmp_path / "people.csv"
    people.drop(columns="person").to_csv(path, index=False)
    from_path = dedupe(path).clusters
    from_arrow = dedupe(pa.Table.from_pandas(people.drop(columns="person"))).clusters
    assert from_path["cluster_id"].tolist() == from_arrow["cluster_id"].tolist()


def test_model_can_be_reused(people):
    first = dedupe(people.drop(columns="person"))
    again = dedupe(people.drop(columns="person"), model=first.model)
    assert again.clusters.equals(first.clusters)


def test_link_two_files(people):
    frame = people.drop(columns="person")
    a = frame[frame["id"].isin(["a1", "h1", "g1", "u1", "r1"])]
    b = frame[frame["id"].isin(["a2", "h3", "g2", "u2", "r2", "s2", "n1"])]
    b = b.assign(id=b["id"].str.upper())
    pairs = link(a, b)
    found = set(zip(pairs["id_a"], pairs["id_b"], strict=True))
    assert found == {("a1", "A2"), ("h1", "H3"), ("g1", "G2"), ("u1", "U2")}
    assert pairs["explanation"].str.len().min() > 20


def test_link_allows_the_same_ids_in_both_files(people):
    frame = people.drop(columns="person")
    a = frame.set_index("id").loc[["a1", "h1", "g1", "u1", "r1", "s1"]].reset_index()
    b = frame.set_index("id").loc[["a2", "h3", "g2", "u2", "r2", "n1"]].reset_index()
    b["id"] = a["id"]
    pairs = link(a, b)
    found = set(zip(pairs["id_a"], pairs["id_b"], strict=True))
    assert found == {("a1", "a1"), ("h1", "h1"), ("g1", "g1"), ("u1", "u1")}


def test_synthetic_multi_script_quality():
    records = make_records(seed=3, households=250, settlements=30)
    result = dedupe(records.drop(columns="person"))
    scores = pairwise_scores(records["person"], result.clusters["cluster_id"])
    assert scores["f1"] >= 0.88, scores


@pytest.mark.slow
def test_spark_gives_the_same_clusters_as_duckdb():
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from wayhome.linkage.engines.spark_engine import SparkEngine

    frame = pd.concat([people_frame(), make_records(seed=5, households=12, settlements=8)])
    frame = frame.drop(columns="person").reset_index(drop=True)
    expected = dedupe(frame).clusters
    spark = SparkSession.builder.master("local[2]").appName("wayhome-test").getOrCreate()
    try:
        got = dedupe(frame, engine=SparkEngine(spark)).clusters
    finally:
        spark.stop()
    merged = expected.merge(got, on="id")
    assert len(merged) == len(frame)
    assert (merged["cluster_id_x"] == merged["cluster_id_y"]).all()
    assert (
        (merged["match_probability_x"] - merged["match_probability_y"]).abs().fillna(0) < 1e-9
    ).all()


def test_lone_records_join_the_one_cluster_that_vouches_for_them():
    records = make_records(seed=3, households=250, settlements=30)
    result = dedupe(records.drop(columns="person"))
    clusters = result.clusters
    size = clusters.groupby("cluster_id")["id"].transform("size")
    assert result.report["attached"] > 0
    # every record in a cluster has its best probability there, a record alone has none
    assert clusters.loc[size > 1, "match_probability"].notna().all()
    assert clusters.loc[size == 1, "match_probability"].isna().all()
    # the ones that joined below the threshold did so with a best pair of at least 1 bit
    # (p >= 2/3) or a consensus of at least 0 bits (p >= 1/2)
    joined = clusters["match_probability"] < 0.9
    assert joined.sum() >= result.report["attached"]
    assert (clusters.loc[joined, "match_probability"] >= 1 / 2 - 1e-9).all()


TWINS = [  # invented: twin sisters, each registered twice, in two scripts
    ("t1", "Гюнель", "Зейналова", "Ариф кызы", "F", "2002-04-05", "Чермен", "archive"),
    ("t2", "Günel", "Zeynalova", "Arif qızı", "F", "2002-04-05", "Chermen", "registry"),
    ("t3", "Хадиджа", "Зейналова", "Ариф кызы", "F", "2002-04-05", "Чермен", "archive"),
    ("t4", "Xədicə", "Zeynalova", "Arif qızı", "F", "2002-04-05", "Chermen", "registry"),
]


def test_twins_who_agree_on_all_but_the_given_name_stay_two_people():
    records = make_records(seed=3, households=250, settlements=30).drop(columns="person")
    twins = pd.DataFrame(TWINS, columns=records.columns[: len(TWINS[0])])
    result = dedupe(pd.concat([records, twins], ignore_index=True))
    cluster = result.clusters.set_index("id")["cluster_id"]
    assert cluster["t1"] == cluster["t2"]
    assert cluster["t3"] == cluster["t4"]
    assert cluster["t1"] != cluster["t3"]
    # the twins' pairs are strong enough to be proposed, for a person to look at
    pairs = result.pairs
    twin_pairs = pairs[pairs["id_a"].isin(["t1", "t2"]) & pairs["id_b"].isin(["t3", "t4"])]
    twin_pairs = pd.concat(
        [twin_pairs, pairs[pairs["id_b"].isin(["t1", "t2"]) & pairs["id_a"].isin(["t3", "t4"])]]
    )
    assert len(twin_pairs) > 0
    assert not twin_pairs["same_cluster"].any()
    assert result.report["sibling_pairs"] >= len(twin_pairs)
