"""`wayhome geodata import|export` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from wayhome.cli.geodata import app
from wayhome.store.tables_contamination import HazardArea

runner = CliRunner()


def square(lat: float) -> dict:
    ring = [[36.0, lat], [36.002, lat], [36.002, lat + 0.002], [36.0, lat + 0.002], [36.0, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(local_id: str, geometry: dict, hazard_type: str = "sha") -> dict:
    properties = {"hazard_localid": local_id, "hazard_name": "Field", "hazard_type": hazard_type}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def write(tmp_path: Path, features: list[dict]) -> Path:
    path = tmp_path / "hazards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def count(wayhome) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(HazardArea)) or 0


def test_import_then_export_then_import_again(wayhome, tmp_path):
    path = write(tmp_path, [feature("HA-1", square(50.0)), feature("HA-2", square(50.1))])
    result = runner.invoke(app, ["import", str(path), "--entity", "hazard_areas"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "created 2, updated 0, unchanged 0, skipped 0"
    out = tmp_path / "out.gpkg"
    exported = runner.invoke(app, ["export", "-e", "hazard_areas", "-f", "gpkg", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    again = runner.invoke(app, ["import", str(out), "-e", "hazard_areas"])
    assert again.stdout.strip() == "created 0, updated 0, unchanged 2, skipped 0"


def test_a_bad_feature_is_reported_and_nothing_written(wayhome, tmp_path):
    path = write(tmp_path, [feature("HA-1", square(50.0)), feature("HA-2", square(50.1), "xx")])
    result = runner.invoke(app, ["import", str(path), "-e", "hazard_areas"])
    assert result.exit_code == 1
    assert "hazards.geojson, layer hazard, feature 2: field 'hazard_type'" in result.stderr
    assert "nothing written: 1 error(s)" in result.stderr
    assert count(wayhome) == 0


def test_a_file_that_is_not_a_geopackage(wayhome, tmp_path):
    path = tmp_path / "x.gpkg"
    path.write_text("not a database")
    result = runner.invoke(app, ["import", str(path), "-e", "heritage_sites"])
    assert result.exit_code == 1
    assert "x.gpkg: not a readable GeoPackage" in result.stderr
