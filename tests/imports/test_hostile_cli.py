"""Hostile and broken files through `tamyr import`: one line naming the place, exit 1, no
traceback, and a database exactly as it was (DESIGN.md §5-6).

The readers' own tests (tests/importers) check each refusal in detail; these check the whole
path a user takes, on a database that already holds terms, history and pending outbox rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli_helpers import run_tamyr
from tests.importers.conftest import BILLION_LAUGHS, XXE
from tests.imports.conftest import scratch_database, stats, write_csv

TABLES = ("concepts", "terms", "history", "search_outbox")
SECRET = "tamyr-local-secret-6f1c2a"  # what an expanded XXE would copy into a term
MEGABYTE = b"x" * (1 << 20)

TBX = (
    '<tbx xml:lang="kk"><text><body><conceptEntry id="c1"><langSec xml:lang="kk"><termSec>'
    "<term>{text}</term></termSec></langSec></conceptEntry></body></text></tbx>\n"
)
TMX = (
    '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>{text}</seg>'
    '</tuv><tuv xml:lang="kk"><seg>сөз</seg></tuv></tu></body></tmx>\n'
)
XML_BODIES = {"tbx": TBX, "tmx": TMX}
PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n'
    '"Content-Type: text/plain; charset={charset}\\n"\n\n'
)


def seed(env: dict[str, str], folder: Path) -> dict[str, str]:
    """Give the database concepts, terms, history and pending search-outbox rows."""
    table = write_csv(folder / "seed.csv", [["en", "kk", "tr"], ["book", "кітап", "kitap"]])
    result = run_tamyr("import", str(table), "--quiet", "--defer-index", env=env)
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One seeded database for all the refusals: each checks it is unchanged by its own file."""
    folder = tmp_path_factory.mktemp("hostile")
    with scratch_database(folder) as url:
        env = {"TAMYR_DATABASE_URL": url, "TAMYR_INSTANCE_DIR": str(folder)}
        result = run_tamyr("init", env=env)
        assert result.returncode == 0, result.stderr
        yield seed(env, folder)


def database_rows(env: dict[str, str]) -> dict[str, list[str]]:
    """Every row of the tables an import writes, as text (row counts and contents at once)."""
    engine = create_engine(env["TAMYR_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return {
                table: sorted(map(repr, connection.execute(text(f"SELECT * FROM {table}"))))
                for table in TABLES
            }
    finally:
        engine.dispose()


def assert_refused(result: object, path: Path, line: int, words: str) -> None:
    """Exit 1 and exactly one `Error: FILE:LINE: …` line on stderr, without a traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}:{line}: "), lines[0]
    assert words in lines[0], lines[0]


# -- the hostile files: each writer returns the file; the case names the line it fails at --------


def xxe(kind: str) -> Callable[[Path], Path]:
    """An external SYSTEM entity pointing at a local file, used as a term's text."""

    def write(folder: Path) -> Path:
        secret = folder / "secret.txt"
        secret.write_text(SECRET + "\n")
        prolog = XXE.replace("file:///etc/passwd", secret.as_uri())
        path = folder / f"xxe.{kind}"
        path.write_text(prolog + XML_BODIES[kind].format(text="&xxe;"), encoding="utf-8")
        return path

    return write


def billion_laughs(kind: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / f"laughs.{kind}"
        path.write_text(BILLION_LAUGHS + XML_BODIES[kind].format(text="&lol9;"))
        return path

    return write


def truncated_tmx(folder: Path) -> Path:
    whole = '<?xml version="1.0"?>\n' + TMX.format(text="book").replace("><", ">\n<")
    path = folder / "cut.tmx"
    path.write_text(whole[: whole.index("</seg>", whole.index('"kk"'))], encoding="utf-8")
    return path


def truncated_po(folder: Path) -> Path:
    body = 'msgid "book"\nmsgstr "кітап"\n\nmsgid "mountain"\nmsgstr "тау ж'
    path = folder / "cut.po"
    path.write_text(PO_HEADER.format(lang="kk", charset="UTF-8") + body, encoding="utf-8")
    return path


def po_utf8_header_over_latin_bytes(folder: Path) -> Path:
    text = PO_HEADER.format(lang="tr", charset="UTF-8") + 'msgid "mountain"\nmsgstr "dağ"\n'
    path = folder / "latin.po"
    path.write_bytes(text.encode("iso-8859-9"))  # ğ is 0xf0: invalid as UTF-8
    return path


def po_cyrillic_header_over_utf8_bytes(folder: Path) -> Path:
    text = PO_HEADER.format(lang="kk", charset="ISO-8859-5") + 'msgid "road"\nmsgstr "жол"\n'
    path = folder / "lying.po"
    path.write_bytes(text.encode("utf-8"))
    return path


def junk(extension: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / f"junk.{extension}"
        path.write_bytes(bytes(range(256)) * 64)
        return path

    return write


def fifty_megabyte_line(extension: str, head: bytes, tail: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / f"huge.{extension}"
        with open(path, "wb") as stream:
            stream.write(head)
            for _ in range(50):
                stream.write(MEGABYTE)
            stream.write(tail)
        return path

    return write


HOSTILE = [
    pytest.param(xxe("tbx"), 2, "declares XML entities", id="xxe-tbx"),
    pytest.param(xxe("tmx"), 2, "declares XML entities", id="xxe-tmx"),
    pytest.param(billion_laughs("tbx"), 3, "declares XML entities", id="billion-laughs-tbx"),
    pytest.param(billion_laughs("tmx"), 3, "declares XML entities", id="billion-laughs-tmx"),
    pytest.param(truncated_tmx, 10, "Premature end of data", id="truncated-tmx"),
    pytest.param(truncated_po, 10, "unterminated string", id="truncated-po"),
    pytest.param(po_utf8_header_over_latin_bytes, 7, "not valid utf-8", id="po-lying-utf8"),
    pytest.param(po_cyrillic_header_over_utf8_bytes, 7, "not iso8859-5", id="po-lying-latin"),
    pytest.param(junk("tbx"), 1, "malformed XML", id="junk-tbx"),
    pytest.param(junk("po"), 1, "not a PO line", id="junk-po"),
    pytest.param(junk("csv"), 2, "not valid utf-8", id="junk-csv"),  # byte 10 is a newline
    pytest.param(
        fifty_megabyte_line(
            "po", PO_HEADER.format(lang="kk", charset="UTF-8").encode() + b'msgid "', b'"\n'
        ),
        6,
        "longer than",
        id="50mb-line-po",
    ),
    pytest.param(
        fifty_megabyte_line("csv", b"en,kk\n", b",y\n"), 2, "longer than", id="50mb-line-csv"
    ),
    pytest.param(
        fifty_megabyte_line(
            "tmx",
            b'<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>',
            b'</seg></tuv><tuv xml:lang="kk"><seg>y</seg></tuv></tu></body></tmx>',
        ),
        1,
        "longer than 10 MB",
        id="50mb-line-tmx",
    ),
]


@pytest.mark.parametrize(("write", "line", "words"), HOSTILE)
def test_hostile_file_is_one_line_exit_1_and_changes_nothing(
    seeded: dict[str, str],
    tmp_path: Path,
    write: Callable[[Path], Path],
    line: int,
    words: str,
) -> None:
    before = database_rows(seeded)
    assert all(before[table] for table in TABLES)  # "unchanged" must be able to fail
    path = write(tmp_path)
    try:
        result = run_tamyr("import", str(path), env=seeded, timeout=120)
    finally:
        if path.stat().st_size > 1 << 20:
            path.unlink()  # pytest keeps old temporary folders; leave no 50 MB files behind
    assert_refused(result, path, line, words)
    assert SECRET not in result.stdout + result.stderr
    assert database_rows(seeded) == before


@pytest.mark.parametrize("kind", sorted(XML_BODIES))
def test_xxe_skipped_with_skip_invalid_leaks_nothing(
    env: dict[str, str], tmp_path: Path, kind: str
) -> None:
    """Even where the command succeeds around it, the local file's content goes nowhere."""
    seeded = seed(env, tmp_path)
    before = database_rows(seeded)
    path = xxe(kind)(tmp_path)
    result = run_tamyr("import", str(path), "--skip-invalid", "--json", env=seeded)
    assert result.returncode == 0, result.stderr
    assert f"{path}:2: the document declares XML entities" in result.stdout
    after = database_rows(seeded)
    assert SECRET not in result.stdout + result.stderr + repr(after)
    assert {t: after[t] for t in ("concepts", "terms")} == {
        t: before[t] for t in ("concepts", "terms")
    }
    index = Path(seeded["TAMYR_INSTANCE_DIR"]) / "index"
    for stored in index.rglob("*") if index.is_dir() else ():
        assert stored.is_dir() or SECRET.encode() not in stored.read_bytes()


@pytest.mark.samples
@pytest.mark.parametrize("name", ["weblate_cs.tbx", "weblate_fr-extended-metadata.tbx"])
def test_martif_with_an_external_dtd_imports_and_fetches_nothing(
    env: dict[str, str],
    samples: Path,
    tmp_path: Path,
    dtd_server: tuple[str, list[str]],
    name: str,
) -> None:
    url, requests = dtd_server
    original = (samples / "tbx" / name).read_text(encoding="utf-8")
    # Weblate's DOCTYPE names a DTD; point it at a server that records any request.
    pointed, replaced = re.subn(r'"([\w.-]+\.dtd)"', rf'"{url}/\1"', original, count=1)
    assert replaced == 1 and "<!DOCTYPE martif" in pointed
    path = tmp_path / name
    path.write_text(pointed, encoding="utf-8")
    result = run_tamyr("import", str(path), env=env)
    assert result.returncode == 0, result.stderr
    assert f"{path} (tbx, " in result.stdout
    assert requests == []
    assert stats(env)["terms"] > 0
