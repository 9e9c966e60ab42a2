"""Filling the duplicates review queue: the registry as the engine reads it, runs, hand flags."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.ids import new_id
from wayhome.core.messages import N_
from wayhome.services import audit, persons
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require, visible
from wayhome.store.bulk import insert_rows
from wayhome.store.tables import Person, PersonName, Place
from wayhome.store.tables_review import (
    DuplicateCandidate,
    DuplicateRun,
)
from wayhome.store.types import utcnow

ENTITY = "duplicate_candidate"
PERSON = persons.ENTITY
#: Pairs at or above this probability enter the queue. Lower than the 0.9 used for automatic
#: clustering: here a person looks at every pair, and a missed duplicate costs more than a look.
DEFAULT_THRESHOLD = 0.5
STATUSES = ("pending", "merged", "different")
Progress = Callable[[str], None]


# --- reading the registry for the engine ----------------------------------------------------


def _name_text(family: str | None, given: str | None, patronymic: str | None) -> str:
    """A full name for the engine's `names` column: "Family, Given Patronymic" (comma: family first)."""
    rest = " ".join(p for p in (given, patronymic) if p)
    return f"{family}, {rest}" if family else rest


def person_records(session: Session, actor: Actor) -> pd.DataFrame:
    """The persons the actor may see (not archived, not merged) in the engine's column contract.

    Every other name of a person, and every name of the records merged into them, goes into the
    `names` column, so a record matches the kept person by any name it was ever recorded under.
    Read as plain rows in two queries (persons with their birth place; names in order), not as
    ORM objects: a national registry is hundreds of thousands of persons.
    """
    seen = visible(actor, Person, PERSON)
    live = and_(Person.deleted_at.is_(None), Person.merged_into_id.is_(None))
    people = session.execute(
        select(
            Person.id,
            Person.sex,
            Person.birth_date,
            Place.display_name,
            Person.birth_place_text,
        )
        .outerjoin(Place, Place.id == Person.birth_place_id)
        .where(seen, live)
        .order_by(Person.id)
    ).all()
    if not people:
        return pd.DataFrame(columns=[*_CONTRACT])
    names: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
    merged: dict[str, list[str]] = {}  # kept person -> the records merged into it
    for person_id, into in session.execute(
        select(Person.id, Person.merged_into_id)
        .where(Person.merged_into_id.is_not(None), seen)
        .order_by(Person.id)
    ):
        merged.setdefault(into, []).append(person_id)
    for person_id, family, given, patronymic in session.execute(
        select(
            PersonName.person_id,
            PersonName.family_name,
            PersonName.given_name,
            PersonName.patronymic,
        )
        .join(Person, Person.id == PersonName.person_id)
        .where(seen, or_(live, Person.merged_into_id.is_not(None)))
        .order_by(PersonName.person_id, PersonName.position, PersonName.id)
    ):
        names.setdefault(person_id, []).append((family, given, patronymic))
    rows = []
    for person_id, sex, birth_date, place_name, place_text in people:
        own = names.get(person_id)
        if not own:  # every person has a name (PersonInput); never trust it blindly
            continue
        (family, given, patronymic), *others = own
        for record in merged.get(person_id, ()):
            others += names.get(record, [])
        more = [_name_text(*name) for name in others]
        rows.append(
            (
                person_id,
                family or "",
                given or "",
                patronymic or "",
                sex if sex in ("M", "F") else "",
                birth_date or "",
                (place_name if place_name is not None else place_text) or "",
                [n for n in more if n.strip()],
            )
        )
    return pd.DataFrame(rows, columns=[*_CONTRACT])


_CONTRACT = (
    "id",
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "names",
)


def level_table(comparisons: Any) -> dict[tuple[str, str], tuple[str, int | None, int, str]]:
    """{(field, level name): (agreement, rank, number of levels, explanation)} of a model."""
    from wayhome.linkage.comparisons import explain

    table: dict[tuple[str, str], tuple[str, int | None, int, str]] = {}
    for c in comparisons:
        last = len(c.levels) - 1
        table[(c.field, c.missing.__name__)] = ("missing", None, len(c.levels), explain(c.missing))
        for rank, level in enumerate(c.levels):
            agreement = "agrees" if rank == 0 else ("differs" if rank == last else "partly")
            table[(c.field, level.__name__)] = (agreement, rank, len(c.levels), explain(level))
    return table


def _engine_pairs(
    frame: pd.DataFrame, comparisons: Any
) -> list[tuple[str, str, float, float, list[dict[str, Any]]]]:
    """The engine's pairs as (a, b, probability, weight, explanation), a < b, the explanation
    as [{field, level, agreement, rank, levels, bits, text}] in the model's field order."""
    table = level_table(comparisons)
    columns = [
        (c.field, frame[f"{c.field}_level"].astype(str).tolist(), frame[f"{c.field}_bits"].tolist())
        for c in comparisons
    ]
    out = []
    for i, (a, b, probability, weight) in enumerate(
        zip(
            frame["id_a"].astype(str).tolist(),
            frame["id_b"].astype(str).tolist(),
            frame["match_probability"].tolist(),
            frame["match_weight"].tolist(),
            strict=True,
        )
    ):
        explanation = []
        for name, levels, bits in columns:
            agreement, rank, count, text = table[(name, levels[i])]
            value = float(bits[i])
            explanation.append(
                {
                    "field": name,
                    "level": levels[i],
                    "agreement": agreement,
                    "rank": rank,
                    "levels": count,
                    "bits": round(value if math.isfinite(value) else 0.0, 2),
                    "text": text,
                }
            )
        out.append((*_ordered(a, b), float(probability), float(weight), explanation))
    return out


# --- finding ----------------------------------------------------------------------------------


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def find_duplicates(
    wayhome: Wayhome,
    actor: Actor,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> DuplicateRun:
    """Run the matching engine over the persons the actor may see and queue the pairs it proposes.

    Idempotent: a pair already in the queue gets its score refreshed, a pair decided "different"
    or merged is left alone, and nothing is written for pairs whose records changed meanwhile.
    """
    require(actor, "duplicates.find")
    if not 0.0 < threshold < 1.0:
        raise ValidationFailed(
            [FieldError(("threshold",), N_("must be between 0 and 1 (exclusive)"))]
        )
    from wayhome.linkage import dedupe

    started = utcnow()
    with wayhome.read() as session:
        frame = person_records(session, actor)
    pairs: list[tuple[str, str, float, float, list[dict[str, Any]]]] = []
    training: dict[str, Any] = {}
    if len(frame) >= 2:
        result = dedupe(frame, engine=engine, threshold=threshold, progress=progress)
        training = {
            "em_converged": result.model.converged,
            "em_iterations": result.model.em_iterations,
        }
        if not result.model.converged and progress is not None:
            progress("the model's training (EM) did not converge: scores are less reliable")
        pairs = _engine_pairs(result.pairs, result.model.comparisons)
    with wayhome.transaction() as session:
        run = DuplicateRun(
            origin_instance=wayhome.instance_id,
            organisation_id=actor.organisation_id,
            started_by_id=actor.user_id,
            started_by_name=actor.label,
            started_at=started,
            threshold=threshold,
            persons_compared=len(frame),
            pairs_found=len(pairs),
            pairs_new=0,
            pairs_updated=0,
            pairs_already_decided=0,
        )
        session.add(run)
        session.flush()
        _store_pairs(session, wayhome, actor, run, pairs)
        run.finished_at = utcnow()
        audit.log(
            session,
            actor,
            "find_duplicates",
            "duplicate_run",
            run.id,
            {
                "threshold": threshold,
                "persons": run.persons_compared,
                "found": run.pairs_found,
                "new": run.pairs_new,
                **training,
            },
        )
        return run


def _store_pairs(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    run: DuplicateRun,
    pairs: list[tuple[str, str, float, float, list[dict[str, Any]]]],
) -> None:
    """Insert new pairs and rescore pending ones in bulk; decided pairs stay as they are.

    Reads whole columns rather than `IN (...)` lists, so that tens of thousands of pairs stay
    within SQLite's limit on bound parameters.
    """
    if not pairs:
        return
    gone = set(  # merged or archived while the engine ran: usually none or a few
        session.scalars(
            select(Person.id).where(
                or_(Person.merged_into_id.is_not(None), Person.deleted_at.is_not(None))
            )
        )
    )
    c = DuplicateCandidate
    existing = {
        (a, b): (cid, status, probability, weight)
        for cid, a, b, status, probability, weight in session.execute(
            select(
                c.id, c.person_a_id, c.person_b_id, c.status, c.match_probability, c.match_weight
            )
        )
    }
    now = utcnow()
    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    for a, b, probability, weight, explanation in pairs:
        if a in gone or b in gone:
            continue
        known = existing.get((a, b))
        if known is None:
            inserts.append((new_id(), a, b, probability, weight, explanation))
        elif known[1] != "pending":
            run.pairs_already_decided += 1
        elif known[3] is None or abs(known[3] - weight) > 1e-6:  # rescored (or flagged by hand)
            updates.append(
                {
                    "id": known[0],
                    "match_probability": probability,
                    "match_weight": weight,
                    "explanation": explanation,
                    "run_id": run.id,
                    "scored_at": now,
                }
            )
    if inserts:  # plain rows, not ORM objects: a first run on a national registry is 100k+
        insert_rows(
            session,
            DuplicateCandidate,
            (
                "id",
                "person_a_id",
                "person_b_id",
                "match_probability",
                "match_weight",
                "explanation",
            ),
            inserts,
            constants={
                "origin_instance": wayhome.instance_id,
                "status": "pending",
                "method": "engine",
                "run_id": run.id,
                "found_at": now,
                "found_by_id": actor.user_id,
                "scored_at": now,
                "version": 1,
            },
        )
    if updates:
        session.execute(update(DuplicateCandidate), updates)
    run.pairs_new, run.pairs_updated = len(inserts), len(updates)


def flag_pair(
    wayhome: Wayhome, actor: Actor, person_a_id: str, person_b_id: str, note: str | None = None
) -> DuplicateCandidate:
    """Put two persons a reviewer suspects to be one into the queue (returns an existing pair)."""
    require(actor, "duplicates.flag")
    if person_a_id == person_b_id:
        raise ValidationFailed([FieldError(("person_b_id",), N_("choose two different persons"))])
    a_id, b_id = _ordered(person_a_id, person_b_id)
    with wayhome.transaction() as session:
        for pid in (a_id, b_id):
            persons.load_visible(session, actor, pid)
        candidate = session.scalar(
            select(DuplicateCandidate).where(
                DuplicateCandidate.person_a_id == a_id, DuplicateCandidate.person_b_id == b_id
            )
        )
        if candidate is not None:
            return candidate
        now = utcnow()
        candidate = DuplicateCandidate(
            origin_instance=wayhome.instance_id,
            person_a_id=a_id,
            person_b_id=b_id,
            status="pending",
            method="manual",
            explanation=[],
            found_at=now,
            found_by_id=actor.user_id,
            scored_at=now,
            note=note,
        )
        session.add(candidate)
        session.flush()
        audit.log(session, actor, "flag_duplicate", ENTITY, candidate.id, {"persons": [a_id, b_id]})
        return candidate
