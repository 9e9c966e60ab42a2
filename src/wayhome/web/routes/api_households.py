"""API of households and their members."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wayhome.services import households
from wayhome.services.inputs import HouseholdInput, MemberInput
from wayhome.web.deps import APIActor, WayhomeDep
from wayhome.web.routes.api_persons import ShareRequest
from wayhome.web.schemas import HistoryOut, HouseholdOut, PageOut

router = APIRouter(tags=["households"])


@router.get("/households", response_model=PageOut[HouseholdOut])
def list_households(
    wayhome: WayhomeDep,
    actor: APIActor,
    q: str | None = None,
    origin_place_id: str | None = None,
    current_place_id: str | None = None,
    return_intention: str | None = None,
    include_archived: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """Search households by reference or member name, origin, current place and intention."""
    return households.search_households(
        wayhome,
        actor,
        q=q,
        origin_place_id=origin_place_id,
        current_place_id=current_place_id,
        return_intention=return_intention,
        include_archived=include_archived,
        page=page,
        per_page=per_page,
    )


@router.post("/households", response_model=HouseholdOut, status_code=201)
def create_household(body: HouseholdInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Register a household, optionally with its first members."""
    return households.create_household(wayhome, actor, body)


@router.get("/households/{household_id}", response_model=HouseholdOut)
def get_household(household_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """One household."""
    return households.view_household(wayhome, actor, household_id)


@router.put("/households/{household_id}", response_model=HouseholdOut)
def update_household(
    household_id: str, body: HouseholdInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Replace a household's details (members are changed through /members)."""
    return households.update_household(wayhome, actor, household_id, body)


@router.post("/households/{household_id}/members", response_model=HouseholdOut)
def add_member(household_id: str, body: MemberInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Add a person to a household."""
    return households.add_member(wayhome, actor, household_id, body)


@router.delete("/households/{household_id}/members/{person_id}", response_model=HouseholdOut)
def remove_member(household_id: str, person_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Take a person out of a household."""
    return households.remove_member(wayhome, actor, household_id, person_id)


@router.post("/households/{household_id}/archive", response_model=HouseholdOut)
def archive_household(household_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Archive a household."""
    return households.set_archived(wayhome, actor, household_id, True)


@router.post("/households/{household_id}/restore", response_model=HouseholdOut)
def restore_household(household_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Restore an archived household."""
    return households.set_archived(wayhome, actor, household_id, False)


@router.post("/households/{household_id}/shares", status_code=204)
def share_household(
    household_id: str, body: ShareRequest, wayhome: WayhomeDep, actor: APIActor
) -> None:
    """Share a household and its members with another organisation."""
    households.share(wayhome, actor, household_id, body.organisation_id)


@router.get("/households/{household_id}/history", response_model=list[HistoryOut])
def household_history(household_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of a household."""
    return households.household_history(wayhome, actor, household_id)
