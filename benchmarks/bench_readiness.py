"""Benchmark: the return readiness of every settlement, wayhome against the same overlay in PostGIS.

Synthetic, seeded data (nothing real): by default 10,000 settlements and 100,000 hazard polygons
(star-shaped, 30 m to 1.5 km across, 80 % open and 20 % closed) over about 600 × 450 km, one or
two condition observations per settlement and 30,000 registered households. They are written
into a migrated wayhome database (SQLite in a temporary directory, then PostgreSQL), and
:func:`wayhome.services.readiness.assess_settlements` is timed end to end: reading settlements,
open hazard areas, conditions, heritage and households, the safety overlay, and the scoring.

In the same run, on the same PostgreSQL database, the safety overlay alone is done the way a
PostGIS user would: the open hazard areas as ``geography`` with a GiST index, joined to the
settlements with ``ST_DWithin(hazard, settlement, buffer)``. The pairs found are compared with
wayhome's blocking hazards, and the ratios printed. The target is ≤ 5 s for wayhome end to end.

Run from the repository root::

    .venv/bin/python benchmarks/bench_readiness.py
    .venv/bin/python benchmarks/bench_readiness.py --settlements 1000 --hazards 10000 --no-postgres

PostgreSQL at ``--dsn`` (default ``host=127.0.0.1 port=5432 user=postgres``, trust auth); the
database ``--pg-db`` (default ``wayhome_bench_d``) is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_geo_overlay import REGION, make_hazards  # noqa: E402

from wayhome.core.ids import new_id  # noqa: E402
from wayhome.geo import hazards_near_settlements  # noqa: E402
from wayhome.services import accounts, readiness, readiness_store  # noqa: E402
from wayhome.services.context import open_wayhome, system_actor  # noqa: E402
from wayhome.services.readiness_config import DEFAULT_SETTINGS  # noqa: E402
from wayhome.settings import Settings  # noqa: E402
from wayhome.store.tables import Household, Place  # noqa: E402
from wayhome.store.tables_contamination import HazardArea  # noqa: E402
from wayhome.store.tables_readiness import SettlementCondition  # noqa: E402

INTENTIONS = np.array(["return", "stay", "relocate", "undecided", "unknown"])
SERVICES = ("water", "electricity", "health", "school", "market", "sanitation")
STATUSES = np.array(["available", "partial", "none"])


def make_data(args: argparse.Namespace) -> dict[str, list[dict[str, Any]]]:
    """Rows for places, hazard areas, conditions and households (ids fixed, so both DBs match)."""
    rng = np.random.default_rng(args.seed)
    geoms = make_hazards(args.hazards, rng)
    west, south, east, north = REGION
    lon = rng.uniform(west, east, args.settlements)
    lat = rng.uniform(south, north, args.settlements)
    place_ids = [new_id() for _ in range(args.settlements)]
    places = [
        {
            "id": pid,
            "origin_instance": "bench",
            "code": f"S{i:06d}",
            "type": "settlement",
            "lat": float(y),
            "lon": float(x),
            "display_name": f"Settlement {i:06d}",
            "search_text": "",
        }
        for i, (pid, x, y) in enumerate(zip(place_ids, lon, lat, strict=True))
    ]
    bounds = shapely.bounds(geoms)
    texts = shapely.to_geojson(geoms)
    closed = rng.random(len(geoms)) < 0.2
    hazards = [
        {
            "id": new_id(),
            "origin_instance": "bench",
            "local_id": f"HA-{i:06d}",
            "name": f"Hazard {i}",
            "hazard_type": "sha" if i % 3 else "cha",
            "status": "closed" if closed[i] else "open",
            "geometry": str(texts[i]),
            "min_lon": float(bounds[i, 0]),
            "min_lat": float(bounds[i, 1]),
            "max_lon": float(bounds[i, 2]),
            "max_lat": float(bounds[i, 3]),
            "original_area_m2": 0.0 if closed[i] else 1.0,
            "remaining_area_m2": 0.0 if closed[i] else 1.0,
            "evidence": [],
            "search_text": "",
        }
        for i in range(len(geoms))
    ]
    conditions = []
    for i, pid in enumerate(place_ids):
        for year in (2023, 2024)[: 1 + i % 2]:
            observed = rng.choice(STATUSES, len(SERVICES))
            conditions.append(
                {
                    "id": new_id(),
                    "origin_instance": "bench",
                    "place_id": pid,
                    "observed_on": str(year),
                    "observed_on_precision": "year",
                    "housing_damage_pct": float(rng.uniform(0, 100)),
                    "services": dict(zip(SERVICES, observed.tolist(), strict=True)),
                }
            )
    origins = rng.integers(0, len(place_ids), args.households)
    intentions = rng.choice(INTENTIONS, args.households)
    households = [
        {
            "id": new_id(),
            "origin_instance": "bench",
            "reference": f"HH-{i:07d}",
            "origin_place_id": place_ids[int(o)],
            "return_intention": str(w),
            "needs": [],
        }
        for i, (o, w) in enumerate(zip(origins, intentions, strict=True))
    ]
    return {
        "places": places,
        "hazards": hazards,
        "conditions": conditions,
        "households": households,
    }


def load(wayhome: Any, data: dict[str, list[dict[str, Any]]], org_id: str) -> float:
    """Bulk-insert the synthetic rows (the benchmark's set-up, not what it measures)."""
    start = time.perf_counter()
    with wayhome.transaction() as session:
        for table, rows in (
            (Place, data["places"]),
            (HazardArea, data["hazards"]),
            (SettlementCondition, data["conditions"]),
            (Household, [{**r, "organisation_id": org_id} for r in data["households"]]),
        ):
            for chunk in range(0, len(rows), 5000):
                session.execute(insert(table), rows[chunk : chunk + 5000])
    return time.perf_counter() - start


def time_assess(
    wayhome: Any, actor: Any, repeat: int
) -> tuple[list[float], list[float], list[Any]]:
    """Wall times and this process's CPU times (the database server's CPU is not in the latter)."""
    times, cpu, result = [], [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = readiness.assess_settlements(wayhome, actor)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu, result


def summary(results: list[Any]) -> str:
    classes: dict[str, int] = {}
    for r in results:
        classes[r.readiness_class] = classes.get(r.readiness_class, 0) + 1
    pairs = sum(len(r.blocking_hazards) for r in results)
    shown = ", ".join(f"{k} {v:,}" for k, v in sorted(classes.items()))
    return f"{len(results):,} settlements ({shown}); {pairs:,} settlement–hazard pairs"


def pairs_of(results: list[Any]) -> set[tuple[str, str]]:
    return {(r.place_id, h.id) for r in results for h in r.blocking_hazards}


def open_installation(tmp: Path, url: str | None) -> Any:
    data_dir = tmp / ("pg" if url else "sqlite")
    data_dir.mkdir()
    settings = Settings(data_dir=data_dir, database_url=url, secret_key="bench")
    return open_wayhome(settings, upgrade=True)


def prepare(name: str, wayhome: Any, data: dict) -> Any:
    """Load the data into an installation; return the actor (of the households' organisation)."""
    org = accounts.ensure_organisation(wayhome, "Benchmark organisation", "BENCH")
    print(f"{name}: loaded in {load(wayhome, data, org.id):.1f} s (bulk insert, not measured)")
    return system_actor(org.id)


def run_backend(name: str, wayhome: Any, actor: Any, repeat: int) -> tuple[float, list[Any]]:
    times, cpu, results = time_assess(wayhome, actor, repeat)
    best = min(times)
    print(
        f"{name}: assess_settlements end to end: best {best:.3f} s, median "
        f"{statistics.median(times):.3f} s of {len(times)} ({', '.join(f'{t:.3f}' for t in times)}"
        "; the first is a fresh process's first call)"
    )
    print(f"  CPU time of this process: {', '.join(f'{t:.3f}' for t in cpu)} s")
    load = os.getloadavg()[0]
    print(f"  load average now {load:.2f} on {os.cpu_count()} CPUs")
    print(f"  {summary(results)}")
    return best, results


def run_stored(name: str, wayhome: Any, actor: Any, repeat: int, results: list[Any]) -> float:
    """Keep the facts as the services do after a bulk import (``wayhome readiness rebuild``),
    then time the assessment that reads them; it must answer exactly as computed from scratch."""
    start = time.perf_counter()
    with wayhome.transaction() as session:
        count = readiness_store.rebuild_in(session)
    print(
        f"{name}: stored the facts of {count:,} settlements in {time.perf_counter() - start:.3f} s"
    )
    times, _cpu, stored = time_assess(wayhome, actor, repeat)
    same = [(r.place_id, r.score, r.readiness_class) for r in stored] == [
        (r.place_id, r.score, r.readiness_class) for r in results
    ] and pairs_of(stored) == pairs_of(results)
    print(
        f"{name}: assess_settlements reading the stored facts: best {min(times):.3f} s, median "
        f"{statistics.median(times):.3f} s of {len(times)}; same answers: {'yes' if same else 'NO'}"
    )
    assert same, "stored facts answer differently"
    return min(times)


def overlay_alone(wayhome: Any, buffer_m: float, repeat: int) -> list[float]:
    """wayhome.geo's overlay on already-parsed polygons: the like-for-like of the PostGIS join."""
    with wayhome.read() as session:
        places = session.execute(
            select(Place.id, Place.lon, Place.lat).where(Place.type == "settlement")
        ).all()
        hazards = session.execute(
            select(HazardArea.id, HazardArea.geometry).where(HazardArea.status == "open")
        ).all()
    geoms = shapely.from_geojson(np.array([h.geometry for h in hazards], dtype=object))
    settlements = [(p.id, p.lon, p.lat, buffer_m) for p in places]
    pairs = list(zip([h.id for h in hazards], geoms, strict=True))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        hazards_near_settlements(settlements, pairs)
        times.append(time.perf_counter() - start)
    return times


def create_pg_database(dsn: str, db: str) -> str:
    """Drop and create the scratch database with PostGIS; return its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(f"{dsn} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.execute(f'CREATE DATABASE "{db}"')
    with psycopg.connect(f"{dsn} dbname={db}", autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
    parts = dict(p.split("=", 1) for p in dsn.split())
    return (
        f"postgresql+psycopg://{parts.get('user', 'postgres')}@{parts.get('host', '127.0.0.1')}"
        f":{parts.get('port', '5432')}/{db}"
    )


def postgis_overlay(dsn: str, db: str, buffer_m: float, repeat: int) -> dict[str, Any]:
    """The safety overlay in PostGIS, on the wayhome tables' own data, with a GiST index."""
    import psycopg

    out: dict[str, Any] = {}
    with psycopg.connect(f"{dsn} dbname={db}", autocommit=True) as conn:
        out["postgis"] = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        out["server"] = conn.execute("SHOW server_version").fetchone()[0]
        start = time.perf_counter()
        conn.execute(
            "CREATE TABLE bench_hazard AS SELECT id, "
            "ST_GeomFromGeoJSON(geometry)::geography AS geog FROM hazard_areas "
            "WHERE status = 'open' AND deleted_at IS NULL"
        )
        conn.execute(
            "CREATE TABLE bench_settlement AS SELECT id, "
            "ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM places "
            "WHERE type = 'settlement' AND deleted_at IS NULL AND lat IS NOT NULL"
        )
        conn.execute("CREATE INDEX bench_hazard_geog ON bench_hazard USING gist (geog)")
        conn.execute("ANALYZE bench_hazard")
        conn.execute("ANALYZE bench_settlement")
        out["prepare_s"] = time.perf_counter() - start
        query = (
            "SELECT s.id, h.id FROM bench_settlement s JOIN bench_hazard h "
            f"ON ST_DWithin(h.geog, s.geog, {float(buffer_m)!r})"
        )
        plan = conn.execute("EXPLAIN " + query).fetchall()
        out["uses_index"] = any("bench_hazard_geog" in row[0] for row in plan)
        times, rows = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = conn.execute(query).fetchall()
            times.append(time.perf_counter() - start)
        out["times"] = times
        out["pairs"] = {(a, b) for a, b in rows}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settlements", type=int, default=10_000)
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=20240301)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 user=postgres")
    parser.add_argument("--pg-db", default="wayhome_bench_d")
    args = parser.parse_args()

    print("$ " + shlex.join(sys.orig_argv))
    print(
        f"python {platform.python_version()}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    load_avg = os.getloadavg()
    print(
        f"load average (1 and 5 min) {load_avg[0]:.2f} {load_avg[1]:.2f}: other work on the machine"
    )
    start = time.perf_counter()
    data = make_data(args)
    n_open = sum(h["status"] == "open" for h in data["hazards"])
    print(
        f"synthetic data: {len(data['places']):,} settlements, {len(data['hazards']):,} hazard "
        f"polygons ({n_open:,} open), {len(data['conditions']):,} condition observations, "
        f"{len(data['households']):,} households; seed {args.seed}; generated in "
        f"{time.perf_counter() - start:.1f} s"
    )
    buffer_m = DEFAULT_SETTINGS.buffer_m
    print(f"index configuration: the defaults (safety buffer {buffer_m:g} m)")

    with tempfile.TemporaryDirectory() as tmp:
        sqlite = open_installation(Path(tmp), None)
        pg = None
        try:
            lite_actor = prepare("SQLite", sqlite, data)
            if not args.no_postgres:
                pg = open_installation(Path(tmp), create_pg_database(args.dsn, args.pg_db))
                pg_actor = prepare("PostgreSQL", pg, data)
            del data  # the timed runs should not pay for the generator's objects in GC passes
            gc.collect()
            lite_best, lite_results = run_backend("SQLite", sqlite, lite_actor, args.repeat)
            print(f"target ≤ 5 s: {'met' if lite_best <= 5 else 'NOT met'} on SQLite")
            run_stored("SQLite", sqlite, lite_actor, args.repeat, lite_results)
            alone = overlay_alone(sqlite, DEFAULT_SETTINGS.buffer_m, args.repeat)
            print(
                f"wayhome.geo overlay alone (polygons already parsed, as PostGIS has them "
                f"indexed): best {min(alone):.3f} s of {len(alone)}"
            )
            if pg is None:
                return 0 if lite_best <= 5 else 1
            pg_best, pg_results = run_backend("PostgreSQL", pg, pg_actor, args.repeat)
            print(f"target ≤ 5 s: {'met' if pg_best <= 5 else 'NOT met'} on PostgreSQL")
            run_stored("PostgreSQL", pg, pg_actor, args.repeat, pg_results)
        finally:
            sqlite.close()
            if pg is not None:
                pg.close()

    gis = postgis_overlay(args.dsn, args.pg_db, buffer_m, args.repeat)
    gis_best = min(gis["times"])
    print(
        f"PostGIS {gis['postgis']} on PostgreSQL {gis['server']}: the open hazard areas as "
        f"geography + GiST index + ANALYZE took {gis['prepare_s']:.1f} s (not counted below)"
    )
    print(
        f"PostGIS ST_DWithin(geography, {buffer_m:g} m) join alone: best {gis_best:.3f} s, median "
        f"{statistics.median(gis['times']):.3f} s of {len(gis['times'])}; "
        f"GiST index used: {gis['uses_index']}; {len(gis['pairs']):,} pairs"
    )
    print(
        f"ratio PostGIS overlay alone / wayhome readiness end to end: "
        f"{gis_best / lite_best:.2f}× (SQLite), {gis_best / pg_best:.2f}× (PostgreSQL)"
    )
    print(f"ratio PostGIS overlay alone / wayhome.geo overlay alone: {gis_best / min(alone):.1f}×")
    ours = pairs_of(pg_results)
    assert pairs_of(lite_results) == ours, "SQLite and PostgreSQL disagree"
    only_ours, only_gis = ours - gis["pairs"], gis["pairs"] - ours
    if not only_ours and not only_gis:
        print("same settlement–hazard pairs as PostGIS: yes")
    else:
        print(
            f"same pairs as PostGIS: no — {len(only_ours)} only in wayhome, {len(only_gis)} only "
            f"in PostGIS (of {len(ours | gis['pairs']):,}); see bench_geo_overlay.py for the "
            "edge-of-buffer analysis"
        )
    return 0 if max(lite_best, pg_best) <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
