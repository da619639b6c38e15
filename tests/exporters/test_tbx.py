"""TBX-Basic export: RELAX NG core schema, the TBX-Basic Schematron rules, lossless round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from glossary.exporters.tbx import tbx_part_of_speech
from importers.tbx import TAMYR_STATUS_NOTE
from tests.exporters.conftest import (
    Termbase,
    export_bytes,
    import_file,
    read_back,
    term_facts,
)

TBX = "urn:iso:std:iso:30042:ed-2"
NS = {"t": TBX}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The data-category picklists of TBX-Basic_DCA.sch (pattern "dialectEnforcement" and the
# min/basic modules), element by element.
ALLOWED_TYPES = {
    "admin": {"customerSubset", "projectSubset", "source"},
    "descrip": {"subjectField", "context", "definition"},
    "ref": {"crossReference"},
    "termNote": {
        "administrativeStatus",
        "partOfSpeech",
        "geographicalUsage",
        "grammaticalGender",
        "termLocation",
        "termType",
    },
    "transac": {"transactionType"},
    "transacNote": {"responsibility"},
    "xref": {"externalCrossReference", "xGraphic"},
}
ALLOWED_VALUES = {
    "administrativeStatus": {
        "admittedTerm-admn-sts",
        "deprecatedTerm-admn-sts",
        "supersededTerm-admn-sts",
        "preferredTerm-admn-sts",
    },
    "partOfSpeech": {"adjective", "noun", "other", "verb", "adverb"},
}
# Data category -> the elements it may sit in (directly or through a *Grp).
ALLOWED_PARENTS = {
    ("descrip", "subjectField"): {"conceptEntry"},
    ("descrip", "definition"): {"conceptEntry", "langSec"},
    ("descrip", "context"): {"termSec"},
    ("xref", "externalCrossReference"): {"conceptEntry", "langSec", "termSec"},
    ("admin", "source"): {"conceptEntry", "langSec", "termSec"},
}


def _level(element: etree._Element) -> str:
    parent = element.getparent()
    name = etree.QName(parent).localname
    if name.endswith("Grp"):
        name = etree.QName(parent.getparent()).localname
    return name


def tbx_basic_violations(root: etree._Element) -> list[str]:
    """The TBX-Basic Schematron rules (TBX-Basic_DCA.sch) that apply to what Tamyr writes."""
    problems = []
    if root.get("type") != "TBX-Basic" or root.get("style") != "dca":
        problems.append("root must be type='TBX-Basic' style='dca'")
    ids = set(root.xpath("//@id"))
    for element in root.iter(etree.Element):
        qname = etree.QName(element)
        line = element.sourceline
        if qname.namespace != TBX:
            problems.append(f"{line}: element outside the TBX namespace: {qname}")
            continue
        name, kind = qname.localname, element.get("type")
        if kind is not None and kind == "":
            problems.append(f"{line}: empty data category on <{name}>")
        target = element.get("target")
        if target is not None and not re.match(r"https?://.+", target) and target not in ids:
            problems.append(f"{line}: target {target!r} is neither a URL nor an id")
        if name in ALLOWED_TYPES and kind not in ALLOWED_TYPES[name]:
            problems.append(f"{line}: <{name} type={kind!r}> is not TBX-Basic")
        if name == "termNote" and _level(element) != "termSec":
            problems.append(f"{line}: termNote outside a termSec")
        if kind in ALLOWED_VALUES and (element.text or "") not in ALLOWED_VALUES[kind]:
            problems.append(f"{line}: {kind} value {element.text!r} is not in the picklist")
        levels = ALLOWED_PARENTS.get((name, kind or ""))
        if levels is not None and _level(element) not in levels:
            problems.append(f"{line}: {kind} at {_level(element)} level")
    return problems


def tbx_file(tmp_path: Path, **options: object) -> Path:
    path = tmp_path / "export.tbx"
    path.write_bytes(export_bytes("tbx", **options))
    return path


@pytest.mark.samples
def test_valid_against_the_tbx_core_relax_ng(
    termbase: Termbase, tmp_path: Path, samples: Path
) -> None:
    schema = etree.RelaxNG(etree.parse(str(samples / "schemas" / "TBXcoreStructV03.rng")))
    document = etree.parse(str(tbx_file(tmp_path)))
    assert schema.validate(document), schema.error_log.filter_from_errors()


def test_obeys_the_tbx_basic_schematron_rules(termbase: Termbase, tmp_path: Path) -> None:
    root = etree.parse(str(tbx_file(tmp_path))).getroot()
    assert tbx_basic_violations(root) == []


def test_the_rule_checker_catches_violations() -> None:
    bad = etree.fromstring(
        f'<tbx xmlns="{TBX}" type="TBX-Min" style="dca"><conceptEntry id="c">'
        '<termNote type="usageStatus">preferred</termNote>'
        '<langSec xml:lang="en"><descrip type="subjectField">x</descrip>'
        '<termSec><term>t</term><termNote type="partOfSpeech">noun phrase</termNote>'
        '<xref type="externalCrossReference" target="nowhere">x</xref>'
        "</termSec></langSec></conceptEntry></tbx>"
    )
    assert len(tbx_basic_violations(bad)) == 6


def test_concept_entry_layout(termbase: Termbase, tmp_path: Path) -> None:
    root = etree.parse(str(tbx_file(tmp_path))).getroot()
    assert root.get(XML_LANG) == "en"
    entry = root.find(f".//t:conceptEntry[@id='c-{termbase.database}']", NS)
    assert entry.findtext("t:descrip[@type='subjectField']", namespaces=NS) == "computing"
    xref = entry.find("t:xref", NS)
    assert xref.get("target") == "https://www.wikidata.org/wiki/Q8513"
    assert [n.text for n in entry.findall("t:note", NS)] == [
        "Seen in GNOME and KDE.",
        "Keep the Kazakh form short.",
    ]
    kk = entry.find("t:langSec[@xml:lang='kk']", {**NS, "xml": XML_LANG[1:].split("}")[0]})
    assert kk.findtext("t:descrip[@type='definition']", namespaces=NS).startswith("Деректердің")
    terms = [sec.findtext("t:term", namespaces=NS) for sec in kk.findall("t:termSec", NS)]
    assert terms == ["дерекқор", "база", "деректер қоры"]  # preferred first, then alphabetical


@pytest.mark.parametrize(
    ("status", "value", "note"),
    [
        ("preferred", "preferredTerm-admn-sts", None),
        ("admitted", "admittedTerm-admn-sts", None),
        ("deprecated", "deprecatedTerm-admn-sts", None),
        ("proposed", "admittedTerm-admn-sts", "tamyr:status=proposed"),
        ("rejected", "deprecatedTerm-admn-sts", "tamyr:status=rejected"),
    ],
)
def test_status_mapping(
    termbase: Termbase, tmp_path: Path, status: str, value: str, note: str | None
) -> None:
    root = etree.parse(str(tbx_file(tmp_path, statuses=[status]))).getroot()
    sections = [
        sec
        for sec in root.iterfind(".//t:termSec", NS)
        if sec.getparent().get(XML_LANG) != "en"  # the pivot escapes the status filter
    ]
    assert sections
    for section in sections:
        assert section.findtext("t:termNote[@type='administrativeStatus']", namespaces=NS) == value
        notes = [n.text for n in section.findall("t:note", NS)]
        restoring = [n for n in notes if n.startswith("tamyr:status=")]
        assert restoring == ([note] if note else [])
    assert note is None or note == TAMYR_STATUS_NOTE.format(status=status)


@pytest.mark.parametrize(
    ("pos", "expected"),
    [("noun", "noun"), ("proper noun", "noun"), ("Verb", "verb"), ("adj", "adjective"),
     ("numeral", "other"), ("postposition", "other")],
)  # fmt: skip
def test_part_of_speech_fits_the_picklist(pos: str, expected: str) -> None:
    assert tbx_part_of_speech(pos) == expected


def test_round_trip_through_the_tbx_reader(termbase: Termbase, tmp_path: Path) -> None:
    records = {record.uid: record for record in read_back(tbx_file(tmp_path))}
    assert len(records) == 5
    database = records[termbase.database]
    assert database.domain == "computing"
    assert database.wikidata == "Q8513"
    assert database.note == "Seen in GNOME and KDE.\nKeep the Kazakh form short."
    assert database.definitions["kk"] == "Деректердің ұйымдастырылған жиынтығы."
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
    assert term_facts(records[termbase.uzbekistan]) >= {("uz", "Oʻzbekiston", "preferred", None)}


@pytest.mark.samples
def test_tbx_import_then_export_keeps_concepts_terms_statuses_and_notes(
    app, tmp_path: Path, samples: Path
) -> None:
    original = samples / "tbx" / "ltac_basic_good.tbx"
    import_file(original)
    exported = read_back(tbx_file(tmp_path))
    source = read_back(original)
    assert len(exported) == len(source)
    for before, after in zip(source, exported, strict=True):
        # A term without a status in the file was filed as proposed, and comes back so.
        expected = {(t.lang, t.text, t.status or "proposed", t.note) for t in before.terms}
        assert term_facts(after) == expected
        assert after.definitions == before.definitions
        assert after.domain == before.domain
        assert after.note == before.note
        assert {(t.text, t.pos) for t in after.terms} == {(t.text, t.pos) for t in before.terms}


def test_a_second_round_is_identical(termbase: Termbase, tmp_path: Path) -> None:
    first = tbx_file(tmp_path)
    import_file(first)  # same uids: everything matches, nothing is added
    second = tmp_path / "second.tbx"
    second.write_bytes(export_bytes("tbx"))
    assert [term_facts(r) for r in read_back(first)] == [term_facts(r) for r in read_back(second)]


@pytest.mark.samples
def test_an_empty_export_is_still_valid(app, tmp_path: Path, samples: Path) -> None:
    schema = etree.RelaxNG(etree.parse(str(samples / "schemas" / "TBXcoreStructV03.rng")))
    document = etree.parse(str(tbx_file(tmp_path)))
    assert document.find(".//t:body", NS) is None  # a body must hold at least one entry
    assert schema.validate(document), schema.error_log.filter_from_errors()
