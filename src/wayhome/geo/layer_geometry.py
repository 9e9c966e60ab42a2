"""Geometries of map layers: simplified for a zoom, rounded to the pixel, kept in a small cache.

A map layer at zoom ``z`` needs neither every vertex of a polygon nor every decimal of its
coordinates. :func:`display_geojson` turns stored GeoJSON into the GeoJSON text drawn at that zoom:
simplified with :func:`wayhome.geo.simplify.simplify_for_zoom` (half a pixel, topology kept,
never invalid) and rounded to about a tenth of a pixel (:func:`digits_for_zoom`).

Simplifying ten thousand polygons takes about a second, while a map asks for the same features at
the same zoom again and again (every pan). :class:`LayerGeometryCache` remembers the text per
record, *version* and zoom, so a record that changes (its version goes up) is simplified again and
a stale outline is never served. The cache is per process and bounded (least recently used out).
Hazard areas written through the services do not need it: their outlines are stored per zoom
band when written (`wayhome.services.map_outlines`, using :func:`display_geojson`).

Display only: areas and ledgers are always computed on the stored geometry.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import shapely
from shapely.geometry.base import BaseGeometry

from wayhome.geo.simplify import simplify_for_zoom

__all__ = [
    "MAX_ZOOM",
    "LayerGeometryCache",
    "digits_for_zoom",
    "display_geojson",
    "round_point",
]

MAX_ZOOM = 22
"""Deepest zoom a layer is asked for; beyond Leaflet's usual 18–20."""


def digits_for_zoom(zoom: int | None) -> int:
    """Decimals of a degree that resolve about a tenth of a pixel at ``zoom`` (7 at most)."""
    if zoom is None:
        return 7
    degrees_per_pixel = 360.0 / (256 * 2 ** max(0, min(zoom, MAX_ZOOM)))
    return max(1, min(7, math.ceil(-math.log10(degrees_per_pixel)) + 1))


def round_point(lon: float, lat: float, zoom: int | None) -> list[float]:
    """A point's coordinates rounded for display at ``zoom``."""
    digits = digits_for_zoom(zoom)
    return [round(lon, digits), round(lat, digits)]


def display_geojson(geometries: Iterable[BaseGeometry], zoom: int | None) -> list[str]:
    """GeoJSON text of each geometry simplified and rounded for ``zoom`` (None: as stored)."""
    items = list(geometries)
    if zoom is not None:
        items = [simplify_for_zoom(g, max(0, min(zoom, MAX_ZOOM))) for g in items]
    grid = 10.0 ** -digits_for_zoom(zoom)
    # "pointwise" only rounds coordinates: it cannot fail on a ring that rounding makes touch.
    rounded = shapely.set_precision(items, grid, mode="pointwise")
    return [str(text) for text in shapely.to_geojson(rounded)]


class LayerGeometryCache:
    """Display GeoJSON by (record id, version, zoom), least recently used out beyond ``size``."""

    def __init__(self, size: int = 200_000) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int, int | None], str] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget everything (tests; or after restoring a database backup)."""
        with self._lock:
            self._items.clear()

    def get_many(
        self,
        keys: list[tuple[str, int]],
        zoom: int | None,
        load: Callable[[list[str]], dict[str, str]],
    ) -> dict[str, str]:
        """Display GeoJSON for ``(id, version)`` keys; ``load(ids)`` gives stored GeoJSON of misses."""
        found: dict[str, str] = {}
        missing: list[tuple[str, int]] = []
        with self._lock:
            for record_id, version in keys:
                text = self._items.get((record_id, version, zoom))
                if text is None:
                    missing.append((record_id, version))
                else:
                    self._items.move_to_end((record_id, version, zoom))
                    found[record_id] = text
        if not missing:
            return found
        stored = load([record_id for record_id, _v in missing])
        present = [(record_id, v) for record_id, v in missing if record_id in stored]
        shapes = shapely.from_geojson([stored[record_id] for record_id, _v in present])
        texts = display_geojson(shapes, zoom)
        with self._lock:
            for (record_id, version), text in zip(present, texts, strict=True):
                found[record_id] = text
                self._items[(record_id, version, zoom)] = text
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found
