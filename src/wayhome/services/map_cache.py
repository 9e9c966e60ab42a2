"""Caches of the map layers: feature texts kept while the data they come from is unchanged.

A map asks for the same features again and again (every pan and zoom), and building them is the
slow part: simplifying outlines, assessing readiness, writing JSON. `FeatureTexts` keeps each
feature's finished GeoJSON text under a *fingerprint* of the data: the newest entries of
`record_versions` (every service write stores a version in the same transaction as the change,
and ids are time-ordered, so any write adds an id among the newest) and the row count of each
table the layer reads (which also catches rows written in bulk, outside the services). Both are
index reads, not table scans. Any write changes the fingerprint, and the next request starts
afresh, so the map never shows what has since changed.

The fingerprint is read *before* the data: an entry may be newer than its fingerprint, never
older. Caches are per process and bounded; with several workers each keeps its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wayhome.store.tables import RecordVersion

__all__ = ["BoxIndex", "FeatureTexts", "fingerprint"]


NEWEST = 32
"""How many of the newest version ids make the fingerprint: more than are written in one
millisecond (ids are ordered by the millisecond, then random)."""


def fingerprint(session: Session, tables: Sequence[Any], extra: Sequence[Any] = ()) -> tuple:
    """A value that changes whenever a service writes anything, or rows of ``tables`` come or go."""
    counts = [select(func.count()).select_from(table).scalar_subquery() for table in tables]
    row = tuple(session.execute(select(*counts, *extra)).one())
    newest = session.scalars(
        select(RecordVersion.id).order_by(RecordVersion.id.desc()).limit(NEWEST)
    ).all()
    return (*row, tuple(newest))


class FeatureTexts:
    """Finished features by key (record, zoom, …), dropped as a whole when the data changes."""

    def __init__(self, size: int = 300_000) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._views: dict[Any, tuple[tuple, dict[Any, Any]]] = {}

    def view(self, scope: Any, current: tuple) -> dict[Any, Any]:
        """The entries of ``scope`` (e.g. an organisation) valid for fingerprint ``current``."""
        with self._lock:
            kept = self._views.get(scope)
            if kept is None or kept[0] != current:
                kept = (current, {})
                self._views[scope] = kept
            if sum(len(v[1]) for v in self._views.values()) > self.size:
                self._views = {scope: kept}
                kept[1].clear()
            return kept[1]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._views.clear()


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class BoxIndex:
    """Record ids in display order with their bounding boxes, searched by box in memory.

    Reading ids by box from the database scans the table's wide rows (outlines are stored
    inline); this index is read once per fingerprint and answers a box in well under a
    millisecond with numpy.
    """

    ids: list[str]
    bounds: np.ndarray  # one row per id: west, south, east, north (a point: lon, lat, lon, lat)

    @classmethod
    def of(cls, rows: Iterable[Sequence[Any]]) -> BoxIndex:
        """Build from rows of (id, west, south, east, north), e.g. a query's result as it comes.

        Only strings and floats are kept, so a result read row by row leaves no row objects
        alive for the garbage collector to promote and later scan (a full collection of a large
        process costs about 100 ms).
        """
        ids: list[str] = []
        flat: list[float] = []
        for r in rows:
            ids.append(r[0])
            flat.extend(r[1:5])
        return cls(ids, np.array(flat, dtype=np.float64).reshape(len(ids), 4))

    def position(self) -> dict[str, int]:
        """Where each id is (for looking up a point's coordinates)."""
        return {record_id: i for i, record_id in enumerate(self.ids)}

    def within(self, boxes: Sequence[Box | None], limit: int) -> tuple[list[str], bool]:
        """Ids meeting any of the boxes (None: everywhere), at most ``limit``, and whether cut."""
        if any(box is None for box in boxes):
            found = np.arange(len(self.ids))
        else:
            b = self.bounds
            mask = np.zeros(len(self.ids), dtype=bool)
            for west, south, east, north in boxes:  # type: ignore[misc]
                mask |= (
                    (b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north) & (b[:, 3] >= south)
                )
            found = np.flatnonzero(mask)
        return [self.ids[i] for i in found[:limit].tolist()], len(found) > limit
