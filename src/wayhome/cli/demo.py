"""`wayhome demo`: create the synthetic demo region and serve it."""

from __future__ import annotations

from typing import Annotated

import typer

from wayhome.cli.serve import serve
from wayhome.demo import SYNTHETIC_NOTICE
from wayhome.services.context import open_wayhome
from wayhome.services.demo_loader import load_demo
from wayhome.settings import get_settings


def demo(
    seed: Annotated[
        int, typer.Option(help="Seed of the generator: the same seed, the same region.")
    ] = 7,
    settlements: Annotated[int, typer.Option(help="Number of settlements.")] = 300,
    households: Annotated[int, typer.Option(help="Number of displaced households.")] = 3000,
    run_server: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve it afterwards.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Create a synthetic demo region (once) in the data directory, print the logins, and serve it."""
    settings = get_settings()
    wayhome = open_wayhome(settings, upgrade=True)
    typer.echo(f"data directory: {settings.data_dir.resolve()}")

    def progress(stage: str, done: int, total: int) -> None:
        typer.echo(f"  {stage}: {done}/{total}", err=True)

    try:
        login = load_demo(
            wayhome,
            seed=seed,
            settlements=settlements,
            household_count=households,
            progress=progress,
        )
    finally:
        wayhome.close()
    typer.echo("")
    typer.echo("SYNTHETIC DEMO DATA. " + SYNTHETIC_NOTICE)
    typer.echo("")
    typer.echo(f"  Open http://{host}:{port} and log in as:")
    typer.echo(f"    username: admin      password: {login.password}")
    typer.echo(f"  Other demo accounts (same password): {', '.join(login.usernames[1:])}")
    typer.echo("")
    if run_server:
        serve(host=host, port=port)
