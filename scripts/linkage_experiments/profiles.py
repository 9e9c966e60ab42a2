"""Experiment (not the engine): link the records left alone against one *profile* per cluster.

    .venv/bin/python scripts/linkage_experiments/profiles.py --n 100000 [--seed 1]

After ``wayhome.linkage.dedupe``, every cluster of two or more records becomes one profile
record: all its members' name spellings (the ``names`` column), its most precise and most common
birth date, its commonest birth place, father's name and sex. The records left alone are then
linked against the profiles with the trained model (``score(..., link=True, model=...)``: new
blocking over the profiles' union of keys), and each joins its best profile when that weighs at
least ``min`` bits and the next profile ``margin`` bits less. Prints pairwise precision, recall
and F1 against the truth for a grid of (min, margin).

Measured 2026-11-27 (engine before the consensus step): 100k 0.9507 → 0.9580, 1M 0.9171 →
0.9266 (min 0, margin 3), i.e. twice the gain of the engine's consensus step, but the second
pass (prepare, block and score of the lone records + profiles) costs about as much as a third of
the first one. Making it cheap — reuse the first pass's per-spelling keys and vocabulary, build
the profiles' features from the features table — is the next step (see BENCHMARKS.md, *What
limits F1 at 1M*). Synthetic data only (``benchmarks/synth.py``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.metrics import pair_scores  # noqa: E402
from benchmarks.synth import ensure_dataset  # noqa: E402
from wayhome.linkage import api  # noqa: E402
from wayhome.linkage.records import load_records  # noqa: E402


def f1(truth: np.ndarray, labels: np.ndarray) -> str:
    s = pair_scores(truth, labels)
    p, r = s.true_positives / s.predicted_pairs, s.true_positives / s.true_pairs
    return f"P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f}"


def modes(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per cluster label, the commonest non-empty value of ``column``."""
    values = frame[["lab", column]]
    values = values[values[column].notna() & (values[column] != "")]
    counts = values.groupby(["lab", column]).size().rename("n").reset_index()
    counts = counts.sort_values(["lab", "n"], ascending=[True, False])
    return counts.drop_duplicates("lab").set_index("lab")[column]


def profiles(records: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """One record per cluster of two or more records."""
    size = np.bincount(labels)
    multi = records[size[labels] >= 2].assign(lab=labels[size[labels] >= 2])
    dated = multi.assign(_p=multi["birth_date"].fillna("").str.len())
    top_precision = dated.groupby("lab")["_p"].transform("max")
    best_date = modes(dated[dated["_p"] == top_precision], "birth_date")
    full = multi["family_name"].fillna("") + " " + multi["given_name"].fillna("")
    full = (full + " " + multi["patronymic"].fillna("")).str.strip()
    names = full.groupby(multi["lab"]).agg(lambda s: "|".join(sorted({x for x in s if x})))
    index = names.index
    out = pd.DataFrame({"id": "c" + index.astype(str)}, index=index)
    for column in ("given_name", "family_name", "patronymic", "sex", "birth_place"):
        out[column] = modes(multi, column).reindex(index)
    out["birth_date"] = best_date.reindex(index)
    out["names"] = names
    return out.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    df = pd.read_parquet(ensure_dataset(args.n, args.seed))
    truth = pd.factorize(df["true_id"])[0]
    records = df.drop(columns=["true_id"])
    started = time.perf_counter()
    result = api.dedupe(records, explain=False)
    print(f"dedupe {time.perf_counter() - started:.1f} s", flush=True)
    clusters = result.clusters.set_index("id").reindex(df["id"])["cluster_id"].to_numpy()
    labels = pd.factorize(clusters)[0]
    print("engine", f1(truth, labels), flush=True)

    started = time.perf_counter()
    size = np.bincount(labels)
    lone = records[size[labels] == 1]
    prof = profiles(records, labels)
    both = pd.concat([lone.assign(_ds=0), prof.assign(_ds=1)], ignore_index=True)
    both["id"] = both["_ds"].astype(str) + ":" + both["id"]
    scored = api.score(
        load_records(both.astype(object).where(both.notna(), None)),
        model=result.model,
        link=True,
    )
    pairs = scored.engine.fetch("SELECT l, r, match_weight FROM scores").to_pandas()
    ids = scored.features.ids
    scored.close()
    print(
        f"profiles {len(prof)}, alone {len(lone)}, pairs {len(pairs)}: "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    a, b = ids[pairs["l"].to_numpy()], ids[pairs["r"].to_numpy()]
    a_lone = pd.Series(a).str.startswith("0:").to_numpy()
    record = pd.Series(np.where(a_lone, a, b)).str[2:]
    profile = pd.Series(np.where(a_lone, b, a)).str[3:].astype(int)
    links = pd.DataFrame({"rec": record, "cl": profile, "w": pairs["match_weight"].to_numpy()})
    links = links.sort_values(["rec", "w"], ascending=[True, False])
    rank = links.groupby("rec").cumcount()
    top = links[rank == 0].set_index("rec")
    top["second"] = links[rank == 1].set_index("rec")["w"].reindex(top.index).fillna(-99)
    position = pd.Series(np.arange(len(df)), index=df["id"].to_numpy())
    for minimum in (-1, 0, 1, 2):
        for margin in (2, 3):
            chosen = top[(top["w"] >= minimum) & (top["w"] - top["second"] >= margin)]
            joined = labels.copy()
            joined[position.reindex(chosen.index).to_numpy()] = chosen["cl"].to_numpy()
            print(f"min {minimum} margin {margin}: {len(chosen)} joined", f1(truth, joined))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
