"""Patronymics and the splitting of one-string full names into family/given/patronymic.

Recognised patronymic forms:

* Turkic particle after the father's name, separate or attached:
  ``oğlu/oglu/ogly/ogli/oʻgʻli/uly/uulu/оглы/оглу/улы`` (son),
  ``qızı/qizi/gizi/kizi/kyzy/кызы/гызы/қызы`` (daughter):
  ``Həsən oğlu``, ``Гасан оглы``, ``Həsənoğlu``.
* Arabic particle before it: ``bin/ibn/ibni/بن/ابن`` (son), ``bint/binti/بنت``
  (daughter).  ``ben`` is *not* taken (it is also a given name).
* East Slavic suffixes, in any script: ``-ovich/-evich/-ich`` and Ukrainian
  ``-ovych/-evych`` (son), ``-ovna/-evna/-ichna/-inichna`` and Ukrainian
  ``-ivna`` (daughter).  The father's name is rebuilt from the stem:
  Gasanovich → gasan, Sergeyevich/Sergeevich → sergey/sergei,
  Yuryevich → yuriy, Igorevich → igor, Serhiyovych → serhiy,
  Ivanivna → ivan, Nikitichna → nikita, Ilyich → ilya.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .keys import lexicon_key, matching_key, matching_keys
from .surname import looks_like_surname
from .translit import readings

Sex = Literal["m", "f"]
Kind = Literal["turkic", "arabic", "slavic"]

_TURKIC: dict[str, Sex] = {
    **dict.fromkeys(
        ("oğlu", "oglu", "oğlı", "ogly", "ogli", "o'g'li", "oghlu", "ugli", "uly", "ulı",
         "uulu", "оглы", "оглу", "огли", "улы", "уулу", "ұлы"),
        "m",
    ),
    **dict.fromkeys(
        ("qızı", "qizi", "gizi", "kizi", "kızı", "kyzy", "gyzy", "qyzy", "кызы", "гызы",
         "қызы"),
        "f",
    ),
}  # fmt: skip
_TURKIC_ATTACHED = re.compile(
    "(?P<stem>.{2,}?)(?P<marker>" + "|".join(sorted(map(re.escape, _TURKIC), key=len)[::-1]) + ")$"
)
_ARABIC: dict[str, Sex] = {
    **dict.fromkeys(("bin", "ibn", "ibni", "بن", "ابن"), "m"),
    **dict.fromkeys(("bint", "binti", "بنت"), "f"),
}
_APOSTROPHES = str.maketrans({"ʻ": "'", "‘": "'", "’": "'", "ʼ": "'", "`": "'"})

# (suffix pattern, what to append to the stem, sex); the stem group is non-greedy.
_SLAVIC_TABLE: tuple[tuple[str, str, Sex], ...] = (
    (r"(?:ovich|ovych|ovitch|ovitsch|ovic|owitsch|owich)", "", "m"),
    (r"(?P<y>y?)(?:evich|evych|evitch|evic|ewitsch)", "*", "m"),
    (r"(?:ovna|ivna|owna)", "", "f"),
    (r"(?P<y>y?)evna", "*", "f"),
    (r"(?:inichna|ichna|ychna)", "a", "f"),
    (r"(?:ich|ych)", "a", "m"),
)
_SLAVIC = tuple(
    (re.compile(r"^(?P<stem>[a-z]{2,}?)" + p + "$"), add, sex) for p, add, sex in _SLAVIC_TABLE
)
_SLAVIC_EXCEPTIONS = {"il": "ilya", "ili": "ilya"}


@dataclass(frozen=True, slots=True)
class Patronymic:
    """A parsed patronymic: the father's given name, its keys, and the bearer's sex."""

    father: str
    father_key: str
    father_keys: frozenset[str]
    sex: Sex | None
    kind: Kind


def _turkic_marker(word: str) -> Sex | None:
    return _TURKIC.get(word.lower().translate(_APOSTROPHES))


def _rebuild_stem(m: re.Match[str], add: str) -> str:
    stem = m.group("stem")
    if add == "*":  # -evich/-yevich: restore the й/ь/ий the suffix swallowed
        restore = {(True, True): "y", (True, False): "iy", (False, True): "i"}
        add = restore.get((bool(m.group("y")), stem[-1] in "aeiou"), "")
    return _SLAVIC_EXCEPTIONS.get(stem, stem + add)


def _slavic(word: str) -> Patronymic | None:
    stems: list[str] = []
    sex: Sex | None = None
    for reading in readings(word):
        letters = re.sub(r"[^a-z]", "", reading)
        for pattern, add, rule_sex in _SLAVIC:
            m = pattern.match(letters)
            if m:
                stems.append(_rebuild_stem(m, add))
                sex = sex or rule_sex
                break
    if not stems:
        return None
    keys = frozenset().union(*(matching_keys(s) for s in stems))
    return Patronymic(stems[0], matching_key(stems[0]), keys, sex, "slavic")


def _from_father(father: str, sex: Sex, kind: Kind) -> Patronymic:
    return Patronymic(father, matching_key(father), matching_keys(father), sex, kind)


def parse_patronymic(text: str) -> Patronymic | None:
    """Parse a patronymic (``Həsən oğlu``, ``Гасанович``, ``bint Ahmad``), or return None."""
    words = text.split()
    if not words:
        return None
    if len(words) >= 2 and (sex := _turkic_marker(words[-1])):
        return _from_father(" ".join(words[:-1]), sex, "turkic")
    if len(words) >= 2 and (sex := _ARABIC.get(words[0].lower())):
        return _from_father(" ".join(words[1:]), sex, "arabic")
    if len(words) != 1:
        return None
    word = words[0].translate(_APOSTROPHES)
    m = _TURKIC_ATTACHED.match(word.lower())
    if m:
        sex = _TURKIC[m.group("marker")]
        return _from_father(word[: m.end("stem")], sex, "turkic")
    return _slavic(word)


@dataclass(frozen=True, slots=True)
class FullName:
    """A full name split into family name, given name(s) and patronymic (as written)."""

    family: str | None
    given: str | None
    patronymic: str | None


_ARTICLES = frozenset({"al", "el", "al-", "el-", "ul", "ul-", "ал", "аль", "эль", "ال"})


def _chunks(words: list[str]) -> list[tuple[str, bool]]:
    """Group words into name chunks; the flag marks a particle patronymic."""
    chunks: list[tuple[str, bool]] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if _turkic_marker(word) and chunks and not chunks[-1][1]:
            chunks[-1] = (f"{chunks[-1][0]} {word}", True)
        elif nxt and word.lower() in _ARABIC and chunks:
            chunks.append((f"{word} {nxt}", True))
            i += 1
        elif nxt and word.lower() in _ARTICLES:
            chunks.append((f"{word} {nxt}", False))
            i += 1
        else:
            chunks.append((word, False))
        i += 1
    return chunks


def _is_surname(chunk: str) -> bool:
    return looks_like_surname(chunk) and lexicon_key(matching_key(chunk)) is None


def split_full_name(text: str) -> FullName:
    """Split a one-string full name into family, given and patronymic parts (heuristic)."""
    family_first: str | None = None
    if "," in text:  # "MAMEDOV, Ali Gasanovich": the part before the comma is the family name
        family_first, text = (part.strip() for part in text.split(",", 1))
    chunks = _chunks(text.split())
    p_index = next((i for i, (_, flagged) in enumerate(chunks) if flagged), None)
    if p_index is None and len(chunks) + (family_first is not None) >= 3:
        p_index = next(
            (i for i, (c, _) in enumerate(chunks) if (i or family_first) and _slavic(c)), None
        )
    patronymic = chunks[p_index][0] if p_index is not None else None
    others = [c for i, (c, _) in enumerate(chunks) if i != p_index]
    if family_first is not None:
        return FullName(family_first or None, " ".join(others) or None, patronymic)
    if not others:
        return FullName(None, None, patronymic)
    surnames = [i for i, c in enumerate(others) if _is_surname(c)]
    if len(surnames) == 1:
        f = surnames[0]
    elif len(others) == 1:
        return FullName(None, others[0], patronymic)
    elif p_index is not None:
        # Soviet documents: Family Given Patronymic; otherwise Given Patronymic Family.
        f = 0 if p_index == len(chunks) - 1 else len(others) - 1
    elif any(c.split()[0].lower() in _ARTICLES or c[:3].lower() in ("al-", "el-") for c in others):
        f = max(i for i, c in enumerate(others) if c.split()[0].lower() in _ARTICLES
                or c[:3].lower() in ("al-", "el-"))  # fmt: skip
    elif others[0].isupper() and not all(c.isupper() for c in others):
        f = 0  # "MAMEDOV Ali": capitals mark the family name
    else:
        f = len(others) - 1
    given = " ".join(c for i, c in enumerate(others) if i != f)
    return FullName(others[f], given or None, patronymic)
