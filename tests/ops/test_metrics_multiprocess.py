"""Several gunicorn workers share their metrics through PROMETHEUS_MULTIPROC_DIR."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

from tests.ops.conftest import initialised_env
from tests.server_helpers import running_server

REQUESTS = 40


def _healthz_count(text: str) -> float:
    pattern = (
        r'tamyr_http_requests_total\{endpoint="/healthz",method="GET",status="200"\} ([0-9.e+]+)'
    )
    return sum(float(value) for value in re.findall(pattern, text))


def test_every_workers_requests_are_in_one_scrape(fresh_database_url: str, tmp_path: Path):
    env = initialised_env(fresh_database_url, tmp_path)
    folder = tmp_path / "metrics"
    folder.mkdir()
    env.update(TAMYR_SECRET_KEY="metrics-test-secret", PROMETHEUS_MULTIPROC_DIR=str(folder))
    with running_server(env, workers=2) as server:
        for _ in range(REQUESTS):
            with urllib.request.urlopen(server.base_url + "/healthz", timeout=30) as response:
                assert response.status == 200
        pids = {path.name for path in folder.glob("counter_*.db")}
        scrapes = []
        for _ in range(4):  # whichever worker answers, the totals are the same
            with urllib.request.urlopen(server.base_url + "/metrics", timeout=30) as response:
                scrapes.append(_healthz_count(response.read().decode()))
    assert len(pids) >= 2, "each worker (and the master, which built an app) writes its own file"
    assert scrapes == [REQUESTS] * 4
