"""Synthetic settlement conditions for the demo region: housing damage and services over time.

Deterministic for a seed, pure (no I/O): `generate_conditions` gives most settlements one to three
observations between 2022 and 2024, with housing damage that tends to fall over time as
reconstruction goes on and services whose availability follows the damage. About one settlement
in seven has none, so the demo shows settlements without enough data. Nothing here describes a
real place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from wayhome.demo.model import DemoPlace

__all__ = ["DemoCondition", "generate_conditions"]

SERVICES = ("water", "electricity", "health", "school", "market", "sanitation")
SOURCES = (
    "Shelter rapid assessment (synthetic)",
    "Field visit (synthetic)",
    "Settlement monitoring round (synthetic)",
)


@dataclass(frozen=True)
class DemoCondition:
    """One observation of a settlement (by its code)."""

    place_code: str
    observed_on: str
    housing_damage_pct: float | None
    services: dict[str, str]
    source: str


def _status(rng: random.Random, damage: float) -> str:
    """Availability of a service: the more damage, the less of it."""
    roll = rng.random() * 100
    if roll > damage + 15:
        return "available"
    if roll > damage - 25:
        return "partial"
    return "none"


def generate_conditions(places: tuple[DemoPlace, ...], *, seed: int = 7) -> list[DemoCondition]:
    """Observations of the region's settlements, oldest first for each settlement."""
    rng = random.Random(f"conditions-{seed}")
    out: list[DemoCondition] = []
    for place in places:
        if place.type != "settlement" or rng.random() < 0.15:
            continue
        damage = rng.betavariate(2.2, 1.8) * 100
        for year in sorted(rng.sample((2022, 2023, 2024), rng.randint(1, 3))):
            month = rng.randint(1, 12)
            observed = {k: _status(rng, damage) for k in SERVICES if rng.random() < 0.85}
            out.append(
                DemoCondition(
                    place_code=place.code,
                    observed_on=f"{year}-{month:02d}",
                    housing_damage_pct=round(damage, 0) if rng.random() < 0.9 else None,
                    services=observed or {"water": _status(rng, damage)},
                    source=rng.choice(SOURCES),
                )
            )
            damage = max(0.0, damage - rng.uniform(0, 12))  # reconstruction
    return out
