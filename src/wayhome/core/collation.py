"""Sorting names as a reader of a language expects (ICU collation, via PyICU).

Python's ``sorted`` compares code points: ``Ё`` (U+0401) lands before ``А``, ``Ə`` (U+018F)
after ``Z``, and lower-case names after every capitalised one. ICU's collator for the interface
language puts ``Ə`` after ``E`` in Azerbaijani, ``Ё`` with ``Е`` in Russian, and ignores case and
accents at the first level, as a printed index would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu

T = TypeVar("T")

#: The sort key of a text: compare the keys of two texts to compare the texts.
SortKey = Callable[[str], bytes]


@lru_cache(maxsize=32)
def collator(lang: str) -> icu.Collator:
    """The ICU collator of a language (shared: comparing and sort keys are thread-safe)."""
    # ICU falls back to the root collation (the Unicode default order) for a language it has
    # no tailoring for, so any language tag gives a usable collator.
    return icu.Collator.createInstance(icu.Locale(lang))


def name_sort_key(lang: str) -> SortKey:
    """The sort key function of texts in the language ``lang`` (a BCP 47 tag such as ``ru``)."""
    if not lang or not isinstance(lang, str):
        raise ValueError(f"a language tag is needed to sort names, got {lang!r}")
    compare = collator(lang)

    def key(text: str) -> bytes:
        return bytes(compare.getSortKey(text or ""))

    return key


def sorted_by_name(items: Iterable[T], lang: str, name: Callable[[T], str]) -> list[T]:
    """Return ``items`` sorted by ``name(item)`` in the order of the language ``lang``."""
    key = name_sort_key(lang)
    return sorted(items, key=lambda item: key(name(item)))
