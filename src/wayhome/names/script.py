"""Writing-system detection for names, by Unicode ranges (ISO 15924 codes).

Only letters count (Unicode categories Lu, Ll, Lt, Lo); digits, punctuation,
combining marks and modifier letters (Lm: soft-sign primes, the Uzbek
``ʻ``, Arabic tatweel) are ignored.

``detect_script`` returns:

* ``Latn``, ``Cyrl``, ``Armn``, ``Geor``, ``Arab``, ``Grek`` or ``Hebr`` when
  all letters belong to that script, or when the only foreign letters are
  look-alikes of the dominant script (Latin ``a``/``o``/``M`` typed inside a
  Cyrillic word and vice versa — very common in hand-keyed registers);
* ``Zyyy`` ("common") when the text has no letters at all, or genuinely mixes
  scripts (``"MAMEDOV Мамедов"``);
* ``Zzzz`` ("unknown") when the letters belong to one script this module
  does not know (Han, Devanagari, ...).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from functools import lru_cache

LATIN = "Latn"
CYRILLIC = "Cyrl"
ARMENIAN = "Armn"
GEORGIAN = "Geor"
ARABIC = "Arab"
GREEK = "Grek"
HEBREW = "Hebr"
COMMON = "Zyyy"
UNKNOWN = "Zzzz"

_RANGES: tuple[tuple[int, int, str], ...] = tuple(
    sorted(
        (
            (0x0041, 0x005A, LATIN),
            (0x0061, 0x007A, LATIN),
            (0x00C0, 0x024F, LATIN),
            (0x0250, 0x02AF, LATIN),  # IPA extensions, includes ə (U+0259)
            (0x1E00, 0x1EFF, LATIN),
            (0x2C60, 0x2C7F, LATIN),
            (0xA720, 0xA7FF, LATIN),
            (0xFF21, 0xFF3A, LATIN),
            (0xFF41, 0xFF5A, LATIN),
            (0x0370, 0x03FF, GREEK),
            (0x1F00, 0x1FFF, GREEK),
            (0x0400, 0x052F, CYRILLIC),
            (0x1C80, 0x1C8F, CYRILLIC),
            (0x2DE0, 0x2DFF, CYRILLIC),
            (0xA640, 0xA69F, CYRILLIC),
            (0x0530, 0x058F, ARMENIAN),
            (0xFB13, 0xFB17, ARMENIAN),
            (0x0590, 0x05FF, HEBREW),
            (0xFB1D, 0xFB4F, HEBREW),
            (0x0600, 0x06FF, ARABIC),
            (0x0750, 0x077F, ARABIC),
            (0x0870, 0x08FF, ARABIC),
            (0xFB50, 0xFDFF, ARABIC),
            (0xFE70, 0xFEFF, ARABIC),
            (0x10A0, 0x10FF, GEORGIAN),
            (0x1C90, 0x1CBF, GEORGIAN),
            (0x2D00, 0x2D2F, GEORGIAN),
        )
    )
)
_STARTS = tuple(r[0] for r in _RANGES)
_LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lo"})

# Latin and Cyrillic letters that look the same in most fonts.
_LATIN_LOOKALIKES = "AaBCcEeHIiKMOoPpTXxy"
_CYRILLIC_LOOKALIKES = "АаВСсЕеНІіКМОоРрТХху"
_TO_CYRILLIC = str.maketrans(_LATIN_LOOKALIKES, _CYRILLIC_LOOKALIKES)
_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES, _LATIN_LOOKALIKES)
_LOOKALIKES = {LATIN: frozenset(_CYRILLIC_LOOKALIKES), CYRILLIC: frozenset(_LATIN_LOOKALIKES)}


@lru_cache(maxsize=16384)  # a few thousand distinct letters: a lookup instead of bisecting
def char_script(ch: str) -> str | None:
    """Return the ISO 15924 code of a single letter, or None if it is not a letter."""
    if unicodedata.category(ch) not in _LETTER_CATEGORIES:
        return None
    cp = ord(ch)
    i = bisect.bisect_right(_STARTS, cp) - 1
    if i >= 0 and cp <= _RANGES[i][1]:
        return _RANGES[i][2]
    return UNKNOWN


def _script_counts(text: str) -> Counter[str]:
    return Counter(s for ch in text if (s := char_script(ch)) is not None)


def _dominant(text: str, counts: Counter[str]) -> str:
    if not counts:
        return COMMON
    if len(counts) == 1:
        return next(iter(counts))
    major = counts.most_common(1)[0][0]
    allowed = _LOOKALIKES.get(major)
    if allowed is not None:
        intruders = (ch for ch in text if char_script(ch) not in (None, major))
        if all(ch in allowed for ch in intruders):
            return major
    return COMMON


@lru_cache(maxsize=65536)  # called for every word on every path through wayhome.names
def detect_script(text: str) -> str:
    """Return the ISO 15924 code of the script of ``text`` (``Zyyy`` if none or mixed)."""
    return _dominant(text, _script_counts(text))


def unify_lookalikes(text: str) -> str:
    """Replace Latin/Cyrillic look-alike letters inside each word by the word's own script."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        script = detect_script(word)
        if script == CYRILLIC:
            return word.translate(_TO_CYRILLIC)
        if script == LATIN:
            return word.translate(_TO_LATIN)
        return word

    return re.sub(r"[^\s\-]+", fix, text)


# Azerbaijani Latin evidence.  ə is (nearly) unique to Azerbaijani among the
# Latin orthographies met in this domain; ğ and dotless ı are Turkic-only.
_AZ_STRONG = frozenset("əƏğĞıİ")
_AZ_WEAK = frozenset("şŞçÇöÖüÜ")
_AZ_Q = re.compile(r"q(?!u[aeiouy])", re.IGNORECASE)  # English "qu" + vowel excluded
_AZ_X = re.compile(r"(?:^|(?<=[\s\-]))x(?=[aeiouəıöü])|(?<=[aeiouəıöü])x(?=[aeiouəıöü])", re.I)
_AZ_ENDING = re.compile(r"(?:ov|ova|yev|yeva|li|lı|lu|lü|zadə|zade)\b", re.IGNORECASE)


def azerbaijani_signs(text: str) -> int:
    """How many signs of Azerbaijani Latin ``text`` shows: 2 (at least) when it is
    (:func:`is_azerbaijani_latin`), 1 when it may be (one of ç ş ö ü, a ``q`` not before
    ``u``, an ``x`` before a vowel — Vaqif, Orxan, Günel, Elçin), else 0."""
    if detect_script(text) != LATIN:
        return 0
    if any(ch in _AZ_STRONG for ch in text):
        return 2
    score = len({ch.lower() for ch in text if ch in _AZ_WEAK})
    score += bool(_AZ_Q.search(text)) + bool(_AZ_X.search(text))
    if score and _AZ_ENDING.search(text):
        score += 1
    return score


def is_azerbaijani_latin(text: str) -> bool:
    """Guess whether ``text`` is Azerbaijani written in the Latin alphabet (heuristic)."""
    return azerbaijani_signs(text) >= 2
