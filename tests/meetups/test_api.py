"""The meetup, ballot and vote endpoints of DESIGN.md §8: shapes, errors, who may do what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from glossary.extensions import db
from glossary.models import Ballot
from glossary.services import voting
from tests.meetups.conftest import Person, auth, kk_terms, new_meetup

PROBLEM = "application/problem+json"


def create(client: FlaskClient, person: Person | None, **body: object):
    payload = {"name": "Ufa meetup", "place": "Ufa", "quorum": 2, "threshold": 0.6, **body}
    return client.post("/api/v1/meetups", json=payload, headers=auth(person))


def join(client: FlaskClient, meetup_id: int, code: str, name: str = "Aidar"):
    return client.post(f"/api/v1/meetups/{meetup_id}/join", json={"code": code, "name": name})


def joined_person(client: FlaskClient, meetup_id: int, code: str, name: str) -> Person:
    from glossary.models import User

    body = join(client, meetup_id, code, name).get_json()
    return Person(db.session.get(User, body["participant"]), body["token"])


# -- the whole flow through HTTP ---------------------------------------------------------------
def test_a_meetup_from_creation_to_decision(client, people, concept) -> None:
    moderator = people["moderator"]
    created = create(client, moderator)
    assert created.status_code == 201
    meetup = created.get_json()
    assert meetup["state"] == "open" and meetup["join_code"] and meetup["quorum"] == 2

    joined = join(client, meetup["id"], meetup["join_code"])
    assert joined.status_code == 201
    assert set(joined.get_json()) >= {"participant", "token"}
    guest = Person(None, joined.get_json()["token"])  # type: ignore[arg-type]
    second = joined_person(client, meetup["id"], meetup["join_code"], "Gulnara")

    ballot = client.post(
        f"/api/v1/meetups/{meetup['id']}/ballots",
        json={"concept": concept.uid, "lang": "kk"},
        headers=auth(moderator),
    )
    assert ballot.status_code == 201
    ballot_id = ballot.get_json()["id"]
    assert ballot.get_json()["state"] == "open"
    assert len(ballot.get_json()["candidates"]) == 3

    proposed = client.post(
        f"/api/v1/ballots/{ballot_id}/terms", json={"text": "дерек базасы"}, headers=auth(guest)
    )
    assert proposed.status_code == 201
    new_term = proposed.get_json()
    assert (new_term["status"], new_term["lang"], new_term["concept"]) == (
        "proposed",
        "kk",
        concept.uid,
    )
    merged = client.post(
        f"/api/v1/ballots/{ballot_id}/terms", json={"text": "Дерек базасы"}, headers=auth(second)
    )
    assert (merged.status_code, merged.get_json()["id"]) == (200, new_term["id"])

    for person in (guest, second):
        voted = client.put(
            f"/api/v1/terms/{new_term['id']}/vote", json={"value": 1}, headers=auth(person)
        )
        assert voted.status_code == 200
    assert {k: voted.get_json()[k] for k in ("up", "down", "abstain", "voters")} == {
        "up": 2,
        "down": 0,
        "abstain": 0,
        "voters": 2,
    }
    tally = client.get(f"/api/v1/terms/{new_term['id']}/votes").get_json()
    assert (tally["up"], tally["voters"]) == (2, 2)
    assert [v["voter"] for v in tally["votes"]] == ["Aidar", "Gulnara"]

    closed = client.post(f"/api/v1/meetups/{meetup['id']}/close", headers=auth(moderator))
    assert closed.status_code == 200
    [decision] = closed.get_json()["decisions"]
    assert (decision["result"], decision["winner"]) == ("winner", new_term["id"])
    late = client.put(
        f"/api/v1/terms/{new_term['id']}/vote", json={"value": -1}, headers=auth(guest)
    )
    assert late.status_code == 409 and late.content_type == PROBLEM
    assert client.get(f"/api/v1/ballots/{ballot_id}").get_json()["outcome"] == decision

    history = client.get(f"/api/v1/concepts/{concept.uid}/history").get_json()["results"]
    actions = [entry["action"] for entry in history]
    assert actions.count("vote.cast") == 2
    assert {"concept.create", "ballot.open", "term.propose", "term.status", "ballot.close"} <= set(
        actions
    )
    listed = client.get("/api/v1/meetups").get_json()["results"]
    assert [(m["id"], m["state"]) for m in listed] == [(meetup["id"], "closed")]
    assert "join_code" not in listed[0]  # anonymous readers never see the code


def test_closing_a_ballot_returns_its_decision_and_again_the_same(client, people, concept) -> None:
    meetup_id = new_meetup(people["moderator"], quorum=1)
    ballot = voting.open_ballot(people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id)
    voting.cast_vote(people["editor"].actor, kk_terms(concept)[1].id, 1)
    url = f"/api/v1/ballots/{ballot.id}/close"
    first = client.post(url, headers=auth(people["moderator"]))
    assert first.status_code == 200
    assert first.get_json()["winner"] == kk_terms(concept)[1].id
    assert first.get_json()["terms"][1]["after"] == "preferred"
    again = client.post(url, headers=auth(people["admin"]))
    assert (again.status_code, again.get_json()) == (200, first.get_json())


# -- errors ------------------------------------------------------------------------------------
def test_wrong_and_rotated_codes_are_refused_with_403(client, people) -> None:
    meetup = create(client, people["moderator"]).get_json()
    wrong = join(client, meetup["id"], "AAAA-AAAA")
    assert wrong.status_code == 403 and wrong.content_type == PROBLEM
    assert "join code" in wrong.get_json()["detail"]
    rotated = client.post(
        f"/api/v1/meetups/{meetup['id']}/rotate-code", headers=auth(people["moderator"])
    )
    assert rotated.status_code == 200
    assert rotated.get_json()["join_code"] != meetup["join_code"]
    assert join(client, meetup["id"], meetup["join_code"]).status_code == 403
    assert join(client, meetup["id"], rotated.get_json()["join_code"]).status_code == 201


def test_joining_an_unknown_or_closed_meetup(client, people) -> None:
    assert join(client, 999, "AAAA-AAAA").status_code == 404
    meetup = create(client, people["moderator"]).get_json()
    client.post(f"/api/v1/meetups/{meetup['id']}/close", headers=auth(people["moderator"]))
    assert join(client, meetup["id"], meetup["join_code"]).status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"quorum": 0},
        {"threshold": 0},
        {"threshold": 1.2},
        {"secret": "perhaps"},
        {"starts": "tomorrow"},
    ],
)
def test_bad_meetups_are_422(client, people, body) -> None:
    response = create(client, people["moderator"], **body)
    assert response.status_code == 422 and response.content_type == PROBLEM


@pytest.mark.parametrize("value", [2, -2, "1", None, 1.0])
def test_bad_vote_values_are_422(client, people, concept, value) -> None:
    term_id = kk_terms(concept)[0].id
    response = client.put(
        f"/api/v1/terms/{term_id}/vote", json={"value": value}, headers=auth(people["editor"])
    )
    assert response.status_code == 422 and response.content_type == PROBLEM


def test_malformed_json_is_400(client, people, concept) -> None:
    response = client.put(
        f"/api/v1/terms/{kk_terms(concept)[0].id}/vote",
        data=b"{value",
        headers={**auth(people["editor"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and response.content_type == PROBLEM


def test_voting_with_no_open_ballot_is_409(client, people, concept) -> None:
    response = client.put(
        f"/api/v1/terms/{kk_terms(concept)[0].id}/vote",
        json={"value": 1},
        headers=auth(people["editor"]),
    )
    assert response.status_code == 409 and response.content_type == PROBLEM
    assert "no ballot is open" in response.get_json()["detail"]


def test_unknown_things_are_404(client, people) -> None:
    editor = auth(people["editor"])
    assert (
        client.put("/api/v1/terms/999/vote", json={"value": 1}, headers=editor).status_code == 404
    )
    assert client.get("/api/v1/terms/999/votes").status_code == 404
    assert client.get("/api/v1/ballots/999").status_code == 404
    assert client.get("/api/v1/meetups/999").status_code == 404
    moderator = auth(people["moderator"])
    assert client.post("/api/v1/ballots/999/close", headers=moderator).status_code == 404
    assert client.post("/api/v1/meetups/999/close", headers=moderator).status_code == 404
    opened = client.post(
        "/api/v1/meetups/999/ballots", json={"concept": "nope", "lang": "kk"}, headers=moderator
    )
    assert opened.status_code == 404


def test_opening_the_same_slot_twice_is_409(client, people, concept) -> None:
    meetup_id = new_meetup(people["moderator"])
    url = f"/api/v1/meetups/{meetup_id}/ballots"
    body = {"concept": concept.uid, "lang": "kk"}
    assert client.post(url, json=body, headers=auth(people["moderator"])).status_code == 201
    second = client.post(url, json=body, headers=auth(people["moderator"]))
    assert second.status_code == 409 and second.content_type == PROBLEM


def test_a_bad_token_is_401(client) -> None:
    response = create(client, Person(None, "tamyr_not-a-token"))  # type: ignore[arg-type]
    assert response.status_code == 401 and response.content_type == PROBLEM


def test_online_ballots_close_when_due_on_the_next_read(client, people, concept) -> None:
    closes = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    body = {"concept": concept.uid, "lang": "kk", "closes_at": closes}
    assert (
        client.post("/api/v1/ballots", json=body, headers=auth(people["editor"])).status_code == 403
    )
    missing = client.post(
        "/api/v1/ballots",
        json={"concept": concept.uid, "lang": "kk"},
        headers=auth(people["moderator"]),
    )
    assert missing.status_code == 422
    opened = client.post("/api/v1/ballots", json=body, headers=auth(people["moderator"]))
    assert opened.status_code == 201
    ballot_id = opened.get_json()["id"]
    assert opened.get_json()["meetup"] is None
    db.session.get(Ballot, ballot_id).closes_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    read = client.get(f"/api/v1/ballots/{ballot_id}").get_json()
    assert read["state"] == "closed"
    assert read["outcome"]["result"] == "no_quorum"


def test_the_qr_code_is_an_svg_for_organisers(client, people) -> None:
    meetup_id = new_meetup(people["moderator"])
    response = client.get(f"/api/v1/meetups/{meetup_id}/qr.svg", headers=auth(people["moderator"]))
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
    assert client.get(f"/api/v1/meetups/{meetup_id}/qr.svg").status_code == 401


def test_secret_ballot_tallies_are_public_but_votes_are_not(client, people, concept) -> None:
    meetup = create(client, people["moderator"], secret=True).get_json()
    client.post(
        f"/api/v1/meetups/{meetup['id']}/ballots",
        json={"concept": concept.uid, "lang": "kk"},
        headers=auth(people["moderator"]),
    )
    term_id = kk_terms(concept)[0].id
    voter = joined_person(client, meetup["id"], meetup["join_code"], "Secret Aidar")
    client.put(f"/api/v1/terms/{term_id}/vote", json={"value": -1}, headers=auth(voter))
    public = client.get(f"/api/v1/terms/{term_id}/votes").get_json()
    assert (public["down"], public["voters"], public["secret"]) == (1, 1, True)
    assert "votes" not in public and "voted" not in public
    organiser = client.get(
        f"/api/v1/terms/{term_id}/votes", headers=auth(people["moderator"])
    ).get_json()
    assert organiser["voted"] == ["Secret Aidar"] and "votes" not in organiser
    history = client.get(f"/api/v1/concepts/{concept.uid}/history").get_json()["results"]
    [vote_row] = [entry for entry in history if entry["action"] == "vote.cast"]
    # How someone voted is never written down; the display name given at the door is not shown.
    assert "value" not in vote_row["after"] and vote_row["before"] is None
    assert vote_row["actor"] != "Secret Aidar"


# -- rate limits -------------------------------------------------------------------------------
def test_a_whole_room_behind_one_address_joins_and_votes(client, people, concept) -> None:
    meetup = create(client, people["moderator"], quorum=100).get_json()
    client.post(
        f"/api/v1/meetups/{meetup['id']}/ballots",
        json={"concept": concept.uid, "lang": "kk"},
        headers=auth(people["moderator"]),
    )
    term_id = kk_terms(concept)[0].id
    # A couple of mistyped codes in the room must not lock everybody else out.
    assert join(client, meetup["id"], "WRONG-CODE").status_code == 403
    for number in range(150):
        joined = join(client, meetup["id"], meetup["join_code"], f"phone {number}")
        assert joined.status_code == 201, joined.get_json()
        token = joined.get_json()["token"]
        voted = client.put(
            f"/api/v1/terms/{term_id}/vote",
            json={"value": 1 if number % 3 else -1},
            headers={"Authorization": f"Bearer {token}"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        assert voted.status_code == 200, voted.get_json()
    tally = client.get(f"/api/v1/terms/{term_id}/votes").get_json()
    assert (tally["up"], tally["down"], tally["voters"]) == (100, 50, 150)


def test_failed_joins_are_limited_per_address(client, people) -> None:
    meetup = create(client, people["moderator"]).get_json()
    statuses = [join(client, meetup["id"], "BAD0-CODE").status_code for _ in range(31)]
    assert statuses[:30] == [403] * 30
    assert statuses[30] == 429
    # Another address is unaffected, and the room's address is throttled only for guessing.
    other = client.post(
        f"/api/v1/meetups/{meetup['id']}/join",
        json={"code": meetup["join_code"], "name": "Other"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other.status_code == 201


def test_writes_are_limited_per_token_not_per_address(app, client, people, concept) -> None:
    # Ten a minute rather than the real ten a second: a window that a slow machine cannot
    # straddle, so the 11th write is refused however long each vote takes.
    app.config["RATELIMIT_WRITES"] = "10 per minute"
    meetup_id = new_meetup(people["moderator"])
    voting.open_ballot(people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id)
    term_id = kk_terms(concept)[0].id
    url = f"/api/v1/terms/{term_id}/vote"
    flood = [
        client.put(url, json={"value": 1}, headers=auth(people["editor"])).status_code
        for _ in range(12)
    ]
    assert 429 in flood
    assert flood[:10] == [200] * 10
    # The same address with another token still votes.
    other = client.put(url, json={"value": 1}, headers=auth(people["admin"]))
    assert other.status_code == 200
