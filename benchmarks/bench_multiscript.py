"""Multi-script synthetic records (benchmarks/synth.py): wayhome vs Splink vs recordlinkage.

    python -m benchmarks.bench_multiscript --sizes 10000,100000,1000000 [--seed 1]
        [--systems wayhome,splink,recordlinkage] [--rl-max 100000]

Data files are generated once into benchmarks/data/ (gitignored). Each system runs in its own
process per size. Targets (issue "Matching people across scripts"): wayhome pairwise F1 >= 0.95
and >= Splink F1 + 0.15 at every size; at 1M records wayhome deduplicates in <= 45 s wall and
<= 8 GB peak RSS, faster than Splink. Exit status 0 only when every run produced a result and
every target holds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import (  # noqa: E402
    RESULT_COLUMNS,
    ROOT,
    best_of_sweep,
    check,
    header,
    ratio_row,
    result_row,
    run_child,
    table,
)
from benchmarks.synth import data_path, ensure_dataset  # noqa: E402

SYSTEMS = ("wayhome", "splink", "recordlinkage")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument(
        "--rl-max",
        type=int,
        default=100_000,
        help="largest size recordlinkage is run on (pure-Python comparisons)",
    )
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args(argv)
    systems = [s for s in args.systems.split(",") if s]
    sizes = [int(x) for x in args.sizes.split(",") if x]
    header(
        "Multi-script synthetic records: pairwise precision / recall / F1",
        "splink",
        "recordlinkage",
        "duckdb",
    )
    rows, ratios, checks = [], [], []
    for n in sizes:
        fresh = not data_path(n, args.seed).exists()
        t0 = time.perf_counter()
        path = ensure_dataset(n, args.seed)
        what = f"generated in {time.perf_counter() - t0:.1f} s" if fresh else "cached"
        print(f"data: {path.relative_to(ROOT)} ({what})", file=sys.stderr, flush=True)
        name = f"synth {n:,}"
        res = {}
        for system in systems:
            if system == "recordlinkage" and n > args.rl_max:
                rows.append(
                    {
                        "system": system,
                        "dataset": name,
                        "records": n,
                        "status": f"skipped (size > --rl-max {args.rl_max})",
                    }
                )
                continue
            res[system] = run_child(
                "benchmarks.systems",
                ["--system", system, "--dataset", str(path)],
                tag=f"synth_{n}_s{args.seed}_{system}",
                timeout=args.timeout,
            )
            rows.append(result_row(system, name, res[system]))
            best = best_of_sweep(system, name, res[system])
            if best:
                rows.append(best)
            print(
                f"  done {system:14s} {name}: {res[system].get('status')}",
                file=sys.stderr,
                flush=True,
            )
        ratios.append(ratio_row(name, res.get("wayhome"), res.get("splink")))
        w, s = res.get("wayhome"), res.get("splink")
        w_ok = bool(w) and w.get("status") == "ok"
        s_ok = bool(s) and s.get("status") == "ok"
        checks.append(check(f"{name}: F1 wayhome >= 0.95", w["f1"] >= 0.95 if w_ok else None))
        checks.append(
            check(
                f"{name}: F1 wayhome >= F1 Splink + 0.15",
                w["f1"] >= s["f1"] + 0.15 if w_ok and s_ok else None,
            )
        )
        if n >= 1_000_000:
            checks.append(
                check(f"{name}: wayhome wall <= 45 s", w["wall_s"] <= 45 if w_ok else None)
            )
            checks.append(
                check(
                    f"{name}: wayhome peak RSS <= 8 GB", w["peak_rss_mb"] <= 8192 if w_ok else None
                )
            )
            checks.append(
                check(
                    f"{name}: wayhome faster than Splink",
                    w["wall_s"] < s["wall_s"] if w_ok and s_ok else None,
                )
            )
    print(table(rows + ratios, RESULT_COLUMNS))
    print(
        "\nwall s: linkage only (records in memory -> a cluster per record, including each "
        "system's own preparation and training); process s: the whole child process; peak "
        "RSS: the child's high-water mark."
    )
    print("Targets:")
    print("\n".join(checks))
    failed = any(
        r.get("status") not in ("ok", None)
        and not str(r.get("status")).startswith(("skipped", "same run"))
        for r in rows
    ) or any("PASS" not in c for c in checks)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
