"""Load the demo region's settlement conditions through the readiness service (one transaction)."""

from __future__ import annotations

from wayhome.demo.conditions import generate_conditions
from wayhome.demo.model import DemoPlace
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import parse_input
from wayhome.services.readiness_conditions import ConditionInput, write_condition


def load_conditions(
    wayhome: Wayhome,
    actor: Actor,
    places: tuple[DemoPlace, ...],
    ids: dict[str, str],
    *,
    seed: int = 7,
) -> dict[str, int]:
    """Write synthetic condition observations of the settlements; return how many."""
    observations = generate_conditions(places, seed=seed)
    with wayhome.transaction() as session:
        for item in observations:
            data = parse_input(
                ConditionInput,
                {
                    "observed_on": item.observed_on,
                    "housing_damage_pct": item.housing_damage_pct,
                    "services": item.services,
                    "source": item.source,
                },
            )
            write_condition(session, wayhome, actor, ids[item.place_code], data)
    return {"settlement_conditions": len(observations)}
