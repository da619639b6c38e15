"""The `tamyr` command, run as a real process against a fresh database."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

from tests.cli_helpers import run_tamyr, tamyr_command
from tests.conftest import PROCESS_SEARCH_BACKEND


@pytest.fixture
def env(fresh_database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "TAMYR_DATABASE_URL": fresh_database_url,
        "TAMYR_INSTANCE_DIR": str(tmp_path),
        "TAMYR_SEARCH_BACKEND": PROCESS_SEARCH_BACKEND,
    }


@pytest.fixture
def initialised(env: dict[str, str]) -> dict[str, str]:
    result = run_tamyr("init", env=env)
    assert result.returncode == 0, result.stderr
    return env


def test_help_lists_the_whole_contract(env):
    result = run_tamyr("--help", env=env)
    assert result.returncode == 0
    for command in (
        "init",
        "serve",
        "import",
        "export",
        "search",
        "lookup",
        "reindex",
        "check",
        "user",
        "token",
        "demo",
        "backup",
        "restore",
        "bundle",
        "stats",
    ):
        assert f"  {command} " in result.stdout, command


def test_init_then_check_then_stats(initialised):
    assert "registered languages" in run_tamyr("init", env=initialised).stdout  # idempotent
    check = run_tamyr("check", env=initialised)
    assert check.returncode == 0, check.stderr
    stats = run_tamyr("stats", "--json", env=initialised)
    assert json.loads(stats.stdout) == {
        "concepts": 0,
        "terms": 0,
        "languages": 0,
        "meetups": 0,
        "votes": 0,
    }


def test_check_on_an_empty_database_says_run_init(env):
    result = run_tamyr("check", env=env)
    assert result.returncode == 1
    assert "tamyr init" in result.stderr


def test_user_create_reads_the_password_twice_from_stdin(initialised):
    result = run_tamyr(
        "user",
        "create",
        "aigerim",
        "--role",
        "moderator",
        env=initialised,
        input="a long passphrase\na long passphrase\n",
    )
    assert result.returncode == 0, result.stderr
    assert "moderator aigerim" in result.stdout
    again = run_tamyr(
        "user", "create", "aigerim", env=initialised, input="a long passphrase\na long passphrase\n"
    )
    assert again.returncode == 1 and "already exists" in again.stderr


def test_user_create_refuses_mismatched_or_short_passwords(initialised):
    mismatch = run_tamyr(
        "user", "create", "bolat", env=initialised, input="a long passphrase\nanother passphrase\n"
    )
    assert mismatch.returncode == 1 and "differ" in mismatch.stderr
    short = run_tamyr("user", "create", "bolat", env=initialised, input="short\nshort\n")
    assert short.returncode == 1 and "at least 10" in short.stderr
    assert "Traceback" not in mismatch.stderr + short.stderr


def test_token_create_prints_the_token_last(initialised):
    run_tamyr(
        "user",
        "create",
        "bot",
        "--role",
        "editor",
        env=initialised,
        input="a long passphrase\na long passphrase\n",
    )
    result = run_tamyr("token", "create", "bot", env=initialised)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("tamyr_") and len(token) > 40
    missing = run_tamyr("token", "create", "nobody", env=initialised)
    assert missing.returncode == 1 and "no user named 'nobody'" in missing.stderr


def test_demo_loads_thousands_of_concepts_idempotently(initialised):
    result = run_tamyr("demo", env=initialised)
    assert result.returncode == 0, result.stderr
    stats = json.loads(run_tamyr("stats", "--json", env=initialised).stdout)
    assert stats["concepts"] > 1000 and stats["terms"] > 10000 and stats["languages"] >= 12
    assert stats["meetups"] == 1 and stats["votes"] > 0
    assert run_tamyr("demo", env=initialised).returncode == 0
    assert json.loads(run_tamyr("stats", "--json", env=initialised).stdout) == stats
    check = run_tamyr("check", env=initialised)
    assert check.returncode == 0, check.stdout + check.stderr


def test_serve_without_a_secret_key_is_one_clear_line(initialised):
    result = run_tamyr("serve", "--port", "5999", env=initialised, timeout=60)
    assert result.returncode == 1
    assert "TAMYR_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


# -- progress on a terminal (DESIGN.md §6) -----------------------------------------------------


def run_on_terminal(*args: str, env: dict[str, str], timeout: float = 120) -> tuple[int, str]:
    """Run `tamyr` with stdin, stdout and stderr on a pseudo-terminal, as a person at a shell
    does; (exit status, everything it drew, escape sequences included)."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    # Variables that would force rich's terminal detection either way are the caller's, not ours.
    forcing = {"FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"}
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith("TAMYR_") and k not in forcing
    }
    full_env.update(env, TERM="xterm-256color")
    process = subprocess.Popen(
        [*tamyr_command(), *args], stdin=child, stdout=child, stderr=child, env=full_env
    )
    os.close(child)
    drawn = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not select.select([main], [], [], 1)[0]:
                continue
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: every process holding the terminal has exited
                break
            if not chunk:
                break
            drawn += chunk
        else:
            process.kill()
            raise AssertionError(f"tamyr {' '.join(args)} did not finish: {drawn[-500:]!r}")
    finally:
        os.close(main)
    return process.wait(timeout=30), drawn.decode("utf-8", "replace")


HIDE_CURSOR = "\x1b[?25l"  # rich hides the cursor while a live bar is drawn


def test_import_and_export_draw_a_progress_bar_on_a_terminal_unless_quiet(initialised, tmp_path):
    table = tmp_path / "terms.csv"
    table.write_text("en,kk,tr\nbook,кітап,kitap\nwater,су,su\n", encoding="utf-8")

    status, drawn = run_on_terminal("import", str(table), env=initialised)
    assert status == 0, drawn
    assert HIDE_CURSOR in drawn
    assert f"Importing {table}" in drawn and "2 entries" in drawn
    assert "Imported 1 files: 2 new concepts" in drawn  # the report still follows the bar
    status, drawn = run_on_terminal("import", str(table), "--quiet", env=initialised)
    assert (status, drawn) == (0, "")

    exported = tmp_path / "out.csv"
    status, drawn = run_on_terminal(
        "export", "--format", "csv", "-o", str(exported), env=initialised
    )
    assert status == 0, drawn
    assert HIDE_CURSOR in drawn
    assert "Exporting CSV" in drawn and "100%" in drawn
    assert f"Exported 2 concepts as CSV to {exported}" in drawn
    quiet = tmp_path / "quiet.csv"
    status, drawn = run_on_terminal(
        "export", "--format", "csv", "-o", str(quiet), "--quiet", env=initialised
    )
    assert (status, drawn) == (0, "")
    assert quiet.read_bytes() == exported.read_bytes()

    # The same command off a terminal: the summary line, no bar and no escape sequences.
    piped = run_tamyr("export", "--format", "csv", "-o", str(quiet), env=initialised)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == f"Exported 2 concepts as CSV to {quiet}\n"
