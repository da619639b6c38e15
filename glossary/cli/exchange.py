"""`tamyr export`: write the termbase as PO, TMX, TBX, CSV or XLSX (DESIGN.md §5–6).

Output (``-o``):

* ``-`` (the default): standard output; XLSX is binary, so it is refused on a terminal;
* ``FILE``: written to ``FILE.part`` beside it and renamed when complete, so an interrupted
  export never leaves half a file under the real name;
* an existing ``DIRECTORY`` (or a path ending in ``/``): the file gets its standard name in it
  (``tamyr-en-kk.po``, ``tamyr.tmx`` …). PO is one file per language pair: several ``--lang``
  with a directory write one PO file per target language; without a directory, PO takes one.

A summary goes to stderr unless ``--quiet``; the progress bar appears only on a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import BinaryIO

import click
from flask import current_app
from flask.cli import with_appcontext

from glossary.cli.common import clear_errors, show_progress
from glossary.errors import InvalidInput
from glossary.exporters.base import export_formats
from glossary.models import TERM_STATUSES
from glossary.services.exports import (
    LAYOUTS,
    ExportPlan,
    ExportRequest,
    ExportResult,
    Progress,
    count_concepts,
    plan_export,
    write_export,
)


@contextmanager
def _atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file that appears under ``path`` only once it is completely written."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(partial, "wb") as stream:
            yield stream
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _progress_bar(plan: ExportPlan, enabled: bool) -> Iterator[Progress | None]:
    """A rich progress bar on stderr counting concepts, or None off a terminal."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"Exporting {plan.format.upper()}", total=count_concepts(plan))
        yield lambda done: bar.advance(task, done)


def _targets(plan: ExportPlan, output: str) -> list[tuple[ExportPlan, Path | None]]:
    """Each plan to run with where its file goes (None: standard output)."""
    directory = output != "-" and (output.endswith(("/", os.sep)) or Path(output).is_dir())
    plans = plan.per_target() if plan.format == "po" else [plan]
    if len(plans) > 1 and not directory:
        raise InvalidInput(
            "PO is one file per language pair: give one --lang, or -o DIRECTORY to get "
            "one file per target language"
        )
    if directory:
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        return [(each, folder / each.filename) for each in plans]
    return [(plan, None if output == "-" else Path(output))]


def _write_one(plan: ExportPlan, path: Path | None, progress: bool) -> ExportResult:
    base_url = current_app.config.get("BASE_URL")
    if path is None:
        stdout = sys.stdout.buffer
        if plan.format == "xlsx" and stdout.isatty():
            raise InvalidInput("XLSX is binary: write it to a file with -o FILE")
        target = nullcontext(stdout)
    else:
        target = _atomic_file(path)
    with _progress_bar(plan, progress) as advance, target as out:
        result = write_export(plan, out, base_url=base_url, progress=advance)
        out.flush()
    return result


def _summary(plan: ExportPlan, result: ExportResult, path: Path | None) -> str:
    where = "standard output" if path is None else str(path)
    text = f"Exported {result.concepts} concepts as {plan.format.upper()} to {where}"
    if result.skipped:
        text += f" ({result.skipped} without a {plan.source} term skipped)"
    return text


@click.command("export")
@click.option(
    "--format", "format_", metavar="FORMAT", help=f"One of {', '.join(export_formats())}."
)
@click.option(
    "--layout",
    default="wide",
    show_default=True,
    help=f"Spreadsheet layout ({' or '.join(LAYOUTS)}): a row per concept, or a row per term.",
)
@click.option(
    "--source-lang",
    default="en",
    show_default=True,
    help="The pivot language: PO msgid, TMX srclang; always exported.",
)
@click.option("--lang", "languages", multiple=True, metavar="L", help="Export these languages.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="S",
    help=f"Only terms with these statuses ({', '.join(TERM_STATUSES)}).",
)
@click.option("--domain", help="Only concepts of this domain.")
@click.option("--meetup", metavar="ID", help="Only concepts voted on or proposed at this meetup.")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="FILE|DIR|-",
    help="Where to write; a directory gets one file per PO language pair.",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@with_appcontext
@clear_errors
def export_command(
    format_: str | None,
    layout: str,
    source_lang: str,
    languages: tuple[str, ...],
    statuses: tuple[str, ...],
    domain: str | None,
    meetup: str | None,
    output: str,
    quiet: bool,
) -> None:
    """Export the termbase as PO, TMX, TBX, CSV or XLSX.

    PO is one file per language pair (--lang names the target); the other formats hold every
    exported language at once.
    """
    if not format_:
        raise InvalidInput(f"--format is required: one of {', '.join(export_formats())}")
    request = ExportRequest(
        format=format_,
        layout=layout,
        source_lang=source_lang,
        languages=languages,
        statuses=statuses,
        domain=domain,
        meetup=meetup,
    )
    progress = show_progress(quiet)
    try:
        for plan, path in _targets(plan_export(request), output):
            result = _write_one(plan, path, progress)
            if not quiet:
                click.echo(_summary(plan, result, path), err=True)
    except BrokenPipeError:
        # The reader went away (`tamyr export … | head`): stop quietly, without a traceback
        # when Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        raise click.ClickException(
            f"cannot write {exc.filename or output}: {exc.strerror}"
        ) from exc
