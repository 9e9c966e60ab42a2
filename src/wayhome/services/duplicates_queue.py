"""Reading the duplicates review queue: pages, counts, a pair side by side, merges of a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Select, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from wayhome.core.errors import FieldError, NotFound, ValidationFailed
from wayhome.core.messages import N_
from wayhome.services import audit, persons
from wayhome.services.context import Actor, Wayhome
from wayhome.services.duplicates_find import ENTITY, PERSON, STATUSES
from wayhome.services.paging import Page
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


# The queue is read as consecutive parts, each in the order of ``ix_duplicate_candidates_queue``
# (or ``_decided``) read forwards or backwards, so that the database walks the index, joins the
# two persons of each pair (visible to the actor, still separate and live) and stops after one
# page: no sort of every pending pair. Sorting and counting them all cost 1.8 s per page at
# 120,000 pending pairs on SQLite; a page is now a few milliseconds, plus the count.
# Counting what an actor may see still joins both persons of every pair (about 1 s per 120,000
# pairs on SQLite): lists in the UI count up to this many and then say "more than".
UI_COUNT_LIMIT = 10_000


def _parts(status: str) -> list[tuple[Any, list[Any]]]:
    """The queue of ``status`` in order, as consecutive parts: (condition, order)."""
    c = DuplicateCandidate
    # The order names the index's leading columns too, though they are constant in each part:
    # PostgreSQL takes ``skipped_at IS NULL`` for a filter, not a constant, and would sort.
    if status != "pending":  # decided: newest first
        return [(true(), [c.status.desc(), c.decided_at.desc(), c.id.desc()])]
    fresh = c.skipped_at.is_(None)
    return [
        # not skipped: pairs flagged by hand (no probability) first, then most likely first
        (
            fresh & c.match_probability.is_(None),
            [c.status, c.skipped_at, c.match_probability, c.id],
        ),
        (
            fresh & c.match_probability.is_not(None),
            [c.status.desc(), c.skipped_at.desc(), c.match_probability.desc(), c.id.desc()],
        ),
        # skipped, in the order they were skipped (usually few: this part is sorted)
        (
            c.skipped_at.is_not(None),
            [c.skipped_at, func.coalesce(c.match_probability, 1.0).desc(), c.id],
        ),
    ]


def _listed(actor: Actor, status: str) -> Select[Any]:
    """Ids of the candidates of ``status`` that the actor may see (pending: still open)."""
    query, a, b = visible_candidates(actor)
    query = query.where(DuplicateCandidate.status == status)
    if status == "pending":
        query = query.where(_open(a, b))
    return query.with_only_columns(DuplicateCandidate.id)


def _count(session: Session, query: Select[Any], limit: int | None) -> tuple[int, bool]:
    """How many rows ``query`` gives, counting at most ``limit`` (None: all); and whether there
    are more than that."""
    if limit is not None:
        query = query.limit(limit + 1)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if limit is not None and total > limit:
        return limit, True
    return total, False


def list_candidates(
    wayhome: Wayhome,
    actor: Actor,
    *,
    status: str = "pending",
    page: int = 1,
    per_page: int = 25,
    count_limit: int | None = None,
) -> Page[DuplicateCandidate]:
    """A page of the queue: pending pairs (not skipped first, most likely first), or decided ones.

    ``count_limit``: count the pairs only up to this many (``Page.total_capped`` then says that
    there are more); 0 does not count at all. None (the default) counts them all.
    """
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
    page = max(page, 1)
    per_page = min(max(per_page, 1), 500)
    skip, want = (page - 1) * per_page, per_page + 1  # one more: is there a next page?
    listed = _listed(actor, status)
    found: list[str] = []
    with wayhome.read() as session:
        for condition, order in _parts(status):
            if len(found) >= skip + want:
                break
            part = listed.where(condition).order_by(*order).limit(skip + want - len(found))
            found.extend(session.scalars(part))
        more = len(found) > skip + per_page
        chosen = found[skip : skip + per_page]
        if count_limit == 0 or (not more and (chosen or page == 1)):
            # the last page (or no count wanted): what was walked through is the count
            total, capped = min(len(found), skip + per_page), more
        else:
            total, capped = _count(session, listed, count_limit)
        rows = session.scalars(
            select(DuplicateCandidate).where(DuplicateCandidate.id.in_(chosen))
        ).unique()
        by_id = {c.id: c for c in rows}
        return Page([by_id[i] for i in chosen], total, page, per_page, total_capped=capped)


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


class Count(NamedTuple):
    """A count that may stop at a limit: ``more`` says there are more than ``n``."""

    n: int
    more: bool


def queue_counts_up_to(wayhome: Wayhome, actor: Actor, limit: int) -> dict[str, Count]:
    """:func:`queue_counts` counting each status only up to ``limit`` (the tiles of the UI: each
    costs at most ``limit`` rows, whatever the size of the queue)."""
    require(actor, "duplicates.view")
    with wayhome.read() as session:
        return {
            status: Count(*_count(session, _listed(actor, status), limit)) for status in STATUSES
        }


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
