"""Pairwise precision, recall and F1 of a clustering against true clusters.

A *pair* is two records. The true pairs are all pairs of records with the same ``true_id``;
the predicted pairs are all pairs of records in the same predicted cluster. Instead of listing
pairs (a 1M-record run has millions of them), everything is counted from the contingency table
of (true cluster, predicted cluster): a cell of ``n`` records holds ``C(n, 2)`` pairs that are
both true and predicted.

    true pairs      = sum over true clusters       C(size, 2)
    predicted pairs = sum over predicted clusters  C(size, 2)
    true positives  = sum over (true, pred) cells  C(size, 2)

Records without a predicted cluster (``None``/NaN) are singletons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class PairScores:
    """Pairwise confusion counts and the scores derived from them."""

    records: int
    true_pairs: int
    predicted_pairs: int
    true_positives: int

    @property
    def false_positives(self) -> int:
        return self.predicted_pairs - self.true_positives

    @property
    def false_negatives(self) -> int:
        return self.true_pairs - self.true_positives

    @property
    def precision(self) -> float:
        # No predicted pair: nothing was wrongly merged.
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


def _codes(labels: Sequence[Any] | np.ndarray, *, missing_unique: bool) -> np.ndarray:
    """Factorise labels to dense int64 codes; missing labels become distinct codes."""
    import pandas as pd

    codes, _ = pd.factorize(pd.Series(labels, dtype=object), use_na_sentinel=True)
    codes = codes.astype(np.int64)
    missing = codes < 0
    if missing.any():
        if not missing_unique:
            raise ValueError("true labels must not be missing")
        start = codes.max() + 1 if (~missing).any() else 0
        codes[missing] = np.arange(start, start + missing.sum(), dtype=np.int64)
    return codes


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pair_scores(
    true_labels: Sequence[Any] | np.ndarray, predicted_labels: Sequence[Any] | np.ndarray
) -> PairScores:
    """Return pairwise counts and scores; ``true_labels[i]`` and ``predicted_labels[i]`` belong
    to record ``i``. Labels may be of any hashable type."""
    if len(true_labels) != len(predicted_labels):
        raise ValueError("label sequences differ in length")
    t = _codes(true_labels, missing_unique=False)
    p = _codes(predicted_labels, missing_unique=True)
    if len(t) == 0:
        return PairScores(0, 0, 0, 0)
    cell = t * (int(p.max()) + 1) + p
    _, cell_counts = np.unique(cell, return_counts=True)
    return PairScores(
        records=len(t),
        true_pairs=_pairs(np.bincount(t)),
        predicted_pairs=_pairs(np.bincount(p)),
        true_positives=_pairs(cell_counts),
    )


def clusters_from_pairs(
    ids: Sequence[Any], left: Sequence[Any], right: Sequence[Any]
) -> np.ndarray:
    """Connected components of the graph whose edges are ``(left[k], right[k])``: returns one
    integer cluster label per id, in the order of ``ids``."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    index = {v: i for i, v in enumerate(ids)}
    a = np.fromiter((index[v] for v in left), dtype=np.int64, count=len(left))
    b = np.fromiter((index[v] for v in right), dtype=np.int64, count=len(right))
    n = len(index)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels
