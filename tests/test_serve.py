"""`tamyr serve --demo`, the README's first command, answers real HTTP under gunicorn."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import segno

from tests.cli_helpers import run_tamyr
from tests.server_helpers import Server, call, running_server

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py


def test_serve_demo_runs_gunicorn_with_demo_data(tmp_path: Path):
    with running_server({"TAMYR_INSTANCE_DIR": str(tmp_path)}, "--demo", workers=2) as server:
        status, stats = call(server.base_url, "GET", "/api/v1/stats")
        assert status == 200
        assert stats["concepts"] > 1000
        assert len(server.wait_for_workers(2)) == 2
        with urllib.request.urlopen(server.base_url + "/", timeout=5) as response:
            assert response.status == 200
            assert b'type="search"' in response.read()


# -- meetup mode -------------------------------------------------------------------------------
# segno's compact terminal QR: light modules are drawn, dark ones left blank, two rows a line.
HALF_BLOCKS = {" ": (1, 1), "\u2580": (0, 1), "\u2584": (1, 0), "\u2588": (0, 0)}
JOIN_LINE = re.compile(r"Meetup (\d+) «(.*)»: join at (http://\S+/join/(\S+))")


def printed_qr(lines: list[str]) -> list[tuple[int, ...]]:
    """The module matrix of the QR code drawn in ``lines``, its 2-module border cut off."""
    rows: list[tuple[int, ...]] = []
    for line in lines:
        if not line or set(line) - set(HALF_BLOCKS):
            break
        pairs = [HALF_BLOCKS[char] for char in line]
        rows += [tuple(top for top, _ in pairs), tuple(bottom for _, bottom in pairs)]
    size = len(rows[0])
    return [row[2:-2] for row in rows[2 : size - 2]]


def announced(output: str) -> dict[int, tuple[str, str, list[tuple[int, ...]]]]:
    """{meetup id: (join URL, code, printed QR matrix)} from `serve --meetup`'s output."""
    lines = output.splitlines()
    found = {}
    for number, line in enumerate(lines):
        match = JOIN_LINE.fullmatch(line)
        if match:
            found[int(match[1])] = (match[3], match[4], printed_qr(lines[number + 1 :]))
    return found


@contextmanager
def meetup_server(env: dict[str, str]) -> Iterator[tuple[Server, str]]:
    """`tamyr serve --meetup` and what it printed before serving."""
    with running_server(env, "--meetup", workers=1) as server:
        yield server, "".join(server.printed_before_serving())


def test_serve_meetup_prints_each_open_meetups_join_url_and_qr(tmp_path: Path):
    env = {
        "TAMYR_INSTANCE_DIR": str(tmp_path),
        "TAMYR_SECRET_KEY": "meetup-test",
        "PYTHONUNBUFFERED": "1",
    }
    assert run_tamyr("init", env=env).returncode == 0
    password = "a long passphrase\n"
    made = run_tamyr(
        "user", "create", "organiser", "--role", "moderator", env=env, input=password * 2
    )
    assert made.returncode == 0, made.stderr
    token = run_tamyr("token", "create", "organiser", env=env).stdout.strip().splitlines()[-1]

    with meetup_server(env) as (server, output):
        assert announced(output) == {}
        assert "No open meetup yet" in output and "/api/v1/meetups" in output
        ids, codes = [], []
        for name in ("Kazan", "Almaty"):
            status, body = call(
                server.base_url, "POST", "/api/v1/meetups", {"name": name}, token=token
            )
            assert status == 201, body
            ids.append(body["id"])
            codes.append(body["join_code"])

    with meetup_server(env) as (server, output):
        meetups = announced(output)
        assert "No open meetup" not in output
        assert {meetup_id: code for meetup_id, (_, code, _) in meetups.items()} == dict(
            zip(ids, codes, strict=True)
        )
        for url, _code, matrix in meetups.values():
            expected = segno.make(url, error="m").matrix
            assert matrix == [tuple(row) for row in expected]  # the QR encodes exactly this URL
        # The printed URL is on the LAN address, where the server listens too.
        with urllib.request.urlopen(meetups[ids[0]][0], timeout=5) as response:
            assert response.status == 200
            assert b"Kazan" in response.read()
        status, _ = call(server.base_url, "POST", f"/api/v1/meetups/{ids[1]}/close", token=token)
        assert status == 200

    with meetup_server(env) as (server, output):
        assert list(announced(output)) == [ids[0]]  # the closed meetup is no longer announced
