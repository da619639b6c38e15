"""`tamyr serve --demo`, the README's first command, answers real HTTP under gunicorn."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.cli_helpers import tamyr_command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_serve_demo_runs_gunicorn_with_demo_data(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    env["TAMYR_INSTANCE_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [*tamyr_command(), "serve", "--demo", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/api/v1/stats")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read() if server.stdout else "") from None
                time.sleep(0.3)
        assert status == 200
        assert json.loads(body)["concepts"] > 1000
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b'type="search"' in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
