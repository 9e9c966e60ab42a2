"""The duplicates review queue (JSON API): find, list, compare, decide, undo."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from wayhome.services import duplicates
from wayhome.web.deps import APIActor, WayhomeDep
from wayhome.web.schemas import Out, PageOut, PersonOut

router = APIRouter(tags=["duplicates"])


class ExplanationOut(BaseModel):
    """What one field added to the match weight: the level reached and its bits."""

    field: str
    level: str
    agreement: Literal["agrees", "partly", "differs", "missing"]
    rank: int | None = Field(description="index of the level reached, 0 = best; null if missing")
    levels: int
    bits: float
    text: str


class CandidateOut(Out):
    """A pair of persons that may be one, and where its review stands."""

    id: str
    person_a_id: str
    person_b_id: str
    status: str
    method: str
    match_probability: float | None
    match_weight: float | None
    explanation: list[ExplanationOut]
    run_id: str | None
    found_at: datetime
    scored_at: datetime
    skipped_at: datetime | None
    decided_at: datetime | None
    decided_by_id: str | None
    note: str | None
    version: int


class DecisionOut(Out):
    """One decision on a pair."""

    decision: str
    at: datetime
    user_name: str
    note: str | None


class MergeOut(Out):
    """A merge in force: the record kept and the one merged into it."""

    id: str
    candidate_id: str
    kept_person_id: str
    merged_person_id: str
    carried_ids: list[str]
    merged_at: datetime
    undone_at: datetime | None


class SideOut(BaseModel):
    """One person of a pair, with the counts of what is attached to the record."""

    person: PersonOut
    households: int
    displacements: int
    also_recorded_as: list[str]


class CandidateDetailOut(BaseModel):
    """A pair side by side, with its decisions (newest first) and the merge in force."""

    candidate: CandidateOut
    a: SideOut
    b: SideOut
    decisions: list[DecisionOut]
    merge: MergeOut | None
    is_open: bool


class RunOut(Out):
    """One run of the matching engine and what it added to the queue."""

    id: str
    started_at: datetime
    finished_at: datetime | None
    threshold: float
    persons_compared: int
    pairs_found: int
    pairs_new: int
    pairs_updated: int
    pairs_already_decided: int


class FindRequest(BaseModel):
    """How sure the engine must be for a pair to enter the queue."""

    threshold: Annotated[float, Field(gt=0, lt=1)] = duplicates.DEFAULT_THRESHOLD


class FlagRequest(BaseModel):
    """Two persons a reviewer suspects to be the same."""

    person_a_id: str
    person_b_id: str
    note: Annotated[str | None, Field(max_length=2000)] = None


class DecisionRequest(BaseModel):
    """A decision: an optional note and the version of the pair you looked at."""

    note: Annotated[str | None, Field(max_length=2000)] = None
    version: int | None = Field(default=None, description="The version you decided on.")


class SameRequest(DecisionRequest):
    """The decision "same person": which record to keep (default the older one)."""

    keep_id: str | None = None


def _side(side: duplicates.Side) -> SideOut:
    return SideOut(
        person=PersonOut.model_validate(side.person),
        households=side.households,
        displacements=side.displacements,
        also_recorded_as=[p.id for p in side.also_recorded_as],
    )


@router.get("/duplicates", response_model=PageOut[CandidateOut])
def list_candidates(
    wayhome: WayhomeDep,
    actor: APIActor,
    status: Literal["pending", "merged", "different"] = "pending",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Any:
    """The queue: pending pairs (most likely first, skipped ones last) or decided ones."""
    return duplicates.list_candidates(wayhome, actor, status=status, page=page, per_page=per_page)


@router.post("/duplicates", response_model=CandidateOut, status_code=201)
def flag_pair(body: FlagRequest, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Put two persons into the queue by hand (returns the pair if it is there already)."""
    return duplicates.flag_pair(wayhome, actor, body.person_a_id, body.person_b_id, body.note)


@router.post("/duplicates/find", response_model=RunOut, status_code=201)
def find_duplicates(body: FindRequest, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Run the matching engine over the persons you may see and queue what it proposes."""
    return duplicates.find_duplicates(wayhome, actor, threshold=body.threshold)


@router.get("/duplicates/{candidate_id}", response_model=CandidateDetailOut)
def get_candidate(candidate_id: str, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """A pair side by side with the explanation (viewing both persons is audited)."""
    detail = duplicates.get_candidate(wayhome, actor, candidate_id)
    return CandidateDetailOut(
        candidate=CandidateOut.model_validate(detail.candidate),
        a=_side(detail.a),
        b=_side(detail.b),
        decisions=[DecisionOut.model_validate(d) for d in detail.decisions],
        merge=MergeOut.model_validate(detail.merge) if detail.merge else None,
        is_open=detail.is_open,
    )


@router.post("/duplicates/{candidate_id}/same", response_model=MergeOut)
def decide_same(candidate_id: str, body: SameRequest, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Same person: merge (the other record points at the one kept; nothing is deleted)."""
    return duplicates.decide_same(
        wayhome, actor, candidate_id, keep_id=body.keep_id, note=body.note, version=body.version
    )


@router.post("/duplicates/{candidate_id}/different", response_model=CandidateOut)
def decide_different(
    candidate_id: str, body: DecisionRequest, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Different people: remembered, never proposed again."""
    return duplicates.decide_different(
        wayhome, actor, candidate_id, note=body.note, version=body.version
    )


@router.post("/duplicates/{candidate_id}/skip", response_model=CandidateOut)
def skip(candidate_id: str, body: DecisionRequest, wayhome: WayhomeDep, actor: APIActor) -> Any:
    """Not sure: the pair stays pending, behind the ones not looked at yet."""
    return duplicates.skip(wayhome, actor, candidate_id, note=body.note, version=body.version)


@router.post("/duplicates/{candidate_id}/undo", response_model=CandidateOut)
def undo_merge(
    candidate_id: str, body: DecisionRequest, wayhome: WayhomeDep, actor: APIActor
) -> Any:
    """Undo a merge: both records are separate again and the pair is pending again."""
    return duplicates.unmerge(wayhome, actor, candidate_id, note=body.note, version=body.version)
