"""Pages for households: list and search, register, view with members, edit, archive, history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.vocab import Need, Relationship, ReturnIntention
from wayhome.services import households, persons, places
from wayhome.services.inputs import HouseholdInput, MemberInput, parse_input
from wayhome.services.permissions import require
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.forms import nest
from wayhome.web.history_view import readable
from wayhome.web.templating import message, render

router = APIRouter()
CANDIDATES = 10


def _choices() -> dict[str, Any]:
    return {
        "intentions": [i.value for i in ReturnIntention],
        "all_needs": [n.value for n in Need],
        "relationships": [r.value for r in Relationship],
        "section": "households",
    }


def _place_or_none(wayhome: Any, actor: Any, place_id: str | None) -> Any:
    if not place_id:
        return None
    try:
        return places.get_place(wayhome, actor, place_id)
    except NotFound:  # an unknown id is reported at the field, or ignored in filters
        return None


@router.get("/households")
def list_households(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    q: str | None = None,
    origin_place_id: str | None = None,
    current_place_id: str | None = None,
    return_intention: str | None = None,
    archived: bool = False,
    page: int = 1,
) -> Response:
    result = households.search_households(
        wayhome,
        actor,
        q=q,
        origin_place_id=origin_place_id or None,
        current_place_id=current_place_id or None,
        return_intention=return_intention or None,
        include_archived=archived,
        page=page,
        per_page=wayhome.settings.page_size,
    )
    context = {
        "page": result,
        "q": q or "",
        "origin": _place_or_none(wayhome, actor, origin_place_id),
        "current": _place_or_none(wayhome, actor, current_place_id),
        "return_intention": return_intention or "",
        "archived": archived,
        **_choices(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "households/_results.html", context)
    return render(request, "households/list.html", context)


# --- register and edit -------------------------------------------------------------------


def _form(
    request: Request,
    wayhome: Any,
    actor: Any,
    household: Any,
    values: Any,
    error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    if isinstance(values, dict):
        origin = _place_or_none(wayhome, actor, values.get("origin_place_id"))
        current = _place_or_none(wayhome, actor, values.get("current_place_id"))
        chosen = list(values.get("needs") or [])
    else:
        origin, current, chosen = values.origin_place, values.current_place, list(values.needs)
    needs_error = error.error_for("needs") if error else None
    return render(
        request,
        "households/form.html",
        {
            "household": household,
            "values": values,
            "origin": origin,
            "current": current,
            "chosen_needs": chosen,
            "needs_error": message(needs_error) if needs_error else None,
            "error": error,
            **_choices(),
        },
        status_code,
    )


async def _form_data(request: Request) -> dict[str, Any]:
    return nest(await request.form(), lists=("needs",))


@router.get("/households/new")
def new_household(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "household.create")
    return _form(request, wayhome, actor, None, {"return_intention": ReturnIntention.UNKNOWN.value})


@router.post("/households/new", dependencies=[CSRFChecked])
async def create_household(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "household.create")
    data = await _form_data(request)
    data.pop("version", None)
    try:
        household = households.create_household(wayhome, actor, parse_input(HouseholdInput, data))
    except ValidationFailed as error:
        return _form(request, wayhome, actor, None, data, error, 422)
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.get("/households/{household_id}/edit")
def edit_household(
    request: Request, household_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    require(actor, "household.edit")
    household = households.view_household(wayhome, actor, household_id)
    return _form(request, wayhome, actor, household, household)


@router.post("/households/{household_id}/edit", dependencies=[CSRFChecked])
async def update_household(
    request: Request, household_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    data = await _form_data(request)
    household = households.load_household_for_form(wayhome, actor, household_id)
    try:
        households.update_household(wayhome, actor, household_id, parse_input(HouseholdInput, data))
    except ValidationFailed as error:
        return _form(request, wayhome, actor, household, data, error, 422)
    except Conflict as conflict:
        if household is not None and household.deleted_at is not None:
            raise
        error = ValidationFailed([FieldError(("version",), conflict.template, conflict.params)])
        return _form(request, wayhome, actor, household, data, error, 409)
    return RedirectResponse(f"/households/{household_id}", status_code=303)


# --- view, members -------------------------------------------------------------------------


def _candidates(wayhome: Any, actor: Any, household: Any, q: str | None) -> list[Any] | None:
    """Persons matching q who are not yet members (None when nothing was searched)."""
    if not q or not q.strip():
        return None
    current = {m.person_id for m in household.members}
    found = persons.search_persons(wayhome, actor, q=q, per_page=CANDIDATES + len(current))
    return [p for p in found.items if p.id not in current][:CANDIDATES]


def _detail(
    request: Request,
    wayhome: Any,
    actor: Any,
    household_id: str,
    q: str | None = None,
    add_error: ValidationFailed | None = None,
    status_code: int = 200,
) -> Response:
    household = households.view_household(wayhome, actor, household_id)
    add_errors = [message(e) for e in add_error.errors] if add_error else []
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "head": next(
                (m.person for m in household.members if m.relationship_to_head == "head"), None
            ),
            "q": q or "",
            "candidates": _candidates(wayhome, actor, household, q),
            "add_errors": add_errors,
            "shares": persons.shares(wayhome, households.ENTITY, household_id),
            **_choices(),
        },
        status_code,
    )


@router.get("/households/{household_id}")
def show_household(
    request: Request, household_id: str, wayhome: WayhomeDep, actor: UIActor, q: str | None = None
) -> Response:
    return _detail(request, wayhome, actor, household_id, q)


@router.get("/households/{household_id}/member-candidates")
def member_candidates(
    request: Request, household_id: str, wayhome: WayhomeDep, actor: UIActor, q: str | None = None
) -> Response:
    require(actor, "household.edit")
    household = households.load_household_for_form(wayhome, actor, household_id)
    assert household is not None
    return render(
        request,
        "households/_candidates.html",
        {
            "household": household,
            "q": q or "",
            "candidates": _candidates(wayhome, actor, household, q),
            **_choices(),
        },
    )


@router.post("/households/{household_id}/members", dependencies=[CSRFChecked])
async def add_member(
    request: Request, household_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    data = nest(await request.form())
    try:
        errors = []
        if not data.get("person_id"):
            errors.append(FieldError(("person_id",), N_("choose a person")))
        if data.get("relationship") not in {r.value for r in Relationship}:
            errors.append(
                FieldError(
                    ("relationship",), N_("choose the relationship to the head of household")
                )
            )
        if errors:
            raise ValidationFailed(errors)
        member = parse_input(
            MemberInput, {"person_id": data["person_id"], "relationship": data["relationship"]}
        )
        households.add_member(wayhome, actor, household_id, member)
    except ValidationFailed as error:
        return _detail(request, wayhome, actor, household_id, data.get("q"), error, 422)
    return RedirectResponse(f"/households/{household_id}", status_code=303)


@router.post("/households/{household_id}/members/{person_id}/remove", dependencies=[CSRFChecked])
def remove_member(
    household_id: str, person_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    households.remove_member(wayhome, actor, household_id, person_id)
    return RedirectResponse(f"/households/{household_id}", status_code=303)


@router.post("/households/{household_id}/archive", dependencies=[CSRFChecked])
def archive_household(household_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    households.set_archived(wayhome, actor, household_id, True)
    return RedirectResponse(f"/households/{household_id}", status_code=303)


@router.post("/households/{household_id}/restore", dependencies=[CSRFChecked])
def restore_household(household_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    households.set_archived(wayhome, actor, household_id, False)
    return RedirectResponse(f"/households/{household_id}", status_code=303)


# --- history ------------------------------------------------------------------------------


@router.get("/households/{household_id}/history")
def household_history(
    request: Request, household_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    entries = households.household_history(wayhome, actor, household_id)
    household = households.view_household(wayhome, actor, household_id)
    return render(
        request,
        "households/history.html",
        {"household": household, "entries": readable(wayhome, actor, entries), **_choices()},
    )
