"""Search-before-register: score one new record against a large registry, per system.

Run by ``bench_search`` in a child process per system::

    python -m benchmarks.search_systems --system splink --registry R.parquet \
        --queries Q.parquet --out result.json [--pg-url postgresql+psycopg://...]

``setup_s`` (training, indexing) is timed apart from the per-query latencies. A query *finds*
its person when a registry record of the same ``true_id`` is returned at or above the match
threshold; ``top1_correct`` counts queries whose best candidate is of the same person.

wayhome: the registry database path (see ``wayhome_searcher``): persons bulk-registered into
a registry with the search index, each query through ``similar_persons``; ``wayhome`` on a
fresh SQLite file, ``wayhome_pg`` on the PostgreSQL database of ``--pg-url`` (its ``public``
schema is dropped and re-created first: give it a database of its own). Splink: the
multi-script benchmark's model (``systems.splink_synth_settings``,
trained on the registry as the tutorial does), then per query a one-row frame through
``linker.inference.predict_between(query, registry)`` - Splink's incremental API, which
generates candidates with the model's blocking rules (``score_pair``, the old
``compare_two_records``, scores one given pair and cannot search).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import datasets
from benchmarks.systems import Unavailable, splink_prepare

MATCH_THRESHOLD = 0.9


#: Where the wayhome registry database is built (a fresh SQLite file per run).
WAYHOME_DB_DIR_ENV = "WAYHOME_BENCH_DB_DIR"


def _valid_date(text: Any) -> str | None:
    """A birth date the registry accepts; the engine reads a non-date (a swapped day and
    month such as 1962-30-12) as missing, and so does the registry here."""
    from wayhome.core.dates import parse_partial_date
    from wayhome.core.errors import InvalidValue

    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_partial_date(text).iso()
    except InvalidValue:
        return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def reset_postgres(url: str) -> None:
    """Empty the benchmark's PostgreSQL database (its ``public`` schema) and enable PostGIS."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    finally:
        engine.dispose()


def wayhome_searcher(registry, database_url: str | None = None):
    """wayhome's registry path: the registry is bulk-registered into a registry database
    (``services.persons_bulk.bulk_register``: persons, names, history, audit and the search
    index), then each query is ``services.similar.similar_persons`` - the service behind
    ``GET /api/v1/persons/similar`` and the new-person form - with the shipped model. The
    database is a fresh SQLite file, or the emptied PostgreSQL database ``database_url``."""
    import os
    import tempfile

    from wayhome.core.vocab import Sex
    from wayhome.services import accounts
    from wayhome.services.context import open_wayhome, system_actor
    from wayhome.services.inputs import PersonInput, PersonNameInput
    from wayhome.services.persons_bulk import bulk_register
    from wayhome.services.similar import SimilarQuery, similar_persons
    from wayhome.settings import get_settings

    base = os.environ.get(WAYHOME_DB_DIR_ENV) or None
    data_dir = tempfile.mkdtemp(prefix="wayhome-bench-", dir=base)
    os.environ["WAYHOME_DATA_DIR"] = data_dir
    if database_url:
        reset_postgres(database_url)
        os.environ["WAYHOME_DATABASE_URL"] = database_url
    else:
        os.environ.pop("WAYHOME_DATABASE_URL", None)
    os.environ.setdefault("WAYHOME_SECRET_KEY", "benchmark-secret-key-not-for-production")
    get_settings.cache_clear()
    wayhome = open_wayhome(get_settings(), upgrade=True)
    org = accounts.ensure_organisation(wayhome, "Benchmark registry", "BENCH").id
    actor = system_actor(org)

    # wayhome refuses a person without a given or a family name: such records are left out
    named = registry[
        registry["given_name"].map(_text).notna() | registry["family_name"].map(_text).notna()
    ]
    print(f"  {len(registry) - len(named):,} records without a name left out", file=sys.stderr)

    def inputs():
        for row in named.itertuples(index=False):
            yield PersonInput(
                names=[
                    PersonNameInput(
                        given_name=_text(row.given_name),
                        family_name=_text(row.family_name),
                        patronymic=_text(row.patronymic),
                    )
                ],
                sex=Sex(row.sex) if row.sex in ("M", "F") else Sex.UNKNOWN,
                birth_date=_valid_date(row.birth_date),
                birth_place_text=_text(row.birth_place),
                source=_text(row.source),
            )

    started = time.perf_counter()
    ids = bulk_register(
        wayhome,
        actor,
        inputs(),
        batch_size=20_000,
        progress=lambda n: print(
            f"  loaded {n:,} persons in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        ),
    )
    load_s = time.perf_counter() - started
    print(
        f"  bulk load: {len(ids):,} persons in {load_s:.0f} s ({len(ids) / load_s:.0f}/s)",
        file=sys.stderr,
        flush=True,
    )
    if database_url:
        # as after any bulk load: planner statistics and the visibility map (index-only scans
        # of the posting lists); this server may run without autovacuum
        from sqlalchemy import text

        mark = time.perf_counter()
        with wayhome.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        print(f"  VACUUM ANALYZE: {time.perf_counter() - mark:.0f} s", file=sys.stderr, flush=True)
    bench_id = dict(zip(ids, named["id"], strict=True))

    def search(record: dict[str, Any]) -> list[tuple[Any, float]]:
        query = SimilarQuery(
            given_name=record.get("given_name"),
            family_name=record.get("family_name"),
            patronymic=record.get("patronymic"),
            sex=record.get("sex") or None,
            birth_date=_valid_date(record.get("birth_date")),
            birth_place=record.get("birth_place"),
        )
        found = similar_persons(wayhome, actor, query, limit=10)
        return [(bench_id[s.person.id], s.probability) for s in found]

    search.load_rate = len(ids) / load_s  # type: ignore[attr-defined]
    return search


def splink_searcher(registry):
    from splink import DuckDBAPI, Linker

    from benchmarks.systems import splink_synth_settings, splink_train_synth

    db_api = DuckDBAPI()
    reg = db_api.register(splink_prepare(registry))
    linker = Linker(reg, splink_synth_settings(), log_level=logging.WARNING)
    splink_train_synth(linker)
    linker.table_management.compute_tf_table("birth_place")
    import pandas as pd

    def search(record: dict[str, Any]) -> list[tuple[Any, float]]:
        q = splink_prepare(pd.DataFrame([record]))
        q["id"] = "__query__"
        q_sdf = db_api.register(q)
        pred = linker.inference.predict_between(
            q_sdf, reg, threshold_match_probability=MATCH_THRESHOLD, warning_mode="never"
        )
        out = pred.as_pandas_dataframe()
        pred.drop_table_from_database_and_remove_from_cache()
        q_sdf.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
        if out.empty:
            return []
        other = np.where(out["id_l"] == "__query__", out["id_r"], out["id_l"])
        return list(zip(other, out["match_probability"], strict=True))

    return search


def run(
    system: str,
    registry_path: str,
    queries_path: str,
    warmup: int = 5,
    pg_url: str | None = None,
) -> dict[str, Any]:
    registry = datasets.load_synth(registry_path)
    queries = datasets.load_synth(queries_path)
    t0 = time.perf_counter()
    if system == "wayhome_pg" and not pg_url:
        raise Unavailable("wayhome_pg needs --pg-url (a PostgreSQL database of its own)")
    if system == "splink":
        searcher = splink_searcher(registry)
    else:
        searcher = wayhome_searcher(registry, pg_url if system == "wayhome_pg" else None)
    setup_s = time.perf_counter() - t0
    true_of = dict(zip(registry["id"], registry["true_id"], strict=True))
    records = queries[list(datasets.CONTRACT)].to_dict("records")
    for rec in records[:warmup]:
        searcher({**rec, "id": f"{rec['id']}-warmup"})
    latencies, found, top1 = [], 0, 0
    for rec, truth in zip(records, queries["true_id"], strict=True):
        t = time.perf_counter()
        hits = searcher(rec)
        latencies.append(time.perf_counter() - t)
        if any(true_of.get(i) == truth for i, p in hits if p >= MATCH_THRESHOLD):
            found += 1
        if hits and true_of.get(max(hits, key=lambda h: h[1])[0]) == truth:
            top1 += 1
    lat = np.asarray(latencies) * 1000
    return {
        "status": "ok",
        "registry": len(registry),
        "queries": len(records),
        "setup_s": setup_s,
        "p50_ms": float(np.percentile(lat, 50)),
        "p95_ms": float(np.percentile(lat, 95)),
        "max_ms": float(lat.max()),
        "found": found / len(records),
        "top1_correct": top1 / len(records),
        "load_per_s": getattr(searcher, "load_rate", None),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time one system's search-before-register.")
    ap.add_argument("--system", required=True, choices=("wayhome", "wayhome_pg", "splink"))
    ap.add_argument("--registry", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--pg-url", help="PostgreSQL database for wayhome_pg (emptied first)")
    args = ap.parse_args(argv)
    try:
        result = run(args.system, args.registry, args.queries, pg_url=args.pg_url)
    except Unavailable as exc:
        result = {"status": "unavailable", "message": str(exc)}
    except Exception as exc:
        traceback.print_exc()
        result = {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
    args.out.write_text(json.dumps(result))
    return 0 if result["status"] == "ok" else 3


if __name__ == "__main__":
    sys.exit(main())
