"""PO export: translatewiki-style header and entries, msgfmt -c, and the translator round trip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from sqlalchemy import select

from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.services.actors import CLI
from glossary.services.terms import create_concept
from importers.po import PoReader
from tests.exporters.conftest import Termbase, export_bytes, import_file

MSGFMT = shutil.which("msgfmt")


def po_file(tmp_path: Path, target: str, **options: object) -> Path:
    path = tmp_path / f"en-{target}.po"
    path.write_bytes(export_bytes("po", languages=[target], **options))
    return path


def entries(path: Path) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in polib.pofile(str(path))}


def test_header_follows_translatewiki(termbase: Termbase, tmp_path: Path) -> None:
    catalogue = polib.pofile(str(po_file(tmp_path, "kk")))
    meta = catalogue.metadata
    assert meta["Language"] == "kk"
    assert meta["X-Language-Code"] == "kk"
    assert meta["X-Source-Language"] == "en"
    assert meta["X-Message-Group"] == "tamyr-termbase"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["X-Generator"].startswith("Tamyr ")
    # TURKIC.md Part 1 §5: translatewiki's Plural-Forms, not Babel's or CLDR's.
    assert meta["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "Source: CLDR 47; licence Unicode-3.0; https://cldr.unicode.org" in catalogue.header


@pytest.mark.parametrize(
    ("target", "plural_forms"),
    [("tr", "nplurals=1; plural=0;"), ("az", "nplurals=2; plural=(n != 1);")],
)
def test_plural_forms_come_from_the_language_row(
    termbase: Termbase, tmp_path: Path, target: str, plural_forms: str
) -> None:
    assert polib.pofile(str(po_file(tmp_path, target))).metadata["Plural-Forms"] == plural_forms


def test_an_unregistered_language_gets_translatewikis_fallback(
    termbase: Termbase, tmp_path: Path
) -> None:
    catalogue = polib.pofile(str(po_file(tmp_path, "cs")))
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert all(entry.msgstr == "" for entry in catalogue)


def test_entry_carries_uid_terms_definitions_and_sister_languages(
    termbase: Termbase, tmp_path: Path
) -> None:
    path = po_file(tmp_path, "kk", base_url="https://tamyr.example.org/")
    entry = entries(path)[termbase.database]
    assert entry.msgid == "database"  # the preferred English term, not the deprecated one
    assert entry.msgstr == "дерекқор"
    assert not entry.fuzzy
    assert entry.occurrences == [(f"https://tamyr.example.org/concepts/{termbase.database}", "")]
    comments = entry.comment.split("\n")
    assert comments[:3] == [
        "Definition: An organised collection of data.",
        "Definition (kk): Деректердің ұйымдастырылған жиынтығы.",
        "Domain: computing",
    ]
    assert "Equivalent (tr): veritabanı" in comments
    assert "Equivalent (uz): maʼlumotlar bazasi" in comments
    assert "Equivalent (ug): ساندان" in comments
    assert "Equivalent (ba): мәғлүмәттәр базаһы" in comments
    assert not any(line.startswith("Equivalent (kk)") for line in comments)


def test_concept_url_is_relative_without_a_base_url(termbase: Termbase, tmp_path: Path) -> None:
    entry = entries(po_file(tmp_path, "kk"))[termbase.uzbekistan]
    assert entry.occurrences == [(f"/concepts/{termbase.uzbekistan}", "")]


def test_proposed_target_is_fuzzy_and_missing_target_is_empty(
    termbase: Termbase, tmp_path: Path
) -> None:
    kk = entries(po_file(tmp_path, "kk"))
    assert kk[termbase.istanbul].msgstr == "Ыстамбұл"
    assert kk[termbase.istanbul].fuzzy
    ug = entries(po_file(tmp_path, "ug"))
    assert ug[termbase.istanbul].msgstr == ""
    assert not ug[termbase.istanbul].fuzzy
    assert ug[termbase.uzbekistan].msgstr == "ئۆزبېكىستان"


def test_concepts_without_a_source_term_are_skipped(termbase: Termbase, tmp_path: Path) -> None:
    assert termbase.dictionary not in entries(po_file(tmp_path, "kk"))


def test_deprecated_and_rejected_terms_are_never_offered(app, tmp_path: Path) -> None:
    concept = create_concept(
        CLI,
        terms=[
            {"lang": "en", "text": "folder", "status": "preferred"},
            {"lang": "kk", "text": "папка", "status": "deprecated"},
            {"lang": "kk", "text": "бума", "status": "rejected"},
        ],
    )
    assert entries(po_file(tmp_path, "kk"))[concept.uid].msgstr == ""


def test_metacharacters_are_escaped(termbase: Termbase, tmp_path: Path) -> None:
    entry = entries(po_file(tmp_path, "kk"))[termbase.formula]
    assert entry.msgid == "=SUM(A1)"
    assert entry.msgstr == 'қосынды, "жиын" & <сома>'


def test_status_filter_keeps_the_source_pivot(termbase: Termbase, tmp_path: Path) -> None:
    kk = entries(po_file(tmp_path, "kk", statuses=["preferred"]))
    assert set(kk) == {termbase.database, termbase.uzbekistan}
    assert kk[termbase.database].msgid == "database"


@pytest.mark.skipif(MSGFMT is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("target", ["kk", "tr", "uz", "ug", "ba", "crh-Latn", "cs"])
def test_msgfmt_check_accepts_the_file(termbase: Termbase, tmp_path: Path, target: str) -> None:
    path = po_file(tmp_path, target)
    result = subprocess.run(
        [MSGFMT, "-c", "--statistics", "-o", str(tmp_path / "out.mo"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr


def test_round_trip_through_the_po_reader(termbase: Termbase, tmp_path: Path) -> None:
    path = po_file(tmp_path, "kk")
    reader = PoReader(path)
    records = {record.uid: record for record in reader.records()}
    assert reader.info.source_lang == "en"
    assert reader.info.target_lang == "kk"
    assert set(records) == {termbase.database, termbase.uzbekistan, termbase.istanbul,
                            termbase.formula}  # fmt: skip
    database = records[termbase.database]
    assert [(t.lang, t.text) for t in database.terms] == [("en", "database"), ("kk", "дерекқор")]
    assert database.domain == "computing"
    assert database.definitions == {
        "en": "An organised collection of data.",
        "kk": "Деректердің ұйымдастырылған жиынтығы.",
    }


def test_translators_fill_msgstr_and_the_import_adds_exactly_those_proposals(
    termbase: Termbase, tmp_path: Path
) -> None:
    path = po_file(tmp_path, "ba")
    catalogue = polib.pofile(str(path))
    filled = {termbase.istanbul: "Истанбул", termbase.formula: "=СУММА"}
    for entry in catalogue:
        if entry.msgctxt in filled:
            assert entry.msgstr == ""
            entry.msgstr = filled[entry.msgctxt]
    catalogue.save(str(path))
    before = db.session.scalar(select(db.func.count(Term.id)))

    import_file(path, allow_status=False)

    assert db.session.scalar(select(db.func.count(Term.id))) == before + len(filled)
    new = db.session.execute(
        select(Concept.uid, Term.text, Term.status)
        .join(Term, Term.concept_id == Concept.id)
        .where(Term.lang == "ba", Term.text.in_(filled.values()))
    ).all()
    assert {(uid, text) for uid, text, _ in new} == set(filled.items())
    assert {status for _, _, status in new} == {"proposed"}


def test_translate_toolkit_reads_the_file(termbase: Termbase, tmp_path: Path) -> None:
    storage = pytest.importorskip("translate.storage.po")
    store = storage.pofile(po_file(tmp_path, "kk").read_bytes())
    units = {unit.getcontext(): unit for unit in store.units if not unit.isheader()}
    assert units[termbase.database].target == "дерекқор"
    assert units[termbase.istanbul].isfuzzy()
