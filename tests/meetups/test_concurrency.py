"""A room voting at once: no vote lost, doubled or failed, on SQLite and on PostgreSQL.

Each voter is a thread with its own test client, so every request runs in its own app
context with its own database session and connection, as in a threaded server.
"""

from __future__ import annotations

import threading
from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Vote
from glossary.services import ballots, voting
from tests.meetups.conftest import Person, guests, kk_terms, new_meetup

ROOM = 150


def vote_at_once(app: Flask, plan: list[tuple[Person, int, int]]) -> list[tuple[int, dict]]:
    """Send every (voter, term, value) from its own thread, released together."""
    start = threading.Barrier(len(plan))
    results: list[tuple[int, dict]] = [(0, {})] * len(plan)

    def send(index: int, voter: Person, term_id: int, value: int) -> None:
        client = app.test_client()
        start.wait(timeout=120)
        response = client.put(
            f"/api/v1/terms/{term_id}/vote", json={"value": value}, headers=voter.headers
        )
        results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=send, args=(i, *item)) for i, item in enumerate(plan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_room_of_150_votes_at_once_and_every_vote_counts(app, people, concept) -> None:
    moderator = people["moderator"]
    meetup_id = new_meetup(moderator, quorum=100)
    ballot = voting.open_ballot(moderator.actor, concept.uid, "kk", meetup_id=meetup_id)
    room = guests(meetup_id, ROOM)
    a, b, _c = kk_terms(concept)
    db.session.commit()

    # Everyone votes on a; every third person also on b; the first 20 tap twice (double tap).
    plan = [(voter, a.id, 1 if i % 5 else -1) for i, voter in enumerate(room)]
    plan += [(voter, b.id, 0) for voter in room[::3]]
    plan += [(voter, a.id, 1 if i % 5 else -1) for i, voter in enumerate(room[:20])]
    results = vote_at_once(app, plan)

    assert Counter(status for status, _ in results) == {200: len(plan)}
    acknowledged = {(voter.user.id, term_id) for voter, term_id, _ in plan}
    db.session.expire_all()
    stored = db.session.execute(select(Vote.voter_id, Vote.term_id)).all()
    assert len(stored) == len(set(stored)) == len(acknowledged)
    assert set(stored) == acknowledged

    # A second wave changes minds: everyone who objected to a now approves it.
    objectors = [voter for i, voter in enumerate(room) if i % 5 == 0]
    results = vote_at_once(app, [(voter, a.id, 1) for voter in objectors])
    assert Counter(status for status, _ in results) == {200: len(objectors)}

    tally = voting.term_votes(moderator.actor, a.id)
    assert (tally["up"], tally["down"], tally["voters"]) == (ROOM, 0, ROOM)
    assert voting.term_votes(moderator.actor, b.id)["abstain"] == len(room[::3])
    assert db.session.scalar(select(func.count()).select_from(Vote)) == len(acknowledged)
    outcome = ballots.close_ballot(moderator.actor, ballot.id)
    assert (outcome["voters"], outcome["winner"]) == (ROOM, a.id)


def test_votes_racing_the_close_are_either_counted_or_refused(app, people, concept) -> None:
    """A vote acknowledged with 200 is in the decision; one that lost the race gets a 409."""
    moderator = people["moderator"]
    meetup_id = new_meetup(moderator, quorum=1)
    ballot = voting.open_ballot(moderator.actor, concept.uid, "kk", meetup_id=meetup_id)
    room = guests(meetup_id, 40)
    a = kk_terms(concept)[0]
    db.session.commit()

    closed: dict = {}

    def close() -> None:
        with app.app_context():
            closed.update(ballots.close_ballot(moderator.actor, ballot.id))

    closer = threading.Timer(0.05, close)
    closer.start()
    results = vote_at_once(app, [(voter, a.id, 1) for voter in room])
    closer.join()

    assert {status for status, _ in results} <= {200, 409}
    counted = sum(status == 200 for status, _ in results)
    [entry] = [t for t in closed["terms"] if t["id"] == a.id]
    assert entry["up"] == counted
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Vote)) == counted
