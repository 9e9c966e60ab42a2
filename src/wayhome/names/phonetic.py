"""A coarse phonetic key tuned for Caucasian, Slavic and Arabic names in Latin spelling.

The key is a string of consonant classes with a single ``A`` standing for
each run of vowels.  Classes merge the sounds that romanisations of these
languages confuse:

====  ==========================================  ============================
 key  letters                                     why
====  ==========================================  ============================
 A    a e i o u y (one per run)                   vowels vary freely (ə → a/e,
                                                  о/а in Oleksandr/Aleksandr)
 Y    a run of 2+ vowels ending in i/y            diphthongs: Husayn/Hussein
                                                  stay apart from Hasan
 K    k g q kh gh h x, c not before e/i/y         Azerbaijani q/h → г/к/х,
                                                  Ukrainian г = h, ղ = gh/г/к
 C    ch j dzh                                    ç/c/ч/ჯ/ջ/ճ spelled ch/j/dzh
 X    sh zh                                       ş/ш/შ and ж/ჟ
 Z    ts tz dz                                    ц/ც/წ/ծ/ձ/ძ (Beridze/Беридзе)
 S    s z, c before e/i/y                         voicing varies
 P    b p                                         Western Armenian swaps voicing
 T    d t th                                      (Hagopian, Bedrossian) and
 F    f v w                                       Russian devoices (-of/-ov)
 L M N R                                          themselves
====  ==========================================  ============================

Runs of the same class collapse (``mm``, ``kh`` + ``k``).  Vowel *positions*
are kept on purpose: a pure consonant skeleton would equate Muhammad and
Mahmud (M-H-M-D) or Ahmad and Hamid (H-M-D), which are different names.
The price is that a vowel inserted by one tradition and not another
(Sargsyan/Sarkisyan) changes the key; :func:`phonetic_keys` covers that by
keying every matching-key variant.
"""

from __future__ import annotations

from functools import lru_cache

from .keys import matching_key, matching_keys

_DIGRAPHS = {
    "kh": "K",
    "gh": "K",
    "ch": "C",
    "sh": "X",
    "zh": "X",
    "ts": "Z",
    "tz": "Z",
    "dz": "Z",
    "th": "T",
}
_SINGLE = {
    **dict.fromkeys("bp", "P"),
    **dict.fromkeys("dt", "T"),
    **dict.fromkeys("fvw", "F"),
    **dict.fromkeys("gkqhx", "K"),
    **dict.fromkeys("sz", "S"),
    "j": "C",
    "l": "L",
    "m": "M",
    "n": "N",
    "r": "R",
}


_VOWELS = frozenset("aeiouy")


def phonetic_code(key: str) -> str:
    """Return the phonetic class string of a lowercase ASCII matching key."""
    out: list[str] = []
    i = 0
    while i < len(key):
        pair = key[i : i + 2]
        if key[i] in _VOWELS:
            end = i
            while end < len(key) and key[end] in _VOWELS:
                end += 1
            code = "Y" if end - i >= 2 and key[end - 1] in "iy" else "A"
            i = end
        elif pair in _DIGRAPHS:
            code = _DIGRAPHS[pair]
            i += 2
        else:
            ch = key[i]
            if ch == "c":
                code = "S" if key[i + 1 : i + 2] in ("e", "i", "y") else "K"
            else:
                code = _SINGLE.get(ch, "")
            i += 1
        if code and (not out or out[-1] != code):
            out.append(code)
    return "".join(out)


@lru_cache(maxsize=8192)
def phonetic_key(name: str) -> str:
    """Return the phonetic key of a name token's canonical matching key."""
    return phonetic_code(matching_key(name))


@lru_cache(maxsize=8192)
def phonetic_keys(name: str) -> frozenset[str]:
    """Return the phonetic keys of all matching keys of a name token."""
    return frozenset(code for k in matching_keys(name) if (code := phonetic_code(k)))
