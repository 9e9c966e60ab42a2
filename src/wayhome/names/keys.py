"""Matching keys: canonical ASCII spellings under which a name can be found.

A *matching key* is a lowercase ASCII string made from a reading
(:mod:`wayhome.names.translit`) by :func:`normalise_key`, which removes
spelling differences that never distinguish two names:

* everything but ``a``–``z`` is dropped (spaces, hyphens, apostrophes and
  the ejective/soft-sign marks of BGN/PCGN); doubled letters are single;
* digraph spellings are unified: ``dzh``/``dj`` → ``j``, ``tch``/``tsch`` →
  ``ch``, ``sch`` → ``sh``, ``ph`` → ``f``, ``ou`` → ``u``, ``w`` → ``v``,
  ``ck`` → ``k``, initial ``x`` before a vowel → ``kh`` (Azerbaijani x);
* the ICAO passport spellings of я/ю/є (``ia``/``iu``/``ie`` at the start) are
  read as ``ya``/``yu``/``ye``; initial ``ye`` → ``e`` (Yevgeniy/Evgeniy);
  ``y`` between a vowel and ``ev`` is dropped (Sergeyev/Sergeev);
* glides: consonant + ``y`` + vowel → ``i`` (Sargsyan/Sarkissian → -sian,
  Natalya/Natalia), ``iy`` + vowel → ``i`` (Aliyev/Aliev, Mariya/Maria), vowel
  + ``y`` not before a vowel → ``i`` (Sergey/Sergei, Huseyn/Hussein), a final
  ``iy``/``ij``/``y`` after a consonant → ``i`` (Yuriy/Yury/Yuri);
* surname-suffix spellings: ``-jan``/``-ean`` → ``-ian``; ``-yants``/``-ianz``
  → ``-iants``; German ``-dse`` → ``-dze``; French ``-chvili`` → ``-shvili``;
  final ``-of``/``-ef`` → ``-ov``/``-ev`` after a stem of 4+ letters
  (Mammadof, Smirnoff; Yusof and Josef are left alone);
* Arabic: a final ``h`` after a vowel is dropped after 4+ letters
  (Fatimah, Abdullah; Shah is left alone);
  ``Abd`` compounds share the form ``abdal…`` (Abdul Rahman, Abd al-Rahman,
  Abdurrahman, Abdel Rahman); ``…ad-Din`` compounds share ``…aldin``
  (Nureddin, Nur al-Din, Nuruddin).

:func:`matching_keys` then adds the keys of every reading, of the
tradition variants (:mod:`wayhome.names.traditions`) and the canonical key
of any lexicon group a key belongs to (:mod:`wayhome.names.lexicon`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from types import MappingProxyType

from .lexicon import spelling_groups
from .script import ARMENIAN, GEORGIAN, detect_script
from .traditions import (
    armenian_variants,
    georgian_variants,
    looks_armenian,
    looks_georgian,
    strip_article,
)
from .translit import readings

_REPLACEMENTS = (
    ("dzh", "j"),
    ("dj", "j"),
    ("tsch", "ch"),
    ("tch", "ch"),
    ("sch", "sh"),
    ("ph", "f"),
    ("ou", "u"),
    ("w", "v"),
    ("ck", "k"),
)


def _first(suffix: str) -> Callable[[re.Match[str]], str]:
    """The replacement ``\\1`` + ``suffix`` as a function: ``re`` parses a replacement
    string with a group reference again at every match."""
    return lambda match: match.group(1) + suffix


#: (pattern, replacement, guard): the guard is a cheap test that holds whenever the pattern can
#: match (``("start", x)``: the key starts with x, ``("end", x)``: ends with it, ``("in", x)``:
#: contains it; None: always try), so most rules are skipped without running the regex.
_RULES: tuple[
    tuple[
        re.Pattern[str],
        str | Callable[[re.Match[str]], str],
        tuple[str, str | tuple[str, ...]] | None,
    ],
    ...,
] = tuple(
    (re.compile(pattern), replacement, guard)
    for pattern, replacement, guard in (
        (r"^x(?=[aeiou])", "kh", ("start", "x")),
        (r"^i(?=[aeou][a-z]{2})", "y", ("start", "i")),
        (r"^(.{2,}?)[aeiou](?:dd|ld)in$", _first("aldin"), ("end", "din")),
        (r"(?<=[aeiou])y(?=ev)", "", ("in", "yev")),
        (r"(.)\1+", _first(""), None),
        (r"^abd[aeiou]?l?(?=[a-z]{2})", "abdal", ("start", "abd")),
        (r"(?<=[a-z]{3}[^aeiou])(?:jan|ean)$", "ian", ("end", ("jan", "ean"))),
        (
            r"(?:yants|ianz|yanz|ianc|yanc)$",
            "iants",
            ("end", ("yants", "ianz", "yanz", "ianc", "yanc")),
        ),
        (r"^ye", "e", ("start", "ye")),
        (r"dse$", "dze", ("end", "dse")),
        (r"(?<=[a-z]{2})chvili$", "shvili", ("end", "chvili")),
        (r"(?<=[^aeiouy])y(?=[aeiou])", "i", ("in", "y")),
        (r"iy(?=[aeiou])", "i", ("in", "iy")),
        (r"(?<=[aeiou])y(?![aeiou])", "i", ("in", "y")),
        (r"(?:iy|ij)$", "i", ("end", ("iy", "ij"))),
        (r"(?<=[^aeiou])y$", "i", ("end", "y")),
        (r"(?<=[a-z]{3}[^aeiou])([oe])f$", _first("v"), ("end", ("of", "ef"))),
        (r"(?<=[a-z]{3}[aeiou])h$", "", ("end", "h")),
        (r"(.)\1+", _first(""), None),
    )
)


def _may_match(s: str, guard: tuple[str, str | tuple[str, ...]] | None) -> bool:
    if guard is None:
        return True
    how, text = guard
    if how == "start":
        return s.startswith(text)
    if how == "end":
        return s.endswith(text)
    return text in s  # type: ignore[operator]


@lru_cache(maxsize=65536)  # readings repeat across spellings; the rules are the hot path
def normalise_key(reading: str) -> str:
    """Turn a lowercase romanised reading into a matching key (see the module docstring)."""
    s = re.sub(r"[^a-z]", "", reading.lower())
    for _ in range(4):  # rules can feed each other (xxa → xa → kha): run to a fixed point
        previous = s
        for old, new in _REPLACEMENTS:
            s = s.replace(old, new)
        for pattern, replacement, guard in _RULES:
            if _may_match(s, guard):
                s = pattern.sub(replacement, s)
        if s == previous:
            break
    return s


_LEXICON: MappingProxyType[str, str] = MappingProxyType(
    {
        normalise_key(spelling): normalise_key(group[0])
        for group in spelling_groups()
        for spelling in group
    }
)


def lexicon_key(key: str) -> str | None:
    """Return the canonical key of the lexicon group ``key`` belongs to, if any."""
    if key in _LEXICON:
        return _LEXICON[key]
    if key.startswith("abdal") and key[5:] in _LEXICON:  # Абдурахман: the part after Abd
        return "abdal" + _LEXICON[key[5:]]
    return None


def _variant_readings(name: str) -> list[str]:
    script = detect_script(name)
    found: list[str] = []
    for reading in readings(name):
        stripped = strip_article(reading)
        for r in (reading, stripped) if stripped else (reading,):
            letters = re.sub(r"[^a-z]", "", r)
            found.append(letters)
            if script == ARMENIAN or looks_armenian(letters):
                found.extend(sorted(armenian_variants(letters)))
            if script == GEORGIAN or looks_georgian(letters):
                found.extend(sorted(georgian_variants(letters)))
    return found


@lru_cache(maxsize=8192)
def matching_key(name: str) -> str:
    """Return the single canonical matching key of a name token (lexicon canonical if known)."""
    primary = readings(name)[0] if name.strip() else ""
    key = normalise_key(strip_article(primary) or primary)
    return lexicon_key(key) or key


@lru_cache(maxsize=8192)
def matching_keys(name: str) -> frozenset[str]:
    """Return every key a name token may match under: its canonical key plus variants.

    Words of a multi-word input are joined (``"Abd al-Rahman"`` is one name);
    split full names with :func:`wayhome.names.split_full_name` first.
    """
    if not name.strip():
        return frozenset()
    keys = {normalise_key(r) for r in _variant_readings(name)}
    keys |= {canonical for k in keys if (canonical := lexicon_key(k))}
    keys.add(matching_key(name))
    keys.discard("")
    return frozenset(keys)
