"""The small interface an engine implements, and the SQL dialect differences between engines.

Every query is built by pure ``*_sql`` functions (see :mod:`wayhome.linkage.sql`) that take a
:class:`Dialect`, so DuckDB and Spark run the same model from the same SQL.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import pyarrow as pa


def num(x: float) -> str:
    """A float literal both engines read as DOUBLE (Spark reads ``1.5`` as DECIMAL)."""
    return f"{float(x):.17e}"


class Dialect:
    """SQL spelling of the few operations DuckDB and Spark name differently (DuckDB here)."""

    name = "duckdb"

    def overlap(self, a: str, b: str, slots: int) -> str:
        """True when two key lists share a key, tested on their scalar slot copies.

        ``a``/``b`` name list columns (``l.fam_k``) with ``_0``..``_{slots-1}`` slot columns
        holding each record's most common keys (see ``features.SLOT_COUNTS``): comparing
        scalars is several times faster than list functions; keys past the last slot (rare
        spellings of long key lists) are left out.
        """
        right = ", ".join(f"{b}_{i}" for i in range(slots))
        return "(" + " OR ".join(f"{a}_{i} IN ({right})" for i in range(slots)) + ")"

    def explode(self, a: str) -> str:
        """One output row per list element (in a SELECT list)."""
        return f"unnest({a})"

    def fmt_bits(self, x: str) -> str:
        """A number of bits as signed text with one decimal (``+6.2``)."""
        return f"printf('%+.1f', {x})"

    def levenshtein(self, a: str, b: str) -> str:
        return f"levenshtein({a}, {b})"

    def within_edits(self, a: str, b: str, edits: int) -> str:
        """True when two texts are at most ``edits`` letters apart (Levenshtein distance, in
        characters). Lengths that differ by more already say no, so the distance is only
        computed where they do not: most pairs that get this far have different names."""
        return (
            f"(abs(length({a}) - length({b})) <= {edits} AND {self.levenshtein(a, b)} <= {edits})"
        )


class SparkDialect(Dialect):
    """Spark SQL spelling."""

    name = "spark"

    def explode(self, a: str) -> str:
        return f"explode({a})"

    def fmt_bits(self, x: str) -> str:
        return f"format_string('%+.1f', CAST({x} AS DOUBLE))"


class Engine(ABC):
    """Runs SQL over named tables; implementations: DuckDB (default) and Spark."""

    dialect: Dialect = Dialect()

    @abstractmethod
    def load(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable as ``name`` (replacing any table of that name)."""

    @abstractmethod
    def create(self, name: str, sql: str) -> None:
        """Materialise the result of a SELECT as table ``name`` (replacing it)."""

    @abstractmethod
    def fetch(self, sql: str) -> pa.Table:
        """Run a SELECT and return its result as an Arrow table."""

    def append(self, name: str, table: pa.Table) -> None:
        """Add the rows of an Arrow table to table ``name`` (same columns)."""
        self.load("_append", table)
        self.create(name, f"SELECT * FROM {name} UNION ALL SELECT * FROM _append")

    def close(self) -> None:  # noqa: B027 - optional
        """Release resources."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
