"""Per-token name features via :mod:`wayhome.names`, computed once per distinct spelling.

A token is one family name, given name, patronymic or birth place as written. The functions
here return its keys (strings; ``features.py`` turns them into integer ids), its canonical key
and, for surnames and patronymics, a sex hint. They are pure and run in worker processes when
there are many tokens.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from wayhome.names import (
    analyse_surname,
    detect_script,
    fold,
    matching_key,
    matching_keys,
    parse_patronymic,
)
from wayhome.names.phonetic import phonetic_code

PARALLEL_MIN_TOKENS = 4000

TokenFeatures = tuple[dict[str, tuple[str, ...]], str, str | None]


def letters(token: str) -> str:
    """Folded lower-case letters of a token (any script)."""
    return "".join(ch for ch in fold(token) if ch.isalpha())


def normalise_token(token: object) -> str:
    """One spelling per token for the key computation: trimmed, single spaces, lower case
    (except with Turkic dotted/dotless capitals, where lower() would change the letter)."""
    text = " ".join(str(token).split()) if token is not None else ""
    return text if ("İ" in text or "I" in text and not text.isascii()) else text.lower()


def _phonetic(keys: frozenset[str] | set[str]) -> tuple[str, ...]:
    """Phonetic codes of matching keys (what ``phonetic_keys`` gives, without re-reading)."""
    return tuple(sorted({code for key in keys if (code := phonetic_code(key))}))


def half_keys(key: str) -> tuple[str, ...]:
    """Prefixes and suffixes of about half a key (keys of 4+ letters), marked as such: one
    typo (a changed, missing, extra or swapped letter) leaves one of them intact.

    Lengths ``(L-1)//2`` and ``L//2`` (at least 2): with ``k <= L/2`` every edit position
    leaves the prefix or the suffix of length ``k`` unchanged, ``(L-1)//2`` covers swapped
    letters, and a key one letter longer (an inserted letter) shares ``L//2``:
    ``torosian``/``tsorosian`` share ``>sian``, ``mamedov``/``mamedof`` share ``mam<``.
    """
    if len(key) < 4:
        return (key,) if key else ()
    lengths = sorted({max(2, (len(key) - 1) // 2), max(2, len(key) // 2)})
    return tuple(key[:k] + "<" for k in lengths) + tuple(">" + key[-k:] for k in lengths)


def family_token(token: str) -> TokenFeatures:
    """Keys of a family name: matching, phonetic, surname stem; canonical key; sex hint."""
    keys = matching_keys(token)
    form = analyse_surname(token)
    canon = matching_key(token)
    features = {
        "fam_k": tuple(sorted(keys)),
        "fam_p": _phonetic(keys),
        "fam_s": (form.key,),
        "fam_d": half_keys(canon),
    }
    return features, canon, (form.sex.upper() if form.sex else None)


def given_token(token: str) -> TokenFeatures:
    """Keys of a given name."""
    keys, canon = matching_keys(token), matching_key(token)
    features = {
        "giv_k": tuple(sorted(keys)),
        "giv_p": _phonetic(keys),
        "giv_d": half_keys(canon),
    }
    return features, canon, None


def father_token(token: str) -> TokenFeatures:
    """Keys of the father's name read from a patronymic (Гасанович = Həsən oğlu = Hasan)."""
    parsed = parse_patronymic(token)
    if parsed is not None:
        keys = set(parsed.father_keys) | {parsed.father_key}
        father = parsed.father
        canon = parsed.father_key
        sex = parsed.sex.upper() if parsed.sex else None
    else:
        father = token
        if detect_script(token) == "Armn" and token.endswith("ի") and len(token) > 3:
            father = token[:-1]  # Eastern Armenian genitive: Սերգեյի = of Sergey
        keys, canon, sex = set(matching_keys(father)), matching_key(father), None
    return {"fat_k": tuple(sorted(keys)), "fat_p": _phonetic(keys)}, canon, sex


def place_token(token: str) -> TokenFeatures:
    """Keys of a birth place; codes (with digits) are compared as folded text."""
    if any(ch.isdigit() for ch in token):
        folded = "".join(fold(token).split())
        return {"plc_k": (folded,), "plc_p": ()}, folded, None
    keys = matching_keys(token)
    return {"plc_k": tuple(sorted(keys)), "plc_p": _phonetic(keys)}, matching_key(token), None


TOKEN_FUNCTIONS: dict[str, Callable[[str], TokenFeatures]] = {
    "family": family_token,
    "given": given_token,
    "father": father_token,
    "place": place_token,
}


def _compute_chunk(args: tuple[str, Sequence[str]]) -> list[TokenFeatures]:
    kind, tokens = args
    function = TOKEN_FUNCTIONS[kind]
    return [function(t) for t in tokens]


def compute_tokens(
    kind: str, tokens: Sequence[str], workers: int | None = None
) -> list[TokenFeatures]:
    """Token features for distinct tokens, in worker processes when there are many."""
    return compute_all({kind: tokens}, workers)[kind]


def compute_all(
    tokens: dict[str, Sequence[str]], workers: int | None = None
) -> dict[str, list[TokenFeatures]]:
    """Token features of every kind, in one pool of worker processes when there are many."""
    return dict(compute_each(tokens, workers))


def compute_each(
    tokens: dict[str, Sequence[str]], workers: int | None = None
) -> Iterator[tuple[str, list[TokenFeatures]]]:
    """Token features kind by kind, in the order of ``tokens``, each as soon as it is done.

    With many tokens all kinds go to one pool of worker processes at once, so the caller can
    work on one kind while the workers compute the next: the machine's cores are not left
    idle while it waits, nor while it works."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    total = sum(len(t) for t in tokens.values())
    if workers <= 1 or total < PARALLEL_MIN_TOKENS:
        for kind, values in tokens.items():
            yield kind, _compute_chunk((kind, values))
        return
    size = max(250, total // (workers * 8) + 1)
    chunks = {
        kind: [(kind, values[i : i + size]) for i in range(0, len(values), size)]
        for kind, values in tokens.items()
    }
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        try:
            done = pool.map(_compute_chunk, [c for parts in chunks.values() for c in parts])
            for kind, parts in chunks.items():
                yield kind, [features for _ in parts for features in next(done)]
        finally:  # a caller that stops early (an error) does not wait for the kinds left
            pool.shutdown(cancel_futures=True)
