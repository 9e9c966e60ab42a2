"""Input records: reading, checking and the contract of the columns.

Columns (all text, UTF-8, any script): ``id`` (required, unique), ``given_name``,
``family_name``, ``patronymic``, ``sex`` (``M``/``F`` in any case, or empty), ``birth_date``
(``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or empty), ``birth_place``, ``source`` and an optional
``names`` column: other full names of the person (aliases, maiden names, earlier spellings),
a list or a ``|``-separated string. Any other column is kept and passed through.

Checking is vectorised (pandas); a CSV file is read with pyarrow and only re-read row by row
with the :mod:`csv` module when pyarrow cannot parse it, to report exact line numbers.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

COLUMNS = (
    "id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "source",
)
NAMES_COLUMN = "names"
LINE_COLUMN = "_line"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class RecordError:
    """One bad input row: its line number in the file (1 = header) and what is wrong."""

    line: int | None
    message: str
    id: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else f"row id {self.id!r}"
        return f"{where}: {self.message}"


class BadRecordsError(ValueError):
    """Raised when rows are bad and bad rows are not to be skipped; ``errors`` lists them."""

    def __init__(self, errors: list[RecordError]) -> None:
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} bad row(s): {shown}{more}")


@dataclass(frozen=True)
class Records:
    """Checked records: ``frame`` has every contract column as str ("" = missing)."""

    frame: pd.DataFrame
    skipped: tuple[RecordError, ...] = ()

    @property
    def extra_columns(self) -> list[str]:
        """Columns beyond the contract, kept for the explanation output."""
        known = {*COLUMNS, NAMES_COLUMN, LINE_COLUMN}
        return [c for c in self.frame.columns if c not in known and not str(c).startswith("_")]


def parse_date(text: str) -> tuple[int, int | None, int | None] | None:
    """Return (year, month, day) of ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``; None if not a date."""
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return year, month, day


def load_records(source: Any, *, skip_bad_rows: bool = False) -> Records:
    """Read and check records from a DataFrame, a pyarrow Table or a CSV path.

    Raises :class:`BadRecordsError` listing every bad row unless ``skip_bad_rows``, in which case
    the bad rows are dropped and listed in ``Records.skipped``.
    """
    if isinstance(source, str | Path):
        frame, errors = _read_csv(Path(source))
    else:
        if hasattr(source, "to_pandas") and not isinstance(source, pd.DataFrame):
            source = source.to_pandas()
        if not isinstance(source, pd.DataFrame):
            raise TypeError("records must be a pandas DataFrame, a pyarrow Table or a CSV path")
        frame, errors = source.copy(), []
        if LINE_COLUMN not in frame.columns:
            frame[LINE_COLUMN] = np.arange(2, len(frame) + 2)
    if "id" not in frame.columns:
        raise BadRecordsError([RecordError(1, "no 'id' column")])
    frame = _normalise(frame)
    bad, more = _check(frame)
    errors.extend(more)
    if errors and not skip_bad_rows:
        raise BadRecordsError(sorted(errors, key=lambda e: (e.line or 0, e.message)))
    if bad.any():
        frame = frame.loc[~bad].reset_index(drop=True)
    return Records(frame, tuple(sorted(errors, key=lambda e: (e.line or 0, e.message))))


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Every contract column as stripped str with "" for missing; sex upper-cased."""
    out = frame.copy()
    for column in COLUMNS:
        if column not in out.columns:
            out[column] = ""
        else:
            # stripped once per distinct value: names repeat (a million records hold some
            # tens of thousands of spellings), and str.strip per row took seconds at 1M
            codes, uniques = pd.factorize(out[column].astype(object), use_na_sentinel=True)
            upper = column == "sex"
            stripped = np.asarray(
                [(str(u).strip().upper() if upper else str(u).strip()) for u in uniques] + [""],
                dtype=object,
            )
            out[column] = stripped[codes]
    if NAMES_COLUMN in out.columns:
        out[NAMES_COLUMN] = [_names_list(v) for v in out[NAMES_COLUMN].to_numpy()]
    return out


def _names_list(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split("|") if p.strip())
    return tuple(str(v).strip() for v in value if v is not None and str(v).strip())


def _check(frame: pd.DataFrame) -> tuple[np.ndarray, list[RecordError]]:
    """Vectorised checks; returns the mask of bad rows and their errors."""
    lines = frame[LINE_COLUMN].to_numpy()
    ids = frame["id"]
    problems: list[tuple[np.ndarray, Any]] = []
    problems.append((ids.eq("").to_numpy(), "missing id"))
    dup = ids.duplicated(keep="first").to_numpy() & ids.ne("").to_numpy()
    if dup.any():
        first = dict(zip(ids[~dup].to_numpy(), lines[~dup], strict=True))
        problems.append(
            (dup, lambda i: f"duplicate id {ids.iat[i]!r} (first on line {first[ids.iat[i]]})")
        )
    sex = frame["sex"]
    problems.append(
        (~sex.isin(["", "M", "F"]).to_numpy(), lambda i: f"bad sex {sex.iat[i]!r} (M, F or empty)")
    )
    dates = frame["birth_date"]
    codes, uniques = pd.factorize(dates)
    ok = np.array([u == "" or parse_date(u) is not None for u in uniques], dtype=bool)
    bad_date = ~ok[codes] if len(uniques) else np.zeros(len(frame), dtype=bool)
    problems.append(
        (bad_date, lambda i: f"bad birth_date {dates.iat[i]!r} (YYYY, YYYY-MM or YYYY-MM-DD)")
    )
    bad = np.zeros(len(frame), dtype=bool)
    errors: list[RecordError] = []
    for mask, message in problems:
        bad |= mask
        for i in np.flatnonzero(mask):
            text = message(int(i)) if callable(message) else message
            errors.append(RecordError(int(lines[i]), text, ids.iat[i] or None))
    return bad, errors


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[RecordError]]:
    """Fast path with pyarrow; exact per-line checking with :mod:`csv` when it cannot parse."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = path.read_bytes()
    try:
        header = next(csv.reader(io.StringIO(data.split(b"\n", 1)[0].decode("utf-8-sig"))))
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(use_threads=True, encoding="utf8"),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, StopIteration):
        return _read_csv_slowly(data)
    lines_in_file = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines_in_file != table.num_rows + 1:  # blank lines or newlines inside quoted values
        return _read_csv_slowly(data)
    frame = table.to_pandas()
    frame[LINE_COLUMN] = np.arange(2, len(frame) + 2)
    return frame, []


def _read_csv_slowly(data: bytes) -> tuple[pd.DataFrame, list[RecordError]]:
    """Row-by-row reading that reports wrong field counts and invalid UTF-8 with line numbers."""
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    errors: list[RecordError] = []
    try:
        header = next(reader)
    except StopIteration:
        return pd.DataFrame({"id": []}), [RecordError(1, "empty file")]
    if _has_surrogates(header):
        return pd.DataFrame({"id": []}), [RecordError(1, "header is not valid UTF-8")]
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not row:
            continue
        if len(row) != len(header):
            errors.append(
                RecordError(line, f"wrong number of fields: {len(row)} instead of {len(header)}")
            )
        elif _has_surrogates(row):
            errors.append(RecordError(line, "not valid UTF-8"))
        else:
            rows.append(row)
            lines.append(line)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame[LINE_COLUMN] = np.asarray(lines, dtype=np.int64)
    return frame, errors


def _has_surrogates(row: list[str]) -> bool:
    return any(any("\udc80" <= ch <= "\udcff" for ch in field) for field in row)
