"""Pages for persons: list and search, register, view, edit, archive, history, displacements."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.vocab import DisplacementStatus, NameKind, Relationship, Sex
from wayhome.services import displacement, households, persons, places, similar
from wayhome.services.inputs import DisplacementInput, MemberInput, PersonInput, parse_input
from wayhome.services.permissions import require
from wayhome.web import i18n
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.forms import drop_blank_rows, nest
from wayhome.web.history_view import readable
from wayhome.web.i18n import gettext as _
from wayhome.web.templating import render

router = APIRouter()
NAME_KEYS = ("given_name", "family_name", "patronymic")


def _choices() -> dict[str, Any]:
    return {
        "sexes": [s.value for s in Sex],
        "name_kinds": [k.value for k in NameKind],
        "relationships": [r.value for r in Relationship],
        "statuses": [s.value for s in DisplacementStatus],
        "section": "persons",
    }


@router.get("/persons")
def list_persons(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    q: str | None = None,
    sex: str | None = None,
    birth_year: str | None = None,
    archived: bool = False,
    page: int = 1,
) -> Response:
    year = int(birth_year) if birth_year and birth_year.isdigit() else None
    result = persons.search_persons(
        wayhome,
        actor,
        q=q,
        sex=sex or None,
        birth_year=year,
        include_archived=archived,
        page=page,
        per_page=wayhome.settings.page_size,
        lang=i18n.get_locale(),
    )
    context = {
        "page": result,
        "q": q or "",
        "sex": sex or "",
        "birth_year": birth_year or "",
        "archived": archived,
        **_choices(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "persons/_results.html", context)
    return render(request, "persons/list.html", context)


def _form_names(person: Any | None) -> list[dict[str, Any]]:
    rows = [
        {
            "kind": n.kind,
            "given_name": n.given_name,
            "family_name": n.family_name,
            "patronymic": n.patronymic,
            "lang": n.lang,
        }
        for n in (person.names if person else [])
    ]
    return [*rows, {"kind": "primary" if not rows else "alias"}]


@router.get("/persons/new")
def new_person(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    household_id: str | None = None,
    relationship: str | None = None,
) -> Response:
    require(actor, "person.create")
    household = households.load_household_for_form(wayhome, actor, household_id)
    return render(
        request,
        "persons/form.html",
        {
            "person": None,
            "names": _form_names(None),
            "values": {},
            "household": household,
            "relationship": relationship or "",
            **_choices(),
        },
    )


def _similar_query(wayhome: Any, actor: Any, data: dict[str, Any]) -> similar.SimilarQuery:
    """What the new-person form holds so far, as a search: every name row typed (the first as
    the query's first name, the others as ``other_names``); a field that is not valid yet (a
    birth date half typed, an over-long name) is left out rather than refused."""
    rows = [
        {k: n.get(k) for k in NAME_KEYS}
        for n in data.get("names") or []
        if isinstance(n, dict) and any((n.get(k) or "").strip() for k in NAME_KEYS)
    ][: similar.MAX_OTHER_NAMES + 1]
    first, others = (rows[0], rows[1:]) if rows else ({}, [])
    place = (data.get("birth_place_text") or "").strip()
    if not place and data.get("birth_place_id"):
        try:
            place = places.get_place(wayhome, actor, data["birth_place_id"]).display_name
        except Exception:  # noqa: BLE001 - an unknown place is reported when saving
            place = ""
    fields = {
        **{k: first.get(k) for k in NAME_KEYS},
        "sex": data.get("sex") if data.get("sex") in ("M", "F") else None,
        "birth_date": data.get("birth_date"),
        "birth_place": place,
        "other_names": others,
    }
    try:
        return parse_input(similar.SimilarQuery, fields)
    except ValidationFailed as error:
        bad = {e.loc[0] for e in error.errors if e.loc and e.loc[0] != "other_names"}
        bad_rows = {e.loc[1] for e in error.errors if e.loc[:1] == ("other_names",)}
        fields = {k: v for k, v in fields.items() if k not in bad}
        fields["other_names"] = [r for i, r in enumerate(others) if i not in bad_rows]
        return parse_input(similar.SimilarQuery, fields)


@router.post("/persons/similar", dependencies=[CSRFChecked])
async def similar_persons(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    """The panel of likely existing records beside the new-person form (htmx, while typing).
    A POST, so that the names typed stay out of URLs and access logs."""
    data = nest(await request.form())
    query = _similar_query(wayhome, actor, data)
    found = similar.similar_persons(wayhome, actor, query, limit=5)
    typed = [" ".join(part for part in name if part) for name in query.names]
    return render(
        request,
        "persons/_similar.html",
        {"found": found, "searched": query.has_name, "typed": typed},
    )


def _person_input(data: dict[str, Any]) -> PersonInput:
    data = {k: v for k, v in data.items() if k not in ("household_id", "relationship")}
    data["names"] = drop_blank_rows(data.get("names", []), NAME_KEYS)
    return parse_input(PersonInput, data)


def _form_error(
    request: Request,
    wayhome: Any,
    actor: Any,
    data: dict[str, Any],
    error: ValidationFailed,
    person: Any = None,
) -> Response:
    birth_place = None
    if data.get("birth_place_id"):
        try:
            birth_place = places.get_place(wayhome, actor, data["birth_place_id"])
        except Exception:  # noqa: BLE001 - an unknown id is reported at the field already
            birth_place = None
    household = households.load_household_for_form(wayhome, actor, data.get("household_id"))
    names = data.get("names") or [{}]
    return render(
        request,
        "persons/form.html",
        {
            "person": person,
            "names": names,
            "values": data,
            "error": error,
            "birth_place": birth_place,
            "household": household,
            "relationship": data.get("relationship", ""),
            **_choices(),
        },
        422,
    )


@router.post("/persons/new", dependencies=[CSRFChecked])
async def create_person(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    data = nest(await request.form())
    try:
        person_input = _person_input(data)
        relationship = None
        if data.get("household_id"):
            if data.get("relationship") not in {r.value for r in Relationship}:
                raise ValidationFailed(
                    [
                        FieldError(
                            ("relationship",),
                            N_("choose the relationship to the head of household"),
                        )
                    ]
                )
            relationship = Relationship(data["relationship"])
        person = persons.register_person(wayhome, actor, person_input)
    except ValidationFailed as error:
        return _form_error(request, wayhome, actor, data, error)
    if relationship is not None:
        households.add_member(
            wayhome,
            actor,
            data["household_id"],
            MemberInput(person_id=person.id, relationship=relationship),
        )
        return RedirectResponse(f"/households/{data['household_id']}", status_code=303)
    return RedirectResponse(f"/persons/{person.id}", status_code=303)


@router.get("/persons/{person_id}")
def show_person(request: Request, person_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    person = persons.view_person(wayhome, actor, person_id)
    return render(
        request,
        "persons/detail.html",
        {
            "person": person,
            "events": displacement.events_of(wayhome, actor, person_id),
            "households": households.households_of(wayhome, actor, person_id),
            "shares": persons.shares(wayhome, persons.ENTITY, person_id),
            **_choices(),
        },
    )


@router.get("/persons/{person_id}/edit")
def edit_person(request: Request, person_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    require(actor, "person.edit")
    person = persons.view_person(wayhome, actor, person_id)
    return render(
        request,
        "persons/form.html",
        {
            "person": person,
            "names": _form_names(person),
            "values": person,
            "birth_place": person.birth_place,
            **_choices(),
        },
    )


@router.post("/persons/{person_id}/edit", dependencies=[CSRFChecked])
async def update_person(
    request: Request, person_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    data = nest(await request.form())
    person = persons.view_person(wayhome, actor, person_id)
    try:
        persons.update_person(wayhome, actor, person_id, _person_input(data))
    except ValidationFailed as error:
        return _form_error(request, wayhome, actor, data, error, person)
    return RedirectResponse(f"/persons/{person_id}", status_code=303)


@router.post("/persons/{person_id}/archive", dependencies=[CSRFChecked])
def archive_person(person_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    persons.set_archived(wayhome, actor, person_id, True)
    return RedirectResponse(f"/persons/{person_id}", status_code=303)


@router.post("/persons/{person_id}/restore", dependencies=[CSRFChecked])
def restore_person(person_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    persons.set_archived(wayhome, actor, person_id, False)
    return RedirectResponse(f"/persons/{person_id}", status_code=303)


@router.get("/persons/{person_id}/history")
def person_history(
    request: Request, person_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    entries = persons.person_history(wayhome, actor, person_id)
    person = persons.view_person(wayhome, actor, person_id)
    events = displacement.events_of(wayhome, actor, person_id)
    event_history = {
        e.id: readable(wayhome, actor, displacement.displacement_history(wayhome, actor, e.id))
        for e in events
    }
    return render(
        request,
        "persons/history.html",
        {
            "person": person,
            "entries": readable(wayhome, actor, entries),
            "events": events,
            "event_history": event_history,
            **_choices(),
        },
    )


@router.get("/persons/{person_id}/displacements/new")
def new_displacement(
    request: Request, person_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    person = persons.view_person(wayhome, actor, person_id)
    return render(
        request,
        "persons/displacement_form.html",
        {"person": person, "event": None, "values": {}, **_choices()},
    )


def _place_or_none(wayhome: Any, actor: Any, place_id: str | None) -> Any:
    if not place_id:
        return None
    try:
        return places.get_place(wayhome, actor, place_id)
    except Exception:  # noqa: BLE001 - the form reports unknown places at the field
        return None


def _displacement_error(
    request: Request,
    wayhome: Any,
    actor: Any,
    person: Any,
    event: Any,
    data: dict[str, Any],
    error: ValidationFailed,
) -> Response:
    return render(
        request,
        "persons/displacement_form.html",
        {
            "person": person,
            "event": event,
            "values": data,
            "error": error,
            "origin": _place_or_none(wayhome, actor, data.get("origin_place_id")),
            "current": _place_or_none(wayhome, actor, data.get("current_place_id")),
            **_choices(),
        },
        422,
    )


@router.post("/persons/{person_id}/displacements/new", dependencies=[CSRFChecked])
async def create_displacement(
    request: Request, person_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    data = nest(await request.form())
    person = persons.view_person(wayhome, actor, person_id)
    try:
        displacement.record_displacement(
            wayhome, actor, person_id, parse_input(DisplacementInput, data)
        )
    except ValidationFailed as error:
        return _displacement_error(request, wayhome, actor, person, None, data, error)
    return RedirectResponse(f"/persons/{person_id}", status_code=303)


@router.get("/displacements/{event_id}/edit")
def edit_displacement(
    request: Request, event_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    event = displacement.get_displacement(wayhome, actor, event_id)
    person = persons.view_person(wayhome, actor, event.person_id)
    return render(
        request,
        "persons/displacement_form.html",
        {
            "person": person,
            "event": event,
            "values": event,
            "origin": event.origin_place,
            "current": event.current_place,
            **_choices(),
        },
    )


@router.post("/displacements/{event_id}/edit", dependencies=[CSRFChecked])
async def update_displacement(
    request: Request, event_id: str, wayhome: WayhomeDep, actor: UIActor
) -> Response:
    data = nest(await request.form())
    event = displacement.get_displacement(wayhome, actor, event_id)
    person = persons.view_person(wayhome, actor, event.person_id)
    try:
        displacement.update_displacement(
            wayhome, actor, event_id, parse_input(DisplacementInput, data)
        )
    except ValidationFailed as error:
        return _displacement_error(request, wayhome, actor, person, event, data, error)
    return RedirectResponse(f"/persons/{event.person_id}", status_code=303)


@router.get("/persons/names/row")
def name_row(request: Request, actor: UIActor, i: int = 1) -> Response:
    return render(
        request,
        "persons/_name_row.html",
        {"i": i, "n": {"kind": "alias"}, **_choices(), "label_for": _},
    )
