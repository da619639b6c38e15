"""Structured request logs: one JSON line per request with its id; secrets never written."""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.cli_helpers import run_tamyr
from tests.ops.conftest import initialised_env
from tests.server_helpers import running_server

SECRET_KEY = "ops-test-secret-key-9f8e7d6c5b4a"
PASSWORD = "hunter2-correct-horse-battery"


def test_scrub_removes_credentials_whatever_logged_them():
    from glossary.ops.logs import JsonFormatter

    formatter = JsonFormatter(secrets=(SECRET_KEY,))
    record = logging.LogRecord(
        "glossary.x",
        logging.WARNING,
        __file__,
        1,
        "auth failed: Authorization: Bearer tmr_abc.DEF-123 password=%s key %s token: xyz987",
        (PASSWORD, SECRET_KEY),
        None,
    )
    line = formatter.format(record)
    entry = json.loads(line)
    for secret in ("tmr_abc.DEF-123", PASSWORD, SECRET_KEY, "xyz987"):
        assert secret not in line
    assert entry["level"] == "warning" and entry["logger"] == "glossary.x"
    assert "Bearer [redacted]" in entry["message"] and "password=[redacted]" in entry["message"]


def test_each_request_is_logged_with_its_fields(client, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.INFO, logger="glossary.requests"):
        response = client.get("/healthz?token=abc123", headers={"X-Request-ID": "req-1"})
    (record,) = [r for r in caplog.records if r.name == "glossary.requests"]
    fields = record.fields  # type: ignore[attr-defined]
    assert fields["request_id"] == response.headers["X-Request-ID"] == "req-1"
    assert fields["method"] == "GET" and fields["path"] == "/healthz"
    assert fields["status"] == 200 and fields["duration_ms"] >= 0
    assert "abc123" not in caplog.text


def _get(base_url: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(base_url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["X-Request-ID"]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Request-ID"]


def _post_form(base_url: str, path: str, form: dict[str, str]) -> int:
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(base_url + path, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_real_server_logs_json_lines_and_no_secrets(fresh_database_url: str, tmp_path: Path):
    env = initialised_env(fresh_database_url, tmp_path)
    env["TAMYR_SECRET_KEY"] = SECRET_KEY
    user = run_tamyr(
        "user",
        "create",
        "ops-editor",
        "--role",
        "editor",
        env=env,
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert user.returncode == 0, user.stderr
    made = run_tamyr("token", "create", "ops-editor", env=env)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().split()[-1]
    assert len(token) >= 20

    with running_server(env, workers=1) as server:
        status, request_id = _get(
            server.base_url, "/api/v1/stats", {"Authorization": f"Bearer {token}"}
        )
        assert status == 200
        _get(server.base_url, f"/api/v1/search?q=x&token={token}", {"X-Request-ID": "trace-42"})
        _post_form(server.base_url, "/login", {"username": "ops-editor", "password": PASSWORD})
        _get(server.base_url, f"/join/SECRET-{token[:8]}", {})
    output = server.output()

    for secret in (token, PASSWORD, SECRET_KEY, token[:8]):
        assert secret not in output, f"a secret leaked into the log: {secret[:4]}…"
    requests = [
        json.loads(line)
        for line in output.splitlines()
        if line.startswith("{") and '"glossary.requests"' in line
    ]
    by_id = {entry["request_id"]: entry for entry in requests}
    stats = by_id[request_id]
    assert stats["method"] == "GET" and stats["path"] == "/api/v1/stats"
    assert stats["status"] == 200 and isinstance(stats["duration_ms"], float)
    assert by_id["trace-42"]["path"] == "/api/v1/search"
    assert any(e["path"] == "/login" and e["method"] == "POST" for e in requests)
    assert any(e["path"].startswith("/join/") for e in requests)
