"""Romanise names into lowercase ASCII *readings*, one per plausible tradition.

A reading is a lowercase, mostly-ASCII spelling that may still contain spaces,
hyphens and apostrophes; :func:`wayhome.names.keys.normalise_key` turns it into
a matching key.  The first reading is the primary one.

Which engine handles what:

* **ICU** (PyICU) — Cyrillic through ``Russian-Latin/BGN`` and
  ``Ukrainian-Latin/BGN`` (both readings are produced, because the same
  Cyrillic name is routinely romanised either way), Georgian through
  ``Georgian-Latin/BGN``, any other script through ``Any-Latin``, and
  ``Latin-ASCII`` for diacritic folding.
* **Own tables**, because ICU is wrong or silent for them:

  - Azerbaijani Latin: ICU has no rule for ``ə`` and knows nothing of the
    Russian tradition; we produce the official passport romanisation
    (``Məmmədov`` → ``mammadov``), the "typed without an Azerbaijani keyboard"
    spelling (``memmedov``) and Russian-tradition spellings (``ə`` → a/e,
    ``h`` → g/kh, ``q`` → g/k, ``c`` → dzh, ``ı`` → y, ``gə/gü/gö`` →
    gya/gyu/gyo: ``mamedov``, ``gasan``, ``gyunay``); at most 16 of the
    Russian-tradition combinations are kept.
  - Azerbaijani Cyrillic (1958–1991: ә һ ҹ ғ ү ө ҝ ј) is mapped letter by
    letter to Azerbaijani Latin first.
  - Armenian (Eastern, national style: ``Հակոբյան`` → ``hakobyan``): ICU's
    ``Armenian-Latin/BGN`` turns ``ո`` after a consonant into ``vo``
    (``Ցոլակ`` → ``ts'volak``).
  - Arabic script: ICU leaves ``ي``/``ا`` untouched and cannot supply the
    unwritten short vowels; known names come from the lexicon, others get a
    crude consonantal reading (see :func:`_arabic_word`).
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from functools import lru_cache

import icu

from .lexicon import arabic_script_lookup
from .script import (
    ARABIC,
    ARMENIAN,
    COMMON,
    CYRILLIC,
    GEORGIAN,
    LATIN,
    azerbaijani_signs,
    char_script,
    detect_script,
    unify_lookalikes,
)

_local = threading.local()


def _icu(transform_id: str) -> icu.Transliterator:
    """Return a per-thread cached ICU transliterator (instances are not shared across threads)."""
    cache: dict[str, icu.Transliterator] | None = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    if transform_id not in cache:
        cache[transform_id] = icu.Transliterator.createInstance(transform_id)
    return cache[transform_id]


def _icu_apply(transform_id: str, text: str) -> str:
    return str(_icu(transform_id).transliterate(text))


# --------------------------------------------------------------------- fold

_FOLD_FIRST = str.maketrans({"ə": "a", "Ə": "a", "ı": "i", "İ": "i", "ё": "е", "Ё": "Е"})


def fold(text: str) -> str:
    """Casefold, strip diacritics and map Latin letters to ASCII, keeping other scripts."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_FIRST).casefold()
    text = _icu_apply("[:Latin:] Latin-ASCII", text)
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn":
            # Cyrillic marks are letter identity (й, ї, ў); elsewhere they are accents/harakat.
            if out and char_script(out[-1]) == CYRILLIC:
                out.append(ch)
        elif ch != "\u0640":  # Arabic tatweel
            out.append(ch)
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


# -------------------------------------------------------------- Azerbaijani

_AZ_LOWER = str.maketrans({"İ": "i", "I": "i"})
_AZ_NATIONAL = {
    "ə": "a", "c": "j", "ç": "ch", "ğ": "gh", "ı": "i", "j": "zh",
    "ö": "o", "q": "g", "ş": "sh", "ü": "u", "x": "kh",
}  # fmt: skip
_AZ_TYPED = {"ə": "e", "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u"}
_AZ_RUSSIAN: dict[str, tuple[str, ...]] = {
    "ə": ("a", "e"), "c": ("dzh",), "ç": ("ch",), "ğ": ("g",), "h": ("g", "kh"),
    "ı": ("y",), "j": ("zh",), "ö": ("o",), "q": ("g", "k"), "ş": ("sh",),
    "ü": ("u",), "x": ("kh",),
}  # fmt: skip
# After the palatal g/k, Russian writes ə, ü, ö as я, ю, ё (Gəncə → Гянджа, Günay → Гюнай).
_AZ_RUSSIAN_PALATAL = {"ə": ("ya", "e"), "ü": ("yu", "u"), "ö": ("yo", "o")}
_MAX_RUSSIAN_VARIANTS = 16


def azerbaijani_readings(text: str) -> tuple[str, ...]:
    """Return national, keyboard-typed and Russian-tradition readings of Azerbaijani Latin."""
    low = unicodedata.normalize("NFC", text.translate(_AZ_LOWER).lower())
    national = "".join(_AZ_NATIONAL.get(ch, ch) for ch in low)
    typed = "".join(_AZ_TYPED.get(ch, ch) for ch in low)
    options = [
        _AZ_RUSSIAN_PALATAL[ch]
        if ch in _AZ_RUSSIAN_PALATAL and low[i - 1 : i] in ("g", "k")
        else _AZ_RUSSIAN.get(ch, (ch,))
        for i, ch in enumerate(low)
    ]
    russian = ("".join(p) for p in itertools.product(*options))
    found = [national, typed, *itertools.islice(russian, _MAX_RUSSIAN_VARIANTS)]
    return tuple(dict.fromkeys(fold(r) for r in found))


# ----------------------------------------------------------------- Cyrillic

_AZ_CYRILLIC_MARKERS = frozenset("әӘһҺҹҸғҒүҮөӨҝҜјЈ")
_KAZAKH_MARKERS = frozenset("қҚңҢұҰ")
_AZ_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "q", "д": "d", "е": "e", "ж": "j", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ч": "ç", "ш": "ş",
        "ы": "ı", "э": "e", "ю": "yu", "я": "ya", "ц": "ts", "щ": "şç", "ъ": "", "ь": "",
        "ё": "yo", "ә": "ə", "һ": "h", "ҹ": "c", "ғ": "ğ", "ү": "ü", "ө": "ö", "ҝ": "g",
        "ј": "y",
    }
)  # fmt: skip
_UKRAINIAN_MARKERS = frozenset("іїєґІЇЄҐ")
#: Ukrainian ``ій`` before a consonant is Russian ``ей`` in the same surname (Олійник = Олейник,
#: Кійко = Кейко): the one Ukrainian/Russian spelling pair here that no reading joins.
_UK_IJ = re.compile("ій(?=[бвгґджзклмнпрстфхцчшщ])")
_RUSSIAN_BGN = "Russian-Latin/BGN; Any-Latin; Latin-ASCII"


def cyrillic_readings(text: str) -> tuple[str, ...]:
    """Return Russian and Ukrainian BGN/PCGN readings (Azerbaijani Cyrillic goes via Latin)."""
    letters = set(text)
    if letters & _AZ_CYRILLIC_MARKERS and not letters & _KAZAKH_MARKERS:
        return azerbaijani_readings(text.lower().translate(_AZ_CYRILLIC_TO_LATIN))
    ru = _icu_apply(_RUSSIAN_BGN, text).lower()
    uk = _icu_apply("Ukrainian-Latin/BGN; Any-Latin; Latin-ASCII", text).lower()
    if not letters & _UKRAINIAN_MARKERS:
        return tuple(dict.fromkeys((ru, uk)))
    russian, changed = _UK_IJ.subn("ей", text.lower())  # Олійник: Олейник in Russian
    also = (_icu_apply(_RUSSIAN_BGN, russian).lower(),) if changed else ()
    return tuple(dict.fromkeys((uk, ru, *also)))


# ----------------------------------------------------------------- Armenian

_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}  # fmt: skip


def _armenian_word(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch == "ո" and word[i + 1 : i + 2] == "ւ":
            out.append("u")
            i += 2
            continue
        latin = _ARMENIAN.get(ch, ch)
        if i == 0 and ch in "եոև":  # word-initial ե/ո/և are pronounced ye/vo/yev
            latin = {"ե": "ye", "ո": "vo", "և": "yev"}[ch]
        out.append(latin)
        i += 1
    return "".join(out)


def armenian_reading(text: str) -> str:
    """Return the national-style (Eastern Armenian) romanisation of Armenian script."""
    return re.sub(r"[\u0531-\u0587]+", lambda m: _armenian_word(m.group(0)), text.lower())


# ------------------------------------------------------------------- Arabic

_AR_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_AR_SKELETON = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
     "ی": "ي", "ک": "ك", "ہ": "ه", "ۀ": "ه"}
)  # fmt: skip
_AR_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ء": "", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ڤ": "v",
}  # fmt: skip


def arabic_skeleton(word: str) -> str:
    """Return an Arabic-script word without harakat and with hamza/alif/ta-marbuta unified."""
    return _AR_MARKS.sub("", unicodedata.normalize("NFC", word)).translate(_AR_SKELETON)


def _arabic_word(word: str) -> str:
    """Romanise one unknown Arabic word: consonants, long vowels, and guessed short vowels."""
    initial_i = word[:1] == "إ"
    skel = arabic_skeleton(word)
    units: list[tuple[str, bool]] = []  # (latin, is_vowel)
    for i, ch in enumerate(skel):
        nxt = skel[i + 1 : i + 2]
        if ch == "ا":
            units.append(("i" if i == 0 and initial_i else "a", True))
        elif ch in "وي":
            glide = i == 0 or nxt in ("ا", "و", "ي")
            if ch == "و":
                units.append(("w", False) if glide else ("u", True))
            else:
                units.append(("y", False) if glide else ("i", True))
        elif ch == "ه" and i == len(skel) - 1 and units and not units[-1][1]:
            units.append(("a", True))  # final ta marbuta
        elif ch in _AR_CONSONANTS:
            if _AR_CONSONANTS[ch]:
                units.append((_AR_CONSONANTS[ch], False))
        else:
            units.append((ch, False))
    # Short vowels are not written: guess "a" after the first consonant and
    # between the last two consonants when they touch (حسن → hasan, منصور → mansur).
    consonant_pairs = [i for i in range(len(units) - 1) if not units[i][1] and not units[i + 1][1]]
    inserts = {consonant_pairs[0]} if consonant_pairs and consonant_pairs[0] == 0 else set()
    if consonant_pairs and consonant_pairs[-1] == len(units) - 2:
        inserts.add(consonant_pairs[-1])
    return "".join(u[0] + ("a" if i in inserts else "") for i, u in enumerate(units))


def arabic_reading(text: str) -> str:
    """Return a Latin reading of Arabic-script text, using the name lexicon where possible."""
    words: list[str] = []
    for word in text.split():
        skel = arabic_skeleton(word)
        known = arabic_script_lookup(skel)
        if known is None and skel.startswith("ال") and len(skel) > 3:
            rest = arabic_script_lookup(skel[2:])
            words.append("al-" + (rest if rest is not None else _arabic_word(word[2:])))
        else:
            words.append(known if known is not None else _arabic_word(word))
    return " ".join(words)


# -------------------------------------------------------------- dispatching


#: A Latin token with one sign of Azerbaijani and nothing else (one of ç ş ö ü, a q not before
#: u, an x before a vowel: Elçin, Şahin, Vaqif, Orxan, Günel) also gets the Azerbaijani
#: readings (elchin = Эльчин, vagif = Вагиф, orkhan = Орхан, gyunel = Гюнель), after the
#: folded one (François stays ``francois`` first, Tariq keeps ``tariq``). ç and ş read ch
#: and sh in every Latin alphabet of this domain (Turkish, Turkmen, Kurdish; ç in Albanian,
#: ş in Romanian); a q is Azerbaijani or an Arabic ق (Qasim = Касим).


def _script_readings(script: str, text: str) -> tuple[str, ...]:
    if script == LATIN:
        signs = azerbaijani_signs(text)
        if signs >= 2:
            return azerbaijani_readings(text)
        if signs:  # one sign is too little to call it Azerbaijani: its readings come second
            return tuple(dict.fromkeys((fold(text), *azerbaijani_readings(text))))
        return (fold(text),)
    if script == CYRILLIC:
        return cyrillic_readings(text)
    if script == ARMENIAN:
        return (armenian_reading(text),)
    if script == GEORGIAN:
        return (_icu_apply("Georgian-Latin/BGN; Latin-ASCII", text.casefold()).lower(),)
    if script == ARABIC:
        return (arabic_reading(text),)
    return (_icu_apply("Any-Latin; Latin-ASCII", text).lower(),)


def _runs(word: str) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for ch in word:
        script = char_script(ch) or (runs[-1][0] if runs else COMMON)
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + ch)
        else:
            runs.append((script, ch))
    return runs


def _mixed_reading(text: str) -> str:
    words: list[str] = []
    for word in text.split():
        script = detect_script(word)
        if script == COMMON:  # mixed inside one word: romanise run by run
            words.append("".join(_script_readings(s, run)[0] for s, run in _runs(word)))
        else:
            words.append(_script_readings(script, word)[0])
    return " ".join(words)


@lru_cache(maxsize=8192)
def readings(text: str) -> tuple[str, ...]:
    """Return lowercase romanisations of a name, the primary reading first."""
    text = unify_lookalikes(unicodedata.normalize("NFC", text.strip()))
    script = detect_script(text)
    if script != COMMON:
        return _script_readings(script, text)
    return (_mixed_reading(text),)
