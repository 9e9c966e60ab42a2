"""Synthetic contamination and heritage for the demo region: hazards, releases, accidents, sites.

Deterministic for a seed, pure (no I/O): `generate_hazards` and `generate_heritage` turn the
region's settlements into hazard areas near some of them (a few cover the settlement itself, so
that it is blocked for return), survey and clearance activities with the land they released in
strips (cancelled, then reduced, then cleared; some hazards wholly released and closed), devices,
accidents with invented victims, and heritage sites with condition assessments over the years,
some of them sensitive. Nothing here describes a real place, hazard or person.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon, box, mapping

from wayhome.demo.model import DemoPlace

__all__ = [
    "DemoAccident",
    "DemoAssessment",
    "DemoHazard",
    "DemoHeritageSite",
    "DemoRelease",
    "generate_accidents",
    "generate_hazards",
    "generate_heritage",
]

_M_PER_DEG = 111_320.0
_DEVICES = ("ap_mine", "at_mine", "uxo", "cluster_munition", "axo")
_FIELD_WORDS = ("Orchard", "Ridge", "Field", "Riverbank", "Pasture", "Road", "Vineyard", "Hill")


@dataclass(frozen=True)
class DemoRelease:
    """Land released from a hazard: kind, GeoJSON polygon, date, by the activity at `activity`."""

    kind: str
    geometry: dict
    date: str
    activity: int


@dataclass(frozen=True)
class DemoHazard:
    """A synthetic hazard area near (or over) a settlement, with the work done on it."""

    local_id: str
    name: str
    hazard_type: str
    place_code: str
    geometry: dict
    evidence: tuple[dict, ...]
    activities: tuple[dict, ...]
    releases: tuple[DemoRelease, ...]
    devices: tuple[dict, ...]
    closed_on: str | None  # wholly released and closed on this date


@dataclass(frozen=True)
class DemoAccident:
    """A synthetic accident near a hazard, with invented (unnamed) victims."""

    accident_date: str
    lon: float
    lat: float
    place_code: str
    hazard_local_id: str | None
    device_category: str
    activity: str
    victims: tuple[dict, ...]


@dataclass(frozen=True)
class DemoAssessment:
    """One condition assessment of a site."""

    observed_on: str
    method: str
    overall_condition: str
    damage_extent: str


@dataclass(frozen=True)
class DemoHeritageSite:
    """A synthetic heritage site in or near a settlement."""

    reference: str
    type: str
    period: str
    names: tuple[tuple[str, str], ...]  # (name, lang)
    place_code: str
    lat: float
    lon: float
    sensitive: bool
    assessments: tuple[DemoAssessment, ...]


def _offset(lat: float, lon: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point ``east_m``/``north_m`` metres from (lat, lon), on a local flat approximation."""
    return (
        lon + east_m / (_M_PER_DEG * math.cos(math.radians(lat))),
        lat + north_m / _M_PER_DEG,
    )


def _outline(rng: random.Random, lon: float, lat: float, radius_m: float) -> Polygon:
    """A star-shaped (so simple and valid) polygon of 10–16 vertices around (lon, lat)."""
    count = rng.randint(10, 16)
    ring = []
    for k in range(count):
        angle = 2 * math.pi * k / count
        r = radius_m * rng.uniform(0.7, 1.15)
        ring.append(_offset(lat, lon, r * math.cos(angle), 0.8 * r * math.sin(angle)))
    return Polygon(ring)


def _month(rng: random.Random, year_from: int, year_to: int) -> tuple[int, int]:
    return rng.randint(year_from, year_to), rng.randint(1, 12)


def _releases(
    rng: random.Random, outline: Polygon, wholly: bool
) -> tuple[tuple[dict, ...], tuple[DemoRelease, ...], str | None]:
    """Activities and strips of land released west to east: cancelled, reduced, then cleared."""
    west, south, east, north = outline.bounds
    width = east - west
    cuts = sorted(rng.uniform(0.15, 0.45) for _ in range(2))
    last = 1.0 if wholly else rng.uniform(0.55, 0.85)
    edges = [0.0, cuts[0], cuts[1], last]
    year, month = _month(rng, 2021, 2023)
    activities: list[dict] = []
    releases: list[DemoRelease] = []
    plan = (("nts", "cancelled", None), ("ts", "reduced", None), ("clearance", "cleared", "manual"))
    day = 1
    for index, (activity_type, kind, method) in enumerate(plan):
        strip = box(
            west + edges[index] * width - 1e-9,
            south - 1e-6,
            west + edges[index + 1] * width,
            north + 1e-6,
        )
        if index == len(plan) - 1 and wholly:
            strip = box(west - 1e-6, south - 1e-6, east + 1e-6, north + 1e-6)
        land = outline.intersection(strip)
        if land.is_empty or land.geom_type not in ("Polygon", "MultiPolygon") or land.area == 0:
            continue
        land = shapely.make_valid(land)
        if land.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        start = f"{year:04d}-{month:02d}"
        month += rng.randint(1, 5)
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        day = rng.randint(1, 28)
        activities.append(
            {
                "activity_type": activity_type,
                "organisation_name": rng.choice(
                    ("Demo Demining (synthetic)", "Partner EOD Team (synthetic)")
                ),
                "method": method,
                "start_date": start,
                "end_date": f"{year:04d}-{month:02d}-{day:02d}",
                "status": "completed",
            }
        )
        releases.append(
            DemoRelease(
                kind, mapping(land), f"{year:04d}-{month:02d}-{day:02d}", len(activities) - 1
            )
        )
    closed = releases[-1].date if wholly and releases else None
    return tuple(activities), tuple(releases), closed


def generate_hazards(
    places: tuple[DemoPlace, ...], *, seed: int = 7, share: float = 0.2
) -> tuple[DemoHazard, ...]:
    """Hazard areas near about ``share`` of the settlements; every fourth one covers it."""
    rng = random.Random(seed * 7919 + 4)
    settlements = [p for p in places if p.type == "settlement"]
    chosen = [p for p in settlements if rng.random() < share]
    hazards: list[DemoHazard] = []
    for place in chosen:
        for n in range(rng.choice((1, 1, 2))):
            number = len(hazards) + 1
            over = rng.random() < 0.25  # the settlement itself is inside: blocked for return
            distance = rng.uniform(0, 150) if over else rng.uniform(1500, 4000)
            angle = rng.uniform(0, 2 * math.pi)
            lon, lat = _offset(
                place.lat, place.lon, distance * math.cos(angle), distance * math.sin(angle)
            )
            outline = _outline(
                rng, lon, lat, rng.uniform(350, 900) if over else rng.uniform(150, 600)
            )
            hazard_type = "cha" if rng.random() < 0.45 else "sha"
            worked = rng.random() < 0.7
            wholly = worked and not over and rng.random() < 0.3
            activities, releases, closed = (
                _releases(rng, outline, wholly) if worked else ((), (), None)
            )
            devices = tuple(
                {
                    "device_category": rng.choice(_DEVICES),
                    "condition": rng.choice(("intact", "damaged", "deteriorated")),
                    "quantity": rng.randint(1, 6),
                    "found_on": releases[-1].date[:7] if releases else None,
                }
                for _ in range(rng.randint(1, 3) if hazard_type == "cha" else 0)
            )
            evidence_type = (
                "device_found"
                if hazard_type == "cha"
                else rng.choice(("informant", "conflict_history", "land_not_used", "marking"))
            )
            hazards.append(
                DemoHazard(
                    local_id=f"DEMO-HA-{number:04d}",
                    name=f"{place.names[0].name if place.names else place.code} "
                    f"{rng.choice(_FIELD_WORDS)} {n + 1}",
                    hazard_type=hazard_type,
                    place_code=place.code,
                    geometry=mapping(outline),
                    evidence=({"evidence_type": evidence_type},),
                    activities=activities,
                    releases=releases,
                    devices=devices,
                    closed_on=closed,
                )
            )
    return tuple(hazards)


def generate_accidents(
    hazards: tuple[DemoHazard, ...], places: tuple[DemoPlace, ...], *, seed: int = 7
) -> tuple[DemoAccident, ...]:
    """Accidents at about one hazard in six, each with one to three invented victims."""
    rng = random.Random(seed * 7919 + 5)
    by_code = {p.code: p for p in places}
    accidents: list[DemoAccident] = []
    for hazard in hazards:
        if rng.random() >= 1 / 6:
            continue
        centre = shapely.geometry.shape(hazard.geometry).representative_point()
        year, month = _month(rng, 2016, 2024)
        victims = tuple(
            {
                "sex": rng.choice(("M", "M", "F")),
                "age_group": rng.choice(("child", "adult", "adult", "older")),
                "outcome": rng.choice(("injured", "injured", "killed")),
            }
            for _ in range(rng.randint(1, 3))
        )
        place = by_code[hazard.place_code]
        accidents.append(
            DemoAccident(
                accident_date=f"{year:04d}-{month:02d}",
                lon=round(centre.x, 6),
                lat=round(centre.y, 6),
                place_code=place.code,
                hazard_local_id=hazard.local_id,
                device_category=rng.choice(_DEVICES[:3]),
                activity=rng.choice(
                    ("agriculture", "herding", "gathering", "playing", "travelling")
                ),
                victims=victims,
            )
        )
    return tuple(accidents)


_SITE_KINDS = (
    ("cemetery", "Cemetery", "Кладбище", "مقبرة"),
    ("church", "Church", "Церковь", "كنيسة"),
    ("mosque", "Mosque", "Мечеть", "مسجد"),
    ("shrine", "Shrine", "Святилище", "مزار"),
    ("monument", "Monument", "Памятник", "نصب تذكاري"),
    ("historic_building", "Old School", "Старая школа", "المدرسة القديمة"),
    ("archaeological_site", "Mound", "Курган", "تل أثري"),
)
_PERIODS = ("medieval", "early_modern", "modern", "contemporary", "unknown")
_TREND = ("good", "fair", "poor", "very_bad", "destroyed")


def generate_heritage(
    places: tuple[DemoPlace, ...], *, seed: int = 7, share: float = 0.15
) -> tuple[DemoHeritageSite, ...]:
    """Heritage sites in about ``share`` of the settlements, assessed one to four times."""
    rng = random.Random(seed * 7919 + 6)
    sites: list[DemoHeritageSite] = []
    for place in (p for p in places if p.type == "settlement"):
        if rng.random() >= share:
            continue
        kind, en, ru, ar = rng.choice(_SITE_KINDS)
        local = place.names[0].name if place.names else place.code
        lon, lat = _offset(place.lat, place.lon, rng.uniform(-800, 800), rng.uniform(-800, 800))
        condition = rng.randint(0, 2)
        assessments = []
        year = rng.randint(2012, 2016)
        for _ in range(rng.randint(1, 4)):
            observed = f"{year:04d}-{rng.randint(1, 12):02d}"
            assessments.append(
                DemoAssessment(
                    observed_on=observed,
                    method=rng.choice(("satellite_imagery", "field_visit", "report")),
                    overall_condition=_TREND[condition],
                    damage_extent=("0", "1-10", "11-30", "31-60", "61-90")[condition],
                )
            )
            condition = min(len(_TREND) - 1, condition + rng.choice((0, 0, 1, 1, 2)))
            year += rng.randint(1, 3)
            if year > 2025:
                break
        sites.append(
            DemoHeritageSite(
                reference=f"DEMO-HS-{len(sites) + 1:04d}",
                type=kind,
                period=rng.choice(_PERIODS),
                names=((f"{local} {en}", "en"), (f"{ru} ({local})", "ru"), (f"{ar} {local}", "ar")),
                place_code=place.code,
                lat=round(lat, 6),
                lon=round(lon, 6),
                sensitive=kind in ("cemetery", "shrine") or rng.random() < 0.1,
                assessments=tuple(assessments),
            )
        )
    return tuple(sites)
