"""`tamyr search`, `tamyr lookup`, `tamyr reindex`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from glossary.cli.common import clear_errors
from glossary.errors import NotAvailable


@click.command(
    "search", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@with_appcontext
@clear_errors
def search_command() -> None:
    """Search terms across languages and scripts (not available yet)."""
    raise NotAvailable("tamyr search is not available in this version of Tamyr yet")


@click.command(
    "lookup", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@with_appcontext
@clear_errors
def lookup_command() -> None:
    """Find every known term in a sentence (not available yet)."""
    raise NotAvailable("tamyr lookup is not available in this version of Tamyr yet")


@click.command(
    "reindex", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@with_appcontext
@clear_errors
def reindex_command() -> None:
    """Rebuild or catch up the search index (not available yet)."""
    raise NotAvailable("tamyr reindex is not available in this version of Tamyr yet")
