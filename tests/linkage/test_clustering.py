"""Connected components, the chaining guard and stable cluster ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.linkage.conftest import people_frame
from wayhome.linkage import dedupe
from wayhome.linkage.clustering import (
    GIVEN_DIFFER_BITS,
    attach,
    cluster,
    cluster_ids,
    components,
    consensus_weight,
    weak_bridges,
)


def test_components():
    labels = components(6, np.array([0, 2, 3]), np.array([1, 3, 4]))
    assert list(labels) == [0, 0, 2, 2, 2, 5]


def test_components_long_chain():
    n = 1000
    order = np.random.default_rng(0).permutation(n)
    labels = components(n, order[:-1], order[1:])
    assert (labels == 0).all()


def test_weak_bridge_between_two_groups_is_cut():
    # triangle 0-1-2 and triangle 3-4-5 joined by a weak edge 2-3
    left = np.array([0, 1, 0, 3, 4, 3, 2])
    right = np.array([1, 2, 2, 4, 5, 5, 3])
    weight = np.array([30, 30, 30, 30, 30, 30, 5.0])
    labels, kept = cluster(6, left, right, weight)
    assert list(kept) == [True] * 6 + [False]
    assert len(set(labels[:3])) == 1 and len(set(labels[3:])) == 1 and labels[0] != labels[3]


def _weak_bridges_by_sets(n, left, right, weight, strong_weight):
    """The rule of :func:`weak_bridges` read literally, with Python sets."""
    neighbours = [set() for _ in range(n)]
    for x, y in zip(left, right, strict=True):
        neighbours[x].add(y)
        neighbours[y].add(x)
    degree = np.bincount(np.concatenate([left, right]), minlength=n)
    return np.array(
        [
            bool(degree[x] >= 2 and degree[y] >= 2 and w < strong_weight)
            and not (neighbours[x] - {y}) & neighbours[y]
            for x, y, w in zip(left, right, weight, strict=True)
        ]
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from([5.0, 30.0])),
        min_size=2,
        max_size=40,
    )
)
def test_weak_bridges_are_the_unsupported_weak_edges_between_linked_records(edges):
    edges = [(min(a, b), max(a, b), w) for a, b, w in edges if a != b]
    edges = list({(a, b): (a, b, w) for a, b, w in edges}.values())  # one edge per pair
    left = np.array([a for a, _, _ in edges], dtype=np.int64)
    right = np.array([b for _, b, _ in edges], dtype=np.int64)
    weight = np.array([w for _, _, w in edges])
    expected = _weak_bridges_by_sets(12, left, right, weight, 20.0)
    assert list(weak_bridges(12, left, right, weight, 20.0)) == list(expected)


def test_strong_or_supported_edges_are_kept():
    left, right = np.array([0, 1, 0, 3, 4, 3, 2]), np.array([1, 2, 2, 4, 5, 5, 3])
    labels, kept = cluster(6, left, right, np.array([30.0] * 7))
    assert kept.all() and len(set(labels)) == 1
    # a chain a-b-c (no triangle) where an end has no other link is kept
    labels, kept = cluster(3, np.array([0, 1]), np.array([1, 2]), np.array([5.0, 5.0]))
    assert kept.all() and len(set(labels)) == 1


def test_cluster_ids_are_smallest_member_id():
    ids = np.array(["b", "a", "c", "d"], dtype=object)
    labels = np.array([0, 0, 2, 3])
    assert list(cluster_ids(ids, labels)) == ["a", "a", "c", "d"]


def test_previous_ids_carried_over_by_majority():
    ids = np.array(["x1", "x2", "x3", "y1", "new"], dtype=object)
    labels = np.array([0, 0, 0, 3, 4])
    previous = {"x1": "K1", "x2": "K1", "x3": "K9", "y1": "K2"}
    assert list(cluster_ids(ids, labels, previous)) == ["K1", "K1", "K1", "K2", "new"]


def test_previous_id_goes_to_one_cluster_only():
    ids = np.array(["a", "b", "c", "d"], dtype=object)
    labels = np.array([0, 0, 2, 2])  # the previous cluster K of a, b, c, d split in two
    previous = dict.fromkeys(ids, "K")
    result = list(cluster_ids(ids, labels, previous))
    assert result[:2] == ["K", "K"] and result[2:] == ["c", "c"]


def test_fallback_id_never_collides_with_carried_id():
    ids = np.array(["x", "y", "z"], dtype=object)
    labels = np.array([0, 1, 1])
    previous = {"x": "x", "y": "x", "z": "x"}  # y, z kept the old id "x"; x alone now
    result = list(cluster_ids(ids, labels, previous))
    assert result[1] == result[2] == "x" and result[0] != "x"


def _clusters(frame):
    result = dedupe(frame, threshold=0.9)
    return result.clusters.set_index("id")["cluster_id"], result


def test_ids_stable_when_rows_are_shuffled():
    frame = people_frame().drop(columns="person")
    first, _ = _clusters(frame)
    for seed in (1, 2):
        shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
        again, _ = _clusters(shuffled)
        assert again.sort_index().equals(first.sort_index())


def test_ids_stable_when_rows_are_added():
    frame = people_frame().drop(columns="person")
    base, _ = _clusters(frame[frame["id"] != "a4"])
    grown, _ = _clusters(frame)
    assert grown.drop("a4").sort_index().equals(base.sort_index())
    assert grown["a4"] == grown["a1"]


def test_previous_clusters_keep_ids_even_when_min_member_changes():
    frame = people_frame().drop(columns="person")
    first, result = _clusters(frame)
    renamed = first.rename(lambda i: i).map(lambda c: f"P-{c}")
    previous = pd.DataFrame({"id": renamed.index, "cluster_id": renamed.to_numpy()})
    extra = pd.DataFrame(
        [
            {
                "id": "a0",
                "given_name": "Ali",
                "family_name": "Mammadov",
                "patronymic": "Hasan oglu",
                "sex": "M",
                "birth_date": "1957-03-12",
                "birth_place": "Shusha",
            }
        ]
    )
    again = dedupe(pd.concat([frame, extra]), previous_clusters=previous, model=result.model)
    again = again.clusters
    again = again.set_index("id")["cluster_id"]
    assert again["a0"] == again["a1"] == "P-a1"  # not "a0", the new smallest id
    assert (again.drop("a0") == renamed.sort_index().reindex(again.drop("a0").index)).all()


def test_conflicting_records_are_not_chained_together():
    # a-b and b-c are strong, but a and c conflict (e.g. different fathers and birth years)
    left, right = np.array([0, 1]), np.array([1, 2])
    weight = np.array([30.0, 25.0])
    scored = (np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([30.0, 25.0, -40.0]))
    labels, kept = cluster(3, left, right, weight, scored=scored)
    assert labels[0] == labels[1] != labels[2]  # the stronger edge wins
    assert list(kept) == [True, False]


def test_a_weak_conflict_is_outweighed():
    # duplicates of one person: one pair of them scores low, the others vouch for it
    left, right = np.array([0, 1]), np.array([1, 2])
    scored = (np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([30.0, 25.0, -10.0]))
    labels, kept = cluster(3, left, right, np.array([30.0, 25.0]), scored=scored)
    assert len(set(labels)) == 1 and kept.all()


def test_conflict_outside_the_component_changes_nothing():
    scored = (np.array([2]), np.array([3]), np.array([-50.0]))
    labels, kept = cluster(4, np.array([0]), np.array([1]), np.array([9.0]), scored=scored)
    assert labels[0] == labels[1] and kept.all()


def _links(rows):
    """Cluster-pair links, both directions: (a, b, best, worst, total)."""
    both = [*rows, *[(b, a, best, worst, total) for a, b, best, worst, total in rows]]
    return pd.DataFrame(both, columns=["a", "b", "best", "worst", "total"])


def test_a_lone_record_joins_the_one_cluster_that_vouches_for_it():
    labels = np.array([0, 0, 0, 3, 4, 4])  # clusters {0,1,2} and {4,5}; record 3 alone
    links = _links([(3, 0, 2.5, 1.0, 5.0), (3, 4, -4.0, -6.0, -10.0)])
    new, joined, partner, bits = attach(labels, links, conflict_weight=-3.17)
    assert list(new) == [0, 0, 0, 0, 4, 4]
    assert list(joined) == [3] and list(partner) == [0] and list(bits) == [2.5]


def test_a_record_whose_given_name_differs_needs_more_evidence():
    labels = np.array([0, 0, 2])  # a sibling's cluster {0, 1}; record 2 alone
    links = pd.DataFrame(
        {"a": [2], "b": [0], "best": [2.5], "worst": [2.5], "total": [2.5], "given_ok": [0]}
    )
    new, joined, _, _ = attach(labels, links, conflict_weight=-np.inf, min_weight=0.0)
    assert list(new) == [0, 0, 2] and len(joined) == 0
    agreeing = links.assign(given_ok=1)
    new, _, _, _ = attach(labels, agreeing, conflict_weight=-np.inf, min_weight=0.0)
    assert list(new) == [0, 0, 0]
    stronger = links.assign(best=0.0 + GIVEN_DIFFER_BITS)
    new, _, _, _ = attach(labels, stronger, conflict_weight=-np.inf, min_weight=0.0)
    assert list(new) == [0, 0, 0]


def test_a_rival_cluster_keeps_the_record_alone():
    labels = np.array([0, 0, 2, 3, 3])  # record 2 alone between two namesake clusters
    links = _links([(2, 0, 2.5, 2.5, 2.5), (2, 3, 0.5, 0.5, 0.5)])
    new, joined, _, _ = attach(labels, links, conflict_weight=-3.17)
    assert list(new) == list(labels) and len(joined) == 0
    # with the rival far enough below, it joins
    links = _links([(2, 0, 2.5, 2.5, 2.5), (2, 3, -1.0, -1.0, -1.0)])
    new, _, _, _ = attach(labels, links, conflict_weight=-3.17)
    assert list(new) == [0, 0, 0, 3, 3]


def test_too_weak_or_conflicting_candidates_are_not_joined():
    labels = np.array([0, 0, 2])
    weak = _links([(2, 0, 0.5, 0.5, 1.0)])  # best pair under one bit
    assert list(attach(labels, weak, conflict_weight=-3.17)[0]) == [0, 0, 2]
    conflict = _links([(2, 0, 3.0, -8.0, -5.0)])  # one member says: a different person
    assert list(attach(labels, conflict, conflict_weight=-3.17)[0]) == [0, 0, 2]
    no_links = _links([])
    assert list(attach(labels, no_links, conflict_weight=-3.17)[0]) == [0, 0, 2]


def test_two_lone_records_pair_up_and_chains_are_not_followed():
    # 3 and 4 are alone and choose each other: one cluster, labelled by the smaller
    labels = np.array([0, 0, 2, 3, 4])
    new, joined, partner, _ = attach(labels, _links([(3, 4, 2.0, 2.0, 2.0)]), conflict_weight=-3)
    assert list(new) == [0, 0, 2, 3, 3] and len(joined) == 1
    # 4 chooses 3, which itself joins cluster 0: 4 is not carried along into cluster 0
    links = _links([(4, 3, 2.0, 2.0, 2.0), (3, 0, 6.0, 6.0, 6.0)])
    new, joined, _, _ = attach(labels, links, conflict_weight=-3)
    assert list(new) == [0, 0, 2, 0, 4] and list(joined) == [3]


def _consensus_links(rows, prior=-10.0):
    """(a, b, [(hi, lo) per field f1, f2, f3]) -> links with best/worst/total and consensus."""
    out = []
    for a, b, spans in rows:
        row = {"a": a, "b": b, "best": 0.0, "worst": 0.0, "total": 0.0}
        for f, (hi, lo) in zip(("f1", "f2", "f3"), spans, strict=True):
            row[f"hi_{f}"], row[f"lo_{f}"] = hi, lo
        out.append(row)
    links = pd.DataFrame(out)
    links["consensus"] = consensus_weight(links, ["f1", "f2", "f3"], prior)
    return links


def test_consensus_adds_the_best_agreement_and_the_worst_disagreement_per_field():
    links = _consensus_links([(3, 0, [(8.0, 8.0), (6.0, 0.0), (4.0, -2.0)])])
    # 8 (all agree) + 6 (one member agrees, another has nothing) + 4 - 2 (one agrees, one
    # disagrees) - 10 (prior)
    assert links["consensus"].tolist() == [6.0]


def test_a_lone_record_joins_by_what_the_cluster_knows_together():
    # record 3's best single pair is weak, but one member gives the birth date and another the
    # father's name it shares: the consensus vouches for it; the namesake cluster 4 does not
    labels = np.array([0, 0, 0, 3, 4, 4])
    links = _consensus_links(
        [
            (3, 0, [(8.0, 7.0), (9.0, 0.0), (5.0, 0.0)]),
            (3, 4, [(8.0, 8.0), (1.0, -4.0), (0.0, 0.0)]),
        ]
    )
    links["best"] = [-1.0, -2.0]
    assert list(attach(labels, links, conflict_weight=-3.17)[0]) == list(labels)  # by best: no
    new, joined, partner, bits = attach(labels, links, conflict_weight=-3.17, by="consensus")
    assert list(new) == [0, 0, 0, 0, 4, 4]
    assert list(joined) == [3] and list(partner) == [0] and list(bits) == [12.0]


def test_consensus_keeps_the_record_alone_between_two_clusters_that_vouch_alike():
    labels = np.array([0, 0, 2, 3, 3])
    links = _consensus_links(
        [(2, 0, [(8.0, 8.0), (6.0, 6.0), (0.0, 0.0)]), (2, 3, [(8.0, 8.0), (5.0, 5.0), (0.0, 0.0)])]
    )
    new, joined, _, _ = attach(labels, links, conflict_weight=-3.17, by="consensus")
    assert list(new) == list(labels) and len(joined) == 0
    # a disagreement shown by one member of cluster 3 separates them
    links.loc[links["b"] == 3, "lo_f2"] = -6.0
    links["consensus"] = consensus_weight(links, ["f1", "f2", "f3"], -10.0)
    new, _, _, _ = attach(labels, links, conflict_weight=-3.17, by="consensus")
    assert list(new) == [0, 0, 0, 3, 3]


def test_attach_by_an_unknown_weight_is_refused():
    with pytest.raises(ValueError, match="consensus"):
        attach(np.array([0, 1]), _links([(0, 1, 2.0, 2.0, 2.0)]), conflict_weight=-3, by="x")
