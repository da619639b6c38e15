"""Every importer on random bytes and on mutated real files: records, entry problems, or
ImportFormatError, never another exception (a crash would be a 500 in the API)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.registry import available_readers
from tests.fuzz.readers import (
    SAMPLE_FILES,
    SEED_BYTES,
    ImportFormatError,
    mutations,
    read_everything,
)

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

FORMATS = {cls.format: cls.extensions[0] for cls in available_readers()}


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tamyr-fuzz-") as folder:
        yield Path(folder)


def _attempt(scratch: Path, data: bytes, extension: str, format: str = "auto") -> None:
    path = scratch / f"fuzzed{extension}"
    path.write_bytes(data)
    try:
        read_everything(path, format)
    except ImportFormatError as exc:
        assert str(exc)  # a clear message, which the CLI prints as one line


@pytest.mark.parametrize("format", sorted(FORMATS))
@settings(max_examples=100)
@given(data=st.binary(max_size=2048))
def test_random_bytes(scratch: Path, format: str, data: bytes):
    _attempt(scratch, data, FORMATS[format], format)


@given(data=st.binary(max_size=512), extension=st.sampled_from([".xml", ".txt", ".dat", ""]))
def test_random_bytes_with_the_format_guessed(scratch: Path, data: bytes, extension: str):
    _attempt(scratch, data, extension)


# -- mutated real files ---------------------------------------------------------------------------
def _generated_seeds(samples: Path) -> dict[str, bytes]:
    """Formats with no sample file get one built from a real PO sample."""
    import openpyxl
    import polib

    seeds: dict[str, bytes] = {}
    po = polib.pofile(str(samples / "po" / "baobab_kk.po"))
    with tempfile.TemporaryDirectory() as folder:
        mo = Path(folder) / "baobab.mo"
        po.save_as_mofile(str(mo))
        seeds["generated.mo"] = mo.read_bytes()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["en", "kk", "tr"])
    for entry in po[:30]:
        sheet.append([entry.msgid, entry.msgstr, None])
    buffer = io.BytesIO()
    book.save(buffer)
    seeds["generated.xlsx"] = buffer.getvalue()
    lines = ["en,kk"] + [f'"{e.msgid}","{e.msgstr}"' for e in po[:30]]
    seeds["generated.csv"] = ("\n".join(lines) + "\n").encode("utf-8")
    return seeds


@pytest.mark.samples
@pytest.mark.parametrize("name", SAMPLE_FILES)
@settings(max_examples=60)
@given(data=st.data())
def test_mutated_sample_files(samples: Path, scratch: Path, name: str, data):
    source = samples / name
    seed = source.read_bytes()[:SEED_BYTES]
    _attempt(scratch, data.draw(mutations(seed)), source.suffix)


@pytest.mark.samples
@pytest.mark.parametrize("kind", ["generated.mo", "generated.xlsx", "generated.csv"])
@settings(max_examples=60)
@given(data=st.data())
def test_mutated_generated_files(samples: Path, scratch: Path, kind: str, data):
    seed = _seeds(samples)[kind]
    _attempt(scratch, data.draw(mutations(seed)), Path(kind).suffix)


_SEED_CACHE: dict[str, bytes] = {}


def _seeds(samples: Path) -> dict[str, bytes]:
    if not _SEED_CACHE:
        _SEED_CACHE.update(_generated_seeds(samples))
    return _SEED_CACHE


def test_the_unmutated_seeds_read_cleanly(samples: Path, scratch: Path):
    """The mutations start from files that import: otherwise they would test nothing."""
    for name in SAMPLE_FILES:
        if "poorly" not in name and not name.endswith(".dix"):
            assert read_everything(samples / name), name
    for kind, seed in _seeds(samples).items():
        path = scratch / kind
        path.write_bytes(seed)
        assert read_everything(path), kind
