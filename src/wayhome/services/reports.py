"""Figures for the reports page: land released by method and month, settlements by readiness class.

Both are read set-wise: the release ledger's events summed by month and kind in one query (the
``area_m2`` each event added to the ledger, so the totals agree with every hazard's ledger), and
the readiness of every settlement from `wayhome.services.readiness`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from wayhome.core.mine_action import ReleaseKind
from wayhome.services import readiness
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require
from wayhome.services.readiness_config import ReadinessClass
from wayhome.store.tables_contamination import HazardArea, LandReleaseEvent

__all__ = ["KINDS", "ReleaseMonth", "land_released_by_month", "settlements_by_class"]

KINDS = tuple(k.value for k in ReleaseKind)
"""Release methods in the order of land release: cancelled, reduced, cleared."""


@dataclass(frozen=True)
class ReleaseMonth:
    """Square metres released in one month (``YYYY-MM``) by each method."""

    month: str
    cancelled_m2: float = 0.0
    reduced_m2: float = 0.0
    cleared_m2: float = 0.0

    @property
    def total_m2(self) -> float:
        """All land released in the month."""
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2

    def by_kind(self, kind: str) -> float:
        """Square metres released by one method."""
        return float(getattr(self, f"{kind}_m2"))


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def land_released_by_month(
    wayhome: Wayhome, actor: Actor, *, since: str | None = None, until: str | None = None
) -> list[ReleaseMonth]:
    """Land released per month and method, every month from the first to the last (zeros kept)."""
    require(actor, "hazard.view")
    month = func.substr(LandReleaseEvent.release_date, 1, 7)
    query = (
        select(month, LandReleaseEvent.release_kind, func.sum(LandReleaseEvent.area_m2))
        .join(HazardArea, HazardArea.id == LandReleaseEvent.hazard_area_id)
        .where(LandReleaseEvent.deleted_at.is_(None), HazardArea.deleted_at.is_(None))
        .group_by(month, LandReleaseEvent.release_kind)
    )
    if since:
        query = query.where(month >= since[:7])
    if until:
        query = query.where(month <= until[:7])
    sums: dict[str, dict[str, float]] = {}
    with wayhome.read() as session:
        for row_month, kind, area in session.execute(query):
            sums.setdefault(row_month, {})[f"{kind}_m2"] = float(area or 0.0)
    if not sums:
        return []
    return [ReleaseMonth(m, **sums.get(m, {})) for m in _months(min(sums), max(sums))]


def settlements_by_class(wayhome: Wayhome, actor: Actor) -> list[tuple[str, int]]:
    """How many settlements fall in each readiness class, in the classes' order (zeros kept)."""
    require(actor, "readiness.view")
    counts = Counter(r.readiness_class for r in readiness.assess_settlements(wayhome, actor))
    return [(c.value, counts.get(c.value, 0)) for c in ReadinessClass]
