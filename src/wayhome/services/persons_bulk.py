"""Register many persons at once (imports, large registries): one transaction, no ORM per record.

The rows ``services/persons.py`` writes for one registration — the person, their names as
recorded, version 1 in the history, an audit event and the search index entries — are written
here with multi-row inserts, a batch at a time. Every input is validated before its batch is
written and the transaction is all-or-nothing: an error anywhere rolls the whole import back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.ids import new_id
from wayhome.core.messages import N_
from wayhome.core.scripts import detect_script, fold
from wayhome.services import audit, search_index
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import PersonInput
from wayhome.services.permissions import require
from wayhome.services.persons import ENTITY, full_name
from wayhome.store.tables import AuditEvent, Person, PersonName, Place, RecordVersion
from wayhome.store.types import utcnow


def _batches(items: Iterable[PersonInput], size: int) -> Iterator[list[PersonInput]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _check(session: Session, batch: list[PersonInput], first: int) -> dict[str, str]:
    """Validate a batch (as ``persons.write_person`` does); return the names of the places."""
    errors = [
        FieldError(
            ("persons", first + i, "names", j), N_("give at least a given name or a family name")
        )
        for i, person in enumerate(batch)
        for j, n in enumerate(person.names)
        if not (n.given_name or n.family_name)
    ]
    wanted = {p.birth_place_id for p in batch if p.birth_place_id}
    places = (
        dict(
            session.execute(select(Place.id, Place.display_name).where(Place.id.in_(wanted))).all()
        )
        if wanted
        else {}
    )
    errors += [
        FieldError(("persons", first + i, "birth_place_id"), N_("no such place"))
        for i, p in enumerate(batch)
        if p.birth_place_id and p.birth_place_id not in places
    ]
    if errors:
        raise ValidationFailed(errors)
    return places


def _rows(
    wayhome: Wayhome, actor: Actor, data: PersonInput, now: Any
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """The person row, its name rows and its history snapshot."""
    pid = new_id()
    birth = parse_partial_date(data.birth_date)
    names = sorted(data.names, key=lambda n: n.kind != "primary")  # the primary name leads
    name_rows = [
        {
            "id": new_id(),
            "person_id": pid,
            "position": i,
            "kind": n.kind.value,
            "given_name": n.given_name,
            "family_name": n.family_name,
            "patronymic": n.patronymic,
            "script": detect_script(full_name(n)),
            "lang": n.lang,
            "folded": fold(full_name(n)),
        }
        for i, n in enumerate(names)
    ]
    person = {
        "id": pid,
        "origin_instance": wayhome.instance_id,
        "organisation_id": actor.organisation_id,
        "source": data.source,
        "recorded_by_id": actor.user_id,
        "recorded_at": now,
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "deleted_at": None,
        "sex": data.sex.value,
        "birth_date": birth.iso(),
        "birth_date_precision": birth.precision.value,
        "birth_year": birth.year,
        "birth_place_id": data.birth_place_id,
        "birth_place_text": data.birth_place_text,
        "notes": data.notes,
        "display_name": full_name(names[0]),
    }
    snapshot = {  # as persons.snapshot() keeps it
        "names": [
            {k: r[k] for k in ("kind", "given_name", "family_name", "patronymic", "script", "lang")}
            for r in name_rows
        ],
        "sex": person["sex"],
        "birth_date": person["birth_date"],
        "birth_place_id": person["birth_place_id"],
        "birth_place_text": person["birth_place_text"],
        "notes": person["notes"],
        "source": person["source"],
        "organisation_id": person["organisation_id"],
        "deleted": False,
    }
    return person, name_rows, snapshot


def bulk_register(
    wayhome: Wayhome,
    actor: Actor,
    people: Iterable[PersonInput],
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Register every person of ``people`` in the actor's organisation, in one transaction;
    returns their new ids in input order. Raises ValidationFailed (``loc`` starting with
    ``("persons", index)``) and writes nothing if any input is invalid."""
    require(actor, "person.create")
    ids: list[str] = []
    counts: Counter[tuple[str, str]] = Counter()
    cache: search_index.TokenCache = {}
    with wayhome.transaction() as session:
        for batch in _batches(people, batch_size):
            places = _check(session, batch, len(ids))
            now = utcnow()
            persons, names, versions, events, indexed = [], [], [], [], []
            for data in batch:
                person, name_rows, snapshot = _rows(wayhome, actor, data, now)
                changes = audit.diff(None, snapshot)
                persons.append(person)
                names.extend(name_rows)
                versions.append(
                    {
                        "id": new_id(),
                        "entity_type": ENTITY,
                        "entity_id": person["id"],
                        "version": 1,
                        "action": "create",
                        "changed_at": now,
                        "changed_by_id": actor.user_id,
                        "changed_by_name": actor.label,
                        "origin_instance": wayhome.instance_id,
                        "snapshot": snapshot,
                        "changes": changes,
                    }
                )
                events.append(
                    {
                        "id": new_id(),
                        "at": now,
                        "user_id": actor.user_id,
                        "username": actor.username,
                        "organisation_id": actor.organisation_id,
                        "action": "create",
                        "entity_type": ENTITY,
                        "entity_id": person["id"],
                        "ip": actor.ip,
                        "detail": {"version": 1, "fields": list(changes), "bulk": True},
                    }
                )
                place = data.birth_place_text or places.get(data.birth_place_id or "")
                features = search_index.match_features(
                    [(n["family_name"], n["given_name"], n["patronymic"]) for n in name_rows],
                    person["sex"],
                    person["birth_date"],
                    place,
                    cache,
                )
                indexed.append((person["id"], features))
                counts.update(search_index.counted_keys(features))
            session.execute(insert(Person), persons)
            session.execute(insert(PersonName), names)
            session.execute(insert(RecordVersion), versions)
            session.execute(insert(AuditEvent), events)
            search_index.write_index_rows(session, indexed)
            ids.extend(p["id"] for p in persons)
            if progress is not None:
                progress(len(ids))
        counts[search_index.TOTAL] = len(ids)
        search_index.add_counts(session, counts)
    return ids
