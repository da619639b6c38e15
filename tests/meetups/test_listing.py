"""Listing over the API: a meetup's ballots with their tallies (what the projector's tally.json
shows), and meetups a page at a time."""

from __future__ import annotations

from glossary.services import ballots, voting
from tests.meetups.conftest import auth, guests, kk_terms, new_meetup

PROBLEM = "application/problem+json"


def test_a_meetups_ballots_carry_their_tallies(client, people, concept) -> None:
    moderator = people["moderator"]
    meetup_id = new_meetup(moderator, quorum=1)
    kazakh = voting.open_ballot(moderator.actor, concept.uid, "kk", meetup_id=meetup_id)
    english = voting.open_ballot(moderator.actor, concept.uid, "en", meetup_id=meetup_id)
    first, second, _third = kk_terms(concept)
    room = guests(meetup_id, 3)
    for guest, value in zip(room, (1, 1, -1), strict=True):
        voting.cast_vote(guest.actor, first.id, value)
    voting.cast_vote(room[0].actor, second.id, 0)
    ballots.close_ballot(moderator.actor, english.id)

    listed = client.get(f"/api/v1/meetups/{meetup_id}/ballots")
    assert listed.status_code == 200
    page = listed.get_json()
    assert [b["id"] for b in page["results"]] == [kazakh.id, english.id] and page["next"] is None
    # Each is exactly what GET /ballots/{id} answers.
    for ballot in page["results"]:
        assert ballot == client.get(f"/api/v1/ballots/{ballot['id']}").get_json()
    open_one = page["results"][0]
    assert open_one["state"] == "open" and open_one["voters"] == 3
    tallies = {c["text"]: (c["up"], c["down"], c["abstain"]) for c in open_one["candidates"]}
    assert tallies == {
        "дерекқор": (2, 1, 0),
        "деректер қоры": (0, 0, 1),
        "мәліметтер базасы": (0, 0, 0),
    }
    # The same numbers as the projector's script reads.
    screen = client.get(f"/meetups/{meetup_id}/tally.json").get_json()["ballots"]
    assert [
        {key: c[key] for key in ("id", "up", "down", "abstain", "voters")}
        for c in screen[0]["candidates"]
    ] == [
        {key: c[key] for key in ("id", "up", "down", "abstain", "voters")}
        for c in open_one["candidates"]
    ]
    assert page["results"][1]["state"] == "closed" and page["results"][1]["outcome"]


def test_an_api_client_finds_the_open_ballots(client, people, concept) -> None:
    moderator = people["moderator"]
    meetup_id = new_meetup(moderator)
    kazakh = voting.open_ballot(moderator.actor, concept.uid, "kk", meetup_id=meetup_id)
    english = voting.open_ballot(moderator.actor, concept.uid, "en", meetup_id=meetup_id)
    ballots.close_ballot(moderator.actor, english.id)

    url = f"/api/v1/meetups/{meetup_id}/ballots"
    opened = client.get(f"{url}?state=open").get_json()["results"]
    assert [b["id"] for b in opened] == [kazakh.id]
    closed = client.get(f"{url}?state=closed").get_json()["results"]
    assert [b["id"] for b in closed] == [english.id]

    first = client.get(f"{url}?limit=1").get_json()
    assert [b["id"] for b in first["results"]] == [kazakh.id] and first["next"]
    second = client.get(f"{url}?limit=1&cursor={first['next']}").get_json()
    assert [b["id"] for b in second["results"]] == [english.id] and second["next"] is None


def test_listing_ballots_errors(client, people) -> None:
    meetup_id = new_meetup(people["moderator"])
    missing = client.get("/api/v1/meetups/999999/ballots")
    assert missing.status_code == 404 and missing.content_type == PROBLEM
    for query in ("state=maybe", "cursor=%21%21", "limit=0"):
        bad = client.get(f"/api/v1/meetups/{meetup_id}/ballots?{query}")
        assert bad.status_code == 422 and bad.content_type == PROBLEM, query


def test_meetups_come_a_page_at_a_time_newest_first(client, people) -> None:
    made = [new_meetup(people["moderator"]) for _ in range(3)]
    first = client.get("/api/v1/meetups?limit=2").get_json()
    assert [m["id"] for m in first["results"]] == made[::-1][:2]
    assert all("join_code" not in m for m in first["results"])  # anonymous
    second = client.get(f"/api/v1/meetups?limit=2&cursor={first['next']}").get_json()
    assert [m["id"] for m in second["results"]] == made[:1] and second["next"] is None
    organised = client.get("/api/v1/meetups", headers=auth(people["moderator"])).get_json()
    assert all(m["join_code"] for m in organised["results"])
    bad = client.get("/api/v1/meetups?cursor=bm9wZQ")
    assert bad.status_code == 422 and bad.content_type == PROBLEM
