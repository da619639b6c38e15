"""The import use case: files → readers → RecordWriter, all files in one transaction.

``run_import`` is what ``tamyr import`` and ``POST /api/v1/imports`` call. For each file it picks
the reader (``importers.registry``), resolves the source language (``--source-lang``, else what
the file says: PO ``X-Source-Language`` or ``en``, TMX ``srclang``, CSV ``en`` or its first
language column, bidix its left language), records the file's provenance as a Source row and
writes the records through :class:`~glossary.services.records.RecordWriter`.

All or nothing (DESIGN.md §5): an unreadable file, or any entry-level error, rolls everything
back and raises :class:`ImportRejected`, unless ``skip_invalid``, which commits the valid part
and reports the rest. A file that breaks off half way (truncated, hostile) is never half
imported: with ``skip_invalid`` the command is run again without it, so the other files are
matched against a termbase that never saw its first half. ``dry_run`` computes the same report
and rolls back. After the commit, the search outbox is applied unless ``defer_index``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError

from glossary.database import refresh_statistics
from glossary.errors import InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import Meetup, Source
from glossary.ops.metrics import count_import
from glossary.services.actors import Actor
from glossary.services.import_reports import FileReport, ImportReport, WriteReport
from glossary.services.records import MAX_SOURCE_NAME, RecordWriter, free_text
from importers.base import ConceptRecord, FileInfo, ImportFormatError, Problem, Reader
from importers.registry import reader_for

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]  # (file name, entries just written)
MAX_LICENCE, MAX_URL = 100, 500  # Source column widths
# "Report-Msgid-Bugs-To: https://gitlab.gnome.org/GNOME/baobab/issues/" names the project.
_PROJECT_URL = re.compile(r"(https?://([\w.-]+)/([\w.-]+)/([\w.-]+))(?:[/?#]|$)")
_FORGES = {"gitlab.gnome.org": "GNOME", "salsa.debian.org": "Debian", "invent.kde.org": "KDE"}
_BUGZILLA_GNOME = re.compile(r"bugzilla\.gnome\.org/.*product=([\w.+-]+)")
# Only gettext's msgctxt is context (DESIGN.md §5); other formats' non-uid ids are file-local.
_CONTEXT_FORMATS = frozenset({"po", "mo"})


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """The options of ``tamyr import`` (and the API's form fields)."""

    format: str = "auto"
    source_lang: str | None = None
    lang: str | None = None
    meetup: str | None = None  # a meetup id or uid: imported terms are attached to it
    dry_run: bool = False
    skip_invalid: bool = False
    defer_index: bool = False


@dataclass(frozen=True, slots=True)
class ImportFile:
    """A file to import and the name reports use for it (an upload's own name, say)."""

    path: Path
    name: str

    @classmethod
    def local(cls, path: str | Path) -> ImportFile:
        """A file named by the command line: reported under the path as given."""
        return cls(Path(path), str(path))


class ImportRejected(InvalidInput):
    """Nothing was imported; ``report`` (when there is one) says what was wrong."""

    def __init__(self, detail: str, report: ImportReport | None = None) -> None:
        super().__init__(detail, **({"report": report.as_dict()} if report else {}))
        self.report = report


# -- provenance ---------------------------------------------------------------------------


def provenance(info: FileInfo, file_name: str) -> tuple[str, str | None, str | None]:
    """``(source name, licence, url)`` for a file: what it says of itself, else its name.

    A PO header's bug address names the project better than ``Project-Id-Version`` does
    ("baobab master", "gnome-utils.HEAD.az" and "baobab" are all GNOME's baobab).
    """
    name, url = info.source_name, info.url
    bugs = info.extra.get("Report-Msgid-Bugs-To", "")
    project = _PROJECT_URL.search(bugs)
    bugzilla = _BUGZILLA_GNOME.search(bugs)
    if project:
        url, host, owner, repo = project.groups()
        name = f"{_FORGES[host]} {repo}" if host in _FORGES else f"{owner}/{repo}"
    elif bugzilla:
        name = f"GNOME {bugzilla.group(1)}"
    name = free_text(name) or Path(file_name).name or "upload"
    return name[:MAX_SOURCE_NAME], _clip(info.licence, MAX_LICENCE), _clip(url, MAX_URL)


def _clip(value: str | None, width: int) -> str | None:
    value = free_text(value)
    return value if value is None or len(value) <= width else value[: width - 1] + "…"


def _source_row(name: str, licence: str | None, url: str | None) -> Source:
    """The Source row for a file's provenance; an existing one (by name) is reused, and what
    it lacks (licence, URL) is filled in from this file: GNOME's az.po may omit the licence
    line its kk.po has."""
    source = db.session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name, kind="file", licence=licence, url=url)
        db.session.add(source)
    else:
        source.licence = source.licence or licence
        source.url = source.url or url
    db.session.flush()
    return source


# -- the use case -------------------------------------------------------------------------


def run_import(
    actor: Actor,
    files: Sequence[ImportFile],
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``files`` in one transaction; raises ImportRejected when nothing may be written."""
    actor.require("editor")
    if not files:
        raise InvalidInput("no files to import", field="file")
    meetup_id = _meetup_id(options.meetup)
    unreadable: dict[int, str] = {}
    try:
        while True:
            report = _attempt(actor, files, options, meetup_id, unreadable, progress)
            fresh = {
                i: f.failed for i, f in enumerate(report.files) if f.failed and i not in unreadable
            }
            if not fresh:
                break
            # Only with skip_invalid: again, without the files that broke off half way.
            db.session.rollback()
            unreadable.update(fresh)  # type: ignore[arg-type]
        if report.errors and not options.skip_invalid:
            raise ImportRejected(_rejection(report, options), report)
    except BaseException as exc:
        db.session.rollback()
        if isinstance(exc, ImportRejected):
            count_import("rejected")
        raise
    if options.dry_run:
        db.session.rollback()
        count_import("dry_run")
        return report
    db.session.commit()
    refresh_statistics(report.total("new_terms"))
    count_import("committed", report.total("new_terms"))
    report.committed = True
    report.index = "deferred" if options.defer_index else apply_index()
    return report


def _attempt(
    actor: Actor,
    files: Sequence[ImportFile],
    options: ImportOptions,
    meetup_id: int | None,
    unreadable: dict[int, str],
    progress: Progress | None,
) -> ImportReport:
    """One pass over the files, leaving the transaction open."""
    report = ImportReport(dry_run=options.dry_run)
    for index, item in enumerate(files):
        if index in unreadable:
            report.files.append(FileReport(file=item.name, failed=unreadable[index]))
            continue
        try:
            report.files.append(_import_file(actor, item, options, meetup_id, progress))
        except ImportFormatError as exc:
            message = _where(item, exc)
            if not options.skip_invalid:
                raise ImportRejected(message) from None
            report.files.append(FileReport(file=item.name, failed=message))
        except (IntegrityError, DataError) as exc:
            # Readers and the writer validate what the schema demands; this is a last guard
            # that keeps a surprise in the data a clear error rather than a crash.
            log.exception("the database refused data from %s", item.name)
            detail = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
            raise ImportRejected(f"{item.name}: the database refused an entry: {detail}") from None
    return report


def _where(item: ImportFile, exc: ImportFormatError) -> str:
    """The reader's message, placed in the file as the user named it."""
    return f"{item.name}:{exc.line}: {exc.message}" if exc.line else f"{item.name}: {exc.message}"


def _import_file(
    actor: Actor,
    item: ImportFile,
    options: ImportOptions,
    meetup_id: int | None,
    progress: Progress | None,
) -> FileReport:
    """Read and write one file; ImportFormatError when it cannot be read."""
    reader = reader_for(item.path, options.format, options.source_lang, options.lang)
    report = FileReport(file=item.name, format=reader.format)
    records = _guarded(reader)
    first = next(records, None)  # reading up to the first entry fills reader.info
    info = reader.info
    report.source_lang = options.source_lang or info.source_lang or "en"
    report.target_lang = info.target_lang
    if first is not None:
        report.source, report.licence, url = provenance(info, item.name)
        writer = RecordWriter(
            actor,
            file_name=item.name,
            source=_source_row(report.source, report.licence, url),
            source_lang=report.source_lang,
            allow_status=actor.has_role("moderator"),
            meetup_id=meetup_id,
            keep_context=reader.format in _CONTEXT_FORMATS,
        )
        report.source_lang = writer.source_lang
        report.write = writer.report

        def written(count: int) -> None:
            report.entries += count
            _collect_problems(reader, item, report.write)
            if progress is not None:
                progress(item.name, count)

        writer.write(chain([first], records), on_chunk=written)
    _collect_problems(reader, item, report.write)
    report.skipped_obsolete = info.skipped_obsolete
    report.skipped_other = {
        key.removeprefix("skipped_"): int(value)
        for key, value in info.extra.items()
        if key.startswith("skipped_") and value.isdigit() and int(value)
    }
    return report


def _guarded(reader: Reader) -> Iterator[ConceptRecord]:
    """The reader's records; an OS error while reading is a file error like any other."""
    try:
        yield from reader.records()
    except OSError as exc:
        raise ImportFormatError(
            reader.path, f"cannot read the file: {exc.strerror or exc}"
        ) from None


def _collect_problems(reader: Reader, item: ImportFile, report: WriteReport) -> None:
    """Move the reader's problems into the file's report (bounded), under the file's name."""
    for problem in reader.problems:
        report.add(Problem(item.name, problem.line, problem.message, problem.severity))
        if problem.severity == "error":
            report.skipped += 1
    reader.problems.clear()


def _meetup_id(ref: str | None) -> int | None:
    """The id of the meetup named by id or uid; NotFound when there is none."""
    if ref is None or not ref.strip():
        return None
    ref = ref.strip()
    column = Meetup.id if ref.isdigit() else Meetup.uid
    value: int | str = int(ref) if ref.isdigit() else ref
    meetup_id = db.session.scalar(select(Meetup.id).where(column == value))
    if meetup_id is None:
        raise NotFound(f"no meetup {ref!r}")
    return meetup_id


def _rejection(report: ImportReport, options: ImportOptions) -> str:
    """One line: how many errors where, the first of them, and what to do."""
    files = [f for f in report.files if f.write.errors]
    first = next((p for f in files for p in f.write.problems if p.severity == "error"), None)
    verb = "would be imported" if options.dry_run else "imported"
    text = (
        f"nothing {verb}: {report.errors} invalid entr{'y' if report.errors == 1 else 'ies'} "
        f"in {len(files)} file{'s' if len(files) > 1 else ''}"
    )
    if first is not None:
        text += f", first {first}"
    return text + " (--skip-invalid imports the rest)"


def apply_index() -> str:
    """Apply the search outbox after a commit; the outcome in a word or a short phrase.

    The commit stands whatever happens here: rows left in the outbox are applied by the next
    writer or ``tamyr reindex --pending``.
    """
    try:
        from glossary.services import indexing
    except ModuleNotFoundError as exc:
        if exc.name != "glossary.services.indexing":
            raise
        log.info("search indexing is not available yet; the outbox rows wait for it")
        return "unavailable"
    try:
        applied = indexing.apply_pending()
    except Exception as exc:
        log.exception("applying the search outbox failed")
        return f"failed: {exc}; run `tamyr reindex --pending`"
    return "busy" if applied is None else "applied"
