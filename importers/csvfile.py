"""CSV/TSV glossaries, and the row → record logic shared with the XLSX reader.

Two layouts, told apart by the header (DESIGN §5):

* *wide*: one row per concept — ``concept`` (uid, optional), ``domain`` (optional), then one
  column per language tag; several terms in a cell are joined by ``|``. A wide file carries
  no status, so every term has status ``None`` (the service files new text as proposed).
* *long*: one row per term — ``concept, lang, text, status, pos, note``; consecutive rows
  with the same ``concept`` form one concept.
"""

from __future__ import annotations

import codecs
import csv
import io
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import ClassVar

from importers.base import (
    STATUSES,
    ConceptRecord,
    ImportFormatError,
    Reader,
    TermRecord,
    read_blocks,
    split_concept_id,
)

Row = tuple[int, list[str]]  # (row number as the user sees it, stripped cell texts)
LONG_COLUMNS = ("concept", "lang", "text", "status", "pos", "note")
WIDE_COLUMNS = ("concept", "domain")
TERM_SEPARATOR = "|"


class TabularReader(Reader):
    """Rows → concepts for both layouts; subclasses only say how to get the rows."""

    @abstractmethod
    def rows(self) -> Iterator[Row]:
        """Yield every row of the table with its 1-based row number."""

    def records(self) -> Iterator[ConceptRecord]:
        """Stream the table's concepts; ``self.info`` is set before the first one."""
        rows = (row for row in self.rows() if any(row[1]))  # blank rows mean nothing
        first = next(rows, None)
        if first is None:
            raise ImportFormatError(self.path, "the file has no header row")
        number, header = first
        while not header[-1]:  # spreadsheets pad the header to the widest row
            header = header[:-1]
        names = [cell.lower() for cell in header]
        for index, name in enumerate(names):
            if not name:
                raise ImportFormatError(self.path, f"column {index + 1} has no name", number)
            if name in names[:index]:
                raise ImportFormatError(
                    self.path, f"column {header[index]!r} appears twice", number
                )
        if "lang" in names and "text" in names:
            self.info.extra["layout"] = "long"
            yield from self._long(names, rows, number)
        else:
            self.info.extra["layout"] = "wide"
            yield from self._wide(header, names, rows, number)

    # -- wide ---------------------------------------------------------------------------

    def _wide(
        self, header: list[str], names: list[str], rows: Iterable[Row], header_row: int
    ) -> Iterator[ConceptRecord]:
        languages = [
            (i, tag)
            for i, (tag, name) in enumerate(zip(header, names, strict=True))
            if name not in WIDE_COLUMNS
        ]
        if not languages:
            raise ImportFormatError(self.path, "the header names no language column", header_row)
        tags = [tag for _, tag in languages]
        english = [tag for tag in tags if tag.lower() == "en"]
        self._set_languages(self.source_lang or (english or tags)[0], tags)
        concept = names.index("concept") if "concept" in names else None
        domain = names.index("domain") if "domain" in names else None
        width = len(header)
        for number, cells in rows:
            if any(cells[width:]):
                self.problem(f"row has {len(cells)} cells but the header has {width}", number)
                continue
            cells = cells + [""] * (width - len(cells))
            uid, context = split_concept_id(cells[concept] if concept is not None else None)
            terms = [
                TermRecord(lang=tag, text=text, line=number)
                for index, tag in languages
                for text in _split_terms(cells[index])
            ]
            if not terms:
                self.problem("row has no terms", number, "warning")
                continue
            yield ConceptRecord(
                terms=terms,
                uid=uid,
                context=context,
                line=number,
                domain=(cells[domain] or None) if domain is not None else None,
            )

    # -- long ---------------------------------------------------------------------------

    def _long(
        self, names: list[str], rows: Iterable[Row], header_row: int
    ) -> Iterator[ConceptRecord]:
        unknown = [name for name in names if name not in LONG_COLUMNS]
        if unknown:
            self.problem(f"columns ignored: {', '.join(unknown)}", header_row, "warning")
        if self.source_lang:
            self._set_languages(self.source_lang, [])
        else:
            # The rule "en if present, else the first language" needs every language of
            # the file before the first record, so the lang column is read once up front.
            self._set_languages(*self._scan_languages(names.index("lang"), header_row))
        column = {name: names.index(name) for name in LONG_COLUMNS if name in names}
        width = len(names)
        current: ConceptRecord | None = None
        current_key: str | None = None
        for number, cells in rows:
            cells = cells + [""] * (width - len(cells))
            key = cells[column["concept"]] if "concept" in column else ""
            term = self._long_term(cells, column, number)
            if term is None:
                continue
            if current is None or not key or key != current_key:
                if current is not None:
                    yield current
                uid, context = split_concept_id(key)
                current = ConceptRecord(terms=[], uid=uid, context=context, line=number)
                current_key = key
            current.terms.append(term)
        if current is not None:
            yield current

    def _long_term(
        self, cells: list[str], column: dict[str, int], number: int
    ) -> TermRecord | None:
        """The term of one long-layout row, or ``None`` with a problem."""

        def cell(name: str) -> str | None:
            return cells[column[name]] or None if name in column else None

        lang, text, status = cell("lang"), cell("text"), cell("status")
        if not lang or not text:
            self.problem("row needs both lang and text", number)
            return None
        if status is not None:
            status = status.lower()
            if status not in STATUSES:
                self.problem(
                    f"unknown status {status!r} (use one of {', '.join(STATUSES)})", number
                )
                return None
        return TermRecord(
            lang=lang, text=text, status=status, pos=cell("pos"), note=cell("note"), line=number
        )

    def _scan_languages(self, lang_column: int, header_row: int) -> tuple[str, list[str]]:
        """``(source language, languages)`` from one pass over the lang column."""
        seen: dict[str, None] = {}  # insertion-ordered set
        for number, cells in self.rows():
            if number > header_row and len(cells) > lang_column and cells[lang_column]:
                seen.setdefault(cells[lang_column])
        tags = list(seen)
        english = [tag for tag in tags if tag.lower() == "en"]
        return (english or tags or ["en"])[0], tags

    def _set_languages(self, source: str, tags: list[str]) -> None:
        self.info.source_lang = source
        others = [tag for tag in tags if tag != source]
        self.info.target_lang = self.lang or (others[0] if len(others) == 1 else None)


def _split_terms(cell: str) -> list[str]:
    """The terms of a wide-layout cell; forgiving about spaces around the ``|``."""
    if TERM_SEPARATOR not in cell:
        return [cell] if cell else []
    return [text for text in (part.strip() for part in cell.split(TERM_SEPARATOR)) if text]


class CsvReader(TabularReader):
    """CSV or TSV in UTF-8 (with or without BOM); the delimiter is read off the header."""

    format: ClassVar[str] = "csv"
    extensions: ClassVar[tuple[str, ...]] = (".csv", ".tsv")
    delimiters: ClassVar[str] = ",;\t"

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """UTF-8 text whose first line has a delimiter; tried last, as it is the weakest."""
        if b"\0" in head or head.lstrip().startswith((b"<", b"#", b"{", b"msgid")):
            return False
        first = head.split(b"\n", 1)[0]
        try:
            first.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return any(d.encode() in first for d in cls.delimiters)

    def rows(self) -> Iterator[Row]:
        """Decoded, parsed rows; row numbers are the file's line numbers."""
        with open(self.path, "rb") as stream:
            start = stream.read(3)
            if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                raise ImportFormatError(self.path, "the file is UTF-16; save it as UTF-8", 1)
            stream.seek(3 if start == codecs.BOM_UTF8 else 0)
            blocks = read_blocks(stream, self.path, "utf-8", hint="; save the file as UTF-8")
            lines = chain.from_iterable(io.StringIO(text, newline="") for _, text in blocks)
            first = next(lines, "")
            # strict: a stray quote is reported, not silently folded into a cell
            reader = csv.reader(
                chain([first], lines), delimiter=self._delimiter(first), strict=True
            )
            while True:
                number = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise ImportFormatError(self.path, f"malformed CSV: {exc}", number) from None
                yield number, [cell.strip() for cell in cells]

    def _delimiter(self, header: str) -> str:
        """The delimiter used most in the header line (tab for .tsv files without any)."""
        counts = {d: header.count(d) for d in self.delimiters}
        best = max(counts, key=counts.__getitem__)
        if counts[best]:
            return best
        return "\t" if self.path.suffix.lower() == ".tsv" else ","
