"""Render invented persons' names per community: primary name plus spelling variants."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from wayhome.demo import names_pools as pools
from wayhome.demo.model import DemoName
from wayhome.demo.scripts import ru_common, ru_passport, uk_national

Entry = Any  # one tuple from names_pools

POOLS: dict[str, tuple[tuple[Entry, ...], tuple[Entry, ...], tuple[Entry, ...]]] = {
    "azerbaijani": (pools.AZ_MALE, pools.AZ_FEMALE, pools.AZ_FAMILY),
    "armenian": (pools.HY_MALE, pools.HY_FEMALE, pools.HY_FAMILY),
    "georgian": (pools.KA_MALE, pools.KA_FEMALE, pools.KA_FAMILY),
    "arab": (pools.AR_MALE, pools.AR_FEMALE, pools.AR_FAMILY),
    "russian": (pools.RU_MALE, pools.RU_FEMALE, pools.RU_FAMILY),
    "ukrainian": (pools.UK_MALE, pools.UK_FEMALE, pools.UK_FAMILY),
}
PRIMARY_SCRIPT = {
    "azerbaijani": ("Latn", "az"),
    "armenian": ("Armn", "hy"),
    "georgian": ("Geor", "ka"),
    "arab": ("Arab", "ar"),
    "russian": ("Cyrl", "ru"),
    "ukrainian": ("Cyrl", "uk"),
}
# Communities in which a wife usually takes her husband's family name (so has a maiden name).
TAKES_HUSBAND_NAME = ("azerbaijani", "armenian", "georgian", "russian", "ukrainian")


@dataclass(frozen=True)
class Identity:
    """Pool entries that determine all renderings of one person's name."""

    community: str
    sex: str
    given: Entry
    family: Entry
    father: Entry
    maiden: Entry | None = None


def feminine_latin(name: str) -> str:
    """Return the feminine form of an Azerbaijani/Russian-style Latin family name."""
    return name + "a" if name.endswith(("ov", "ev", "yev", "in")) else name


def feminine_cyrillic(name: str) -> str:
    """Return the feminine form of a Russian or Ukrainian Cyrillic family name."""
    for masc, fem in (("ский", "ская"), ("цкий", "цкая"), ("ський", "ська"), ("цький", "цька")):
        if name.endswith(masc):
            return name[: -len(masc)] + fem
    if name.endswith(("ов", "ев", "ёв", "ин", "ын", "ьов", "йов", "єв", "ін")):
        return name + "а"
    return name


def ru_patronymic(father_cyrillic: str, sex: str) -> str:
    """Build a Russian-tradition patronymic ("Гасанович"/"Гасановна") from a Cyrillic name."""
    name, vowel_end = father_cyrillic, father_cyrillic[-1] in "аеиоуыэюя"
    if name.endswith(("ия", "й", "ь")):
        stem, suffix = name[:-1], "ев"
    elif vowel_end or name[-1] in "жшчщц":
        stem, suffix = name, "ев"
    else:
        stem, suffix = name, "ов"
    return stem + suffix + ("ич" if sex == "M" else "на")


def _hotline(name: str, rng: random.Random) -> str:
    """Spell an Azerbaijani name the way a hotline operator might type it in plain ASCII."""
    out = name.replace("İ", "I").replace("c", "j").replace("C", "J")
    for a, b in (
        ("ə", "a"),
        ("Ə", "A"),
        ("ı", "i"),
        ("ğ", "gh"),
        ("ş", "sh"),
        ("Ş", "Sh"),
        ("ç", "ch"),
        ("Ç", "Ch"),
        ("ö", "o"),
        ("ü", "u"),
        ("Ü", "U"),
        ("x", "kh"),
        ("X", "Kh"),
        ("q", "g"),
        ("Q", "G"),
    ):
        out = out.replace(a, b)
    if rng.random() < 0.5 and out.endswith(("ov", "ev")):
        out = out[:-1] + "f"
    return out


def _dn(family: str, given: str, patr: str | None, script: str, lang: str) -> DemoName:
    return DemoName(given, family, patr, script, lang, "primary")


def _azerbaijani(p: Identity, rng: random.Random) -> list[DemoName]:
    fem = p.sex == "F"
    fam_az = feminine_latin(p.family[0]) if fem else p.family[0]
    fam_ru = feminine_cyrillic(p.family[1]) if fem else p.family[1]
    patr_az = p.father[0] + (" qızı" if fem else " oğlu")
    if rng.random() < 0.5:
        patr_ru = ru_patronymic(p.father[1], p.sex)
    else:
        patr_ru = p.father[1] + (" кызы" if fem else " оглы")
    return [
        _dn(fam_az, p.given[0], patr_az, "Latn", "az"),
        _dn(fam_ru, p.given[1], patr_ru, "Cyrl", "ru"),
        _dn(ru_passport(fam_ru), ru_passport(p.given[1]), None, "Latn", "ru"),
        _dn(_hotline(fam_az, rng), _hotline(p.given[0], rng), None, "Latn", "en"),
    ]


def _armenian(p: Identity, rng: random.Random) -> list[DemoName]:
    fam = p.family
    return [
        _dn(fam[0], p.given[0], p.father[0] + "ի", "Armn", "hy"),
        _dn(fam[1], p.given[1], None, "Latn", "hy"),
        _dn(fam[2], p.given[2], ru_patronymic(p.father[2], p.sex), "Cyrl", "ru"),
        _dn(ru_common(fam[2]), ru_common(p.given[2]), None, "Latn", "ru"),
        _dn(fam[3], p.given[1], None, "Latn", "en"),
    ]


def _georgian(p: Identity, rng: random.Random) -> list[DemoName]:
    fam = p.family
    return [
        _dn(fam[0], p.given[0], None, "Geor", "ka"),
        _dn(fam[1], p.given[1], None, "Latn", "ka"),
        _dn(fam[2], p.given[2], ru_patronymic(p.father[2], p.sex), "Cyrl", "ru"),
        _dn(ru_passport(fam[2]), ru_passport(p.given[2]), None, "Latn", "ru"),
    ]


def _arab(p: Identity, rng: random.Random) -> list[DemoName]:
    def spell(entry: Entry, common: bool) -> str:
        return entry[1][0] if common or len(entry[1]) == 1 else rng.choice(entry[1][1:])

    return [
        _dn(p.family[0], p.given[0], p.father[0], "Arab", "ar"),
        _dn(spell(p.family, True), spell(p.given, True), spell(p.father, True), "Latn", "en"),
        _dn(spell(p.family, False), spell(p.given, False), spell(p.father, False), "Latn", "en"),
        _dn(spell(p.family, False).upper(), spell(p.given, False).upper(), None, "Latn", "en"),
    ]


def _russian(p: Identity, rng: random.Random) -> list[DemoName]:
    fem = p.sex == "F"
    fam = feminine_cyrillic(p.family) if fem else p.family
    given = p.given if fem else p.given[0]
    patr = p.father[2] if fem else p.father[1]
    names = [
        _dn(fam, given, patr, "Cyrl", "ru"),
        _dn(ru_passport(fam), ru_passport(given), None, "Latn", "ru"),
        _dn(ru_common(fam), ru_common(given), ru_common(patr), "Latn", "ru"),
    ]
    if "ё" in fam + given + patr:
        fam_e, given_e, patr_e = (s.replace("ё", "е") for s in (fam, given, patr))
        names.append(_dn(fam_e, given_e, patr_e, "Cyrl", "ru"))
    return names


def _ukrainian(p: Identity, rng: random.Random) -> list[DemoName]:
    fem = p.sex == "F"
    fam_uk = feminine_cyrillic(p.family[0]) if fem else p.family[0]
    fam_ru = feminine_cyrillic(p.family[1]) if fem else p.family[1]
    patr_uk = p.father[3] if fem else p.father[2]
    patr_ru = p.father[4] + ("на" if fem else "ич")
    return [
        _dn(fam_uk, p.given[0], patr_uk, "Cyrl", "uk"),
        _dn(fam_ru, p.given[1], patr_ru, "Cyrl", "ru"),
        _dn(uk_national(fam_uk), uk_national(p.given[0]), None, "Latn", "uk"),
        _dn(ru_common(fam_ru), ru_common(p.given[1]), None, "Latn", "ru"),
    ]


_RENDER = {
    "azerbaijani": _azerbaijani,
    "armenian": _armenian,
    "georgian": _georgian,
    "arab": _arab,
    "russian": _russian,
    "ukrainian": _ukrainian,
}


def _with_kind(name: DemoName, kind: str) -> DemoName:
    return DemoName(
        name.given_name, name.family_name, name.patronymic, name.script, name.lang, kind
    )


def name_variants(p: Identity, rng: random.Random) -> list[DemoName]:
    """Every rendering of a person's name the community knows, the primary one first."""
    return _RENDER[p.community](p, rng)


def person_names(p: Identity, rng: random.Random, extra_share: float = 0.4) -> tuple[DemoName, ...]:
    """Return the primary name and, for about ``extra_share`` of persons, 1-2 extra names."""
    variants = _RENDER[p.community](p, rng)
    primary = variants[0]
    if rng.random() >= extra_share:
        return (primary,)
    count = 1 if rng.random() < 0.65 else 2
    extras: list[DemoName] = []
    if p.maiden is not None and rng.random() < 0.5:
        maiden = _RENDER[p.community](
            Identity(p.community, p.sex, p.given, p.maiden, p.father), rng
        )[0]
        extras.append(_with_kind(maiden, "maiden"))
    others = [v for i, v in enumerate(variants) if i and v not in variants[:i]]
    for v in rng.sample(others, min(len(others), count - len(extras))):
        kind = "former_spelling" if v.script == primary.script else "alias"
        extras.append(_with_kind(v, kind))
    return (primary, *extras)
