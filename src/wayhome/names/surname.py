"""Surname forms: fold female and spelling variants of surname suffixes onto a common stem.

Works on matching keys (so any script is accepted) and recognises:

* Russian/Ukrainian/Azerbaijani female forms: ``-ova/-eva/-ina/-yna`` →
  ``-ov/-ev/-in/-yn`` (Ivanova → ivanov, Aliyeva → aliev, Мамедова → mamedov);
* adjectival ``-skaya/-ska/-skiy/-sky/-ski`` (and ``-tsk-``) → ``-ski``;
  other ``-aya`` → ``-oi`` (Tolstaya → tolstoi, as Tolstoy);
* Armenian ``-yan/-ian/-jan/-ean`` (already one spelling, ``-ian``, in keys)
  and the older genitive ``-yants/-iants`` → ``-ian``;
* Azerbaijani ``-zadə/-zade/-zada`` → ``-zade``;
* Georgian ``-shvili`` (schwili, chvili), ``-dze`` (dse), ``-ia`` (iya, ija)
  and ``-ava``/``-uri``/``-ani`` kept as the suffix, the rest as the stem
  (Georgian surnames do not inflect for sex).

Not covered: Czech/Slovak ``-ová`` (Nováková ↔ Novák), Lithuanian and Latvian
female forms, Polish ``-cka``/``-dzka`` beyond ``-ska``, Greek and Bulgarian
female forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .keys import matching_key

Sex = Literal["m", "f"]

# (pattern on the matching key, replacement, suffix family, sex hint)
_RULE_TABLE: tuple[tuple[str, str, str, Sex | None], ...] = (
    (r"sk(?:aya|aia|aja|a)$", "ski", "ski", "f"),
    (r"ski$", "ski", "ski", "m"),
    (r"(?<=[a-z]{3})a[iy]a$", "oi", "oi", "f"),
    (r"(?<=[a-z]{3})oi$", "oi", "oi", "m"),
    (r"(?<=[a-z]{2})(ov|ev)a$", r"\1", "ov", "f"),
    (r"(?<=[a-z]{2})(ov|ev)$", r"\1", "ov", "m"),
    (r"(?<=[a-z]{3})(in|yn)a$", r"\1", "in", "f"),
    (r"(?<=[a-z]{2})ian(?:ts)?$", "ian", "ian", None),
    (r"(?<=[a-z]{2})zad[ae]$", "zade", "zade", None),
    (r"(?<=[a-z]{2})shvili$", "shvili", "shvili", None),
    (r"(?<=[a-z]{2})dze$", "dze", "dze", None),
    (r"(?<=[a-z]{3})ija$", "ia", "ia", None),
    (r"(?<=[a-z]{3})ia$", "ia", "ia", None),
    (r"(?<=[a-z]{3})ava$", "ava", "ava", None),
)
_RULES = tuple((re.compile(p), r, family, sex) for p, r, family, sex in _RULE_TABLE)

#: Suffix families strong enough to tell a surname from a given name in a full name.
STRONG_SURNAME_FAMILIES = frozenset({"ski", "ov", "ian", "zade", "shvili", "dze"})


@dataclass(frozen=True, slots=True)
class SurnameForm:
    """A surname split into stem and suffix family, with a sex hint from its form."""

    key: str
    stem: str
    suffix: str | None
    sex: Sex | None


def analyse_surname(name: str) -> SurnameForm:
    """Return the normalised key, stem, suffix family and sex hint of a surname."""
    key = matching_key(name)
    for pattern, replacement, family, sex in _RULES:
        m = pattern.search(key)
        if m:
            normal = key[: m.start()] + m.expand(replacement)
            stem = key[: m.start()]
            return SurnameForm(key=normal, stem=stem, suffix=family, sex=sex)
    return SurnameForm(key=key, stem=key, suffix=None, sex=None)


def normalise_surname(name: str) -> str:
    """Return a surname's key with female and suffix-spelling variants folded (Aliyeva → aliev)."""
    return analyse_surname(name).key


def looks_like_surname(name: str) -> bool:
    """Tell whether a word carries a typical surname suffix (-ov, -ski, -yan, -shvili, ...)."""
    return analyse_surname(name).suffix in STRONG_SURNAME_FAMILIES
