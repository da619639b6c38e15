"""Running one benchmark step in a child process: wall time, CPU time and its own peak RSS.

Each step runs alone in a child so ``wait4`` reports that step's peak RSS and CPU seconds
(user + system: what a loaded, shared machine distorts least), never the parent's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Run:
    name: str
    seconds: float
    cpu: float  # user + system seconds
    peak_mb: float
    returncode: int
    error: str = ""
    output: dict[str, Any] = field(default_factory=dict)  # a JSON object the child printed

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command`` as a child and read its own peak RSS from wait4 (Linux: KiB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        # wait4, not wait(): it also returns the child's own resource usage.
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        error = err.read().strip()[-300:]
    last = lines[-1] if lines else ""
    output = json.loads(last) if last.startswith("{") else {}
    cpu = usage.ru_utime + usage.ru_stime
    return Run(name, seconds, cpu, usage.ru_maxrss / 1024, child.returncode, error, output)


def tamyr(*args: str) -> list[str]:
    """The `tamyr` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("tamyr")
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "glossary.cli"]
    return [*prefix, *args]


def fresh_env(folder: Path, database: str | None, label: str) -> dict[str, str]:
    """Environment for a freshly initialised Tamyr (SQLite under ``folder`` by default)."""
    url = database or f"sqlite:///{folder / f'{label}.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    env.update(TAMYR_DATABASE_URL=url, TAMYR_INSTANCE_DIR=str(folder / label))
    if database:
        _reset_postgres(database)
    init = subprocess.run(tamyr("init"), env=env, capture_output=True, text=True)
    if init.returncode:
        sys.exit(f"tamyr init failed: {init.stderr.strip()}")
    return env


def _reset_postgres(url: str) -> None:
    import psycopg
    from sqlalchemy import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
