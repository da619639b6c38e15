"""Excel workbooks, written with openpyxl in write-only mode.

The first sheet, ``Terms``, holds the layout ``glossary.exporters.tabular`` defines (what
``importers.xlsx`` reads); a second sheet, ``About``, says where the terms came from. Write-only
mode streams rows into temporary files, so memory stays flat; the zip is only complete at the
end, so ``chunks`` spools the finished file and then hands it on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from glossary.exporters.base import CHUNK_BYTES, ExportDocument, Exporter, tamyr_version, xml_safe
from glossary.exporters.tabular import Row, concept_rows, header_row

SPOOL_BYTES = 8 << 20  # a small workbook stays in memory; a large one goes to disk


def _cells(sheet: WriteOnlyWorksheet, row: Row) -> list[Any]:
    """A row's values, safe for a worksheet: text that looks like a formula stays text."""
    values: list[Any] = []
    for value in row:
        value = xml_safe(value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            values.append(cell)
        else:
            values.append(value)
    return values


class XlsxExporter(Exporter):
    """Write the termbase as an XLSX workbook (wide or long layout)."""

    format = "xlsx"
    extension = ".xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, document: ExportDocument, out: BinaryIO) -> int:
        """Build the workbook row by row and save it to ``out`` (a pipe will do)."""
        workbook = Workbook(write_only=True)
        terms = workbook.create_sheet("Terms")
        terms.freeze_panes = "A2"  # the header stays in view
        terms.append(_cells(terms, header_row(document)))
        for concept in document.concepts:
            rows = concept_rows(document, concept)
            if not rows:
                self.skipped += 1
                continue
            self.written += 1
            for row in rows:
                terms.append(_cells(terms, row))
        about = workbook.create_sheet("About")
        about.append([f"Exported by Tamyr {tamyr_version()}", document.created.isoformat()])
        if document.base_url:
            about.append(["Site", document.base_url])
        for line in document.attribution_lines():
            about.append(_cells(about, [line]))
        workbook.save(out)
        return self.written

    def chunks(self, document: ExportDocument) -> Iterator[bytes]:
        """The finished workbook in pieces, from a spool (a zip is complete only at its end)."""
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            self.write(document, spool)  # type: ignore[arg-type]
            spool.seek(0)
            while block := spool.read(CHUNK_BYTES):
                yield block
