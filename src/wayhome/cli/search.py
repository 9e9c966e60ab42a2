"""`wayhome search`: the search index behind search before register."""

from __future__ import annotations

import sys
import time

import typer

from wayhome.cli.common import fail, open_installation
from wayhome.core.errors import WayhomeError
from wayhome.services import search_index

app = typer.Typer(help="The person search index (search before register).", no_args_is_help=True)


@app.callback()
def search() -> None:
    """The person search index (search before register)."""


@app.command("reindex")
def reindex() -> None:
    """Rebuild the person search index from the registry (in one transaction).

    Needed after the name-matching rules change; every person write keeps it up to date."""
    try:
        wayhome = open_installation()
    except WayhomeError as error:
        fail(str(error))
    started = time.perf_counter()
    show = sys.stderr.isatty()

    def progress(done: int) -> None:
        if show:
            typer.echo(f"\rindexed {done:,} persons", err=True, nl=False)

    try:
        done = search_index.reindex(wayhome, progress=progress)
    finally:
        wayhome.close()
    if show:
        typer.echo("", err=True)
    typer.echo(f"indexed {done:,} persons in {time.perf_counter() - started:.1f} s")
