"""The README's "Operations" and "Deploying at scale" commands, run as written.

Only what cannot exist on a test machine is swapped: the placeholder hosts, the secret-key file
and the metrics folder; the port is a free one and the server is stopped at the end.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import tamyr_command
from tests.conftest import TEST_DATABASE_URL
from tests.ops.conftest import table_rows
from tests.server_helpers import free_port

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_block(heading: str) -> str:
    """The first ```sh block under ``## heading``."""
    section = README.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found, f"no sh block under {heading}"
    return found.group(1)


def run_bash(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    # `tamyr` as the README spells it: the venv's console script first on PATH
    bin_dir = str(Path(tamyr_command()[0]).parent)
    full_env.update(env, PATH=f"{bin_dir}:{full_env.get('PATH', '')}")
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_operations_commands_back_up_and_restore_into_an_empty_database(
    populated, fresh_database_url, tmp_path
):
    source = populated.config["SQLALCHEMY_DATABASE_URI"]
    env = {
        "TAMYR_DATABASE_URL": source,
        "TAMYR_INSTANCE_DIR": str(tmp_path / "instance"),
        "EMPTY_DATABASE_URL": fresh_database_url,
    }
    block = readme_block("Operations")
    assert "tamyr backup" in block and "tamyr restore" in block and "tamyr check" in block
    result = run_bash(block, env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "tamyr-2026-11-25.jsonl.gz").stat().st_size > 0
    assert table_rows(fresh_database_url) == table_rows(source)


@pytest.mark.skipif(
    not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="the scaled-out deployment is PostgreSQL's; run with TAMYR_TEST_DATABASE_URL",
)
def test_the_deploying_at_scale_commands_bring_up_a_ready_node(fresh_database_url, tmp_path):
    block = readme_block("Deploying at scale")
    port = free_port()
    (tmp_path / "secret-key").write_text("deploy-test-secret-key", encoding="utf-8")
    swaps = {
        "postgresql+psycopg://tamyr@db.internal/tamyr": fresh_database_url,
        "redis://redis.internal:6379/0": "redis://127.0.0.1:6379/4",
        "/etc/tamyr/secret-key": str(tmp_path / "secret-key"),
        "/run/tamyr-metrics": str(tmp_path / "metrics"),
        "--host 0.0.0.0 --port 5000": f"--host 127.0.0.1 --port {port}",
        "node-1.internal:5000": f"127.0.0.1:{port}",
    }
    for placeholder, value in swaps.items():
        assert placeholder in block, placeholder  # the README still says what we swap
        block = block.replace(placeholder, value)
    # The server runs in the background until the probes have answered.
    serve = re.search(r"^tamyr serve .*$", block, re.M)
    assert serve, "the block starts no server"
    started = (
        f"{serve.group(0)} &\nserver=$!\ntrap 'kill $server; wait $server || true' EXIT\n"
        f"for _ in $(seq 200); do curl -fs http://127.0.0.1:{port}/healthz >/dev/null && break;"
        " sleep 0.3; done\n"
    )
    block = block.replace(serve.group(0) + "\n", started)
    result = run_bash(block, {}, tmp_path)
    # curl -f: readiness answered 200, i.e. the database and the postgres search answer
    assert result.returncode == 0, result.stdout + result.stderr
    assert '{"status":"ok"}' in result.stdout.replace(" ", "")
    assert any((tmp_path / "metrics").iterdir())  # the workers wrote their samples there
