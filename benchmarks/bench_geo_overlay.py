"""Benchmark: hazards near settlements, wayhome.geo (shapely STRtree) against PostGIS.

Generates seeded synthetic data (by default 10,000 settlements and 100,000 hazard polygons over
about 600 × 450 km), times :func:`wayhome.geo.hazards_near_settlements` (wall time, best and
median of ``--repeat`` runs, and the process's peak RSS), then loads the same data into a scratch
PostGIS database and times the equivalent ``ST_DWithin(geography, geography, buffer)`` join, and
checks that both give the same pairs.

Run from the repository root::

    .venv/bin/python benchmarks/bench_geo_overlay.py
    .venv/bin/python benchmarks/bench_geo_overlay.py --no-postgis --settlements 1000

PostGIS: PostgreSQL at ``--dsn`` (default ``host=127.0.0.1 port=5432 user=postgres
dbname=postgres``, trust auth); the database ``wayhome_bench`` is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import shlex
import statistics
import sys
import time
from collections.abc import Hashable

import numpy as np
import shapely

from wayhome.geo import hazards_near_settlements
from wayhome.geo.areas import GEOD, metres_per_degree

REGION = (30.0, 46.0, 38.0, 50.0)  # west, south, east, north: about 600 × 450 km
BUFFERS_M = np.array([0.0, 500.0, 1000.0, 2000.0, 5000.0])


def _status_mib(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return None


def rss_mib() -> float:
    """Resident set size now (Linux), else the peak so far."""
    now = _status_mib("VmRSS")
    return now if now is not None else peak_rss_mib()


def peak_rss_mib() -> float:
    """Peak resident set size since the last :func:`reset_peak_rss` (Linux: VmHWM)."""
    peak = _status_mib("VmHWM")
    if peak is not None:
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux ≥ 4.0), so the next peak is
    the overlay's own."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def make_hazards(n: int, rng: np.random.Generator) -> np.ndarray:
    """Star-shaped (so valid) polygons of 6–24 vertices, 30 m to 1.5 km in radius."""
    west, south, east, north = REGION
    cx = rng.uniform(west, east, n)
    cy = rng.uniform(south, north, n)
    radius = np.exp(rng.uniform(np.log(30.0), np.log(1500.0), n))
    nv = rng.integers(6, 25, n)
    owner = np.repeat(np.arange(n), nv)
    k = np.arange(nv.sum()) - np.repeat(np.cumsum(nv) - nv, nv)
    angle = 2 * np.pi * (k + rng.uniform(0.0, 0.8, len(k))) / nv[owner]  # increasing
    r = radius[owner] * rng.uniform(0.5, 1.0, len(k))
    kx, ky = metres_per_degree(cy[owner])
    xy = np.column_stack([cx[owner] + r * np.cos(angle) / kx, cy[owner] + r * np.sin(angle) / ky])
    rings = shapely.linearrings(xy, indices=owner)
    return shapely.polygons(rings)


def make_settlements(
    n: int, rng: np.random.Generator, buffers_m: np.ndarray = BUFFERS_M
) -> list[tuple[int, float, float, float]]:
    west, south, east, north = REGION
    lon = rng.uniform(west, east, n)
    lat = rng.uniform(south, north, n)
    buffer_m = rng.choice(buffers_m, n)
    return [
        (i, float(x), float(y), float(b))
        for i, (x, y, b) in enumerate(zip(lon, lat, buffer_m, strict=True))
    ]


def as_pairs(result: dict[Hashable, list[Hashable]]) -> set[tuple[int, int]]:
    return {(int(s), int(h)) for s, hs in result.items() for h in hs}


def run_python(settlements: list, hazards: list, repeat: int) -> tuple[set, list[float], float]:
    times = []
    result: dict = {}
    for _ in range(repeat):
        start = time.perf_counter()
        result = hazards_near_settlements(settlements, hazards)
        times.append(time.perf_counter() - start)
    return as_pairs(result), times, peak_rss_mib()


def run_postgis(dsn: str, settlements: list, geoms: np.ndarray, repeat: int) -> dict:
    import psycopg

    out: dict = {}
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS wayhome_bench")
        admin.execute("CREATE DATABASE wayhome_bench")
    bench_dsn = f"{dsn} dbname=wayhome_bench"
    with psycopg.connect(bench_dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
        out["postgis"] = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        out["server"] = conn.execute("SHOW server_version").fetchone()[0]
        out["workers"] = conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0]
        conn.execute("CREATE TABLE hazard (id integer PRIMARY KEY, geog geography(Polygon, 4326))")
        conn.execute(
            "CREATE TABLE settlement (id integer PRIMARY KEY, geog geography(Point, 4326), "
            "buffer_m double precision NOT NULL)"
        )
        start = time.perf_counter()
        wkb = shapely.to_wkb(geoms, hex=True)
        text = io.StringIO()
        for i, w in enumerate(wkb):
            text.write(f"{i}\t{w}\n")
        with conn.cursor().copy("COPY hazard (id, geog) FROM STDIN") as copy:
            copy.write(text.getvalue())
        text = io.StringIO()
        for i, lon, lat, b in settlements:
            text.write(f"{i}\tSRID=4326;POINT({lon!r} {lat!r})\t{b!r}\n")
        with conn.cursor().copy("COPY settlement (id, geog, buffer_m) FROM STDIN") as copy:
            copy.write(text.getvalue())
        out["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        conn.execute("CREATE INDEX hazard_geog ON hazard USING gist (geog)")
        conn.execute("ANALYZE hazard")
        conn.execute("ANALYZE settlement")
        out["index_s"] = time.perf_counter() - start
        query = (
            "SELECT s.id, h.id FROM settlement s JOIN hazard h "
            "ON ST_DWithin(h.geog, s.geog, s.buffer_m)"
        )
        plan = conn.execute("EXPLAIN " + query).fetchall()
        out["uses_index"] = any("hazard_geog" in row[0] for row in plan)
        times = []
        rows: list = []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = conn.execute(query).fetchall()
            times.append(time.perf_counter() - start)
        out["times"] = times
        out["pairs"] = {(int(a), int(b)) for a, b in rows}
    return out


def explain_differences(
    only: set[tuple[int, int]], settlements: list, geoms: np.ndarray, limit: int = 5
) -> list[str]:
    """How far each differing pair is from its buffer edge, by a dense geodesic check."""
    lines = []
    for s, h in sorted(only)[:limit]:
        _, lon, lat, buffer_m = settlements[s]
        boundary = shapely.segmentize(geoms[h].boundary, 0.00001)
        xy = shapely.get_coordinates(boundary)
        n = len(xy)
        _, _, d = GEOD.inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])
        inside = geoms[h].intersects(shapely.Point(lon, lat))
        dist = 0.0 if inside else float(np.min(d))
        lines.append(
            f"    settlement {s} / hazard {h}: buffer {buffer_m:.0f} m, "
            f"geodesic distance {dist:.3f} m (edge {dist - buffer_m:+.3f} m)"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settlements", type=int, default=10_000)
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240301)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--buffers",
        default=",".join(f"{b:g}" for b in BUFFERS_M),
        help="settlement buffers in metres to draw from (comma-separated)",
    )
    parser.add_argument("--no-postgis", action="store_true")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 user=postgres dbname=postgres")
    args = parser.parse_args()

    print("$ " + shlex.join(sys.orig_argv))
    print(
        f"python {platform.python_version()}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    load = os.getloadavg()
    print(f"load average (1 and 5 min) {load[0]:.2f} {load[1]:.2f}: other work on the machine")

    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    geoms = make_hazards(args.hazards, rng)
    buffers_m = np.array([float(b) for b in args.buffers.split(",")])
    settlements = make_settlements(args.settlements, rng, buffers_m)
    hazards = list(zip(range(len(geoms)), geoms, strict=True))
    n_coords = int(shapely.get_num_coordinates(geoms).sum())
    print(
        f"data: {len(settlements):,} settlements (buffers {', '.join(f'{b:g}' for b in buffers_m)}"
        f" m), {len(hazards):,} hazard polygons ({n_coords:,} vertices), seed {args.seed}, "
        f"generated in {time.perf_counter() - start:.1f} s"
    )
    rss_before = rss_mib()
    reset_peak_rss()

    pairs, times, rss_after = run_python(settlements, hazards, args.repeat)
    best, median = min(times), statistics.median(times)
    print(
        f"wayhome.geo hazards_near_settlements: best {best:.3f} s, median {median:.3f} s "
        f"of {len(times)} ({', '.join(f'{t:.3f}' for t in times)}); one thread"
    )
    print(
        f"  {len(pairs):,} settlement–hazard pairs; peak RSS during the runs {rss_after:.0f} MiB, "
        f"{rss_before:.0f} MiB before them (inputs): the overlay adds "
        f"{rss_after - rss_before:.0f} MiB at its peak"
    )
    if args.no_postgis:
        return 0

    pg = run_postgis(args.dsn, settlements, geoms, args.repeat)
    pg_best = min(pg["times"])
    print(
        f"PostGIS {pg['postgis']} on PostgreSQL {pg['server']} "
        f"(max_parallel_workers_per_gather {pg['workers']}): load (COPY) {pg['load_s']:.1f} s, "
        f"GiST index + ANALYZE {pg['index_s']:.1f} s"
    )
    print(
        f"PostGIS ST_DWithin(geography) join: best {pg_best:.3f} s, median "
        f"{statistics.median(pg['times']):.3f} s of {len(pg['times'])} "
        f"({', '.join(f'{t:.3f}' for t in pg['times'])}); GiST index used: {pg['uses_index']}"
    )
    print(f"  {len(pg['pairs']):,} pairs")
    print(f"ratio PostGIS / wayhome.geo (best times): {pg_best / best:.1f}×")
    only_py, only_pg = pairs - pg["pairs"], pg["pairs"] - pairs
    if not only_py and not only_pg:
        print("same pairs: yes")
    else:
        print(
            f"same pairs: no — {len(only_py)} only in wayhome.geo, {len(only_pg)} only in PostGIS "
            f"(of {len(pairs | pg['pairs']):,})"
        )
        for label, only in (("only in wayhome.geo", only_py), ("only in PostGIS", only_pg)):
            if only:
                print(f"  {label}:")
                print("\n".join(explain_differences(only, settlements, geoms)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
