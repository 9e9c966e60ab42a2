"""Similarity of two name tokens across scripts and romanisations, in [0, 1]."""

from __future__ import annotations

from .keys import matching_keys
from .phonetic import phonetic_keys

#: Score given to names that share a phonetic key but no matching key.
PHONETIC_FLOOR = 0.9


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Return the Jaro–Winkler similarity of two strings (1.0 = identical)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_matched = [False] * len(a)
    b_matched = [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_matched[j] and b[j] == ch:
                a_matched[i] = b_matched[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    a_seq = [ch for ch, m in zip(a, a_matched, strict=True) if m]
    b_seq = [ch for ch, m in zip(b, b_matched, strict=True) if m]
    transpositions = sum(x != y for x, y in zip(a_seq, b_seq, strict=True)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


def name_similarity(a: str, b: str) -> float:
    """Return how alike two name tokens are: 1.0 shared key, ≥0.9 same sound, else Jaro–Winkler."""
    keys_a, keys_b = matching_keys(a), matching_keys(b)
    if not keys_a or not keys_b:
        return 0.0
    if keys_a & keys_b:
        return 1.0
    best = max(jaro_winkler(x, y) for x in keys_a for y in keys_b)
    if phonetic_keys(a) & phonetic_keys(b):
        best = max(best, PHONETIC_FLOOR)
    return min(best, 0.99)
