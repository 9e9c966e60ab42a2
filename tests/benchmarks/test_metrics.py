"""Pairwise precision/recall/F1 from cluster labels (no pair lists)."""

from __future__ import annotations

import itertools
import random

import pytest

pytest.importorskip("pandas")
pytest.importorskip("scipy")

from benchmarks.metrics import clusters_from_pairs, pair_scores  # noqa: E402


def brute_force(true, pred):
    pairs = list(itertools.combinations(range(len(true)), 2))
    t = {(i, j) for i, j in pairs if true[i] == true[j]}
    p = {
        (i, j)
        for i, j in pairs
        if pred[i] is not None and pred[j] is not None and pred[i] == pred[j]
    }
    return len(t), len(p), len(t & p)


def test_perfect_clustering():
    s = pair_scores(["a", "a", "b", "b", "b", "c"], [1, 1, 2, 2, 2, 3])
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == (4, 4, 4)
    assert s.precision == s.recall == s.f1 == 1.0


def test_known_counts():
    # true {0,1,2} {3,4}; predicted {0,1} {2,3,4}
    s = pair_scores([1, 1, 1, 2, 2], ["x", "x", "y", "y", "y"])
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == (4, 4, 2)
    assert s.precision == 0.5 and s.recall == 0.5 and s.f1 == 0.5
    assert s.false_positives == 2 and s.false_negatives == 2


def test_all_singletons_and_missing_predictions():
    s = pair_scores([1, 1, 2], [None, None, None])  # missing = singleton, never one cluster
    assert s.predicted_pairs == 0 and s.true_pairs == 1
    assert s.precision == 1.0 and s.recall == 0.0 and s.f1 == 0.0


def test_everything_merged():
    s = pair_scores([1, 1, 2, 3], [0, 0, 0, 0])
    assert s.predicted_pairs == 6 and s.true_positives == 1
    assert s.recall == 1.0 and s.precision == pytest.approx(1 / 6)


@pytest.mark.parametrize("seed", range(20))
def test_matches_brute_force(seed):
    r = random.Random(seed)
    n = r.randint(1, 60)
    true = [r.randint(0, 12) for _ in range(n)]
    pred = [r.choice([None, *range(8)]) for _ in range(n)]
    s = pair_scores(true, pred)
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == brute_force(true, pred)


def test_length_mismatch_and_missing_truth():
    with pytest.raises(ValueError):
        pair_scores([1, 2], [1])
    with pytest.raises(ValueError):
        pair_scores([1, None], [1, 1])


def test_empty():
    s = pair_scores([], [])
    assert s.records == 0 and s.f1 == 1.0


def test_large_counts_do_not_overflow():
    import numpy as np

    true = np.zeros(200_000, dtype=np.int64)
    s = pair_scores(true, true)
    assert s.true_pairs == 200_000 * 199_999 // 2 == s.true_positives


def test_clusters_from_pairs_connected_components():
    labels = clusters_from_pairs(["a", "b", "c", "d", "e"], ["a", "b"], ["b", "c"])
    assert labels[0] == labels[1] == labels[2]
    assert len({labels[0], labels[3], labels[4]}) == 3
