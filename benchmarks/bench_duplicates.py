"""The duplicates review queue: filling it from the registry, and a reviewer's clicks.

    python -m benchmarks.bench_duplicates [--n 10000] [--seed 1] [--threshold 0.5]

A registry of N persons (the multi-script synthetic set of benchmarks/synth.py, one person per
record, true identities kept aside) is registered into a fresh SQLite installation with the bulk
loader (``services.persons_bulk.bulk_register``; records without a given or a family name are
left out and counted on stderr). Then, in the same process:

- **wayhome queue**: `services.duplicates.find_duplicates` end to end: read every visible person
  with all names from the database, run the engine, store the candidate pairs (one transaction);
  then the same call again (a re-run: idempotent, nothing new).
- **export + `wayhome dedupe`**: what a user does without the queue: export the persons to CSV
  and run `wayhome.linkage.dedupe` on the file at the same threshold (no pairs are stored, no
  decisions remembered).

One untimed engine run first warms the caches for both. Both are scored pairwise against the
true identities. Then the latency of a reviewer's clicks:
listing the first page of the queue, opening a pair (both persons, explanation, decisions; two
audit rows) and deciding "different" (a decision row, an audit row), p50/p95 over 30 each.
Targets: filling the queue costs at most 1.5x the export + dedupe it replaces; opening a pair and
deciding p95 <= 100 ms; listing the first page as the UI does p95 <= 500 ms (the tiles count
the pairs up to 10,000, the page walks the queue index; about 12,000 pending pairs at 10,000
persons, an extreme queue). The API's first page, which counts every pair, is timed untargeted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import check, header, table  # noqa: E402
from benchmarks.synth import ensure_dataset  # noqa: E402


def _truth_pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by_true: dict[str, list[str]] = {}
    for record, true_id in groups.items():
        by_true.setdefault(true_id, []).append(record)
    pairs = set()
    for members in by_true.values():
        members.sort()
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return pairs


def _score(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(found), "precision": precision, "recall": recall, "f1": f1}


def _load(wayhome, actor, frame) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Register the records as persons with the bulk loader (one transaction); return
    {person id: true id}. Records with neither a given nor a family name are left out (wayhome
    refuses them); their count goes to stderr."""
    from wayhome.services.inputs import PersonInput
    from wayhome.services.persons_bulk import bulk_register

    true_ids: list[str] = []
    left_out = 0

    def inputs():  # type: ignore[no-untyped-def]
        nonlocal left_out
        for row in frame.itertuples(index=False):
            name = {
                "family_name": row.family_name or None,
                "given_name": row.given_name or None,
                "patronymic": row.patronymic or None,
            }
            if not (name["family_name"] or name["given_name"]):
                left_out += 1
                continue
            true_ids.append(row.true_id)
            yield PersonInput.model_validate(
                {
                    "names": [name],
                    "sex": row.sex if row.sex in ("M", "F") else "U",
                    "birth_date": row.birth_date or None,
                    "birth_place_text": row.birth_place or None,
                    "source": row.source or None,
                }
            )

    ids = bulk_register(wayhome, actor, inputs())
    print(f"registry: {left_out:,} records without a name left out", file=sys.stderr)
    return dict(zip(ids, true_ids, strict=True))


def _clicks(wayhome, actor, rounds: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    from wayhome.services import duplicates
    from wayhome.services.duplicates_queue import UI_COUNT_LIMIT

    times: dict[str, list[float]] = {
        "list page 1": [],
        "list page 1, API": [],
        "open a pair": [],
        "decide different": [],
    }
    for _ in range(rounds):
        t0 = time.perf_counter()  # as the UI lists: tiles counted up to a limit, one page
        duplicates.queue_counts_up_to(wayhome, actor, UI_COUNT_LIMIT)
        page = duplicates.list_candidates(wayhome, actor, per_page=25, count_limit=0)
        times["list page 1"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()  # the API counts every pair
        duplicates.list_candidates(wayhome, actor, per_page=25)
        times["list page 1, API"].append(time.perf_counter() - t0)
        if not page.items:
            break
        candidate = page.items[0]
        t0 = time.perf_counter()
        duplicates.get_candidate(wayhome, actor, candidate.id)
        times["open a pair"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        duplicates.decide_different(wayhome, actor, candidate.id, version=candidate.version)
        times["decide different"].append(time.perf_counter() - t0)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--clicks", type=int, default=30)
    args = ap.parse_args(argv)

    import pandas as pd

    header("Duplicates review queue vs export + wayhome dedupe", "duckdb", "sqlalchemy")
    frame = pd.read_parquet(ensure_dataset(args.n, args.seed))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WAYHOME_DATA_DIR"] = tmp
        os.environ.pop("WAYHOME_DATABASE_URL", None)
        os.environ.setdefault("WAYHOME_SECRET_KEY", "benchmark-secret-key-not-for-use")
        from wayhome.core.vocab import Role
        from wayhome.linkage import dedupe
        from wayhome.services import accounts, duplicates
        from wayhome.services.context import open_wayhome, system_actor
        from wayhome.settings import get_settings

        get_settings.cache_clear()
        wayhome = open_wayhome(get_settings(), upgrade=True)
        try:
            org = accounts.ensure_organisation(wayhome, "Benchmark", "BENCH")
            user = accounts.create_user(
                wayhome,
                system_actor(),
                username="registrar",
                full_name="Benchmark registrar",
                password="benchmark password",
                role=Role.REGISTRAR.value,
                organisation_id=org.id,
            )
            actor = accounts.actor_for(user)
            t0 = time.perf_counter()
            truth_of = _load(wayhome, actor, frame)
            load_s = time.perf_counter() - t0
            truth = _truth_pairs(truth_of)

            # untimed warm-up, so that both timed runs find warm caches (name keys, DuckDB)
            with wayhome.read() as session:
                dedupe(duplicates.person_records(session, actor), threshold=args.threshold)
            t0 = time.perf_counter()
            run = duplicates.find_duplicates(wayhome, actor, threshold=args.threshold)
            queue_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            rerun = duplicates.find_duplicates(wayhome, actor, threshold=args.threshold)
            rerun_s = time.perf_counter() - t0
            with wayhome.read() as session:
                from sqlalchemy import select

                from wayhome.store.tables_review import DuplicateCandidate

                queued = {
                    (a, b)
                    for a, b in session.execute(
                        select(DuplicateCandidate.person_a_id, DuplicateCandidate.person_b_id)
                    )
                }

            t0 = time.perf_counter()
            csv_path = Path(tmp) / "persons.csv"
            with wayhome.read() as session:
                exported = duplicates.person_records(session, actor)
            exported.assign(names=exported["names"].map("|".join)).to_csv(csv_path, index=False)
            result = dedupe(csv_path, threshold=args.threshold)
            export_s = time.perf_counter() - t0
            found = {
                tuple(sorted((str(a), str(b))))
                for a, b in zip(result.pairs["id_a"], result.pairs["id_b"], strict=True)
            }

            clicks = _clicks(wayhome, actor, args.clicks)
        finally:
            wayhome.close()

    rows = [
        {
            "system": "wayhome queue (find_duplicates)",
            "wall_s": queue_s,
            **_score(queued, truth),
            "note": f"{run.pairs_new} pairs queued",
        },
        {
            "system": "wayhome queue, re-run",
            "wall_s": rerun_s,
            "pairs": rerun.pairs_found,
            "note": f"{rerun.pairs_new} new, {rerun.pairs_updated} refreshed",
        },
        {
            "system": "export CSV + wayhome dedupe",
            "wall_s": export_s,
            **_score(found, truth),
            "note": "nothing stored",
        },
        {
            "system": "ratio queue / export+dedupe",
            "wall_s": queue_s / export_s,
            "note": "time",
        },
    ]
    print(
        f"registry: {len(truth_of)} persons written in {load_s:.1f} s; "
        f"{len(truth)} true duplicate pairs; threshold {args.threshold}\n"
    )
    cols = (
        ("system", "system", 0),
        ("wall_s", "wall s (ratio)", 2),
        ("pairs", "pairs", 0),
        ("precision", "precision", 4),
        ("recall", "recall", 4),
        ("f1", "F1", 4),
        ("note", "", 0),
    )
    print(table(rows, cols))
    print()
    click_rows = []
    for name, values in clicks.items():
        ms = sorted(v * 1000 for v in values)
        p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))] if ms else None
        click_rows.append(
            {"click": name, "n": len(ms), "p50": statistics.median(ms) if ms else None, "p95": p95}
        )
    print(
        table(
            click_rows,
            (("click", "click", 0), ("n", "n", 0), ("p50", "p50 ms", 1), ("p95", "p95 ms", 1)),
        )
    )
    print()
    ok_fill = queue_s <= 1.5 * export_s
    limits = {"list page 1": 500.0, "open a pair": 100.0, "decide different": 100.0}
    ok_clicks = all(
        r["p95"] is not None and r["p95"] <= limits[r["click"]]
        for r in click_rows
        if r["click"] in limits  # the API's exact count is timed, not targeted
    )
    print(check("filling the queue <= 1.5x export + dedupe", ok_fill))
    print(check("list p95 <= 500 ms, open and decide p95 <= 100 ms", ok_clicks))
    return 0 if ok_fill and ok_clicks else 1


if __name__ == "__main__":
    raise SystemExit(main())
