"""Engines that run the linkage SQL: DuckDB (embedded default) and Spark."""

from __future__ import annotations

from .base import Dialect, Engine, SparkDialect


def make_engine(name: str | Engine = "duckdb", **options: object) -> Engine:
    """Return an engine by name (``duckdb`` or ``spark``), or the engine passed in."""
    if isinstance(name, Engine):
        return name
    if name == "duckdb":
        from .duckdb_engine import DuckDBEngine

        return DuckDBEngine(**options)  # type: ignore[arg-type]
    if name == "spark":
        from .spark_engine import SparkEngine

        return SparkEngine(**options)  # type: ignore[arg-type]
    raise ValueError(f"unknown engine {name!r} (duckdb or spark)")


__all__ = ["Dialect", "Engine", "SparkDialect", "make_engine"]
