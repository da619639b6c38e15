"""The `tamyr` command, run as a real process against a fresh database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_tamyr


@pytest.fixture
def env(fresh_database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"TAMYR_DATABASE_URL": fresh_database_url, "TAMYR_INSTANCE_DIR": str(tmp_path)}


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
