"""`wayhome places import` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from wayhome.cli.places import app
from wayhome.services import places
from wayhome.store.tables import Place

runner = CliRunner()

CSV = """\
code,type,parent_code,lat,lon,name,name:ru,name:hy
DM,country,,40,45,Demoland,Демоленд,Դեմոլենդ
DM01,region,DM,40.5,45.5,North Vale,Северная Долина,Հյուսիսային Հովիտ
DM0101,settlement,DM01,40.6,45.6,Nor Arevik,Нор Аревик,Նոր Արևիկ
"""
BAD_ROW = "DM0102,settlement,DM01,95.2,45.6,Bad Lat,,\n"


def count(wayhome) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(Place))


def write(tmp_path: Path, text: str, name: str = "places.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_prints_a_summary(wayhome, tmp_path):
    path = write(tmp_path, CSV)
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "created 3, updated 0, unchanged 0, skipped 0"
    assert places.get_place_by_code(wayhome, "DM0101").names[2].script == "Armn"
    again = runner.invoke(app, ["import", str(path)])
    assert again.exit_code == 0
    assert again.stdout.strip() == "created 0, updated 0, unchanged 3, skipped 0"


def test_errors_go_to_stderr_and_nothing_is_written(wayhome, tmp_path):
    result = runner.invoke(app, ["import", str(write(tmp_path, CSV + BAD_ROW))])
    assert result.exit_code == 1
    assert "places.csv:5: column 'lat': 95.2 is not between -90 and 90" in result.stderr
    assert "nothing written: 1 error(s)" in result.stderr
    assert count(wayhome) == 0


def test_skip_bad_rows(wayhome, tmp_path):
    result = runner.invoke(app, ["import", "--skip-bad-rows", str(write(tmp_path, CSV + BAD_ROW))])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "created 3, updated 0, unchanged 0, skipped 1"
    assert "skipped: places.csv:5: column 'lat'" in result.stderr
    assert count(wayhome) == 3


def test_skip_bad_rows_fails_when_every_row_is_skipped(wayhome, tmp_path):
    text = "code,type,name\nDM,town,Demoland\n"
    result = runner.invoke(app, ["import", "--skip-bad-rows", str(write(tmp_path, text))])
    assert result.exit_code == 1
    assert "every row was skipped" in result.stderr


def test_dry_run(wayhome, tmp_path):
    result = runner.invoke(app, ["import", "--dry-run", str(write(tmp_path, CSV))])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "dry run, nothing written: created 3, updated 0, unchanged 0, skipped 0"
    )
    assert count(wayhome) == 0


def test_geojson_by_format_option(wayhome, tmp_path):
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [45.0, 40.0]},
                "properties": {"code": "DM", "type": "country", "name": "Demoland"},
            }
        ],
    }
    path = write(tmp_path, json.dumps(document), "places.data")
    result = runner.invoke(app, ["import", "--format", "geojson", str(path)])
    assert result.exit_code == 0, result.output
    assert places.get_place_by_code(wayhome, "DM").lat == 40.0


def test_file_errors_exit_1(wayhome, tmp_path):
    missing = runner.invoke(app, ["import", str(tmp_path / "nowhere.csv")])
    assert missing.exit_code == 1
    assert "error:" in missing.stderr and "no such file" in missing.stderr
    header = runner.invoke(app, ["import", str(write(tmp_path, "code,type\nDM,country\n"))])
    assert header.exit_code == 1
    assert "missing required column(s) 'name'" in header.stderr
