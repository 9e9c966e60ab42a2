"""Persons: register, find, view (audited), edit, archive and share; names are kept as recorded."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.scripts import detect_script, fold
from wayhome.services import audit, search_index
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import PersonInput, PersonNameInput
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import require, visible
from wayhome.store.collation import by_name
from wayhome.store.tables import Organisation, Person, PersonName, Place, RecordShare
from wayhome.store.types import utcnow

ENTITY = "person"


def full_name(name: PersonName | PersonNameInput) -> str:
    """Return a name as written: family name, given name, patronymic."""
    parts = [name.family_name, name.given_name, name.patronymic]
    return " ".join(p for p in parts if p) or "—"


def snapshot(person: Person) -> dict[str, Any]:
    """Return the state of a person as kept in their history."""
    return {
        "names": [
            {
                "kind": n.kind,
                "given_name": n.given_name,
                "family_name": n.family_name,
                "patronymic": n.patronymic,
                "script": n.script,
                "lang": n.lang,
            }
            for n in person.names
        ],
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_place_id": person.birth_place_id,
        "birth_place_text": person.birth_place_text,
        "notes": person.notes,
        "source": person.source,
        "organisation_id": person.organisation_id,
        "deleted": person.deleted_at is not None,
    }


def _validate(session: Session, data: PersonInput) -> None:
    errors = [
        FieldError(("names", i), N_("give at least a given name or a family name"))
        for i, n in enumerate(data.names)
        if not (n.given_name or n.family_name)
    ]
    if data.birth_place_id is not None and session.get(Place, data.birth_place_id) is None:
        errors.append(FieldError(("birth_place_id",), N_("no such place")))
    if errors:
        raise ValidationFailed(errors)


def _apply(person: Person, data: PersonInput) -> None:
    person.sex = data.sex.value
    birth = parse_partial_date(data.birth_date)
    person.birth_date = birth.iso()
    person.birth_date_precision = birth.precision.value
    person.birth_year = birth.year
    person.birth_place_id = data.birth_place_id
    person.birth_place_text = data.birth_place_text
    person.notes = data.notes
    person.source = data.source
    names = sorted(data.names, key=lambda n: n.kind != "primary")  # the primary name leads
    person.names = [
        PersonName(
            position=i,
            kind=n.kind.value,
            given_name=n.given_name,
            family_name=n.family_name,
            patronymic=n.patronymic,
            script=detect_script(full_name(n)),
            lang=n.lang,
            folded=fold(full_name(n)),
        )
        for i, n in enumerate(names)
    ]
    person.display_name = full_name(names[0])


def write_person(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    data: PersonInput,
    person: Person | None = None,
) -> Person:
    """Create or update a person inside the caller's transaction."""
    _validate(session, data)
    before = snapshot(person) if person is not None else None
    if person is None:
        person = Person(
            origin_instance=wayhome.instance_id,
            organisation_id=actor.organisation_id,
            recorded_by_id=actor.user_id,
        )
        session.add(person)
        action = "create"
    else:
        if data.version is not None and data.version != person.version:
            raise Conflict(
                N_(
                    "this record was changed by someone else (now version %(version)d); "
                    "reload it and make your change again"
                ),
                {"version": person.version},
            )
        person.version += 1
        person.updated_at = utcnow()
        action = "update"
    _apply(person, data)
    session.flush()
    search_index.index_person(session, person)
    audit.record_version(
        session, wayhome, actor, ENTITY, person.id, person.version, action, snapshot(person), before
    )
    return person


def load_visible(session: Session, actor: Actor, person_id: str) -> Person:
    """Return a person the actor may see, or raise NotFound (never revealing that it exists)."""
    person = session.scalar(
        select(Person).where(Person.id == person_id, visible(actor, Person, ENTITY))
    )
    if person is None:
        raise NotFound(N_("no such person"))
    return person


def register_person(wayhome: Wayhome, actor: Actor, data: PersonInput) -> Person:
    """Register a new person in the actor's organisation."""
    require(actor, "person.create")
    with wayhome.transaction() as session:
        return write_person(session, wayhome, actor, data)


def update_person(wayhome: Wayhome, actor: Actor, person_id: str, data: PersonInput) -> Person:
    """Change a person's record; the previous state stays in the history."""
    require(actor, "person.edit")
    with wayhome.transaction() as session:
        person = load_visible(session, actor, person_id)
        if person.deleted_at is not None:
            raise Conflict(N_("this record is archived; restore it before editing"))
        return write_person(session, wayhome, actor, data, person)


def set_archived(wayhome: Wayhome, actor: Actor, person_id: str, archived: bool) -> Person:
    """Archive a person (hidden from lists, never deleted) or restore them."""
    require(actor, "person.archive")
    with wayhome.transaction() as session:
        person = load_visible(session, actor, person_id)
        if (person.deleted_at is not None) == archived:
            return person
        before = snapshot(person)
        person.deleted_at = utcnow() if archived else None
        person.version += 1
        person.updated_at = utcnow()
        session.flush()
        search_index.index_person(session, person)
        action = "archive" if archived else "restore"
        audit.record_version(
            session,
            wayhome,
            actor,
            ENTITY,
            person.id,
            person.version,
            action,
            snapshot(person),
            before,
        )
        return person


def view_person(wayhome: Wayhome, actor: Actor, person_id: str) -> Person:
    """Return a person for display and audit that the actor viewed them."""
    require(actor, "person.view")
    with wayhome.transaction() as session:
        person = load_visible(session, actor, person_id)
        audit.log(session, actor, "view", ENTITY, person.id)
        return person


def search_persons(
    wayhome: Wayhome,
    actor: Actor,
    *,
    q: str | None = None,
    sex: str | None = None,
    birth_year: int | None = None,
    include_archived: bool = False,
    page: int = 1,
    per_page: int = 25,
    lang: str | None = None,
) -> Page[Person]:
    """Find persons the actor may see by any of their names (every term in one name), sex and year
    (sorted by name in the order of the language ``lang`` when given)."""
    require(actor, "person.view")
    query = select(Person).where(visible(actor, Person, ENTITY))
    # a record merged into another (services/duplicates.py) is found through the one kept
    query = query.where(Person.merged_into_id.is_(None))
    if not include_archived:
        query = query.where(Person.deleted_at.is_(None))
    terms = fold(q).split() if q else []
    if terms:
        matching = select(PersonName.person_id).where(
            and_(*(PersonName.folded.contains(t, autoescape=True) for t in terms))
        )
        merged = aliased(Person)  # a kept person is also found by the names of merged records
        via_merged = select(merged.merged_into_id).where(merged.id.in_(matching))
        query = query.where(or_(Person.id.in_(matching), Person.id.in_(via_merged)))
    if sex:
        query = query.where(Person.sex == sex)
    if birth_year:
        query = query.where(Person.birth_year == birth_year)
    query = query.order_by(by_name(Person.display_name, lang), Person.id)
    with wayhome.read() as session:
        return paginate(session, query, page, per_page)


def share(wayhome: Wayhome, actor: Actor, person_id: str, organisation_id: str | None) -> None:
    """Make a person visible to another organisation (None: to all organisations)."""
    require(actor, "person.share")
    with wayhome.transaction() as session:
        person = load_visible(session, actor, person_id)
        if person.organisation_id != actor.organisation_id:
            raise ValidationFailed(
                [FieldError(("organisation_id",), N_("only the owner may share"))]
            )
        share_record(session, actor, ENTITY, person.id, organisation_id)


def share_record(
    session: Session, actor: Actor, entity_type: str, entity_id: str, organisation_id: str | None
) -> None:
    """Add one share row (idempotent) and audit it."""
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise ValidationFailed([FieldError(("organisation_id",), N_("no such organisation"))])
    exists = session.scalar(
        select(RecordShare.id).where(
            RecordShare.entity_type == entity_type,
            RecordShare.entity_id == entity_id,
            RecordShare.organisation_id.is_(None)
            if organisation_id is None
            else RecordShare.organisation_id == organisation_id,
        )
    )
    if exists is None:
        session.add(
            RecordShare(
                entity_type=entity_type,
                entity_id=entity_id,
                organisation_id=organisation_id,
                created_by_id=actor.user_id,
            )
        )
        audit.log(
            session, actor, "share", entity_type, entity_id, {"organisation_id": organisation_id}
        )


def shares(wayhome: Wayhome, entity_type: str, entity_id: str) -> list[RecordShare]:
    """Return the organisations a record is shared with."""
    with wayhome.read() as session:
        return list(
            session.scalars(
                select(RecordShare).where(
                    RecordShare.entity_type == entity_type, RecordShare.entity_id == entity_id
                )
            )
        )


def person_history(wayhome: Wayhome, actor: Actor, person_id: str) -> list[audit.HistoryEntry]:
    """Return every version of a person the actor may see."""
    require(actor, "history.view")
    with wayhome.transaction() as session:
        load_visible(session, actor, person_id)
        audit.log(session, actor, "view_history", ENTITY, person_id)
        return audit.history(session, ENTITY, person_id)
