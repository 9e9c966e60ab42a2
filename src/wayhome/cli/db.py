"""`wayhome db`: create or upgrade the database schema."""

from __future__ import annotations

import typer

from wayhome.services.context import open_wayhome
from wayhome.settings import get_settings
from wayhome.store import migrate
from wayhome.store.db import make_engine

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Create the database or bring its schema up to this version of wayhome."""
    settings = get_settings()
    wayhome = open_wayhome(settings, upgrade=True)
    typer.echo(f"database at schema {migrate.head_revision()} (instance {wayhome.instance_id})")
    wayhome.close()


@app.command("current")
def current() -> None:
    """Print the schema revision the database is at, and the one this wayhome needs."""
    engine = make_engine(get_settings().resolved_database_url())
    typer.echo(f"database: {migrate.current_revision(engine) or 'empty'}")
    typer.echo(f"needed:   {migrate.head_revision()}")
    engine.dispose()
