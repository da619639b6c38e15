"""Schemathesis's own CLI against a real `tamyr serve` (gunicorn), as an outside client sees it.

The in-process run (test_schemathesis.py) reaches every handler with real ids; this one goes
through the real HTTP stack too: gunicorn's request limits, headers, encodings. It runs
`st run <url>/api/v1/openapi.json` with a fixed seed, bounded examples and a time budget, once
anonymously and once with an admin token, and fails on anything schemathesis reports.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import run_tamyr
from tests.server_helpers import Server, call, running_server

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)
SEED = "20260601"
MAX_EXAMPLES = "15"
MAX_SECONDS = "60"  # per run; with two runs and the server's start, well under four minutes


def st_command() -> list[str]:
    script = Path(sys.executable).with_name("st")
    return [str(script)] if script.exists() else [shutil.which("st") or "st"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A served termbase with a concept, a meetup and an open ballot, and an admin token."""
    folder = tmp_path_factory.mktemp("live")
    env = {"TAMYR_INSTANCE_DIR": str(folder), "TAMYR_SECRET_KEY": "schemathesis-live"}
    assert run_tamyr("init", env=env).returncode == 0
    password = "a long passphrase\n"
    made = run_tamyr("user", "create", "fuzzer", "--role", "admin", env=env, input=password * 2)
    assert made.returncode == 0, made.stderr
    token = run_tamyr("token", "create", "fuzzer", env=env).stdout.strip().splitlines()[-1]
    with running_server(env, workers=2) as server:
        concept = {
            "domain": "computing",
            "definitions": {"en": "an organised collection of data"},
            "terms": [
                {"lang": "en", "text": "database", "status": "preferred"},
                {"lang": "kk", "text": "дерекқор"},
            ],
        }
        status, created = call(server.base_url, "POST", "/api/v1/concepts", concept, token=token)
        assert status == 201, created
        meetup = {"name": "Kazan", "place": "Kazan", "quorum": 1, "threshold": 0.5}
        status, body = call(server.base_url, "POST", "/api/v1/meetups", meetup, token=token)
        assert status == 201, body
        ballot = {"concept": created["uid"], "lang": "kk"}
        path = f"/api/v1/meetups/{body['id']}/ballots"
        status, opened = call(server.base_url, "POST", path, ballot, token=token)
        assert status == 201, opened
        yield server, token


def schemathesis(server: Server, *headers: str) -> subprocess.CompletedProcess[str]:
    command = [
        *st_command(),
        "run",
        f"{server.base_url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--seed",
        SEED,
        "--max-examples",
        MAX_EXAMPLES,
        "--max-time",
        MAX_SECONDS,
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        *[arg for header in headers for arg in ("-H", header)],
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)


def test_the_live_api_conforms_anonymously(live: tuple[Server, str]) -> None:
    server, _token = live
    result = schemathesis(server)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "No issues found" in result.stdout or " passed" in result.stdout


def test_the_live_api_conforms_with_an_admin_token(live: tuple[Server, str]) -> None:
    server, token = live
    result = schemathesis(server, f"Authorization: Bearer {token}")
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert server.process.poll() is None  # the server survived the run
