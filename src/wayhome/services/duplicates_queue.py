"""Reading the duplicates review queue: pages, counts, a pair side by side, merges of a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from wayhome.core.errors import FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.services import audit, persons
from wayhome.services.context import Actor, Wayhome
from wayhome.services.duplicates_find import ENTITY, PERSON, STATUSES
from wayhome.services.paging import Page, paginate
from wayhome.services.permissions import require, visible
from wayhome.store.tables import DisplacementEvent, HouseholdMember, Person
from wayhome.store.tables_review import (
    DuplicateCandidate,
    DuplicateDecision,
    DuplicateMerge,
    DuplicateRun,
)

# --- reading the queue ------------------------------------------------------------------------


def visible_candidates(actor: Actor) -> tuple[Select[Any], Any, Any]:
    """Candidates both of whose persons the actor may see, and the two person aliases."""
    a, b = aliased(Person), aliased(Person)
    query = (
        select(DuplicateCandidate)
        .join(a, a.id == DuplicateCandidate.person_a_id)
        .join(b, b.id == DuplicateCandidate.person_b_id)
        .where(visible(actor, a, PERSON), visible(actor, b, PERSON))
    )
    return query, a, b


def _open(a: Any, b: Any) -> Any:
    """SQL: both persons are still separate, live records (a pending pair can be decided)."""
    return (
        a.merged_into_id.is_(None)
        & b.merged_into_id.is_(None)
        & a.deleted_at.is_(None)
        & b.deleted_at.is_(None)
    )


def list_candidates(
    wayhome: Wayhome,
    actor: Actor,
    *,
    status: str = "pending",
    page: int = 1,
    per_page: int = 25,
) -> Page[DuplicateCandidate]:
    """A page of the queue: pending pairs (not skipped first, most likely first), or decided ones."""
    require(actor, "duplicates.view")
    if status not in STATUSES:
        raise ValidationFailed(
            [
                FieldError(
                    ("status",),
                    N_("unknown status; use one of %(choices)s"),
                    {"choices": ", ".join(STATUSES)},
                )
            ]
        )
    query, a, b = visible_candidates(actor)
    query = query.where(DuplicateCandidate.status == status)
    if status == "pending":
        query = query.where(_open(a, b)).order_by(
            case((DuplicateCandidate.skipped_at.is_(None), 0), else_=1),
            DuplicateCandidate.skipped_at,
            func.coalesce(DuplicateCandidate.match_probability, 1.0).desc(),
            DuplicateCandidate.id,
        )
    else:
        query = query.order_by(DuplicateCandidate.decided_at.desc(), DuplicateCandidate.id)
    # Sort and count ids only, then load the page: sorting whole rows would drag every pair's
    # explanation through the sort (hundreds of milliseconds at ten thousand pairs).
    ids = query.with_only_columns(DuplicateCandidate.id)
    with wayhome.read() as session:
        found = paginate(session, ids, page, per_page)
        rows = session.scalars(
            select(DuplicateCandidate).where(DuplicateCandidate.id.in_(found.items))
        ).unique()
        by_id = {c.id: c for c in rows}
        return Page([by_id[i] for i in found.items], found.total, found.page, found.per_page)


def queue_counts(wayhome: Wayhome, actor: Actor) -> dict[str, int]:
    """How many pairs the actor may see per status (pending: only those still open)."""
    require(actor, "duplicates.view")
    query, a, b = visible_candidates(actor)
    counts = dict.fromkeys(STATUSES, 0)
    status = DuplicateCandidate.status
    inner = query.where(or_(status != "pending", _open(a, b))).subquery()
    rows = select(inner.c.status, func.count()).group_by(inner.c.status)
    with wayhome.read() as session:
        for name, n in session.execute(rows):
            counts[name] = n
    return counts


@dataclass(frozen=True)
class Side:
    """One person of a pair, with what the comparison page shows of them."""

    person: Person
    households: int
    displacements: int
    also_recorded_as: list[Person]


@dataclass(frozen=True)
class CandidateDetail:
    """A pair side by side, its decisions (newest first) and the merge in force, if any."""

    candidate: DuplicateCandidate
    a: Side
    b: Side
    decisions: list[DuplicateDecision]
    merge: DuplicateMerge | None
    is_open: bool  # both records are separate and live (pending pairs can be decided)
    total_bits: float = field(default=0.0)

    @property
    def kept(self) -> Side | None:
        """The side that was kept by the merge in force."""
        if self.merge is None:
            return None
        return self.a if self.merge.kept_person_id == self.a.person.id else self.b


def load_candidate(
    session: Session, actor: Actor, candidate_id: str, *, lock: bool = False
) -> DuplicateCandidate:
    query, _a, _b = visible_candidates(actor)
    query = query.where(DuplicateCandidate.id == candidate_id)
    if lock:  # deciding: a second reviewer waits, then sees the new version (409)
        query = query.with_for_update(of=DuplicateCandidate).execution_options(
            populate_existing=True
        )
    candidate = session.scalar(query)
    if candidate is None:
        raise NotFound(N_("no such duplicate candidate"))
    return candidate


def _side(session: Session, actor: Actor, person: Person) -> Side:
    households = session.scalar(select(func.count()).where(HouseholdMember.person_id == person.id))
    events = session.scalar(
        select(func.count()).where(
            DisplacementEvent.person_id == person.id, DisplacementEvent.deleted_at.is_(None)
        )
    )
    return Side(person, households or 0, events or 0, merged_into(session, actor, person.id))


def merged_into(session: Session, actor: Actor, person_id: str) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .where(Person.merged_into_id == person_id, visible(actor, Person, PERSON))
            .order_by(Person.id)
        )
    )


def get_candidate(wayhome: Wayhome, actor: Actor, candidate_id: str) -> CandidateDetail:
    """A pair side by side with the explanation; viewing both persons is audited."""
    require(actor, "duplicates.view")
    with wayhome.transaction() as session:
        candidate = load_candidate(session, actor, candidate_id)
        a = session.get(Person, candidate.person_a_id)
        b = session.get(Person, candidate.person_b_id)
        assert a is not None and b is not None
        for person in (a, b):
            audit.log(session, actor, "view", PERSON, person.id, {"via": ENTITY})
        decisions = list(
            session.scalars(
                select(DuplicateDecision)
                .where(DuplicateDecision.candidate_id == candidate.id)
                .order_by(DuplicateDecision.at.desc(), DuplicateDecision.id.desc())
            )
        )
        merge = active_merge(session, candidate.id)
        is_open = all(p.merged_into_id is None and p.deleted_at is None for p in (a, b))
        bits = sum(float(e.get("bits", 0.0)) for e in candidate.explanation)
        return CandidateDetail(
            candidate,
            _side(session, actor, a),
            _side(session, actor, b),
            decisions,
            merge,
            is_open,
            bits,
        )


def active_merge(session: Session, candidate_id: str) -> DuplicateMerge | None:
    return session.scalar(
        select(DuplicateMerge).where(
            DuplicateMerge.candidate_id == candidate_id, DuplicateMerge.undone_at.is_(None)
        )
    )


@dataclass(frozen=True)
class PersonMerges:
    """What the page of one person shows about merges: where it went, what came into it."""

    person_id: str
    merged_into_id: str | None
    target: Person | None  # None when not merged, or merged into a record the actor may not see
    merged: list[Person]
    merge_candidate_id: str | None  # the pair whose merge put this record where it is


def person_merges(wayhome: Wayhome, actor: Actor, person_id: str) -> PersonMerges:
    """Where a person record was merged, and the records merged into it (both as the actor sees)."""
    require(actor, "person.view")
    with wayhome.read() as session:
        person = persons.load_visible(session, actor, person_id)
        target = None
        candidate_id = None
        if person.merged_into_id is not None:
            target = session.scalar(
                select(Person).where(
                    Person.id == person.merged_into_id, visible(actor, Person, PERSON)
                )
            )
            candidate_id = session.scalar(
                select(DuplicateMerge.candidate_id)
                .where(
                    DuplicateMerge.merged_person_id == person.id,
                    DuplicateMerge.undone_at.is_(None),
                )
                .order_by(DuplicateMerge.merged_at.desc())
                .limit(1)
            )
        return PersonMerges(
            person.id,
            person.merged_into_id,
            target,
            merged_into(session, actor, person.id),
            candidate_id,
        )


def last_run(wayhome: Wayhome, actor: Actor) -> DuplicateRun | None:
    """The latest run of the engine in the actor's organisation."""
    require(actor, "duplicates.view")
    with wayhome.read() as session:
        return session.scalar(
            select(DuplicateRun)
            .where(DuplicateRun.organisation_id == actor.organisation_id)
            .order_by(DuplicateRun.started_at.desc(), DuplicateRun.id.desc())
            .limit(1)
        )


def merged_records(wayhome: Wayhome, actor: Actor, person_id: str) -> list[Person]:
    """The records merged into a person that the actor may see ("also recorded as")."""
    require(actor, "person.view")
    with wayhome.read() as session:
        persons.load_visible(session, actor, person_id)
        return merged_into(session, actor, person_id)


def merge_target(wayhome: Wayhome, actor: Actor, person_id: str) -> Person | None:
    """The person a merged record now lives in, if the actor may see it (else None)."""
    require(actor, "person.view")
    with wayhome.read() as session:
        person = persons.load_visible(session, actor, person_id)
        if person.merged_into_id is None:
            return None
        return session.scalar(
            select(Person).where(Person.id == person.merged_into_id, visible(actor, Person, PERSON))
        )
