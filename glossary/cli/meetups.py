"""`tamyr bundle export --meetup ID -o FILE` and `tamyr bundle import FILE` (offline meetups).

A meetup held offline on a laptop is carried to the main instance as one file; importing the
same file again changes nothing, and differences are reported, never overwritten.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from glossary.cli.common import clear_errors, print_json
from glossary.services.actors import CLI
from glossary.services.bundle_import import import_bundle
from glossary.services.bundles import export_bundle, read_bundle, write_bundle
from glossary.services.indexing import apply_pending

bundle_group = AppGroup("bundle", help="Carry an offline meetup's work to the main instance.")


@bundle_group.command("export")
@click.option("--meetup", "meetup_id", type=int, required=True, help="The meetup's id.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The bundle file: JSON, or a zip when the name ends in .zip.",
)
@clear_errors
def bundle_export(meetup_id: int, output: Path) -> None:
    """Write a meetup's proposals, participants, ballots and votes to a bundle file."""
    bundle = export_bundle(meetup_id)
    # Written aside and renamed, so an interrupted export never leaves half a bundle; the
    # suffix stays, since it picks JSON or zip.
    partial = output.with_name(f".{output.stem}.part{output.suffix}")
    try:
        write_bundle(bundle, partial)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(
        f"Meetup {meetup_id} ({bundle['meetup']['name']}): {len(bundle['participants'])} people, "
        f"{len(bundle['terms'])} terms, {len(bundle['ballots'])} ballots, "
        f"{len(bundle['votes'])} votes → {output}",
        err=True,
    )


@bundle_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@clear_errors
def bundle_import(file: Path, as_json: bool) -> None:
    """Merge a meetup bundle; importing it again changes nothing, conflicts are reported."""
    report = import_bundle(CLI, read_bundle(file.read_bytes(), file.name))
    apply_pending()
    if as_json:
        print_json(report.as_dict())
    else:
        created = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
        matched = ", ".join(f"{n} {what}" for what, n in sorted(report.matched.items()))
        click.echo(f"Created: {created or 'nothing'}")
        click.echo(f"Already here: {matched or 'nothing'}")
    for conflict in report.conflicts:
        click.echo(f"Conflict: {conflict}", err=True)
