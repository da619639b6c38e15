"""What the HTTP benchmarks share: gunicorn on a free port, a one-shot client, latency records.

Every HTTP benchmark measures Tamyr next to ``FLOOR_APP`` (a Flask hello world) served by the
same :func:`gunicorn` settings in the same run, so a ratio says how much of the stack's speed
Tamyr keeps on this machine, whatever else the machine is doing.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
P99_TARGET_MS = 100
FLOOR_APP = """
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return {"hello": "world"}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(app: str, workers: int, env: dict[str, str], cwd: Path) -> Iterator[int]:
    """A gunicorn serving ``app`` (sync workers, as `tamyr serve`) until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--timeout", "120", "--backlog", "2048", app]
    server = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **env}, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request("GET", port, "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start: {' '.join(command)}")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def floor_server(workers: int, folder: Path) -> Iterator[int]:
    """:data:`FLOOR_APP` under the same gunicorn settings, from a file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hello_floor.py").write_text(FLOOR_APP, encoding="utf-8")
    with gunicorn("hello_floor:app", workers, {}, folder) as port:
        yield port


def request(
    method: str,
    port: int,
    path: str,
    body: Any = None,
    token: str | None = None,
    parse: bool = True,
) -> tuple[int, Any]:
    """One request on a new connection (sync workers close it anyway); (status, JSON or None).

    ``parse=False`` reads the body but leaves it unparsed: load clients only need the status.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        payload = json.dumps(body) if body is not None else None
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        is_json = "json" in (response.getheader("Content-Type") or "")
        return response.status, json.loads(data) if parse and data and is_json else None
    finally:
        connection.close()


@dataclass
class Run:
    """Latencies and statuses of one phase; thread-safe."""

    latencies: list[float] = field(default_factory=list)  # seconds
    statuses: Counter[int] = field(default_factory=Counter)
    acknowledged: set[tuple[str, int]] = field(default_factory=set)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, started: float, status: int, pair: tuple[str, int] | None = None) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses[status] += 1
            if status == 200 and pair is not None:
                self.acknowledged.add(pair)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Responses that are not a success (2xx or a redirect) plus failed connections (0)."""
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 400)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0


def line(name: str, run: Run) -> str:
    return (
        f"{name:<26} {len(run.latencies):>6} req  {run.per_second:>8.1f} /s  "
        f"p50 {run.percentile(0.5):>7.1f} ms  p99 {run.percentile(0.99):>7.1f} ms  "
        f"statuses {dict(run.statuses)}"
    )
