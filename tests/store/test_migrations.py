"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from wayhome.services.context import SchemaOutOfDate, open_wayhome
from wayhome.store import migrate
from wayhome.store.db import make_engine
from wayhome.store.tables import Base

# Tables the PostGIS extension owns in the public schema; they are not wayhome's.
FOREIGN_TABLES = {"spatial_ref_sys"}


def _include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    if type_ == "schema":
        return name in (None, "public")
    if type_ == "table":
        return name not in FOREIGN_TABLES
    return True


def schema_diffs(engine: Engine) -> list[Any]:
    """Return what autogenerate would change to make the database match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": _include_name,
                "render_as_batch": connection.dialect.name == "sqlite",
            },
        )
        return compare_metadata(context, Base.metadata)


def test_migrated_schema_matches_the_models(wayhome) -> None:
    """The test database (SQLite, or PostgreSQL with WAYHOME_TEST_DATABASE_URL) has no drift."""
    assert schema_diffs(wayhome.engine) == []


def test_fresh_sqlite_migrates_to_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert schema_diffs(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        migrate.upgrade(engine)  # upgrading at head is a no-op
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_head_revision_is_the_only_head_and_current(wayhome) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    heads = script.get_heads()
    assert heads == [migrate.head_revision()], "migrations have branched: merge them"
    assert migrate.current_revision(wayhome.engine) == migrate.head_revision()
    for revision in script.walk_revisions():
        assert revision.doc, f"migration {revision.revision} has no message"


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        assert (tmp_path / "wal.sqlite3").exists()
    finally:
        engine.dispose()


def test_the_comparison_notices_drift(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'drift.sqlite3'}")
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_person_names_folded"))
            connection.execute(text("ALTER TABLE persons ADD COLUMN nickname VARCHAR(20)"))
        diffs = schema_diffs(engine)
        kinds = sorted(d[0] if isinstance(d, tuple) else d[0][0] for d in diffs)
        assert kinds == ["add_index", "remove_column"], diffs
    finally:
        engine.dispose()


def test_out_of_date_database_is_refused(settings, tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    monkeypatch.setattr(settings, "database_url", url)
    with pytest.raises(SchemaOutOfDate, match="wayhome db upgrade"):
        open_wayhome(settings)
    opened = open_wayhome(settings, upgrade=True)
    try:
        assert migrate.current_revision(opened.engine) == migrate.head_revision()
        assert opened.instance_id.startswith("wh-")
        with opened.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        again = open_wayhome(settings)
        assert again.instance_id == opened.instance_id  # kept in the database
        again.close()
    finally:
        opened.close()


def test_0007_fills_outlines_of_existing_hazard_areas(tmp_path: Path) -> None:
    """Hazard areas stored before 0007 get their outlines, by the function writes use."""
    from wayhome.services.map_outlines import BANDS, outline_rows
    from wayhome.store.tables_contamination import HazardArea

    ring = [[45.0, 40.0], [45.01, 40.0], [45.012, 40.004], [45.01, 40.01], [45.0, 40.01]]
    geometry = '{"type":"Polygon","coordinates":[' + str([*ring, ring[0]]) + "]}"
    engine = make_engine(f"sqlite:///{tmp_path / 'outlines.sqlite3'}")
    try:
        migrate.upgrade(engine, "0006")
        rows = [
            {
                "id": f"hazard-{n}",
                "origin_instance": "test",
                "local_id": f"HA-{n}",
                "name": "Field",
                "hazard_type": "sha",
                "status": "open",
                "geometry": geometry.replace(" ", ""),
                "min_lon": 45.0,
                "min_lat": 40.0,
                "max_lon": 45.012,
                "max_lat": 40.01,
                "original_area_m2": 1.0,
                "remaining_area_m2": 1.0,
                "evidence": [],
                "search_text": "",
            }
            for n in range(3)
        ]
        with engine.begin() as connection:
            connection.execute(HazardArea.__table__.insert(), rows)
        migrate.upgrade(engine)
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT hazard_area_id, band, geometry FROM hazard_area_outlines")
            ).all()
        expected = outline_rows([(r["id"], r["geometry"]) for r in rows])
        assert len(stored) == 3 * len(BANDS)
        assert sorted(tuple(r) for r in stored) == sorted(
            (r["hazard_area_id"], r["band"], r["geometry"]) for r in expected
        )
    finally:
        engine.dispose()


def test_0008_fills_readiness_facts_and_latest_conditions(tmp_path: Path) -> None:
    """Settlements and sites stored before 0008 get their rows, by the functions writes use."""
    from wayhome.store.tables import Place
    from wayhome.store.tables_contamination import HazardArea
    from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite

    ring = [[45.004, 40.0], [45.007, 40.0], [45.007, 40.003], [45.004, 40.003], [45.004, 40.0]]
    engine = make_engine(f"sqlite:///{tmp_path / 'facts.sqlite3'}")
    try:
        migrate.upgrade(engine, "0007")
        base = {"origin_instance": "test", "search_text": ""}
        with engine.begin() as connection:
            connection.execute(
                Place.__table__.insert(),
                [
                    {**base, "id": f"place-{n}", "code": f"S{n}", "type": "settlement"}
                    | {"lat": 40.0, "lon": 45.0 + n, "display_name": f"Settlement {n}"}
                    for n in range(2)
                ],
            )
            connection.execute(
                HazardArea.__table__.insert(),
                {
                    **base,
                    "id": "hazard-1",
                    "local_id": "HA-1",
                    "name": "Field",
                    "hazard_type": "cha",
                    "status": "open",
                    "geometry": '{"type":"Polygon","coordinates":[' + str(ring) + "]}",
                    "min_lon": 45.004,
                    "min_lat": 40.0,
                    "max_lon": 45.007,
                    "max_lat": 40.003,
                    "original_area_m2": 1.0,
                    "remaining_area_m2": 1.0,
                    "evidence": [],
                },
            )
            connection.execute(
                HeritageSite.__table__.insert(),
                [
                    {**base, "id": f"site-{n}", "reference": f"HS-{n}", "type": "church"}
                    | {"place_id": "place-1", "display_name": f"Site {n}", "lat": 40.0, "lon": 46.0}
                    for n in range(2)
                ],
            )
            connection.execute(
                HeritageAssessment.__table__.insert(),
                [
                    {**base, "id": f"assessment-{n}", "site_id": "site-0", "method": "field_visit"}
                    | {"observed_on": year, "observed_on_precision": "year"}
                    | {"assessed_on": year, "assessed_on_precision": "year"}
                    | {"overall_condition": condition}
                    for n, (year, condition) in enumerate((("2020", "good"), ("2023", "poor")))
                ],
            )
        migrate.upgrade(engine)
        with engine.connect() as connection:
            facts = connection.execute(
                text(
                    "SELECT place_id, buffer_m, blocking_count, heritage_score "
                    "FROM settlement_readiness ORDER BY place_id"
                )
            ).all()
            blocking = connection.execute(
                text("SELECT place_id, hazard_area_id FROM settlement_blocking_hazards")
            ).all()
            latest = connection.execute(
                text("SELECT site_id, overall_condition FROM heritage_site_latest ORDER BY site_id")
            ).all()
        assert [tuple(r) for r in facts] == [
            ("place-0", 1000.0, 1, None),
            ("place-1", 1000.0, 0, 0.5),
        ]
        assert [tuple(r) for r in blocking] == [("place-0", "hazard-1")]
        assert [tuple(r) for r in latest] == [("site-0", "poor"), ("site-1", None)]
    finally:
        engine.dispose()
