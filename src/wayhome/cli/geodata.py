"""`wayhome geodata`: hazard areas, land release, devices, accidents and heritage sites as files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from wayhome.cli.common import fail, open_installation
from wayhome.core.errors import WayhomeError
from wayhome.core.mdr import IMPORTABLE, Entity
from wayhome.core.vocab import Role
from wayhome.services import geodata
from wayhome.services.context import Actor, system_actor
from wayhome.services.geodata_import import Mode

app = typer.Typer(
    help="Import and export geodata (GeoJSON, GeoPackage, Shapefile, CSV with WKT) with MDR "
    "field names.",
    no_args_is_help=True,
)

EntityChoice = StrEnum("EntityChoice", {e.value: e.value for e in Entity})  # type: ignore[misc]
ImportChoice = StrEnum("ImportChoice", {e.value: e.value for e in IMPORTABLE})  # type: ignore[misc]
FormatChoice = StrEnum("FormatChoice", {f: f for f in geodata.FORMATS})  # type: ignore[misc]
RoleChoice = StrEnum("RoleChoice", {r.value: r.value for r in Role})  # type: ignore[misc]
GPKG = FormatChoice("gpkg")


@app.callback()
def geodata_group() -> None:
    """Import and export geodata with MDR field names."""


def _actor(role: str | None) -> Actor:
    actor = system_actor()
    if role is None:
        return actor
    return Actor(None, "system", f"wayhome command line as {role}", Role(role), None)


@app.command("export")
def export_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The file to write (a .zip for Shapefiles).")
    ],
    entity: Annotated[
        list[EntityChoice] | None,
        typer.Option("--entity", "-e", help="What to export (repeat; default: everything)."),
    ] = None,
    format: Annotated[
        FormatChoice, typer.Option("--format", "-f", help="geojson, gpkg, shp or csv.")
    ] = GPKG,
    as_role: Annotated[
        RoleChoice | None,
        typer.Option(
            "--as-role",
            help="Export what this role may see (e.g. viewer: sensitive sites coarsened, "
            "no victims' personal data). Default: everything.",
        ),
    ] = None,
) -> None:
    """Export layers with MDR field names; one GeoPackage layer or Shapefile per entity."""
    entities = [Entity(e.value) for e in entity or []]
    try:
        wayhome = open_installation()
        try:
            exported = geodata.export_geodata(
                wayhome, _actor(as_role.value if as_role else None), entities, format.value
            )
        finally:
            wayhome.close()
    except WayhomeError as error:
        fail(str(error))
    out.write_bytes(exported.content)
    typer.echo(f"wrote {out} ({len(exported.content):,} bytes, {exported.media_type})")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="GeoJSON, GeoPackage, zipped Shapefile or CSV.")],
    entity: Annotated[
        ImportChoice,
        typer.Option("--entity", "-e", help="hazard_areas, land_releases or heritage_sites."),
    ],
    format: Annotated[
        FormatChoice | None,
        typer.Option("--format", "-f", help="File format (default: from the extension)."),
    ] = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Write the good features, list the bad ones.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count everything, but write nothing.")
    ] = False,
) -> None:
    """Import one entity's layer; by default nothing is written if any feature is bad."""
    mode: Mode = "skip-bad-rows" if skip_bad_rows else "all-or-nothing"
    try:
        wayhome = open_installation()
        try:
            report = geodata.import_geodata(
                wayhome,
                system_actor(),
                Entity(entity.value),
                file,
                mode=mode,
                format=format.value if format else None,
                dry_run=dry_run,
            )
        finally:
            wayhome.close()
    except WayhomeError as error:
        fail(str(error))
    if report.ignored_columns:
        typer.echo(f"ignored columns: {', '.join(report.ignored_columns)}", err=True)
    for problem in report.errors:
        typer.echo(str(problem), err=True)
    for problem in report.skipped:
        typer.echo(f"skipped: {problem}", err=True)
    typer.echo(("dry run, nothing written: " if dry_run else "") + report.summary())
    if report.errors:
        fail(f"nothing written: {len(report.errors)} error(s)")
