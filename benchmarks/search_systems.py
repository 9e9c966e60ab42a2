"""Search-before-register: score one new record against a large registry, per system.

Run by ``bench_search`` in a child process per system::

    python -m benchmarks.search_systems --system splink --registry R.parquet \
        --queries Q.parquet --out result.json

``setup_s`` (training, indexing) is timed apart from the per-query latencies. A query *finds*
its person when a registry record of the same ``true_id`` is returned at or above the match
threshold; ``top1_correct`` counts queries whose best candidate is of the same person.

wayhome: ``wayhome.linkage.incremental.IncrementalLinker`` (see ``wayhome_searcher``); the run
reports ``unavailable`` while the engine lacks it. Splink: the multi-script benchmark's model (``systems.splink_synth_settings``,
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
from benchmarks.systems import Unavailable, _wayhome_linkage, splink_prepare

MATCH_THRESHOLD = 0.9


WAYHOME_TRAIN_SAMPLE = 100_000


def wayhome_searcher(registry):
    """wayhome's incremental API: ``IncrementalLinker(records, clusters, model).add(record)``
    scores the new record against the registry's block keys and places it (it is added to
    the set, as a registration would). The model is trained by ``dedupe`` on a random sample
    of ``WAYHOME_TRAIN_SAMPLE`` registry records; the registry's clusters are taken as
    singletons (only the best match is scored here, not the cluster it belongs to)."""
    _wayhome_linkage()
    try:
        from wayhome.linkage import dedupe
        from wayhome.linkage.incremental import IncrementalLinker
    except ImportError as exc:
        raise Unavailable(f"wayhome.linkage has no incremental API yet ({exc})") from exc
    import pandas as pd

    records = registry[list(datasets.CONTRACT)]
    sample = records.sample(n=min(WAYHOME_TRAIN_SAMPLE, len(records)), random_state=1)
    model = dedupe(sample, engine="duckdb", threshold=MATCH_THRESHOLD).model
    clusters = pd.DataFrame({"id": records["id"], "cluster_id": records["id"]})
    linker = IncrementalLinker(records, clusters, model, threshold=MATCH_THRESHOLD)

    def search(record: dict[str, Any]) -> list[tuple[Any, float]]:
        placed = linker.add(record)
        if placed.matched_id is None:
            return []
        return [(placed.matched_id, placed.match_probability)]

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


def run(system: str, registry_path: str, queries_path: str, warmup: int = 5) -> dict[str, Any]:
    registry = datasets.load_synth(registry_path)
    queries = datasets.load_synth(queries_path)
    t0 = time.perf_counter()
    searcher = {"wayhome": wayhome_searcher, "splink": splink_searcher}[system](registry)
    setup_s = time.perf_counter() - t0
    true_of = dict(zip(registry["id"], registry["true_id"], strict=True))
    records = queries[list(datasets.CONTRACT)].to_dict("records")
    for rec in records[:warmup]:  # under another id: wayhome's add() keeps what it places
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
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time one system's search-before-register.")
    ap.add_argument("--system", required=True, choices=("wayhome", "splink"))
    ap.add_argument("--registry", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args(argv)
    try:
        result = run(args.system, args.registry, args.queries)
    except Unavailable as exc:
        result = {"status": "unavailable", "message": str(exc)}
    except Exception as exc:
        traceback.print_exc()
        result = {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
    args.out.write_text(json.dumps(result))
    return 0 if result["status"] == "ok" else 3


if __name__ == "__main__":
    sys.exit(main())
