"""Inputs the fuzzers found, kept as plain tests so the fixes stay fixed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from glossary.text.folding import fold_for_search
from tests.fuzz.readers import ImportFormatError, read_everything

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py


def test_folding_a_capital_without_a_look_alike_is_idempotent():
    # Cyrillic Һ has no capital look-alike listed, only һ/h does: once lowercased, the
    # token is unmixed to Latin, and folding again must not change it further.
    assert fold_for_search("AAҺ") == fold_for_search(fold_for_search("AAҺ")) == "aah"


def test_a_charset_with_a_nul_is_a_format_error(tmp_path: Path):
    import polib

    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=ut\x00f-8", "Language": "kk"}
    catalog.append(polib.POEntry(msgid="File", msgstr="Файл"))
    path = tmp_path / "nul.mo"
    path.write_bytes(catalog.to_binary())
    with pytest.raises(ImportFormatError, match="charset"):
        read_everything(path)


def test_a_damaged_deflate_stream_in_an_xlsx_is_a_format_error(tmp_path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    for n in range(200):
        book.active.append([f"term {n}", f"термин {n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Scramble the middle of the worksheet's compressed bytes; the zip directory stays intact.
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = bytes(16)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError):
        read_everything(path)


def test_a_malformed_xml_message_is_one_line(tmp_path: Path):
    # libxml2 ends "Char 0x0 out of allowed range" with a newline, which the CLI printed as a
    # blank line after the error and the API kept in its problem detail.
    path = tmp_path / "nul.tmx"
    path.write_bytes(b'<\x00?xml version="1.0"?><tmx version="1.4"><body/></tmx>')
    with pytest.raises(ImportFormatError) as raised:
        read_everything(path)
    assert "malformed XML" in str(raised.value)
    assert str(raised.value) == str(raised.value).strip()
