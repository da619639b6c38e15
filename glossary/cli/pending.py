"""Commands of the contract whose capability this version does not have yet.

They are registered so `tamyr --help` shows the whole contract, and they fail clearly.
"""

from __future__ import annotations

import click

PENDING: dict[str, str] = {}


def _pending(name: str, what: str) -> click.Command:
    @click.command(
        name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        help=f"Not available yet: {what}.",
        add_help_option=True,
    )
    def command() -> None:
        raise click.ClickException(f"{what} is not available in this version of Tamyr yet")

    return command


def pending_commands() -> list[click.Command]:
    return [_pending(name, what) for name, what in PENDING.items()]
