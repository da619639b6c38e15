"""The `tamyr` command: one module per command group, all registered on the app's CLI."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def register_commands(app: Flask) -> None:
    from glossary.cli.accounts import token_group, user_group
    from glossary.cli.backup import backup_command, restore_command
    from glossary.cli.data import demo_command
    from glossary.cli.database import check_command, init_command, stats_command
    from glossary.cli.exchange import export_command
    from glossary.cli.imports import import_command
    from glossary.cli.meetups import bundle_group
    from glossary.cli.pending import pending_commands
    from glossary.cli.search import lookup_command, reindex_command, search_command
    from glossary.cli.serve import serve_command

    for command in (
        init_command,
        check_command,
        stats_command,
        serve_command,
        user_group,
        token_group,
        demo_command,
        import_command,
        export_command,
        search_command,
        lookup_command,
        reindex_command,
        backup_command,
        restore_command,
        bundle_group,
        *pending_commands(),
    ):
        app.cli.add_command(command)


def _cli_app() -> Flask:
    from glossary import create_app

    # One-shot commands sign nothing, so they run without TAMYR_SECRET_KEY; `serve` checks it.
    return create_app({"CLI": True})


main = FlaskGroup(
    name="tamyr",
    help="Tamyr: cross-Turkic terminology. Settings come from TAMYR_* environment variables.",
    create_app=_cli_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
