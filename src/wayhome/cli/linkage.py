"""`wayhome dedupe` and `wayhome link`: probabilistic record linkage from the command line.

Contract (see docs/guide/linkage.md): UTF-8 CSV input with the columns ``id`` (required),
``given_name``, ``family_name``, ``patronymic``, ``sex`` (M/F/empty), ``birth_date`` (YYYY,
YYYY-MM, YYYY-MM-DD or empty), ``birth_place``, ``source`` and optionally ``names`` (other full
names, ``|``-separated); other columns are kept in the explanation output. A bad row stops the
run (exit 1, nothing written) unless ``--skip-bad-rows``, which lists every skipped row.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer


class EngineName(StrEnum):
    """Engines that run the linkage."""

    DUCKDB = "duckdb"
    SPARK = "spark"


THRESHOLD_HELP = "Match probability (0-1) at or above which two records are the same person."


def _progress(enabled: bool) -> Callable[[str], None] | None:
    if not (enabled or sys.stderr.isatty()):
        return None
    start = time.perf_counter()

    def report(stage: str) -> None:
        typer.echo(f"[{time.perf_counter() - start:7.1f}s] {stage}", err=True)

    return report


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write atomically: a partly written file never replaces ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".wayhome-", suffix=".csv", dir=path.parent)
    os.close(handle)
    try:
        frame.to_csv(temporary, index=False, float_format="%.6g")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _load(path: Path, skip_bad_rows: bool, label: str | None = None):  # noqa: ANN202
    from wayhome.linkage.records import BadRecordsError, load_records

    prefix = f"{label}: " if label else ""
    if not path.is_file():
        typer.echo(f"error: {prefix}no such file: {path}", err=True)
        raise typer.Exit(1)
    try:
        records = load_records(path, skip_bad_rows=skip_bad_rows)
    except BadRecordsError as error:
        for problem in error.errors:
            typer.echo(f"error: {prefix}{problem}", err=True)
        typer.echo(f"nothing written: {len(error.errors)} bad row(s) in {path}", err=True)
        raise typer.Exit(1) from None
    for problem in records.skipped:
        typer.echo(f"skipped: {prefix}{problem}", err=True)
    return records


def _explained(pairs: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs with every input column of both records (``<column>_a``, ``<column>_b``)."""
    columns = [c for c in frame.columns if c not in ("_line", "_ds")]
    table = frame[columns].copy()
    if "names" in table.columns:
        table["names"] = table["names"].map(lambda v: "|".join(v) if v else "")
    table = table.set_index("id")
    left = table.add_suffix("_a").reindex(pairs["id_a"]).reset_index(drop=True)
    right = table.add_suffix("_b").reindex(pairs["id_b"]).reset_index(drop=True)
    return pd.concat([pairs.reset_index(drop=True), left, right], axis=1)


def _with_joins(pairs: pd.DataFrame, joins: pd.DataFrame) -> pd.DataFrame:
    """The pairs at or above the threshold (``joined_by`` = ``threshold``) and then one row per
    record that joined its cluster without such a pair: ``id_b`` is its best pair in the cluster (the
    cluster's id when it has none: joined by the profile), ``joined_by`` says how."""
    from wayhome.linkage.api import JOINED_AT_THRESHOLD

    rows = pd.DataFrame(
        {
            "id_a": joins["id"].to_numpy(),
            "id_b": joins["partner_id"].fillna(joins["cluster_id"]).to_numpy(),
            "match_probability": joins["match_probability"].to_numpy(),
            "match_weight": joins["match_weight"].to_numpy(),
            "explanation": joins["explanation"].to_numpy(),
            "same_cluster": True,
            "joined_by": joins["joined_by"].to_numpy(),
        }
    )
    base = pairs.assign(joined_by=JOINED_AT_THRESHOLD)
    if len(rows) == 0:
        return base
    return pd.concat([base, rows], ignore_index=True, sort=False)


def dedupe(
    input: Annotated[Path, typer.Argument(help="CSV file of records (UTF-8, any script).")],
    out: Annotated[
        Path, typer.Option("--out", help="Where to write id,cluster_id,match_probability.")
    ],
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help=THRESHOLD_HELP)
    ] = 0.9,
    engine: Annotated[
        EngineName, typer.Option("--engine", help="Engine to run on.")
    ] = EngineName.DUCKDB,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Skip (and list) bad rows instead of stopping.")
    ] = False,
    explain: Annotated[
        Path | None,
        typer.Option("--explain", help="Also write every proposed match with its explanation."),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="An earlier CLUSTERS.csv whose cluster ids to keep."),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress", help="Report progress on stderr (default: on a TTY).")
    ] = False,
) -> None:
    """Find records that are the same person; write one cluster id per input row."""
    from wayhome.linkage import dedupe as run_dedupe

    records = _load(input, skip_bad_rows)
    previous_clusters = None
    if previous is not None:
        previous_clusters = pd.read_csv(previous, dtype=str, keep_default_na=False)
    try:
        result = run_dedupe(
            records,
            engine=engine.value,
            threshold=threshold,
            previous_clusters=previous_clusters,
            explain=explain is not None,
            progress=_progress(progress),
        )
    except ImportError as error:
        typer.echo(f"error: engine {engine.value} is not available: {error}", err=True)
        raise typer.Exit(1) from None
    _write_csv(result.clusters[["id", "cluster_id", "match_probability"]], out)
    if explain is not None:
        _write_csv(_explained(_with_joins(result.pairs, result.joins), records.frame), explain)
    clusters = result.clusters["cluster_id"].nunique()
    typer.echo(
        f"{len(result.clusters)} records, {clusters} clusters, {len(result.pairs)} proposed "
        f"matches, {len(result.joins)} records joined a cluster without a pair at the threshold; "
        f"wrote {out}" + (f" and {explain}" if explain else "")
    )


def link(
    a: Annotated[Path, typer.Argument(help="First CSV file of records.")],
    b: Annotated[Path, typer.Argument(help="Second CSV file of records.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Where to write id_a,id_b,match_probability,match_weight,explanation."
        ),
    ],
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help=THRESHOLD_HELP)
    ] = 0.9,
    engine: Annotated[
        EngineName, typer.Option("--engine", help="Engine to run on.")
    ] = EngineName.DUCKDB,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Skip (and list) bad rows instead of stopping.")
    ] = False,
    progress: Annotated[
        bool, typer.Option("--progress", help="Report progress on stderr (default: on a TTY).")
    ] = False,
) -> None:
    """Find the records of A and B that are the same person; write the matching pairs."""
    from wayhome.linkage import link as run_link

    left = _load(a, skip_bad_rows, label=str(a))
    right = _load(b, skip_bad_rows, label=str(b))
    try:
        pairs = run_link(
            left, right, engine=engine.value, threshold=threshold, progress=_progress(progress)
        )
    except ImportError as error:
        typer.echo(f"error: engine {engine.value} is not available: {error}", err=True)
        raise typer.Exit(1) from None
    columns = ["id_a", "id_b", "match_probability", "match_weight", "explanation"]
    _write_csv(pairs[columns], out)
    typer.echo(f"{len(pairs)} matching pairs; wrote {out}")
