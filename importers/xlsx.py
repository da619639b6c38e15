"""Excel workbooks: the first worksheet, read with openpyxl in read-only (streaming) mode.

Layouts and row → record mapping are the CSV reader's (``TabularReader``); this module only
turns worksheet rows into lists of cell texts.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import ClassVar

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from importers.base import ImportFormatError
from importers.csvfile import Row, TabularReader

# What a damaged workbook raises from openpyxl and the XML and zip layers under it.
_BROKEN = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,  # a damaged deflate stream inside an intact zip directory (found by fuzzing)
    EOFError,
    KeyError,
    ValueError,
    OSError,
    SyntaxError,
)


class XlsxReader(TabularReader):
    """XLSX (Office Open XML); only the first worksheet is read."""

    format: ClassVar[str] = "xlsx"
    extensions: ClassVar[tuple[str, ...]] = (".xlsx", ".xlsm")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """A zip whose first members are an Office package (xlsx writers put these first)."""
        return head.startswith(b"PK\x03\x04") and any(
            name in head for name in (b"[Content_Types].xml", b"xl/", b"docProps/")
        )

    def rows(self) -> Iterator[Row]:
        """Cell texts of the first worksheet; row numbers are the sheet's."""
        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except _BROKEN as exc:
            raise ImportFormatError(self.path, f"not a readable XLSX workbook: {exc}") from None
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                yield number, [_text(value) for value in values]
        except _BROKEN as exc:
            raise ImportFormatError(self.path, f"damaged worksheet: {exc}") from None
        finally:
            workbook.close()


def _text(value: object) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # Excel stores dates as midnight datetimes
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()
