"""`tamyr search`, `tamyr lookup`, `tamyr reindex`."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask.cli import with_appcontext

from glossary.cli.common import clear_errors, print_json, show_progress
from glossary.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])
BAD_INPUT_EXIT = 2  # the usage-error code: the query, not Tamyr, was wrong


def bad_input_exits_2(func: F) -> F:
    """Refused input is one line on stderr and exit 2, like a usage error."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidInput as exc:
            click.echo(f"Error: {exc.detail}", err=True)
            sys.exit(BAD_INPUT_EXIT)

    return wrapper  # type: ignore[return-value]


@click.command("search")
@click.argument("query")
@click.option("--lang", help="Only terms in this language (a BCP 47 tag such as kk or uz-Cyrl).")
@click.option("--limit", type=int, default=20, show_default=True, help="At most this many rows.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON shape.")
@with_appcontext
@clear_errors
@bad_input_exits_2
def search_command(query: str, lang: str | None, limit: int, as_json: bool) -> None:
    """Search terms across languages, scripts and spellings, best match first."""
    from glossary.api.search import SearchResultsSchema
    from glossary.services.search import search_terms

    results = search_terms(query, lang=lang, limit=limit)
    if as_json:
        print_json(SearchResultsSchema().dump(results))
        return
    if not results.rows:
        click.echo("no terms found", err=True)
        return
    for row in results.rows:
        term = row.term
        click.echo(
            f"{row.match:<7} {row.score:4.2f}  {term.lang:<8} {term.text}"
            f"  [{term.status}]  {term.concept.uid}"
        )


@click.command("lookup")
@click.argument("text")
@click.option("--lang", required=True, help="The language the text is written in.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON shape.")
@with_appcontext
@clear_errors
@bad_input_exits_2
def lookup_command(text: str, lang: str, as_json: bool) -> None:
    """Find every known term in TEXT, suffixed forms included."""
    from glossary.api.search import LookupSchema
    from glossary.services.search import lookup_terms

    matches = lookup_terms(text, lang)
    if as_json:
        print_json(LookupSchema().dump({"matches": matches}))
        return
    if not matches:
        click.echo("no known terms in this text", err=True)
        return
    for match in matches:
        term = match.term
        click.echo(
            f"{match.start:>5}-{match.end:<5} {match.surface}  →  {term.lang}:{term.text}"
            f"  [{term.status}]  {term.concept.uid}"
        )


@click.command("reindex")
@click.option("--pending", is_flag=True, help="Only apply the changes waiting in the outbox.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@with_appcontext
@clear_errors
def reindex_command(pending: bool, quiet: bool) -> None:
    """Rebuild the search index aside and swap it in, or (--pending) catch it up."""
    from glossary.search import get_backend
    from glossary.search.documents import count_terms
    from glossary.services.indexing import apply_pending, pending_count, reindex

    backend = get_backend()
    total = pending_count() if pending else count_terms()
    with _progress(total, "Indexing" if not pending else "Applying", quiet) as advance:
        if pending:
            applied = apply_pending(progress=advance) or 0
            message = f"Applied {applied} pending term changes to the {backend.name} index."
        else:
            count, applied = reindex(progress=advance)
            message = f"Rebuilt the {backend.name} index: {count} terms"
            message += f", then {applied} changes made meanwhile." if applied else "."
    if not quiet:
        click.echo(message)


class _progress:
    """A progress bar on a terminal (DESIGN.md §6); a no-op callback otherwise."""

    def __init__(self, total: int, label: str, quiet: bool) -> None:
        self._bar = (
            click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            if show_progress(quiet)
            else None
        )
        self._done = 0

    def __enter__(self) -> Callable[[int], None]:
        if self._bar is not None:
            self._bar.__enter__()
        return self._advance

    def _advance(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(max(done - self._done, 0))
        self._done = done

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
