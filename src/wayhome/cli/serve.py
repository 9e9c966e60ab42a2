"""`wayhome serve`: run the web application."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from wayhome.cli.common import fail
from wayhome.services.context import SchemaOutOfDate, open_wayhome
from wayhome.settings import get_settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web UI and the JSON API."""
    from wayhome.web.app import create_app

    settings = get_settings()
    try:
        wayhome = open_wayhome(settings)
    except SchemaOutOfDate as error:
        fail(str(error))
    typer.echo(f"wayhome serving http://{host}:{port}  (API docs: http://{host}:{port}/api/docs)")
    uvicorn.run(create_app(settings, wayhome), host=host, port=port, log_level="info")
    wayhome.close()
