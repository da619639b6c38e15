"""The import report: per writer (WriteReport), per file and per command (ImportReport).

Its ``as_dict`` is the JSON shape of ``POST /api/v1/imports`` and ``tamyr import --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from importers.base import Problem

KEEP_PROBLEMS = 500  # problems kept per file for the report; the counts cover the rest


@dataclass
class WriteReport:
    """What one writer did: counts, and the problems it met (the first KEEP_PROBLEMS of them)."""

    new_concepts: int = 0
    matched_concepts: int = 0
    new_terms: int = 0
    existing_terms: int = 0
    conflicts: int = 0  # the file disagrees with the termbase; the termbase is kept
    skipped: int = 0  # records not written because of an error
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Count a problem, keeping it while fewer than KEEP_PROBLEMS are kept."""
        if problem.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.problems) < KEEP_PROBLEMS:
            self.problems.append(problem)

    @property
    def omitted(self) -> int:
        """Problems counted but not kept."""
        return self.errors + self.warnings - len(self.problems)

    def as_dict(self) -> dict[str, Any]:
        """The counts and problems in the JSON shape of the import report."""
        return {
            "new_concepts": self.new_concepts,
            "matched_concepts": self.matched_concepts,
            "new_terms": self.new_terms,
            "existing_terms": self.existing_terms,
            "conflicts": self.conflicts,
            "skipped": self.skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [
                {"file": p.file, "line": p.line, "message": p.message, "severity": p.severity}
                for p in self.problems
            ],
            "problems_omitted": self.omitted,
        }


@dataclass
class FileReport:
    """What happened to one file."""

    file: str
    format: str | None = None
    source_lang: str | None = None
    target_lang: str | None = None
    source: str | None = None
    licence: str | None = None
    entries: int = 0
    skipped_obsolete: int = 0
    skipped_other: dict[str, int] = field(default_factory=dict)  # e.g. bidix paradigm entries
    failed: str | None = None  # why the file could not be read at all
    write: WriteReport = field(default_factory=WriteReport)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "source": self.source,
            "licence": self.licence,
            "entries": self.entries,
            "skipped_obsolete": self.skipped_obsolete,
            "skipped_other": self.skipped_other,
            "failed": self.failed,
            **self.write.as_dict(),
        }


_TOTALS = ("new_concepts", "matched_concepts", "new_terms", "existing_terms", "conflicts")
_TOTALS += ("skipped", "errors", "warnings")


@dataclass
class ImportReport:
    """The report of one import command: per file, and totals."""

    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    index: str = "not run"  # applied / deferred / busy / unavailable / failed: …

    def total(self, name: str) -> int:
        """The sum of one WriteReport count over the files."""
        return sum(getattr(f.write, name) for f in self.files)

    @property
    def errors(self) -> int:
        return self.total("errors")

    @property
    def failed_files(self) -> list[FileReport]:
        return [f for f in self.files if f.failed]

    def as_dict(self) -> dict[str, Any]:
        """The JSON report (API response and ``tamyr import --json``)."""
        return {
            "dry_run": self.dry_run,
            "committed": self.committed,
            "index": self.index,
            **{name: self.total(name) for name in _TOTALS},
            "entries": sum(f.entries for f in self.files),
            "skipped_obsolete": sum(f.skipped_obsolete for f in self.files),
            "failed_files": len(self.failed_files),
            "files": [f.as_dict() for f in self.files],
        }
