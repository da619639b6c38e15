"""`tamyr backup -o FILE` and `tamyr restore FILE` (DESIGN.md §6)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import click
from flask.cli import with_appcontext

from glossary.cli.common import clear_errors, show_progress

RowProgress = Callable[[int, int], None]


@contextmanager
def _row_bar(label: str, enabled: bool) -> Iterator[RowProgress | None]:
    """A rich bar on stderr counting rows; its total is known only once the file is open."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@contextmanager
def _file_aside(target: Path) -> Iterator[IO[bytes]]:
    """A file written next to ``target`` and renamed over it only once complete and synced,
    so an interrupted backup never leaves a half file under the name asked for."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.resolve().parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("backup")
@click.option(
    "-o",
    "--output",
    required=True,
    help="The backup file to write (gzip'd JSON Lines), or - for standard output.",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@with_appcontext
@clear_errors
def backup_command(output: str, quiet: bool) -> None:
    """Write a consistent snapshot of the whole termbase: history, votes and accounts too."""
    from glossary.services.backup import write_backup

    to_stdout = output == "-"
    if not to_stdout and not Path(output).resolve().parent.is_dir():
        raise click.ClickException(f"no folder for {output}")
    with _row_bar("Backing up", show_progress(quiet)) as advance:
        if to_stdout:
            header = write_backup(sys.stdout.buffer, advance)
            sys.stdout.buffer.flush()
        else:
            with _file_aside(Path(output)) as stream:
                header = write_backup(stream, advance)
    if not quiet:
        counts = header.counts
        click.echo(
            f"Backed up {counts.get('concepts', 0)} concepts, {counts.get('terms', 0)} terms, "
            f"{counts.get('votes', 0)} votes, {counts.get('history', 0)} history entries "
            f"({header.rows} rows, schema {header.schema}) to {output}.",
            err=to_stdout,
        )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@with_appcontext
@clear_errors
def restore_command(file: str, quiet: bool) -> None:
    """Restore a backup into a fresh database (after `tamyr init`), then rebuild the index."""
    from glossary.services.backup import restore_backup

    if file != "-" and not Path(file).is_file():
        raise click.ClickException(f"no backup file {file}")
    with _row_bar("Restoring", show_progress(quiet)) as advance:
        if file == "-":
            result = restore_backup(sys.stdin.buffer, advance)
        else:
            with open(file, "rb") as stream:
                result = restore_backup(stream, advance)
    if result.index_error is not None:
        click.echo(
            f"warning: the data is restored but rebuilding the search index failed "
            f"({result.index_error}); run `tamyr reindex`",
            err=True,
        )
    if not quiet:
        counts = result.counts
        indexed = f"{result.indexed} terms" if result.indexed is not None else "not rebuilt"
        click.echo(
            f"Restored {counts.get('concepts', 0)} concepts, {counts.get('terms', 0)} terms, "
            f"{counts.get('votes', 0)} votes, {counts.get('history', 0)} history entries "
            f"(backup of {result.created}); search index: {indexed}."
        )
