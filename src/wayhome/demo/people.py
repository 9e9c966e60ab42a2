"""Invented households: coherent family structures, names, displacements, intentions, needs."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from wayhome.demo.model import (
    NEEDS,
    DemoDisplacement,
    DemoHousehold,
    DemoMember,
    DemoName,
    DemoPerson,
    DemoSecondRegistration,
)
from wayhome.demo.names import (
    POOLS,
    TAKES_HUSBAND_NAME,
    Entry,
    Identity,
    name_variants,
    person_names,
)
from wayhome.demo.places import SettlementInfo

REFERENCE_DATE = date(2024, 6, 30)  # "today" of the demo, fixed for determinism
COMMUNITY_WEIGHTS = {
    "azerbaijani": 30,
    "armenian": 25,
    "georgian": 12,
    "russian": 13,
    "ukrainian": 10,
    "arab": 10,
}
HOME_COUNTRY = {"azerbaijani": "AZ", "armenian": "AM", "georgian": "GE", "russian": "RU"}
WAVES = ((1988, 1994), (2008, 2008), (2012, 2016), (2020, 2020), (2022, 2023))
WAVE_WEIGHTS = {
    "azerbaijani": (55, 2, 3, 30, 10),
    "armenian": (45, 2, 8, 35, 10),
    "georgian": (45, 40, 3, 2, 10),
    "russian": (25, 10, 25, 5, 35),
    "ukrainian": (5, 5, 35, 5, 50),
    "arab": (3, 2, 70, 10, 15),
}
# Household fate per wave: displaced, returned, relocated, locally_integrated.
FATES = ("displaced", "returned", "relocated", "locally_integrated")
FATE_WEIGHTS = (
    (40, 10, 15, 35),
    (35, 40, 10, 15),
    (50, 10, 20, 20),
    (60, 10, 15, 15),
    (70, 15, 10, 5),
)
INTENTIONS = ("return", "stay", "relocate", "undecided", "unknown")
INTENTION_WEIGHTS = {
    "displaced": (35, 15, 10, 30, 10),
    "returned": (85, 0, 2, 5, 8),
    "relocated": (15, 55, 5, 15, 10),
    "locally_integrated": (10, 65, 5, 12, 8),
}
NEED_BASE = {
    "displaced": dict(
        shelter=0.4,
        food=0.3,
        health=0.15,
        documentation=0.2,
        livelihood=0.5,
        education=0.05,
        psychosocial=0.2,
        legal=0.15,
        wash=0.1,
    ),
    "returned": dict(
        shelter=0.5,
        food=0.15,
        health=0.15,
        documentation=0.15,
        livelihood=0.5,
        education=0.05,
        psychosocial=0.15,
        legal=0.25,
        wash=0.3,
    ),
    "relocated": dict(
        shelter=0.25,
        food=0.1,
        health=0.1,
        documentation=0.2,
        livelihood=0.4,
        education=0.05,
        psychosocial=0.1,
        legal=0.1,
        wash=0.05,
    ),
    "locally_integrated": dict(
        shelter=0.1,
        food=0.05,
        health=0.1,
        documentation=0.1,
        livelihood=0.3,
        education=0.05,
        psychosocial=0.05,
        legal=0.1,
        wash=0.02,
    ),
}
COMPOSITIONS = {
    "single": 8,
    "couple": 10,
    "nuclear": 45,
    "single_parent": 12,
    "extended_up": 12,
    "extended_down": 8,
    "siblings": 5,
}
MAX_MEMBERS = 8


@dataclass
class _Draft:
    rel: str
    sex: str
    birth: date
    ident: Identity


def _date_in(rng: random.Random, start: date, end: date) -> date:
    return date.fromordinal(rng.randint(start.toordinal(), max(start, end).toordinal()))


def _in_year(rng: random.Random, year: int) -> date:
    return _date_in(rng, date(year, 1, 1), date(year, 12, 31))


def render_date(d: date | None, precision: str) -> str | None:
    """Render a date as partial ISO: precision "year", "month", "day" or "none"."""
    if d is None or precision == "none":
        return None
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(
        precision, d.isoformat()
    )


def _precision(rng: random.Random, weights: tuple[int, int, int, int]) -> str:
    return rng.choices(("none", "year", "month", "day"), weights)[0]


def _birth_precision(rng: random.Random, year: int) -> str:
    if year < 1960:
        return _precision(rng, (2, 70, 14, 14))
    if year <= 1990:
        return _precision(rng, (2, 49, 20, 29))
    return _precision(rng, (2, 34, 20, 44))


class _Sampler:
    """Weighted settlement sampling per community (origin) and by size (host)."""

    def __init__(self, infos: list[SettlementInfo]):
        self.infos = infos
        self.origin_cum: dict[str, list[float]] = {}
        for community in COMMUNITY_WEIGHTS:
            home = HOME_COUNTRY.get(community)
            weights = [
                math.sqrt(max(s.population, 100)) * (6 if s.country == home else 1) for s in infos
            ]
            self.origin_cum[community] = list(itertools.accumulate(weights))
        self.host_cum = list(itertools.accumulate(max(s.population, 100) ** 0.7 for s in infos))

    def _pick(self, rng: random.Random, cum: list[float]) -> SettlementInfo:
        i = bisect.bisect_right(cum, rng.random() * cum[-1])
        return self.infos[min(i, len(self.infos) - 1)]

    def origin(self, rng: random.Random, community: str) -> SettlementInfo:
        return self._pick(rng, self.origin_cum[community])

    def other(self, rng: random.Random, *avoid: SettlementInfo) -> SettlementInfo:
        """Pick a host settlement, not in ``avoid`` and preferably in another district."""
        for _ in range(8):
            pick = self._pick(rng, self.host_cum)
            if pick not in avoid and all(pick.district_code != a.district_code for a in avoid):
                return pick
        rest = [s for s in self.infos if s not in avoid]
        return rng.choice(rest) if rest else pick


class _Family:
    """Builds the members of one household as drafts with consistent names and ages."""

    def __init__(self, rng: random.Random, community: str, wave_date: date):
        self.rng, self.community, self.w = rng, community, wave_date
        self.male, self.female, self.families = POOLS[community]
        self.members: list[_Draft] = []

    def given(self, sex: str, avoid: tuple[Entry, ...] = ()) -> Entry:
        pool = self.male if sex == "M" else self.female
        pick = self.rng.choice(pool)
        return self.rng.choice(pool) if pick in avoid else pick

    def other_family(self, *avoid: Entry) -> Entry:
        pick = self.rng.choice(self.families)
        while pick in avoid:
            pick = self.rng.choice(self.families)
        return pick

    def add(
        self,
        rel: str,
        sex: str,
        year: int,
        family: Entry,
        father: Entry,
        married_in: bool = False,
        given: Entry | None = None,
    ) -> _Draft:
        """Add a member; women who married into ``family`` get a maiden family."""
        takes = self.community in TAKES_HUSBAND_NAME
        if married_in and not takes:
            family = self.other_family(family)
        maiden = self.other_family(family) if married_in and takes else None
        siblings = tuple(m.ident.given for m in self.members if m.ident.father == father)
        ident = Identity(
            self.community, sex, given or self.given(sex, siblings), family, father, maiden
        )
        birth = _in_year(self.rng, year)
        if birth >= self.w:
            birth = _date_in(self.rng, date(year, 1, 1), self.w - timedelta(days=1))
        draft = _Draft(rel, sex, birth, ident)
        self.members.append(draft)
        return draft

    def room(self) -> int:
        return MAX_MEMBERS - len(self.members)

    def children(
        self,
        parents: list[_Draft],
        count: int,
        rels: tuple[str, str],
        father: Entry,
        family: Entry,
        min_age: int = 0,
        sexes: str = "MF",
    ) -> list[_Draft]:
        """Add up to ``count`` children 18-40 years younger than every parent."""
        years = [p.birth.year for p in parents]
        lo, hi = max(years) + 18, min(min(years) + 40, self.w.year - 1 - min_age)
        out = []
        for _ in range(min(count, self.room())):
            if lo > hi:
                break
            sex = self.rng.choice(sexes)
            rel = rels[0] if sex == "M" else rels[1]
            out.append(self.add(rel, sex, self.rng.randint(lo, hi), family, father))
        return out


def build_members(rng: random.Random, community: str, wave_date: date) -> list[_Draft]:
    """Build 1-8 household members with coherent ages, sexes, relationships and names."""
    fam = _Family(rng, community, wave_date)
    w = wave_date.year
    age = int(rng.triangular(19, 78, 36))
    kind = rng.choices(list(COMPOSITIONS), list(COMPOSITIONS.values()))[0]
    if (kind == "extended_down" and age < 40) or (kind == "extended_up" and age > 55):
        kind = "nuclear"
    with_spouse = kind in ("couple", "nuclear", "extended_up", "extended_down")
    head_sex = {
        "single_parent": "F" if rng.random() < 0.8 else "M",
        "single": rng.choice("MF"),
        "siblings": "M" if rng.random() < 0.6 else "F",
    }.get(kind, "M" if rng.random() < 0.88 else "F")
    line = fam.other_family()
    head_father = fam.given("M")
    married_head = head_sex == "F" and (with_spouse or kind == "single_parent")
    head = fam.add("head", head_sex, w - age, line, head_father, married_in=married_head)
    parents = [head]
    kids_father = head.ident.given if head_sex == "M" else fam.given("M")
    if with_spouse:
        gap = int(max(-4, min(12, rng.gauss(3, 3))))
        spouse_sex = "F" if head_sex == "M" else "M"
        year = min(w - 18, w - age + (gap if head_sex == "M" else -gap))
        spouse = fam.add(
            "spouse", spouse_sex, year, line, fam.given("M"), married_in=spouse_sex == "F"
        )
        parents.append(spouse)
        if spouse_sex == "M":
            kids_father = spouse.ident.given
    if kind == "extended_up":
        birth_family = head.ident.maiden or head.ident.family
        fyear = w - age - rng.randint(22, 40)
        with_father = w - fyear <= 95 and rng.random() < 0.6
        if with_father:
            fam.add("father", "M", fyear, birth_family, fam.given("M"), given=head_father)
        myear = w - age - rng.randint(18, 38)
        if with_father:
            myear = min(fyear + rng.randint(0, 6), w - age - 18)
        if w - myear <= 95 and rng.random() < 0.75:
            fam.add("mother", "F", myear, birth_family, fam.given("M"), married_in=True)
    if kind == "extended_down":
        sons = fam.children(parents, 1, ("son", "son"), kids_father, line, 19, "M")
        if sons:
            son = sons[0]
            dil = fam.add(
                "other_relative",
                "F",
                min(w - 19, son.birth.year + rng.randint(0, 6)),
                line,
                fam.given("M"),
                married_in=True,
            )
            fam.children(
                [son, dil], rng.randint(1, 3), ("grandson", "granddaughter"), son.ident.given, line
            )
    if kind == "siblings":
        for _ in range(rng.randint(1, 3)):
            sex = rng.choice("MF")
            year = min(w - 1, w - age + rng.randint(-12, 12))
            fam.add("brother" if sex == "M" else "sister", sex, year, line, head_father)
    counts = {
        "nuclear": rng.choices((1, 2, 3, 4, 5), (30, 35, 20, 10, 5))[0],
        "single_parent": rng.randint(1, 4),
        "extended_up": rng.randint(0, 3),
        "extended_down": rng.randint(0, 1),
    }
    fam.children(parents, counts.get(kind, 0), ("son", "daughter"), kids_father, line)
    return fam.members


def _needs(rng: random.Random, fate: str, members: list[_Draft], recent: bool) -> tuple[str, ...]:
    ages = [REFERENCE_DATE.year - m.birth.year for m in members]
    probs = dict(NEED_BASE[fate])
    if any(5 <= a < 18 for a in ages):
        probs["education"] += 0.35
    if any(a >= 65 for a in ages):
        probs["health"] += 0.3
    if recent:
        probs["psychosocial"] += 0.15
        probs["food"] += 0.1
    return tuple(n for n in NEEDS if rng.random() < probs[n])


def _death_probability(age: int) -> float:
    for limit, p in ((55, 0.0), (65, 0.03), (75, 0.08), (85, 0.25), (95, 0.55)):
        if age < limit:
            return p
    return 1.0


def build_household(rng: random.Random, index: int, sampler: _Sampler) -> DemoHousehold:
    """Build one complete household (members, displacements, intention, needs)."""
    return _household(rng, index, sampler)[0]


def _household(
    rng: random.Random, index: int, sampler: _Sampler
) -> tuple[DemoHousehold, list[Identity]]:
    """A household and the name identity of each member (for second registrations)."""
    key = f"HH{index:05d}"
    community = rng.choices(list(COMMUNITY_WEIGHTS), list(COMMUNITY_WEIGHTS.values()))[0]
    wave = rng.choices(range(len(WAVES)), WAVE_WEIGHTS[community])[0]
    wave_date = _date_in(rng, date(WAVES[wave][0], 1, 1), date(WAVES[wave][1], 12, 31))
    drafts = build_members(rng, community, wave_date)
    origin = sampler.origin(rng, community)
    host = sampler.other(rng, origin)
    fate = rng.choices(FATES, FATE_WEIGHTS[wave])[0]
    current = {"returned": origin, "relocated": sampler.other(rng, origin, host)}.get(fate, host)
    if fate == "displaced":
        fate_date = None if rng.random() < 0.3 else _date_in(rng, wave_date, REFERENCE_DATE)
    else:
        fate_date = _date_in(rng, wave_date + timedelta(days=60), REFERENCE_DATE)
    fate_precision = _precision(rng, (0, 25, 35, 40))
    disp_precision = _precision(rng, (3, 22, 30, 45))

    members, displacements = [], []
    for i, d in enumerate(drafts, start=1):
        pkey = f"{key}-P{i:02d}"
        moved_away = d.rel in ("spouse", "mother", "other_relative") and rng.random() < 0.4
        birth_place = (
            None
            if rng.random() < 0.05
            else sampler.origin(rng, community).code
            if moved_away
            else origin.code
        )
        person = DemoPerson(
            pkey,
            d.sex,
            render_date(d.birth, _birth_precision(rng, d.birth.year)),
            person_names(d.ident, rng),
            birth_place,
        )
        members.append(DemoMember(person, d.rel))
        status, status_on = fate, render_date(fate_date, fate_precision)
        code: str | None = current.code
        age_now = REFERENCE_DATE.year - d.birth.year
        if rng.random() < _death_probability(age_now):
            last = min(REFERENCE_DATE, date(d.birth.year + 100, 1, 1))
            died = _date_in(rng, wave_date + timedelta(days=1), last)
            status, status_on = "deceased", render_date(died, _precision(rng, (5, 35, 25, 35)))
        elif rng.random() < 0.02:
            status, code = "unknown", None
            status_on = None if rng.random() < 0.5 else render_date(wave_date, "year")
        own = disp_precision if rng.random() < 0.85 else _precision(rng, (3, 40, 30, 27))
        displacements.append(
            DemoDisplacement(
                pkey, origin.code, render_date(wave_date, own), code, status, status_on
            )
        )
    intention = rng.choices(INTENTIONS, INTENTION_WEIGHTS[fate])[0]
    home = DemoHousehold(
        key,
        community,
        origin.code,
        current.code,
        tuple(members),
        intention,
        _needs(rng, fate, drafts, wave >= 3),
        tuple(displacements),
    )
    return home, [d.ident for d in drafts]


def build_households(
    rng: random.Random, infos: list[SettlementInfo], count: int
) -> list[DemoHousehold]:
    """Build ``count`` households whose origins and destinations are the given settlements."""
    return [home for home, _ in _households(rng, infos, count)]


def _households(
    rng: random.Random, infos: list[SettlementInfo], count: int
) -> list[tuple[DemoHousehold, list[Identity]]]:
    sampler = _Sampler(infos)
    return [_household(rng, i, sampler) for i in range(1, count + 1)]


def build_population(
    rng: random.Random,
    duplicates_rng: random.Random,
    infos: list[SettlementInfo],
    count: int,
    duplicate_share: float,
) -> tuple[list[DemoHousehold], list[DemoSecondRegistration]]:
    """Households, and about ``duplicate_share`` of their persons registered a second time.

    The second registrations draw from their own random stream, so the households are the same
    whatever the share.
    """
    built = _households(rng, infos, count)
    seconds = []
    for home, identities in built:
        for member, ident in zip(home.members, identities, strict=True):
            if duplicates_rng.random() < duplicate_share:
                seconds.append(second_registration(duplicates_rng, member.person, ident))
    return [home for home, _ in built], seconds


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard inside a word (its own letters only, so the script stays)."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.35:
        return word[:i] + word[i + 1 :]  # a letter dropped
    if kind < 0.6:
        return word[:i] + word[i] + word[i:]  # a letter doubled
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped


def _vaguer_date(birth: str | None, rng: random.Random) -> str | None:
    """The birth date as another source recorded it: often the year only, sometimes nothing,
    now and then day and month swapped."""
    if birth is None:
        return None
    roll = rng.random()
    if roll < 0.45:
        return birth[:4]
    if roll < 0.55:
        return None
    if roll < 0.65:
        return birth[:7]
    parts = birth.split("-")
    if roll < 0.72 and len(parts) == 3 and int(parts[2]) <= 12 and parts[1] != parts[2]:
        return f"{parts[0]}-{parts[2]}-{parts[1]}"
    return birth


def second_registration(
    rng: random.Random, person: DemoPerson, ident: Identity
) -> DemoSecondRegistration:
    """The same person as another source registered them: mostly in another script or
    romanisation (a hotline's ASCII, a passport's capitals, Russian Cyrillic), at times with a
    typo, a vaguer or missing birth date and no birth place."""
    variants = name_variants(ident, rng)
    primary = person.names[0]
    other_script = [v for v in variants if v.script != primary.script]
    same_script = [v for v in variants[1:] if v.script == primary.script] or [primary]
    pick = rng.choice(other_script if other_script and rng.random() < 0.85 else same_script)
    family, given = pick.family_name, pick.given_name
    if rng.random() < 0.25:
        family = _typo(family, rng)
    elif rng.random() < 0.1:
        given = _typo(given, rng)
    name = DemoName(given, family, pick.patronymic, pick.script, pick.lang, "primary")
    place = person.birth_place_code if rng.random() < 0.7 else None
    again = DemoPerson(
        f"{person.key}-R2", person.sex, _vaguer_date(person.birth_date, rng), (name,), place
    )
    return DemoSecondRegistration(again, person.key)
