"""The gazetteer import: formats, validation before writes, the two modes, idempotency."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from wayhome.core.errors import FieldError, PermissionDenied, ValidationFailed
from wayhome.core.vocab import Role
from wayhome.services import audit, places, places_import
from wayhome.services.context import system_actor
from wayhome.services.places_import import ImportFileError, RowError, import_places
from wayhome.store.tables import Place

ACTOR = system_actor()

GOOD_CSV = """\
code,type,parent_code,lat,lon,population,source,name,lang,name:ru,name:hy,name:ka,name:ar
DM,country,,,,,synthetic,Demoland,en,Демоленд,Դեմոլենդ,დემოლენდი,ديمولاند
DM01,region,DM,40.5,45.25,120000,synthetic,North Vale,en,Север,Հյուսիս,ჩრდილო,الشمال
DM0101,settlement,DM01,40.61,45.3,3200,synthetic,Nor Arevik,,Нор Аревик,Նոր Արևիկ,,
"""


def write(tmp_path: Path, text: str, name: str = "places.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def count(wayhome) -> int:
    with wayhome.read() as session:
        return session.scalar(select(func.count()).select_from(Place))


def by_code(wayhome, code: str) -> Place:
    place = places.get_place_by_code(wayhome, code)
    assert place is not None, code
    return place


def messages(errors: list[RowError]) -> list[str]:
    return [str(e) for e in errors]


def test_good_csv_with_names_in_several_scripts(wayhome, tmp_path):
    report = import_places(wayhome, ACTOR, write(tmp_path, GOOD_CSV))
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.errors == [] and report.skipped == [] and report.written
    region = by_code(wayhome, "DM01")
    assert region.type == "region"
    assert region.parent_id == by_code(wayhome, "DM").id
    assert (region.lat, region.lon, region.population, region.source) == (
        40.5,
        45.25,
        120000,
        "synthetic",
    )
    assert [(n.name, n.lang, n.script) for n in region.names] == [
        ("North Vale", "en", "Latn"),
        ("Север", "ru", "Cyrl"),
        ("Հյուսիս", "hy", "Armn"),
        ("ჩრდილო", "ka", "Geor"),
        ("الشمال", "ar", "Arab"),
    ]
    assert region.display_name == "North Vale"
    town = by_code(wayhome, "DM0101")
    assert [(n.lang, n.script) for n in town.names] == [
        (None, "Latn"),
        ("ru", "Cyrl"),
        ("hy", "Armn"),
    ]
    found = places.search_places(wayhome, ACTOR, q="аревик")
    assert [p.code for p in found.items] == ["DM0101"]


def test_semicolon_csv_with_decimal_comma(wayhome, tmp_path):
    text = "code;type;parent_code;lat;lon;name\nDM;country;;40,5;45,25;Demoland\n"
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert report.created == 1 and report.errors == []
    assert (by_code(wayhome, "DM").lat, by_code(wayhome, "DM").lon) == (40.5, 45.25)


def test_byte_order_mark_is_ignored(wayhome, tmp_path):
    path = write(tmp_path, "\ufeff" + GOOD_CSV)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = import_places(wayhome, ACTOR, path)
    assert report.created == 3 and report.errors == []


def geojson(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def feature(props: dict, lon: float | None = None, lat: float | None = None) -> dict:
    geometry = None if lon is None else {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def test_geojson(wayhome, tmp_path):
    text = geojson(
        [
            feature(
                {
                    "code": "dm01",
                    "type": "region",
                    "parent_code": "DM",
                    "name": "North Vale",
                    "name:ru": "Север",
                    "population": 120000,
                },
                45.25,
                40.5,
            ),
            feature({"code": "DM", "type": "country", "name": "Demoland", "name:az": "Demolənd"}),
        ]
    )
    report = import_places(wayhome, ACTOR, write(tmp_path, text, "places.geojson"))
    assert report.created == 2 and report.errors == []
    region = by_code(wayhome, "DM01")
    assert (region.lat, region.lon, region.population) == (40.5, 45.25, 120000)
    assert [(n.lang, n.script) for n in region.names] == [(None, "Latn"), ("ru", "Cyrl")]
    assert by_code(wayhome, "DM").lat is None


def test_geojson_errors_name_the_feature_index(wayhome, tmp_path):
    text = geojson(
        [
            feature({"code": "DM", "type": "country", "name": "Demoland"}, 45.0, 40.0),
            feature({"code": "DM01", "type": "region", "parent_code": "DM", "name": "X"}, 45, 95.2),
        ]
    )
    report = import_places(wayhome, ACTOR, write(tmp_path, text, "places.geojson"))
    assert messages(report.errors) == [
        "places.geojson:1: column 'lat': 95.2 is not between -90 and 90"
    ]
    assert count(wayhome) == 0


def test_geojson_unknown_properties_are_errors(wayhome, tmp_path):
    text = geojson([feature({"code": "DM", "type": "country", "name": "D", "fid": 7, "lat": 1})])
    report = import_places(wayhome, ACTOR, write(tmp_path, text, "places.geojson"))
    assert [(e.line, e.column) for e in report.errors] == [(0, "fid"), (0, "lat")]
    assert "is not a known column" in report.errors[0].message


def test_forward_parent_references_are_ordered(wayhome, tmp_path):
    text = """\
code,type,parent_code,name
DM0101C1,camp,DM0101,Camp One
DM0101,settlement,DM01,Nor Arevik
DM01,region,DM,North Vale
DM,country,,Demoland
"""
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert report.created == 4 and report.errors == []
    assert by_code(wayhome, "DM0101C1").parent_id == by_code(wayhome, "DM0101").id


def test_parent_in_database_and_codes_match_case_insensitively(wayhome, make, tmp_path):
    country = make.place("DM")
    text = "code,type,parent_code,name\ndm01,region,dm,North Vale\n"
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert report.created == 1
    assert by_code(wayhome, "DM01").parent_id == country.id
    again = import_places(wayhome, ACTOR, write(tmp_path, text.replace("dm01", "Dm01")))
    assert (again.created, again.unchanged) == (0, 1)


def test_unknown_parent(wayhome, tmp_path):
    text = "code,type,parent_code,name\nDM01,region,XX,North Vale\n"
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert messages(report.errors) == [
        "places.csv:2: column 'parent_code': unknown parent XX: not in this file nor in wayhome"
    ]
    assert not report.written and count(wayhome) == 0


def test_cycle_of_parents(wayhome, tmp_path):
    text = """\
code,type,parent_code,name
DM,country,,Demoland
A1,district,B1,A
B1,district,C1,B
C1,district,A1,C
S1,settlement,A1,Below the cycle
S2,settlement,S2,Self
"""
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert messages(report.errors) == [
        "places.csv:3: column 'parent_code': the parent codes form a cycle: A1 → B1 → C1 → A1",
        "places.csv:4: column 'parent_code': the parent codes form a cycle: A1 → B1 → C1 → A1",
        "places.csv:5: column 'parent_code': the parent codes form a cycle: A1 → B1 → C1 → A1",
        "places.csv:7: column 'parent_code': a place cannot be its own parent",
    ]
    assert count(wayhome) == 0
    skip = import_places(wayhome, ACTOR, write(tmp_path, text), mode="skip-bad-rows")
    assert (skip.created, skip.skipped_rows) == (1, 5)
    assert str(skip.skipped[3]) == (
        "places.csv:6: column 'parent_code': the parent A1 (line 3) is skipped"
    )


def test_duplicate_codes(wayhome, tmp_path):
    text = "code,type,name\nDM,country,Demoland\nDM2,country,Other\ndm,country,Demoland again\n"
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert messages(report.errors) == [
        "places.csv:2: column 'code': DM is also on line 4",
        "places.csv:4: column 'code': DM is also on line 2",
    ]


def test_bad_lat_message_names_file_line_and_column(wayhome, tmp_path):
    lines = ["code,type,parent_code,lat,lon,name", "DM,country,,40,45,Demoland"]
    lines += [f"DM{i:02},region,DM,40,45,Region {i}" for i in range(1, 12)]
    lines.append("DM12,region,DM,95.2,45,Region 12")
    path = write(tmp_path, "\n".join(lines) + "\n")
    report = import_places(wayhome, ACTOR, path)
    assert messages(report.errors) == [
        "places.csv:14: column 'lat': 95.2 is not between -90 and 90"
    ]
    assert report.errors[0] == RowError("places.csv", 14, "lat", "95.2 is not between -90 and 90")


def test_every_row_is_validated_and_reported(wayhome, tmp_path):
    text = """\
code,type,parent_code,lat,lon,population,name,lang
,town,,abc,200,-3,,EN_GB
DM,country,,40,,12.5,Demoland,
"""
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert messages(report.errors) == [
        "places.csv:2: column 'code': is required",
        "places.csv:2: column 'type': 'town' is not a place type "
        "(use country, region, district, settlement, camp, collective_centre)",
        "places.csv:2: column 'lat': 'abc' is not a number",
        "places.csv:2: column 'lon': 200 is not between -180 and 180",
        "places.csv:2: column 'population': '-3' is not a whole number of 0 or more",
        "places.csv:2: column 'name': is required",
        "places.csv:2: column 'lang': 'en_gb' is not a language code such as en, ru or hy",
        "places.csv:3: column 'lon': give both lat and lon, or neither",
        "places.csv:3: column 'population': '12.5' is not a whole number of 0 or more",
    ]


def test_multiline_quoted_cell_keeps_physical_line_numbers(wayhome, tmp_path):
    text = 'code,type,source,name\nDM,country,"two\nlines",Demoland\nDM2,country,,\n'
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert messages(report.errors) == ["places.csv:4: column 'name': is required"]


def test_all_or_nothing_writes_nothing(wayhome, make, tmp_path):
    make.place("ZZ")
    text = GOOD_CSV + "DM0102,settlement,DM01,91,45,,,Bad Place,,,,,\n"
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert [e.line for e in report.errors] == [5]
    assert not report.written
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert count(wayhome) == 1


def test_skip_bad_rows_writes_good_rows_and_lists_skipped(wayhome, tmp_path):
    text = """\
code,type,parent_code,lat,name
DM,country,,,Demoland
DM01,region,DM,95,North Vale
DM0101,settlement,DM01,,Under the bad region
DM0101C,camp,DM0101,,Under the skipped settlement
DM02,region,DM,,South Vale
"""
    report = import_places(wayhome, ACTOR, write(tmp_path, text), mode="skip-bad-rows")
    assert report.written and report.errors == []
    assert (report.created, report.skipped_rows) == (2, 3)
    assert messages(report.skipped) == [
        "places.csv:3: column 'lat': 95 is not between -90 and 90",
        "places.csv:4: column 'parent_code': the parent DM01 (line 3) is skipped",
        "places.csv:5: column 'parent_code': the parent DM0101 (line 4) is skipped",
    ]
    assert report.summary() == "created 2, updated 0, unchanged 0, skipped 3"
    assert sorted(p.code for p in places.search_places(wayhome, ACTOR).items) == ["DM", "DM02"]


def test_idempotent_reimport_is_unchanged(wayhome, tmp_path):
    path = write(tmp_path, GOOD_CSV)
    import_places(wayhome, ACTOR, path)
    with wayhome.read() as session:
        versions = [
            len(audit.history(session, "place", p.id)) for p in session.scalars(select(Place))
        ]
    again = import_places(wayhome, ACTOR, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.written and again.errors == []
    with wayhome.read() as session:
        after = [len(audit.history(session, "place", p.id)) for p in session.scalars(select(Place))]
    assert versions == after == [1, 1, 1]


def test_changed_row_is_updated_with_a_new_version(wayhome, tmp_path):
    import_places(wayhome, ACTOR, write(tmp_path, GOOD_CSV))
    changed = GOOD_CSV.replace("3200", "3500").replace("Nor Arevik", "Nor Arevik (new)")
    report = import_places(wayhome, ACTOR, write(tmp_path, changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    town = by_code(wayhome, "DM0101")
    assert (town.population, town.display_name, town.version) == (3500, "Nor Arevik (new)", 2)
    with wayhome.read() as session:
        history = audit.history(session, "place", town.id)
    assert [h.action for h in history] == ["update", "create"]
    assert history[0].changes["population"] == [3200, 3500]


def test_parent_type_rule_is_checked_before_writing(wayhome, tmp_path):
    text = "code,type,parent_code,name\nDM,country,,Demoland\nC1,camp,DM,Camp\nR1,region,,Lost\n"
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert messages(report.errors) == [
        "places.csv:3: column 'parent_code': a camp can only lie in: settlement, district, region "
        "(DM is a country)",
        "places.csv:4: column 'parent_code': a region needs a parent",
    ]
    assert count(wayhome) == 0


def test_errors_from_write_place_are_mapped_and_rolled_back(wayhome, tmp_path, monkeypatch):
    real = places_import.write_place

    def failing(session, wayhome, actor, data, place=None):
        if data.code == "DM0101":
            raise ValidationFailed([FieldError(("parent_id",), "refused by the store")])
        return real(session, wayhome, actor, data, place)

    monkeypatch.setattr(places_import, "write_place", failing)
    report = import_places(wayhome, ACTOR, write(tmp_path, GOOD_CSV))
    assert messages(report.errors) == ["places.csv:4: column 'parent_code': refused by the store"]
    assert not report.written and count(wayhome) == 0
    skip = import_places(wayhome, ACTOR, write(tmp_path, GOOD_CSV), mode="skip-bad-rows")
    assert (skip.created, skip.skipped_rows) == (2, 1)
    assert count(wayhome) == 2


def test_dry_run_counts_but_writes_nothing(wayhome, tmp_path):
    report = import_places(wayhome, ACTOR, write(tmp_path, GOOD_CSV), dry_run=True)
    assert (report.created, report.written) == (3, False)
    assert count(wayhome) == 0


def test_deleted_parent_and_place_are_refused(wayhome, make, tmp_path):
    from wayhome.store.types import utcnow

    gone = make.place("GONE")
    with wayhome.transaction() as session:
        session.get(Place, gone.id).deleted_at = utcnow()
    text = "code,type,parent_code,name\nGONE,country,,Back\nR1,region,GONE,Region\n"
    report = import_places(wayhome, ACTOR, write(tmp_path, text))
    assert messages(report.errors) == [
        "places.csv:2: column 'code': GONE belongs to a deleted place",
    ]


def test_not_utf8(wayhome, tmp_path):
    path = write(tmp_path, "code,type,name\nDM,country,Démoland\n", encoding="latin-1")
    with pytest.raises(ImportFileError) as caught:
        import_places(wayhome, ACTOR, path)
    assert str(caught.value) == (
        "places.csv: not UTF-8 text: byte 0xe9 at byte offset 27 (line 2); save the file as UTF-8"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "places.csv",
            "code,type,lat\nDM,country,1\n",
            "places.csv:1: missing required column(s) 'name' in the header",
        ),
        ("places.csv", "code,type,name,parent\n", "places.csv:1: column 'parent' is not a known"),
        ("places.csv", "code,type,name,name:Russian\n", "'russian' is not a language code"),
        ("places.csv", "code,type,name,Name\n", "places.csv:1: column 'name' appears twice"),
        ("places.csv", "", "places.csv: the file is empty"),
        (
            "places.geojson",
            '{"type": "FeatureCollection",\n "features": [,]}',
            "places.geojson:2: not valid JSON",
        ),
        (
            "places.geojson",
            '{"type": "Feature"}',
            "places.geojson: not a GeoJSON FeatureCollection",
        ),
        (
            "places.geojson",
            geojson(
                [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Polygon", "coordinates": []},
                    }
                ]
            ),
            "places.geojson: feature 0 has a Polygon geometry; only Point features can be imported",
        ),
        ("places.xlsx", "x", "places.xlsx: cannot tell the format"),
    ],
)
def test_file_errors(wayhome, tmp_path, name, text, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        import_places(wayhome, ACTOR, write(tmp_path, text, name))


def test_missing_file(wayhome, tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        import_places(wayhome, ACTOR, tmp_path / "nowhere.csv")


def test_format_overrides_the_extension(wayhome, tmp_path):
    path = write(
        tmp_path, geojson([feature({"code": "DM", "type": "country", "name": "D"})]), "x.txt"
    )
    assert import_places(wayhome, ACTOR, path, format="geojson").created == 1


def test_import_needs_the_permission(wayhome, make, tmp_path):
    with pytest.raises(PermissionDenied):
        import_places(wayhome, make.actor(Role.REGISTRAR), write(tmp_path, GOOD_CSV))
