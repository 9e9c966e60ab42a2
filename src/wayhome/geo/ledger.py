"""The land-release ledger of one hazard area.

IMAS land release: a suspected (SHA) or confirmed (CHA) hazard area shrinks as land is
*cancelled* by non-technical survey, *reduced* by technical survey or *cleared*. For every hazard
the ledger must balance::

    original = remaining + cancelled + reduced + cleared        (to 1 m²)

:func:`release_ledger` applies the events in date order (events on the same date in the order
given). Each event counts only land that was still remaining when it happened: the part of it
that overlaps an earlier release has already been counted, and is reported as
``already_released_m2``. Land outside the hazard is never counted; an event with more than
``max_outside_share`` of its area outside the hazard (and more than ``max_outside_m2``, so that
digitising noise along a shared boundary is not an error) raises :class:`ReleaseOutsideHazard`.

**How the balance is kept.** With ``R₀`` the hazard, event *i* counts the geodesic area of
``Eᵢ ∩ Rᵢ₋₁`` and leaves ``Rᵢ = Rᵢ₋₁ − Eᵢ``; the remaining area is the geodesic area of the last
``R``. Each overlay splits ``Rᵢ₋₁`` into two pieces that share their boundary vertex for vertex, so
their geodesic areas add up to that of ``Rᵢ₋₁`` *provided the planar overlay (shapely works in
longitude/latitude) and the geodesic edges describe the same boundary*. They would not for long
edges: a 1 km east–west edge at 45° bows 2 cm away from the straight line in longitude/latitude,
and a vertex that an overlay adds on it moves ~10 m² of area from one side to the other. So the
hazard and every event are first densified along their geodesics to edges of at most
``densify_m`` (10 m; that does not change their geodesic areas). The error per vertex an overlay
adds is then at most about ``l³·tan φ / (16 R)`` ≈ 10⁻⁵ m² (``l`` = 10 m, ``φ`` = 45°,
``R`` = Earth radius), so even 10,000 boundary crossings at 60° stay under 0.2 m²; rounding in
GEOS adds ~10⁻⁹ m per vertex times edge length, far less. The balance is then checked, and a
ledger that does not balance to ``tolerance_m2`` raises :class:`LedgerInvariantError` instead of
being returned.

The remaining geometry is returned densified (edges of at most ``densify_m``), so that its
geodesic area is exactly ``remaining_m2``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import shapely
from shapely.geometry.base import BaseGeometry

from wayhome.geo.areas import densify_geodesic, flush_tiny, geodesic_area, polygon_parts

__all__ = [
    "RELEASE_KINDS",
    "Ledger",
    "LedgerEntry",
    "LedgerInvariantError",
    "ReleaseEvent",
    "ReleaseKind",
    "ReleaseOutsideHazard",
    "release_ledger",
]

ReleaseKind = Literal["cancelled", "reduced", "cleared"]
RELEASE_KINDS: tuple[ReleaseKind, ...] = ("cancelled", "reduced", "cleared")


@dataclass(frozen=True)
class ReleaseEvent:
    """Land released from a hazard area: cancelled (NTS), reduced (TS) or cleared."""

    kind: ReleaseKind
    geometry: BaseGeometry
    date: date
    ref: Hashable | None = None
    """The caller's id for the event, echoed in entries and errors."""

    def __post_init__(self) -> None:
        if self.kind not in RELEASE_KINDS:
            raise ValueError(f"release kind must be one of {', '.join(RELEASE_KINDS)}")


@dataclass(frozen=True)
class LedgerEntry:
    """What one event counted."""

    event: ReleaseEvent
    released_m2: float
    """Area newly released by this event (counted under its kind)."""
    already_released_m2: float
    """Area of the event inside the hazard that earlier events had released already."""
    outside_m2: float
    """Area of the event outside the hazard, left out (within the tolerance)."""


@dataclass(frozen=True)
class Ledger:
    original_m2: float
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    remaining_m2: float
    remaining_geometry: BaseGeometry
    entries: tuple[LedgerEntry, ...] = field(default=())
    discrepancy_m2: float = 0.0
    """original − (remaining + cancelled + reduced + cleared), as computed."""

    @property
    def released_m2(self) -> float:
        return math.fsum((self.cancelled_m2, self.reduced_m2, self.cleared_m2))


class ReleaseOutsideHazard(ValueError):
    """A release event lies (too much) outside its hazard area."""

    def __init__(self, event: ReleaseEvent, outside_m2: float, share_outside: float) -> None:
        ref = f" {event.ref}" if event.ref is not None else ""
        super().__init__(
            f"release event{ref} ({event.kind}, {event.date.isoformat()}) lies "
            f"{share_outside:.1%} outside the hazard area ({outside_m2:,.0f} m²)"
        )
        self.event = event
        self.outside_m2 = outside_m2
        self.share_outside = share_outside


class LedgerInvariantError(RuntimeError):
    """The ledger did not balance (should never happen; reported rather than stored)."""


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal part of an overlay result (stray lines and points dropped)."""
    if isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
        return geometry
    flat = polygon_parts(geometry)
    if not flat:
        return shapely.Polygon()
    return flat[0] if len(flat) == 1 else shapely.MultiPolygon(flat)


def _prepare(geometry: BaseGeometry, what: str, densify_m: float) -> BaseGeometry:
    if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon):
        raise ValueError(f"{what} must be a Polygon or MultiPolygon, got {geometry.geom_type}")
    if geometry.is_empty:
        raise ValueError(f"{what} is empty")
    if not geometry.is_valid:
        raise ValueError(f"{what} is not valid: {shapely.is_valid_reason(geometry)}")
    dense = densify_geodesic(flush_tiny(geometry), densify_m)
    if not dense.is_valid:  # pragma: no cover - needs edges within centimetres of each other
        dense = _polygonal(shapely.make_valid(dense))
    return dense


def release_ledger(
    hazard: BaseGeometry,
    events: Sequence[ReleaseEvent],
    *,
    max_outside_share: float = 0.01,
    max_outside_m2: float = 1.0,
    densify_m: float = 10.0,
    tolerance_m2: float = 1.0,
) -> Ledger:
    """Apply ``events`` to ``hazard`` in date order and return the balanced ledger.

    Raises :class:`ReleaseOutsideHazard` for an event more than ``max_outside_share`` (and more
    than ``max_outside_m2``) outside the hazard, ``ValueError`` for an empty or invalid geometry,
    and :class:`LedgerInvariantError` if the result does not balance to ``tolerance_m2``.
    """
    original = _prepare(hazard, "the hazard area", densify_m)
    original_m2 = geodesic_area(original)
    remaining = original
    totals: dict[str, list[float]] = {kind: [] for kind in RELEASE_KINDS}
    entries: list[LedgerEntry] = []

    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].date, pair[0]))
    for n, event in ordered:
        geometry = _prepare(event.geometry, f"release event {event.ref or n}", densify_m)
        event_m2 = geodesic_area(geometry)
        outside_m2 = geodesic_area(shapely.difference(geometry, original))
        share = outside_m2 / event_m2 if event_m2 > 0 else 0.0
        if share > max_outside_share and outside_m2 > max_outside_m2:
            raise ReleaseOutsideHazard(event, outside_m2, share)
        if shapely.intersects(geometry, remaining):
            part = _polygonal(shapely.intersection(geometry, remaining))
            part_m2 = geodesic_area(part)
            remaining = _polygonal(shapely.difference(remaining, geometry))
        else:
            part_m2 = 0.0
        inside_m2 = max(event_m2 - outside_m2, 0.0)
        totals[event.kind].append(part_m2)
        entries.append(
            LedgerEntry(
                event=event,
                released_m2=part_m2,
                already_released_m2=max(inside_m2 - part_m2, 0.0),
                outside_m2=outside_m2,
            )
        )

    remaining_m2 = geodesic_area(remaining)
    cancelled_m2, reduced_m2, cleared_m2 = (math.fsum(totals[k]) for k in RELEASE_KINDS)
    discrepancy = original_m2 - math.fsum((remaining_m2, cancelled_m2, reduced_m2, cleared_m2))
    if abs(discrepancy) > tolerance_m2:
        raise LedgerInvariantError(
            f"ledger does not balance: original {original_m2:.3f} m² but remaining + released = "
            f"{original_m2 - discrepancy:.3f} m² (off by {discrepancy:.3f} m²)"
        )
    return Ledger(
        original_m2=original_m2,
        cancelled_m2=cancelled_m2,
        reduced_m2=reduced_m2,
        cleared_m2=cleared_m2,
        remaining_m2=remaining_m2,
        remaining_geometry=remaining,
        entries=tuple(entries),
        discrepancy_m2=discrepancy,
    )
