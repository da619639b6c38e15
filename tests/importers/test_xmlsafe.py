"""Safe XML reading: hostile and broken files fail with one clear line, nothing is fetched.

Every hostile document is run through all three XML readers, because each must refuse it the
same way (they share ``importers.xmlsafe``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from importers.base import ImportFormatError, Reader
from importers.bidix import BidixReader
from importers.tbx import TbxReader
from importers.tmx import TmxReader
from importers.xmlsafe import (
    child_groups,
    iter_elements,
    sniff_root,
    text_of,
    xml_lang,
)
from tests.importers.conftest import BILLION_LAUGHS, XXE

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

# Each reader with a file name it accepts and a minimal valid body for its root element.
READERS = {
    "tmx": (TmxReader, "memory.tmx", '<tmx version="1.4"><body><tu><tuv xml:lang="kk">'
            "<seg>{text}</seg></tuv></tu></body></tmx>"),
    "tbx": (TbxReader, "glossary.tbx", '<tbx xml:lang="kk"><text><body><conceptEntry id="c1">'
            '<langSec xml:lang="kk"><termSec><term>{text}</term></termSec></langSec>'
            "</conceptEntry></body></text></tbx>"),
    "bidix": (BidixReader, "apertium-kaz-tat.kaz-tat.dix", "<dictionary><section><e><p>"
              "<l>{text}<s n='n'/></l><r>су<s n='n'/></r></p></e></section></dictionary>"),
}  # fmt: skip

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE root [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
"""


def write_doc(tmp_path: Path, kind: str, prolog: str, text: str, encoding: str = "utf-8") -> Path:
    """Write a document the ``kind`` reader would accept, after ``prolog``, with ``text``."""
    name, body = READERS[kind][1:]
    path = tmp_path / name
    path.write_bytes((prolog + body.format(text=text) + "\n").encode(encoding))
    return path


def read(kind: str, path: Path, **options: str) -> list:
    """All records the ``kind`` reader yields for ``path``."""
    return list(READERS[kind][0](path, **options).records())


def format_error(kind: str, path: Path) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        read(kind, path)
    error = caught.value
    assert error.file == str(path)
    assert "\n" not in str(error), "one line, never a traceback"
    return error


@pytest.fixture(params=sorted(READERS))
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


def test_a_valid_minimal_document_reads_with_every_reader(tmp_path: Path, kind: str) -> None:
    records = read(kind, write_doc(tmp_path, kind, '<?xml version="1.0"?>\n', "сөз"))
    assert records[0].terms[0].text == "сөз"


@pytest.mark.parametrize(
    ("prolog", "text", "line", "entity"),
    [
        (XXE, "&xxe;", 2, "xxe"),
        (BILLION_LAUGHS, "&lol9;", 3, "lol"),
        (PARAMETER_ENTITY, "x", 2, "remote"),
    ],
    ids=["xxe-system-file", "billion-laughs", "parameter-entity"],
)
def test_documents_declaring_entities_are_refused(
    tmp_path: Path, kind: str, prolog: str, text: str, line: int, entity: str
) -> None:
    error = format_error(kind, write_doc(tmp_path, kind, prolog, text))
    assert "declares XML entities" in error.message
    assert f"<!ENTITY {entity}" in error.message
    assert error.line == line
    assert "root:" not in str(error)  # nothing of /etc/passwd leaked into the message


def test_entities_are_refused_in_utf16_files_too(tmp_path: Path, kind: str) -> None:
    prolog = XXE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    error = format_error(kind, write_doc(tmp_path, kind, "\ufeff" + prolog, "&xxe;", "utf-16-le"))
    assert "declares XML entities" in error.message
    assert error.line == 2


def test_entities_beyond_the_prolog_scan_are_refused_by_the_parser_guard(
    tmp_path: Path, kind: str
) -> None:
    # A 70 KB comment pushes the DOCTYPE past the bytes the prolog scan reads, so only the
    # parsed internal subset can tell; lxml must still not expand the entity.
    prolog = XXE.replace("\n<!DOCTYPE", f"\n<!--{'x' * 70_000}-->\n<!DOCTYPE")
    error = format_error(kind, write_doc(tmp_path, kind, prolog, "&xxe;"))
    assert "declares XML entities (<!ENTITY xxe" in error.message
    assert error.line == 4  # the root element, where the parser guard runs


def test_external_dtd_doctype_is_ignored_and_never_fetched(
    tmp_path: Path, kind: str, dtd_server: tuple[str, list[str]]
) -> None:
    url, requests = dtd_server
    prolog = f'<?xml version="1.0"?>\n<!DOCTYPE root PUBLIC "-//X//DTD X//EN" "{url}/x.dtd">\n'
    records = read(kind, write_doc(tmp_path, kind, prolog, "сөз"))
    assert records[0].terms[0].text == "сөз"
    assert requests == []


def test_a_local_external_dtd_is_never_read(tmp_path: Path) -> None:
    # Had the DTD been loaded, its default attribute would give the tu a Tamyr uid.
    dtd = tmp_path / "tmx14.dtd"
    dtd.write_text('<!ATTLIST tu tuid CDATA "0b0e2a36-5d5e-4d61-9f6e-2f7c3f1e9a10">\n')
    prolog = f'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "{dtd.as_uri()}">\n'
    records = read("tmx", write_doc(tmp_path, "tmx", prolog, "сөз"))
    assert records[0].uid is None


def test_truncated_file_is_malformed_with_its_line(tmp_path: Path, kind: str) -> None:
    path = write_doc(tmp_path, kind, '<?xml version="1.0"?>\n', "сөз")
    path.write_bytes(path.read_bytes()[:-30].replace(b"><", b">\n<"))
    error = format_error(kind, path)
    assert error.message.startswith("malformed XML: ")
    assert error.line is not None and error.line > 1


def test_junk_bytes_are_malformed_at_line_1(tmp_path: Path, kind: str) -> None:
    path = tmp_path / READERS[kind][1]
    path.write_bytes(bytes(range(256)) * 4)
    error = format_error(kind, path)
    assert error.message.startswith("malformed XML: ")
    assert error.line == 1


def test_empty_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / READERS[kind][1]
    path.write_bytes(b"  \n")
    assert format_error(kind, path).message == "the file is empty"


def test_wrong_root_element_is_refused_before_reading_on(tmp_path: Path, kind: str) -> None:
    path = tmp_path / READERS[kind][1]
    path.write_text('<?xml version="1.0"?>\n<!-- page -->\n<html><body><tu/></body></html>\n')
    error = format_error(kind, path)
    assert error.message.startswith("expected a <")
    assert error.message.endswith("document, found <html>")
    assert error.line == 3


def test_the_ltac_poorly_formed_sample_fails_at_line_42(samples: Path) -> None:
    path = samples / "tbx" / "ltac_poorly_formed_xml.tbx"
    error = format_error("tbx", path)
    assert error.line == 42
    assert error.message == (
        "malformed XML: Opening and ending tag mismatch: term line 41 and termSec"
    )
    assert str(error) == f"{path}:42: {error.message}"


def test_a_missing_file_is_a_format_error(tmp_path: Path) -> None:
    assert "cannot read the file" in format_error("tmx", tmp_path / "missing.tmx").message


def test_iter_elements_matches_any_namespace_and_frees_finished_elements(tmp_path: Path) -> None:
    path = tmp_path / "ns.tbx"
    path.write_text(
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2" xmlns:min="http://www.tbxinfo.net/ns/min">'
        '<body><conceptEntry id="a"/><min:conceptEntry id="b"/><conceptEntry id="c"/></body>'
        "</tbx>"
    )
    seen = []
    for element in iter_elements(path, roots={"tbx"}, tags={"conceptEntry"}):
        seen.append(element.get("id"))
        # Earlier entries were dropped; only the last one stays, cleared, as an anchor.
        earlier = list(element.itersiblings(preceding=True))
        assert len(earlier) <= 1
        assert all(len(entry) == 0 and not entry.attrib for entry in earlier)
    assert seen == ["a", "b", "c"]


def test_text_of_flattens_inline_markup_and_skips_native_code() -> None:
    seg = etree.fromstring(
        "<seg>Open <bpt i='1'>&lt;b&gt;</bpt>the\n\t  <hi>file</hi><ept i='1'>&lt;/b&gt;</ept>"
        "<ph>%s</ph> now</seg>"
    )
    assert text_of(seg, skip={"bpt", "ept", "ph"}) == "Open the file now"
    assert text_of(etree.fromstring("<note>  line one\n  line two </note>"), collapse=False) == (
        "line one\n  line two"
    )


def test_xml_lang_is_inherited_and_accepts_the_legacy_attribute() -> None:
    root = etree.fromstring('<martif xml:lang="en"><e><d/></e><tuv lang="DE-DE"/></martif>')
    assert xml_lang(root[0][0]) == "en"
    assert xml_lang(root[0][0], inherit=False) is None
    assert xml_lang(root[1]) == "DE-DE"


def test_child_groups_groups_by_local_name_in_order() -> None:
    tu = etree.fromstring('<tu xmlns:x="urn:x"><prop n="1"/><!-- c --><x:prop n="2"/><tuv/></tu>')
    groups = child_groups(tu)
    assert [prop.get("n") for prop in groups["prop"]] == ["1", "2"]
    assert list(groups) == ["prop", "tuv"]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<?xml-model href="x"?>\n<tbx xml:lang="en">', True),
        ('<?xml version="1.0" encoding="UTF-16"?><martif>'.encode("utf-16"), True),
        (b'<!-- c --><!DOCTYPE martif PUBLIC "ISO 12200:1999A//EN" "x.dtd">\n<martif>', True),
        (b"<!DOCTYPE tbx [<!ELEMENT tbx ANY>]><t:tbx xmlns:t='urn:t'>", True),
        (b"<tmx version='1.4'>", False),
        (b'<?xml version="1.0"?><!-- truncated comm', False),
        (bytes(range(256)), False),
    ],
)
def test_sniff_root_skips_the_prolog(head: bytes, expected: bool) -> None:
    assert sniff_root(head, {"tbx", "martif"}) is expected


def test_every_reader_sniffs_only_its_own_root() -> None:
    heads = {
        "tmx": b'<?xml version="1.0"?>\n<tmx version="1.4">',
        "tbx": b'\xef\xbb\xbf<?xml version="1.0"?>\n<martif type="TBX">',
        "bidix": b'<?xml version="1.0" encoding="UTF-8"?>\n<!--\n Dictionary\n-->\n<dictionary>',
    }
    for kind, (reader, _, _) in READERS.items():
        assert issubclass(reader, Reader)
        assert [other for other, head in heads.items() if reader.sniff(head)] == [kind]
