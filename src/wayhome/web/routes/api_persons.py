"""API of persons and their displacement events."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.services import displacement, persons, similar
from wayhome.services.inputs import DisplacementInput, PersonInput, parse_input
from wayhome.web.deps import APIActor, WayhomeDep
from wayhome.web.schemas import (
    DisplacementOut,
    HistoryOut,
    PageOut,
    PersonOut,
    SimilarFieldOut,
    SimilarPersonOut,
)

router = APIRouter(tags=["persons"])


class ShareRequest(BaseModel):
    """With whom to share: an organisation id, or null for every organisation."""

    organisation_id: str | None


@router.get("/persons", response_model=PageOut[PersonOut])
def list_persons(
    wayhome: WayhomeDep,
    actor: APIActor,
    q: str | None = None,
    sex: str | None = None,
    birth_year: int | None = None,
    include_archived: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """Search the persons you may see by name (any script), sex and year of birth."""
    return persons.search_persons(
        wayhome,
        actor,
        q=q,
        sex=sex,
        birth_year=birth_year,
        include_archived=include_archived,
        page=page,
        per_page=per_page,
    )


@router.post("/persons", response_model=PersonOut, status_code=201)
def register_person(body: PersonInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Register a person."""
    return persons.register_person(wayhome, actor, body)


NAME_PARAM = (
    "one more name of the person (an alias, a maiden name, the name in another script), "
    "written `family|given|patronymic` (later parts may be left out, any part empty: "
    "`Гасанова|Лейла`, `|Leyla`); repeat the parameter for several names, up to "
    f"{similar.MAX_OTHER_NAMES}. A record's score is its best over all the names given."
)


def _other_names(values: list[str]) -> list[dict[str, str]]:
    """``name`` parameters as names; a value of more than three parts is refused by position."""
    names, errors = [], []
    for i, value in enumerate(values):
        parts = value.split("|")
        if len(parts) > 3:
            errors.append(
                FieldError(
                    ("query", "name", i),
                    "a name is family|given|patronymic: at most two '|'",
                    {"value": value[:120]},
                )
            )
            continue
        names.append(dict(zip(("family_name", "given_name", "patronymic"), parts, strict=False)))
    if errors:
        raise ValidationFailed(errors)
    return names


@router.get("/persons/similar", response_model=list[SimilarPersonOut])
def similar_persons(
    wayhome: WayhomeDep,
    actor: APIActor,
    given_name: Annotated[str | None, Query(max_length=120)] = None,
    family_name: Annotated[str | None, Query(max_length=120)] = None,
    patronymic: Annotated[str | None, Query(max_length=120)] = None,
    name: Annotated[list[str] | None, Query(description=NAME_PARAM)] = None,
    sex: Annotated[str | None, Query(description="M, F, X or U")] = None,
    birth_date: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    birth_place: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=similar.MAX_LIMIT)] = 10,
) -> Any:
    """Search before register: the persons you may see who most likely are the person
    described (names in any script, several names with ``name``, partial birth date), best
    first, with the match probability and a per-field explanation; ``query_name`` says which
    name scored best (0: ``given_name``/``family_name``/``patronymic``, 1: the first ``name``
    …, blank ones not counted). Archived and merged records are left out."""
    fields = {
        "given_name": given_name,
        "family_name": family_name,
        "patronymic": patronymic,
        "sex": sex,
        "birth_date": birth_date,
        "birth_place": birth_place,
        "other_names": _other_names(name or []),
    }
    try:
        query = parse_input(similar.SimilarQuery, fields)
    except ValidationFailed as error:  # these are query parameters, not a body
        raise ValidationFailed(
            [FieldError(("query", *_param_loc(e.loc)), e.msg, e.params) for e in error.errors]
        ) from None
    return [
        SimilarPersonOut(
            person=PersonOut.model_validate(found.person),
            match_probability=found.probability,
            match_weight=found.match_weight,
            explanation=[
                SimilarFieldOut(
                    field=f.field, level=f.level, explanation=f.explanation, bits=f.bits
                )
                for f in found.fields
            ],
            query_name=found.query_name,
        )
        for found in similar.similar_persons(wayhome, actor, query, limit)
    ]


def _param_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Where an error of the query is among the parameters: ``other_names`` are ``name``."""
    return ("name", *loc[1:]) if loc[:1] == ("other_names",) else loc


@router.get("/persons/{person_id}", response_model=PersonOut)
def get_person(person_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """One person (the view is audited)."""
    return persons.view_person(wayhome, actor, person_id)


@router.put("/persons/{person_id}", response_model=PersonOut)
def update_person(person_id: str, body: PersonInput, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Replace a person's details (send the version you edited to detect conflicts)."""
    return persons.update_person(wayhome, actor, person_id, body)


@router.post("/persons/{person_id}/archive", response_model=PersonOut)
def archive_person(person_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Archive a person: hidden from lists, kept with their history."""
    return persons.set_archived(wayhome, actor, person_id, True)


@router.post("/persons/{person_id}/restore", response_model=PersonOut)
def restore_person(person_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Restore an archived person."""
    return persons.set_archived(wayhome, actor, person_id, False)


@router.post("/persons/{person_id}/shares", status_code=204)
def share_person(person_id: str, body: ShareRequest, wayhome: WayhomeDep, actor: APIActor) -> None:
    """Share a person with another organisation."""
    persons.share(wayhome, actor, person_id, body.organisation_id)


@router.get("/persons/{person_id}/history", response_model=list[HistoryOut])
def person_history(person_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of a person: who changed what and when."""
    return persons.person_history(wayhome, actor, person_id)


@router.get("/persons/{person_id}/displacements", response_model=list[DisplacementOut])
def list_displacements(person_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """A person's displacement events, latest first."""
    return displacement.events_of(wayhome, actor, person_id)


@router.post("/persons/{person_id}/displacements", response_model=DisplacementOut, status_code=201)
def record_displacement(
    person_id: str, body: DisplacementInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Record a displacement of a person."""
    return displacement.record_displacement(wayhome, actor, person_id, body)


@router.put("/displacements/{event_id}", response_model=DisplacementOut)
def update_displacement(
    event_id: str, body: DisplacementInput, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Change a displacement event (e.g. the person returned)."""
    return displacement.update_displacement(wayhome, actor, event_id, body)


@router.get("/displacements/{event_id}/history", response_model=list[HistoryOut])
def displacement_history(event_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Every version of a displacement event."""
    return displacement.displacement_history(wayhome, actor, event_id)
