"""CSV and XLSX exports: wide and long layouts, column order, round trips through the readers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from sqlalchemy import select

from glossary.extensions import db
from glossary.models import Language
from glossary.services.actors import CLI
from glossary.services.terms import create_concept
from tests.exporters.conftest import Termbase, export_bytes, read_back, term_facts


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def registry_order(tags: set[str]) -> list[str]:
    positions = dict(db.session.execute(select(Language.tag, Language.position)).all())
    return sorted(tags, key=lambda tag: (positions[tag], tag))


def test_wide_header_is_registry_order_then_other_tags_alphabetically(
    termbase: Termbase,
) -> None:
    create_concept(
        CLI,
        terms=[
            {"lang": "fr", "text": "base de données"},
            {"lang": "DE-DE", "text": "Datenbank"},
            {"lang": "cs", "text": "databáze"},
            {"lang": "kk", "text": "деректер базасы"},
        ],
    )
    header = csv_rows(export_bytes("csv"))[0]
    assert header[:2] == ["concept", "domain"]
    registered = registry_order({"kk", "tr", "uz", "ug", "ba", "en"})
    assert header[2:] == [*registered, "cs", "de-DE", "fr"]


def test_wide_cells_join_terms_preferred_first_then_alphabetical(termbase: Termbase) -> None:
    rows = {row[0]: row for row in csv_rows(export_bytes("csv"))}
    header = csv_rows(export_bytes("csv"))[0]
    database = dict(zip(header, rows[termbase.database], strict=True))
    assert database["domain"] == "computing"
    assert database["kk"] == "дерекқор | база | деректер қоры"
    assert database["en"] == "database | data bank"
    assert database["uz"] == "maʼlumotlar bazasi"
    assert database["ug"] == "ساندان"
    dictionary = dict(zip(header, rows[termbase.dictionary], strict=True))
    assert dictionary["ba"] == "һүҙлек | ҡалып"
    assert dictionary["en"] == ""


def test_requested_languages_are_the_columns(termbase: Termbase) -> None:
    header = csv_rows(export_bytes("csv", languages=["tr", "kk"], source_lang="kk"))[0]
    assert header == ["concept", "domain", *registry_order({"kk", "tr"})]


def test_long_layout_is_one_row_per_term(termbase: Termbase) -> None:
    rows = csv_rows(export_bytes("csv", layout="long"))
    assert rows[0] == ["concept", "lang", "text", "status", "pos", "note"]
    database = [row for row in rows[1:] if row[0] == termbase.database]
    assert len(database) == 9
    assert [termbase.database, "kk", "дерекқор", "preferred", "noun",
            'Not "база" & not <деректер>.'] in database  # fmt: skip
    assert [termbase.database, "ba", "мәғлүмәттәр базаһы", "proposed", "", ""] in database


def test_csv_is_utf8_without_bom_with_crlf(termbase: Termbase) -> None:
    data = export_bytes("csv")
    assert data.startswith(b"concept,domain,")
    assert b"\r\n" in data
    assert "Oʻzbekiston".encode() in data


def test_wide_csv_round_trip(termbase: Termbase, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(export_bytes("csv"))
    records = {record.uid: record for record in read_back(path)}
    assert len(records) == 5
    database = records[termbase.database]
    assert database.domain == "computing"
    assert {(t.lang, t.text) for t in database.terms} == {
        ("kk", "дерекқор"),
        ("kk", "база"),
        ("kk", "деректер қоры"),
        ("tr", "veritabanı"),
        ("uz", "maʼlumotlar bazasi"),
        ("ug", "ساندان"),
        ("ba", "мәғлүмәттәр базаһы"),
        ("en", "database"),
        ("en", "data bank"),
    }
    formula = records[termbase.formula]
    assert {t.text for t in formula.terms} == {"=SUM(A1)", 'қосынды, "жиын" & <сома>'}


def test_long_csv_round_trip_keeps_statuses_pos_and_notes(
    termbase: Termbase, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(export_bytes("csv", layout="long"))
    records = {record.uid: record for record in read_back(path)}
    assert len(records) == 5
    assert ("kk", "дерекқор", "preferred", 'Not "база" & not <деректер>.') in term_facts(
        records[termbase.database]
    )
    assert ("kk", "Ыстамбұл", "proposed", None) in term_facts(records[termbase.istanbul])
    assert {t.pos for t in records[termbase.database].terms if t.lang == "en"} == {"noun"}


def test_xlsx_wide_round_trip_and_formula_text_stays_text(
    termbase: Termbase, tmp_path: Path
) -> None:
    path = tmp_path / "wide.xlsx"
    path.write_bytes(export_bytes("xlsx"))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Terms", "About"]
    sheet = workbook["Terms"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=SUM(A1)"]
    assert cells and all(cell.data_type == "s" for cell in cells)
    about = [row[0] for row in workbook["About"].iter_rows(values_only=True)]
    assert "Source: CLDR 47; licence Unicode-3.0; https://cldr.unicode.org" in about
    records = {record.uid: record for record in read_back(path)}
    assert len(records) == 5
    assert {(t.lang, t.text) for t in records[termbase.uzbekistan].terms} >= {
        ("uz", "Oʻzbekiston"),
        ("ug", "ئۆزبېكىستان"),
        ("ba", "Үзбәкстан"),
    }


def test_xlsx_long_round_trip(termbase: Termbase, tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    path.write_bytes(export_bytes("xlsx", layout="long", languages=["tr"]))
    records = {record.uid: record for record in read_back(path)}
    assert term_facts(records[termbase.istanbul]) == {
        ("tr", "İstanbul", "preferred", None),
        ("en", "Istanbul", "preferred", None),
    }
