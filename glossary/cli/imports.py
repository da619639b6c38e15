"""`tamyr import FILE...`: PO, MO, TMX, TBX, CSV, XLSX or Apertium bidix into the termbase.

All files go in one transaction (DESIGN.md §5); the report goes to standard output — a table on
a terminal, plain lines otherwise, the API's JSON shape with ``--json`` — and an import that is
refused is one ``Error: …`` line on stderr with exit status 1. The command acts as the local
administrator ("cli" in history), so statuses the files carry are kept.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import with_appcontext

from glossary.cli.common import clear_errors, print_json, show_progress
from glossary.services.actors import CLI
from glossary.services.imports import (
    FileReport,
    ImportFile,
    ImportOptions,
    ImportRejected,
    ImportReport,
    Progress,
    run_import,
)
from importers.registry import formats

SHOWN_PROBLEMS = 50  # per file on a terminal or in plain output; --json has them all


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A rich progress display on stderr counting entries per file, or None off a terminal."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} entries"),
        TimeElapsedColumn(),
    )
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, object] = {}

        def advance(file: str, count: int) -> None:
            if file not in tasks:
                tasks[file] = bar.add_task(f"Importing {file}", total=None)
            bar.advance(tasks[file], count)  # type: ignore[arg-type]

        yield advance


def _languages(f: FileReport) -> str:
    return f"{f.source_lang} → {f.target_lang}" if f.target_lang else f.source_lang or "?"


def _counts(f: FileReport) -> str:
    w = f.write
    text = (
        f"{f.entries} entries: {w.new_concepts} new concepts, {w.matched_concepts} matched; "
        f"{w.new_terms} new terms, {w.existing_terms} already there; {w.conflicts} conflicts"
    )
    skipped = {"obsolete": f.skipped_obsolete, **f.skipped_other}
    text += "".join(f"; {n} {kind} entries skipped" for kind, n in skipped.items() if n)
    if w.errors or w.warnings:
        text += f"; {w.errors} errors, {w.warnings} warnings"
    return text


def _problem_lines(f: FileReport, errors_only: bool = False) -> list[str]:
    problems = [p for p in f.write.problems if not errors_only or p.severity == "error"]
    lines = [f"  {p}" for p in problems[:SHOWN_PROBLEMS]]
    hidden = len(problems) - len(lines) + (0 if errors_only else f.write.omitted)
    if hidden > 0:
        lines.append(f"  … and {hidden} more problems (--json lists the first 500)")
    return lines


def _outcome(report: ImportReport) -> str:
    totals = (
        f"{len(report.files)} files: {report.total('new_concepts')} new concepts, "
        f"{report.total('new_terms')} new terms, {report.total('matched_concepts')} matched "
        f"concepts, {report.total('existing_terms')} existing terms, "
        f"{report.total('conflicts')} conflicts"
    )
    if report.dry_run:
        return f"Dry run, nothing written. Would import {totals}."
    return f"Imported {totals}. Search index: {report.index}."


def _print_plain(report: ImportReport) -> None:
    for f in report.files:
        if f.failed:
            click.echo(f"{f.file}: skipped, {f.failed}")
            continue
        source = f", source {f.source!r}" if f.source else ""
        click.echo(f"{f.file} ({f.format}, {_languages(f)}{source}): {_counts(f)}")
        for line in _problem_lines(f):
            click.echo(line)
    click.echo(_outcome(report))


def _print_table(report: ImportReport) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Dry run (nothing written)" if report.dry_run else None)
    for name in ("File", "Format", "Languages", "Source", "Entries", "New concepts", "Matched"):
        table.add_column(
            name, justify="right" if name in ("Entries", "New concepts", "Matched") else "left"
        )
    for name in ("New terms", "Existing", "Conflicts", "Obsolete", "Errors", "Warnings"):
        table.add_column(name, justify="right")
    for f in report.files:
        w = f.write
        if f.failed:
            table.add_row(f.file, f.format or "", "", f"[red]{f.failed}[/red]")
            continue
        numbers = (f.entries, w.new_concepts, w.matched_concepts, w.new_terms)
        numbers += (w.existing_terms, w.conflicts, f.skipped_obsolete, w.errors, w.warnings)
        table.add_row(f.file, f.format, _languages(f), f.source or "", *map(str, numbers))
    console = Console()
    console.print(table)
    for f in report.files:
        for line in _problem_lines(f):
            console.print(line, markup=False, highlight=False)
    console.print(_outcome(report), markup=False, highlight=False)


def _show(report: ImportReport, as_json: bool, errors_only: bool = False) -> None:
    if as_json:
        print_json(report.as_dict())
    elif errors_only:
        for f in report.files:
            for line in _problem_lines(f, errors_only=True):
                click.echo(line)
    elif sys.stdout.isatty():
        _print_table(report)
    else:
        _print_plain(report)


@click.command("import")
# Plain strings: a missing or unreadable file is reported by the import itself, as one line.
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "format_",
    default="auto",
    show_default=True,
    metavar="FORMAT",
    help=f"auto (by extension and content) or one of {', '.join(formats())}.",
)
@click.option("--source-lang", metavar="L", help="Language of the terms that match concepts.")
@click.option("--lang", metavar="L", help="Target language when a file does not say.")
@click.option("--meetup", metavar="ID", help="Attach the imported terms to this meetup.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid part; report the rest.")
@click.option("--defer-index", is_flag=True, help="Leave indexing to `tamyr reindex --pending`.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
@clear_errors
def import_command(
    files: tuple[str, ...],
    format_: str,
    source_lang: str | None,
    lang: str | None,
    meetup: str | None,
    dry_run: bool,
    skip_invalid: bool,
    defer_index: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Import terms from FILE... in one transaction: all of them, or nothing.

    A concept is matched by the uid the file carries, else by its source-language term (and
    PO msgctxt). New terms are added as proposals unless the file gives their status.
    """
    options = ImportOptions(
        format=format_,
        source_lang=source_lang,
        lang=lang,
        meetup=meetup,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        defer_index=defer_index,
    )
    try:
        with _progress_bar(show_progress(quiet)) as progress:
            report = run_import(CLI, [ImportFile.local(f) for f in files], options, progress)
    except ImportRejected as exc:
        if exc.report is not None and (as_json or not quiet):
            _show(exc.report, as_json, errors_only=not as_json)
        raise
    if as_json or not quiet:
        _show(report, as_json)
