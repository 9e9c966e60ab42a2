"""Spelling variants between national, Russian-tradition and Western romanisations.

Every function takes a lowercase ASCII reading of letters only and returns
plausible spellings the same name takes in another tradition.  They are
deliberately *generative* (one name → a handful of spellings) so that two
records meet on at least one shared key; they never decide that two names
are equal by themselves.

Armenian (applied to Armenian script and to Latin/Cyrillic words ending in
-yan/-ian/-jan/-ean/-yants):

* Russian tradition (Soviet documents): initial ``Հ`` dropped
  (Hakobyan → Akopyan, Harutyunyan → Arutyunyan), initial ``h`` before a
  consonant → ``g`` (Hrant → Grant), ``vh`` → ``v``/``g``
  (Hovhannisyan → Ovannisyan/Ogannisyan), other ``h`` → ``g`` or dropped
  (Ohanyan → Oganyan, Sahakyan → Saakyan), ``gh`` → ``g`` (initially also
  ``k``: Ghazaryan → Gazaryan/Kazaryan), initial ``vo`` → ``o``, and optional
  devoicing of ``b g d dz`` after a vowel or ``r`` before a vowel or the end
  (Hakob → Akop, Gevorg → Gevork, Hambardzumyan → Ambartsumyan).
* Western Armenian: voicing swapped ``b↔p g↔k d↔t`` (Hakobyan → Hagopyan,
  Petrosyan → Bedrosyan, Gevorgyan → Kevorkyan).
* Syncopated stems restored (Sargsyan → Sargisyan → Sarkisyan/Sarkissian).

Georgian (Georgian script, or words ending in -shvili/-dze): the Russian
tradition writes ``ყ q'`` as ``к`` and ``ღ gh`` as ``г`` (Qipiani → Kipiani,
Ghlonti → Glonti).

Arabic: a leading definite article with a separator (``al-``, ``el ``,
``as-Sayyid``, ``ash-Shami``) can be dropped.
"""

from __future__ import annotations

import itertools
import re

from .lexicon import ARMENIAN_SYNCOPE

_ARMENIAN_SUFFIX = re.compile(r"^([a-z]{3,}?)(yan|ian|jan|ean|yants|iants|yanz|ianz)$")
_GEORGIAN_SUFFIX = re.compile(r"[a-z]{2,}(?:shvili|chvili|schvili|schwili|dze|dse)$")


def looks_armenian(word: str) -> bool:
    """Tell whether a Latin reading ends in an Armenian surname suffix (-yan, -ian, ...)."""
    return _ARMENIAN_SUFFIX.match(word) is not None


def looks_georgian(word: str) -> bool:
    """Tell whether a Latin reading ends in a Georgian surname suffix (-shvili, -dze)."""
    return _GEORGIAN_SUFFIX.match(word) is not None


def _restore_syncope(word: str) -> set[str]:
    m = _ARMENIAN_SUFFIX.match(word)
    if not m:
        return set()
    stem, suffix = m.groups()
    return {full + suffix for full in ARMENIAN_SYNCOPE.get(stem, ())}


_WESTERN_SWAP = {"b": "p", "p": "b", "g": "k", "k": "g", "d": "t", "t": "d"}
_DIGRAPHS = ("kh", "gh", "dz", "zh", "sh", "ch", "ts", "th")


def _western(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        if word[i : i + 2] in _DIGRAPHS:
            out.append(word[i : i + 2])
            i += 2
        else:
            out.append(_WESTERN_SWAP.get(word[i], word[i]))
            i += 1
    return "".join(out)


_VOWELS = "aeiou"
_MEDIAL_H = re.compile(r"(?<=[a-z])(?<![kgszct])h")
_DEVOICE = re.compile(r"(?<=[aeiour])(dz|b|g(?!h)|d)(?=[aeiouy]|$)")
_DEVOICED = {"b": "p", "g": "k", "d": "t", "dz": "ts"}


def _russian_armenian(word: str) -> set[str]:
    out: set[str] = set()
    for medial_h, initial_gh, devoice in itertools.product(("g", ""), ("g", "k"), (False, True)):
        w = re.sub(r"^h(?=[aeiou])", "", word)
        w = re.sub(r"^h", "g", w)
        w = w.replace("vh", "v" if medial_h == "" else "g")
        w = _MEDIAL_H.sub(medial_h, w)
        if devoice:
            w = _DEVOICE.sub(lambda m: _DEVOICED[m.group(1)], w)
        w = re.sub(r"^gh", initial_gh, w).replace("gh", "g")
        w = re.sub(r"^vo", "o", w)
        out.add(w)
    return out


def armenian_variants(word: str) -> frozenset[str]:
    """Return Russian-tradition and Western Armenian spellings of an Armenian name reading."""
    bases = {word} | _restore_syncope(word)
    out = set(bases)
    for base in bases:
        out.add(_western(base))
        out |= _russian_armenian(base)
    return frozenset(out)


def georgian_variants(word: str) -> frozenset[str]:
    """Return the Russian-tradition spelling of a Georgian name reading (q → k, gh → g)."""
    return frozenset({word, word.replace("gh", "g").replace("q", "k")})


#: The article ends at a hyphen or a space (an apostrophe may stand before it — a soft sign,
#: Аль-Хасан → ``al'-khasan`` — or after it: al-'Ali). An apostrophe alone is not an article's
#: end: it is the soft sign of Эльчин/Ильхам/Альберт/Ульяна (``el'chin``, ``il'kham``).
_ARTICLE = re.compile(r"^(?:[aeui]l|[aeu](sh|th|dh|[tdrzsn]))['’ʼ]?[-\s]+['’‘ʼ]*(?=[a-z])")


def strip_article(reading: str) -> str | None:
    """Return ``reading`` without a leading Arabic article (al-, el-, as-S…, ash-Sh…), or None."""
    m = _ARTICLE.match(reading)
    if m is None:
        return None
    rest = reading[m.end() :]
    assimilated = m.group(1)
    if assimilated and not rest.startswith(assimilated):
        return None
    return rest
