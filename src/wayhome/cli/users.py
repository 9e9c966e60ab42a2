"""`wayhome user`: accounts and API tokens from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from wayhome.cli.common import fail, open_installation
from wayhome.core.errors import Conflict, ValidationFailed
from wayhome.core.vocab import Role
from wayhome.services import accounts
from wayhome.services.context import system_actor

app = typer.Typer(help="User accounts.", no_args_is_help=True)


@app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[Role, typer.Option(help="What the user may do.")] = Role.REGISTRAR,
    org_code: Annotated[
        str, typer.Option("--org", help="Code of the user's organisation.")
    ] = "DEFAULT",
    org_name: Annotated[
        str | None, typer.Option(help="Name of the organisation, if it does not exist yet.")
    ] = None,
    full_name: Annotated[str | None, typer.Option(help="The person's full name.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            help="Password (asked for, hidden, when not given).", envvar="WAYHOME_NEW_PASSWORD"
        ),
    ] = None,
) -> None:
    """Create a user account (and its organisation if needed)."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    wayhome = open_installation()
    try:
        org = accounts.ensure_organisation(wayhome, org_name or org_code, org_code.upper())
        user = accounts.create_user(
            wayhome,
            system_actor(),
            username=username,
            full_name=full_name or username,
            password=password,
            role=role.value,
            organisation_id=org.id,
        )
    except (ValidationFailed, Conflict) as error:
        fail(str(error))
    finally:
        wayhome.close()
    typer.echo(f"created {user.username} ({user.role}) in {org.name}")


@app.command("token")
def token(
    username: Annotated[str, typer.Argument(help="Whose token.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
) -> None:
    """Create an API token for a user and print it once."""
    from sqlalchemy import select

    from wayhome.store.tables import User

    wayhome = open_installation()
    try:
        with wayhome.read() as session:
            user = session.scalar(select(User).where(User.username == username.lower()))
        if user is None:
            fail(f"no user named {username}")
        _token, secret = accounts.create_token(wayhome, accounts.actor_for(user), name)
    finally:
        wayhome.close()
    typer.echo(secret)
