"""`tamyr user create` and `tamyr token create`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from glossary.cli.common import clear_errors
from glossary.errors import InvalidInput
from glossary.models import ROLES
from glossary.services.actors import CLI
from glossary.services.users import create_token, create_user, get_user

user_group = AppGroup("user", help="Manage accounts.")
token_group = AppGroup("token", help="Manage API tokens.")


def read_password() -> str:
    """Twice, from a hidden prompt on a terminal or from two lines of stdin."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    first = sys.stdin.readline().rstrip("\r\n")
    second = sys.stdin.readline().rstrip("\r\n")
    if first != second:
        raise InvalidInput("the two passwords on stdin differ")
    return first


@user_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@clear_errors
def user_create(name: str, role: str) -> None:
    """Create a local account; the password is read twice."""
    user = create_user(CLI, name, role, read_password())
    click.echo(f"Created {user.role} {user.username}.")


@token_group.command("create")
@click.argument("name")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
@clear_errors
def token_create(name: str, label: str) -> None:
    """Create an API token for user NAME; the token is the last line of output."""
    user = get_user(name)
    token = create_token(CLI, user, label)
    click.echo(f"Token for {user.username} ({user.role}); it is shown only once:", err=True)
    click.echo(token)
