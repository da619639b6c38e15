"""`tamyr demo`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from glossary.cli.common import clear_errors


@click.command("demo")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@with_appcontext
@clear_errors
def demo_command(quiet: bool) -> None:
    """Load the demo termbase (CLDR names, iso-codes conflicts, a demo meetup)."""
    from glossary.services.demo import load_demo
    from glossary.services.indexing import apply_pending

    summary = load_demo()
    apply_pending()  # the demo is searchable as soon as the command returns
    if not quiet:
        click.echo(f"Demo termbase loaded: {summary}")
