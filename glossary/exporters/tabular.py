"""Spreadsheet layouts (shared with the XLSX writer) and the CSV writer.

*wide* (the default): one row per concept — ``concept`` (uid), ``domain``, then one column per
exported language in registry order, other tags alphabetically after them. Several terms of a
language share a cell, preferred first then alphabetical, joined by `` | ``. A wide sheet has
no place for statuses; ``--status`` chooses which terms go in.

*long*: one row per term — ``concept, lang, text, status, pos, note``.

These are the headers ``importers.csvfile`` reads. CSV is UTF-8 without a byte-order mark,
comma-separated, quoted where needed, with CRLF line ends (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from glossary.errors import InvalidInput
from glossary.exporters.base import ExportConcept, ExportDocument, Exporter
from importers.csvfile import LONG_COLUMNS, TERM_SEPARATOR, WIDE_COLUMNS

LAYOUTS = ("wide", "long")
CELL_SEPARATOR = f" {TERM_SEPARATOR} "  # "a | b": readable, and the reader strips the spaces

Row = list[str]


def header_row(document: ExportDocument) -> Row:
    """The header of the document's layout."""
    if document.layout == "long":
        return list(LONG_COLUMNS)
    if document.layout != "wide":
        raise InvalidInput(
            f"unknown layout {document.layout!r}; use {' or '.join(LAYOUTS)}", field="layout"
        )
    return [*WIDE_COLUMNS, *(language.tag for language in document.languages)]


def concept_rows(document: ExportDocument, concept: ExportConcept) -> list[Row]:
    """The rows one concept takes in the document's layout (none when it has no terms)."""
    if not concept.terms:
        return []
    if document.layout == "long":
        return [
            [concept.uid, t.lang, t.text, t.status, t.pos or "", t.note or ""]
            for t in concept.terms
        ]
    cells: dict[str, list[str]] = {language.tag: [] for language in document.languages}
    for term in concept.terms:  # already preferred first, then alphabetical
        if term.lang in cells:
            cells[term.lang].append(term.text)
    joined = [CELL_SEPARATOR.join(texts) for texts in cells.values()]
    return [[concept.uid, concept.domain or "", *joined]]


class CsvExporter(Exporter):
    """Write the termbase as CSV in the wide or the long layout."""

    format = "csv"
    extension = ".csv"
    media_type = "text/csv; charset=utf-8"

    def chunks(self, document: ExportDocument) -> Iterator[bytes]:
        """The header row, then each concept's rows."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # RFC 4180: minimal quoting, CRLF

        def lines(rows: list[Row]) -> str:
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(rows)
            return buffer.getvalue()

        def render(concept: ExportConcept) -> str | None:
            rows = concept_rows(document, concept)
            return lines(rows) if rows else None

        yield from self.stream_text(lines([header_row(document)]), document.concepts, render)
