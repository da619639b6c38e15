"""What the importer fuzz tests and the atheris harnesses share: read a file the way
`tamyr import` does, and the one outcome allowed besides success."""

from __future__ import annotations

from pathlib import Path

from importers.base import ConceptRecord, ImportFormatError
from importers.registry import reader_for


def read_everything(path: Path, format: str = "auto") -> list[ConceptRecord]:
    """Every record of ``path``; an unreadable file raises ImportFormatError and only that."""
    reader = reader_for(path, format=format)
    records = list(reader.records())
    for problem in reader.problems:  # entry problems are data, and must be printable
        assert problem.severity in ("error", "warning") and str(problem)
    return records


__all__ = ["ImportFormatError", "read_everything"]
