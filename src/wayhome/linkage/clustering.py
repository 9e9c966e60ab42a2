"""Clusters from scored pairs: connected components, a guard against chaining, stable ids.

* Components of the graph of pairs at or above the threshold (vectorised label propagation).
* Conflicts: a component holding two records whose own pair scored below the conflict
  threshold (the model says they are different people) is rebuilt adding edges strongest first
  and joining two groups only if the scored pairs between them weigh zero or more in total.
* Chaining guard: in a component of three or more records, an edge that no other record
  supports (its two ends have no common neighbour), that joins two records which both have
  other links, and whose weight is below ``strong_weight`` bits is a weak *bridge* between two
  groups (typically two siblings) and is cut before the components are recomputed.
* Lone records: a record left alone joins the one cluster that clearly vouches for it, a pair
  under the threshold but no rival candidate elsewhere (:func:`attach`); one still alone then
  joins by what a cluster's records say together (:func:`consensus_weight`), again only
  without a rival. The records still alone are then linked against one profile per cluster
  (``features.profile_features``, ``api._attach_to_profiles``) and join by :func:`attach`.
* Cluster ids: the smallest member id of the cluster, so they do not depend on row order and a
  cluster keeps its id when records are added unless a record with a smaller id joins it. With a
  previous run's ``id → cluster_id`` mapping, each new cluster takes the previous id that most of
  its members had (largest overlap first; one new cluster per previous id).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Component label (smallest member index) of each of ``n`` nodes."""
    labels = np.arange(n, dtype=np.int64)
    if len(left) == 0:
        return labels
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    while True:
        low = np.minimum(labels[left], labels[right])
        before = labels.copy()
        np.minimum.at(labels, left, low)
        np.minimum.at(labels, right, low)
        while True:  # pointer jumping
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(before, labels):
            return labels


def weak_bridges(
    n: int, left: np.ndarray, right: np.ndarray, weight: np.ndarray, strong_weight: float
) -> np.ndarray:
    """Mask of edges to cut: unsupported, weak, joining two records that both have other links."""
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    cut = np.zeros(len(left), dtype=bool)
    if len(left) < 2:
        return cut
    degree = np.bincount(np.concatenate([left, right]), minlength=n)
    candidate = (degree[left] >= 2) & (degree[right] >= 2) & (np.asarray(weight) < strong_weight)
    if not candidate.any():
        return cut
    # an edge (x, y) is supported when a neighbour b of x (other than y) is a neighbour of y:
    # every neighbour of x is looked up among the edges, keyed a * n + b (both directions)
    a, b = np.concatenate([left, right]), np.concatenate([right, left])
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    start = np.searchsorted(a, np.arange(n + 1))
    keys = np.sort(a * n + b)
    edge = np.flatnonzero(candidate)
    x, y = left[edge], right[edge]
    counts = start[x + 1] - start[x]
    owner = np.repeat(np.arange(len(edge)), counts)  # which candidate each neighbour belongs to
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    neighbour = b[np.repeat(start[x], counts) + within]
    other = neighbour != y[owner]
    probe = y[owner[other]] * n + neighbour[other]
    found = np.minimum(np.searchsorted(keys, probe), len(keys) - 1)
    supported = np.zeros(len(edge), dtype=bool)
    supported[owner[other][keys[found] == probe]] = True
    cut[edge[~supported]] = True
    return cut


def cluster(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    *,
    scored: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    conflict_weight: float = -3.17,
    rank: np.ndarray | None = None,
    strong_weight: float = 20.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster labels (smallest member index) and the mask of edges kept.

    ``scored``: the scored pairs inside components (see :func:`constrained`); then weak bridges
    are cut (see :func:`weak_bridges`).
    """
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    weight = np.asarray(weight, dtype=float)
    empty = np.zeros(0, dtype=np.int64)
    scored = scored if scored is not None else (empty, empty, np.zeros(0))
    labels, keep = constrained(n, left, right, weight, scored, conflict_weight, rank)
    if not keep.any():
        return labels, keep
    sizes = np.bincount(labels, minlength=n)
    idx = np.flatnonzero(keep & (sizes[labels[left]] >= 3))
    if len(idx):
        cut = weak_bridges(n, left[idx], right[idx], weight[idx], strong_weight)
        if cut.any():
            keep[idx[cut]] = False
            labels = components(n, left[keep], right[keep])
    return labels, keep


def constrained(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    scored: tuple[np.ndarray, np.ndarray, np.ndarray],
    conflict_weight: float,
    rank: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Components rebuilt so that groups with more evidence against than for stay apart.

    ``scored``: (left, right, weight) of every scored pair inside components of three or more.
    A component holding a *conflict* (a scored pair under ``conflict_weight`` bits) is rebuilt:
    its edges are added strongest first (ties by ``rank`` of the two records, so the result does
    not depend on row order), and two groups are joined only if the weights of all scored pairs
    between them add up to zero or more. Returns labels and the mask of edges used.
    """
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    labels = components(n, left, right)
    keep = np.ones(len(left), dtype=bool)
    pl, pr, pw = (np.asarray(x) for x in scored)
    if len(pl) == 0:
        return labels, keep
    pl, pr = pl.astype(np.int64), pr.astype(np.int64)
    inside = labels[pl] == labels[pr]
    bad = np.unique(labels[pl[inside & (pw < conflict_weight)]])
    if len(bad) == 0:
        return labels, keep
    rank = np.arange(n) if rank is None else np.asarray(rank)
    edge_in = np.flatnonzero(np.isin(labels[left], bad))
    a, b = rank[left[edge_in]], rank[right[edge_in]]
    order = np.lexsort((np.maximum(a, b), np.minimum(a, b), -np.asarray(weight)[edge_in]))
    neighbours: dict[int, dict[int, float]] = {}
    relevant = inside & np.isin(labels[pl], bad)
    for x, y, w in zip(pl[relevant], pr[relevant], pw[relevant], strict=True):
        neighbours.setdefault(int(x), {})[int(y)] = float(w)
        neighbours.setdefault(int(y), {})[int(x)] = float(w)
    parent: dict[int, int] = {}
    members: dict[int, set[int]] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for e in edge_in[order]:
        x, y = find(int(left[e])), find(int(right[e]))
        if x == y:
            continue
        gx, gy = members.get(x) or {x}, members.get(y) or {y}
        if len(gx) > len(gy):
            x, y, gx, gy = y, x, gy, gx
        between = sum(w for m in gx for o, w in neighbours.get(m, {}).items() if o in gy)
        if between < 0:
            keep[e] = False
            continue
        parent[x] = y
        gy |= gx  # the smaller group into the larger, in place: no quadratic copying
        members[y] = gy
        members.pop(x, None)
    nodes = np.flatnonzero(np.isin(labels, bad))
    roots = np.asarray([find(int(v)) for v in nodes], dtype=np.int64)
    labels = labels.copy()
    labels[nodes] = roots
    frame = pd.DataFrame({"node": nodes, "root": roots})
    labels[nodes] = frame.groupby("root")["node"].transform("min").to_numpy()
    return labels, keep


def _smallest_per_group(text: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per element, the smallest string of its group (vectorised: pandas' ``min`` of strings
    per group runs in Python, one call per group — seconds for a million records)."""
    order = np.argsort(text, kind="stable")
    rank = np.empty(len(text), dtype=np.int64)
    rank[order] = np.arange(len(text))
    codes, uniques = pd.factorize(labels)
    lowest = np.full(len(uniques), len(text), dtype=np.int64)
    np.minimum.at(lowest, codes, rank)
    return text[order[lowest[codes]]].astype(object)


def cluster_ids(
    ids: np.ndarray, labels: np.ndarray, previous: Mapping[str, str] | pd.DataFrame | None = None
) -> np.ndarray:
    """Stable cluster id of each record: carried over from ``previous`` or the smallest id."""
    text = np.asarray(ids, dtype=object).astype(str)
    frame = pd.DataFrame({"id": text, "label": labels})
    smallest = _smallest_per_group(text, labels)
    if previous is None or len(previous) == 0:
        return smallest
    if isinstance(previous, pd.DataFrame):
        old = pd.Series(
            previous["cluster_id"].astype(str).to_numpy(), index=previous["id"].astype(str)
        )
    else:
        old = pd.Series(dict(previous), dtype=object)
    frame["old"] = frame["id"].map(old)
    overlap = (
        frame.dropna(subset=["old"])
        .groupby(["label", "old"])
        .size()
        .reset_index(name="k")
        .sort_values(["k", "old", "label"], ascending=[False, True, True], kind="stable")
    )
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for label, old_id in zip(overlap["label"].to_numpy(), overlap["old"].to_numpy(), strict=True):
        if label not in chosen and old_id not in taken:
            chosen[int(label)] = str(old_id)
            taken.add(str(old_id))
    first = pd.Series(smallest, index=labels).groupby(level=0).first()
    members = None
    for label, minimum in first.items():
        if int(label) in chosen:
            continue
        candidate, suffix = str(minimum), 1
        if candidate in taken:
            if members is None:
                members = frame.groupby("label")["id"].apply(sorted)
            options = [m for m in members[label] if m not in taken]
            candidate = options[0] if options else candidate
            while candidate in taken:
                suffix += 1
                candidate = f"{minimum}~{suffix}"
        chosen[int(label)] = candidate
        taken.add(candidate)
    return frame["label"].map(chosen).to_numpy(dtype=object)


#: A record left alone joins a cluster whose records vouch for it. First by its best pair: at
#: least ``ATTACH_MIN_BITS`` (probability 2/3), and its best pair with any other cluster at least
#: ``ATTACH_MARGIN`` bits less (8 times less likely). Then, for the records still alone, by the
#: *consensus* of the cluster's records (:func:`consensus_weight`): at least
#: ``CONSENSUS_MIN_BITS``, with the same margin over any other cluster's consensus. Clusters
#: whose best pair with the record is below ``ATTACH_FLOOR`` bits are neither choices nor rivals.
ATTACH_MIN_BITS = 1.0
ATTACH_MARGIN = 3.0
CONSENSUS_MIN_BITS = 0.0
#: Last, a record still alone joins the cluster whose *profile* (all its records' keys, names,
#: places and most precise date together) it matches best, at least ``PROFILE_MIN_BITS``, with
#: the same margin over every other profile.
PROFILE_MIN_BITS = 0.0
#: A join by the best pair or by the profile whose given names differ needs this many bits more
#: (a sibling or a twin shares the family name, the father's name, the place and often the
#: year).
GIVEN_DIFFER_BITS = 3.0
ATTACH_FLOOR = -6.0


def consensus_weight(links: pd.DataFrame, fields: list[str], prior_bits: float) -> np.ndarray:
    """What a cluster's records say together about a record: per field, the strongest agreement
    any of them shows plus the strongest disagreement (``hi_<field>``, ``lo_<field>``: the
    largest and the smallest bits of that field over the record's scored pairs with the
    cluster), summed with the prior.

    One record of the cluster may give the full birth date, another the father's name and a
    third the birth place: the record is then compared with all that is known of the person,
    not with the best single record. A disagreement counts whichever record shows it: a birth
    year that conflicts with one record's full date is not outweighed by another record that
    gives no date.
    """
    total = np.full(len(links), float(prior_bits))
    for f in fields:
        total += links[f"hi_{f}"].to_numpy(dtype=float)
        total += np.minimum(links[f"lo_{f}"].to_numpy(dtype=float), 0.0)
    return total


def attach(
    labels: np.ndarray,
    links: pd.DataFrame,
    *,
    conflict_weight: float,
    by: str = "best",
    min_weight: float | None = None,
    margin: float = ATTACH_MARGIN,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Records left alone join the one cluster that clearly vouches for them.

    ``links``: per ordered pair of clusters with scored pairs between them (``a``, ``b``: their
    labels, both directions) the ``best``, ``worst`` and ``total`` weight of those pairs and, for
    ``by="consensus"``, their ``consensus`` (:func:`consensus_weight`), in bits. ``by`` names the
    weight a record's clusters are judged by: ``"best"`` (its best pair; default minimum
    ``ATTACH_MIN_BITS``, and all its pairs there must weigh zero or more in total) or
    ``"consensus"`` (default minimum ``CONSENSUS_MIN_BITS``). A record alone (``a``) joins
    cluster ``b`` when ``b`` weighs most, at least ``min_weight``, no pair with ``b`` is a
    conflict (below ``conflict_weight``), every other cluster weighs at least ``margin`` bits
    less (a namesake elsewhere makes the choice ambiguous: then it stays alone), and ``b`` does
    not itself join a third cluster. The threshold is a decision about one pair; this one uses
    what the pair alone does not show: that there is exactly one plausible candidate, and what
    the cluster's records say together.
    With a ``given_ok`` column (0 where the given names differ), such a choice needs
    ``GIVEN_DIFFER_BITS`` more than ``min_weight``.
    Labels are the smallest member index of their cluster, and stay so. Returns the labels and,
    per join, the record, the label it joined and the weight it was judged by (its best pair
    there, or the consensus).
    """
    labels = np.asarray(labels)
    empty = np.zeros(0, dtype=np.int64)
    if len(links) == 0:
        return labels, empty, empty, np.zeros(0)
    if by not in ("best", "consensus"):
        raise ValueError(f"attach by 'best' or 'consensus', not {by!r}")
    sizes = np.bincount(labels, minlength=len(labels))
    if min_weight is None:
        min_weight = ATTACH_MIN_BITS if by == "best" else CONSENSUS_MIN_BITS
    links = links.assign(_w=links[by])
    ranked = links.sort_values(["a", "_w", "b"], ascending=[True, False, True], kind="stable")
    first = ~ranked["a"].duplicated().to_numpy()
    top = ranked[first]
    rival = ranked[~first].groupby("a")["_w"].max()
    top_rival = rival.reindex(top["a"]).fillna(-np.inf).to_numpy()
    a = top["a"].to_numpy(dtype=np.int64)
    b = top["b"].to_numpy(dtype=np.int64)
    weight = top["_w"].to_numpy(dtype=float)
    ok = (
        (sizes[a] == 1)
        & ((sizes[b] > 1) | (a > b))  # two records alone: the pair is decided once
        & (weight >= min_weight)
        & (top_rival <= weight - margin)
    )
    if by == "best":  # the consensus already counts each field's strongest disagreement
        ok &= (top["worst"].to_numpy() >= conflict_weight) & (top["total"].to_numpy() >= 0)
    if "given_ok" in top.columns:  # given names that differ: likely a sibling or a twin
        ok &= top["given_ok"].to_numpy(dtype=bool) | (weight >= min_weight + GIVEN_DIFFER_BITS)
    a, b, weight = a[ok], b[ok], weight[ok]
    sink = ~np.isin(b, a)  # b joins nobody itself: a chain would join clusters nobody vouched for
    a, b, weight = a[sink], b[sink], weight[sink]
    if len(a) == 0:
        return labels, empty, empty, np.zeros(0)
    # every label is its cluster's smallest member: merging the labels' nodes relabels clusters
    return components(len(labels), a, b)[labels], a, b, weight
