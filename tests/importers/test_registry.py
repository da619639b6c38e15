"""Picking a reader: --format, then the extension, then the first bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from importers import registry
from importers.base import ImportFormatError
from importers.registry import reader_for

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

PO_TEXT = 'msgid ""\nmsgstr "Language: kk\\n"\n\nmsgid "a"\nmsgstr "ә"\n'
MO_BYTES = b"\xde\x12\x04\x95" + bytes(24)


def make(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def make_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.append(["en", "kk"])
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "content", "format"),
    [
        ("a.po", PO_TEXT, "po"),
        ("a.POT", PO_TEXT, "po"),
        ("a.mo", MO_BYTES, "mo"),
        ("a.csv", "en,kk\n", "csv"),
        ("a.tsv", "en\tkk\n", "csv"),
    ],
)
def test_extension_picks_the_reader(tmp_path: Path, name: str, content: str, format: str) -> None:
    reader = reader_for(make(tmp_path, name, content), source_lang="tr", lang="kk")
    assert reader.format == format
    assert (reader.source_lang, reader.lang) == ("tr", "kk")


def test_xlsx_by_extension_and_by_content(tmp_path: Path) -> None:
    workbook = make_xlsx(tmp_path / "g.xlsx")
    assert reader_for(workbook).format == "xlsx"
    renamed = shutil.copy(workbook, tmp_path / "g.bin")
    assert reader_for(renamed).format == "xlsx"


@pytest.mark.parametrize(
    ("content", "format"),
    [(PO_TEXT, "po"), ("# comment\n" + PO_TEXT, "po"), (MO_BYTES, "mo"), ("en;kk\nа;ә\n", "csv")],
)
def test_content_sniffing_without_a_known_extension(
    tmp_path: Path, content: str | bytes, format: str
) -> None:
    assert reader_for(make(tmp_path, "upload.dat", content)).format == format


@pytest.mark.parametrize("format", ["po", "pot", "PO", ".po"])
def test_format_flag_wins_over_extension(tmp_path: Path, format: str) -> None:
    path = make(tmp_path, "terms.csv", PO_TEXT)
    assert reader_for(path, format=format).format == "po"


def test_extension_aliases_name_formats(tmp_path: Path) -> None:
    path = make(tmp_path, "terms.txt", "en\tkk\n")
    assert reader_for(path, format="tsv").format == "csv"


def test_unknown_content_and_format_are_clear_errors(tmp_path: Path) -> None:
    path = make(tmp_path, "mystery.bin", bytes(range(256)))
    with pytest.raises(
        ImportFormatError, match=r"cannot tell the format of mystery.bin; use --format"
    ):
        reader_for(path)
    with pytest.raises(ImportFormatError, match="unknown format 'docx'"):
        reader_for(path, format="docx")
    with pytest.raises(ImportFormatError, match="cannot open"):
        reader_for(tmp_path / "missing.dat")


def test_missing_format_module_only_hides_that_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        registry, "READERS", ("importers.not_written_yet:NopeReader", *registry.READERS)
    )
    assert reader_for(make(tmp_path, "a.po", PO_TEXT)).format == "po"
    assert "po" in registry.formats()


# The XML formats are written by another engineer; these only check that the registry finds
# them, by extension and by content.


@pytest.mark.samples
@pytest.mark.parametrize(
    ("sample", "format"),
    [
        ("tmx/weblate_memory.tmx", "tmx"),
        ("tbx/weblate_cs.tbx", "tbx"),
        ("tbx/ltac_basic_good.tbx", "tbx"),
        ("apertium/apertium-tur-kir.tur-kir.dix", "bidix"),
    ],
)
def test_xml_formats_by_extension_and_as_xml(
    samples: Path, tmp_path: Path, sample: str, format: str
) -> None:
    assert reader_for(samples / sample).format == format
    as_xml = shutil.copy(samples / sample, tmp_path / "export.xml")
    assert reader_for(as_xml).format == format


@pytest.mark.samples
def test_every_sample_po_is_recognised(samples: Path, tmp_path: Path) -> None:
    for path in sorted((samples / "po").glob("*.po")):
        assert reader_for(path).format == "po"
        assert reader_for(shutil.copy(path, tmp_path / "x.dat")).format == "po", path.name
