"""CSV and XLSX glossaries: both layouts through the one shared row logic, and bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from importers.base import ImportFormatError
from importers.csvfile import CsvReader, TabularReader
from importers.xlsx import XlsxReader

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

UID = "0b6f6b4c-3c1e-4e55-9d0f-2f0c1a7e9a10"
Table = list[list[object]]


def write_csv(path: Path, rows: Table, delimiter: str = ",") -> Path:
    lines = [delimiter.join("" if cell is None else str(cell) for cell in row) for row in rows]
    path = path.with_suffix(".csv")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: Table) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("ignored").append(["xx", "yy"])  # only the first sheet is read
    path = path.with_suffix(".xlsx")
    workbook.save(path)
    return path


WRITERS: dict[str, tuple[Callable[[Path, Table], Path], type[TabularReader]]] = {
    "csv": (write_csv, CsvReader),
    "xlsx": (write_xlsx, XlsxReader),
}


@pytest.fixture(params=sorted(WRITERS))
def table(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., TabularReader]:
    """Write rows in the parametrised format and return a reader over them."""
    write, reader_class = WRITERS[request.param]

    def make(rows: Table, **kwargs: str) -> TabularReader:
        return reader_class(write(tmp_path / "glossary", rows), **kwargs)

    return make


def terms(reader: TabularReader) -> list[list[tuple[str, str, str | None]]]:
    return [[(t.lang, t.text, t.status) for t in r.terms] for r in reader.records()]


# -- wide --------------------------------------------------------------------------------


def test_wide_rows_are_concepts_with_uid_domain_and_several_terms(table) -> None:
    reader = table(
        [
            ["concept", "domain", "en", "kk", "ky"],
            [UID, "computing", "file", "файл | құжат", "файл"],
            ["local-7", "", "folder", "бума", ""],
            [None, None, None, None, None],  # blank rows mean nothing
        ]
    )
    first, second = list(reader.records())
    assert first.uid == UID and first.context is None and first.domain == "computing"
    assert [(t.lang, t.text, t.status) for t in first.terms] == [
        ("en", "file", None),
        ("kk", "файл", None),
        ("kk", "құжат", None),
        ("ky", "файл", None),
    ]
    assert second.uid is None and second.context == "local-7" and second.domain is None
    assert second.line == 3
    assert reader.info.source_lang == "en" and reader.info.extra["layout"] == "wide"
    assert reader.problems == []


def test_header_of_only_language_tags_is_valid(table) -> None:
    reader = table([["kk", "ky", "tr"], ["алма", "алма", "elma"]])
    assert terms(reader) == [[("kk", "алма", None), ("ky", "алма", None), ("tr", "elma", None)]]
    assert reader.info.source_lang == "kk"  # no en column: the first language column


def test_source_language_english_else_first_else_the_flag(table) -> None:
    rows = [["tr", "EN", "az"], ["dağ", "mountain", "dağ"]]
    reader = table(rows)
    list(reader.records())
    assert reader.info.source_lang == "EN"  # the raw tag; the service resolves it
    reader = table(rows, source_lang="az")
    list(reader.records())
    assert reader.info.source_lang == "az"


def test_wide_row_problems(table) -> None:
    reader = table([["concept", "en", "kk"], ["", "a", "ә", "extra"], ["", "b", "б"], [UID]])
    assert terms(reader) == [[("en", "b", None), ("kk", "б", None)]]
    assert [(p.line, p.severity) for p in reader.problems] == [(2, "error"), (4, "warning")]


# -- long --------------------------------------------------------------------------------


def test_long_rows_group_into_concepts_with_status_pos_and_note(table) -> None:
    reader = table(
        [
            ["concept", "lang", "text", "status", "pos", "note"],
            [UID, "kk", "файл", "Preferred", "noun", ""],
            [UID, "en", "file", "", "", "from GNOME"],
            ["c2", "en", "folder", "admitted", "", ""],
            ["c2", "kk", "бума", "bogus", "", ""],
            ["", "ky", "папка", "", "", ""],
        ]
    )
    records = list(reader.records())
    assert [(r.uid, r.context) for r in records] == [(UID, None), (None, "c2"), (None, None)]
    assert [(t.lang, t.text, t.status, t.pos, t.note) for t in records[0].terms] == [
        ("kk", "файл", "preferred", "noun", None),
        ("en", "file", None, None, "from GNOME"),
    ]
    assert [t.text for t in records[1].terms] == ["folder"]
    assert reader.info.source_lang == "en" and reader.info.extra["layout"] == "long"
    assert [(p.line, "bogus" in p.message) for p in reader.problems] == [(5, True)]


def test_long_layout_source_language_without_english(table) -> None:
    reader = table([["lang", "text"], ["ky", "китеп"], ["kk", "кітап"]])
    assert len(list(reader.records())) == 2  # no concept column: one row, one concept
    assert reader.info.source_lang == "ky"
    reader = table([["lang", "text", "colour"], ["ky", ""]], source_lang="kk")
    assert list(reader.records()) == []
    assert reader.info.source_lang == "kk"
    assert [p.severity for p in reader.problems] == ["warning", "error"]


# -- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([], "no header"),
        ([["en", "", "kk"]], "column 2 has no name"),
        ([["en", "kk", "EN"]], "twice"),
        ([["concept", "domain"], [UID, "x"]], "no language column"),
    ],
)
def test_bad_headers_are_format_errors(table, rows: Table, words: str) -> None:
    with pytest.raises(ImportFormatError, match=words):
        list(table(rows).records())


# -- CSV specifics -----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    other = ";" if delimiter == "," else ","
    path = write_csv(tmp_path / "g", [["en", "tr"], [f"a{other} b", "c"]], delimiter)
    assert terms(CsvReader(path)) == [[("en", f"a{other} b", None), ("tr", "c", None)]]


def test_tsv_single_column_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_bytes("\ufeffkk\nалма\n".encode())
    reader = CsvReader(path)
    assert terms(reader) == [[("kk", "алма", None)]]


def test_quoted_cells_may_span_lines(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text('en,kk\n"two\nlines",екі\nb,б\n', encoding="utf-8")
    records = list(CsvReader(path).records())
    assert records[0].terms[0].text == "two\nlines"
    assert records[1].line == 4


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(b"en,tr\na,b\nmountain," + "dağ\n".encode("iso-8859-9"))
    with pytest.raises(ImportFormatError, match="save the file as UTF-8") as caught:
        list(CsvReader(path).records())
    assert caught.value.line == 3
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes("en,tr\na,b\n".encode("utf-16"))
    with pytest.raises(ImportFormatError, match="UTF-16"):
        list(CsvReader(utf16).records())


def test_huge_line_and_malformed_quotes(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(b"en,kk\n" + b"x" * (3 << 20))
    with pytest.raises(ImportFormatError, match="longer than") as caught:
        list(CsvReader(path).records())
    assert caught.value.line == 2
    path.write_text('en,kk\na,"b" c "\n', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="malformed CSV") as caught:
        list(CsvReader(path).records())


# -- XLSX specifics ----------------------------------------------------------------------


def test_xlsx_numbers_and_dates_become_text(tmp_path: Path) -> None:
    from datetime import date

    path = write_xlsx(tmp_path / "g", [["en", "kk"], [42, 3.5], [date(2024, 1, 2), 7.0]])
    assert terms(XlsxReader(path)) == [
        [("en", "42", None), ("kk", "3.5", None)],
        [("en", "2024-01-02", None), ("kk", "7", None)],
    ]


def test_broken_workbook_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFormatError, match="not a readable XLSX"):
        list(XlsxReader(path).records())


def test_sniffing(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "g", [["en"], ["a"]])
    assert XlsxReader.sniff(xlsx.read_bytes()[:4096])
    assert CsvReader.sniff("en;kk\nа;ә\n".encode())
    assert not CsvReader.sniff(b'msgid ""\nmsgstr ""\n')
    assert not CsvReader.sniff(b"PK\x03\x04\x00\x00")
