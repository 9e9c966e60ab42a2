"""Pages for explosive ordnance accidents and their victims.

A victim linked to a registered person is listed only for users who may see that person
(`contamination.list_victims`); the person's name comes from `members.display_names`, which
applies the same rule. Viewers may not see accidents at all (``accident.view``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import Conflict, FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.mine_action import AccidentActivity, VictimOutcome
from wayhome.core.vocab import Sex
from wayhome.services import contamination, members
from wayhome.services.contamination_inputs import AccidentInput, VictimInput
from wayhome.services.permissions import require
from wayhome.web import i18n
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.forms import nest
from wayhome.web.history_view import readable
from wayhome.web.person_choices import person_choices
from wayhome.web.routes.ui_contamination_forms import (
    choices,
    conflict_error,
    parse_form,
    place_or_none,
)
from wayhome.web.templating import render

router = APIRouter(include_in_schema=False)

# the person picker's buttons (templates/contamination/_victim_person.html)
CHOOSE, UNLINK, FIND = "choose_person", "unlink_person", "find_person"
PICK_FIRST = N_(
    "choose the person from the list, or empty the name box to record a victim who is not "
    "in the registry"
)


def _accidentchoices() -> dict[str, Any]:
    return {**choices(), "section": "accidents"}


@router.get("/accidents")
def list_accidents(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    hazard_area_id: str | None = None,
    page: int = 1,
) -> Response:
    result = contamination.search_accidents(
        wayhome,
        actor,
        hazard_area_id=hazard_area_id or None,
        page=max(page, 1),
        per_page=wayhome.settings.page_size,
    )
    refs = contamination.references(
        wayhome, actor, hazard_ids=[a.hazard_area_id for a in result.items]
    )
    return render(
        request,
        "contamination/accident_list.html",
        {"page": result, "refs": refs, **_accidentchoices()},
    )


def _accident_values(accident: Any) -> dict[str, Any]:
    return {
        name: getattr(accident, name)
        for name in (
            "accident_date",
            "lon",
            "lat",
            "place_id",
            "hazard_area_id",
            "device_category",
            "activity",
            "injured",
            "killed",
            "description",
            "source",
            "version",
        )
    }


def _accident_form(
    request: Request,
    wayhome: Any,
    actor: Any,
    accident: Any,
    values: dict[str, Any],
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    hazards = contamination.search_hazard_areas(wayhome, actor, per_page=500).items
    return render(
        request,
        "contamination/accident_form.html",
        {
            "accident": accident,
            "values": values,
            "error": error,
            "hazards": hazards,
            "place": place_or_none(wayhome, actor, values.get("place_id")),
            **_accidentchoices(),
        },
        status_code,
    )


@router.get("/accidents/new")
def new_accident(
    request: Request, wayhome: WayhomeDep, actor: UIActor, hazard_area_id: str | None = None
) -> Response:
    require(actor, "accident.edit")
    values = {"activity": AccidentActivity.UNKNOWN.value, "injured": 0, "killed": 0}
    values["hazard_area_id"] = hazard_area_id
    return _accident_form(request, wayhome, actor, None, values)


@router.post("/accidents/new", dependencies=[CSRFChecked])
async def create_accident(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "accident.edit")
    data = nest(await request.form())
    data.pop("version", None)
    try:
        accident = contamination.record_accident(wayhome, actor, parse_form(AccidentInput, data))
    except ValidationFailed as error:
        return _accident_form(request, wayhome, actor, None, data, error, 422)
    return RedirectResponse(f"/accidents/{accident.id}", status_code=303)


@router.get("/accidents/{accident_id}")
def show_accident(
    request: Request, accident_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    accident = contamination.get_accident(wayhome, actor, accident_id)
    victims = contamination.list_victims(wayhome, actor, accident_id)
    person_names = members.display_names(
        wayhome, actor, [v.person_id for v in victims if v.person_id]
    )
    refs = contamination.references(wayhome, actor, hazard_ids=[accident.hazard_area_id])
    return render(
        request,
        "contamination/accident_detail.html",
        {
            "accident": accident,
            "victims": victims,
            "person_names": person_names,
            "hazard": refs.get(accident.hazard_area_id or ""),
            "place": place_or_none(wayhome, actor, accident.place_id),
            **_accidentchoices(),
        },
    )


@router.get("/accidents/{accident_id}/edit")
def edit_accident(
    request: Request, accident_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "accident.edit")
    accident = contamination.get_accident(wayhome, actor, accident_id)
    return _accident_form(request, wayhome, actor, accident, _accident_values(accident))


@router.post("/accidents/{accident_id}/edit", dependencies=[CSRFChecked])
async def update_accident(
    request: Request, accident_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "accident.edit")
    accident = contamination.get_accident(wayhome, actor, accident_id)
    data = nest(await request.form())
    try:
        contamination.update_accident(wayhome, actor, accident_id, parse_form(AccidentInput, data))
    except ValidationFailed as error:
        failed, status_code = error, 422
    except Conflict as conflict:
        failed, status_code = conflict_error(conflict), 409
    else:
        return RedirectResponse(f"/accidents/{accident_id}", status_code=303)
    return _accident_form(request, wayhome, actor, accident, data, failed, status_code)


@router.get("/accidents/{accident_id}/history")
def accident_history(
    request: Request, accident_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    entries = contamination.accident_history(wayhome, actor, accident_id)
    accident = contamination.get_accident(wayhome, actor, accident_id)
    return render(
        request,
        "contamination/history.html",
        {
            "title": accident.accident_date or accident.id,
            "back": f"/accidents/{accident.id}",
            "entries": readable(wayhome, actor, entries, contamination.ACCIDENT),
            **_accidentchoices(),
        },
    )


def _victim_form(
    request: Request,
    wayhome: Any,
    actor: Any,
    accident: Any,
    values: dict[str, Any],
    *,
    person_q: str = "",
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    """The victim form; the person picker shows the chosen person, or the persons found."""
    person_id = values.get("person_id") or ""
    name = members.display_names(wayhome, actor, [person_id]).get(person_id)
    person = {"id": person_id, "name": name} if name is not None else None
    return render(
        request,
        "contamination/victim_form.html",
        {
            "accident": accident,
            "values": values,
            "person": person,
            "person_q": person_q,
            "candidates": None if person else _candidates(wayhome, actor, accident, person_q),
            "error": error,
            **_accidentchoices(),
        },
        status_code,
    )


def _candidates(wayhome: Any, actor: Any, accident: Any, text: str | None) -> Any:
    """Persons matching ``text`` who are not yet (visibly) victims of this accident."""
    linked = [v.person_id for v in contamination.list_victims(wayhome, actor, accident.id)]
    exclude = [i for i in linked if i]
    return person_choices(wayhome, actor, text, exclude, lang=i18n.get_locale())


def _person_step(data: dict[str, Any]) -> str | None:
    """Which picker button sent the form, if any: the form then comes back, nothing is saved."""
    for step in (CHOOSE, UNLINK, FIND):
        if data.get(step):
            return step
    return None


@router.get("/accidents/{accident_id}/victims/new")
def victim_form(
    request: Request, accident_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "accident.edit")
    accident = contamination.get_accident(wayhome, actor, accident_id)
    values = {"outcome": VictimOutcome.INJURED.value, "sex": Sex.UNKNOWN.value}
    return _victim_form(request, wayhome, actor, accident, values)


@router.post("/accidents/{accident_id}/victims/new", dependencies=[CSRFChecked])
async def add_victim(
    request: Request, accident_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    """Save a victim; without JavaScript, the picker's buttons post here too (nothing saved)."""
    require(actor, "accident.edit")
    accident = contamination.get_accident(wayhome, actor, accident_id)
    data = nest(await request.form())
    data.pop("version", None)
    person_q = str(data.pop("person_q", "") or "").strip()
    step = _person_step(data)
    chosen = str(data.pop(CHOOSE, "") or "")
    for button in (UNLINK, FIND):
        data.pop(button, None)
    if step is not None:
        data["person_id"] = (
            chosen if step == CHOOSE else "" if step == UNLINK else data.get("person_id")
        )
        return _victim_form(request, wayhome, actor, accident, data, person_q=person_q)
    if person_q and not data.get("person_id"):
        # a name typed but no person chosen (Enter in the search box): never save the victim as
        # not in the registry by mistake; offer the matches instead
        error = ValidationFailed([FieldError(("person_id",), PICK_FIRST)])
        return _victim_form(
            request, wayhome, actor, accident, data, person_q=person_q, error=error, status_code=422
        )
    try:
        contamination.add_victim(wayhome, actor, accident_id, parse_form(VictimInput, data))
    except ValidationFailed as error:
        return _victim_form(
            request, wayhome, actor, accident, data, person_q=person_q, error=error, status_code=422
        )
    return RedirectResponse(f"/accidents/{accident_id}#victims", status_code=303)


@router.post("/accidents/{accident_id}/victims/person", dependencies=[CSRFChecked])
async def victim_person(
    request: Request, accident_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    """The person picker of the victim form, redrawn by htmx: the persons found for the name
    typed, or the person just chosen (a POST, so that names stay out of URLs and logs)."""
    require(actor, "accident.edit")
    accident = contamination.get_accident(wayhome, actor, accident_id)
    data = nest(await request.form())
    person_q = str(data.get("person_q") or "").strip()
    step = _person_step(data)
    if step == CHOOSE:
        person_id = str(data.get(CHOOSE) or "")
    elif step == UNLINK:
        person_id = ""
    else:
        person_id = str(data.get("person_id") or "")
    name = members.display_names(wayhome, actor, [person_id]).get(person_id)
    error = None
    if person_id and name is None:  # not (or no longer) visible: said as if it did not exist
        error = ValidationFailed([FieldError(("person_id",), N_("no such person"))])
    person = {"id": person_id, "name": name} if name is not None else None
    context = {
        "accident": accident,
        "person": person,
        "person_q": person_q,
        "candidates": None if person else _candidates(wayhome, actor, accident, person_q),
        "error": error,
    }
    template = "contamination/_victim_candidates.html" if step == FIND else None
    return render(request, template or "contamination/_victim_person.html", context)


@router.get("/victims/{victim_id}/history")
def victim_history(
    request: Request, victim_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    entries = contamination.victim_history(wayhome, actor, victim_id)
    accident_id = entries[-1].snapshot["accident_id"] if entries else None
    return render(
        request,
        "contamination/history.html",
        {
            "title": victim_id,
            "back": f"/accidents/{accident_id}" if accident_id else "/accidents",
            "entries": readable(wayhome, actor, entries, contamination.VICTIM),
            **_accidentchoices(),
        },
    )
