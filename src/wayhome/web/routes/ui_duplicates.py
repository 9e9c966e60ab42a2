"""The duplicates review queue (UI): the queue, the side-by-side comparison, decisions, undo."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.linkage.level_texts import LEVEL_TEXT
from wayhome.services import duplicates
from wayhome.services.duplicates_queue import UI_COUNT_LIMIT
from wayhome.services.permissions import can
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.i18n import gettext as _
from wayhome.web.templating import field_label, message, render

router = APIRouter(include_in_schema=False)

AGREEMENT: dict[str, str] = {
    "agrees": N_("agrees"),
    "partly": N_("partly agrees"),
    "differs": N_("differs"),
    "missing": N_("missing on one side"),
}

DONE: dict[str, str] = {
    "same": N_("Merged. The duplicate now shows under the record kept."),
    "different": N_("Remembered as different people; this pair will not be proposed again."),
    "skip": N_("Skipped; the pair stays in the queue, after the others."),
    "undo": N_("The merge was undone; both records are separate again."),
}


def _explanation(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Explanation rows for the page: translated texts and bar widths (share of the largest)."""
    largest = max((abs(float(e.get("bits", 0.0))) for e in entries), default=0.0) or 1.0
    rows = []
    for e in entries:
        bits = float(e.get("bits", 0.0))
        level = str(e.get("level", ""))
        rows.append(
            {
                "field": field_label(e["field"]),
                "text": _(LEVEL_TEXT[level]) if level in LEVEL_TEXT else e.get("text", level),
                "agreement": e.get("agreement", "missing"),
                "agreement_label": _(AGREEMENT.get(e.get("agreement", "missing"), "")),
                "bits": bits,
                "width": round(100 * abs(bits) / largest),
            }
        )
    return rows


def _percent(probability: float | None) -> str:
    """A probability as a percentage that never rounds a doubt away (99.99 % is not 100 %)."""
    if probability is None:
        return ""
    if probability >= 0.999:
        return "> 99.9"
    if probability <= 0.001:
        return "< 0.1"
    return f"{probability * 100:.1f}"


def _queue_context(wayhome: Any, actor: Any, status: str, page: int) -> dict[str, Any]:
    """What the queue page shows. The tiles count each status up to ``UI_COUNT_LIMIT``; the
    list's total is the tile's count (counted once), unless the page reached the end of the
    queue: then it knows the exact total itself."""
    counts = duplicates.queue_counts_up_to(wayhome, actor, UI_COUNT_LIMIT)
    result = duplicates.list_candidates(
        wayhome, actor, status=status, page=page, per_page=wayhome.settings.page_size, count_limit=0
    )
    if result.total_capped:
        result = replace(result, total=counts[status].n, total_capped=counts[status].more)
    return {
        "page": result,
        "status": status,
        "counts": counts,
        "last_run": duplicates.last_run(wayhome, actor),
        "threshold": duplicates.DEFAULT_THRESHOLD,
        "percent": _percent,
        "section": "duplicates",
    }


@router.get("/duplicates")
def queue(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    status: str = "pending",
    page: int = 1,
) -> Response:
    status = status if status in duplicates.STATUSES else "pending"
    return render(request, "duplicates/queue.html", _queue_context(wayhome, actor, status, page))


@router.post("/duplicates/find", dependencies=[CSRFChecked])
def find(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    threshold: Annotated[str, Form()] = "",
) -> Response:
    try:
        value = float(threshold) if threshold.strip() else duplicates.DEFAULT_THRESHOLD
    except ValueError:
        error = ValidationFailed([FieldError(("threshold",), N_("enter a number such as 0.5"))])
        return _queue_error(request, wayhome, actor, error)
    try:
        duplicates.find_duplicates(wayhome, actor, threshold=value)
    except ValidationFailed as error:
        return _queue_error(request, wayhome, actor, error)
    return RedirectResponse("/duplicates", status_code=303)


def _queue_error(request: Request, wayhome: Any, actor: Any, error: ValidationFailed) -> Response:
    context = {**_queue_context(wayhome, actor, "pending", 1), "error": error}
    return render(request, "duplicates/queue.html", context, status_code=422)


def _compare(
    request: Request,
    wayhome: Any,
    actor: Any,
    candidate_id: str,
    *,
    done: str | None = None,
    error: ValidationFailed | None = None,
) -> Response:
    detail = duplicates.get_candidate(wayhome, actor, candidate_id)
    context = {
        "d": detail,
        "c": detail.candidate,
        "rows": _explanation(detail.candidate.explanation),
        "percent": _percent(detail.candidate.match_probability),
        "done": _(DONE[done]) if done in DONE else None,
        "error": error,
        "problem": message(error.errors[0]) if error and error.errors else None,
        "may_decide": can(actor, "duplicates.decide"),
        "may_merge": can(actor, "duplicates.merge"),
        "section": "duplicates",
    }
    return render(request, "duplicates/compare.html", context, 422 if error else 200)


@router.get("/duplicates/{candidate_id}")
def compare(
    request: Request,
    candidate_id: str,
    wayhome: WayhomeDep,
    actor: UIActor,
    done: str | None = None,
) -> Response:
    return _compare(request, wayhome, actor, candidate_id, done=done)


def _next(wayhome: Any, actor: Any, done: str, current: str) -> Response:
    """After a decision, go on to the next pair of the queue (or back to the queue)."""
    following = duplicates.list_candidates(wayhome, actor, per_page=2, count_limit=0).items
    following = [c for c in following if c.id != current]
    target = f"/duplicates/{following[0].id}" if following else "/duplicates"
    return RedirectResponse(f"{target}?done={done}", status_code=303)


def _version(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


@router.post("/duplicates/{candidate_id}/same", dependencies=[CSRFChecked])
def same(
    request: Request,
    candidate_id: str,
    wayhome: WayhomeDep,
    actor: UIActor,
    keep_id: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    try:
        duplicates.decide_same(
            wayhome,
            actor,
            candidate_id,
            keep_id=keep_id or None,
            note=note.strip() or None,
            version=_version(version),
        )
    except ValidationFailed as error:
        return _compare(request, wayhome, actor, candidate_id, error=error)
    return RedirectResponse(f"/duplicates/{candidate_id}?done=same", status_code=303)


@router.post("/duplicates/{candidate_id}/different", dependencies=[CSRFChecked])
def different(
    candidate_id: str,
    wayhome: WayhomeDep,
    actor: UIActor,
    note: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    duplicates.decide_different(
        wayhome, actor, candidate_id, note=note.strip() or None, version=_version(version)
    )
    return _next(wayhome, actor, "different", candidate_id)


@router.post("/duplicates/{candidate_id}/skip", dependencies=[CSRFChecked])
def skip(
    candidate_id: str,
    wayhome: WayhomeDep,
    actor: UIActor,
    note: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    duplicates.skip(
        wayhome, actor, candidate_id, note=note.strip() or None, version=_version(version)
    )
    return _next(wayhome, actor, "skip", candidate_id)


@router.post("/duplicates/{candidate_id}/undo", dependencies=[CSRFChecked])
def undo(
    request: Request,
    candidate_id: str,
    wayhome: WayhomeDep,
    actor: UIActor,
    note: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    try:
        duplicates.unmerge(
            wayhome, actor, candidate_id, note=note.strip() or None, version=_version(version)
        )
    except ValidationFailed as error:
        return _compare(request, wayhome, actor, candidate_id, error=error)
    return RedirectResponse(f"/duplicates/{candidate_id}?done=undo", status_code=303)


@router.get("/duplicates/persons/{person_id}/panel")
def person_panel(request: Request, person_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    """The person page's fragment: where a merged record went, or the records merged into it."""
    merges = duplicates.person_merges(wayhome, actor, person_id)
    return render(request, "duplicates/_person_panel.html", {"m": merges})
