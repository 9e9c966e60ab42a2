"""Charts and reports (UI): land released by method and month, settlements by readiness class.

Charts are SVG drawn on the server (`wayhome.web.charts`), each with its numbers in a table beside
it and a CSV download of the same numbers, so they read without JavaScript or a chart library.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.services import readiness_config, reports
from wayhome.services.permissions import can, require
from wayhome.web.charts import READINESS_COLOURS, bars, stacked_columns
from wayhome.web.deps import UIActor, WayhomeDep
from wayhome.web.i18n import gettext as _
from wayhome.web.templating import label, render

router = APIRouter(include_in_schema=False)

MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")

KIND_COLOURS = {"cancelled": "#9ecae1", "reduced": "#4292c6", "cleared": "#08519c"}


def _release_chart(months: list[reports.ReleaseMonth]) -> Any:
    series = [
        (label(kind, "release_kind"), KIND_COLOURS[kind], [m.by_kind(kind) for m in months])
        for kind in reports.KINDS
    ]
    return stacked_columns([m.month for m in months], series)


def _class_chart(classes: list[tuple[str, int]]) -> Any:
    return bars(
        [
            (_(readiness_config.LABELS[code]), count, READINESS_COLOURS[code])
            for code, count in classes
        ]
    )


@router.get("/reports")
def reports_page(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    """The reports page: whichever charts the actor's role may see."""
    period = {"since": (since or "").strip(), "until": (until or "").strip()}
    wrong = [
        FieldError((name,), N_("give a month as YYYY-MM, e.g. 2024-03"))
        for name, value in period.items()
        if value and not MONTH.fullmatch(value)
    ]
    for field in wrong:  # a month that cannot be read is not used (and said so at its box)
        period[field.path()] = ""
    context: dict[str, Any] = {"section": "reports", **period}
    context["error"] = ValidationFailed(wrong) if wrong else None
    if can(actor, "hazard.view"):
        months = reports.land_released_by_month(
            wayhome, actor, since=period["since"] or None, until=period["until"] or None
        )
        if months and not wrong:
            # show the months the chart covers, rather than empty boxes ("---------- ----")
            context["since"] = period["since"] or months[0].month
            context["until"] = period["until"] or months[-1].month
        context["months"] = months
        context["kinds"] = [(k, label(k, "release_kind"), KIND_COLOURS[k]) for k in reports.KINDS]
        context["release_chart"] = _release_chart(months) if months else None
        context["release_totals"] = {k: sum(m.by_kind(k) for m in months) for k in reports.KINDS}
    if can(actor, "readiness.view"):
        classes = reports.settlements_by_class(wayhome, actor)
        context["classes"] = [
            (code, _(readiness_config.LABELS[code]), count, READINESS_COLOURS[code])
            for code, count in classes
        ]
        context["class_chart"] = _class_chart(classes) if any(c for _k, c in classes) else None
    return render(request, "reports/index.html", context, 422 if wrong else 200)


def _csv(rows: list[list[Any]], filename: str) -> Response:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/reports/land-released.csv")
def land_released_csv(
    wayhome: WayhomeDep, actor: UIActor, since: str | None = None, until: str | None = None
) -> Response:
    """Land released by month and method, in square metres, as CSV."""
    months = reports.land_released_by_month(wayhome, actor, since=since, until=until)
    rows: list[list[Any]] = [["month", "cancelled_m2", "reduced_m2", "cleared_m2", "total_m2"]]
    rows += [
        [m.month, *(round(m.by_kind(k), 1) for k in reports.KINDS), round(m.total_m2, 1)]
        for m in months
    ]
    return _csv(rows, "land-released-by-month.csv")


@router.get("/reports/settlements-by-readiness.csv")
def readiness_classes_csv(wayhome: WayhomeDep, actor: UIActor) -> Response:
    """How many settlements are in each readiness class, as CSV."""
    require(actor, "readiness.view")
    rows: list[list[Any]] = [["readiness_class", "settlements"]]
    rows += [[code, count] for code, count in reports.settlements_by_class(wayhome, actor)]
    return _csv(rows, "settlements-by-readiness.csv")
