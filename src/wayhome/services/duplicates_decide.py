"""Deciding on a pair: merge ("same person"), different, skip, and undoing a merge.

Every decision is a `duplicate_decisions` row and an audit event; a merge or its undo also keeps a
new version of every person it touched. Decisions lock the pair and carry its version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayhome.core.errors import Conflict, FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.services import audit, persons, search_index
from wayhome.services.context import Actor, Wayhome
from wayhome.services.duplicates_find import ENTITY, PERSON
from wayhome.services.duplicates_queue import active_merge, load_candidate
from wayhome.services.permissions import require
from wayhome.store.tables import Person
from wayhome.store.tables_review import (
    DuplicateCandidate,
    DuplicateDecision,
    DuplicateMerge,
)
from wayhome.store.types import utcnow

# --- deciding ---------------------------------------------------------------------------------


def _snapshot(session: Session, person: Person) -> dict[str, Any]:
    """A person's history snapshot plus where it was merged and what was merged into it."""
    merged = session.scalars(
        select(Person.id).where(Person.merged_into_id == person.id).order_by(Person.id)
    )
    return {
        **persons.snapshot(person),
        "merged_into_id": person.merged_into_id,
        "also_recorded_as": list(merged),
    }


def _touch(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    people: list[Person],
    change: Callable[[], None],
    action: str,
) -> None:
    """Apply a change and keep a new version of every person it touched."""
    before = {p.id: _snapshot(session, p) for p in people}
    change()
    session.flush()
    for person in people:
        person.version += 1
        person.updated_at = utcnow()
        search_index.index_person(session, person)  # a merged record leaves the search index
    session.flush()
    for person in people:
        audit.record_version(
            session,
            wayhome,
            actor,
            PERSON,
            person.id,
            person.version,
            action,
            _snapshot(session, person),
            before[person.id],
        )


def _check_version(candidate: DuplicateCandidate, version: int | None) -> None:
    if version is not None and version != candidate.version:
        raise Conflict(
            N_(
                "this pair was decided or changed by someone else (now version %(version)d); "
                "reload it and decide again"
            ),
            {"version": candidate.version},
        )


def _decide(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    candidate: DuplicateCandidate,
    decision: str,
    note: str | None,
    merge: DuplicateMerge | None = None,
) -> None:
    now = utcnow()
    session.add(
        DuplicateDecision(
            candidate_id=candidate.id,
            decision=decision,
            at=now,
            user_id=actor.user_id,
            user_name=actor.label,
            organisation_id=actor.organisation_id,
            origin_instance=wayhome.instance_id,
            note=note,
            merge_id=merge.id if merge is not None else None,
        )
    )
    if decision != "skip":
        candidate.decided_at, candidate.decided_by_id = now, actor.user_id
        candidate.note = note or candidate.note
    candidate.version += 1
    detail: dict[str, Any] = {"persons": [candidate.person_a_id, candidate.person_b_id]}
    if merge is not None:
        detail |= {"kept": merge.kept_person_id, "merged": merge.merged_person_id}
    audit.log(session, actor, f"duplicate_{decision}", ENTITY, candidate.id, detail)


def _pair(session: Session, candidate: DuplicateCandidate) -> tuple[Person, Person]:
    """Both persons, locked (PostgreSQL) and re-read, so two reviewers cannot merge crosswise."""
    ids = (candidate.person_a_id, candidate.person_b_id)
    locked = session.scalars(
        select(Person)
        .where(Person.id.in_(ids))
        .with_for_update(of=Person)
        .execution_options(populate_existing=True)
    )
    found = {p.id: p for p in locked}
    return found[ids[0]], found[ids[1]]


def _require_open(a: Person, b: Person) -> None:
    if a.merged_into_id is not None or b.merged_into_id is not None:
        raise Conflict(N_("one of these records has been merged into another person meanwhile"))
    if a.deleted_at is not None or b.deleted_at is not None:
        raise Conflict(N_("one of these records is archived; restore it first"))


def _require_owner(actor: Actor, *records: Person) -> None:
    """Only the organisation that recorded a person may merge it away (or bring it back)."""
    if all(r.organisation_id != actor.organisation_id for r in records):
        raise ValidationFailed(
            [
                FieldError(
                    ("keep_id",),
                    N_(
                        "only the organisation that recorded a person may merge that record "
                        "into another or undo it; keep that record instead"
                    ),
                )
            ]
        )


def decide_same(
    wayhome: Wayhome,
    actor: Actor,
    candidate_id: str,
    *,
    keep_id: str | None = None,
    note: str | None = None,
    version: int | None = None,
) -> DuplicateMerge:
    """Merge: the other record points at the one kept (`keep_id`, default the older); nothing is deleted."""
    require(actor, "duplicates.merge")
    with wayhome.transaction() as session:
        candidate = load_candidate(session, actor, candidate_id, lock=True)
        _check_version(candidate, version)
        _require_owner(actor, candidate.person_a, candidate.person_b)
        if candidate.status == "merged":
            raise Conflict(N_("these records are merged already"))
        a, b = _pair(session, candidate)
        _require_open(a, b)
        keep_id = keep_id or a.id
        if keep_id not in (a.id, b.id):
            raise ValidationFailed([FieldError(("keep_id",), N_("keep one of the two records"))])
        kept, duplicate = (a, b) if keep_id == a.id else (b, a)
        _require_owner(actor, duplicate)
        carried = list(session.scalars(select(Person).where(Person.merged_into_id == duplicate.id)))
        merge = DuplicateMerge(
            candidate_id=candidate.id,
            kept_person_id=kept.id,
            merged_person_id=duplicate.id,
            carried_ids=[p.id for p in carried],
            merged_by_id=actor.user_id,
        )

        def change() -> None:
            duplicate.merged_into_id = kept.id
            for record in carried:  # no chains: everything points at the record kept
                record.merged_into_id = kept.id

        _touch(session, wayhome, actor, [kept, duplicate, *carried], change, "merge")
        session.add(merge)
        session.flush()
        candidate.status = "merged"
        _decide(session, wayhome, actor, candidate, "same", note, merge)
        return merge


def decide_different(
    wayhome: Wayhome,
    actor: Actor,
    candidate_id: str,
    *,
    note: str | None = None,
    version: int | None = None,
) -> DuplicateCandidate:
    """Remember that the two records are different people; the pair is never proposed again."""
    require(actor, "duplicates.decide")
    with wayhome.transaction() as session:
        candidate = load_candidate(session, actor, candidate_id, lock=True)
        _check_version(candidate, version)
        if candidate.status == "merged":
            raise Conflict(N_("these records are merged; undo the merge first"))
        if candidate.status == "different":
            return candidate
        candidate.status = "different"
        _decide(session, wayhome, actor, candidate, "different", note)
        return candidate


def skip(
    wayhome: Wayhome,
    actor: Actor,
    candidate_id: str,
    *,
    note: str | None = None,
    version: int | None = None,
) -> DuplicateCandidate:
    """Not sure: leave the pair pending but move it behind the pairs not yet looked at."""
    require(actor, "duplicates.decide")
    with wayhome.transaction() as session:
        candidate = load_candidate(session, actor, candidate_id, lock=True)
        _check_version(candidate, version)
        if candidate.status != "pending":
            raise Conflict(N_("this pair has been decided already"))
        candidate.skipped_at = utcnow()
        _decide(session, wayhome, actor, candidate, "skip", note)
        return candidate


def unmerge(
    wayhome: Wayhome,
    actor: Actor,
    candidate_id: str,
    *,
    note: str | None = None,
    version: int | None = None,
) -> DuplicateCandidate:
    """Undo a merge: both records are separate persons again and the pair is pending again."""
    require(actor, "duplicates.merge")
    with wayhome.transaction() as session:
        candidate = load_candidate(session, actor, candidate_id, lock=True)
        _check_version(candidate, version)
        _require_owner(actor, candidate.person_a, candidate.person_b)
        merge = active_merge(session, candidate.id)
        if candidate.status != "merged" or merge is None:
            raise Conflict(N_("these records are not merged"))
        a, b = _pair(session, candidate)
        kept, duplicate = (a, b) if merge.kept_person_id == a.id else (b, a)
        _require_owner(actor, duplicate)
        if duplicate.merged_into_id != kept.id or kept.merged_into_id is not None:
            raise Conflict(
                N_("the kept record was merged into another person since; undo that merge first")
            )
        carried = list(
            session.scalars(
                select(Person).where(
                    Person.id.in_(merge.carried_ids or []), Person.merged_into_id == kept.id
                )
            )
        )

        def change() -> None:
            duplicate.merged_into_id = None
            for record in carried:
                record.merged_into_id = duplicate.id

        _touch(session, wayhome, actor, [kept, duplicate, *carried], change, "unmerge")
        merge.undone_at, merge.undone_by_id = utcnow(), actor.user_id
        candidate.status = "pending"
        _decide(session, wayhome, actor, candidate, "undo", note, merge)
        return candidate
