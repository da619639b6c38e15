"""The streaming PO reader: agreement with polib on real files, mapping, and hostile input."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import polib
import pytest

from importers.base import ImportFormatError
from importers.po import PoReader

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Language: {lang}\\n"\n'
    '"Content-Type: text/plain; charset={charset}\\n"\n'
    '"Plural-Forms: {plural}\\n"\n'
    "{extra}\n"
)
UID = "0b6f6b4c-3c1e-4e55-9d0f-2f0c1a7e9a10"


def write_po(
    tmp_path: Path,
    body: str,
    *,
    lang: str = "kk",
    charset: str = "UTF-8",
    plural: str = "nplurals=1; plural=0;",
    extra: str = "",
    encoding: str = "utf-8",
    name: str = "test.po",
) -> Path:
    """A PO file with a header and ``body``, encoded as asked (which may contradict charset)."""
    path = tmp_path / name
    text = HEADER.format(lang=lang, charset=charset, plural=plural, extra=extra) + body
    path.write_bytes(text.encode(encoding))
    return path


def read(path: Path, **kwargs: str) -> tuple[PoReader, list]:
    reader = PoReader(path, **kwargs)
    return reader, list(reader.records())


def format_error(path: Path, **kwargs: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        list(PoReader(path, **kwargs).records())
    return caught.value


# -- real files: the streaming reader agrees with polib on every sample ---------------------


def sample_po_files() -> list[str]:
    from tests.conftest import SAMPLES

    return sorted(p.name for p in (SAMPLES / "po").glob("*.po")) or ["(no samples)"]


@pytest.mark.samples
@pytest.mark.parametrize("name", sample_po_files())
def test_every_sample_matches_polib(samples: Path, name: str) -> None:
    path = samples / "po" / name
    reader = PoReader(path)
    mine = list(reader.entries())
    catalogue = polib.pofile(str(path))
    theirs = [entry for entry in catalogue if not entry.obsolete]

    assert len(mine) == len(theirs)
    assert reader.info.skipped_obsolete == len(catalogue.obsolete_entries())
    assert sum(e.msgid_plural is not None for e in mine) == sum(
        bool(e.msgid_plural) for e in theirs
    )
    for ours, polibs in zip(mine, theirs, strict=True):
        assert ours.msgid == polibs.msgid
        assert ours.msgctxt == polibs.msgctxt
        assert ours.msgstr == polibs.msgstr
        assert ours.msgid_plural == (polibs.msgid_plural or None)
        assert ours.msgstr_plural == polibs.msgstr_plural
        assert ours.flags == [flag for flag in polibs.flags if flag]
        assert ours.comment.strip() == polibs.comment.strip()
    assert reader.info.target_lang == catalogue.metadata["Language"]


@pytest.mark.samples
def test_sample_records_carry_both_languages_and_the_header(samples: Path) -> None:
    reader, records = read(samples / "po" / "baobab_kk.po")
    assert len(records) == 78
    assert reader.info.source_lang == "en"
    assert reader.info.target_lang == "kk"
    assert reader.info.skipped_obsolete == 25
    assert reader.info.extra["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "same license as the baobab package" in (reader.info.licence or "")
    plural = next(r for r in records if r.terms[0].text == "%d item")
    assert [t.lang for t in plural.terms] == ["en", "kk"]
    assert plural.terms[1].text == "%d нәрсе"  # msgstr[0] of a msgid_plural entry
    shortcuts = [r for r in records if r.context == "shortcuts dialog"]
    assert shortcuts and all(r.uid is None for r in shortcuts)


@pytest.mark.samples
def test_same_msgid_under_two_contexts_is_two_concepts(samples: Path) -> None:
    _, records = read(samples / "po" / "sugar_tr.po")
    removes = [r for r in records if r.terms[0].text == "Remove"]
    assert sorted(r.context for r in removes) == ["Clipboard", "Volume"]
    assert {r.terms[1].text for r in removes} == {"Kaldır"}


@pytest.mark.samples
def test_fuzzy_translations_are_candidates_without_status(samples: Path) -> None:
    path = samples / "po" / "baobab_uz.po"
    _, records = read(path)
    fuzzy = {e.msgid for e in polib.pofile(str(path)) if "fuzzy" in e.flags and not e.obsolete}
    fuzzy_records = [r for r in records if r.terms[0].text in fuzzy]
    assert len(fuzzy_records) == 3
    for record in fuzzy_records:
        assert record.terms[1].status is None
        assert record.terms[1].note == "fuzzy"


@pytest.mark.samples
def test_uzbek_apostrophes_and_untranslated_files_pass_through(samples: Path) -> None:
    _, uz = read(samples / "po" / "gnome-desktop_uz.po")
    texts = "".join(t.text for r in uz for t in r.terms)
    assert "‘" in texts and "o'" in texts  # apostrophe variants are kept, never normalised
    reader, sah = read(samples / "po" / "sugar_sah.po")
    assert len(sah) == 529 and all(len(r.terms) == 1 for r in sah)
    assert reader.info.target_lang == "sah"


# -- mapping Tamyr's own export back ------------------------------------------------------


def test_tamyr_export_maps_back_to_uid_definitions_and_domain(tmp_path: Path) -> None:
    body = (
        "#. Definition: a place where books are kept\n"
        "#. Definition (kk): кітаптар сақталатын орын\n"
        "#. Domain: libraries\n"
        "#. ky: китепкана\n"
        f"#: https://tamyr.example/concepts/{UID}\n"
        "#, fuzzy\n"
        f'msgctxt "{UID}"\n'
        'msgid "library"\n'
        'msgstr "кітапхана"\n'
    )
    path = write_po(tmp_path, body, extra='"X-Source-Language: en\\n"\n')
    _, [record] = read(path)
    assert record.uid == UID and record.context is None
    assert record.domain == "libraries"
    assert record.definitions == {
        "en": "a place where books are kept",
        "kk": "кітаптар сақталатын орын",
    }
    assert record.note == "ky: китепкана"
    assert [(t.lang, t.text, t.status) for t in record.terms] == [
        ("en", "library", None),
        ("kk", "кітапхана", None),
    ]
    assert record.line == 14  # the msgctxt line: 6 header lines, a blank, 6 comments


def test_source_language_comes_from_flag_then_header_then_english(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "a"\nmsgstr "b"\n', extra='"X-Source-Language: tr\\n"\n')
    assert read(path)[1][0].terms[0].lang == "tr"
    assert read(path, source_lang="az")[1][0].terms[0].lang == "az"
    plain = write_po(tmp_path, 'msgid "a"\nmsgstr "b"\n', name="plain.po")
    assert read(plain)[1][0].terms[0].lang == "en"


@pytest.mark.parametrize("tag", ["cs", "DE-DE", "uz@cyrillic"])
def test_language_tags_pass_through_raw(tmp_path: Path, tag: str) -> None:
    reader, [record] = read(write_po(tmp_path, 'msgid "a"\nmsgstr "b"\n', lang=tag))
    assert reader.info.target_lang == tag
    assert record.terms[1].lang == tag


def test_missing_language_needs_lang_flag(tmp_path: Path) -> None:
    path = write_po(tmp_path, '\nmsgid "a"\nmsgstr "b"\n', lang="")
    error = format_error(path)
    assert "--lang" in error.message and error.line == 8
    assert read(path, lang="ky")[1][0].terms[1].lang == "ky"


def test_odd_plural_forms_are_kept_and_reported(tmp_path: Path) -> None:
    reader, _ = read(write_po(tmp_path, "", plural="nplurals=1; plural=0;;"))
    assert reader.info.extra["Plural-Forms"] == "nplurals=1; plural=0;;"
    assert reader.problems == []
    reader, _ = read(write_po(tmp_path, "", plural="plural=n != 1", name="odd.po"))
    assert [p.severity for p in reader.problems] == ["warning"]


def test_empty_msgid_with_context_is_an_entry_problem(tmp_path: Path) -> None:
    reader, records = read(write_po(tmp_path, 'msgctxt "x"\nmsgid ""\nmsgstr "y"\n'))
    assert records == []
    assert reader.problems[0].line == 7


# -- syntax ------------------------------------------------------------------------------


def test_multiline_strings_escapes_and_adjacent_literals(tmp_path: Path) -> None:
    body = (
        'msgid ""\n"two "\n"lines"\nmsgstr "a\\tb\\nc \\"q\\" \\\\"\n\n'
        'msgid "octal \\303\\244 hex \\xc3\\xa4"\nmsgstr "x" "y"\n\n'
        'msgid "bell\\a"\nmsgstr ""\n'
    )
    _, records = read(write_po(tmp_path, body))
    assert [r.terms[0].text for r in records] == ["two lines", "octal ä hex ä", "bell\a"]
    assert records[0].terms[1].text == 'a\tb\nc "q" \\'
    assert records[1].terms[1].text == "xy"


def test_entries_need_no_blank_line_between_them(tmp_path: Path) -> None:
    body = 'msgid "a"\nmsgstr "1"\nmsgid "b"\nmsgstr "2"\n#, fuzzy\nmsgid "c"\nmsgstr "3"'
    _, records = read(write_po(tmp_path, body))  # and no newline at the end of the file
    assert [(r.terms[0].text, r.terms[1].note) for r in records] == [
        ("a", None),
        ("b", None),
        ("c", "fuzzy"),
    ]


def test_obsolete_entries_are_skipped_and_counted(tmp_path: Path) -> None:
    body = (
        '#, fuzzy\n#~ msgctxt "c"\n#~ msgid "old"\n#~ msgid_plural "olds"\n#~ msgstr[0] "x"\n\n'
        '#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr ""\n#~ "more"\n\n'
        'msgid "kept"\nmsgstr "y"\n'
    )
    reader, records = read(write_po(tmp_path, body))
    assert reader.info.skipped_obsolete == 2
    assert [r.terms[0].text for r in records] == ["kept"]
    assert records[0].terms[1].note is None  # the obsolete entry's fuzzy flag is not carried


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('msgid "open\nmsgstr ""\n', 7, "unterminated"),
        ('msgid "a"\nmsgstr "b" junk\n', 8, "after a string"),
        ('msgid "a\\q"\nmsgstr ""\n', 7, "invalid escape"),
        ('msgid "\\x4142"\nmsgstr ""\n', 7, "not a byte"),
        ('msgid "\\377"\nmsgstr ""\n', 7, "not valid utf-8"),
        ('msgid "a"\nmsgstr "b"\nthis is not po\n', 9, "not a PO line"),
        ('msgid "a"\nmsgstr "b"\nmsgfoo "c"\n', 9, "unknown keyword"),
        ('# comment\n"stray"\n', 8, "no keyword"),
        ('msgstr "b"\n', 7, "without a msgid"),
        ('msgid "a"\nmsgid "b"\nmsgstr ""\n', 8, "without a msgstr"),
        ('msgid "a"\n# comment\nmsgstr ""\n', 8, "has no msgstr"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n', 9, "msgstr[0]"),
        ('msgid "a"\nmsgstr[0] "x"\n', 8, "without msgid_plural"),
        ('msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[0] "y"\n', 10, "repeated"),
        ('msgid "a"\nmsgctxt "late"\nmsgstr ""\n', 8, "come first"),
        ('msgid "truncated"\n', 7, "truncated"),
    ],
)
def test_syntax_errors_name_the_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    error = format_error(write_po(tmp_path, body))
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"{tmp_path / 'test.po'}:{line}: ")


@pytest.mark.samples
def test_truncated_file_is_an_error(samples: Path, tmp_path: Path) -> None:
    data = (samples / "po" / "baobab_tr.po").read_bytes()
    cut = tmp_path / "cut.po"
    cut.write_bytes(data[: data.index(b'msgstr "', len(data) // 2) + 12])  # inside a string
    assert format_error(cut).line is not None


# -- encodings ---------------------------------------------------------------------------


def test_declared_single_byte_charset_is_honoured(tmp_path: Path) -> None:
    path = write_po(
        tmp_path, 'msgid "mountain"\nmsgstr "dağ"\n', lang="tr", charset="ISO-8859-9",
        encoding="iso-8859-9",
    )  # fmt: skip
    assert read(path)[1][0].terms[1].text == "dağ"


def test_header_claiming_utf8_over_latin_bytes_fails_at_the_line(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "a"\nmsgstr "b"\n\nmsgid "x"\nmsgstr "dağ"\n',
                    lang="tr", encoding="iso-8859-9")  # fmt: skip
    error = format_error(path)
    assert error.line == 11 and "utf-8" in error.message


def test_header_claiming_latin_over_utf8_text_is_a_lie(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "a"\nmsgstr "жол"\n', charset="ISO-8859-5")
    error = format_error(path)
    assert error.line == 8 and "UTF-8" in error.message


@pytest.mark.parametrize(("charset", "words"), [("KOI9-XX", "unknown charset"),
                                                 ("UTF-16", "ASCII")])  # fmt: skip
def test_unusable_charset_names_the_header(tmp_path: Path, charset: str, words: str) -> None:
    error = format_error(write_po(tmp_path, "", charset=charset))
    assert words in error.message and error.line == 1


def test_pot_placeholder_charset_reads_as_utf8(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "ağaç"\nmsgstr ""\n', lang="", charset="CHARSET")
    assert read(path)[1][0].terms[0].text == "ağaç"


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "a"\nmsgstr "ә"\n', encoding="utf-8-sig")
    reader, records = read(path)
    assert reader.info.target_lang == "kk" and records[0].terms[1].text == "ә"
    bom_lie = write_po(tmp_path, "", charset="ISO-8859-1", encoding="utf-8-sig", name="l.po")
    assert "byte-order mark" in format_error(bom_lie).message


def test_binary_and_wrong_files_are_refused_cleanly(tmp_path: Path) -> None:
    junk = tmp_path / "junk.po"
    junk.write_bytes(bytes(range(256)) * 4)
    assert format_error(junk).line == 1
    utf16 = tmp_path / "utf16.po"
    utf16.write_bytes('msgid "a"\nmsgstr "b"\n'.encode("utf-16"))
    assert "UTF-16" in format_error(utf16).message
    mo = tmp_path / "mo.po"
    mo.write_bytes(b"\xde\x12\x04\x95" + bytes(24))
    assert "--format mo" in format_error(mo).message
    empty = tmp_path / "empty.po"
    empty.write_bytes(b"")
    reader, records = read(empty)
    assert records == [] and reader.info.source_lang == "en"


def test_fifty_megabyte_line_fails_fast_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.po"
    with open(path, "wb") as stream:
        stream.write(b'msgid "a"\nmsgstr "b"\n\nmsgid "')
        for _ in range(50):
            stream.write(b"x" * (1 << 20))
    tracemalloc.start()
    try:
        error = format_error(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.line == 4 and "longer than" in error.message
    assert peak < 8 << 20


def test_streaming_stays_flat_on_200k_entries(tmp_path: Path) -> None:
    """polib needs ~173 MB for this file; the streaming reader needs a few hundred kB."""
    path = tmp_path / "big.po"
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(HEADER.format(lang="kk", charset="UTF-8", plural="nplurals=1;", extra=""))
        for n in range(200_000):
            stream.write(f'#: src/{n}.c:1\nmsgid "term {n}"\nmsgstr "термин {n}"\n\n')
    tracemalloc.start()
    try:
        count = sum(1 for _ in PoReader(path).records())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 8 << 20  # two 1 MiB blocks and one entry, with room to spare
