"""`wayhome readiness`: what is kept for return readiness and the map."""

from __future__ import annotations

import time

import typer

from wayhome.cli.common import fail, open_installation
from wayhome.core.errors import WayhomeError
from wayhome.services import readiness_store
from wayhome.services.context import system_actor

app = typer.Typer(help="Return readiness of settlements.", no_args_is_help=True)


@app.callback()
def readiness() -> None:
    """Return readiness of settlements."""


@app.command("rebuild")
def rebuild() -> None:
    """Recompute the stored readiness facts of every settlement and the latest condition of
    every heritage site (in one transaction).

    Every write through wayhome keeps them up to date; this is for rows written by other means
    (a restored or hand-edited database, a bulk load)."""
    try:
        wayhome = open_installation()
    except WayhomeError as error:
        fail(str(error))
    started = time.perf_counter()
    try:
        sites, settlements = readiness_store.rebuild(wayhome, system_actor())
    except WayhomeError as error:
        fail(str(error))
    finally:
        wayhome.close()
    typer.echo(
        f"recomputed {settlements:,} settlements and {sites:,} heritage sites "
        f"in {time.perf_counter() - started:.1f} s"
    )
