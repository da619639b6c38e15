"""The README's API walk-through runs, as written, against a real `tamyr serve`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from tests.cli_helpers import run_tamyr
from tests.server_helpers import running_server

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

README = Path(__file__).resolve().parents[1] / "README.md"
FIRST_LINE = re.compile(r"TAMYR_URL=\S+ TOKEN=\S+ +# .*")


def api_walkthrough() -> str:
    """The first ``sh`` block of the README's "The HTTP API" section, minus its first line
    (which only says where TAMYR_URL and TOKEN come from; the test sets them)."""
    section = README.read_text(encoding="utf-8").split("## The HTTP API", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    first, rest = block.split("\n", 1)
    assert FIRST_LINE.fullmatch(first), first
    return rest


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's examples use curl")
def test_the_readme_api_walkthrough_works(tmp_path: Path) -> None:
    env = {"TAMYR_INSTANCE_DIR": str(tmp_path / "instance"), "TAMYR_SECRET_KEY": "readme-test"}
    assert run_tamyr("init", env=env).returncode == 0
    password = "a long passphrase\n"
    created = run_tamyr("user", "create", "aigerim", "--role", "admin", env=env, input=password * 2)
    assert created.returncode == 0, created.stderr
    token = run_tamyr("token", "create", "aigerim", env=env).stdout.strip().splitlines()[-1]

    with running_server(env, workers=1) as server:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", api_walkthrough()],
            env={"PATH": "/usr/bin:/bin", "TAMYR_URL": server.base_url, "TOKEN": token},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr + result.stdout
    out = result.stdout
    assert '"match":"script"' in out and '"text":"дерекқор"' in out
    assert '"surface":"Дерекқорлар"' in out and '"surface":"деректер қорын"' in out
    assert '"result":"winner"' in out

    stats = json.loads(out.strip().splitlines()[-1])
    assert stats == {"concepts": 1, "terms": 5, "languages": 4, "meetups": 1, "votes": 1}
    catalogue = polib.pofile(str(tmp_path / "tamyr-en-kk.po"))
    [entry] = [e for e in catalogue if e.msgid == "database"]
    assert entry.msgstr == "дерекқор" and "fuzzy" not in entry.flags  # preferred by the vote
    assert re.fullmatch(r"[0-9a-f-]{36}", entry.msgctxt or "")
