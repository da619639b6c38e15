"""Crash safety with real processes and `kill -9`: nothing half-written, no acked vote lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from tests.cli_helpers import run_tamyr, tamyr_command
from tests.server_helpers import call, running_server

# Letters that exercise the Turkic paths of folding and keys on every unit.
KAZAKH, TURKISH = "әғқңөұүһі", "çğıİöşü"


def _write_big_tmx(path: Path, units: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t"'
            ' creationtoolversion="1" segtype="phrase" o-tmf="t" adminlang="en" srclang="en"'
            ' datatype="plaintext"/><body>\n'
        )
        for n in range(units):
            out.write(
                f'<tu><tuv xml:lang="en"><seg>concept {n}</seg></tuv>'
                f'<tuv xml:lang="kk"><seg>ұғым{KAZAKH[n % 9]} {n}</seg></tuv>'
                f'<tuv xml:lang="tr"><seg>kavram{TURKISH[n % 7]} {n}</seg></tuv></tu>\n'
            )
        out.write("</body></tmx>\n")


def _stats(env: dict[str, str]) -> dict[str, object]:
    result = run_tamyr("stats", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _full_env(env: dict[str, str]) -> dict[str, str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("TAMYR_")}
    full.update(env)
    return full


def test_kill_9_during_import_leaves_the_database_unchanged(node_env, tmp_path):
    small = tmp_path / "small.tmx"
    _write_big_tmx(small, 3)
    assert run_tamyr("import", str(small), "--quiet", env=node_env).returncode == 0
    before = _stats(node_env)

    big = tmp_path / "big.tmx"
    _write_big_tmx(big, 150_000)
    importer = subprocess.Popen(
        [*tamyr_command(), "import", str(big), "--quiet"],
        env=_full_env(node_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(4)
    assert importer.poll() is None, "the import finished before the kill; make the file bigger"
    os.killpg(importer.pid, signal.SIGKILL)
    importer.wait()

    assert _stats(node_env) == before
    check = run_tamyr("check", env=node_env)
    assert check.returncode == 0, check.stdout + check.stderr
    # The database is usable at once: the same import now runs to the end.
    again = run_tamyr("import", str(small), "--quiet", env=node_env)
    assert again.returncode == 0, again.stderr


def _meetup_with_ballot(base_url: str, token: str) -> tuple[int, str, list[int]]:
    """A meetup with an open ballot on a kk slot holding two candidates; (id, code, term ids)."""
    status, concept = call(
        base_url,
        "POST",
        "/api/v1/concepts",
        {"terms": [{"lang": "kk", "text": "дерекқор"}, {"lang": "kk", "text": "деректер қоры"}]},
        token,
    )
    assert status == 201, concept
    status, meetup = call(
        base_url,
        "POST",
        "/api/v1/meetups",
        {"name": "Crash meetup", "place": "Almaty", "quorum": 1, "threshold": 0.6, "secret": True},
        token,
    )
    assert status == 201, meetup
    status, ballot = call(
        base_url,
        "POST",
        f"/api/v1/meetups/{meetup['id']}/ballots",
        {"concept": concept["uid"], "lang": "kk"},
        token,
    )
    assert status == 201, ballot
    return meetup["id"], meetup["join_code"], [term["id"] for term in concept["terms"]]


def test_kill_9_of_a_worker_during_voting_keeps_every_acknowledged_vote(node_env, cli_admin_token):
    participants = 60
    with running_server(node_env, workers=2) as server:
        meetup_id, code, terms = _meetup_with_ballot(server.base_url, cli_admin_token)
        tokens = []
        for n in range(participants):
            status, joined = call(
                server.base_url,
                "POST",
                f"/api/v1/meetups/{meetup_id}/join",
                {"code": code, "name": f"Volunteer {n}"},
            )
            assert status == 201, joined
            tokens.append(joined["token"])

        acknowledged: dict[tuple[int, int], int] = {}
        lock = threading.Lock()

        def vote(token: str, index: int) -> None:
            # Each voter approves one candidate and objects to the other.
            for term, value in ((terms[index % 2], 1), (terms[(index + 1) % 2], -1)):
                try:
                    status, _ = call(
                        server.base_url,
                        "PUT",
                        f"/api/v1/terms/{term}/vote",
                        {"value": value},
                        token,
                    )
                except OSError:
                    continue  # the connection died with the worker: not acknowledged
                if status == 200:
                    with lock:
                        acknowledged[(index, term)] = value

        threads = [threading.Thread(target=vote, args=(t, i)) for i, t in enumerate(tokens)]
        for n, thread in enumerate(threads):
            thread.start()
            if n == participants // 2:
                os.kill(server.worker_pids()[0], signal.SIGKILL)
        for thread in threads:
            thread.join()

        assert len(acknowledged) > participants  # most votes went through despite the kill
        for term in terms:
            status, tally = call(server.base_url, "GET", f"/api/v1/terms/{term}/votes")
            assert status == 200
            ups = sum(1 for (_, t), v in acknowledged.items() if t == term and v == 1)
            downs = sum(1 for (_, t), v in acknowledged.items() if t == term and v == -1)
            # Every acknowledged vote is stored; an unacknowledged one may or may not be, and
            # none is counted twice (at most one per participant).
            assert ups <= tally["up"] and downs <= tally["down"]
            assert tally["up"] + tally["down"] + tally["abstain"] == tally["voters"]
            assert tally["voters"] <= participants

    check = run_tamyr("check", env=node_env)
    assert check.returncode == 0, check.stdout + check.stderr
