"""`tamyr import` as a user runs it: a real process, real files, one transaction per command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_tamyr
from tests.imports.conftest import (
    GNOME_DESKTOP,
    gnome_desktop,
    stats,
    write_csv,
    write_xlsx,
)


def test_imports_gnome_po_and_reports_per_file(env: dict[str, str], samples: Path) -> None:
    files = [str(path) for path in gnome_desktop(samples)]
    result = run_tamyr("import", *files, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar without a terminal
    lines = result.stdout.splitlines()
    for path, (active, _obsolete) in zip(files, GNOME_DESKTOP.values(), strict=True):
        line = next(line for line in lines if line.startswith(f"{path} (po, en → "))
        assert f": {active} entries: " in line
    assert lines[-1].startswith("Imported 9 files: ")
    assert lines[-1].endswith("Search index: applied.")
    counts = stats(env)
    assert counts["concepts"] > 0 and counts["terms"] > counts["concepts"]
    again = run_tamyr("import", *files, "--json", env=env)
    report = json.loads(again.stdout)
    assert report["new_terms"] == 0 and report["new_concepts"] == 0 and report["committed"]
    assert stats(env) == counts


def test_json_quiet_dry_run_and_defer_index(
    env: dict[str, str], samples: Path, tmp_path: Path
) -> None:
    table = write_xlsx(
        tmp_path / "meetup.xlsx",
        [["en", "kk", "uz", "ug"], ["keyboard", "пернетақта", "klaviatura", "كۇنۇپكا تاختىسى"]],
    )
    dry = run_tamyr("import", str(table), "--dry-run", "--json", env=env)
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["dry_run"] and not report["committed"]
    assert (report["new_concepts"], report["new_terms"]) == (1, 4)
    assert stats(env)["terms"] == 0
    quiet = run_tamyr("import", str(table), "--quiet", "--defer-index", env=env)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == quiet.stderr == ""
    assert stats(env)["terms"] == 4
    check = run_tamyr("check", env=env)
    assert "wait for the search index" in check.stdout + check.stderr
    pending = run_tamyr("reindex", "--pending", env=env)
    assert pending.returncode == 0, pending.stderr
    found = run_tamyr("search", "пернетақта", "--json", env=env)
    assert found.returncode == 0, found.stderr
    assert any(row["text"] == "пернетақта" for row in json.loads(found.stdout)["results"])


def test_one_broken_file_fails_the_command(env: dict[str, str], samples: Path) -> None:
    broken = samples / "tbx" / "ltac_poorly_formed_xml.tbx"
    good = samples / "po" / "baobab_kk.po"
    result = run_tamyr("import", str(good), str(broken), env=env)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {broken}:42: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert stats(env)["concepts"] == 0
    skipped = run_tamyr("import", str(good), str(broken), "--skip-invalid", env=env)
    assert skipped.returncode == 0, skipped.stderr
    assert f"{broken}: skipped, {broken}:42: " in skipped.stdout
    assert stats(env)["concepts"] == 78


def test_invalid_rows_are_listed_with_their_lines(env: dict[str, str], tmp_path: Path) -> None:
    table = write_csv(
        tmp_path / "long.csv",
        [
            ["concept", "lang", "text", "status", "pos", "note"],
            ["", "tr", "ılık", "preferred", "adj", ""],
            ["", "tr", "ilik", "maybe", "noun", ""],
        ],
    )
    result = run_tamyr("import", str(table), env=env)
    assert result.returncode == 1
    assert f"{table}:3: error: unknown status 'maybe'" in result.stdout
    assert result.stderr.startswith("Error: nothing imported: 1 invalid entry in 1 file")
    assert stats(env)["terms"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.po"], "missing.po: cannot read the file: No such file"),
        (["--format", "docx", "x.po"], "unknown format 'docx'"),
        (["--meetup", "42", "{po}"], "no meetup '42'"),
    ],
)
def test_bad_requests_are_one_line(
    env: dict[str, str], samples: Path, args: list[str], message: str
) -> None:
    po = str(samples / "po" / "gnome-desktop_tr.po")
    result = run_tamyr("import", *[arg.format(po=po) for arg in args], env=env)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
