"""Apertium bidix reader: the kaz-tat and tur-kir dictionaries and every entry shape."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from importers.base import ConceptRecord, ImportFormatError
from importers.bidix import BidixReader

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py


def read(path: Path, **options: str) -> tuple[list[ConceptRecord], BidixReader]:
    reader = BidixReader(path, **options)
    return list(reader.records()), reader


def pairs(records: list[ConceptRecord]) -> dict[int | None, tuple]:
    """Each record by line as (left text, right text, left pos, right pos, note)."""
    return {
        r.line: (r.terms[0].text, r.terms[1].text, r.terms[0].pos, r.terms[1].pos, r.note)
        for r in records
    }


def dix(tmp_path: Path, entries: str, name: str = "apertium-kaz-tat.kaz-tat.dix") -> Path:
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<dictionary>\n<sdefs><sdef n="n"/></sdefs>\n'
        f'<section id="main" type="standard">\n{entries}\n</section>\n</dictionary>\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def kaz_tat(samples: Path) -> tuple[list[ConceptRecord], BidixReader]:
    return read(samples / "apertium" / "apertium-kaz-tat.kaz-tat.dix")


def test_kaz_tat_pair_and_provenance(kaz_tat: tuple[list[ConceptRecord], BidixReader]) -> None:
    records, reader = kaz_tat
    # 9,956 <e>: 6 regular-expression and 12 punctuation entries are not terms.
    assert len(records) == 9_938
    assert all([t.lang for t in r.terms] == ["kaz", "tat"] for r in records)
    info = reader.info
    assert (info.source_lang, info.target_lang) == ("kaz", "tat")
    assert info.source_name == "Apertium apertium-kaz-tat"
    assert info.licence == "GPL-3.0"
    assert info.url == "https://github.com/apertium/apertium-kaz-tat"
    assert info.extra == {"skipped_paradigm_entries": "0", "skipped_punctuation_entries": "12"}
    assert Counter((p.severity, p.message) for p in reader.problems) == {
        ("warning", "regular-expression entry is not a term; skipped"): 6
    }
    assert [p.line for p in reader.problems][:2] == [92, 96]


def test_kaz_tat_entries(kaz_tat: tuple[list[ConceptRecord], BidixReader]) -> None:
    by_line = pairs(kaz_tat[0])
    assert by_line[97] == ("аба", "аба", "noun", "noun", None)
    assert by_line[99] == ("аба", "ау", "noun", "noun", None)  # one lemma, several equivalents
    assert by_line[103] == ("абадан", "таза тормышлы", "adjective", "adjective", None)  # <b/>
    assert by_line[1095] == ("бірер", "берәр", "determiner", "determiner", None)
    assert by_line[1102] == ("бірлес", "берләш", "verb", "verb", None)
    assert by_line[9449] == ("Малайзия", "Малайзия", "proper noun", "proper noun", None)


def test_one_way_entries_import_with_their_direction_noted(
    kaz_tat: tuple[list[ConceptRecord], BidixReader],
) -> None:
    records = kaz_tat[0]
    by_line = pairs(records)
    assert by_line[1096] == (
        "біресе", "я", "conjunction", "conjunction", "Apertium translates kaz → tat only (r=LR)"
    )  # fmt: skip
    assert by_line[1097][:2] == ("біресе", "әле")
    assert by_line[1097][4] == "Apertium translates tat → kaz only (r=RL)"
    assert Counter(r.note for r in records if r.note) == {
        "Apertium translates kaz → tat only (r=LR)": 120,
        "Apertium translates tat → kaz only (r=RL)": 82,
    }


def test_tur_kir_cross_script_multiwords_paradigms_and_tag_only_rules(samples: Path) -> None:
    records, reader = read(samples / "apertium" / "apertium-tur-kir.tur-kir.dix")
    # 7,777 <e>: 10 inside <pardef>, 13 punctuation, 2 regular expressions, 1 tag-only rule.
    assert len(records) == 7_751
    assert (reader.info.source_lang, reader.info.target_lang) == ("tur", "kir")
    assert reader.info.extra["skipped_paradigm_entries"] == "10"
    by_line = pairs(records)
    assert by_line[111] == ("tabii ki", "албетте", "interjection", "interjection", None)
    assert by_line[333] == ("yüz", "жүз", "numeral", "numeral", None)  # <par> before <p>
    assert by_line[6267] == ("öğren", "үйрөн", "verb", "verb", None)  # <par> after <p>
    assert not [r for r in records if 80 < r.line < 99]  # the <pardefs> block
    assert [(p.line, p.severity) for p in reader.problems] == [
        (125, "warning"),  # <l>ki<s n="cnjsub"/></l><r></r>
        (8093, "warning"),
        (8094, "warning"),
    ]
    assert reader.problems[0].message == "entry lacks text on a side (a tag-only rule?); skipped"


def test_identity_groups_joins_and_raw_tags(tmp_path: Path) -> None:
    path = dix(
        tmp_path,
        """<e><i>Алматы<s n="np"/><s n="top"/></i></e>
<e><p><l>ала<g><b/>кет</g><s n="vblex"/></l><r>алып<g><b/>кит</g><s n="v"/></r></p></e>
<e><i>кеңсе</i><p><l>лік<s n="n"/></l><r>лек<s n="n"/></r></p></e>
<e><p><l>де<s n="pr"/><j/>ол<s n="prn"/></l><r>дә<s n="mod_ass"/></r></p></e>
<e><par n="paradigm"/></e>""",
    )
    records, reader = read(path)
    assert [
        (r.terms[0].text, r.terms[1].text, r.terms[0].pos, r.terms[1].pos) for r in records
    ] == [
        ("Алматы", "Алматы", "proper noun", "proper noun"),
        ("ала кет", "алып кит", "verb", "verb"),
        ("кеңселік", "кеңселек", "noun", "noun"),
        ("де+ол", "дә", "preposition", "mod_ass"),
    ]
    assert [(p.line, p.severity) for p in reader.problems] == [(9, "warning")]


def test_the_pair_comes_from_options_when_the_name_has_none(tmp_path: Path) -> None:
    entry = '<e><p><l>су<s n="n"/></l><r>су<s n="n"/></r></p></e>'
    path = dix(tmp_path, entry, name="upload-1234.dix")
    with pytest.raises(ImportFormatError) as caught:
        read(path)
    assert "cannot tell the language pair from the file name" in str(caught.value)
    records, reader = read(path, source_lang="kaz", lang="bak")
    assert [t.lang for t in records[0].terms] == ["kaz", "bak"]
    assert reader.info.source_name == "Apertium upload-1234"
    assert reader.info.url is None


def test_source_lang_option_overrides_the_left_language_as_source(tmp_path: Path) -> None:
    path = dix(tmp_path, "<e><p><l>су</l><r>су</r></p></e>", name="apertium-tat-bak.tat-bak.dix")
    records, reader = read(path, source_lang="bak")
    assert [t.lang for t in records[0].terms] == ["tat", "bak"]  # the sides stay as they are
    assert reader.info.source_lang == "bak"


def test_sniff_and_extension(samples: Path) -> None:
    assert BidixReader.format == "bidix" and BidixReader.extensions == (".dix",)
    head = (samples / "apertium" / "apertium-kaz-tat.kaz-tat.dix").read_bytes()[:512]
    assert BidixReader.sniff(head)
    assert not BidixReader.sniff(b'<?xml version="1.0"?>\n<tmx version="1.4">')
