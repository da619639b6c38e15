"""`tamyr export`: files, standard output, one file per PO pair, clear one-line errors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import Result
from flask import Flask
from lxml import etree

from glossary.cli.exchange import export_command
from tests.cli_helpers import run_tamyr
from tests.conftest import PROCESS_SEARCH_BACKEND
from tests.exporters.conftest import Termbase, read_back


def invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(export_command, list(args))


def test_writes_a_file_and_says_so(app: Flask, termbase: Termbase, tmp_path: Path) -> None:
    target = tmp_path / "terms.tmx"
    result = invoke(app, "--format", "tmx", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Exported 5 concepts as TMX to {target}\n"
    assert len(read_back(target)) == 5
    assert not list(tmp_path.glob(".*.part"))


def test_dash_writes_to_standard_output(app: Flask, termbase: Termbase) -> None:
    result = invoke(app, "--format", "tbx", "-o", "-", "--lang", "kk", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    root = etree.fromstring(result.stdout_bytes)
    assert root.get("type") == "TBX-Basic"


def test_standard_output_is_the_default(app: Flask, termbase: Termbase) -> None:
    result = invoke(app, "--format", "csv", "--layout", "long", "--status", "preferred", "--quiet")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "concept,lang,text,status,pos,note"
    # The English pivot stays whatever its status; every other term is preferred.
    assert all(",preferred," in line for line in lines[1:] if ",en," not in line)
    assert any(",en,data bank,deprecated," in line for line in lines)


def test_po_pairs_go_to_a_directory(app: Flask, termbase: Termbase, tmp_path: Path) -> None:
    folder = tmp_path / "po"
    result = invoke(
        app, "--format", "po", "--lang", "kk", "--lang", "tr", "--lang", "uz", "-o", f"{folder}/"
    )
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["tamyr-en-kk.po", "tamyr-en-tr.po", "tamyr-en-uz.po"]
    assert polib.pofile(str(folder / "tamyr-en-uz.po")).metadata["Language"] == "uz"
    assert len(result.stderr.splitlines()) == 3


def test_directory_output_uses_the_standard_name(
    app: Flask, termbase: Termbase, tmp_path: Path
) -> None:
    result = invoke(app, "--format", "xlsx", "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tamyr.xlsx").is_file()


def test_skipped_concepts_are_counted(app: Flask, termbase: Termbase, tmp_path: Path) -> None:
    result = invoke(app, "--format", "po", "--lang", "kk", "-o", str(tmp_path / "kk.po"))
    assert result.exit_code == 0, result.output
    assert "Exported 4 concepts as PO" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--format is required"),
        (["--format", "docx"], "unknown export format 'docx'"),
        (["--format", "po"], "one file per language pair"),
        (["--format", "po", "--lang", "kk", "--lang", "tr"], "-o DIRECTORY"),
        (["--format", "tmx", "--status", "approved"], "unknown status 'approved'"),
        (["--format", "tbx", "--layout", "long"], "csv and xlsx"),
        (["--format", "csv", "--meetup", "42"], "no meetup with id 42"),
        (["--format", "tmx", "--lang", "not a tag"], "not a tag"),
    ],
)
def test_errors_are_one_clear_line(app: Flask, args: list[str], message: str) -> None:
    result = invoke(app, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr


def test_unwritable_target_is_a_clear_error(app: Flask, termbase: Termbase, tmp_path: Path) -> None:
    result = invoke(app, "--format", "csv", "-o", str(tmp_path / "missing" / "dir" / "x.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")


def test_a_failed_export_leaves_no_file(
    app: Flask, termbase: Termbase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "terms.tbx"
    target.write_text("the previous export")

    def broken(*args: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr("glossary.services.exports._batch_definitions", broken)
    result = invoke(app, "--format", "tbx", "-o", str(target))
    assert result.exit_code != 0
    assert target.read_text() == "the previous export"
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_real_process_exports_the_demo_termbase(fresh_database_url: str, tmp_path: Path) -> None:
    env = {
        "TAMYR_DATABASE_URL": fresh_database_url,
        "TAMYR_INSTANCE_DIR": str(tmp_path),
        "TAMYR_SEARCH_BACKEND": PROCESS_SEARCH_BACKEND,
    }
    for step in (["init"], ["demo", "--quiet"]):
        result = run_tamyr(*step, env=env)
        assert result.returncode == 0, result.stderr
    target = tmp_path / "kk.po"
    result = run_tamyr("export", "--format", "po", "--lang", "kk", "-o", str(target), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Exported ")
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(target)], capture_output=True)
    assert check.returncode == 0, check.stderr
    result = run_tamyr("export", "--format", "tmx", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">')
