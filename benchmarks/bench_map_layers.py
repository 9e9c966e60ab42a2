"""Benchmark: the map layer endpoints with 10,000 features, wayhome against PostGIS doing the same.

Synthetic, seeded data (nothing real) over about 600 × 450 km: ``--features`` hazard polygons
(star-shaped, 24–96 vertices, 30 m to 1.5 km across), as many settlements and as many heritage
sites (a fifth of them sensitive, one to three condition assessments each, every other one in a
settlement), bulk-inserted into a migrated wayhome database: SQLite in a temporary directory, then
PostgreSQL (``--pg-db``). What the services keep at write time is then written as they write it,
timed apart: hazard outlines per zoom band (`map_outlines`), the latest condition of each site
(`heritage_latest`) and the readiness facts of each settlement (`readiness_store`, one rebuild).

For each layer and zoom, with a box holding every feature, it times

* the service call alone (`wayhome.services.map_layers`): the first call after a write (a
  hazard area created through the service, outside the box) with every in-process cache empty
  ("cold": the first request after a write or a server start), ``--cold-repeat`` times, and
  then ``--repeat`` calls ("warm"), each p50/p95;
* the HTTP endpoint through the ASGI app (Starlette's TestClient, a bearer token), warm, p50/p95;
* what writes now pay for the cold path (``--write-repeat`` of each, p50/p95): a hazard area
  created near a settlement, a condition observed in a settlement, an assessment of a site in a
  settlement, each through its service, and the part of it spent keeping the stored rows.

In the same run, on the same PostgreSQL data, it times what a PostGIS user would write instead for
the hazard layer: one query returning the whole FeatureCollection, outlines simplified with
``ST_SimplifyPreserveTopology`` at the same half-pixel tolerance (in degrees) and written with
``ST_AsGeoJSON`` at the same number of decimals, over a GiST-indexed geometry column; then prints
the ratios. The target is ≤ 200 ms for a 10,000-feature layer.

Run from the repository root::

    .venv/bin/python benchmarks/bench_map_layers.py
    .venv/bin/python benchmarks/bench_map_layers.py --features 2000 --no-postgres

PostgreSQL at ``--dsn`` (default ``host=127.0.0.1 port=5432 user=postgres``, trust auth); the
database ``--pg-db`` (default ``wayhome_bench_e``) is dropped and created afresh.
"""

from __future__ import annotations

import argparse
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
from sqlalchemy import insert

from wayhome.core.ids import new_id
from wayhome.geo.areas import metres_per_degree
from wayhome.geo.layer_geometry import digits_for_zoom
from wayhome.geo.simplify import pixel_size_m
from wayhome.services import (
    accounts,
    contamination,
    heritage,
    heritage_latest,
    map_layers,
    map_outlines,
    readiness_store,
)
from wayhome.services.contamination_inputs import HazardAreaInput
from wayhome.services.context import open_wayhome, system_actor
from wayhome.services.heritage_inputs import HeritageAssessmentInput
from wayhome.services.inputs import parse_input
from wayhome.services.readiness_conditions import ConditionInput, record_condition
from wayhome.settings import Settings
from wayhome.store.tables import Place
from wayhome.store.tables_contamination import HazardArea, HazardAreaOutline
from wayhome.store.tables_heritage import HeritageAssessment, HeritageSite

REGION = (30.0, 46.0, 38.0, 50.0)  # west, south, east, north
ZOOMS = (6, 10, 14)
CONDITIONS = np.array(["good", "fair", "poor", "very_bad", "destroyed"])
LAYERS = (
    ("hazard-areas", map_layers.hazard_layer),
    ("settlements", map_layers.settlement_layer),
    ("heritage-sites", map_layers.heritage_layer),
)


def make_hazards(n: int, rng: np.random.Generator) -> np.ndarray:
    """Star-shaped (so valid) polygons of 24–96 vertices, 30 m to 1.5 km in radius."""
    west, south, east, north = REGION
    cx, cy = rng.uniform(west, east, n), rng.uniform(south, north, n)
    radius = np.exp(rng.uniform(np.log(30.0), np.log(1500.0), n))
    nv = rng.integers(24, 97, n)
    owner = np.repeat(np.arange(n), nv)
    k = np.arange(nv.sum()) - np.repeat(np.cumsum(nv) - nv, nv)
    angle = 2 * np.pi * (k + rng.uniform(0.0, 0.8, len(k))) / nv[owner]
    r = radius[owner] * rng.uniform(0.6, 1.0, len(k))
    kx, ky = metres_per_degree(cy[owner])
    xy = np.column_stack([cx[owner] + r * np.cos(angle) / kx, cy[owner] + r * np.sin(angle) / ky])
    return shapely.polygons(shapely.linearrings(xy, indices=owner))


def make_data(n: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Rows of places, hazard areas, sites and assessments (ids fixed, so both databases match)."""
    rng = np.random.default_rng(seed)
    west, south, east, north = REGION
    geoms = make_hazards(n, rng)
    bounds, texts = shapely.bounds(geoms), shapely.to_geojson(geoms)
    hazards = [
        {
            "id": new_id(),
            "origin_instance": "bench",
            "local_id": f"HA-{i:06d}",
            "name": f"Hazard {i}",
            "hazard_type": "sha" if i % 3 else "cha",
            "status": "closed" if i % 5 == 0 else "open",
            "geometry": str(texts[i]),
            "min_lon": float(bounds[i, 0]),
            "min_lat": float(bounds[i, 1]),
            "max_lon": float(bounds[i, 2]),
            "max_lat": float(bounds[i, 3]),
            "original_area_m2": 1.0,
            "remaining_area_m2": 0.0 if i % 5 == 0 else 1.0,
            "evidence": [],
            "search_text": "",
        }
        for i in range(n)
    ]
    lon, lat = rng.uniform(west, east, n), rng.uniform(south, north, n)
    places = [
        {
            "id": new_id(),
            "origin_instance": "bench",
            "code": f"S{i:06d}",
            "type": "settlement",
            "lat": float(y),
            "lon": float(x),
            "display_name": f"Settlement {i:06d}",
            "search_text": "",
        }
        for i, (x, y) in enumerate(zip(lon, lat, strict=True))
    ]
    lon, lat = rng.uniform(west, east, n), rng.uniform(south, north, n)
    sites, assessments = [], []
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        site_id = new_id()
        sites.append(
            {
                "id": site_id,
                "origin_instance": "bench",
                "reference": f"HS-{i:06d}",
                "type": "church",
                "lat": float(y),
                "lon": float(x),
                "sensitive": i % 5 == 0,
                "place_id": places[i]["id"] if i % 2 == 0 else None,
                "display_name": f"Site {i:06d}",
                "search_text": "",
            }
        )
        for year in range(2018, 2018 + 1 + i % 3):
            assessments.append(
                {
                    "id": new_id(),
                    "origin_instance": "bench",
                    "site_id": site_id,
                    "observed_on": str(year),
                    "observed_on_precision": "year",
                    "assessed_on": str(year),
                    "assessed_on_precision": "year",
                    "method": "satellite_imagery",
                    "overall_condition": str(rng.choice(CONDITIONS)),
                }
            )
    return {"places": places, "hazards": hazards, "sites": sites, "assessments": assessments}


def load(wayhome: Any, data: dict[str, list[dict[str, Any]]]) -> tuple[float, float, float]:
    """Bulk-insert the synthetic rows (the benchmark's set-up, not what it measures).

    The hazard outlines per zoom band are written as `write_hazard_area` writes them (the same
    `map_outlines.outline_rows`), timed apart: the cost moved from the first request to writes.
    So are the latest site conditions and the settlements' readiness facts, rebuilt once as a
    bulk load outside the services must (``wayhome readiness rebuild``).
    """
    start = time.perf_counter()
    with wayhome.transaction() as session:
        for table, rows in (
            (Place, data["places"]),
            (HazardArea, data["hazards"]),
            (HeritageSite, data["sites"]),
            (HeritageAssessment, data["assessments"]),
        ):
            for chunk in range(0, len(rows), 5000):
                session.execute(insert(table), rows[chunk : chunk + 5000])
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    hazards = data["hazards"]
    with wayhome.transaction() as session:
        for chunk in range(0, len(hazards), 500):
            part = hazards[chunk : chunk + 500]
            rows = map_outlines.outline_rows([(h["id"], h["geometry"]) for h in part])
            session.execute(insert(HazardAreaOutline), rows)
    outlined = time.perf_counter() - start
    start = time.perf_counter()
    with wayhome.transaction() as session:
        heritage_latest.rebuild_in(session)
        readiness_store.rebuild_in(session)
    return loaded, outlined, time.perf_counter() - start


class Timed:
    """Wraps a module's function to add up the time spent in it (the write-time upkeep)."""

    def __init__(self, module: Any, name: str) -> None:
        self.module, self.name, self.real = module, name, getattr(module, name)
        self.spent = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.real(*args, **kwargs)
        finally:
            self.spent += time.perf_counter() - start

    def __enter__(self) -> Timed:
        setattr(self.module, self.name, self)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.module, self.name, self.real)


def write_costs(wayhome: Any, data: dict, repeat: int) -> dict[str, tuple[list, list]]:
    """Time service writes that change readiness inputs, and the upkeep part of each."""
    places, sites = data["places"], data["sites"]
    in_place = [s for s in sites if s["place_id"] is not None]
    actor = system_actor()
    out: dict[str, tuple[list, list]] = {}

    def hazard(n: int) -> None:
        place = places[(n * 7919) % len(places)]
        lon, lat = place["lon"] + 0.004, place["lat"]  # ~300 m east: it blocks the settlement
        ring = [[lon, lat], [lon + 0.002, lat], [lon + 0.002, lat + 0.002], [lon, lat + 0.002]]
        contamination.create_hazard_area(
            wayhome,
            actor,
            HazardAreaInput.model_validate(
                {
                    "local_id": f"BENCH-NEAR-{n}",
                    "name": "Written near a settlement",
                    "hazard_type": "sha",
                    "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                }
            ),
        )

    def condition(n: int) -> None:
        place = places[(n * 104729) % len(places)]
        data = {
            "observed_on": "2024-05",
            "housing_damage_pct": 30,
            "services": {"water": "partial"},
        }
        record_condition(wayhome, actor, place["id"], parse_input(ConditionInput, data))

    def assessment(n: int) -> None:
        site = in_place[(n * 15485863) % len(in_place)]
        data = {"observed_on": "2024", "method": "field_visit", "overall_condition": "poor"}
        heritage.add_assessment(
            wayhome, actor, site["id"], HeritageAssessmentInput.model_validate(data)
        )

    for name, write in (
        ("hazard area", hazard),
        ("condition", condition),
        ("assessment", assessment),
    ):
        totals, upkeep = [], []
        for n in range(repeat):
            with (
                Timed(readiness_store, "_near_hazards") as near,
                Timed(readiness_store, "_refresh") as facts,
                Timed(heritage_latest, "refresh") as latest,
            ):
                start = time.perf_counter()
                write(n)
                totals.append(time.perf_counter() - start)
            upkeep.append(near.spent + facts.spent + latest.spent)
        out[name] = (totals, upkeep)
    return out


def write_one(wayhome: Any, actor: Any, n: int) -> None:
    """A service write (a small hazard area outside the box): the caches' fingerprint changes."""
    ring = [[10.0 + 0.001 * n, 0.0], [10.0005 + 0.001 * n, 0.0], [10.0 + 0.001 * n, 0.0005]]
    contamination.create_hazard_area(
        wayhome,
        actor,
        HazardAreaInput.model_validate(
            {
                "local_id": f"BENCH-WRITE-{n}",
                "name": "Written before a cold request",
                "hazard_type": "sha",
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        ),
    )


def pct(times: list[float], q: float) -> float:
    """The q-th quantile (0–1) of some timings, by the nearest rank."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def fmt(times: list[float]) -> str:
    return f"p50 {pct(times, 0.5) * 1000:7.1f} ms  p95 {pct(times, 0.95) * 1000:7.1f} ms"


def bbox_param() -> str:
    return ",".join(str(v) for v in REGION)


def run_backend(
    name: str, wayhome: Any, data: dict, repeat: int, cold_repeat: int, write_repeat: int
) -> dict[tuple[str, int], Any]:
    """Time every layer at every zoom: service cold and warm, HTTP warm."""
    from fastapi.testclient import TestClient

    from wayhome.web.app import create_app

    org = accounts.ensure_organisation(wayhome, "Benchmark organisation", "BENCH")
    user = accounts.create_user(
        wayhome,
        system_actor(),
        username="bench",
        full_name="Benchmark",
        password="benchmark password",
        role="analyst",
        organisation_id=org.id,
    )
    actor = accounts.actor_for(user)
    _token, secret = accounts.create_token(wayhome, actor, "bench")
    loaded, outlined, rebuilt = load(wayhome, data)
    print(
        f"{name}: loaded in {loaded:.1f} s (bulk insert, not measured); hazard outlines per "
        f"zoom band written in {outlined:.1f} s ({outlined / len(data['hazards']) * 1000:.2f} ms "
        "per hazard area, the cost a write now pays); latest site conditions and settlement "
        f"readiness facts rebuilt in {rebuilt:.1f} s (once, as after a bulk load)"
    )
    writes = 0
    out: dict[tuple[str, int], Any] = {}
    app = create_app(wayhome.settings, wayhome)
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as client:
        for layer, function in LAYERS:
            for zoom in ZOOMS:
                colds = []
                for _ in range(cold_repeat):
                    # cold: the first request after a write, in a process with nothing cached
                    writes += 1
                    write_one(wayhome, system_actor(), writes)
                    map_layers.clear_caches()
                    start = time.perf_counter()
                    result = function(wayhome, actor, bbox=REGION, zoom=zoom)
                    colds.append(time.perf_counter() - start)
                warm = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    result = function(wayhome, actor, bbox=REGION, zoom=zoom)
                    text = result.geojson()
                    warm.append(time.perf_counter() - start)
                http = []
                size = 0
                for _ in range(repeat):
                    start = time.perf_counter()
                    response = client.get(
                        f"/api/v1/map/{layer}.geojson", params={"bbox": bbox_param(), "zoom": zoom}
                    )
                    size = len(response.content)
                    http.append(time.perf_counter() - start)
                    assert response.status_code == 200, response.text
                vertices = text.count("],[") + text.count("[[")
                print(
                    f"{name:10} {layer:15} z{zoom:<2} {len(result.features):6,} features "
                    f"{size / 1e6:5.2f} MB ~{vertices:,} coords | service cold {fmt(colds)}, "
                    f"warm {fmt(warm)} | HTTP {fmt(http)}"
                )
                out[(layer, zoom)] = {
                    "cold": colds,
                    "warm": warm,
                    "http": http,
                    "n": len(result.features),
                }
    for write, (totals, upkeep) in write_costs(wayhome, data, write_repeat).items():
        print(
            f"{name:10} write: {write:12} {fmt(totals)} | of which keeping the stored rows "
            f"{fmt(upkeep)}"
        )
    return out


def postgis_layer(dsn: str, db: str, repeat: int) -> dict[int, list[float]]:
    """The hazard layer as one PostGIS query: simplify, write GeoJSON, aggregate, at each zoom."""
    import psycopg

    times: dict[int, list[float]] = {}
    with psycopg.connect(f"{dsn} dbname={db}", autocommit=True) as conn:
        version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        print(f"PostGIS {version}; PostgreSQL {conn.execute('SHOW server_version').fetchone()[0]}")
        start = time.perf_counter()
        conn.execute(
            "CREATE TABLE bench_hazard AS SELECT id, local_id, name, hazard_type, status, "
            "remaining_area_m2, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326) AS geom "
            "FROM hazard_areas WHERE deleted_at IS NULL"
        )
        conn.execute("CREATE INDEX bench_hazard_geom ON bench_hazard USING gist (geom)")
        conn.execute("ANALYZE bench_hazard")
        print(
            f"PostGIS: geometry table and GiST index built in {time.perf_counter() - start:.1f} s"
        )
        west, south, east, north = REGION
        for zoom in ZOOMS:
            # half a pixel, in degrees (the pixel's Mercator metres over metres per degree)
            tolerance = 0.5 * pixel_size_m(zoom) / 111_319.49
            query = (
                "SELECT json_build_object('type', 'FeatureCollection', 'features', "
                "coalesce(json_agg(json_build_object('type', 'Feature', 'id', id, 'geometry', "
                "ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, %s), %s)::json, "
                "'properties', json_build_object('ref', local_id, 'name', name, 'hazard_type', "
                "hazard_type, 'status', status, 'remaining_m2', round(remaining_area_m2)))), "
                "'[]'::json))::text FROM bench_hazard "
                "WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
            )
            params = (tolerance, digits_for_zoom(zoom), west, south, east, north)
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                text = conn.execute(query, params).fetchone()[0]
                runs.append(time.perf_counter() - start)
            times[zoom] = runs
            print(
                f"{'postgis':10} {'hazard-areas':15} z{zoom:<2} one query: {fmt(runs)} "
                f"({len(text) / 1e6:.2f} MB)"
            )
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--features", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240401)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--cold-repeat",
        type=int,
        default=5,
        help="cold requests per layer and zoom, each after a write",
    )
    parser.add_argument(
        "--write-repeat", type=int, default=20, help="service writes timed of each kind"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 user=postgres")
    parser.add_argument("--pg-db", default="wayhome_bench_e")
    args = parser.parse_args()
    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    data = make_data(args.features, args.seed)
    results: dict[str, dict[tuple[str, int], Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_dir = Path(tmp) / "sqlite"
        sqlite_dir.mkdir()
        wayhome = open_wayhome(
            Settings(data_dir=sqlite_dir, database_url=None, secret_key="bench"), upgrade=True
        )
        results["sqlite"] = run_backend(
            "sqlite", wayhome, data, args.repeat, args.cold_repeat, args.write_repeat
        )
        wayhome.close()
        if not args.no_postgres:
            import psycopg

            with psycopg.connect(f"{args.dsn} dbname=postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_db}"')
                conn.execute(f'CREATE DATABASE "{args.pg_db}"')
            with psycopg.connect(f"{args.dsn} dbname={args.pg_db}", autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            host = dict(part.split("=", 1) for part in args.dsn.split())
            url = (
                f"postgresql+psycopg://{host.get('user', 'postgres')}@{host.get('host', '127.0.0.1')}"
                f":{host.get('port', '5432')}/{args.pg_db}"
            )
            pg_dir = Path(tmp) / "pg"
            pg_dir.mkdir()
            wayhome = open_wayhome(
                Settings(data_dir=pg_dir, database_url=url, secret_key="bench"), upgrade=True
            )
            results["postgresql"] = run_backend(
                "postgresql", wayhome, data, args.repeat, args.cold_repeat, args.write_repeat
            )
            wayhome.close()
            postgis = postgis_layer(args.dsn, args.pg_db, args.repeat)
            print(
                "\nratios, hazard layer (wayhome ÷ PostGIS query, p50; < 1 means wayhome is faster):"
            )
            for backend, timed in results.items():
                for zoom in ZOOMS:
                    row = timed[("hazard-areas", zoom)]
                    base = statistics.median(postgis[zoom])
                    print(
                        f"  {backend:10} z{zoom:<2} service warm {pct(row['warm'], 0.5) / base:5.2f}  "
                        f"HTTP warm {pct(row['http'], 0.5) / base:5.2f}  "
                        f"service cold {pct(row['cold'], 0.5) / base:5.2f}"
                    )
    print("\ntarget: ≤ 200 ms for a 10,000-feature layer (HTTP p95 warm; service p95 cold):")
    failed = 0
    for backend, timed in results.items():
        for (layer, zoom), row in timed.items():
            p95 = pct(row["http"], 0.95) * 1000
            cold = pct(row["cold"], 0.95) * 1000
            verdict = "ok" if p95 <= 200 else "OVER"
            cold_verdict = "ok" if cold <= 200 else "OVER"
            failed += (p95 > 200) + (cold > 200)
            print(
                f"  {backend:10} {layer:15} z{zoom:<2} {row['n']:6,} features  warm {p95:7.1f} ms "
                f"{verdict:4}  cold {cold:7.1f} ms {cold_verdict}"
            )
    print("PASS: every layer within 200 ms" if not failed else f"FAIL: {failed} over 200 ms")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
