"""What sorting names in the reader's language costs: ICU collation against code point order.

    python -m benchmarks.bench_collation [--n 100000] [--lang ru] [--repeat 5]
        [--database-url postgresql+psycopg://...]

The names are invented (random words of Cyrillic, Azerbaijani Latin, Arabic and Armenian
letters). Measured, best of ``--repeat``:

* ``python``: sorting the n names with ``core.collation.name_sort_key`` (the readiness list)
  against ``sorted()`` by code point;
* ``sql page``: one page of 25 in the middle of the list, ``ORDER BY name`` against
  ``ORDER BY name COLLATE "<lang>-x-icu"`` (``store.collation.by_name``; the persons, places
  and heritage lists), on a SQLite file, and on PostgreSQL with ``--database-url`` (a TEMPORARY
  table: nothing of the database is changed). On SQLite also ``ICU callback``: the same order
  through a collation function called for every comparison (the design not taken).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert, select

import wayhome.store.collation  # noqa: F401 - registers the sort key function on SQLite
from wayhome.core.collation import collator, name_sort_key
from wayhome.store.collation import by_name

ALPHABETS = [
    "абвгдеёжзийклмнопрстуфхцчшщыэюя",
    "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
]


def names(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        letters = rng.choice(ALPHABETS)
        word = "".join(rng.choice(letters) for _ in range(rng.randint(4, 12)))
        out.append(word[0].upper() + word[1:])
    return out


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def sql_page(
    url: str, data: list[str], lang: str, repeat: int
) -> tuple[float, float, float | None]:
    engine = create_engine(url)
    table = Table(
        "bench_names",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", Text),
        prefixes=["TEMPORARY"],
    )
    with engine.connect() as conn:
        table.create(conn)
        conn.execute(insert(table), [{"name": n} for n in data])
        middle = len(data) // 2

        def page(order: object) -> Callable[[], object]:
            query = select(table.c.id).order_by(order, table.c.id).limit(25).offset(middle)
            return lambda: conn.execute(query).all()

        plain = best(page(table.c.name), repeat)
        icu = best(page(by_name(table.c.name, lang)), repeat)
        callback = None
        if engine.dialect.name == "sqlite":  # the alternative: a collation called per comparison
            raw = conn.connection.driver_connection
            raw.create_collation("icu_callback", collator(lang).compare)  # type: ignore[union-attr]
            callback = best(page(table.c.name.collate("icu_callback")), repeat)
        conn.rollback()
    engine.dispose()
    return plain, icu, callback


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--lang", default="ru")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    data = names(args.n)
    key = name_sort_key(args.lang)
    rows: list[tuple[str, float, float, float | None]] = [
        (
            "python sort",
            best(lambda: sorted(data), args.repeat),
            best(lambda: sorted(data, key=key), args.repeat),
            None,
        )
    ]
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("sqlite page", *sql_page(f"sqlite:///{tmp}/b.db", data, args.lang, 3)))
    if args.database_url:
        rows.append(("postgresql page", *sql_page(args.database_url, data, args.lang, 3)))
    print(f"n={args.n} names, lang={args.lang}; ms, best of {args.repeat} (SQL: best of 3)")
    print(f"{'':18}{'code point':>12}{'ICU':>10}{'ICU callback':>14}")
    for label, plain, icu, callback in rows:
        extra = f"{callback:14.1f}" if callback is not None else f"{'-':>14}"
        print(f"{label:18}{plain:12.1f}{icu:10.1f}{extra}")


if __name__ == "__main__":
    main()
