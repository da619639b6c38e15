"""`tamyr serve --demo`, the README's first command, answers real HTTP under gunicorn."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from tests.server_helpers import call, running_server


def test_serve_demo_runs_gunicorn_with_demo_data(tmp_path: Path):
    with running_server({"TAMYR_INSTANCE_DIR": str(tmp_path)}, "--demo", workers=2) as server:
        status, stats = call(server.base_url, "GET", "/api/v1/stats")
        assert status == 200
        assert stats["concepts"] > 1000
        assert len(server.worker_pids()) == 2
        with urllib.request.urlopen(server.base_url + "/", timeout=5) as response:
            assert response.status == 200
            assert b'type="search"' in response.read()
