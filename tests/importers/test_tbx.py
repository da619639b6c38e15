"""TBX reader: LTAC's TBX-Basic/Min/DCT samples, Weblate's martif files, Tamyr's own notes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from importers.base import ConceptRecord, ImportFormatError
from importers.tbx import TAMYR_STATUS_NOTE, TbxReader, tbx_status

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

UID = "3f2a9c1e-7b4d-4e8a-9c2f-1d5e6b7a8c90"
LTAC = ["ltac_basic_good.tbx", "ltac_min_good.tbx", "ltac_Example_Astronomy_DCT_VALID.tbx"]


def read(path: Path, **options: str) -> tuple[list[ConceptRecord], TbxReader]:
    reader = TbxReader(path, **options)
    return list(reader.records()), reader


def tbx(tmp_path: Path, entries: str, root: str = '<tbx type="TBX-Basic" xml:lang="kk"') -> Path:
    """Write a TBX v3 file (default namespace) around ``entries``."""
    path = tmp_path / "glossary.tbx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'{root} xmlns="urn:iso:std:iso:30042:ed-2">\n'
        "<tbxHeader><fileDesc><sourceDesc><p>Tamyr</p></sourceDesc></fileDesc></tbxHeader>\n"
        f"<text><body>\n{entries}\n</body></text></tbx>\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("name", LTAC)
def test_ltac_astronomy_termbase_in_every_style(samples: Path, name: str) -> None:
    records, reader = read(samples / "tbx" / name)
    assert len(records) == 45
    assert sum(len(record.terms) for record in records) == 113
    sections = Counter(lang for r in records for lang in {t.lang for t in r.terms})
    # SOURCES.md counts 40 xml:lang="en", but one of them is on the <tbx> root: 39 langSecs.
    assert sections == {"en": 39, "es": 39, "zu": 6}
    # usageStatus (DCA) and administrativeStatus with …-admn-sts values (DCT) agree.
    statuses = Counter(t.status for r in records for t in r.terms)
    assert statuses == {None: 81, "admitted": 16, "preferred": 12, "deprecated": 4}
    assert reader.info.source_lang == "en"
    assert reader.info.extra["description"] == "TBX file, created via MultiTerm Export"
    assert reader.problems == []

    first = records[0]
    assert (first.uid, first.context, first.domain) == (None, "c1", "General")
    assert first.line == (14 if "min" in name else 15)
    assert first.note == "G-Source: http://www.physics.drexel.edu/observatory/dump.shtml"
    assert [(t.lang, t.text, t.status, t.pos) for t in first.terms] == [
        ("en", "open cluster", "preferred", "noun"),
        ("en", "galactic cluster", "deprecated", "noun"),  # supersededTerm-admn-sts in DCT
        ("es", "cúmulo abierto", None, "noun"),
    ]
    assert first.terms[1].note.startswith("Another name for an open star cluster. They are")
    assert first.terms[1].note.endswith(
        "\nN-Source: http://www.delscope.demon.co.uk/astronomy/glossary.htm#G"
    )


@pytest.mark.parametrize("name", ["ltac_basic_good.tbx", "ltac_Example_Astronomy_DCT_VALID.tbx"])
def test_ltac_definitions_are_unwrapped_per_language(samples: Path, name: str) -> None:
    records, _ = read(samples / "tbx" / name)
    assert records[0].definitions == {
        "en": "A group of stars formed together in the spiral arms of a galaxy.",
        "es": "Una acumulación de una docena hasta varios miles de jóvenes estrellas en el "
        "plano de las galaxias.",
    }
    assert sum(len(record.definitions) for record in records) == 74


def test_ltac_zulu_sections_pass_through_raw(samples: Path) -> None:
    records, _ = read(samples / "tbx" / "ltac_min_good.tbx")
    zulu = [t.text for r in records for t in r.terms if t.lang == "zu"]
    assert len(zulu) == 6 and "Bally2005" in zulu  # bibliography keys, imported as they are


def test_weblate_martif_with_a_public_doctype(samples: Path) -> None:
    records, reader = read(samples / "tbx" / "weblate_cs.tbx")
    assert [[(t.lang, t.text) for t in r.terms] for r in records] == [
        [("en", "address bar"), ("cs", "adresní řádek")],
        [("en", "administrator"), ("cs", "správce")],
        [("en", "administrate"), ("cs", "spravovat")],
        [("en", "always on top"), ("cs", "vždy navrchu")],
    ]
    assert all(r.uid is None and r.context is None for r in records)
    assert reader.info.source_lang == "en"
    assert reader.info.extra["description"] == "Translate Toolkit"


def test_weblate_extended_metadata_in_the_tbx_namespace(samples: Path) -> None:
    records, reader = read(samples / "tbx" / "weblate_fr-extended-metadata.tbx")
    bus, code = records
    assert bus.context == "e001"
    assert [(t.lang, t.text, t.status) for t in bus.terms] == [
        ("en", "data bus", "deprecated"),  # administrativeStatus "obsolete"
        ("fr", "bus de données", "deprecated"),
    ]
    # An entry-level definition is in the document's xml:lang.
    assert bus.definitions == {"en": "Superseded but still found in older manuals."}
    assert bus.note == (
        "Translation needed: Yes\nUsage note: Avoid using this term in any documentation."
    )
    assert [(t.text, t.note) for t in code.terms] == [
        ("SYS_ERR_406", "Do not translate error codes."),
        ("SYS_ERR_406", None),
    ]
    assert reader.problems == []


def test_the_poorly_formed_sample_is_refused(samples: Path) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read(samples / "tbx" / "ltac_poorly_formed_xml.tbx")
    assert caught.value.line == 42


TAMYR_ENTRY = f"""<conceptEntry id="c-{UID}">
  <descrip type="subjectField">geography</descrip>
  <xref type="externalCrossReference" target="https://www.wikidata.org/wiki/Q232">Q232</xref>
  <note>Checked at the Almaty meetup.</note>
  <langSec xml:lang="kk">
    <descrip type="definition">Орталық Азиядағы мемлекет.</descrip>
    <termSec>
      <term>Қазақстан</term>
      <termNote type="partOfSpeech">proper noun</termNote>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
    </termSec>
  </langSec>
  <langSec xml:lang="tt">
    <termSec>
      <term>Казакъстан</term>
      <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
      <note>{TAMYR_STATUS_NOTE.format(status="proposed")}</note>
      <note>spelling under discussion</note>
    </termSec>
    <termSec>
      <term>Казахстан</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
      <note>{TAMYR_STATUS_NOTE.format(status="rejected")}</note>
    </termSec>
  </langSec>
</conceptEntry>"""


def test_what_tamyr_writes_maps_back_including_restored_statuses(tmp_path: Path) -> None:
    (concept,), reader = read(tbx(tmp_path, TAMYR_ENTRY))
    assert (concept.uid, concept.context) == (UID, None)
    assert (concept.domain, concept.wikidata) == ("geography", "Q232")
    assert concept.note == "Checked at the Almaty meetup."
    assert concept.definitions == {"kk": "Орталық Азиядағы мемлекет."}
    assert [(t.lang, t.text, t.status, t.pos, t.note) for t in concept.terms] == [
        ("kk", "Қазақстан", "preferred", "proper noun", None),
        ("tt", "Казакъстан", "proposed", None, "spelling under discussion"),
        ("tt", "Казахстан", "rejected", None, None),
    ]
    assert reader.info.extra["dialect"] == "TBX-Basic"
    assert reader.problems == []


@pytest.mark.parametrize(
    ("entry_id", "uid", "context"),
    [
        (f"c-{UID}", UID, None),
        (f"concept-{UID.upper()}-v2", UID, None),  # any id containing a UUID
        ("e001", None, "e001"),
    ],
)
def test_concept_ids(tmp_path: Path, entry_id: str, uid: str | None, context: str | None) -> None:
    entry = TAMYR_ENTRY.replace(f'id="c-{UID}"', f'id="{entry_id}"')
    (concept,), _ = read(tbx(tmp_path, entry))
    assert (concept.uid, concept.context) == (uid, context)


def test_the_status_note_is_the_documented_convention() -> None:
    assert TAMYR_STATUS_NOTE.format(status="proposed") == "tamyr:status=proposed"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("preferredTerm-admn-sts", "preferred"),
        ("preferred", "preferred"),
        ("admittedTerm-admn-sts", "admitted"),
        ("admitted", "admitted"),
        ("deprecatedTerm-admn-sts", "deprecated"),
        ("supersededTerm-admn-sts", "deprecated"),
        ("superseded", "deprecated"),
        ("obsolete", "deprecated"),
        ("forbidden", "deprecated"),
        ("notRecommended", "deprecated"),
        (" Deprecated ", "deprecated"),
        ("standardizedTerm-admn-sts", None),
        ("", None),
    ],
)
def test_tbx_status_mapping(value: str, status: str | None) -> None:
    assert tbx_status(value) == status


def test_martif_tig_and_ntig_with_source_lang_precedence(tmp_path: Path) -> None:
    path = tmp_path / "pontoon.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX">
<text><body>
<termEntry id="term-42">
  <langSet xml:lang="en-US"><ntig><termGrp><term>Bookmark</term>
    <termNote type="partOfSpeech">noun</termNote></termGrp>
    <descrip type="definition">A saved link</descrip></ntig></langSet>
  <langSet xml:lang="tr"><tig><term>Yer imi</term>
    <termNote type="normativeAuthorization">preferredTerm-admn-sts</termNote></tig></langSet>
</termEntry>
</body></text></martif>
""",
        encoding="utf-8",
    )
    (concept,), reader = read(path)
    assert concept.context == "term-42"
    assert [(t.lang, t.text, t.status, t.pos) for t in concept.terms] == [
        ("en-US", "Bookmark", None, "noun"),
        ("tr", "Yer imi", "preferred", None),
    ]
    assert concept.definitions == {"en-US": "A saved link"}
    assert reader.info.source_lang == "en-US"  # no document xml:lang: the first langSet's
    assert read(path, source_lang="tr")[1].info.source_lang == "tr"


def test_broken_entries_are_reported_and_skipped(tmp_path: Path) -> None:
    entries = """<conceptEntry id="no-terms"><langSec xml:lang="kk"><termSec><term> </term>
</termSec></langSec></conceptEntry>
<conceptEntry id="partly"><langSec><termSec><term>x</term></termSec></langSec>
<langSec xml:lang="ky"><termSec><term>сөз</term>
<termNote type="administrativeStatus">legalTerm-admn-sts</termNote></termSec></langSec>
</conceptEntry>"""
    records, reader = read(tbx(tmp_path, entries))
    assert [(r.context, [t.text for t in r.terms]) for r in records] == [("partly", ["сөз"])]
    assert records[0].terms[0].status is None
    assert [(p.line, p.severity, p.message) for p in reader.problems] == [
        (5, "error", "<termSec> has no term text; skipped"),
        (5, "error", "concept entry has no terms; entry skipped"),
        (7, "error", "<langSec> without xml:lang; skipped"),
        (9, "warning", "unknown term status 'legalTerm-admn-sts'; status left unset"),
    ]


def test_sniff_and_extension(samples: Path) -> None:
    assert TbxReader.format == "tbx" and TbxReader.extensions == (".tbx",)
    for name in [*LTAC, "weblate_cs.tbx", "weblate_fr-extended-metadata.tbx"]:
        assert TbxReader.sniff((samples / "tbx" / name).read_bytes()[:512]), name
    assert not TbxReader.sniff((samples / "tmx" / "weblate_memory.tmx").read_bytes()[:512])
