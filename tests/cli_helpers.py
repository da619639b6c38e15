"""Running the real `tamyr` command in a child process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def tamyr_command() -> list[str]:
    script = Path(sys.executable).with_name("tamyr")
    return [str(script)] if script.exists() else [sys.executable, "-m", "glossary.cli"]


def run_tamyr(
    *args: str, env: dict[str, str], input: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    full_env.update(env)
    return subprocess.run(
        [*tamyr_command(), *args],
        env=full_env,
        input=input,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
