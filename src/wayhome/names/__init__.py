"""Matching people's names across scripts and romanisation traditions.

Pure functions only: no I/O, no database, no other ``wayhome`` imports.
See ``docs/guide/names.md`` for what is and is not covered.

>>> matching_keys("Мамедов") & matching_keys("Məmmədov")
frozenset({'mamedov'})
>>> phonetic_key("Mohammed") == phonetic_key("محمد")
True
>>> normalise_surname("Aliyeva") == normalise_surname("Алиев")
True
"""

from __future__ import annotations

from .keys import matching_key, matching_keys
from .patronymic import FullName, Patronymic, parse_patronymic, split_full_name
from .phonetic import phonetic_key, phonetic_keys
from .script import azerbaijani_signs, detect_script, is_azerbaijani_latin
from .similarity import jaro_winkler, name_similarity
from .surname import SurnameForm, analyse_surname, normalise_surname
from .translit import fold

__all__ = [
    "FullName",
    "Patronymic",
    "SurnameForm",
    "analyse_surname",
    "detect_script",
    "fold",
    "azerbaijani_signs",
    "is_azerbaijani_latin",
    "jaro_winkler",
    "matching_key",
    "matching_keys",
    "name_similarity",
    "normalise_surname",
    "parse_patronymic",
    "phonetic_key",
    "phonetic_keys",
    "split_full_name",
]
