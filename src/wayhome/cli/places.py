"""`wayhome places`: the gazetteer from the command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from wayhome.cli.common import open_installation
from wayhome.core.errors import WayhomeError
from wayhome.services.context import system_actor
from wayhome.services.places_import import import_places

app = typer.Typer(help="The gazetteer of places.", no_args_is_help=True)


class FileFormat(StrEnum):
    """Formats the import reads."""

    CSV = "csv"
    GEOJSON = "geojson"


@app.callback()
def places() -> None:
    """The gazetteer of places."""


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (
        TextColumn("writing places"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("import", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command("import")
def import_places_command(
    file: Annotated[Path, typer.Argument(help="The CSV or GeoJSON file to import.")],
    skip_bad_rows: Annotated[
        bool,
        typer.Option("--skip-bad-rows", help="Write the good rows and list the bad ones."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count everything, but write nothing.")
    ] = False,
    format: Annotated[
        FileFormat | None,
        typer.Option("--format", help="File format (default: from the file's extension)."),
    ] = None,
) -> None:
    """Import places from a CSV or GeoJSON file; by default nothing is written if any row is bad."""
    mode = "skip-bad-rows" if skip_bad_rows else "all-or-nothing"
    try:
        wayhome = open_installation()
        try:
            with _progress() as progress:
                report = import_places(
                    wayhome,
                    system_actor(),
                    file,
                    mode=mode,
                    format=format.value if format else None,
                    dry_run=dry_run,
                    progress=progress,
                )
        finally:
            wayhome.close()
    except WayhomeError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    for problem in report.errors:
        typer.echo(str(problem), err=True)
    for problem in report.skipped:
        typer.echo(f"skipped: {problem}", err=True)
    typer.echo(("dry run, nothing written: " if dry_run else "") + report.summary())
    if report.errors:
        typer.echo(f"nothing written: {len(report.errors)} error(s)", err=True)
        raise typer.Exit(1)
    if report.skipped and not (report.created + report.updated + report.unchanged):
        typer.echo("nothing written: every row was skipped", err=True)
        raise typer.Exit(1)
