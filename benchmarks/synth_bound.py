"""How well could *any* method cluster the synthetic records? An ideal-reader bound.

    python -m benchmarks.synth_bound --n 1000000 [--seed 1]

The generator (:mod:`benchmarks.synth`) knows every invented person's true attributes. The
*ideal reader* reads every record perfectly — typos, scripts and romanisations undone — and
compares it with the true attributes of **every** person: a person is *compatible* with a
record when it agrees on every field the record gives (community, sex, given name, family
name, father's name, birth place, and the birth date to the precision written: year, year and
month, or the full date). ``k`` is the number of compatible persons (the record's own person is
always counted, even when a wrong date on the record hides it). A record with ``k = 1`` can be
placed with certainty; with ``k >= 2`` not even the ideal reader can tell which of the ``k`` it
belongs to.

The bound is the pairwise F1 of the ideal reader's clusters under one of three rules for the
ambiguous records: *alone* (it starts its own cluster), *coin* (with ``k = 2`` it joins one of
the two at random, else alone), *k<=3* (joins one of up to three at random). It is an upper
bound in spirit, not in proof: a real system does not know the persons' true attributes (it
infers them from records that are themselves partial), and the ideal reader ignores date
errors a real model weighs. It shows how much of a shortfall the data forces on every method
and how much is left to the method.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

if __package__ in (None, ""):  # run as a file: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import synth  # noqa: E402
from benchmarks.metrics import pair_scores  # noqa: E402

FIELDS = ((1, "given", "given_name"), (2, "fam", "family_name"), (4, "father", "patronymic"))
PLACE_FLAG = 8


def persons_frame(cfg: synth.SynthConfig) -> pd.DataFrame:
    """The invented persons of ``cfg`` (row i = person ``p<i>``) with their true attributes,
    drawn with the generator's own random stream (the same persons as ``synth.generate``)."""
    r = np.random.Generator(np.random.PCG64(cfg.seed))
    ps = synth._persons(cfg, r, synth._build_tables(), synth._build_places())
    birth = ps["birth"]
    return pd.DataFrame(
        {
            "comm": ps["comm"],
            "sex": ps["sex"],
            "given": ps["given"],
            "fam": ps["fam"],
            "father": ps["father"],
            "place": ps["place"],
            "y": birth.astype("datetime64[Y]").astype(np.int64) + 1970,
            "m": birth.astype("datetime64[M]").astype(np.int64) % 12 + 1,
            "d": (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1,
        }
    )


def _date_parts(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    text = dates.fillna("").astype(str)
    precision = text.str.len().map({0: 0, 4: 1, 7: 2, 10: 3}).to_numpy()
    parts = np.column_stack(
        [
            pd.to_numeric(text.str[a:b], errors="coerce").fillna(-1).astype(np.int64).to_numpy()
            for a, b in ((0, 4), (5, 7), (8, 10))
        ]
    )
    return precision, parts


def ambiguity(
    records: pd.DataFrame, persons: pd.DataFrame, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Per record: ``k`` (compatible persons, own included) and one compatible *other* person
    drawn at random (-1 when there is none). ``records`` has the generator's columns; its
    ``true_id`` is ``p<row of persons>``."""
    rng = np.random.default_rng(seed)
    owner = records["true_id"].str[1:].astype(np.int64).to_numpy()
    own = persons.iloc[owner].reset_index(drop=True)
    precision, parts = _date_parts(records["birth_date"])
    flags = sum(flag * records[column].notna().to_numpy() for flag, _, column in FIELDS)
    flags = flags + PLACE_FLAG * records["birth_place"].notna().to_numpy()
    pattern = flags * 4 + precision
    k = np.zeros(len(records), np.int64)
    other = np.full(len(records), -1, np.int64)
    for value in np.unique(pattern):
        rows = np.flatnonzero(pattern == value)
        fields, prec = divmod(int(value), 4)
        names = [name for flag, name, _ in FIELDS if fields & flag]
        names += ["place"] if fields & PLACE_FLAG else []
        key = ["comm", "sex", *names]
        dates = ["y", "m", "d"][:prec]
        query = own.loc[rows, key].reset_index(drop=True)
        for j, column in enumerate(dates):
            query[column] = parts[rows, j]
        group = persons.groupby(key + dates, sort=False).ngroup().to_numpy()
        index = pd.Series(group, index=pd.MultiIndex.from_frame(persons[key + dates]))
        index = index[~index.index.duplicated()]
        found = index.reindex(pd.MultiIndex.from_frame(query)).to_numpy()
        has = ~np.isnan(found)
        g = np.where(has, found, 0).astype(np.int64)
        count = np.bincount(group, minlength=int(group.max()) + 1)
        own_in = has & (group[owner[rows]] == g)
        k[rows] = np.where(has, count[g], 0) + ~own_in
        order = np.argsort(group, kind="stable")
        start = np.searchsorted(group[order], np.arange(len(count)))
        pick = np.flatnonzero(has)
        if len(pick) == 0:
            continue
        width = count[g[pick]]
        j = (rng.random(len(pick)) * width).astype(np.int64)
        chosen = order[start[g[pick]] + j]
        again = chosen == owner[rows[pick]]
        chosen[again] = order[start[g[pick]] + (j + 1) % width][again]
        ok = chosen != owner[rows[pick]]
        other[rows[pick[ok]]] = chosen[ok]
    return k, other


def bound_scores(
    records: pd.DataFrame, persons: pd.DataFrame, seed: int = 0
) -> dict[str, tuple[float, float, float]]:
    """Pairwise (precision, recall, F1) of the ideal reader under each rule (see module doc)."""
    k, other = ambiguity(records, persons, seed)
    truth = records["true_id"].str[1:].astype(np.int64).to_numpy()
    rng = np.random.default_rng(seed + 1)
    luck = rng.random(len(k))
    out: dict[str, tuple[float, float, float]] = {}
    for rule, limit in (("alone", 1), ("coin", 2), ("k<=3", 3)):
        ambiguous = k >= 2
        wrong = ambiguous & (k <= limit) & (luck >= 1.0 / np.maximum(k, 1)) & (other >= 0)
        labels = np.where(wrong, other, truth)
        labels = np.where(ambiguous & (k > limit), len(persons) + np.arange(len(k)), labels)
        s = pair_scores(truth, labels)
        p = s.true_positives / s.predicted_pairs if s.predicted_pairs else 1.0
        r = s.true_positives / s.true_pairs if s.true_pairs else 1.0
        out[rule] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    cfg = synth.SynthConfig(n=args.n, seed=args.seed)
    records = pd.read_parquet(synth.ensure_dataset(args.n, args.seed))
    persons = persons_frame(cfg)
    k, _ = ambiguity(records, persons)
    print(f"# python -m benchmarks.synth_bound --n {args.n} --seed {args.seed}")
    shares = pd.Series(np.minimum(k, 5)).value_counts(normalize=True).sort_index()
    print("records by compatible persons k (5 = 5 or more):")
    for value, share in shares.items():
        print(f"  k={value}: {share:.4f}")
    print("| rule for ambiguous records | precision | recall | F1 |")
    print("|---|---|---|---|")
    for rule, (p, r, f) in bound_scores(records, persons).items():
        print(f"| {rule} | {p:.4f} | {r:.4f} | {f:.4f} |")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
