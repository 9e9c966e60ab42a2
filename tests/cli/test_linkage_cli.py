"""`wayhome dedupe` and `wayhome link` end to end on small files with known answers."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from tests.linkage.conftest import COLUMNS, PEOPLE
from wayhome.cli.linkage import dedupe, link

app = typer.Typer()
app.command("dedupe")(dedupe)
app.command("link")(link)
runner = CliRunner()


def write(
    path: Path, rows: list[tuple[str, ...]], extra: dict[str, list[str]] | None = None
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS + list(extra or {}))
        for i, row in enumerate(rows):
            writer.writerow(list(row) + [values[i] for values in (extra or {}).values()])
    return path


def all_rows() -> list[tuple[str, ...]]:
    return [row for rows in PEOPLE.values() for row in rows]


def truth() -> dict[str, str]:
    return {row[0]: person for person, rows in PEOPLE.items() for row in rows}


def test_dedupe_writes_one_cluster_per_row(tmp_path):
    source = write(tmp_path / "in.csv", all_rows())
    out = tmp_path / "clusters.csv"
    result = runner.invoke(app, ["dedupe", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(clusters.columns) == ["id", "cluster_id", "match_probability"]
    assert len(clusters) == len(all_rows())
    people = truth()
    for _, group in clusters.groupby("cluster_id"):
        assert len({people[i] for i in group["id"]}) == 1
    assert clusters["cluster_id"].nunique() == len(PEOPLE)
    alone = clusters.set_index("id").loc["r1"]
    assert alone["cluster_id"] == "r1" and alone["match_probability"] == ""
    assert "clusters" in result.output


def test_explain_keeps_extra_columns(tmp_path):
    rows = all_rows()
    source = write(tmp_path / "in.csv", rows, {"case_no": [f"C{i}" for i in range(len(rows))]})
    explain = tmp_path / "pairs.csv"
    result = runner.invoke(
        app, ["dedupe", str(source), "--out", str(tmp_path / "c.csv"), "--explain", str(explain)]
    )
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(explain, dtype=str, keep_default_na=False)
    for column in (
        "id_a",
        "id_b",
        "match_probability",
        "match_weight",
        "explanation",
        "case_no_a",
        "case_no_b",
        "family_name_a",
        "family_name_b",
        "family_name_bits",
    ):
        assert column in pairs.columns
    row = pairs[(pairs.id_a == "a1") & (pairs.id_b == "a2")].iloc[0]
    assert row["family_name_a"] == "Məmmədov" and row["family_name_b"] == "Мамедов"
    assert "(+" in row["explanation"]


def test_threshold_option(tmp_path):
    source = write(tmp_path / "in.csv", all_rows())
    out = tmp_path / "c.csv"
    explain = tmp_path / "explained.csv"
    result = runner.invoke(
        app,
        ["dedupe", str(source), "--out", str(out), "--threshold", "1.0", "--explain", str(explain)],
    )
    assert result.exit_code == 0, result.output
    # no pair reaches 1.0: every record that still joins a cluster does so by the attach
    # steps (best pair, consensus, profile), which have their own bars, and says so
    rows = pd.read_csv(explain, dtype=str, keep_default_na=False)
    assert len(rows) and "threshold" not in set(rows["joined_by"])
    assert (rows["match_probability"].astype(float) < 1.0).all()
    clusters = pd.read_csv(out, dtype=str)
    together = len(clusters) - clusters["cluster_id"].nunique()
    assert len(rows) == together  # one row per record that joined another
    result = runner.invoke(app, ["dedupe", str(source), "--out", str(out), "--threshold", "2"])
    assert result.exit_code != 0


def test_bad_rows_stop_the_run_with_line_numbers(tmp_path):
    rows = all_rows()
    rows[2] = ("", *rows[2][1:])  # line 4: missing id
    rows[5] = (rows[5][0], rows[5][1], rows[5][2], rows[5][3], "X", *rows[5][5:])  # line 7
    rows[7] = (*rows[7][:5], "1971-02-30", *rows[7][6:])  # line 9: bad date
    rows[9] = rows[0]  # line 11: duplicate id a1
    source = write(tmp_path / "in.csv", rows)
    with source.open("a", encoding="utf-8") as handle:
        handle.write("z9,Ali,Aliyev\n")  # line 21: wrong number of fields
    out = tmp_path / "c.csv"
    result = runner.invoke(app, ["dedupe", str(source), "--out", str(out)])
    assert result.exit_code == 1
    output = result.output
    for expected in (
        "line 4: missing id",
        "line 7: bad sex 'X'",
        "line 9: bad birth_date",
        "line 11: duplicate id 'a1' (first on line 2)",
        "line 21: wrong number of fields",
    ):
        assert expected in output, output
    assert "nothing written" in output
    assert not out.exists()


def test_skip_bad_rows_lists_every_skipped_row(tmp_path):
    rows = all_rows()
    rows[5] = (rows[5][0], rows[5][1], rows[5][2], rows[5][3], "X", *rows[5][5:])
    source = tmp_path / "in.csv"
    write(source, rows)
    data = source.read_bytes() + b"bad1,\xff\xfe,x,,M,1957,,\n"
    source.write_bytes(data)
    out = tmp_path / "c.csv"
    result = runner.invoke(app, ["dedupe", str(source), "--out", str(out), "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    assert "skipped: line 7: bad sex 'X'" in result.output
    assert f"skipped: line {len(rows) + 2}: not valid UTF-8" in result.output
    clusters = pd.read_csv(out, dtype=str)
    assert len(clusters) == len(rows) - 1 and rows[5][0] not in set(clusters["id"])


def test_missing_input_file(tmp_path):
    result = runner.invoke(
        app, ["dedupe", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1 and "no such file" in result.output


def test_progress_goes_to_stderr(tmp_path):
    source = write(tmp_path / "in.csv", all_rows())
    result = runner.invoke(
        app, ["dedupe", str(source), "--out", str(tmp_path / "c.csv"), "--progress"]
    )
    assert result.exit_code == 0
    assert "blocking" in result.stderr and "blocking" not in result.stdout


def test_link_writes_explained_pairs(tmp_path):
    rows = {row[0]: row for row in all_rows()}
    a = write(tmp_path / "a.csv", [rows[i] for i in ("a1", "h1", "g1", "u1", "r1", "s1")])
    b = write(tmp_path / "b.csv", [rows[i] for i in ("a2", "h3", "g2", "u2", "r2", "n1")])
    out = tmp_path / "pairs.csv"
    result = runner.invoke(app, ["link", str(a), str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(out, dtype=str)
    assert list(pairs.columns) == [
        "id_a",
        "id_b",
        "match_probability",
        "match_weight",
        "explanation",
    ]
    assert set(zip(pairs.id_a, pairs.id_b, strict=True)) == {
        ("a1", "a2"),
        ("h1", "h3"),
        ("g1", "g2"),
        ("u1", "u2"),
    }


def test_link_bad_row_names_the_file(tmp_path):
    rows = all_rows()
    a = write(tmp_path / "a.csv", rows[:5])
    bad = list(rows[5:10])
    bad[1] = (*bad[1][:5], "1990-1-1", *bad[1][6:])
    b = write(tmp_path / "b.csv", bad)
    result = runner.invoke(app, ["link", str(a), str(b), "--out", str(tmp_path / "p.csv")])
    assert result.exit_code == 1
    assert f"{b}: line 3: bad birth_date '1990-1-1'" in result.output
    assert not (tmp_path / "p.csv").exists()


@pytest.mark.slow
def test_dedupe_on_spark(tmp_path):
    pytest.importorskip("pyspark")
    source = write(tmp_path / "in.csv", all_rows())
    duck, spark = tmp_path / "d.csv", tmp_path / "s.csv"
    assert runner.invoke(app, ["dedupe", str(source), "--out", str(duck)]).exit_code == 0
    result = runner.invoke(app, ["dedupe", str(source), "--out", str(spark), "--engine", "spark"])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(duck)["cluster_id"].tolist() == pd.read_csv(spark)["cluster_id"].tolist()


def test_explain_lists_the_records_that_joined_without_a_pair_at_the_threshold(tmp_path):
    from tests.linkage.synth import make_records

    records = make_records(seed=3, households=250, settlements=30).drop(columns="person")
    source = tmp_path / "in.csv"
    records.to_csv(source, index=False)
    explain = tmp_path / "explained.csv"
    result = runner.invoke(
        app, ["dedupe", str(source), "--out", str(tmp_path / "c.csv"), "--explain", str(explain)]
    )
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(explain, dtype=str, keep_default_na=False)
    clusters = pd.read_csv(tmp_path / "c.csv", dtype=str).set_index("id")["cluster_id"]
    assert set(rows["joined_by"]) == {"threshold", "best pair", "consensus", "profile"}
    joined = rows[rows["joined_by"] != "threshold"]
    assert f"{len(joined)} records joined a cluster without a pair at the threshold" in (
        result.output
    )
    assert (joined["explanation"] != "").all()
    # a best pair under the threshold; the consensus or profile may weigh more than any pair
    by_pair = joined["joined_by"] == "best pair"
    assert (joined.loc[by_pair, "match_probability"].astype(float) < 0.9).all()
    assert (joined["match_probability"].astype(float) >= 0.5).all()
    # id_b is in the same cluster: the best pair there, or the cluster itself (its profile)
    assert (clusters[joined["id_a"]].to_numpy() == clusters[joined["id_b"]].to_numpy()).all()
    assert (joined["family_name_a"] != "").all()
    # a join by the consensus is explained field by field by what the cluster's records say
    # together: each field's strongest agreement, then every strongest disagreement; with the
    # prior they add up to the weight it joined by
    consensus = joined[joined["joined_by"] == "consensus"]
    assert len(consensus)
    for text, probability in zip(
        consensus["explanation"], consensus["match_probability"].astype(float), strict=True
    ):
        assert text.startswith("Consensus of the cluster's records (prior ")
        prior = float(re.search(r"\(prior ([+-][\d.]+)\)", text).group(1))
        bits = [float(x) for x in re.findall(r"\. \(([+-]\d+\.\d)\)", text)]
        assert len(bits) >= 6  # every field, then the disagreements
        weight = math.log2(probability / (1 - probability))
        assert prior + sum(bits) == pytest.approx(weight, abs=0.05 * (len(bits) + 1))
