"""Probabilistic record linkage of people across scripts and spellings.

Fellegi–Sunter model (m/u estimated by EM, term-frequency adjustment for common names),
blocking over the cross-script keys of :mod:`wayhome.names`, DuckDB as the embedded engine
(Spark optional), explanations for every proposed match, stable cluster ids and incremental
linkage. See ``docs/guide/linkage.md``.

Public API (stable)::

    from wayhome.linkage import dedupe, link

    result = dedupe(records, engine="duckdb", threshold=0.9)
    result.clusters   # DataFrame[id, cluster_id, match_probability], one row per input row
    result.pairs      # DataFrame[id_a, id_b, match_probability, match_weight, explanation, ...]
    result.model      # the trained LinkageModel (reuse it: dedupe(..., model=result.model))

    pairs = link(a, b, threshold=0.9)   # DataFrame[id_a, id_b, match_probability, ...]

    with IncrementalLinker(records, result.clusters, result.model) as linker:
        placed = linker.add({"id": "n1", "family_name": "Мамедов", ...})  # joins or starts

``records`` is a pandas DataFrame, a pyarrow Table or a path to a UTF-8 CSV file with the columns
``id`` (required), ``given_name``, ``family_name``, ``patronymic``, ``sex`` (M/F/empty),
``birth_date`` (YYYY, YYYY-MM, YYYY-MM-DD or empty), ``birth_place``, ``source`` and an optional
``names`` column (a list, or a ``|``-separated string, of other full names of the person).
"""

from __future__ import annotations

from .api import DedupeResult, dedupe, link
from .incremental import IncrementalLinker, Placement
from .model import LinkageModel
from .records import BadRecordsError, RecordError

__all__ = [
    "BadRecordsError",
    "DedupeResult",
    "IncrementalLinker",
    "LinkageModel",
    "Placement",
    "RecordError",
    "dedupe",
    "link",
]
