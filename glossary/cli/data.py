"""`tamyr demo`, `tamyr import`, `tamyr export`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from glossary.cli.common import clear_errors
from glossary.errors import NotAvailable


@click.command("demo")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@with_appcontext
@clear_errors
def demo_command(quiet: bool) -> None:
    """Load the demo termbase (CLDR names, iso-codes conflicts, a demo meetup)."""
    from glossary.services.demo import load_demo

    summary = load_demo()
    if not quiet:
        click.echo(f"Demo termbase loaded: {summary}")


@click.command(
    "import", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@with_appcontext
@clear_errors
def import_command() -> None:
    """Import PO, TMX, TBX, CSV, XLSX or Apertium bidix files (not available yet)."""
    raise NotAvailable("tamyr import is not available in this version of Tamyr yet")


@click.command(
    "export", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@with_appcontext
@clear_errors
def export_command() -> None:
    """Export PO, TMX, TBX, CSV or XLSX (not available yet)."""
    raise NotAvailable("tamyr export is not available in this version of Tamyr yet")
