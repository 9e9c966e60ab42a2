"""Bulk registration speed: wayhome's bulk loader against what a user would do instead.

    python -m benchmarks.bench_bulk_load [--n 100000] [--seed 1] [--service-n 2000]
        [--systems wayhome,service,pandas] [--database-url URL --wipe-database]

The records are the multi-script synthetic data set of that size (benchmarks/synth.py; every
person invented). Each system runs in its own process on a fresh database:

* ``wayhome``: ``services.persons_bulk.bulk_register`` - persons, names as recorded, version 1
  in the history, an audit event each and the search index (features, postings, key counts),
  in one all-or-nothing transaction. ``build s`` is making the validated ``PersonInput``
  objects from the rows (the caller's work, streamed to the loader), ``load s`` the rest.
* ``service``: the first ``--service-n`` records registered one by one through
  ``services.persons.register_person`` (what the registry form and API do; the same rows).
* ``pandas``: ``DataFrame.to_sql`` of the same columns into a plain table - no validation,
  no names table, no history, no audit, no search index: the floor of "just insert it".

``CPU s`` is this process's CPU time and its token workers'; ``server CPU s`` that of the
PostgreSQL backends serving the load. On a shared machine the wall times (``load s``,
``persons/s``) depend on what else runs; the CPU times much less.

SQLite by default (a file in a temporary directory, removed afterwards). With
``--database-url postgresql+psycopg://...`` the runs go to that PostgreSQL database, whose
``public`` schema is DROPPED and recreated before each run - hence ``--wipe-database``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import header, run_child, table  # noqa: E402
from benchmarks.synth import ensure_dataset  # noqa: E402

SYSTEMS = ("wayhome", "service", "pandas")
COLUMNS = (
    ("system", "system", 0),
    ("backend", "backend", 0),
    ("persons", "persons", 0),
    ("build_s", "build s", 1),
    ("load_s", "load s", 1),
    ("per_s", "persons/s", 0),
    ("per_s_all", "with build", 0),
    ("cpu_s", "CPU s", 1),
    ("server_cpu_s", "server CPU s", 1),
    ("proc_s", "process s", 1),
    ("peak_rss_mb", "peak RSS MB", 0),
    ("status", "status", 0),
)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (token workers)."""
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _server_cpu(database_url: str | None) -> float:
    """CPU seconds of the PostgreSQL backends serving this database (live ones; the load's
    connection stays open until the end), 0 on SQLite: the server's part of the work."""
    if not database_url:
        return 0.0
    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if command.startswith("postgres:") and f" {name} " in command:
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _fresh_wayhome(database_url: str | None, tmp: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from wayhome.services import accounts
    from wayhome.services.context import open_wayhome, system_actor
    from wayhome.settings import get_settings
    from wayhome.store.db import make_engine

    os.environ["WAYHOME_DATA_DIR"] = tmp
    os.environ.setdefault("WAYHOME_SECRET_KEY", "benchmark-secret-key-not-for-production")
    if database_url:
        engine = make_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        engine.dispose()
        os.environ["WAYHOME_DATABASE_URL"] = database_url
    else:
        os.environ.pop("WAYHOME_DATABASE_URL", None)
    get_settings.cache_clear()
    wayhome = open_wayhome(get_settings(), upgrade=True)
    org = accounts.ensure_organisation(wayhome, "Benchmark registry", "BENCH").id
    return wayhome, system_actor(org)


class _Inputs:
    """The records as ``PersonInput`` objects, made one at a time as the loader asks for
    them (as an import streams a file), adding up the time spent making them."""

    def __init__(self, frame) -> None:  # type: ignore[no-untyped-def]
        self.frame = frame
        self.seconds = 0.0

    def __iter__(self):  # type: ignore[no-untyped-def]
        from wayhome.core.vocab import Sex
        from wayhome.services.inputs import PersonInput, PersonNameInput

        for row in self.frame.itertuples(index=False):
            t0 = time.perf_counter()
            given, family = _text(row.given_name), _text(row.family_name)
            if not (given or family):  # wayhome refuses a person without a name: left out
                self.seconds += time.perf_counter() - t0
                continue
            person = PersonInput(
                names=[
                    PersonNameInput(
                        given_name=given, family_name=family, patronymic=_text(row.patronymic)
                    )
                ],
                sex=Sex(row.sex) if row.sex in ("M", "F") else Sex.UNKNOWN,
                birth_date=_text(row.birth_date),
                birth_place_text=_text(row.birth_place),
                source=_text(row.source),
            )
            self.seconds += time.perf_counter() - t0
            yield person


def child(system: str, n: int, seed: int, service_n: int, database_url: str | None) -> dict:
    import pandas as pd

    frame = pd.read_parquet(ensure_dataset(n, seed))
    frame = frame.astype(object).where(frame.notna(), None)
    backend = "postgresql" if database_url else "sqlite"
    with tempfile.TemporaryDirectory(prefix="wayhome-bulk-") as tmp:
        wayhome, actor = _fresh_wayhome(database_url, tmp)
        try:
            if system == "pandas":
                columns = ["given_name", "family_name", "patronymic", "sex", "birth_date"]
                plain = frame[[*columns, "birth_place", "source"]]
                cpu, server, t0 = _cpu(), _server_cpu(database_url), time.perf_counter()
                plain.to_sql("persons_plain", wayhome.engine, index=False, chunksize=20_000)
                load_s, build_s, count = time.perf_counter() - t0, 0.0, len(plain)
            else:
                if system == "service":
                    frame = frame.head(service_n)
                people = _Inputs(frame)
                cpu, server, t0 = _cpu(), _server_cpu(database_url), time.perf_counter()
                if system == "wayhome":
                    from wayhome.services.persons_bulk import bulk_register

                    count = len(
                        bulk_register(
                            wayhome,
                            actor,
                            people,
                            progress=lambda done: print(
                                f"  {done:,} persons in {time.perf_counter() - t0:.0f} s",
                                flush=True,
                            ),
                        )
                    )
                else:
                    from wayhome.services.persons import register_person

                    count = sum(1 for p in people if register_person(wayhome, actor, p))
                build_s = people.seconds
                load_s = time.perf_counter() - t0 - build_s
            cpu_s = _cpu() - cpu
            server_s = _server_cpu(database_url) - server
            if system != "pandas":  # the rows are there, and the index counts all of them
                from wayhome.services import search_index

                with wayhome.read() as session:
                    assert search_index.index_size(session) == count
                    assert search_index.count_persons(session) == count
        finally:
            wayhome.close()
    return {
        "system": system,
        "backend": backend,
        "persons": count,
        "build_s": build_s,
        "load_s": load_s,
        "per_s": count / load_s,
        "per_s_all": count / (load_s + build_s),
        "cpu_s": cpu_s,
        "server_cpu_s": server_s,
        "status": "ok",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--service-n", type=int, default=2000, help="records for the one-by-one run")
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--database-url", help="a PostgreSQL database to use (it is wiped)")
    ap.add_argument("--wipe-database", action="store_true", help="allow wiping --database-url")
    ap.add_argument("--child", choices=SYSTEMS, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.database_url and not args.wipe_database:
        ap.error("--database-url drops that database's public schema: add --wipe-database")
    if args.child:
        result = child(args.child, args.n, args.seed, args.service_n, args.database_url)
        args.out.write_text(json.dumps(result))
        return 0

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        ap.error(f"unknown systems: {', '.join(unknown)} (known: {', '.join(SYSTEMS)})")
    header("Bulk registration of persons", "sqlalchemy", "psycopg", "pandas")
    ensure_dataset(args.n, args.seed)
    backend = "postgresql" if args.database_url else "sqlite"
    rows = []
    for system in systems:
        extra = ["--database-url", args.database_url, "--wipe-database"] * bool(args.database_url)
        res = run_child(
            "benchmarks.bench_bulk_load",
            [
                "--child",
                system,
                "--n",
                str(args.n),
                "--seed",
                str(args.seed),
                "--service-n",
                str(args.service_n),
                *extra,
            ],
            tag=f"bulk_load_{system}_{backend}_{args.n}",
        )
        res.setdefault("system", system)
        rows.append(res)
        print(f"  {system}: {res.get('status')} {res.get('message', '')}", flush=True)
    print(table(rows, COLUMNS))
    speed = {r["system"]: r["per_s"] for r in rows if r.get("status") == "ok"}
    if "wayhome" in speed:
        for other in ("service", "pandas"):
            if other in speed:
                print(f"wayhome bulk / {other}: {speed['wayhome'] / speed[other]:.2f}x persons/s")
    return 0 if all(r.get("status") == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
