"""`tamyr init`, `tamyr check`, `tamyr stats`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade

from glossary.cli.common import clear_errors, print_json
from glossary.extensions import db
from glossary.services.checks import check_database
from glossary.services.indexing import upgrade_index
from glossary.services.languages import seed_languages
from glossary.services.stats import termbase_stats


def init_database() -> int:
    """Run migrations to the newest schema and seed the language registry."""
    upgrade()
    count = seed_languages()
    db.session.commit()
    return count


@click.command("init")
@with_appcontext
@clear_errors
def init_command() -> None:
    """Create or upgrade the database and seed the languages."""
    count = init_database()
    click.echo(
        f"Database ready ({db.engine.url.render_as_string(hide_password=True)}); "
        f"{count} registered languages."
    )
    rebuilt = upgrade_index()
    if rebuilt is not None:
        click.echo(f"Search index rebuilt in this release's format ({rebuilt} terms).")


@click.command("check")
@with_appcontext
@clear_errors
def check_command() -> None:
    """Check the database (schema, constraints, orphans); exit 1 on problems."""
    report = check_database()
    for note in report.notes:
        click.echo(f"note: {note}")
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)
    if not report.ok:
        sys.exit(1)
    click.echo("ok: the database is consistent")


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON shape.")
@with_appcontext
@clear_errors
def stats_command(as_json: bool) -> None:
    """Count concepts, terms, languages with terms, meetups and votes."""
    stats = termbase_stats()
    if as_json:
        print_json(stats)
    else:
        for name, value in stats.items():
            click.echo(f"{name:>10}  {value}")
