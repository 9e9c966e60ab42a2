"""Load the synthetic demo region through the services, so demo data obeys every rule real data does."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from wayhome.core.vocab import Role
from wayhome.demo import SYNTHETIC_NOTICE, DemoHousehold, DemoPerson, DemoRegion, generate_region
from wayhome.services import (
    accounts,
    demo_hazards,
    displacement,
    households,
    persons,
    places,
    readiness_demo,
)
from wayhome.services.context import Actor, Wayhome, system_actor
from wayhome.services.inputs import (
    DisplacementInput,
    HouseholdInput,
    MemberInput,
    PersonInput,
    PlaceInput,
    parse_input,
)
from wayhome.store.tables import InstanceMeta

DEMO_ORG = ("DEMO", "Demo Relief Organisation (synthetic)")
SOURCE = "wayhome demo generator (synthetic)"
SECOND_SOURCE = "wayhome demo generator: second registration (synthetic)"
OTHER_ORG = ("PARTNER", "Partner Agency (synthetic)")
DEMO_USERS = (
    ("admin", "Demo Administrator", Role.ADMIN),
    ("registrar", "Demo Registrar", Role.REGISTRAR),
    ("caseworker", "Demo Caseworker", Role.CASEWORKER),
    ("analyst", "Demo Analyst", Role.ANALYST),
    ("viewer", "Demo Viewer", Role.VIEWER),
)
MARKER = "demo_region"


@dataclass(frozen=True)
class DemoLogin:
    """The credentials printed for the demo: every demo account shares one generated password."""

    usernames: tuple[str, ...]
    password: str
    created: bool


def demo_loaded(wayhome: Wayhome) -> bool:
    """Tell whether the demo region is already in this installation."""
    with wayhome.read() as session:
        return session.get(InstanceMeta, MARKER) is not None


def _places(wayhome: Wayhome, actor: Actor, region: DemoRegion) -> dict[str, str]:
    ids: dict[str, str] = {}
    with wayhome.transaction() as session:
        for place in region.places:  # parents come before children in the generator's order
            data = PlaceInput(
                code=place.code,
                type=place.type,
                parent_id=ids.get(place.parent_code) if place.parent_code else None,
                lat=place.lat,
                lon=place.lon,
                population=place.population,
                names=[{"name": n.name, "lang": n.lang} for n in place.names],
                source="wayhome demo generator (synthetic)",
            )
            ids[place.code] = places.write_place(session, wayhome, actor, data).id
    return ids


def _person(
    session, wayhome: Wayhome, actor: Actor, p: DemoPerson, ids: dict[str, str], source: str
) -> str:  # type: ignore[no-untyped-def]
    data = parse_input(
        PersonInput,
        {
            "names": [
                {
                    "kind": n.kind,
                    "given_name": n.given_name,
                    "family_name": n.family_name,
                    "patronymic": n.patronymic,
                    "lang": n.lang,
                }
                for n in p.names
            ],
            "sex": p.sex,
            "birth_date": p.birth_date,
            "birth_place_id": ids.get(p.birth_place_code) if p.birth_place_code else None,
            "source": source,
        },
    )
    return persons.write_person(session, wayhome, actor, data).id


def _household(
    session, wayhome: Wayhome, actor: Actor, home: DemoHousehold, ids: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    person_ids: dict[str, str] = {}
    members = []
    for member in home.members:
        p = member.person
        person_ids[p.key] = _person(session, wayhome, actor, p, ids, SOURCE)
        members.append(MemberInput(person_id=person_ids[p.key], relationship=member.relationship))
    household = households.write_household(
        session,
        wayhome,
        actor,
        HouseholdInput(
            origin_place_id=ids[home.origin_code],
            current_place_id=ids[home.current_code],
            return_intention=home.return_intention,
            needs=list(home.needs),
            members=members,
            source="wayhome demo generator (synthetic)",
        ),
    )
    for event in home.displacements:
        displacement.write_event(
            session,
            wayhome,
            actor,
            person_ids[event.person_key],
            parse_input(
                DisplacementInput,
                {
                    "origin_place_id": ids[event.origin_code],
                    "displaced_on": event.displaced_on,
                    "current_place_id": ids.get(event.current_code) if event.current_code else None,
                    "status": event.status,
                    "status_date": event.status_date,
                    "household_id": household.id,
                    "source": "wayhome demo generator (synthetic)",
                },
            ),
        )


def load_demo(
    wayhome: Wayhome,
    *,
    seed: int = 7,
    settlements: int = 300,
    household_count: int = 3000,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoLogin:
    """Create the demo organisations, accounts and synthetic region (once; later calls only log in)."""
    usernames = tuple(u for u, _n, _r in DEMO_USERS)
    password_file = wayhome.settings.data_dir / "demo-password.txt"
    if demo_loaded(wayhome):
        password = (
            password_file.read_text().strip() if password_file.exists() else "(see first run)"
        )
        return DemoLogin(usernames, password, created=False)
    org = accounts.ensure_organisation(wayhome, DEMO_ORG[1], DEMO_ORG[0])
    accounts.ensure_organisation(wayhome, OTHER_ORG[1], OTHER_ORG[0])
    password = "demo-" + secrets.token_urlsafe(9)
    for username, full_name, role in DEMO_USERS:
        accounts.create_user(
            wayhome,
            system_actor(),
            username=username,
            full_name=full_name,
            password=password,
            role=role.value,
            organisation_id=org.id,
        )
    actor = system_actor(org.id)
    region = generate_region(seed=seed, settlements=settlements, households=household_count)
    ids = _places(wayhome, actor, region)
    if progress:
        progress("places", len(ids), len(ids))
    for kind, count in demo_hazards.load_hazards(
        wayhome, actor, region.places, ids, seed=seed
    ).items():
        if progress:
            progress(kind, count, count)
    for kind, count in demo_hazards.load_heritage(
        wayhome, actor, region.places, ids, seed=seed
    ).items():
        if progress:
            progress(kind, count, count)
    for kind, count in readiness_demo.load_conditions(
        wayhome, actor, region.places, ids, seed=seed
    ).items():
        if progress:
            progress(kind, count, count)
    batch = 100
    for start in range(0, len(region.households), batch):
        with wayhome.transaction() as session:
            for home in region.households[start : start + batch]:
                _household(session, wayhome, actor, home, ids)
        if progress:
            progress(
                "households", min(start + batch, len(region.households)), len(region.households)
            )
    with wayhome.transaction() as session:  # the planted duplicates; which is whose is not kept
        for second in region.second_registrations:
            _person(session, wayhome, actor, second.person, ids, SECOND_SOURCE)
    if progress:
        count = len(region.second_registrations)
        progress("second registrations", count, count)
    with wayhome.transaction() as session:
        session.add(InstanceMeta(key=MARKER, value=SYNTHETIC_NOTICE))
    wayhome.settings.data_dir.mkdir(parents=True, exist_ok=True)
    password_file.touch(mode=0o600)
    password_file.write_text(password + "\n")
    return DemoLogin(usernames, password, created=True)
