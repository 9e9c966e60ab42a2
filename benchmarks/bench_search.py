"""Search-before-register latency: one new record scored against a registry of N persons.

    python -m benchmarks.bench_search [--registry-size 1000000] [--queries 200] [--seed 1]
        [--systems wayhome,wayhome_pg,splink] [--pg-db NAME | --pg-url URL]

The registry is the multi-script synthetic data set of that size (benchmarks/synth.py) minus
the query records; the queries are one record each of persons that keep at least one record in
the registry. Each system runs in its own process. ``wayhome`` is the registry on a fresh
SQLite file; ``wayhome_pg`` the same on PostgreSQL: the database ``--pg-url`` (or ``--pg-db``
on the local server, ``postgresql+psycopg://postgres@127.0.0.1:5432/NAME``), whose ``public``
schema is dropped and re-created - give it a database of its own, with PostGIS available.
Giving one of them adds ``wayhome_pg`` to the default systems.
Target: wayhome p95 <= 50 ms on 1M (on each database run). Exit status 0 only when every
system produced a result and the targets hold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import check, header, run_child, table  # noqa: E402
from benchmarks.synth import DATA_DIR, ensure_dataset  # noqa: E402

COLUMNS = (
    ("system", "system", 0),
    ("registry", "registry", 0),
    ("queries", "queries", 0),
    ("p50_ms", "p50 ms", 1),
    ("p95_ms", "p95 ms", 1),
    ("max_ms", "max ms", 1),
    ("found", "found", 3),
    ("top1_correct", "top-1 correct", 3),
    ("setup_s", "setup s", 1),
    ("load_per_s", "loaded/s", 0),
    ("proc_s", "process s", 1),
    ("peak_rss_mb", "peak RSS MB", 0),
    ("status", "status", 0),
)


def split(n: int, seed: int, queries: int) -> tuple[Path, Path]:
    import numpy as np
    import pandas as pd

    reg_path = DATA_DIR / f"search_registry_{n}_s{seed}_q{queries}.parquet"
    q_path = DATA_DIR / f"search_queries_{n}_s{seed}_q{queries}.parquet"
    if reg_path.exists() and q_path.exists():
        return reg_path, q_path
    df = pd.read_parquet(ensure_dataset(n, seed))
    sizes = df.groupby("true_id")["id"].transform("size")
    first = ~df.duplicated("true_id")
    pool = np.flatnonzero((sizes >= 2).to_numpy() & first.to_numpy())
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(pool, size=min(queries, len(pool)), replace=False))
    mask = np.zeros(len(df), dtype=bool)
    mask[pick] = True
    df[~mask].to_parquet(reg_path, index=False)
    df[mask].to_parquet(q_path, index=False)
    return reg_path, q_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--registry-size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--systems", default=None, help="default wayhome,splink (+ wayhome_pg)")
    ap.add_argument("--pg-url", help="PostgreSQL database for wayhome_pg (emptied first)")
    ap.add_argument("--pg-db", help="shorthand: that database on the local server")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args(argv)
    pg_url = args.pg_url or (
        f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.pg_db}" if args.pg_db else None
    )
    systems = args.systems or ("wayhome,wayhome_pg,splink" if pg_url else "wayhome,splink")
    header("Search before register: latency of one record against a registry", "splink", "duckdb")
    reg, q = split(args.registry_size, args.seed, args.queries)
    rows, res = [], {}
    for system in [s for s in systems.split(",") if s]:
        extra = ["--pg-url", pg_url] if system == "wayhome_pg" and pg_url else []
        r = run_child(
            "benchmarks.search_systems",
            ["--system", system, "--registry", str(reg), "--queries", str(q), *extra],
            tag=f"search_{args.registry_size}_{system}",
            timeout=args.timeout,
        )
        res[system] = r
        row = {"system": system, **r}
        if r.get("status") != "ok":
            row["status"] = f"{r.get('status')}: {r.get('message', '')}"[:160]
        rows.append(row)
        print(f"  done {system}: {r.get('status')}", file=sys.stderr, flush=True)
    s = res.get("splink")
    s_ok = bool(s) and s.get("status") == "ok"
    ours = {k: v for k, v in res.items() if k.startswith("wayhome")}
    for name, w in ours.items():
        if w.get("status") == "ok" and s_ok:
            rows.append(
                {
                    "system": f"{name}/splink",
                    "p50_ms": f"x{w['p50_ms'] / s['p50_ms']:.3f}",
                    "p95_ms": f"x{w['p95_ms'] / s['p95_ms']:.3f}",
                    "status": "ratio",
                }
            )
        else:
            rows.append({"system": f"{name}/splink", "status": "n/a (a system without a result)"})
    print(table(rows, COLUMNS))
    print(
        "\nfound: share of queries whose person is returned at match probability >= 0.9; "
        "setup s: bulk loading/training/indexing before the first query (not in the latencies); "
        "loaded/s: persons bulk-registered per second."
    )
    print("Targets:")
    c = []
    for name, w in ours.items():
        w_ok = w.get("status") == "ok"
        c.append(
            check(
                f"{name} p95 <= 50 ms on {args.registry_size:,}",
                w["p95_ms"] <= 50 if w_ok else None,
            )
        )
        c.append(
            check(f"{name} p95 < Splink p95", w["p95_ms"] < s["p95_ms"] if w_ok and s_ok else None)
        )
    print("\n".join(c))
    every_ok = all(r.get("status") == "ok" for r in res.values())
    failed = not every_ok or not ours or not s_ok or any("PASS" not in x for x in c)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
