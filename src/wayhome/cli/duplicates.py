"""`wayhome duplicates`: run the matching engine and fill the duplicates review queue."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from wayhome.cli.common import fail, open_installation
from wayhome.core.errors import ValidationFailed
from wayhome.services import accounts, duplicates
from wayhome.services.context import system_actor

app = typer.Typer(help="The duplicates review queue.", no_args_is_help=True)


@app.callback()
def duplicates_group() -> None:
    """The duplicates review queue."""


@app.command("find")
def find(
    org_code: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="Code of the organisation whose view of the registry is searched "
            "(its own persons and those shared with it). Needed when there are several.",
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(help="Queue the pairs whose match probability is at least this (0-1)."),
    ] = duplicates.DEFAULT_THRESHOLD,
    progress: Annotated[
        bool, typer.Option("--progress", help="Report progress on stderr.")
    ] = False,
) -> None:
    """Find likely duplicates among the persons and queue them for review (idempotent)."""
    if not 0.0 < threshold < 1.0:
        fail(f"--threshold must be between 0 and 1 (exclusive), not {threshold}", 2)
    wayhome = open_installation()
    try:
        organisations = accounts.list_organisations(wayhome)
        if org_code is None:
            if len(organisations) != 1:
                codes = ", ".join(o.code for o in organisations) or "none yet"
                fail(f"give --org CODE: the organisations are {codes}", 2)
            org = organisations[0]
        else:
            matching = [o for o in organisations if o.code == org_code.upper()]
            if not matching:
                fail(f"no organisation with code {org_code!r}")
            org = matching[0]
        show = progress or sys.stderr.isatty()
        report = (lambda stage: typer.echo(f"  {stage}", err=True)) if show else None
        try:
            run = duplicates.find_duplicates(
                wayhome, system_actor(org.id), threshold=threshold, progress=report
            )
        except ValidationFailed as error:
            fail(str(error))
    finally:
        wayhome.close()
    typer.echo(
        f"{org.code}: compared {run.persons_compared} persons; {run.pairs_found} pairs at or "
        f"above {threshold:g}: {run.pairs_new} new, {run.pairs_updated} rescored, "
        f"{run.pairs_already_decided} decided before"
    )
