"""Helpers shared by the command-line commands."""

from __future__ import annotations

from typing import NoReturn

import typer

from wayhome.services.context import Wayhome, open_wayhome
from wayhome.settings import get_settings


def open_installation() -> Wayhome:
    """Open the installation configured by the WAYHOME_* environment variables."""
    return open_wayhome(get_settings())


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error on stderr and stop with an exit code."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
