"""The duplicates review queue: candidate pairs, decisions and merges.

Imported at the end of `wayhome.store.tables`, so the tables belong to the same metadata (and
Alembic sees them) wherever `Base` is used.

A pair is stored once, oldest record first (`person_a_id` < `person_b_id`: UUIDv7 ids sort by
creation time). Nothing here is ever deleted: a decision is a new row, an undone merge keeps its
row with `undone_at` set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wayhome.store.tables import Base, Person, _id
from wayhome.store.types import JSONType, utcnow


class DuplicateRun(Base):
    """One run of the matching engine over the persons an actor could see."""

    __tablename__ = "duplicate_runs"
    id: Mapped[str] = _id()
    origin_instance: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    started_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    started_by_name: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    threshold: Mapped[float] = mapped_column(Float)
    persons_compared: Mapped[int] = mapped_column(Integer, default=0)
    pairs_found: Mapped[int] = mapped_column(Integer, default=0)
    pairs_new: Mapped[int] = mapped_column(Integer, default=0)
    pairs_updated: Mapped[int] = mapped_column(Integer, default=0)
    pairs_already_decided: Mapped[int] = mapped_column(Integer, default=0)


class DuplicateCandidate(Base):
    """Two persons that may be one: the engine's score and explanation, and where review stands."""

    __tablename__ = "duplicate_candidates"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id"),
        CheckConstraint("person_a_id < person_b_id", name="ordered_pair"),
        # the queue in its order, read forwards or backwards without a sort (pending: not
        # skipped, then by probability; see services.duplicates_queue._ordered), and covering
        # the count's joins to the persons
        Index(
            "ix_duplicate_candidates_queue",
            "status",
            "skipped_at",
            "match_probability",
            "id",
            "person_a_id",
            "person_b_id",
        ),
        # decided pairs, newest first
        Index("ix_duplicate_candidates_decided", "status", "decided_at", "id"),
    )
    id: Mapped[str] = _id()
    origin_instance: Mapped[str] = mapped_column(String(40))
    person_a_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    person_b_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    # pending | merged | different; "merged" says which way in `duplicate_merges`
    status: Mapped[str] = mapped_column(String(16), default="pending")
    method: Mapped[str] = mapped_column(String(16), default="engine")  # engine | manual
    match_probability: Mapped[float | None] = mapped_column(Float)
    match_weight: Mapped[float | None] = mapped_column(Float)
    # [{"field", "level", "bits", "text"}] in the engine's field order
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    run_id: Mapped[str | None] = mapped_column(ForeignKey("duplicate_runs.id"), index=True)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    found_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)
    skipped_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    person_a: Mapped[Person] = relationship(foreign_keys=[person_a_id], lazy="joined")
    person_b: Mapped[Person] = relationship(foreign_keys=[person_b_id], lazy="joined")


class DuplicateDecision(Base):
    """One decision on a candidate pair: same, different, skip, or undo of a merge."""

    __tablename__ = "duplicate_decisions"
    id: Mapped[str] = _id()
    candidate_id: Mapped[str] = mapped_column(ForeignKey("duplicate_candidates.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # same | different | skip | undo
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    origin_instance: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    merge_id: Mapped[str | None] = mapped_column(ForeignKey("duplicate_merges.id"))


class DuplicateMerge(Base):
    """A merge: `merged_person` now points at `kept_person`; undone when `undone_at` is set."""

    __tablename__ = "duplicate_merges"
    id: Mapped[str] = _id()
    candidate_id: Mapped[str] = mapped_column(ForeignKey("duplicate_candidates.id"), index=True)
    kept_person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    merged_person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    # persons that had been merged into the merged person and now point at the kept one
    carried_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    undone_at: Mapped[datetime | None] = mapped_column(default=None)
    undone_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
