"""The embedded default engine: an in-process DuckDB database."""

from __future__ import annotations

import os
import shutil
import tempfile

import duckdb
import pyarrow as pa

from .base import Dialect, Engine


class DuckDBEngine(Engine):
    """DuckDB in memory; ``threads`` defaults to the CPU count, ``memory_limit`` to 6 GB."""

    dialect = Dialect()

    def __init__(self, threads: int | None = None, memory_limit: str = "6GB") -> None:
        # spill files go to the system temp directory, not ./.tmp (DuckDB's default)
        self._spill = tempfile.mkdtemp(prefix="wayhome-duckdb-")
        self.con = duckdb.connect(
            config={
                "threads": threads or os.cpu_count() or 1,
                "memory_limit": memory_limit,
                "preserve_insertion_order": False,
                "temp_directory": self._spill,
            }
        )
        self._views = 0

    def load(self, name: str, table: pa.Table) -> None:
        self._views += 1
        view = f"_arrow_{self._views}"
        self.con.register(view, table)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {view}")
        self.con.unregister(view)

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")

    def fetch(self, sql: str) -> pa.Table:
        result = self.con.sql(sql).to_arrow_table()
        return result

    def append(self, name: str, table: pa.Table) -> None:
        self._views += 1
        view = f"_arrow_{self._views}"
        self.con.register(view, table)
        self.con.execute(f"INSERT INTO {name} SELECT * FROM {view}")
        self.con.unregister(view)

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._spill, ignore_errors=True)
