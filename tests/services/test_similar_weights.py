"""Search before register weighs a pair as the batch engine does: one rule (level tables by
family and father, term-frequency adjustment, near matches capped at the exact match) in two
implementations, SQL for the engine (``wayhome.linkage.model.field_bits_sql``) and Python for
one pair at a time (``wayhome.services.similar.field_bits``). Held equal on every level
combination of every field."""

from __future__ import annotations

import itertools

import duckdb
import numpy as np
import pandas as pd
import pytest

from wayhome.linkage.engines import make_engine
from wayhome.linkage.model import scores_sql
from wayhome.services import similar

SHARES = (None, 1e-7, 1e-4, 0.003, 0.05, 0.6)  # rarer than the cap … commoner than the cap


def grid(model, field: str) -> pd.DataFrame:
    """One row per (level of ``field``, family-name level, father's-name level, share)."""
    levels = {f: range(-1, len(model.levels[f])) for f in model.fields}
    family = levels["family_name"] if field != "family_name" else [None]
    father = levels["patronymic"] if field != "patronymic" else [None]
    rows = []
    for level, fam, fat, share in itertools.product(levels[field], family, father, SHARES):
        row = {f"g_{f}": -1 for f in model.fields}
        row[f"g_{field}"] = level
        if fam is not None:
            row["g_family_name"] = fam
        if fat is not None:
            row["g_patronymic"] = fat
        row[f"tf_{field}"] = np.nan if share is None else share
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.insert(0, "l", range(len(frame)))
    frame.insert(1, "r", range(len(frame), 2 * len(frame)))
    for f in similar.TF_KIND:
        frame[f"tf_{f}"] = frame.get(f"tf_{f}", np.nan)
    return frame


@pytest.mark.parametrize("field", similar.default_model().fields)
def test_search_weighs_every_level_as_the_engine(field):
    model = similar.default_model()
    assert model.u_same_family and model.u_same_parents  # every table of the rule is exercised
    weights = similar.Weights.of(model)
    rows = grid(model, field)
    engine = make_engine("duckdb")
    try:
        con = duckdb.connect()
        con.register("v_in", rows)
        sql = scores_sql(model, engine.dialect, "v_in")
        engine_bits = con.sql(f"SELECT l, bits_{field} FROM ({sql}) ORDER BY l").df()
    finally:
        engine.close()
    python_bits = [
        similar.field_bits(
            weights,
            field,
            int(row[f"g_{field}"]),
            family=int(row["g_family_name"]),
            father=int(row["g_patronymic"]),
            share=None if pd.isna(row[f"tf_{field}"]) else float(row[f"tf_{field}"]),
        )
        for row in rows.to_dict("records")
    ]
    assert len(engine_bits) == len(rows) > 100
    assert engine_bits[f"bits_{field}"].to_numpy() == pytest.approx(python_bits, abs=1e-9)
    # the grid is not trivial: the weights vary with the context and the share
    assert len({round(b, 6) for b in python_bits}) > len(model.levels[field])
