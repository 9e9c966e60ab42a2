"""Incremental linkage: place one new record in an existing clustered set.

The new record is prepared with the existing key vocabulary, blocked with the same rules
against the existing block keys, compared and scored with the trained model. It joins the
cluster of its best match at or above the threshold, or starts a new cluster (its own id, or
``<id>~2``… if that is already a cluster id). Nothing else is recomputed, so earlier records
keep their clusters (two existing clusters are never merged by a new record here; a full
``dedupe`` with ``previous_clusters`` does that while keeping ids stable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .blocking import DEFAULT_MAX_BLOCK_PAIRS, block_keys_sql, rules_for
from .engines import Engine, make_engine
from .features import prepare
from .model import LinkageModel, explanation_sql, scores_sql, vectors_sql
from .records import BadRecordsError, RecordError, Records, load_records


@dataclass(frozen=True)
class Placement:
    """Where a new record went: its cluster, whether that cluster is new, the best match."""

    id: str
    cluster_id: str
    new_cluster: bool
    match_probability: float | None
    matched_id: str | None
    explanation: str | None


class IncrementalLinker:
    """An existing record set with its clusters and trained model, open for new records."""

    def __init__(
        self,
        records: Any,
        clusters: pd.DataFrame,
        model: LinkageModel,
        *,
        threshold: float = 0.9,
        engine: str | Engine = "duckdb",
        max_block_pairs: int = DEFAULT_MAX_BLOCK_PAIRS,
    ) -> None:
        self.records = records if isinstance(records, Records) else load_records(records)
        self.features = prepare(self.records, extras=tuple(model.extras))
        self.rules = rules_for(model.extras)
        self.model = model
        self.threshold = threshold
        self.max_block_size = int((1 + (1 + 8 * max_block_pairs) ** 0.5) / 2)
        self.ids: list[str] = [str(i) for i in self.features.ids]
        self.rid_of = {rid_id: i for i, rid_id in enumerate(self.ids)}
        mapping = dict(
            zip(clusters["id"].astype(str), clusters["cluster_id"].astype(str), strict=True)
        )
        self.cluster_of = [mapping.get(i, i) for i in self.ids]
        self.cluster_ids = set(self.cluster_of)
        self.engine = make_engine(engine)
        self.engine.load("features", self.features.table)
        self.engine.create(
            "block_keys", block_keys_sql(self.engine.dialect, "features", self.rules)
        )

    def close(self) -> None:
        self.engine.close()

    def add(self, record: Mapping[str, Any]) -> Placement:
        """Score ``record`` against the set, assign it a cluster and add it to the set."""
        frame = pd.DataFrame([{k: v for k, v in record.items()}])
        checked = load_records(frame)
        new_id = str(checked.frame["id"].iat[0])
        if new_id in self.rid_of:
            raise BadRecordsError([RecordError(None, f"duplicate id {new_id!r}", new_id)])
        rid = len(self.ids)
        features = prepare(
            checked,
            vocabulary=self.features.vocabulary,
            first_rid=rid,
            extras=tuple(self.model.extras),
        )
        table = features.table.select(self.features.table.column_names).cast(
            self.features.table.schema
        )
        e, d = self.engine, self.engine.dialect
        e.load("new_features", table)
        e.create("new_keys", block_keys_sql(d, "new_features", self.rules))
        e.create(
            "new_pairs",
            "SELECT k.rid AS l, n.rid AS r FROM new_keys n JOIN block_keys k ON k.bkey = n.bkey "
            "AND (k.lone OR n.lone) "
            "WHERE k.bkey IN (SELECT bkey FROM block_keys WHERE bkey IN "
            "(SELECT bkey FROM new_keys) GROUP BY bkey "
            f"HAVING count(*) < {self.max_block_size}) GROUP BY k.rid, n.rid",
        )
        e.append("features", table)
        e.append("block_keys", e.fetch("SELECT * FROM new_keys"))
        e.create("new_vectors", vectors_sql(d, "new_pairs", "features", self.model.comparisons))
        scored = e.fetch(
            f"SELECT l, match_probability, {explanation_sql(self.model, d)} AS explanation "
            f"FROM ({scores_sql(self.model, d, 'new_vectors')}) s ORDER BY match_probability DESC, l"
        ).to_pandas()
        self.ids.append(new_id)
        self.rid_of[new_id] = rid
        best = scored.iloc[0] if len(scored) else None
        if best is not None and best["match_probability"] >= self.threshold:
            l_rid = int(best["l"])
            cluster_id = self.cluster_of[l_rid]
            self.cluster_of.append(cluster_id)
            return Placement(
                new_id,
                cluster_id,
                False,
                float(best["match_probability"]),
                self.ids[l_rid],
                str(best["explanation"]),
            )
        cluster_id, suffix = new_id, 1
        while cluster_id in self.cluster_ids:
            suffix += 1
            cluster_id = f"{new_id}~{suffix}"
        self.cluster_ids.add(cluster_id)
        self.cluster_of.append(cluster_id)
        probability = float(best["match_probability"]) if best is not None else None
        matched = self.ids[int(best["l"])] if best is not None else None
        explanation = str(best["explanation"]) if best is not None else None
        return Placement(new_id, cluster_id, True, probability, matched, explanation)

    @property
    def clusters(self) -> pd.DataFrame:
        """id, cluster_id of every record, the added ones included."""
        return pd.DataFrame(
            {"id": self.ids, "cluster_id": np.asarray(self.cluster_of, dtype=object)}
        )

    def __enter__(self) -> IncrementalLinker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
