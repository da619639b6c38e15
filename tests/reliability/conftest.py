"""A real, initialised database of the kind under test, with an admin token, for real processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import run_tamyr


@pytest.fixture
def node_env(fresh_database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment of one Tamyr node on an initialised, empty database."""
    env = {
        "TAMYR_DATABASE_URL": fresh_database_url,
        "TAMYR_INSTANCE_DIR": str(tmp_path / "instance"),
        "TAMYR_SECRET_KEY": "reliability-tests-secret",
    }
    result = run_tamyr("init", env=env)
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture
def cli_admin_token(node_env: dict[str, str]) -> str:
    password = "a long admin passphrase"
    created = run_tamyr(
        "user", "create", "root", "--role", "admin", env=node_env, input=f"{password}\n" * 2
    )
    assert created.returncode == 0, created.stderr
    token = run_tamyr("token", "create", "root", env=node_env)
    assert token.returncode == 0, token.stderr
    return token.stdout.strip().splitlines()[-1]
