"""The documentation stays true: every setting and every command is documented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from wayhome.cli.main import app
from wayhome.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "guide" / "configuration.md").read_text()
    for name in Settings.model_fields:
        assert f"`WAYHOME_{name.upper()}`" in text, f"WAYHOME_{name.upper()} is not documented"


def _commands(group: typer.Typer, prefix: str = "wayhome") -> list[str]:
    click_group = typer.main.get_command(group)
    found: list[str] = []

    def walk(command, path: str) -> None:  # type: ignore[no-untyped-def]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{path} {name}")
        else:
            found.append(path)

    walk(click_group, prefix)
    return found


def test_every_command_is_documented():
    text = (DOCS / "guide" / "cli.md").read_text()
    commands = _commands(app)
    assert "wayhome places import" in commands
    for command in commands:
        assert f"`{command}" in text, f"{command} is not documented in docs/guide/cli.md"


def test_readme_starts_with_the_two_commands():
    readme = (DOCS.parent / "README.md").read_text()
    head = readme[:400]
    assert "make demo" in head and "make test" in head
