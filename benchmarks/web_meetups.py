"""Server time of the meetup pages in a busy room, next to a floor measured in the same run.

    python benchmarks/web_meetups.py [--voters 150] [--ballots 3] [--candidates 5]
                                     [--requests 200] [--postgres URL]

Builds a fresh SQLite file (or, with ``--postgres``, an empty PostgreSQL database) with one open
meetup, ``--ballots`` open ballots of ``--candidates`` candidates each, and ``--voters`` joined
participants who each voted on every candidate. Then, through the Flask test client (server
time only: routing, services, SQL, templates; no network), p50/p99 over ``--requests`` calls:

* tally: ``GET /meetups/<id>/tally.json`` (what each projector polls every 3 s)
* screen: the projector page; phone: the participant's list of open ballots
* ballot: one ballot screen with its candidates, tallies and the voter's own votes
* vote: ``POST .../vote`` (a changed vote, CSRF-checked, then the redirect)

Floor: ``GET /healthz`` through the same client (the framework's own cost per request).
Target (issue #8): pages render in < 100 ms server time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_MS = 100.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(p50, p99) in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def build_room(app: Any, voters: int, ballots: int, candidates: int) -> dict[str, Any]:
    from glossary.services import meetups, voting
    from glossary.services.actors import CLI, actor_for
    from glossary.services.terms import create_concept
    from glossary.services.users import create_user

    organiser = create_user(CLI, "organiser", "moderator", "correct horse battery")
    actor = actor_for(organiser)
    meetup = meetups.create_meetup(actor, name="Benchmark meetup", quorum=10)
    opened = []
    for b in range(ballots):
        concept = create_concept(CLI, terms=[{"lang": "en", "text": f"concept {b}"}])
        ballot = voting.open_ballot(actor, concept.uid, "kk", meetup_id=meetup.id)
        terms = [
            voting.propose_term(actor, ballot.id, {"text": f"нұсқа {b} {c}"})[0].id
            for c in range(candidates)
        ]
        opened.append((ballot.id, terms))
    for v in range(voters):
        guest, _token = meetups.join_meetup(meetup.id, meetup.join_code, f"Voter {v}")
        guest_actor = actor_for(guest, meetup.id)
        for _ballot_id, terms in opened:
            for n, term_id in enumerate(terms):
                voting.cast_vote(guest_actor, term_id, (1, -1, 0)[(v + n) % 3])
    return {"meetup": meetup.id, "code": meetup.join_code, "ballots": opened}


def sign_in(client: Any, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "no CSRF token on /login"
    data = {"username": username, "password": "correct horse battery", "csrf_token": token[1]}
    assert client.post("/login", data=data).status_code == 302


def run(database_url: str, folder: Path, args: argparse.Namespace) -> None:
    from glossary import create_app
    from glossary.cli.database import init_database

    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url, "INDEX_DIR": str(folder)}
    )
    with app.app_context():
        init_database()
        start = time.perf_counter()
        room = build_room(app, args.voters, args.ballots, args.candidates)
        votes = args.voters * args.ballots * args.candidates
        print(
            f"built: {votes} votes by {args.voters} voters in {time.perf_counter() - start:.1f} s"
        )
    meetup_id = room["meetup"]
    ballot_id, terms = room["ballots"][0]
    organiser, phone = app.test_client(), app.test_client()
    sign_in(organiser, "organiser")
    join_page = phone.get(f"/join/{room['code']}").get_data(as_text=True)
    phone.post(
        "/join",
        data={"code": room["code"], "name": "Phone", "csrf_token": _CSRF.search(join_page)[1]},
    )
    ballot_page = f"/meetups/{meetup_id}/ballots/{ballot_id}"
    token = _CSRF.search(phone.get(ballot_page).get_data(as_text=True))[1]
    values = iter(["approve", "object", "abstain"] * args.requests)

    def vote() -> None:
        form = {"term": terms[0], "value": next(values), "csrf_token": token}
        assert phone.post(f"{ballot_page}/vote", data=form).status_code == 302

    cases: dict[str, Callable[[], Any]] = {
        "floor /healthz": lambda: organiser.get("/healthz"),
        "tally.json": lambda: organiser.get(f"/meetups/{meetup_id}/tally.json"),
        "screen": lambda: organiser.get(f"/meetups/{meetup_id}/screen"),
        "phone": lambda: phone.get(f"/meetups/{meetup_id}"),
        "ballot": lambda: phone.get(ballot_page),
        "vote": vote,
    }
    floor = None
    print(f"{'page':<16}{'p50 ms':>9}{'p99 ms':>9}{'p99/floor':>11}{'p99/target':>12}")
    for name, call in cases.items():
        call()  # warm caches and templates
        p50, p99 = timed(call, args.requests)
        floor = floor or p99
        print(f"{name:<16}{p50:>9.2f}{p99:>9.2f}{p99 / floor:>11.1f}{p99 / TARGET_MS:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=150)
    parser.add_argument("--ballots", type=int, default=3)
    parser.add_argument("--candidates", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("== SQLite")
        run(f"sqlite:///{folder}/bench.sqlite3", Path(folder), args)
        if args.postgres:
            print("== PostgreSQL")
            run(args.postgres, Path(folder) / "pg-index", args)


if __name__ == "__main__":
    main()
