"""Crash safety with real processes and `kill -9`: nothing half-written, no acked vote lost."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from tests.cli_helpers import run_tamyr, tamyr_command
from tests.server_helpers import call, running_server

# Letters that exercise the Turkic paths of folding and keys on every unit.
KAZAKH, TURKISH = "әғқңөұүһі", "çğıİöşü"
# What an import writes; a killed one must leave every count as it was.
IMPORT_TABLES = ("concepts", "terms", "definitions", "sources", "history", "search_outbox")


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


def _engine(env: dict[str, str]) -> Engine:
    """A plain connection pool on the node's database, for looking behind the service's back."""
    return create_engine(env["TAMYR_DATABASE_URL"], poolclass=NullPool)


def _sqlite_path(env: dict[str, str]) -> Path | None:
    url = make_url(env["TAMYR_DATABASE_URL"])
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def _import_is_mid_write(engine: Engine, sqlite_path: Path | None, wal_before: int) -> bool:
    """True once the import's one transaction has provably written and not committed.

    SQLite (WAL mode): uncommitted pages spill into the -wal file once they outgrow the page
    cache, so a WAL a megabyte past its size before the import is the import writing.
    PostgreSQL: a backend on this database holds a transaction id (assigned only at its first
    write) in a transaction that has been open for over a second (longer than any of the
    command's small set-up transactions).
    """
    if sqlite_path is not None:
        wal = sqlite_path.with_name(sqlite_path.name + "-wal")
        return wal.exists() and wal.stat().st_size > wal_before + 1024 * 1024
    with engine.connect() as connection:
        writers = connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
                " AND now() - xact_start > interval '1 second'"
            )
        )
    return bool(writers)


def _wait_for_postgres_backends_to_go(engine: Engine, timeout: float = 30) -> None:
    """After the client dies its backend notices, rolls back and exits; wait for that."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
    )
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if not connection.scalar(query):
                return
        time.sleep(0.1)
    raise AssertionError("the killed import's PostgreSQL backend is still in its transaction")


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in IMPORT_TABLES
        }


def test_kill_9_during_import_leaves_the_database_unchanged(node_env, tmp_path):
    small = tmp_path / "small.tmx"
    _write_big_tmx(small, 3)
    assert run_tamyr("import", str(small), "--quiet", env=node_env).returncode == 0
    before = _stats(node_env)
    engine = _engine(node_env)
    rows_before = _row_counts(engine)
    sqlite_path = _sqlite_path(node_env)
    wal = sqlite_path.with_name(sqlite_path.name + "-wal") if sqlite_path else None
    wal_before = wal.stat().st_size if wal is not None and wal.exists() else 0

    big = tmp_path / "big.tmx"
    _write_big_tmx(big, 150_000)
    importer = subprocess.Popen(
        [*tamyr_command(), "import", str(big), "--quiet"],
        env=_full_env(node_env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _import_is_mid_write(engine, sqlite_path, wal_before):
            assert importer.poll() is None, "the import ended before it was seen writing"
            assert time.monotonic() < deadline, "the import was never seen writing"
            time.sleep(0.05)
        # Mid-write and not committed: another connection still sees the old rows.
        assert _row_counts(engine) == rows_before
        assert importer.poll() is None, "the import finished before the kill; make the file bigger"
    finally:
        os.killpg(importer.pid, signal.SIGKILL)
        importer.wait()
    _wait_for_postgres_backends_to_go(engine)

    assert _row_counts(engine) == rows_before
    assert _stats(node_env) == before
    check = run_tamyr("check", env=node_env)
    assert check.returncode == 0, check.stdout + check.stderr
    # The database is usable at once: the same import now runs to the end.
    again = run_tamyr("import", str(small), "--quiet", env=node_env)
    assert again.returncode == 0, again.stderr
    engine.dispose()


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


@dataclass
class _Ledger:
    """Every vote attempt per (voter, term) in order, and whether the server said 200."""

    attempts: dict[tuple[int, int], list[tuple[int, bool]]] = field(default_factory=dict)
    other_statuses: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # connection errors, by kind
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, voter: int, term: int, value: int, acknowledged: bool) -> None:
        with self.lock:
            self.attempts.setdefault((voter, term), []).append((value, acknowledged))

    def acknowledged(self) -> int:
        with self.lock:
            return sum(ok for tries in self.attempts.values() for _, ok in tries)


def _ballot_plan(index: int, terms: list[int]) -> list[tuple[int, int]]:
    """A voter's votes in order: approve one candidate, object to the other, then change the
    first vote (to an objection or an abstention), so a stored value is checked, not a count."""
    first, second = terms[index % 2], terms[(index + 1) % 2]
    return [(first, 1), (second, -1), (first, -1 if index % 3 else 0)]


def _stored_votes(env: dict[str, str], ballot_terms: list[int]) -> list[tuple[int, int, int]]:
    engine = _engine(env)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT voter_id, term_id, value FROM votes WHERE term_id IN (:a, :b)"),
            {"a": ballot_terms[0], "b": ballot_terms[1]},
        )
        stored = [tuple(row) for row in rows]
    engine.dispose()
    return stored


def test_kill_9_of_a_worker_during_voting_keeps_every_acknowledged_vote(node_env, cli_admin_token):
    participants = 60
    with running_server(node_env, workers=2) as server:
        meetup_id, code, terms = _meetup_with_ballot(server.base_url, cli_admin_token)
        voters: list[tuple[int, str]] = []  # (user id, token)
        for n in range(participants):
            status, joined = call(
                server.base_url,
                "POST",
                f"/api/v1/meetups/{meetup_id}/join",
                {"code": code, "name": f"Volunteer {n}"},
            )
            assert status == 201, joined
            voters.append((joined["participant"], joined["token"]))

        ledger = _Ledger()
        go = threading.Event()

        def vote(index: int) -> None:
            voter, token = voters[index]
            go.wait()
            for term, value in _ballot_plan(index, terms):
                try:
                    status, _ = call(
                        server.base_url,
                        "PUT",
                        f"/api/v1/terms/{term}/vote",
                        {"value": value},
                        token,
                    )
                except (OSError, http.client.HTTPException) as exc:
                    # The connection died with the worker, perhaps after the headers were sent
                    # (IncompleteRead): not acknowledged.
                    status = None
                    with ledger.lock:
                        ledger.failures.append(type(exc).__name__)
                ledger.record(voter, term, value, status == 200)
                if status not in (200, None):
                    with ledger.lock:
                        ledger.other_statuses.append(status)

        threads = [threading.Thread(target=vote, args=(i,)) for i in range(participants)]
        for thread in threads:
            thread.start()
        go.set()
        # Kill a worker once voting is well under way and far from over, so requests are in
        # flight in it, rather than at a moment chosen by thread start-up timing.
        total = participants * 3
        deadline = time.monotonic() + 60
        while ledger.acknowledged() < total // 4 and time.monotonic() < deadline:
            time.sleep(0.005)
        at_kill = ledger.acknowledged()
        os.kill(server.worker_pids()[0], signal.SIGKILL)
        for thread in threads:
            thread.join()

    assert total // 4 <= at_kill < total, f"the kill came at {at_kill} of {total} votes"
    assert ledger.acknowledged() > at_kill  # voting went on through the surviving worker
    assert not ledger.other_statuses, ledger.other_statuses  # refused or crashed, never 5xx
    # Only the requests inside the killed worker die (a sync worker holds one); none waits
    # for a timeout, so the surviving and the respawned worker answered everything else.
    assert "TimeoutError" not in ledger.failures, ledger.failures
    assert len(ledger.failures) <= 2, (ledger.failures, server.output()[-3000:])

    stored = _stored_votes(node_env, terms)
    pairs = [(voter, term) for voter, term, _ in stored]
    assert len(pairs) == len(set(pairs)), "a (voter, term) pair is stored twice"
    by_pair = {(voter, term): value for voter, term, value in stored}
    lost, wrong = [], []
    for pair, tries in ledger.attempts.items():
        acked = [value for value, ok in tries if ok]
        if not acked:
            continue  # never acknowledged: may or may not be stored
        last_acked = max(i for i, (_, ok) in enumerate(tries) if ok)
        # After the last acknowledged vote only unacknowledged attempts followed; any of them
        # may have reached the database before its worker died.
        allowed = {tries[last_acked][0]} | {value for value, _ in tries[last_acked + 1 :]}
        if pair not in by_pair:
            lost.append(pair)
        elif by_pair[pair] not in allowed:
            wrong.append((pair, by_pair[pair], allowed))
    assert not lost, f"acknowledged votes missing from the database: {lost}"
    assert not wrong, f"stored votes that differ from the last acknowledged value: {wrong}"
    # Nothing is stored for a voter this test did not see vote.
    assert set(by_pair) <= set(ledger.attempts)

    check = run_tamyr("check", env=node_env)
    assert check.returncode == 0, check.stdout + check.stderr
