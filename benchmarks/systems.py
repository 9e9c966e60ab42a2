"""The linkage systems under benchmark. Each run happens in its own process (``harness``
starts ``python -m benchmarks.systems ...``), so peak memory is the system's own.

Systems:

- ``wayhome``: ``wayhome.linkage.dedupe(records, engine="duckdb", threshold=..., explain=False)``
  on the CLI input contract (FEBRL mapped by ``datasets.febrl_as_contract``; FEBRL4 deduplicated
  as the union of A and B): what ``wayhome dedupe IN.csv --out OUT.csv`` runs, the clusters
  without the explanation texts (``--explain``), as Splink's run below gives no texts either. While the engine does not exist the run ends with status
  ``unavailable`` - never a made-up result.
- ``splink``: Splink 4/5 on DuckDB, configured as its tutorials show. FEBRL1-3: the settings of
  the FEBRL3 deduplication example; FEBRL4: the detailed ``link_only`` model of the FEBRL4
  example. Synthetic data: the introductory tutorial's model (``NameComparison`` for names,
  ``DateOfBirthComparison``, exact match with term-frequency adjustment for the place, as for
  the tutorial's city) on names folded to ASCII (``wayhome.names.fold`` for Latin letters, then
  ``unidecode`` for other scripts, lower case, letters only) - no cross-script knowledge.
- ``recordlinkage``: its tutorial approach: blocking index, ``Compare`` with exact and
  Jaro-Winkler >= 0.85 features, a pair is a match when more than half of the six features
  agree (the tutorial's ``features.sum(axis=1) > 3``); clusters are the connected components
  of the matched pairs.

The timed part (``wall_s``) starts with the records in memory as a DataFrame and ends with a
cluster label per record: it includes the systems' own preparation (ASCII folding, training).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
import traceback
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import datasets
from benchmarks.metrics import clusters_from_pairs, pair_scores

SYSTEMS = ("wayhome", "splink", "recordlinkage")


class Unavailable(Exception):
    """The system cannot run here (not installed / not written yet)."""


# --- shared preparation ------------------------------------------------------------------------

_NON_LETTERS = re.compile(r"[^a-z]+")


@cache
def _fold_one(value: str) -> str | None:
    from unidecode import unidecode

    from wayhome.names import fold

    s = _NON_LETTERS.sub(" ", unidecode(fold(value)).lower()).strip()
    return s or None


def fold_ascii(values):  # pandas Series -> Series
    """ASCII folding as a Splink user would do it: accents off, other scripts through
    unidecode, lower case, letters only. Computed once per distinct value."""
    uniq = values.dropna().unique()
    mapping = {v: _fold_one(v) for v in uniq}
    return values.map(mapping).astype(object).where(values.notna(), None)


def _labels_from_clusters(ids, cluster_ids_by_id: dict[Any, Any]) -> np.ndarray:
    """Cluster label per id (ids without a cluster become singletons: None)."""
    return np.array([cluster_ids_by_id.get(i) for i in ids], dtype=object)


# --- wayhome -----------------------------------------------------------------------------------


def _wayhome_linkage():
    try:
        from wayhome import linkage
    except ImportError as exc:
        raise Unavailable(f"wayhome.linkage is not available yet ({exc})") from exc
    if not hasattr(linkage, "dedupe"):
        raise Unavailable("wayhome.linkage has no dedupe() yet")
    return linkage


def wayhome_dedupe(df, *, febrl: bool, threshold: float) -> np.ndarray:
    linkage = _wayhome_linkage()
    records = datasets.febrl_as_contract(df) if febrl else df[list(datasets.CONTRACT)]
    result = linkage.dedupe(records, engine="duckdb", threshold=threshold, explain=False)
    clusters = result.clusters
    mapping = dict(zip(clusters["id"], clusters["cluster_id"], strict=True))
    return _labels_from_clusters(df["id"], mapping)


# --- Splink ------------------------------------------------------------------------------------

# Set by the Splink runs: the scored pairs, to report F1 at other cluster thresholds after
# the timed run (connected components, as Splink's clustering does).
_LAST_PREDICTIONS: Any = None
SWEEP_THRESHOLDS = (0.2, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999)


def _splink_clusters(
    linker, predict_threshold: float, cluster_threshold: float, id_col: str
) -> dict[Any, Any]:
    global _LAST_PREDICTIONS
    pred = linker.inference.predict(threshold_match_probability=predict_threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=cluster_threshold
    )
    out = clusters.as_pandas_dataframe()
    _LAST_PREDICTIONS = (pred, id_col)
    return dict(zip(out[id_col], out["cluster_id"], strict=True))


def threshold_sweep(df) -> list[dict[str, Any]]:
    """Pairwise scores of the last Splink run at each of ``SWEEP_THRESHOLDS``."""
    if _LAST_PREDICTIONS is None:
        return []
    pred, id_col = _LAST_PREDICTIONS
    edges = pred.as_pandas_dataframe()[[f"{id_col}_l", f"{id_col}_r", "match_probability"]]
    out = []
    for t in SWEEP_THRESHOLDS:
        e = edges[edges["match_probability"] >= t]
        labels = clusters_from_pairs(list(df["id"]), list(e[f"{id_col}_l"]), list(e[f"{id_col}_r"]))
        out.append({"threshold": t, **pair_scores(df["true_id"].to_numpy(), labels).as_dict()})
    return out


def splink_febrl(df, *, number: int, cluster_threshold: float | None) -> np.ndarray:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    data = df[["id", *datasets.FEBRL_COLUMNS]].rename(columns={"id": "rec_id"})
    db_api = DuckDBAPI()
    if number == 4:
        # FEBRL4 example: the detailed link_only model.
        blocking_rules = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="link_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
                cl.NameComparison("surname").configure(term_frequency_adjustments=True),
                cl.DateOfBirthComparison(
                    "date_of_birth",
                    input_is_string=True,
                    datetime_format="%Y%m%d",
                    invalid_dates_as_null=True,
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                    term_frequency_adjustments=True
                ),
            ],
            retain_intermediate_calculation_columns=True,
        )
        a = db_api.register(data[df["dataset"] == "A"].reset_index(drop=True))
        b = db_api.register(data[df["dataset"] == "B"].reset_index(drop=True))
        linker = Linker([a, b], settings, log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth"), estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("postcode"), estimate_without_term_frequencies=True
        )
        mapping = _splink_clusters(linker, 0.2, cluster_threshold or 0.99, "rec_id")
    else:
        # FEBRL3 example (deduplication), used for FEBRL1-3.
        blocking_rules = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                cl.DateOfBirthComparison(
                    "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=True,
        )
        linker = Linker(db_api.register(data), settings, log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name "
                "and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
        # The example stops at predict(0.2); clusters at the FEBRL4 example's 0.99.
        mapping = _splink_clusters(linker, 0.2, cluster_threshold or 0.99, "rec_id")
    return _labels_from_clusters(df["id"], mapping)


# Blocking for the synthetic data: the tutorial's first_name+surname and dob rules, with dob
# restricted to full dates (a year-only "1975" would block thousands of records together), and
# family name + birth year to catch given-name typos.
SPLINK_SYNTH_BLOCKING = (
    ("given_name", "family_name"),
    "l.birth_date = r.birth_date and length(l.birth_date) = 10",
    ("family_name", "substr(birth_date, 1, 4)"),
)


def splink_prepare(df):  # -> DataFrame of folded records
    out = df[
        ["id", "given_name", "family_name", "patronymic", "sex", "birth_date", "birth_place"]
    ].copy()
    for col in ("given_name", "family_name", "patronymic", "birth_place"):
        out[col] = fold_ascii(out[col])
    return out


def splink_synth_settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    rules = [block_on(*r) if isinstance(r, tuple) else r for r in SPLINK_SYNTH_BLOCKING]
    return SettingsCreator(
        unique_id_column_name="id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )


def splink_train_synth(linker) -> None:
    """The introductory tutorial's training steps."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("given_name", "family_name", "birth_date"),
            "l.given_name = r.given_name and levenshtein(r.family_name, l.family_name) <= 2 "
            "and l.birth_date = r.birth_date",
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        "l.birth_date = r.birth_date and length(l.birth_date) = 10",
        estimate_without_term_frequencies=True,
    )


def splink_synth(df, *, cluster_threshold: float | None) -> np.ndarray:
    from splink import DuckDBAPI, Linker

    data = splink_prepare(df)
    linker = Linker(DuckDBAPI().register(data), splink_synth_settings(), log_level=logging.WARNING)
    splink_train_synth(linker)
    # Tutorial: predict(threshold_match_probability=0.2), clusters at 0.95.
    mapping = _splink_clusters(linker, 0.2, cluster_threshold or 0.95, "id")
    return _labels_from_clusters(df["id"], mapping)


# --- recordlinkage -----------------------------------------------------------------------------


def _block_keys(df, cols: list[str], name: str):
    """A blocking key column; a missing part makes the key unique (pandas joins NaN to NaN)."""
    key = df[cols[0]].astype(object)
    missing = key.isna()
    for c in cols[1:]:
        key = key.astype(str) + "\x1f" + df[c].astype(str)
        missing |= df[c].isna()
    key = key.where(~missing, "\x00" + df.index.astype(str))
    df[name] = key
    return name


def _rl_classify(features, df_ids, pairs_index) -> np.ndarray:
    matches = features[features.sum(axis=1) > 3].index
    left = [df_ids[i] for i in matches.get_level_values(0)]
    right = [df_ids[i] for i in matches.get_level_values(1)]
    return left, right


def recordlinkage_febrl(df, *, number: int) -> np.ndarray:
    import recordlinkage

    data = df.reset_index(drop=True).copy()
    keys = [_block_keys(data, [c], f"bk_{c}") for c in ("given_name", "surname", "date_of_birth")]
    indexer = recordlinkage.Index()
    for k in keys:
        indexer.block(k)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    if number == 4:
        a = data[data["dataset"] == "A"]
        b = data[data["dataset"] == "B"]
        pairs = indexer.index(a, b)
        features = compare.compute(pairs, a, b)
    else:
        pairs = indexer.index(data)
        features = compare.compute(pairs, data)
    left, right = _rl_classify(features, data["id"], pairs)
    return clusters_from_pairs(list(data["id"]), left, right)


def recordlinkage_synth(df) -> np.ndarray:
    import recordlinkage

    data = splink_prepare(df).reset_index(drop=True)
    data["birth_year"] = data["birth_date"].str.slice(0, 4)
    data["full_date"] = data["birth_date"].where(data["birth_date"].str.len() == 10, None)
    indexer = recordlinkage.Index()
    indexer.block(_block_keys(data, ["given_name", "family_name"], "bk_names"))
    indexer.block(_block_keys(data, ["full_date"], "bk_dob"))
    indexer.block(_block_keys(data, ["family_name", "birth_year"], "bk_family_year"))
    pairs = indexer.index(data)
    compare = recordlinkage.Compare()
    for col in ("given_name", "family_name", "patronymic"):
        compare.string(col, col, method="jarowinkler", threshold=0.85, label=col)
    compare.exact("birth_date", "birth_date", label="birth_date")
    compare.exact("sex", "sex", label="sex")
    compare.exact("birth_place", "birth_place", label="birth_place")
    features = compare.compute(pairs, data)
    left, right = _rl_classify(features, data["id"], pairs)
    return clusters_from_pairs(list(data["id"]), left, right)


# --- child entry point -------------------------------------------------------------------------


def run(
    system: str, dataset: str, *, threshold: float | None = None, sweep: bool = True
) -> dict[str, Any]:
    """Load ``dataset``, run ``system`` on it (timed) and score it."""
    t_load = time.perf_counter()
    df = datasets.load(dataset)
    load_s = time.perf_counter() - t_load
    m = re.fullmatch(r"febrl([1-4])", dataset)
    number = int(m.group(1)) if m else 0
    t0 = time.perf_counter()
    if system == "wayhome":
        labels = wayhome_dedupe(df, febrl=bool(m), threshold=threshold or 0.9)
    elif system == "splink":
        labels = (
            splink_febrl(df, number=number, cluster_threshold=threshold)
            if m
            else splink_synth(df, cluster_threshold=threshold)
        )
    elif system == "recordlinkage":
        labels = recordlinkage_febrl(df, number=number) if m else recordlinkage_synth(df)
    else:
        raise ValueError(f"unknown system {system!r}")
    wall_s = time.perf_counter() - t0
    scores = pair_scores(df["true_id"].to_numpy(), labels)
    result = {
        "status": "ok",
        "records": len(df),
        "wall_s": wall_s,
        "load_s": load_s,
        **scores.as_dict(),
    }
    if system == "splink" and sweep:
        result["sweep"] = threshold_sweep(df)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run one linkage system on one data set.")
    ap.add_argument("--system", required=True, choices=SYSTEMS)
    ap.add_argument("--dataset", required=True, help="febrl1..febrl4 or a synthetic file")
    ap.add_argument("--out", required=True, type=Path, help="result JSON")
    ap.add_argument("--threshold", type=float, help="cluster threshold override")
    ap.add_argument(
        "--no-sweep", action="store_true", help="skip Splink's untimed F1-by-threshold report"
    )
    args = ap.parse_args(argv)
    try:
        result = run(args.system, args.dataset, threshold=args.threshold, sweep=not args.no_sweep)
    except Unavailable as exc:
        result = {"status": "unavailable", "message": str(exc)}
    except Exception as exc:  # report, do not hide: the parent prints it in the table
        traceback.print_exc()
        result = {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
    args.out.write_text(json.dumps(result))
    return 0 if result["status"] == "ok" else 3


if __name__ == "__main__":
    sys.exit(main())
