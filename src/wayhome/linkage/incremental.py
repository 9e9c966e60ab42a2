"""Incremental linkage: place one new record in an existing clustered set.

The new record is prepared with the existing key vocabulary, blocked with the same rules
against the existing block keys, compared and scored with the trained model. As in the batch
engine (:mod:`wayhome.linkage.blocking`), a block of the new record's that would give more than
``max_block_pairs`` pairs is not used whole but split into sub-blocks (birth decade, father's
name, birth place) by the same SQL, so a record whose name is common still meets the records
that share something more with it. Rule pair budgets are not applied: one record adds at most
``max_block_pairs`` pairs per block. It joins the
cluster of its best match at or above the threshold that links records by itself (as in
``dedupe``: see :func:`~wayhome.linkage.model.links_sql` for pairs whose given names differ);
failing that, it joins the one cluster that
vouches for it by the batch engine's rules (:func:`~wayhome.linkage.clustering.attach`): by its
best pair there (at least ``ATTACH_MIN_BITS``, ``GIVEN_DIFFER_BITS`` more when the given names
differ, no conflicting pair with that cluster's records, every other cluster ``ATTACH_MARGIN``
bits weaker), then by the consensus of the cluster's records
(:func:`~wayhome.linkage.clustering.consensus_weight`); otherwise it starts a new cluster (its own
id, or ``<id>~2``… if that is already a cluster id). Nothing else is recomputed, so earlier
records keep their clusters (two existing clusters are never merged by a new record here; a full
``dedupe`` with ``previous_clusters`` does that while keeping ids stable). Not done here, unlike
``dedupe``: the clusters' profiles (each needs the whole cluster's keys re-read and re-blocked).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .api import JOINED, JOINED_AT_THRESHOLD, consensus_texts, regroup
from .blocking import (
    DEFAULT_MAX_BLOCK_PAIRS,
    block_keys_sql,
    block_sizes_sql,
    dropped_blocks_sql,
    refined_keys_sql,
    rules_for,
)
from .clustering import ATTACH_FLOOR, attach, consensus_weight
from .engines import Engine, make_engine
from .features import prepare
from .model import (
    LinkageModel,
    explanation_sql,
    given_ok_sql,
    links_sql,
    scores_sql,
    vectors_sql,
)
from .records import BadRecordsError, RecordError, Records, load_records


@dataclass(frozen=True)
class Placement:
    """Where a new record went: its cluster, whether that cluster is new, the best match (in
    the cluster it joined) and how it joined: ``"threshold"`` (a pair at the threshold),
    ``"best pair"`` or ``"consensus"`` (the batch engine's attach rules; the probability is that
    of the weight it joined by, the explanation the consensus's for a consensus) or None (a new
    cluster)."""

    id: str
    cluster_id: str
    new_cluster: bool
    match_probability: float | None
    matched_id: str | None
    explanation: str | None
    joined_by: str | None = None


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
        conflict_threshold: float = 0.1,
    ) -> None:
        self.records = records if isinstance(records, Records) else load_records(records)
        self.features = prepare(self.records, extras=tuple(model.extras))
        self.rules = rules_for(model.extras)
        self.model = model
        self.threshold = threshold
        self.max_block_pairs = int(max_block_pairs)
        self.ids: list[str] = [str(i) for i in self.features.ids]
        self.rid_of = {rid_id: i for i, rid_id in enumerate(self.ids)}
        mapping = dict(
            zip(clusters["id"].astype(str), clusters["cluster_id"].astype(str), strict=True)
        )
        self.cluster_of = [mapping.get(i, i) for i in self.ids]
        self.cluster_ids = set(self.cluster_of)
        below = min(max(conflict_threshold, 1e-12), 1 - 1e-12)
        self.conflict_weight = float(np.log2(below / (1 - below)))
        # each record's cluster as the batch engine labels it: the cluster's smallest member
        codes, names = pd.factorize(np.asarray(self.cluster_of, dtype=object))
        smallest = np.full(len(names), len(codes), dtype=np.int64)
        np.minimum.at(smallest, codes, np.arange(len(codes)))
        self.labels: list[int] = smallest[codes].tolist()
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
        e.append("features", table)
        e.append("block_keys", e.fetch("SELECT * FROM new_keys"))
        e.create("new_pairs", self._pairs_sql(rid))
        e.create("new_vectors", vectors_sql(d, "new_pairs", "features", self.model.comparisons))
        given_ok = given_ok_sql(self.model, "s") or "1"
        links = links_sql(self.model, "s", self.threshold)
        fields = "".join(f", s.bits_{c.field}, s.g_{c.field}" for c in self.model.comparisons)
        scored = e.fetch(
            f"SELECT s.l, s.match_probability, s.match_weight, {given_ok} AS given_ok, "
            f"{links} AS links{fields}, "
            f"{explanation_sql(self.model, d)} AS explanation "
            f"FROM ({scores_sql(self.model, d, 'new_vectors')}) s ORDER BY match_probability DESC, l"
        ).to_pandas()
        self.ids.append(new_id)
        self.rid_of[new_id] = rid
        linking = scored[scored["links"] == 1]  # as in dedupe: not a pair a sibling could give
        best = linking.iloc[0] if len(linking) else None
        if best is not None and best["match_probability"] >= self.threshold:
            joined = (
                best,
                JOINED_AT_THRESHOLD,
                float(best["match_probability"]),
                str(best["explanation"]),
            )
        else:
            joined = self._vouched(rid, scored)
        if joined is not None:
            pair, joined_by, probability, explanation = joined
            l_rid = int(pair["l"])
            cluster_id = self.cluster_of[l_rid]
            self.cluster_of.append(cluster_id)
            self.labels.append(self.labels[l_rid])
            return Placement(
                new_id, cluster_id, False, probability, self.ids[l_rid], explanation, joined_by
            )
        cluster_id, suffix = new_id, 1
        while cluster_id in self.cluster_ids:
            suffix += 1
            cluster_id = f"{new_id}~{suffix}"
        self.cluster_ids.add(cluster_id)
        self.cluster_of.append(cluster_id)
        self.labels.append(rid)
        top = scored.iloc[0] if len(scored) else None
        probability = float(top["match_probability"]) if top is not None else None
        matched = self.ids[int(top["l"])] if top is not None else None
        explanation = str(top["explanation"]) if top is not None else None
        return Placement(new_id, cluster_id, True, probability, matched, explanation)

    def _vouched(self, rid: int, scored: pd.DataFrame) -> tuple[pd.Series, str, float, str] | None:
        """The one cluster that vouches for the new record ``rid`` by the batch engine's rules
        (``clustering.attach``: by the best pair, then by the consensus of the cluster's
        records), as (best pair there, joined_by, probability, explanation); or None."""
        if len(scored) == 0:
            return None
        fields = [c.field for c in self.model.comparisons]
        labels = np.asarray([*self.labels, rid], dtype=np.int64)
        weight = scored["match_weight"].to_numpy()
        each = pd.DataFrame(  # one row per pair, grouped by cluster as dedupe groups its links
            {"a": rid, "b": scored["l"].to_numpy(dtype=np.int64)}
            | {k: weight for k in ("best", "worst", "total")}
            | {
                f"{side}_{f}": scored[f"bits_{f}"].to_numpy()
                for f in fields
                for side in ("hi", "lo")
            }
            | {f"{side}g_{f}": scored[f"g_{f}"].to_numpy() for f in fields for side in ("h", "l")}
        )
        links = regroup(each, labels, fields)
        top = scored.assign(b=labels[each["b"].to_numpy()]).drop_duplicates("b").set_index("b")
        links = links[links["best"].to_numpy() > ATTACH_FLOOR]  # scored: best pair first
        # the best pair's given names, for the best-pair rule only (as in dedupe)
        best = links.assign(given_ok=top["given_ok"].reindex(links["b"]).to_numpy())
        _, joined, partner, _ = attach(labels, best, conflict_weight=self.conflict_weight)
        if len(joined):
            row = top.loc[int(partner[0])]
            return row, JOINED["best"], float(row["match_probability"]), str(row["explanation"])
        links = links.assign(consensus=consensus_weight(links, fields, self.model.prior_bits))
        _, joined, partner, weight = attach(
            labels, links, conflict_weight=self.conflict_weight, by="consensus"
        )
        if len(joined) == 0:
            return None
        (text,) = consensus_texts(self.model, links, joined, partner)
        probability = float(1.0 / (1.0 + np.exp2(-weight[0])))
        return top.loc[int(partner[0])], JOINED["consensus"], probability, text

    def _pairs_sql(self, rid: int) -> str:
        """Candidate pairs (l: an existing record, r: the new one ``rid``), blocked as
        :func:`~wayhome.linkage.blocking.block` does: the new record's blocks (it counted) within
        ``max_block_pairs``, and the sub-blocks of those over it."""
        e, d = self.engine, self.engine.dialect
        e.create(
            "new_block_keys",
            "SELECT * FROM block_keys WHERE bkey IN (SELECT bkey FROM new_keys)",
        )
        e.create("new_sizes", block_sizes_sql("new_block_keys", link=False))
        e.create("new_dropped", dropped_blocks_sql("new_sizes", self.max_block_pairs))
        kept = (
            "SELECT k.rid, k.lone, k.bkey FROM new_block_keys k JOIN new_sizes s "
            f"ON s.bkey = k.bkey WHERE s.pairs <= {self.max_block_pairs}"
        )
        if e.fetch("SELECT count(*) AS n FROM new_dropped").column(0)[0].as_py():
            # only the records of the split blocks are keyed by the refinements
            e.create(
                "split_members",
                "SELECT * FROM features WHERE rid IN (SELECT k.rid FROM new_block_keys k "
                "JOIN new_dropped x ON x.bkey = k.bkey)",
            )
            refined = refined_keys_sql(
                d, "new_block_keys", "new_dropped", "split_members", self.rules
            )
            if refined is not None:
                e.create("new_refined_keys", refined)
                e.create("new_refined_sizes", block_sizes_sql("new_refined_keys", link=False))
                kept += (
                    " UNION ALL SELECT k.rid, k.lone, k.bkey FROM new_refined_keys k "
                    "JOIN new_refined_sizes s ON s.bkey = k.bkey "
                    f"WHERE s.pairs <= {self.max_block_pairs} AND s.bkey IN "
                    f"(SELECT bkey FROM new_refined_keys WHERE rid = {rid})"
                )
        e.create("new_kept_keys", kept)
        return (
            "SELECT k.rid AS l, n.rid AS r FROM new_kept_keys n JOIN new_kept_keys k "
            f"ON k.bkey = n.bkey AND k.rid <> n.rid AND (k.lone OR n.lone) WHERE n.rid = {rid} "
            "GROUP BY k.rid, n.rid"
        )

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
