"""Real `tamyr serve` processes (gunicorn) and a small JSON client for them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.cli_helpers import tamyr_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVING = "Tamyr on http"  # the line `tamyr serve` prints just before gunicorn starts


@dataclass
class Server:
    """A running `tamyr serve` whose output is read as it comes.

    Unread, the pipe fills with JSON request logs (64 KiB: a few hundred requests) and every
    worker blocks on its next log line; so a thread drains it into ``lines`` from the start.
    """

    process: subprocess.Popen[str]
    base_url: str
    lines: list[str] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)
    _drainer: threading.Thread | None = None

    def start_draining(self) -> None:
        def drain() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                with self._arrived:
                    self.lines.append(line)
                    self._arrived.notify_all()

        self._drainer = threading.Thread(target=drain, daemon=True)
        self._drainer.start()

    def output(self) -> str:
        """Everything printed so far (after the block: everything the server printed)."""
        with self._arrived:
            return "".join(self.lines)

    def printed_before_serving(self, timeout: float = 30) -> list[str]:
        """The lines `tamyr serve` printed before it started gunicorn."""
        with self._arrived:
            found = self._arrived.wait_for(
                lambda: any(line.startswith(SERVING) for line in self.lines), timeout
            )
            assert found, f"no {SERVING!r} line in:\n{''.join(self.lines)}"
            end = next(n for n, line in enumerate(self.lines) if line.startswith(SERVING))
            return self.lines[:end]

    def finish_output(self) -> None:
        if self._drainer is not None:
            self._drainer.join(timeout=30)

    def worker_pids(self) -> list[int]:
        """gunicorn's worker processes: the children of the master (this process)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def wait_for_workers(self, count: int, timeout: float = 60) -> list[int]:
        """The worker pids once ``count`` workers run: the first one may answer requests
        while gunicorn is still forking the others."""
        deadline = time.monotonic() + timeout
        while len(pids := self.worker_pids()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return pids


def call(
    base_url: str,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    token: str | None = None,
    timeout: float = 30,
) -> tuple[int, Any]:
    """One HTTP request; (status, parsed JSON body). Connection failures raise OSError."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base_url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, json.loads(payload) if payload else None


@contextmanager
def running_server(
    env: dict[str, str], *args: str, workers: int = 2, timeout: float = 120
) -> Iterator[Server]:
    """`tamyr serve` on a free port until the block ends; fails with the server's output."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    full_env.update(env)
    process = subprocess.Popen(
        [*tamyr_command(), "serve", "--port", str(port), "--workers", str(workers), *args],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    server.start_draining()
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                status, _ = call(server.base_url, "GET", "/api/v1/languages", timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                server.finish_output()
                raise AssertionError(f"tamyr serve did not come up:\n{server.output()}")
            time.sleep(0.3)
        yield server
    finally:
        _stop(process)
        server.finish_output()


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop the whole process group (gunicorn's master and workers), whatever is left of it."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        process.wait()
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
