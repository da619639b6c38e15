"""`tamyr backup` / `tamyr restore`: a consistent, portable snapshot, restored whole or not."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from tests.cli_helpers import run_tamyr
from tests.ops.conftest import initialised_env, table_rows


def _backup_bytes() -> bytes:
    from glossary.services.backup import write_backup

    buffer = io.BytesIO()
    write_backup(buffer)
    return buffer.getvalue()


def _restore(data: bytes):
    from glossary.services.backup import restore_backup

    return restore_backup(io.BytesIO(data))


def db_dialect(app: Flask) -> str:
    return (
        "postgresql"
        if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgres")
        else "sqlite"
    )


def _concept_count() -> int:
    from glossary.extensions import db
    from glossary.models import Concept

    db.session.remove()
    return int(db.session.scalar(select(func.count(Concept.id))) or 0)


def _empty_again(app: Flask) -> None:
    from tests.conftest import _wipe

    _wipe(app)


@pytest.fixture
def backup_of_populated(populated: Flask) -> bytes:
    """A backup of the populated termbase, then the database emptied back to its languages."""
    data = _backup_bytes()
    _empty_again(populated)
    return data


@pytest.fixture
def backup_file(populated: Flask, tmp_path: Path) -> Path:
    """A backup written by the real command from the test database."""
    env = {"TAMYR_DATABASE_URL": str(populated.config["SQLALCHEMY_DATABASE_URI"])}
    target = tmp_path / "termbase.tamyr.jsonl.gz"
    result = run_tamyr(
        "backup", "-o", str(target), env={**env, "TAMYR_INSTANCE_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert "Backed up 3 concepts" in result.stdout and "12 votes" in result.stdout
    return target


def test_the_file_is_versioned_gzip_json_lines_with_counts(backup_file: Path, app: Flask):
    with gzip.open(backup_file, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
        rest = [json.loads(line) for line in lines]
    assert header["format"] == "tamyr-backup" and header["version"] == 1
    assert header["schema"] and header["created"]
    assert header["dialect"] == db_dialect(app)
    assert header["counts"]["votes"] > 0 and header["counts"]["history"] > 0
    assert "search_outbox" not in header["counts"]  # derived data, rebuilt on restore
    headings = [line["table"] for line in rest if isinstance(line, dict) and "table" in line]
    assert headings == list(header["counts"])
    assert rest[-1] == {"end": "tamyr-backup", "rows": sum(header["counts"].values())}


def test_round_trip_between_databases_keeps_every_row(
    populated: Flask, fresh_database_url: str, tmp_path: Path
):
    """The test database → SQLite file → a fresh database of the kind under test (PostgreSQL
    in CI): every table holds the same rows at each step, ids, hashes and history included."""
    source_url = str(populated.config["SQLALCHEMY_DATABASE_URI"])
    first = tmp_path / "first.gz"
    first.write_bytes(_backup_bytes())
    original = table_rows(source_url)
    assert original["votes"] and original["api_tokens"] and original["comments"]

    hop_url = f"sqlite:///{tmp_path / 'hop.sqlite3'}"
    hop = initialised_env(hop_url, tmp_path / "hop")
    restored = run_tamyr("restore", str(first), env=hop)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout and "search index:" in restored.stdout
    assert table_rows(hop_url) == original

    second = tmp_path / "second.gz"
    assert run_tamyr("backup", "--quiet", "-o", str(second), env=hop).returncode == 0
    back = initialised_env(fresh_database_url, tmp_path / "back")
    result = run_tamyr("restore", "--quiet", str(second), env=back)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert table_rows(fresh_database_url) == original
    check = run_tamyr("check", env=back)
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_rebuilds_search_and_new_rows_get_fresh_ids(app: Flask, backup_of_populated: bytes):
    from glossary.services.actors import CLI
    from glossary.services.search import search_terms
    from glossary.services.terms import create_concept

    result = _restore(backup_of_populated)
    assert result.indexed and result.index_error is None
    assert _concept_count() == result.counts["concepts"] == 3
    assert [row.term.text for row in search_terms("дерекқор 2", lang="kk", limit=1).rows] == [
        "дерекқор 2"
    ]
    # Restored ids are kept; the id sequences (PostgreSQL) moved past them.
    concept = create_concept(CLI, domain="test", terms=[{"lang": "en", "text": "x-ray"}])
    assert concept.id > 3


def test_restore_into_a_database_with_data_refuses_and_changes_nothing(
    populated: Flask, tmp_path: Path
):
    from glossary.services.backup_format import BackupError

    data = _backup_bytes()
    before = table_rows(str(populated.config["SQLALCHEMY_DATABASE_URI"]))
    with pytest.raises(BackupError, match=r"not empty .*tamyr init"):
        _restore(data)
    assert table_rows(str(populated.config["SQLALCHEMY_DATABASE_URI"])) == before


def test_cli_refusal_is_one_clear_line(backup_file: Path, tmp_path: Path, app: Flask):
    env = {
        "TAMYR_DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "TAMYR_INSTANCE_DIR": str(tmp_path),
    }
    result = run_tamyr("restore", str(backup_file), env=env)
    assert result.returncode == 1
    assert "not empty" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    missing = run_tamyr("restore", str(tmp_path / "nope.gz"), env=env)
    assert missing.returncode != 0 and "no backup file" in missing.stderr


def _damaged_versions(data: bytes) -> dict[str, bytes]:
    lines = gzip.decompress(data).splitlines(keepends=True)
    middle = len(lines) // 2
    return {
        "cut in half": data[: len(data) // 2],
        "cut at a line boundary": gzip.compress(b"".join(lines[:middle])),
        "no closing line": gzip.compress(b"".join(lines[:-1])),
        "a flipped byte": data[:200] + bytes([data[200] ^ 0xFF]) + data[201:],
        "a row dropped": gzip.compress(b"".join(lines[:middle] + lines[middle + 1 :])),
        "not gzip": b"concept,term\n1,x\n",
        "a duplicate row": gzip.compress(
            b"".join([*lines[:middle], lines[middle - 1], *lines[middle:]])
        ),
    }


@pytest.mark.parametrize(
    "damage",
    [
        "cut in half",
        "cut at a line boundary",
        "no closing line",
        "a flipped byte",
        "a row dropped",
        "not gzip",
        "a duplicate row",
    ],
)
def test_a_damaged_file_restores_nothing(app: Flask, backup_of_populated: bytes, damage: str):
    from glossary.extensions import db
    from glossary.models import Language
    from glossary.services.backup_format import BackupError

    languages_before = table_rows(str(app.config["SQLALCHEMY_DATABASE_URI"]))["languages"]
    damaged = _damaged_versions(backup_of_populated)[damage]
    with pytest.raises(BackupError):
        _restore(damaged)
    assert _concept_count() == 0
    assert db.session.scalar(select(func.count(Language.tag)))
    assert table_rows(str(app.config["SQLALCHEMY_DATABASE_URI"]))["languages"] == languages_before


def test_a_backup_sees_one_moment_while_others_write(populated: Flask):
    """A concept committed while the backup streams is not in it, and the file is whole."""
    from glossary.extensions import db
    from glossary.models import Concept
    from glossary.services.backup import write_backup
    from glossary.services.backup_format import BackupReader

    concepts = _concept_count()
    written: list[int] = []

    def write_meanwhile(done: int, total: int) -> None:
        if not written:
            with db.engine.begin() as other:  # another connection, committed at once
                other.execute(insert(Concept.__table__).values(uid="meanwhile-0000", domain="x"))
            written.append(done)

    buffer = io.BytesIO()
    header = write_backup(buffer, write_meanwhile)
    assert written and written[0] < header.rows  # the write really happened mid-stream
    assert header.counts["concepts"] == concepts
    assert _concept_count() == concepts + 1
    reader = BackupReader(io.BytesIO(buffer.getvalue()))
    uids = []
    for section in reader.sections():
        for row in section.rows:
            if section.table == "concepts":
                uids.append(row[section.columns.index("uid")])
    assert len(uids) == concepts and "meanwhile-0000" not in uids
