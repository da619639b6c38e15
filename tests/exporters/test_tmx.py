"""TMX 1.4b export: valid against the DTD, every header attribute, and a lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from importers import tmx as tmx_reader
from tests.exporters.conftest import Termbase, export_bytes, read_back, term_facts

REQUIRED_HEADER = (
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
)


def tmx_file(tmp_path: Path, **options: object) -> Path:
    path = tmp_path / "export.tmx"
    path.write_bytes(export_bytes("tmx", **options))
    return path


@pytest.mark.samples
def test_valid_against_the_tmx14_dtd(termbase: Termbase, tmp_path: Path, samples: Path) -> None:
    dtd = etree.DTD(str(samples / "schemas" / "tmx14.dtd"))
    document = etree.parse(str(tmx_file(tmp_path)))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()


def test_header_has_every_required_attribute(termbase: Termbase, tmp_path: Path) -> None:
    root = etree.parse(str(tmx_file(tmp_path, source_lang="kk"))).getroot()
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert all(header.get(name) for name in REQUIRED_HEADER)
    assert header.get("srclang") == "kk"
    assert header.get("creationtool") == "Tamyr"
    notes = [note.text for note in header.findall("note")]
    assert "Source: CLDR 47; licence Unicode-3.0; https://cldr.unicode.org" in notes


def test_one_tu_per_concept_with_props(termbase: Termbase, tmp_path: Path) -> None:
    root = etree.parse(str(tmx_file(tmp_path))).getroot()
    units = {tu.get("tuid"): tu for tu in root.iter("tu")}
    assert len(units) == 5
    database = units[termbase.database]
    props = {prop.get("type"): prop.text for prop in database.findall("prop")}
    assert props == {
        tmx_reader.PROP_DOMAIN: "computing",
        tmx_reader.PROP_NOTE: "Seen in GNOME and KDE.\nKeep the Kazakh form short.",
        tmx_reader.PROP_WIKIDATA: "Q8513",
    }
    variants = database.findall("tuv")
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in variants]
    # Registry order (kk first, the pivots last), several terms of a language side by side.
    assert langs == ["kk", "kk", "kk", "tr", "uz", "ba", "ug", "en", "en"]
    first_kk = {p.get("type"): p.text for p in variants[0].findall("prop")}
    assert first_kk[tmx_reader.PROP_STATUS] == "preferred"
    assert first_kk[tmx_reader.PROP_DEFINITION] == "Деректердің ұйымдастырылған жиынтығы."
    second_kk = {p.get("type") for p in variants[1].findall("prop")}
    assert tmx_reader.PROP_DEFINITION not in second_kk  # once per language


def test_language_filter_keeps_the_source_language(termbase: Termbase, tmp_path: Path) -> None:
    root = etree.parse(str(tmx_file(tmp_path, languages=["uz"]))).getroot()
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert langs == {"uz", "en"}
    # The dictionary concept has neither: it is not exported at all.
    assert termbase.dictionary not in {tu.get("tuid") for tu in root.iter("tu")}


def test_round_trip_through_the_tmx_reader(termbase: Termbase, tmp_path: Path) -> None:
    records = {record.uid: record for record in read_back(tmx_file(tmp_path))}
    assert set(records) == {
        termbase.database,
        termbase.uzbekistan,
        termbase.dictionary,
        termbase.istanbul,
        termbase.formula,
    }
    database = records[termbase.database]
    assert database.domain == "computing"
    assert database.wikidata == "Q8513"
    assert database.note == "Seen in GNOME and KDE.\nKeep the Kazakh form short."
    assert database.definitions == {
        "en": "An organised collection of data.",
        "kk": "Деректердің ұйымдастырылған жиынтығы.",
    }
    assert term_facts(database) == {
        ("kk", "дерекқор", "preferred", 'Not "база" & not <деректер>.'),
        ("kk", "деректер қоры", "admitted", None),
        ("kk", "база", "rejected", None),
        ("tr", "veritabanı", "preferred", None),
        ("uz", "maʼlumotlar bazasi", "proposed", None),
        ("ug", "ساندان", "admitted", None),
        ("ba", "мәғлүмәттәр базаһы", "proposed", None),
        ("en", "database", "preferred", None),
        ("en", "data bank", "deprecated", None),
    }
    assert {t.pos for t in database.terms if t.lang == "tr"} == {"proper noun"}
    assert term_facts(records[termbase.formula]) == {
        ("en", "=SUM(A1)", "preferred", None),
        ("kk", 'қосынды, "жиын" & <сома>', "admitted", None),
    }


def test_translate_toolkit_reads_the_file(termbase: Termbase, tmp_path: Path) -> None:
    storage = pytest.importorskip("translate.storage.tmx")
    store = storage.tmxfile(tmx_file(tmp_path).read_bytes())
    sources = {unit.getid(): unit.source for unit in store.units}
    assert sources[termbase.istanbul] == "Istanbul"
