"""The public entry points ``dedupe`` and ``link`` and the pipeline behind them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .blocking import DEFAULT_MAX_BLOCK_PAIRS, BlockingReport, block, rules_for
from .clustering import (
    ATTACH_FLOOR,
    PROFILE_MIN_BITS,
    attach,
    cluster,
    cluster_ids,
    components,
    consensus_weight,
)
from .comparisons import Comparison, comparisons_for
from .comparisons import explain as level_text
from .engines import Engine, make_engine
from .features import Features, prepare, profile_features
from .model import (
    LinkageModel,
    explanation_sql,
    fit,
    given_ok_sql,
    links_sql,
    pattern_counts_sql,
    scores_sql,
    vectors_sql,
)
from .records import Records, load_records

Progress = Callable[[str], None]
RANDOM_PAIRS = 300_000
PAIR_COLUMNS = ["id_a", "id_b", "match_probability", "match_weight", "explanation"]
#: How a record joined its cluster without a pair at the threshold (``DedupeResult.joins``).
JOINED = {"best": "best pair", "consensus": "consensus", "profile": "profile"}
#: ``joined_by`` of a record joined by a pair at the threshold (CLI ``--explain``, incremental).
JOINED_AT_THRESHOLD = "threshold"
JOIN_COLUMNS = [
    "id",
    "cluster_id",
    "joined_by",
    "match_probability",
    "match_weight",
    "partner_id",
    "explanation",
]


@dataclass
class DedupeResult:
    """``clusters``: id, cluster_id, match_probability (best link inside its cluster; NaN when
    alone). ``pairs``: every pair at or above the threshold with its explanation. ``joins``: the
    records that joined their cluster without such a pair (:data:`JOIN_COLUMNS`: by their best
    pair, the consensus of the cluster's records or the cluster's profile), with their best
    pair in the cluster and the explanation of what they joined by."""

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    model: LinkageModel
    report: dict[str, Any] = field(default_factory=dict)
    joins: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=JOIN_COLUMNS))


def _records(source: Any, skip_bad_rows: bool) -> Records:
    return (
        source if isinstance(source, Records) else load_records(source, skip_bad_rows=skip_bad_rows)
    )


def _noop(stage: str) -> None:
    return None


def _pattern_counts(
    engine: Engine, sql: str, comparisons: tuple[Comparison, ...]
) -> tuple[np.ndarray, np.ndarray]:
    table = engine.fetch(sql)
    names = [f"g_{c.field}" for c in comparisons]
    patterns = np.column_stack([table.column(n).to_numpy() for n in names]).astype(np.int64)
    return patterns, table.column("n").to_numpy().astype(float)


def random_pairs(features: Features, size: int, link: bool, seed: int = 0) -> pd.DataFrame:
    """Uniformly drawn distinct record pairs (across the two datasets when linking)."""
    rng = np.random.default_rng(seed)
    n = features.size
    size = int(min(size, max(n * (n - 1) // 2, 1)))
    if link:
        left_pool = np.flatnonzero(features.datasets == 0)
        right_pool = np.flatnonzero(features.datasets == 1)
        if len(left_pool) == 0 or len(right_pool) == 0:
            return pd.DataFrame({"l": np.zeros(0, np.int32), "r": np.zeros(0, np.int32)})
        left = rng.choice(left_pool, size)
        right = rng.choice(right_pool, size)
    else:
        n = features.size
        if n < 2:
            return pd.DataFrame({"l": np.zeros(0, np.int32), "r": np.zeros(0, np.int32)})
        left, right = rng.integers(0, n, size), rng.integers(0, n, size)
        keep = left != right
        left, right = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
    return pd.DataFrame({"l": left.astype(np.int32), "r": right.astype(np.int32)})


def same_family_pairs(features: Features, size: int, seed: int = 1) -> pd.DataFrame:
    """Random pairs of records that share their canonical family sound (siblings, cousins,
    namesakes, and duplicates of one person), for the u of the other fields given the family."""
    rng = np.random.default_rng(seed)
    group = features.table.column("fam_p_0").to_numpy().astype(np.int64)
    has = np.flatnonzero(group >= 0)
    if len(has) < 2:
        return pd.DataFrame({"l": np.zeros(0, np.int32), "r": np.zeros(0, np.int32)})
    order = has[np.argsort(group[has], kind="stable")]
    sorted_groups = group[order]
    start = np.searchsorted(sorted_groups, group, side="left")
    end = np.searchsorted(sorted_groups, group, side="right")
    left = rng.choice(has, size)
    width = end[left] - start[left]
    right = order[start[left] + (rng.random(size) * width).astype(np.int64)]
    keep = right != left
    left, right = left[keep], right[keep]
    pairs = pd.DataFrame(
        {
            "l": np.minimum(left, right).astype(np.int32),
            "r": np.maximum(left, right).astype(np.int32),
        }
    )
    return pairs.drop_duplicates(ignore_index=True)


@dataclass
class Scored:
    """Features and scored candidate pairs living in an engine."""

    engine: Engine
    features: Features
    model: LinkageModel
    blocking: BlockingReport
    timings: dict[str, float]
    owned: bool = True  # the engine was made here (closed after use), not passed in

    def close(self) -> None:
        if self.owned:
            self.engine.close()


def score(
    records: Records,
    *,
    engine: str | Engine = "duckdb",
    model: LinkageModel | None = None,
    link: bool = False,
    max_block_pairs: int = DEFAULT_MAX_BLOCK_PAIRS,
    progress: Progress = _noop,
) -> Scored:
    """Prepare, block, compare, train (unless ``model``) and score; tables stay in the engine."""
    import pyarrow as pa

    timings: dict[str, float] = {}
    start = time.perf_counter()
    progress(f"preparing {len(records.frame)} records")
    features = prepare(records, extras=tuple(model.extras) if model is not None else None)
    comparisons = comparisons_for(features.extras)
    timings["prepare"] = time.perf_counter() - start
    eng = make_engine(engine)
    d = eng.dialect
    eng.load("features", features.table)
    mark = time.perf_counter()
    progress("blocking")
    report = block(
        eng,
        "features",
        records=features.size,
        link=link,
        max_block_pairs=max_block_pairs,
        rules=rules_for(features.extras),
    )
    progress(str(report))
    timings["block"] = time.perf_counter() - mark
    mark = time.perf_counter()
    progress("comparing")
    eng.create("vectors", vectors_sql(d, "pairs", "features", comparisons))
    timings["compare"] = time.perf_counter() - mark
    if model is None:
        mark = time.perf_counter()
        progress("training (EM)")

        def counts(pairs: str, with_tf: bool = False) -> tuple[np.ndarray, np.ndarray]:
            vectors = f"({vectors_sql(d, pairs, 'features', comparisons, with_tf=with_tf)})"
            return _pattern_counts(eng, pattern_counts_sql(vectors, comparisons), comparisons)

        blocked = _pattern_counts(eng, pattern_counts_sql("vectors", comparisons), comparisons)
        eng.load("random_pairs", pa.Table.from_pandas(random_pairs(features, RANDOM_PAIRS, link)))
        rand = counts("random_pairs")
        n = features.size
        if link:
            n0 = int((features.datasets == 0).sum())
            total = float(n0) * float(n - n0)
        else:
            total = n * (n - 1) / 2
        eng.load("family_pairs", pa.Table.from_pandas(same_family_pairs(features, RANDOM_PAIRS)))
        same = counts("family_pairs")
        model = fit(blocked, rand, total, comparisons, same_family=same, extras=features.extras)
        timings["train"] = time.perf_counter() - mark
    mark = time.perf_counter()
    progress("scoring")
    eng.create("scores", scores_sql(model, d, "vectors"))
    timings["score"] = time.perf_counter() - mark
    return Scored(eng, features, model, report, timings, owned=not isinstance(engine, Engine))


def scored_pairs(scored: Scored, threshold: float, *, explain: bool = True) -> pd.DataFrame:
    """Pairs at or above ``threshold`` with ids, weights, explanation and per-field levels/bits.

    Text columns stay Arrow-backed (no Python string objects), so a million pairs are cheap.
    """
    import pyarrow as pa

    d = scored.engine.dialect
    extra = ""
    if explain:
        levels = ", ".join(f"g_{c.field}" for c in scored.model.comparisons)
        bits = ", ".join(f"bits_{c.field} AS {c.field}_bits" for c in scored.model.comparisons)
        extra = f", {explanation_sql(scored.model, d)} AS explanation, {levels}, {bits}"
    table = scored.engine.fetch(
        f"SELECT l, r, match_probability, match_weight{extra} FROM scores "
        f"WHERE match_probability >= {float(threshold)!r} ORDER BY l, r"
    )
    arrow_text = {
        pa.string(): pd.ArrowDtype(pa.string()),
        pa.large_string(): pd.ArrowDtype(pa.string()),
    }
    frame = table.to_pandas(types_mapper=arrow_text.get)
    if explain:
        for c in scored.model.comparisons:
            names = [c.missing.__name__, *c.level_names]
            codes = frame.pop(f"g_{c.field}").to_numpy().astype(np.int64) + 1
            position = frame.columns.get_loc(f"{c.field}_bits")
            level = pd.Categorical.from_codes(codes, categories=names)
            frame.insert(position, f"{c.field}_level", level)
    ids = scored.features.ids
    frame.insert(0, "id_a", ids[frame.pop("l").to_numpy()] if len(frame) else [])
    frame.insert(1, "id_b", ids[frame.pop("r").to_numpy()] if len(frame) else [])
    return frame


def _edges(scored: Scored, threshold: float) -> pd.DataFrame:
    """The pairs at or above ``threshold``, with ``links`` (0: a pair whose given names differ
    and that does not link its records by itself, see :func:`~wayhome.linkage.model.links_sql`)."""
    links = links_sql(scored.model, "s", threshold)
    return scored.engine.fetch(
        f"SELECT l, r, match_weight, match_probability, {links} AS links FROM scores s "
        f"WHERE match_probability >= {float(threshold)!r}"
    ).to_pandas()


def _inside_pairs(
    scored: Scored, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every scored pair whose records are in one component (of size >= 3) of the edges."""
    import pyarrow as pa

    n = scored.features.size
    labels = components(n, left, right)
    sizes = np.bincount(labels, minlength=n)
    nodes = np.flatnonzero(sizes[labels] >= 3)
    if len(nodes) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    table = pa.table({"rid": nodes.astype(np.int32), "label": labels[nodes].astype(np.int64)})
    scored.engine.load("multi", table)
    found = scored.engine.fetch(
        "SELECT s.l, s.r, s.match_weight FROM scores s JOIN multi a ON a.rid = s.l "
        "JOIN multi b ON b.rid = s.r WHERE a.label = b.label"
    )
    return (
        found.column("l").to_numpy(),
        found.column("r").to_numpy(),
        found.column("match_weight").to_numpy(),
    )


def _attach(
    scored: Scored, labels: np.ndarray, best: np.ndarray, conflict: float, explain: bool = True
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """Records alone after clustering join the one cluster that clearly vouches for them (see
    :func:`~wayhome.linkage.clustering.attach`): first by their best pair, then the records
    still alone by the consensus of each cluster's records. ``best`` gets the probability of
    the weight they joined by. Returns the labels and the joins (record, weight, joined_by,
    and with ``explain`` the explanation of a join by the consensus)."""
    below = min(max(conflict, 1e-12), 1 - 1e-12)
    conflict_weight = float(np.log2(below / (1 - below)))
    fields = [c.field for c in scored.model.comparisons]
    links = _lone_links(scored, labels, fields, levels=explain)
    joins: list[pd.DataFrame] = []
    if links is None:
        return labels, joins
    for by in ("best", "consensus"):
        if by == "consensus":  # the clusters grew: regroup the links of the records still alone
            links = regroup(links, labels, fields)
            links["consensus"] = consensus_weight(links, fields, scored.model.prior_bits)
        sizes = np.bincount(labels, minlength=len(labels))
        labels, joined, partner, bits = attach(
            labels, links, conflict_weight=conflict_weight, by=by
        )
        probability = 1.0 / (1.0 + np.exp2(-bits))
        np.fmax.at(best, joined, probability)
        alone = sizes[partner] == 1  # the partner was alone too: this pair is its best link
        np.fmax.at(best, partner[alone], probability[alone])
        frame = pd.DataFrame({"rid": joined, "match_weight": bits, "joined_by": JOINED[by]})
        if by == "consensus" and len(joined) and explain:
            frame["explanation"] = consensus_texts(scored.model, links, joined, partner)
        joins.append(frame)
    return labels, joins


def consensus_texts(
    model: LinkageModel, links: pd.DataFrame, joined: np.ndarray, partner: np.ndarray
) -> list[str]:
    """Why each record joined by the consensus (:func:`consensus_weight`): per field the
    strongest agreement any of the cluster's records shows, then every field's strongest
    disagreement; with the prior they add up to the weight it joined by."""
    keyed = links.set_index(["a", "b"])
    rows = keyed.loc[list(zip(joined.tolist(), partner.tolist(), strict=True))]

    def text(c: Comparison, level: float) -> str:
        return level_text(c.missing) if level < 0 else level_text(c.levels[int(level)])

    out = []
    for _, row in rows.iterrows():
        agree = [
            f"{text(c, row[f'hg_{c.field}'])} ({row[f'hi_{c.field}']:+.1f})"
            for c in model.comparisons
        ]
        against = [
            f"{text(c, row[f'lg_{c.field}'])} ({row[f'lo_{c.field}']:+.1f})"
            for c in model.comparisons
            if row[f"lo_{c.field}"] < 0
        ]
        head = f"Consensus of the cluster's records (prior {model.prior_bits:+.1f}): "
        tail = f"; against: {'; '.join(against)}" if against else ""
        out.append(head + "; ".join(agree) + tail)
    return out


def _lone_links(
    scored: Scored, labels: np.ndarray, fields: list[str], levels: bool = True
) -> pd.DataFrame | None:
    """Per (record alone ``a``, cluster ``b``) with scored pairs between them: the best, worst
    and total pair weight and per field the largest and smallest bits (``hi_<field>``,
    ``lo_<field>``), with ``levels`` also the levels they are at (``hg_<field>``,
    ``lg_<field>``: what a consensus is explained by); None when no record is alone."""
    import pyarrow as pa

    n = len(labels)
    sizes = np.bincount(labels, minlength=n)
    lone = np.flatnonzero(sizes[labels] == 1)
    if len(lone) == 0:
        return None
    scored.engine.load(
        "labels", pa.table({"rid": np.arange(n, dtype=np.int32), "label": labels.astype(np.int32)})
    )
    scored.engine.load("lone", pa.table({"rid": lone.astype(np.int32)}))
    field_bits = "".join(f", s.bits_{f} AS b_{f}" for f in fields)
    if levels:
        field_bits += "".join(f", s.g_{f} AS g_{f}" for f in fields)
    given_ok = given_ok_sql(scored.model, "s")
    if given_ok is not None:  # whether the given names of the best pair differ (see attach)
        field_bits += f", {given_ok} AS ok"
    lone_pairs = (  # a record alone is its own cluster's label: only the partner is looked up
        "SELECT s.{0} AS a, b.label AS b, s.match_weight AS w" + field_bits + " FROM scores s "
        "JOIN labels b ON b.rid = s.{1} WHERE s.{0} IN (SELECT rid FROM lone)"
    )
    spans = "".join(f", max(b_{f}) AS hi_{f}, min(b_{f}) AS lo_{f}" for f in fields)
    if levels:  # 12 more aggregates (a quarter of the step at 1M): only to explain
        spans += "".join(
            f", max_by(g_{f}, b_{f}) AS hg_{f}, min_by(g_{f}, b_{f}) AS lg_{f}" for f in fields
        )
    if given_ok is not None:
        spans += ", max_by(ok, w) AS given_ok"
    return scored.engine.fetch(
        f"SELECT a, b, max(w) AS best, min(w) AS worst, sum(w) AS total{spans} FROM ("
        f"{lone_pairs.format('l', 'r')} UNION ALL {lone_pairs.format('r', 'l')}) x "
        f"GROUP BY a, b HAVING max(w) > {float(ATTACH_FLOOR)!r}"
    ).to_pandas()


def regroup(links: pd.DataFrame, labels: np.ndarray, fields: list[str]) -> pd.DataFrame:
    """The links of the records still alone, with their partners relabelled to the clusters
    they are now in (labels are member indices, so an old label is relabelled by ``labels``).
    The levels (``hg_``/``lg_``) are carried where ``links`` has them."""
    sizes = np.bincount(labels, minlength=len(labels))
    a = links["a"].to_numpy(dtype=np.int64)
    keep = (sizes[labels[a]] == 1) & (labels[a] == a)
    moved = links[keep].assign(b=labels[links["b"].to_numpy(dtype=np.int64)[keep]])
    moved = moved[moved["a"] != moved["b"]]
    how = {"best": "max", "worst": "min", "total": "sum"}
    how.update({f"hi_{f}": "max" for f in fields})
    how.update({f"lo_{f}": "min" for f in fields})
    grouped = moved.groupby(["a", "b"], as_index=False, sort=False)
    out = grouped.agg(how)
    explained = [f for f in fields if f"hg_{f}" in moved.columns]
    for f in explained:  # the level where each field's strongest agreement / disagreement is
        for side, pick in (("hi", "idxmax"), ("lo", "idxmin")):
            rows = getattr(grouped[f"{side}_{f}"], pick)()[f"{side}_{f}"].to_numpy()
            level = moved[f"{side[0]}g_{f}"].to_numpy() if len(moved) else np.zeros(0)
            out[f"{side[0]}g_{f}"] = level[moved.index.get_indexer(rows)] if len(rows) else rows
    return out


def _attach_to_profiles(
    scored: Scored, labels: np.ndarray, best: np.ndarray, max_block_pairs: int, explain: bool
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """Records still alone are linked against one *profile* per cluster of two or more records
    (:func:`~wayhome.linkage.features.profile_features`: everything its records say together)
    with the trained model and fresh blocking, and join the best profile when it weighs at least
    ``PROFILE_MIN_BITS`` (``GIVEN_DIFFER_BITS`` more when their given names differ) and every
    other profile ``ATTACH_MARGIN`` bits less.

    Blocking the profiles finds what no single member shows: a lone record whose name is spelled
    as one member writes it and whose birth year is the one another member gives. ``best`` gets
    the probability of the weight they joined by. Returns the labels and the joins (record,
    weight, joined_by, and with ``explain`` the explanation of the record against the
    profile)."""
    import pyarrow as pa

    n = len(labels)
    sizes = np.bincount(labels, minlength=n)
    lone = np.flatnonzero(sizes[labels] == 1)
    if len(lone) == 0 or not (sizes >= 2).any():
        return labels, []
    table, profile_labels = profile_features(scored.features, labels, lone)
    eng, d = scored.engine, scored.engine.dialect
    eng.load("profile_features", table)
    block(
        eng,
        "profile_features",
        records=table.num_rows,
        link=True,
        max_block_pairs=max_block_pairs,
        rules=rules_for(scored.features.extras, first_pass=False),
        out="profile_pairs",
    )
    eng.create(
        "profile_vectors",
        vectors_sql(d, "profile_pairs", "profile_features", scored.model.comparisons),
    )
    eng.create("profile_scores", scores_sql(scored.model, d, "profile_vectors"))
    given_ok = given_ok_sql(scored.model, "s") or "1"
    found = eng.fetch(
        f"SELECT l, r, match_weight, {given_ok} AS given_ok FROM profile_scores s "
        f"WHERE match_weight > {float(ATTACH_FLOOR)!r}"
    )
    weight = found.column("match_weight").to_numpy()
    links = pd.DataFrame(
        {
            "a": lone[found.column("l").to_numpy()],
            "b": profile_labels[found.column("r").to_numpy() - len(lone)],
            "best": weight,
            "worst": weight,
            "total": weight,
            "given_ok": found.column("given_ok").to_numpy(),
        }
    )
    labels, joined, partner, bits = attach(
        labels, links, conflict_weight=-np.inf, min_weight=PROFILE_MIN_BITS
    )
    np.fmax.at(best, joined, 1.0 / (1.0 + np.exp2(-bits)))
    joins = pd.DataFrame({"rid": joined, "match_weight": bits, "joined_by": JOINED["profile"]})
    if explain and len(joined):
        rows = pd.DataFrame(
            {
                "l": np.searchsorted(lone, joined).astype(np.int32),
                "r": (np.searchsorted(profile_labels, partner) + len(lone)).astype(np.int32),
            }
        )
        eng.load("profile_joins", pa.Table.from_pandas(rows, preserve_index=False))
        found = eng.fetch(
            f"SELECT s.l, {explanation_sql(scored.model, d)} AS explanation FROM "
            "profile_scores s JOIN profile_joins j ON j.l = s.l AND j.r = s.r"
        ).to_pandas()
        text = found.set_index(lone[found["l"].to_numpy()])["explanation"]
        joins["explanation"] = text.reindex(joined).to_numpy()
    return labels, [joins]


def _joins(
    scored: Scored, labels: np.ndarray, cids: np.ndarray, joins: list[pd.DataFrame], explain: bool
) -> pd.DataFrame:
    """One row per record that joined its cluster without a pair at the threshold: how
    (``joined_by``), the weight it joined by, and with ``explain`` its best scored pair inside
    the cluster (``partner_id``, with the pair's explanation; a join by the consensus is
    explained by the consensus field by field, one by the profile against the profile)."""
    import pyarrow as pa

    ids = scored.features.ids
    frame = pd.concat(joins, ignore_index=True) if joins else pd.DataFrame()
    if len(frame) == 0:
        return pd.DataFrame(columns=JOIN_COLUMNS)
    rid = frame["rid"].to_numpy(dtype=np.int64)
    weight = frame["match_weight"].to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "id": ids[rid],
            "cluster_id": cids[rid],
            "joined_by": frame["joined_by"].to_numpy(),
            "match_probability": 1.0 / (1.0 + np.exp2(-weight)),
            "match_weight": weight,
            "partner_id": None,
            "explanation": frame.get("explanation"),
        }
    )
    if not explain:  # how and by what weight only: no pairs read back
        return out[JOIN_COLUMNS].assign(explanation=None).sort_values("id", ignore_index=True)
    scored.engine.load("joined", pa.table({"rid": rid.astype(np.int32)}))
    text = explanation_sql(scored.model, scored.engine.dialect)
    pairs = scored.engine.fetch(
        f"SELECT l, r, match_weight, {text} AS explanation FROM scores "
        "WHERE l IN (SELECT rid FROM joined) OR r IN (SELECT rid FROM joined)"
    ).to_pandas()
    both = pd.concat(
        [
            pairs.rename(columns={"l": "a", "r": "b"}),
            pairs.rename(columns={"r": "a", "l": "b"}),
        ],
        ignore_index=True,
    )
    both = both[np.isin(both["a"].to_numpy(), rid)]
    both = both[labels[both["a"].to_numpy()] == labels[both["b"].to_numpy()]]
    top = both.sort_values(["a", "match_weight", "b"], ascending=[True, False, True])
    top = top.drop_duplicates("a").set_index("a")
    here = top.reindex(rid)
    out["partner_id"] = np.where(
        here["b"].notna(), ids[here["b"].fillna(0).to_numpy(dtype=np.int64)], None
    )
    by_pair = out["joined_by"] == JOINED["best"]  # the consensus and the profile say their own
    out.loc[by_pair, "explanation"] = here["explanation"].to_numpy()[by_pair.to_numpy()]
    return out[JOIN_COLUMNS].sort_values("id", ignore_index=True)


def dedupe(
    records: Any,
    *,
    engine: str | Engine = "duckdb",
    threshold: float = 0.9,
    model: LinkageModel | None = None,
    previous_clusters: pd.DataFrame | dict[str, str] | None = None,
    skip_bad_rows: bool = False,
    explain: bool = True,
    max_block_pairs: int = DEFAULT_MAX_BLOCK_PAIRS,
    conflict_threshold: float = 0.1,
    progress: Progress | None = None,
) -> DedupeResult:
    """Find the records of one dataset that are the same person and cluster them.

    ``records``: pandas DataFrame, pyarrow Table or CSV path (see :mod:`wayhome.linkage.records`).
    ``model``: reuse a trained model instead of training (EM) on these records.
    ``previous_clusters``: an earlier run's clusters (DataFrame with id, cluster_id, or a dict)
    whose cluster ids are carried over by majority overlap.
    ``conflict_threshold``: a cluster in which two records scored below it is rebuilt so that
    groups with more evidence against than for being one person stay apart.
    """
    progress = progress or _noop
    started = time.perf_counter()
    checked = _records(records, skip_bad_rows)
    scored = score(
        checked, engine=engine, model=model, max_block_pairs=max_block_pairs, progress=progress
    )
    try:
        progress("clustering")
        mark = time.perf_counter()
        edges = _edges(scored, threshold)
        n = scored.features.size
        # pairs whose given names differ link only on what siblings do not share (links_sql)
        linking = edges[edges["links"].to_numpy() == 1]
        left, right = linking["l"].to_numpy(), linking["r"].to_numpy()
        ids = scored.features.ids
        inside = _inside_pairs(scored, left, right)
        rank = np.argsort(np.argsort(ids.astype(str), kind="stable"))
        below = min(max(conflict_threshold, 1e-12), 1 - 1e-12)
        labels, kept = cluster(
            n,
            left,
            right,
            linking["match_weight"].to_numpy(),
            scored=inside,
            conflict_weight=float(np.log2(below / (1 - below))),
            rank=rank,
        )
        best = np.full(n, np.nan)
        prob = linking["match_probability"].to_numpy()[kept]
        np.fmax.at(best, left[kept], prob)
        np.fmax.at(best, right[kept], prob)
        labels, joins = _attach(scored, labels, best, conflict_threshold, explain)
        attached = sum(len(j) for j in joins)
        scored.timings["cluster"] = time.perf_counter() - mark
        mark = time.perf_counter()
        progress("linking the records alone to the clusters' profiles")
        labels, profile_joins = _attach_to_profiles(scored, labels, best, max_block_pairs, explain)
        profiled = sum(len(j) for j in profile_joins)
        scored.timings["profiles"] = time.perf_counter() - mark
        mark = time.perf_counter()
        cids = cluster_ids(ids, labels, previous_clusters)
        clusters = pd.DataFrame({"id": ids, "cluster_id": cids, "match_probability": best})
        joined = _joins(scored, labels, np.asarray(cids), joins + profile_joins, explain)
        scored.timings["cluster"] += time.perf_counter() - mark
        pairs = (
            scored_pairs(scored, threshold)
            if explain
            else edges.assign(id_a=ids[edges["l"].to_numpy()], id_b=ids[edges["r"].to_numpy()])[
                PAIR_COLUMNS[:4]
            ]
        )
        if len(pairs):
            same = clusters.set_index("id")["cluster_id"]
            pairs["same_cluster"] = (
                same.reindex(pairs["id_a"]).to_numpy() == same.reindex(pairs["id_b"]).to_numpy()
            )
    finally:
        scored.close()
    scored.timings["total"] = time.perf_counter() - started
    report = {
        "records": n,
        "skipped": list(checked.skipped),
        "blocking": scored.blocking,
        "timings": scored.timings,
        "edges": len(linking),
        "cut_edges": int((~kept).sum()),
        "sibling_pairs": len(edges) - len(linking),  # at the threshold, not linking (links_sql)
        "attached": attached,
        "attached_to_profiles": profiled,
    }
    return DedupeResult(clusters, pairs, scored.model, report, joined)


def link(
    a: Any,
    b: Any,
    *,
    engine: str | Engine = "duckdb",
    threshold: float = 0.9,
    model: LinkageModel | None = None,
    skip_bad_rows: bool = False,
    max_block_pairs: int = DEFAULT_MAX_BLOCK_PAIRS,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Pairs (id_a from ``a``, id_b from ``b``) at or above ``threshold``, with explanations.

    Ids need only be unique within each input. The model is trained on the cross pairs unless
    ``model`` is given.
    """
    progress = progress or _noop
    left, right = _records(a, skip_bad_rows), _records(b, skip_bad_rows)
    frame = pd.concat(
        [left.frame.assign(_ds=0), right.frame.assign(_ds=1)], ignore_index=True, sort=False
    )
    frame["_key"] = frame["_ds"].astype(str) + ":" + frame["id"]
    both = Records(frame.assign(id=frame["_key"]).drop(columns="_key"))
    scored = score(
        both,
        engine=engine,
        model=model,
        link=True,
        max_block_pairs=max_block_pairs,
        progress=progress,
    )
    try:
        pairs = scored_pairs(scored, threshold)
    finally:
        scored.close()
    for column in ("id_a", "id_b"):
        pairs[column] = pairs[column].astype(str).str.split(":", n=1).str[1]
    pairs.attrs["model"] = scored.model
    return pairs
