"""TMX reader: Weblate's memory, Tamyr's own props, broken units and a 200k-unit file."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from importers.base import ConceptRecord
from importers.tmx import (
    PROP_DEFINITION,
    PROP_DOMAIN,
    PROP_NOTE,
    PROP_POS,
    PROP_STATUS,
    PROP_WIKIDATA,
    TmxReader,
)

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

UID = "3f2a9c1e-7b4d-4e8a-9c2f-1d5e6b7a8c90"
HEADER = (
    '<header creationtool="Tamyr" creationtoolversion="0.1.0" segtype="phrase" o-tmf="Tamyr" '
    'adminlang="en" srclang="{srclang}" datatype="plaintext"/>'
)


def tmx(tmp_path: Path, body: str, srclang: str = "kk") -> Path:
    """Write a TMX 1.4b file with a complete header around ``body``."""
    path = tmp_path / "glossary.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        + HEADER.format(srclang=srclang)
        + "\n<body>\n"
        + body
        + "\n</body>\n</tmx>\n",
        encoding="utf-8",
    )
    return path


def read(path: Path, **options: str) -> tuple[list[ConceptRecord], TmxReader]:
    reader = TmxReader(path, **options)
    return list(reader.records()), reader


def test_weblate_memory_with_upper_case_tags_and_a_bare_header(samples: Path) -> None:
    records, reader = read(samples / "tmx" / "weblate_memory.tmx")
    assert len(records) == 1
    (concept,) = records
    assert [(term.lang, term.text) for term in concept.terms] == [
        ("DE-DE", "Wenn die Logfunktion installiert ist"),
        ("EN-US", "If the log function is installed"),
        ("CS-CZ", "Pokud je nainstalované logování"),
    ]
    assert (concept.uid, concept.context, concept.line) == (None, None, 6)
    assert reader.info.source_lang == "DE-DE"  # raw: the service resolves it to de-DE
    assert reader.problems == []


def test_the_props_tamyr_writes_map_back(tmp_path: Path) -> None:
    path = tmx(
        tmp_path,
        f"""<tu tuid="{UID}">
  <prop type="{PROP_DOMAIN}">computing</prop>
  <prop type="{PROP_NOTE}">First line.
Second line.</prop>
  <prop type="{PROP_WIKIDATA}">Q5082128</prop>
  <tuv xml:lang="kk">
    <prop type="{PROP_STATUS}">preferred</prop>
    <prop type="{PROP_POS}">noun</prop>
    <prop type="{PROP_DEFINITION}">Деректерді өңдейтін құрылғы.</prop>
    <seg>компьютер</seg>
  </tuv>
  <tuv xml:lang="kk">
    <prop type="{PROP_STATUS}">deprecated</prop>
    <prop type="{PROP_NOTE}">Кеңес дәуірінің сөзі</prop>
    <seg>электронды есептеуіш машина</seg>
  </tuv>
  <tuv xml:lang="tt"><prop type="{PROP_STATUS}">proposed</prop><seg>санак</seg></tuv>
</tu>""",
    )
    records, reader = read(path)
    (concept,) = records
    assert concept.uid == UID and concept.context is None
    assert concept.domain == "computing"
    assert concept.note == "First line.\nSecond line."  # Tamyr's own text is kept verbatim
    assert concept.wikidata == "Q5082128"
    assert concept.definitions == {"kk": "Деректерді өңдейтін құрылғы."}
    assert [(t.lang, t.text, t.status, t.pos, t.note) for t in concept.terms] == [
        ("kk", "компьютер", "preferred", "noun", None),
        ("kk", "электронды есептеуіш машина", "deprecated", None, "Кеңес дәуірінің сөзі"),
        ("tt", "санак", "proposed", None, None),
    ]
    assert reader.info.source_lang == "kk"
    assert reader.info.extra["creationtool"] == "Tamyr"
    assert reader.problems == []


def test_prop_names_are_the_documented_convention() -> None:
    # glossary.exporters.tmx writes these; renaming one breaks every exported file.
    assert (PROP_STATUS, PROP_POS, PROP_NOTE, PROP_DOMAIN, PROP_DEFINITION, PROP_WIKIDATA) == (
        "x-status",
        "x-pos",
        "x-note",
        "x-domain",
        "x-definition",
        "x-wikidata",
    )


def test_a_tuid_that_is_not_a_uuid_is_context_and_upper_case_uuids_are_normalized(
    tmp_path: Path,
) -> None:
    body = (
        '<tu tuid="menu.remove"><tuv xml:lang="en"><seg>Remove</seg></tuv></tu>'
        f'<tu tuid="{UID.upper()}"><tuv xml:lang="en"><seg>Add</seg></tuv></tu>'
    )
    records, _ = read(tmx(tmp_path, body))
    assert [(r.uid, r.context) for r in records] == [(None, "menu.remove"), (UID, None)]


def test_srclang_all_means_no_source_and_source_lang_option_wins(tmp_path: Path) -> None:
    path = tmx(tmp_path, '<tu><tuv xml:lang="ky"><seg>сөз</seg></tuv></tu>', srclang="*all*")
    assert read(path)[1].info.source_lang is None
    assert read(path, source_lang="ky")[1].info.source_lang == "ky"


def test_legacy_lang_attribute_and_inline_markup(tmp_path: Path) -> None:
    body = (
        '<tu><tuv lang="tr"><seg><bpt i="1">&lt;b&gt;</bpt>Dosya<ept i="1">&lt;/b&gt;</ept> '
        "<hi>aç</hi><ph>&amp;nbsp;</ph></seg></tuv></tu>"
    )
    (concept,), _ = read(tmx(tmp_path, body))
    assert [(t.lang, t.text) for t in concept.terms] == [("tr", "Dosya aç")]


def test_plain_notes_from_other_tools_are_read(tmp_path: Path) -> None:
    body = (
        "<tu><note>From the old glossary</note>"
        '<tuv xml:lang="az"><note>informal</note><seg>fayl</seg></tuv></tu>'
    )
    (concept,), _ = read(tmx(tmp_path, body))
    assert (concept.note, concept.terms[0].note) == ("From the old glossary", "informal")


def test_broken_variants_are_reported_with_their_line_and_the_rest_imports(
    tmp_path: Path,
) -> None:
    body = """<tu tuid="one-tuv"><tuv xml:lang="ky"><seg>файл</seg></tuv></tu>
<tu tuid="mixed">
  <tuv xml:lang="kk"><seg>файл</seg></tuv>
  <tuv xml:lang="tt"><prop type="x-status">maybe</prop></tuv>
  <tuv><seg>dosya</seg></tuv>
  <tuv xml:lang="uz"><seg>  </seg></tuv>
  <tuv xml:lang="ug"><prop type="x-status">sure</prop><seg>ھۆججەت</seg></tuv>
</tu>
<tu tuid="empty"><tuv xml:lang="az"/></tu>"""
    records, reader = read(tmx(tmp_path, body))
    assert [r.context for r in records] == ["one-tuv", "mixed"]
    assert [(t.lang, t.status) for t in records[1].terms] == [("kk", None), ("ug", None)]
    assert [(p.line, p.severity, p.message) for p in reader.problems] == [
        (8, "error", "<tuv xml:lang='tt'> has no <seg>; variant skipped"),
        (9, "error", "<tuv> without xml:lang; variant skipped"),
        (10, "warning", "empty <seg> for 'uz'; variant skipped"),
        (11, "warning", "unknown x-status 'sure'; status left unset"),
        (13, "error", "<tuv xml:lang='az'> has no <seg>; variant skipped"),
        (13, "error", "<tu> has no usable <tuv>; entry skipped"),
    ]
    assert str(reader.problems[0]).startswith(f"{tmp_path / 'glossary.tmx'}:8: error: ")


def test_sniff_and_extension() -> None:
    assert TmxReader.format == "tmx" and TmxReader.extensions == (".tmx",)
    assert TmxReader.sniff(b'<?xml version="1.0" encoding="utf-8"?>\n<tmx version="1.4">')
    assert not TmxReader.sniff(b'<?xml version="1.0"?>\n<martif type="TBX">')


UNITS = 200_000


@pytest.fixture(scope="module")
def big_tmx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200k-unit TMX (about 35 MB) in Tamyr's own shape."""
    path = tmp_path_factory.mktemp("big") / "big.tmx"
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        out.write(HEADER.format(srclang="kk") + "\n<body>\n")
        for n in range(UNITS):
            out.write(
                f'<tu tuid="00000000-0000-4000-8000-{n:012d}"><tuv xml:lang="kk">'
                f'<prop type="x-status">preferred</prop><seg>сөз {n}</seg></tuv>'
                f'<tuv xml:lang="tt"><seg>сүз {n}</seg></tuv></tu>\n'
            )
        out.write("</body>\n</tmx>\n")
    return path


def _rss() -> int:
    """This process's resident memory in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_streaming_keeps_memory_flat_on_200k_units(big_tmx: Path) -> None:
    # tracemalloc sees Python objects (records kept alive by mistake); libxml2's tree is C
    # memory it cannot see, so resident memory is sampled too: without clearing it grows by
    # hundreds of MB here.
    reader = TmxReader(big_tmx)
    count, rss_start, rss_peak, window_peak = 0, 0, 0, 0
    record = None
    for record in reader.records():  # noqa: B007 (the last one is checked below)
        count += 1
        if count == 10_000:
            rss_start = _rss()
        elif count % 10_000 == 0:
            rss_peak = max(rss_peak, _rss())
        if count == 100_000:
            tracemalloc.start()
        elif count == 110_000:
            window_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    assert count == UNITS
    assert record is not None and record.uid == f"00000000-0000-4000-8000-{UNITS - 1:012d}"
    assert reader.problems == []
    assert window_peak < 1_000_000, f"10k records held {window_peak} bytes of Python memory"
    assert rss_peak - rss_start < 25_000_000, f"resident memory grew {rss_peak - rss_start} bytes"
