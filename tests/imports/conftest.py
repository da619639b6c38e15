"""Helpers for the import tests: running an import (in process or as `tamyr import`), counting
what the database holds.

The exporters' small Turkic termbase (``termbase``) is shared for the round-trip tests.
"""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select

from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.services.actors import CLI, Actor
from glossary.services.imports import ImportFile, ImportOptions, ImportReport, run_import
from tests.cli_helpers import run_tamyr
from tests.conftest import TEST_DATABASE_URL
from tests.exporters.conftest import termbase  # noqa: F401  (a fixture, shared)
from tests.importers.conftest import dtd_server  # noqa: F401  (a fixture, shared)

# GNOME gnome-desktop in nine Turkic languages: (active entries, obsolete entries), SOURCES.md.
GNOME_DESKTOP = {
    "az": (40, 96),
    "crh": (36, 44),
    "kk": (31, 19),
    "ky": (35, 73),
    "tk": (73, 23),
    "tr": (31, 0),
    "ug": (31, 108),
    "uz": (31, 84),
    "uz@cyrillic": (23, 14),
}


def gnome_desktop(samples: Path) -> list[Path]:
    return [samples / "po" / f"gnome-desktop_{lang}.po" for lang in GNOME_DESKTOP]


def run(paths: Iterable[Path], actor: Actor = CLI, **options: object) -> ImportReport:
    """Import ``paths`` as the service's callers do."""
    files = [ImportFile.local(path) for path in paths]
    return run_import(actor, files, ImportOptions(**options))  # type: ignore[arg-type]


def counts() -> tuple[int, int]:
    """(concepts, terms) in the database."""
    concepts = db.session.scalar(select(func.count(Concept.id)))
    terms = db.session.scalar(select(func.count(Term.id)))
    return int(concepts or 0), int(terms or 0)


def all_terms() -> set[tuple[str, str, str, str]]:
    """(concept uid, lang, text, status) of every term."""
    rows = db.session.execute(
        select(Concept.uid, Term.lang, Term.text, Term.status).join(
            Concept, Term.concept_id == Concept.id
        )
    )
    return {tuple(row) for row in rows}  # type: ignore[misc]


def copy_into(folder: Path, *paths: Path) -> list[Path]:
    """Copies of sample files (tests never touch the originals)."""
    return [Path(shutil.copy(path, folder / path.name)) for path in paths]


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def user_actor(app: object) -> object:
    """Make an actor of a given role backed by a real user row."""
    from glossary.services.actors import actor_for
    from glossary.services.users import create_user

    def make(role: str) -> Actor:
        user = create_user(CLI, f"{role}-user", role, "correct horse battery")
        return actor_for(user)

    return make


@pytest.fixture
def env(fresh_database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for `tamyr` run as a real process on a fresh, initialised database."""
    env = {"TAMYR_DATABASE_URL": fresh_database_url, "TAMYR_INSTANCE_DIR": str(tmp_path)}
    result = run_tamyr("init", env=env)
    assert result.returncode == 0, result.stderr
    return env


def stats(env: dict[str, str]) -> dict[str, object]:
    """`tamyr stats --json`."""
    result = run_tamyr("stats", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@contextmanager
def scratch_database(folder: Path) -> Iterator[str]:
    """An empty database of the kind under test for a module's worth of `tamyr` processes
    (``fresh_database_url`` is per test)."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{folder / 'scratch.sqlite3'}"
        return
    import psycopg

    name = f"tamyr_scratch_{uuid.uuid4().hex[:12]}"
    conninfo = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    admin = conninfo.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
