"""Ordering lists by a name in the reader's language, in SQL, on both backends.

Both databases compare text by code point as configured (SQLite ``BINARY``, PostgreSQL's
``C.UTF-8`` template), so ``Ёлкино`` comes before ``Абрамово`` and ``Əhmədli`` after ``Zərdab``.
:func:`by_name` orders by the ICU collation of the language instead: on PostgreSQL (built with
ICU) ``name COLLATE "ru-x-icu"``; on SQLite ``wayhome_name_key(name, 'ru-x-icu')``, a function
registered on every connection that returns the ICU sort key (``core/collation.py``), so SQLite
calls Python once per row and sorts the keys byte-wise (a collation callback is called once per
comparison: about 3 times slower for a page of 100,000 names, ``benchmarks/bench_collation.py``).
The page is still cut by SQL (``LIMIT``/``OFFSET``), whatever the size of the list.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from sqlalchemy import LargeBinary, event, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import Pool
from sqlalchemy.sql.functions import FunctionElement

from wayhome.core.collation import collator

#: Languages with their own ordering here; any other sorts by the Unicode default order (und).
LANGUAGES = ("und", "en", "ru", "ar", "az", "hy", "uk", "ka", "tr", "fa")
SQLITE_FUNCTION = "wayhome_name_key"
_TAG = re.compile(r"[a-z]{2,3}")


def collation_name(lang: str | None) -> str:
    """The ICU collation of a language as PostgreSQL names it, e.g. ``ru-x-icu``."""
    base = (lang or "").lower().replace("_", "-").split("-")[0]
    return f"{base if _TAG.fullmatch(base) and base in LANGUAGES else 'und'}-x-icu"


class _NameKey(FunctionElement[bytes]):
    """``wayhome_name_key(column, 'ru-x-icu')``: a name's place in a language's order."""

    name = SQLITE_FUNCTION
    type = LargeBinary()
    inherit_cache = True


@compiles(_NameKey)
def _function(element: _NameKey, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(_NameKey, "postgresql")
def _postgresql(element: _NameKey, compiler: Any, **kw: Any) -> str:
    column, collation = element.clauses.clauses
    # the collation is a literal column (part of the statement's cache key), checked above
    return f'{compiler.process(column, **kw)} COLLATE "{collation.name.strip(chr(39))}"'


def by_name(column: Any, lang: str | None) -> Any:
    """``column`` to order by, compared as a reader of ``lang`` expects (code points if None)."""
    if lang is None:
        return column
    return _NameKey(column, literal_column(f"'{collation_name(lang)}'"))


def _sort_key(text: str | None, collation: str) -> bytes | None:
    if text is None:
        return None
    return bytes(collator(collation.split("-")[0]).getSortKey(text))


@event.listens_for(Pool, "checkout")
def _register_sqlite_function(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    # on checkout, not connect: a connection opened before this module was imported gets it too
    if record.info.get(SQLITE_FUNCTION) or not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function(SQLITE_FUNCTION, 2, _sort_key, deterministic=True)
    record.info[SQLITE_FUNCTION] = True
