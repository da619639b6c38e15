"""Votes per second and latency through HTTP against gunicorn, next to a hello-world floor.

    python benchmarks/voting.py [--database URL] [--workers 4] [--voters 150] [--votes 10]
                                [--spread 60] [--skip-open-loop]

Sets up a meetup with two ballots of ten Kazakh candidates each in ``--database`` (default: a
fresh SQLite file), starts gunicorn on ``wsgi:app`` and lets ``--voters`` guests join over HTTP.
Then, as in issue #6:

* (a) **open loop**, a realistic meetup: every voter casts ``--votes`` votes at random moments
  spread over ``--spread`` seconds; latency is measured from each vote's *scheduled* moment, so
  a slow server cannot hide its queue (target: p99 < 100 ms);
* (b) **burst**, closed loop: all voters at once, each sending its votes back to back
  (target: no lost, doubled or failed vote; report votes/s and p99).

The floor is a Flask hello-world app served by the same gunicorn settings and hit with the
same burst in the same run: the ratio says how much of the HTTP stack's speed voting keeps.
After each phase the votes in the database are counted against the acknowledged ones.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpbench import P99_TARGET_MS, ROOT, Run, floor_server, gunicorn, line, request

CANDIDATES = 10


# -- the meetup ------------------------------------------------------------------------------
@dataclass
class Setup:
    meetup: int
    code: str
    ballots: list[int]
    terms: list[list[int]]  # per ballot, its candidates


def set_up(database: str, instance: Path) -> Setup:
    """A meetup with two open Kazakh ballots of ten candidates, in ``database``."""
    from glossary import create_app
    from glossary.cli.database import init_database
    from glossary.services import meetups, voting
    from glossary.services.actors import CLI, actor_for
    from glossary.services.terms import create_concept
    from glossary.services.users import create_user

    app = create_app(
        {"CLI": True, "SQLALCHEMY_DATABASE_URI": database, "INDEX_DIR": str(instance / "index")}
    )
    with app.app_context():
        init_database()
        run = os.urandom(4).hex()  # a database used before keeps its rows; ours are new
        moderator = actor_for(create_user(CLI, f"bench-{run}", "moderator", None))
        meetup = meetups.create_meetup(moderator, name=f"Benchmark {run}", quorum=100)
        ballot_ids, term_ids = [], []
        for slot in ("open loop", "burst"):
            concept = create_concept(
                moderator,
                definitions={"en": f"{slot} {run}"},
                terms=[{"lang": "kk", "text": f"сөз {slot} {n}"} for n in range(CANDIDATES)],
            )
            ballot = voting.open_ballot(moderator, concept.uid, "kk", meetup_id=meetup.id)
            ballot_ids.append(ballot.id)
            term_ids.append([t.id for t in concept.terms])
        setup = Setup(meetup.id, meetup.join_code, ballot_ids, term_ids)
        from glossary.extensions import db

        db.engine.dispose()
    return setup


def stored_votes(database: str, instance: Path, ballot_id: int) -> tuple[int, int]:
    """(vote rows, distinct (voter, term) pairs) of one ballot."""
    from sqlalchemy import func, select

    from glossary import create_app
    from glossary.extensions import db
    from glossary.models import Vote

    app = create_app(
        {"CLI": True, "SQLALCHEMY_DATABASE_URI": database, "INDEX_DIR": str(instance / "index")}
    )
    with app.app_context():
        where = Vote.ballot_id == ballot_id
        rows = db.session.scalar(select(func.count()).select_from(Vote).where(where))
        pairs = db.session.execute(select(Vote.voter_id, Vote.term_id).where(where).distinct())
        result = int(rows or 0), len(pairs.all())
        db.engine.dispose()
    return result


# -- load ------------------------------------------------------------------------------------
def in_threads(jobs: list[Any], work: Any) -> float:
    """Run ``work(job)`` for every job in its own thread, released together; wall seconds."""
    start = threading.Barrier(len(jobs) + 1)

    def body(job: Any) -> None:
        start.wait()
        work(job)

    threads = [threading.Thread(target=body, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def join_all(port: int, setup: Setup, voters: int) -> tuple[list[str], Run]:
    run, tokens = Run(), [""] * voters

    def join(index: int) -> None:
        started = time.perf_counter()
        status, body = request(
            "POST",
            port,
            f"/api/v1/meetups/{setup.meetup}/join",
            {"code": setup.code, "name": f"voter {index}"},
        )
        tokens[index] = body["token"] if status == 201 else ""
        run.note(started, status, None)

    run.seconds = in_threads(list(range(voters)), join)
    return tokens, run


def burst_votes(port: int, tokens: list[str], terms: list[int]) -> Run:
    run = Run()

    def voter(token: str) -> None:
        for term_id in terms:
            started = time.perf_counter()
            status, _ = request(
                "PUT",
                port,
                f"/api/v1/terms/{term_id}/vote",
                {"value": random.choice((1, 1, -1, 0))},
                token,
            )
            run.note(started, status, (token, term_id))

    run.seconds = in_threads(tokens, voter)
    return run


def open_loop_votes(port: int, tokens: list[str], terms: list[int], spread: float) -> Run:
    run = Run()
    began = time.perf_counter() + 1.0  # every thread is started before the first slot

    def voter(token: str) -> None:
        schedule = sorted((random.uniform(0, spread), term_id) for term_id in terms)
        for offset, term_id in schedule:
            scheduled = began + offset
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            status, _ = request("PUT", port, f"/api/v1/terms/{term_id}/vote", {"value": 1}, token)
            run.note(scheduled, status, (token, term_id))  # from the schedule, not the send

    run.seconds = in_threads(tokens, voter)
    return run


def burst_floor(port: int, voters: int, each: int) -> Run:
    run = Run()

    def visitor(_: int) -> None:
        for _n in range(each):
            started = time.perf_counter()
            status, _body = request("GET", port, "/")
            run.note(started, status, None)

    run.seconds = in_threads(list(range(voters)), visitor)
    return run


# -- report ----------------------------------------------------------------------------------
def verdict(name: str, run: Run, stored: tuple[int, int]) -> str:
    rows, pairs = stored
    failed = sum(n for status, n in run.statuses.items() if status != 200)
    lost = len(run.acknowledged) - pairs
    doubled = rows - pairs
    return (
        f"{name:<26} acknowledged {len(run.acknowledged)}, stored {rows}: "
        f"lost {lost}, doubled {doubled}, failed {failed}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--voters", type=int, default=150)
    parser.add_argument("--votes", type=int, default=CANDIDATES, choices=range(1, CANDIDATES + 1))
    parser.add_argument("--spread", type=float, default=60.0, help="open loop: seconds")
    parser.add_argument("--skip-open-loop", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tamyr-bench-") as tmp:
        instance = Path(tmp)
        database = args.database or f"sqlite:///{instance / 'bench.sqlite3'}"
        setup = set_up(database, instance)
        env = {
            "TAMYR_DATABASE_URL": database,
            "TAMYR_SECRET_KEY": "benchmark",
            "TAMYR_INSTANCE_DIR": str(instance),
        }
        dialect = database.split(":", 1)[0]
        print(
            f"voting benchmark: {dialect}, gunicorn {args.workers} sync workers, "
            f"{args.voters} voters x {args.votes} votes"
        )
        with gunicorn("wsgi:app", args.workers, env, ROOT) as port:
            tokens, joins = join_all(port, setup, args.voters)
            print(line("joins (burst)", joins))
            tokens = [t for t in tokens if t]
            open_loop = None
            if not args.skip_open_loop:
                open_loop = open_loop_votes(port, tokens, setup.terms[0][: args.votes], args.spread)
                print(line(f"(a) open loop, {args.spread:.0f} s", open_loop))
            burst = burst_votes(port, tokens, setup.terms[1][: args.votes])
            print(line("(b) burst, closed loop", burst))

        with floor_server(args.workers, instance / "floor") as port:
            floor = burst_floor(port, args.voters, args.votes)
        print(line("floor: Flask hello world", floor))

        if open_loop is not None:
            print(
                verdict(
                    "(a) open loop", open_loop, stored_votes(database, instance, setup.ballots[0])
                )
            )
            p99 = open_loop.percentile(0.99)
            target = "met" if p99 < P99_TARGET_MS else "MISSED"
            print(f"(a) p99 {p99:.1f} ms vs target {P99_TARGET_MS} ms: {target}")
        print(verdict("(b) burst", burst, stored_votes(database, instance, setup.ballots[1])))
        print(
            f"ratio burst votes/s : floor req/s = {burst.per_second / floor.per_second:.2f}  "
            f"(p99 {burst.percentile(0.99):.1f} ms vs floor {floor.percentile(0.99):.1f} ms)"
        )


if __name__ == "__main__":
    main()
