"""Load the demo region's hazards, releases, devices, accidents and heritage sites via the services.

Called by `demo_loader.load_demo` after the places exist. Every record goes through the same
``write_*`` functions as the API (validation, land-release ledger, history and audit), in one
transaction per kind of record, so a failure leaves nothing half-written of that kind.
"""

from __future__ import annotations

from wayhome.demo import hazards as synth
from wayhome.demo.model import DemoPlace
from wayhome.services import contamination, heritage
from wayhome.services.contamination_inputs import (
    AccidentInput,
    ActivityInput,
    CloseHazardInput,
    DeviceInput,
    HazardAreaInput,
    ReleaseInput,
    VictimInput,
)
from wayhome.services.context import Actor, Wayhome
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput

SOURCE = "wayhome demo generator (synthetic)"


def load_hazards(
    wayhome: Wayhome,
    actor: Actor,
    places: tuple[DemoPlace, ...],
    ids: dict[str, str],
    *,
    seed: int = 7,
) -> dict[str, int]:
    """Write synthetic hazards (with their work) and accidents; return how many of each."""
    hazards = synth.generate_hazards(places, seed=seed)
    hazard_ids: dict[str, str] = {}
    counts = {"hazard_areas": 0, "releases": 0, "devices": 0, "accidents": 0, "victims": 0}
    with wayhome.transaction() as session:
        for item in hazards:
            hazard = contamination.write_hazard_area(
                session,
                wayhome,
                actor,
                HazardAreaInput.model_validate(
                    {
                        "local_id": item.local_id,
                        "name": item.name,
                        "hazard_type": item.hazard_type,
                        "place_id": ids[item.place_code],
                        "geometry": item.geometry,
                        "evidence": list(item.evidence),
                        "source": SOURCE,
                    }
                ),
            )
            hazard_ids[item.local_id] = hazard.id
            activity_ids = [
                contamination.write_activity(
                    session, wayhome, actor, hazard, ActivityInput.model_validate(a)
                ).id
                for a in item.activities
            ]
            for release in item.releases:
                contamination.write_release(
                    session,
                    wayhome,
                    actor,
                    hazard,
                    ReleaseInput.model_validate(
                        {
                            "release_kind": release.kind,
                            "geometry": release.geometry,
                            "release_date": release.date,
                            "activity_id": activity_ids[release.activity],
                            "source": SOURCE,
                        }
                    ),
                )
            for device in item.devices:
                contamination.write_device(
                    session, wayhome, actor, hazard, DeviceInput.model_validate(device)
                )
            counts["hazard_areas"] += 1
            counts["releases"] += len(item.releases)
            counts["devices"] += len(item.devices)
    for item in hazards:
        if item.closed_on:
            contamination.close_hazard_area(
                wayhome,
                actor,
                hazard_ids[item.local_id],
                CloseHazardInput(status_date=item.closed_on),
            )
    with wayhome.transaction() as session:
        for accident in synth.generate_accidents(hazards, places, seed=seed):
            row = contamination.write_accident(
                session,
                wayhome,
                actor,
                AccidentInput.model_validate(
                    {
                        "accident_date": accident.accident_date,
                        "lon": accident.lon,
                        "lat": accident.lat,
                        "place_id": ids[accident.place_code],
                        "hazard_area_id": hazard_ids.get(accident.hazard_local_id or ""),
                        "device_category": accident.device_category,
                        "activity": accident.activity,
                        "injured": sum(v["outcome"] == "injured" for v in accident.victims),
                        "killed": sum(v["outcome"] == "killed" for v in accident.victims),
                        "source": SOURCE,
                    }
                ),
            )
            for victim in accident.victims:
                contamination.write_victim(
                    session, wayhome, actor, row, VictimInput.model_validate(victim)
                )
            counts["accidents"] += 1
            counts["victims"] += len(accident.victims)
    return counts


def load_heritage(
    wayhome: Wayhome,
    actor: Actor,
    places: tuple[DemoPlace, ...],
    ids: dict[str, str],
    *,
    seed: int = 7,
) -> dict[str, int]:
    """Write synthetic heritage sites and their assessments; return how many of each."""
    counts = {"heritage_sites": 0, "assessments": 0}
    with wayhome.transaction() as session:
        for item in synth.generate_heritage(places, seed=seed):
            site = heritage.write_site(
                session,
                wayhome,
                actor,
                HeritageSiteInput.model_validate(
                    {
                        "reference": item.reference,
                        "type": item.type,
                        "period": item.period,
                        "names": [{"name": n, "lang": lang} for n, lang in item.names],
                        "place_id": ids[item.place_code],
                        "lat": item.lat,
                        "lon": item.lon,
                        "sensitive": item.sensitive,
                        "source": SOURCE,
                    }
                ),
            )
            for a in item.assessments:
                heritage.write_assessment(
                    session,
                    wayhome,
                    actor,
                    site,
                    HeritageAssessmentInput.model_validate(
                        {
                            "observed_on": a.observed_on,
                            "method": a.method,
                            "overall_condition": a.overall_condition,
                            "damage_extent": a.damage_extent,
                            "source": SOURCE,
                        }
                    ),
                )
            counts["heritage_sites"] += 1
            counts["assessments"] += len(item.assessments)
    return counts
