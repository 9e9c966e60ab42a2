"""Entry point of the `wayhome` command."""

from __future__ import annotations

import sys

import typer

from wayhome import __version__
from wayhome.cli import db, demo, linkage, places, readiness, search, serve, users
from wayhome.cli import duplicates as duplicates_cli
from wayhome.cli import geodata as geodata_cli

app = typer.Typer(
    help="wayhome: registry, tracing and return planning for displaced communities.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(places.app, name="places")
app.add_typer(duplicates_cli.app, name="duplicates")
app.add_typer(search.app, name="search")
app.add_typer(geodata_cli.app, name="geodata")
app.add_typer(readiness.app, name="readiness")
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)
app.command("dedupe")(linkage.dedupe)
app.command("link")(linkage.link)


@app.command("version")
def version() -> None:
    """Print the version of wayhome."""
    typer.echo(__version__)


def main() -> None:
    """Run the command line (used by `python -m wayhome`)."""
    sys.exit(app())
