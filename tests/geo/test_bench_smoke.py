"""The overlay benchmark still runs (on tiny data, without PostGIS)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from benchmarks import bench_geo_overlay as bench


def test_synthetic_hazards_are_valid():
    geoms = bench.make_hazards(300, np.random.default_rng(1))
    assert len(geoms) == 300
    assert shapely.is_valid(geoms).all()


def test_benchmark_runs_without_postgis(monkeypatch: pytest.MonkeyPatch, capsys):  # type: ignore[no-untyped-def]
    argv = ["bench_geo_overlay.py", "--no-postgis", "--settlements", "50", "--hazards", "500"]
    monkeypatch.setattr("sys.argv", argv)
    assert bench.main() == 0
    out = capsys.readouterr().out
    assert out.startswith("$ ")
    assert "hazards_near_settlements: best" in out
