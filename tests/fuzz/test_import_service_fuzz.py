"""The import *service* (what `tamyr import` and the API call) on random bytes and mutated real
files, against the database: it either commits what its report says, or raises ImportRejected
with a clear message and leaves every table as it was — never another exception, never a
partial write.

tests/fuzz/test_importer_fuzz.py fuzzes the readers alone; this one adds the writer, the
transaction and the skip-invalid retry. Bounded: few examples, small seeds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Concept, Definition, History, SearchOutbox, Source, Term
from glossary.services.actors import CLI
from glossary.services.imports import ImportFile, ImportOptions, ImportRejected, run_import
from importers.registry import available_readers
from tests.conftest import _wipe
from tests.fuzz.readers import SAMPLE_FILES, mutations

EXTENSIONS = sorted({cls.extensions[0] for cls in available_readers()})
SERVICE_SEED_BYTES = 12 * 1024  # a few hundred entries: enough to reach the writer's chunks
COUNTED = {
    "concepts": Concept,
    "terms": Term,
    "definitions": Definition,
    "sources": Source,
    "history": History,
    "outbox": SearchOutbox,
}


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tamyr-import-fuzz-") as folder:
        yield Path(folder)


def _counts() -> dict[str, int]:
    """Row counts as the service's own session sees them: committed rows and any it left
    pending, so a write that survived a rollback shows up here too."""
    count = func.count()
    return {name: db.session.scalar(select(count).select_from(m)) for name, m in COUNTED.items()}


def _import(path: Path, format: str = "auto", skip_invalid: bool = False) -> str:
    """One import through the service, checked against the database; the outcome in words."""
    before = _counts()
    options = ImportOptions(format=format, skip_invalid=skip_invalid, defer_index=True)
    try:
        report = run_import(CLI, [ImportFile(path, path.name)], options)
    except ImportRejected as exc:
        assert str(exc).strip() and "\n" not in str(exc), repr(str(exc))  # one clear line
        assert _counts() == before, "a rejected import left rows behind"
        return "rejected"
    after = _counts()
    assert report.committed
    new_concepts, new_terms = report.total("new_concepts"), report.total("new_terms")
    assert after["concepts"] - before["concepts"] == new_concepts, report.as_dict()
    assert after["terms"] - before["terms"] == new_terms, report.as_dict()
    # Every new term is searchable later: its outbox row was written in the same transaction.
    assert after["outbox"] - before["outbox"] >= new_terms
    assert after["history"] >= before["history"] + (1 if new_terms else 0)
    return "committed new terms" if new_terms else "committed nothing new"


@pytest.mark.samples
@settings(max_examples=40)
@given(
    name=st.sampled_from(SAMPLE_FILES),
    skip_invalid=st.booleans(),
    data=st.data(),
)
def test_mutated_sample_files_through_the_import_service(
    app, samples: Path, scratch: Path, name: str, skip_invalid: bool, data
):
    _wipe(app)  # from an empty termbase, so most files really write
    source = samples / name
    seed = source.read_bytes()[:SERVICE_SEED_BYTES]
    path = scratch / f"mutated{source.suffix}"
    path.write_bytes(data.draw(mutations(seed)))
    event(_import(path, skip_invalid=skip_invalid))


@settings(max_examples=25)
@given(
    content=st.binary(max_size=1024),
    extension=st.sampled_from(EXTENSIONS),
    skip_invalid=st.booleans(),
)
def test_random_bytes_through_the_import_service(
    app, scratch: Path, content: bytes, extension: str, skip_invalid: bool
):
    path = scratch / f"random{extension}"
    path.write_bytes(content)
    event(_import(path, skip_invalid=skip_invalid))


@pytest.mark.samples
def test_the_unmutated_seeds_import_through_the_service(app, samples: Path, scratch: Path):
    """The heads the mutations start from import: otherwise the fuzzing above tests nothing."""
    for name in SAMPLE_FILES:
        path = scratch / f"seed{Path(name).suffix}"
        path.write_bytes((samples / name).read_bytes()[:SERVICE_SEED_BYTES])
        # A cut-off head may end mid-entry; with skip_invalid the rest still goes in.
        _import(path, skip_invalid=True)
    assert _counts()["terms"] > 0
