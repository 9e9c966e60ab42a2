"""Spark engine: the same SQL on a Spark session (local by default).

``pyspark`` (PyPI) is imported only when this engine is used; it needs Java 17. Tables are
temporary views over cached DataFrames.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .base import Engine, SparkDialect


class SparkEngine(Engine):
    """Runs the linkage SQL on ``session`` or on a new local session (``master``)."""

    dialect = SparkDialect()

    def __init__(self, session: Any = None, master: str = "local[2]") -> None:
        if session is None:
            from pyspark.sql import SparkSession

            session = (
                SparkSession.builder.master(master)
                .appName("wayhome-linkage")
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.ui.enabled", "false")
                .getOrCreate()
            )
        self.spark = session
        self._frames: dict[str, Any] = {}

    def _register(self, name: str, frame: Any) -> None:
        old = self._frames.pop(name, None)
        # materialised and cut from its lineage: each table is built from the previous ones, and
        # carrying the whole chain (two dozen blocking rules, sub-blocks, comparisons) in every
        # later plan makes Spark's planner run out of heap
        frame = frame.localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)
        self._frames[name] = frame
        if old is not None:
            old.unpersist()

    def load(self, name: str, table: pa.Table) -> None:
        from pyspark.sql import types as T

        schema = T.StructType(
            [T.StructField(f.name, _spark_type(f.type, T), True) for f in table.schema]
        )
        rows = [tuple(row.values()) for row in table.to_pylist()]
        self._register(name, self.spark.createDataFrame(rows, schema))

    def create(self, name: str, sql: str) -> None:
        self._register(name, self.spark.sql(sql))

    def fetch(self, sql: str) -> pa.Table:
        result = self.spark.sql(sql)
        if hasattr(result, "toArrow"):  # pyspark >= 4: no pandas in between
            return result.toArrow()
        return pa.Table.from_pandas(result.toPandas(), preserve_index=False)

    def close(self) -> None:
        for frame in self._frames.values():
            frame.unpersist()
        for name in self._frames:
            self.spark.catalog.dropTempView(name)
        self._frames.clear()


def _spark_type(kind: pa.DataType, T: Any) -> Any:
    if pa.types.is_list(kind):
        return T.ArrayType(_spark_type(kind.value_type, T))
    if pa.types.is_int64(kind):
        return T.LongType()
    if pa.types.is_integer(kind):
        return T.IntegerType()
    if pa.types.is_floating(kind):
        return T.DoubleType()
    if pa.types.is_boolean(kind):
        return T.BooleanType()
    return T.StringType()
