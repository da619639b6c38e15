"""The MO reader: agreement with polib and the PO reader, both byte orders, broken files."""

from __future__ import annotations

import struct
from pathlib import Path

import polib
import pytest

from importers.base import ImportFormatError
from importers.mo import MoReader
from importers.po import PoReader

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

DEBIAN_KK = Path("/usr/share/locale/kk/LC_MESSAGES/iso_3166-1.mo")
HEADER = (
    "Language: {lang}\nContent-Type: text/plain; charset={charset}\nPlural-Forms: nplurals=2;\n"
)


def build_mo(
    path: Path, pairs: list[tuple[bytes, bytes]], order: str = "<", revision: int = 0
) -> Path:
    """A minimal MO file (no hash table) with the (original, translation) pairs, sorted."""
    pairs = sorted(pairs)
    count = len(pairs)
    originals, translations = 28, 28 + 8 * count
    data = bytearray()
    table_o, table_t = [], []
    start = 28 + 16 * count
    for table, column in ((table_o, 0), (table_t, 1)):
        for pair in pairs:
            table.append((len(pair[column]), start + len(data)))
            data += pair[column] + b"\0"
    head = struct.pack(order + "7I", 0x950412DE, revision, count, originals, translations, 0, 0)
    tables = b"".join(struct.pack(order + "2I", *pair) for pair in table_o + table_t)
    path.write_bytes(head + tables + bytes(data))
    return path


def header(lang: str = "kk", charset: str = "UTF-8") -> tuple[bytes, bytes]:
    return b"", HEADER.format(lang=lang, charset=charset).encode("ascii")


def read(path: Path) -> tuple[MoReader, list]:
    reader = MoReader(path)
    return reader, list(reader.records())


@pytest.mark.parametrize("order", ["<", ">"])
def test_contexts_plurals_and_header_in_both_byte_orders(tmp_path: Path, order: str) -> None:
    pairs = [
        header(),
        (b"Clipboard\x04Remove", "Жою".encode()),
        (b"Volume\x04Remove", "Алып тастау".encode()),
        (b"%d item\0%d items", "%d нәрсе\0%d нәрсе".encode()),
        (b"Quit", "Шығу".encode()),
    ]
    reader, records = read(build_mo(tmp_path / "t.mo", pairs, order))
    assert reader.info.target_lang == "kk" and reader.info.source_lang == "en"
    assert reader.info.extra["Plural-Forms"] == "nplurals=2;"
    by_text = {(r.context, r.terms[0].text): r.terms[1].text for r in records}
    assert by_text == {
        ("Clipboard", "Remove"): "Жою",
        ("Volume", "Remove"): "Алып тастау",
        (None, "%d item"): "%d нәрсе",
        (None, "Quit"): "Шығу",
    }
    entry = next(e for e in MoReader(tmp_path / "t.mo").entries() if e.msgid_plural)
    assert entry.msgstr_plural == {0: "%d нәрсе", 1: "%d нәрсе"}


def test_declared_charset_decodes_the_strings(tmp_path: Path) -> None:
    pairs = [header("tr", "ISO-8859-9"), (b"mountain", "dağ".encode("iso-8859-9"))]
    _, [record] = read(build_mo(tmp_path / "tr.mo", pairs))
    assert record.terms[1].text == "dağ"


def test_lying_charset_is_an_error(tmp_path: Path) -> None:
    pairs = [header("tr"), (b"mountain", "dağ".encode("iso-8859-9"))]
    with pytest.raises(ImportFormatError, match="not valid utf-8"):
        read(build_mo(tmp_path / "lie.mo", pairs))


@pytest.mark.samples
def test_compiled_sample_matches_polib_and_the_po_reader(samples: Path, tmp_path: Path) -> None:
    compiled = tmp_path / "baobab_az.mo"
    polib.pofile(str(samples / "po" / "baobab_az.po")).save_as_mofile(str(compiled))
    mine = list(MoReader(compiled).entries())
    theirs = polib.mofile(str(compiled))
    assert [(e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural) for e in mine] == [
        (e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural) for e in theirs
    ]
    from_po = {
        (r.context, r.terms[0].text): r.terms[1].text
        for r in PoReader(samples / "po" / "baobab_az.po").records()
        if len(r.terms) == 2 and r.terms[1].note is None
    }
    from_mo = {(r.context, r.terms[0].text): r.terms[1].text for r in MoReader(compiled).records()}
    assert from_mo == from_po


@pytest.mark.skipif(not DEBIAN_KK.exists(), reason="Debian iso-codes (kk) is not installed")
def test_debian_iso_codes_catalogue() -> None:
    reader, records = read(DEBIAN_KK)
    assert reader.info.target_lang == "kk"
    assert len(records) == len(polib.mofile(str(DEBIAN_KK)))  # polib leaves the header out too
    assert {"en": "Kazakhstan", "kk": "Қазақстан"} in [
        {t.lang: t.text for t in r.terms} for r in records
    ]


def test_broken_files_are_refused_cleanly(tmp_path: Path) -> None:
    good = build_mo(tmp_path / "good.mo", [header(), (b"a", b"b")]).read_bytes()
    cases = {
        "empty.mo": b"",
        "magic.mo": b"\x00" * 64,
        "head.mo": good[:12],
        "table.mo": good[:40],
        "strings.mo": good[:-5],
        "revision.mo": good[:4] + struct.pack("<I", 7 << 16) + good[8:],
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ImportFormatError) as caught:
            read(tmp_path / name)
        assert "Traceback" not in str(caught.value), name
        assert caught.value.file.endswith(name)


def test_sniff_knows_the_magic_number() -> None:
    assert MoReader.sniff(b"\xde\x12\x04\x95rest")
    assert MoReader.sniff(b"\x95\x04\x12\xderest")
    assert not MoReader.sniff(b'msgid ""\n')
