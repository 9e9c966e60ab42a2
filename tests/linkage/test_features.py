"""Per-record key arrays: the vectorised helpers against the rules written plainly."""

from __future__ import annotations

import numpy as np
import pytest

from wayhome.linkage.features import _mode_rows, _preferred_first, _tf_share


def _ragged_keys(seed: int, records: int, keys: int) -> tuple[np.ndarray, np.ndarray]:
    """(rid, key) rows sorted by rid, keys unsorted within a record, as prepare makes them."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 6, records)
    rid = np.repeat(np.arange(records), lengths)
    return rid, rng.integers(0, keys, len(rid))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("keys", [3, 1000, 2**40])  # 2**40: too wide to pack, sorted otherwise
def test_the_preferred_key_comes_first_then_the_others_by_id(seed, keys):
    rid, key = _ragged_keys(seed, 300, keys)
    preferred = np.random.default_rng(seed + 10).integers(0, min(keys, 5), 300)
    later = key != preferred[rid]
    got_rid, got_key = _preferred_first(rid, key, later)
    expected = sorted(zip(rid.tolist(), later.tolist(), key.tolist(), strict=True))
    assert got_rid.tolist() == [r for r, _, _ in expected]
    assert got_key.tolist() == [k for _, _, k in expected]


def test_rows_not_sorted_by_record_are_sorted_too():
    rid, key = np.array([2, 0, 1, 0]), np.array([5, 9, 4, 1])
    got_rid, got_key = _preferred_first(rid, key, np.array([True, True, True, False]))
    assert got_rid.tolist() == [0, 0, 1, 2]
    assert got_key.tolist() == [1, 9, 4, 5]


@pytest.mark.parametrize("shuffle", [False, True])
def test_the_term_frequency_share_is_that_of_the_records_most_common_key(shuffle):
    rid, key = _ragged_keys(7, 200, 50)
    if shuffle:
        order = np.random.default_rng(1).permutation(len(rid))
        rid, key = rid[order], key[order]
    counts = np.arange(50, 0, -1)  # key id 0 is the most common
    share = _tf_share(rid, key, counts, 200, 1000)
    for r in range(200):
        mine = key[rid == r]
        if len(mine) == 0:
            assert share[r].as_py() is None
        else:
            assert share[r].as_py() == counts[mine.min()] / 1000


@pytest.mark.parametrize("seed", range(5))
def test_the_commonest_value_per_group_matches_counting_by_hand(seed):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 40, 400)
    values = rng.integers(-3, 6, 400)
    valid = rng.random(400) < 0.8
    rows = _mode_rows(group, values, valid, 45)
    for g in range(45):
        here = np.flatnonzero((group == g) & valid)
        if len(here) == 0:
            assert rows[g] == -1
            continue
        found, counts = np.unique(values[here], return_counts=True)
        best = found[np.argmax(counts)]  # the first of the largest: the smallest value
        assert values[rows[g]] == best
        assert rows[g] == here[values[here] == best][0]  # and its first row
