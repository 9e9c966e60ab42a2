"""Fast multi-row inserts for bulk paths (imports, index rebuilds), in the caller's transaction.

The ORM's bulk insert compiles and binds every row through SQLAlchemy; for a national import of
a million persons that alone takes most of the time. Here rows are plain tuples, each value goes
through its column's own bind processing (so the stored form is exactly what the ORM would
store: ``UTCDateTime`` in UTC, JSON serialised the same way), and the driver does the rest:
``executemany`` of one prepared statement on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from wayhome.store.tables import Base

#: Rows sent to SQLite's ``executemany`` per call (bounds the memory of processed rows).
CHUNK = 50_000


def _processors(
    table: Table, columns: Sequence[str], dialect: Any
) -> list[Callable[[Any], Any] | None]:
    try:
        found = [table.c[name] for name in columns]
    except KeyError as missing:
        raise ValueError(f"table {table.name} has no column {missing}") from None
    return [c.type.dialect_impl(dialect).bind_processor(dialect) for c in found]


def insert_rows(
    session: Session,
    model: type[Base],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    constants: Mapping[str, Any] | None = None,
) -> int:
    """Insert ``rows`` (Python values in ``columns`` order) into the table of ``model``, each
    followed by ``constants`` (one value per column for every row, bound once); returns the
    row count."""
    table: Table = model.__table__  # type: ignore[assignment]
    constants = dict(constants or {})
    connection = session.connection()
    dialect = connection.dialect
    names = [*columns, *constants]
    processors = _processors(table, columns, dialect)
    fixed = tuple(
        value if process is None else process(value)
        for value, process in zip(
            constants.values(), _processors(table, list(constants), dialect), strict=True
        )
    )
    active = [(i, p) for i, p in enumerate(processors) if p is not None]

    def bound(row: Sequence[Any]) -> tuple[Any, ...]:
        if len(row) != len(columns):
            raise ValueError(f"a row for {table.name} has {len(row)} values, not {len(columns)}")
        if not active:
            return (*row, *fixed)
        values = list(row)
        for i, process in active:
            if values[i] is not None:
                values[i] = process(values[i])
        return (*values, *fixed)

    quote = dialect.identifier_preparer.quote
    column_list = ", ".join(quote(n) for n in names)
    target = dialect.identifier_preparer.format_table(table)
    count = 0
    if dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(f"COPY {target} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(bound(row))
                count += 1
        return count
    sql = f"INSERT INTO {target} ({column_list}) VALUES ({', '.join('?' * len(names))})"
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(bound(row))
        if len(chunk) >= CHUNK:
            connection.exec_driver_sql(sql, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        connection.exec_driver_sql(sql, chunk)
        count += len(chunk)
    return count
