"""Meetups, ballots and votes through the services, on the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from glossary.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from glossary.extensions import db
from glossary.models import Ballot, History, Meetup, Term, Vote, utcnow
from glossary.services import ballots, meetups, voting
from glossary.services.actors import actor_for
from tests.meetups.conftest import Person, guests, kk_terms, new_meetup


def status_of(term_id: int) -> str:
    return db.session.scalar(select(Term.status).where(Term.id == term_id))  # type: ignore[return-value]


# -- meetups and joining -----------------------------------------------------------------------
def test_a_meetup_is_open_from_creation_and_its_creator_organises_it(people) -> None:
    meetup = meetups.create_meetup(people["moderator"].actor, name=" Tashkent ", quorum=5)
    assert (meetup.state, meetup.name, meetup.quorum, meetup.threshold) == (
        "open",
        "Tashkent",
        5,
        0.6,
    )
    view = meetups.meetup_view(people["moderator"].actor, meetup)
    assert view["join_code"] == meetup.join_code
    assert "join_code" not in meetups.meetup_view(people["editor"].actor, meetup)


def test_a_meetup_starting_later_is_planned(people) -> None:
    later = utcnow() + timedelta(days=3)
    meetup = meetups.create_meetup(people["moderator"].actor, name="Baku", starts=later)
    assert meetup.state == "planned"


@pytest.mark.parametrize(
    ("rules", "field"),
    [({"quorum": 0}, "quorum"), ({"threshold": 0}, "threshold"), ({"threshold": 1.5}, "threshold")],
)
def test_bad_voting_rules_are_refused(people, rules, field) -> None:
    with pytest.raises(InvalidInput) as caught:
        meetups.create_meetup(people["moderator"].actor, name="Kazan", **rules)
    assert caught.value.extra["field"] == field


def test_only_moderators_create_meetups(people) -> None:
    with pytest.raises(Forbidden):
        meetups.create_meetup(people["editor"].actor, name="Bishkek")
    with pytest.raises(Unauthorized):
        meetups.create_meetup(actor_for(None), name="Bishkek")


def test_joining_makes_a_meetup_scoped_participant(people) -> None:
    meetup_id = new_meetup(people["moderator"])
    code = db.session.get(Meetup, meetup_id).join_code
    # Typed on a phone: lower case, no dash, spaces around.
    user, token = meetups.join_meetup(meetup_id, f" {code.lower().replace('-', '')} ", "  Aigerim ")
    assert (user.role, user.meetup_id, user.display_name) == ("participant", meetup_id, "Aigerim")
    assert token.startswith("tamyr_")


def test_a_rotated_code_stops_working_but_guests_stay_in(people, concept) -> None:
    meetup_id = new_meetup(people["moderator"], quorum=1)
    old_code = db.session.get(Meetup, meetup_id).join_code
    [early] = guests(meetup_id, 1)
    meetups.rotate_join_code(people["moderator"].actor, meetup_id)
    new_code = db.session.get(Meetup, meetup_id).join_code
    assert new_code != old_code
    with pytest.raises(Forbidden, match="wrong or has been replaced"):
        meetups.join_meetup(meetup_id, old_code, "Late")
    meetups.join_meetup(meetup_id, new_code, "Late")
    voting.open_ballot(people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id)
    assert voting.cast_vote(early.actor, kk_terms(concept)[0].id, 1)["up"] == 1


def test_only_organisers_rotate_the_code(people) -> None:
    meetup_id = new_meetup(people["moderator"])
    [guest] = guests(meetup_id, 1)
    for outsider in (people["editor"].actor, guest.actor):
        with pytest.raises(Forbidden):
            meetups.rotate_join_code(outsider, meetup_id)


def test_nobody_joins_a_closed_meetup(people) -> None:
    meetup_id = new_meetup(people["moderator"])
    code = db.session.get(Meetup, meetup_id).join_code
    ballots.close_meetup(people["moderator"].actor, meetup_id)
    with pytest.raises(Conflict):
        meetups.join_meetup(meetup_id, code, "Late")


def test_the_join_qr_code_is_an_svg_of_the_join_url(people) -> None:
    meetup = db.session.get(Meetup, new_meetup(people["moderator"]))
    svg = meetups.join_qr_svg(meetup, "https://tamyr.example/")
    assert svg.lstrip().startswith("<svg")
    assert meetups.join_url(meetup, "https://tamyr.example/") == (
        f"https://tamyr.example/join/{meetup.join_code}"
    )


# -- ballots, proposals, votes -----------------------------------------------------------------
@pytest.fixture
def room(people, concept):
    """A meetup (quorum 3, threshold 0.6) with an open ballot on the Kazakh slot and 5 guests."""
    meetup_id = new_meetup(people["moderator"], quorum=3)
    ballot = voting.open_ballot(people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id)
    return meetup_id, ballot.id, guests(meetup_id, 5), kk_terms(concept)


def vote_all(voters: list[Person], term_id: int, values: list[int]) -> None:
    for voter, value in zip(voters, values, strict=True):
        voting.cast_vote(voter.actor, term_id, value)


def test_a_slot_has_one_open_ballot_at_a_time(people, concept, room) -> None:
    meetup_id = room[0]
    with pytest.raises(Conflict, match="already open"):
        voting.open_ballot(people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id)


def test_closing_applies_the_rules_and_records_the_decision(people, concept, room) -> None:
    _meetup_id, ballot_id, voters, (a, b, c) = room
    vote_all(voters, a.id, [1, 1, 1, 1, -1])  # 0.8
    vote_all(voters[:4], b.id, [1, 1, -1, 0])  # 0.67
    vote_all(voters[:3], c.id, [-1, -1, 1])  # 0.33
    outcome = ballots.close_ballot(people["moderator"].actor, ballot_id)
    assert (outcome["result"], outcome["winner"], outcome["voters"]) == ("winner", a.id, 5)
    assert [status_of(t.id) for t in (a, b, c)] == ["preferred", "admitted", "rejected"]
    by_term = {entry["id"]: entry for entry in outcome["terms"]}
    assert (
        by_term[b.id].items()
        >= {"up": 2, "down": 1, "abstain": 1, "voters": 4, "share": 0.6667}.items()
    )
    assert db.session.get(Ballot, ballot_id).outcome == outcome
    actions = db.session.scalars(
        select(History.action).where(History.concept_id == concept.id).order_by(History.id)
    ).all()
    assert actions.count("vote.cast") == 12
    assert actions.count("term.status") == 3
    assert actions[-1] == "ballot.close"


def test_without_quorum_statuses_stay(people, room) -> None:
    _meetup_id, ballot_id, voters, (a, _b, _c) = room
    vote_all(voters[:2], a.id, [1, 1])
    outcome = ballots.close_ballot(people["moderator"].actor, ballot_id)
    assert outcome["result"] == "no_quorum"
    assert status_of(a.id) == "proposed"


def test_a_tie_leaves_every_candidate_proposed(people, room) -> None:
    _meetup_id, ballot_id, voters, (a, b, c) = room
    vote_all(voters[:4], a.id, [1, 1, 1, -1])
    vote_all(voters[:4], b.id, [1, 1, 1, -1])
    vote_all(voters[:3], c.id, [-1, -1, -1])
    assert ballots.close_ballot(people["moderator"].actor, ballot_id)["result"] == "tie"
    assert {status_of(t.id) for t in (a, b, c)} == {"proposed"}


def test_revoting_changes_the_vote_not_the_count(room) -> None:
    _meetup_id, _ballot_id, voters, (a, _b, _c) = room
    assert voting.cast_vote(voters[0].actor, a.id, 1).items() >= {"up": 1, "voters": 1}.items()
    tally = voting.cast_vote(voters[0].actor, a.id, -1)
    assert tally.items() >= {"up": 0, "down": 1, "abstain": 0, "voters": 1}.items()
    tally = voting.cast_vote(voters[0].actor, a.id, 0)
    assert tally.items() >= {"up": 0, "down": 0, "abstain": 1, "voters": 1}.items()
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1
    actions = db.session.scalars(select(History.action).where(History.entity == "term")).all()
    assert actions.count("vote.cast") == 1
    assert actions.count("vote.change") == 2


def test_the_same_vote_again_writes_no_history(room) -> None:
    _meetup_id, _ballot_id, voters, (a, _b, _c) = room
    voting.cast_vote(voters[0].actor, a.id, 1)
    voting.cast_vote(voters[0].actor, a.id, 1)
    votes = select(func.count()).select_from(History).where(History.action.like("vote.%"))
    assert db.session.scalar(votes) == 1


def test_an_abstaining_room_reaches_quorum_for_one_judgement(people, room) -> None:
    _meetup_id, ballot_id, voters, (a, b, _c) = room
    vote_all(voters[:2], b.id, [0, 0])
    voting.cast_vote(voters[2].actor, a.id, 1)
    outcome = ballots.close_ballot(people["moderator"].actor, ballot_id)
    assert outcome["voters"] == 3
    assert status_of(a.id) == "preferred"
    assert status_of(b.id) == "proposed"


def test_an_invalid_vote_value_is_refused(room) -> None:
    with pytest.raises(InvalidInput):
        voting.cast_vote(room[2][0].actor, room[3][0].id, 2)


def test_closing_twice_returns_the_same_decision_and_changes_nothing(people, room) -> None:
    _meetup_id, ballot_id, voters, (a, _b, _c) = room
    vote_all(voters[:3], a.id, [1, 1, 1])
    first = ballots.close_ballot(people["moderator"].actor, ballot_id)
    rows = db.session.scalar(select(func.count()).select_from(History))
    assert ballots.close_ballot(people["moderator"].actor, ballot_id) == first
    assert db.session.scalar(select(func.count()).select_from(History)) == rows


def test_votes_after_closing_are_refused(people, room) -> None:
    _meetup_id, ballot_id, voters, (a, _b, _c) = room
    ballots.close_ballot(people["moderator"].actor, ballot_id)
    with pytest.raises(Conflict, match="no ballot is open"):
        voting.cast_vote(voters[0].actor, a.id, 1)


def test_votes_without_a_ballot_are_refused(people, concept) -> None:
    with pytest.raises(Conflict):
        voting.cast_vote(people["editor"].actor, kk_terms(concept)[0].id, 1)


def test_a_new_winner_demotes_the_old_preferred_term(people, concept) -> None:
    a, b, _c = kk_terms(concept)
    for winner in (a, b):
        meetup_id = new_meetup(people["moderator"], quorum=3)
        ballot = voting.open_ballot(
            people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id
        )
        vote_all(guests(meetup_id, 3), winner.id, [1, 1, 1])
        ballots.close_ballot(people["moderator"].actor, ballot.id)
    # The second meetup revisited the slot: b won, a stays in use as admitted.
    assert (status_of(a.id), status_of(b.id)) == ("admitted", "preferred")
    assert status_of(next(t.id for t in concept.terms if t.lang == "en")) == "preferred"


def test_closing_the_meetup_closes_every_ballot_and_returns_the_decisions(people, concept, room):
    meetup_id, ballot_id, voters, (a, _b, _c) = room
    vote_all(voters[:3], a.id, [1, 1, 1])
    result = ballots.close_meetup(people["moderator"].actor, meetup_id)
    assert result["state"] == "closed"
    assert [d["ballot"] for d in result["decisions"]] == [ballot_id]
    assert result["decisions"][0]["winner"] == a.id
    assert ballots.close_meetup(people["moderator"].actor, meetup_id) == result
    with pytest.raises(Conflict):
        voting.open_ballot(people["moderator"].actor, concept.uid, "en", meetup_id=meetup_id)


def test_proposals_with_the_same_norm_merge(people, room) -> None:
    _meetup_id, ballot_id, voters, _terms = room
    term, created = voting.propose_term(voters[0].actor, ballot_id, {"text": "Дерек базасы"})
    again, created_again = voting.propose_term(voters[1].actor, ballot_id, {"text": "дерек базасы"})
    assert (created, created_again, again.id) == (True, False, term.id)
    assert term.status == "proposed"
    assert voting.propose_term(people["editor"].actor, ballot_id, {"text": "ДЕРЕКҚОР"})[1] is False


def test_participants_cannot_set_a_status_by_proposing(room) -> None:
    _meetup_id, ballot_id, voters, _terms = room
    term, _ = voting.propose_term(
        voters[0].actor, ballot_id, {"text": "база", "status": "preferred"}
    )
    assert term.status == "proposed"


# -- who may do what ---------------------------------------------------------------------------
def test_guests_of_another_meetup_and_viewers_cannot_vote(people, room) -> None:
    _meetup_id, ballot_id, _voters, (a, _b, _c) = room
    [stranger] = guests(new_meetup(people["moderator"]), 1)
    for outsider in (stranger.actor, people["viewer"].actor):
        with pytest.raises(Forbidden):
            voting.cast_vote(outsider, a.id, 1)
        with pytest.raises(Forbidden):
            voting.propose_term(outsider, ballot_id, {"text": "жаңа"})
    with pytest.raises(Unauthorized):
        voting.cast_vote(actor_for(None), a.id, 1)


def test_editors_vote_in_any_ballot(people, room) -> None:
    a = room[3][0]
    assert voting.cast_vote(people["editor"].actor, a.id, 1)["up"] == 1


def test_participants_cannot_open_or_close_ballots(people, concept, room) -> None:
    meetup_id, ballot_id, voters, _terms = room
    with pytest.raises(Forbidden):
        ballots.close_ballot(voters[0].actor, ballot_id)
    with pytest.raises(Forbidden):
        voting.open_ballot(voters[0].actor, concept.uid, "en", meetup_id=meetup_id)
    with pytest.raises(Forbidden):
        ballots.close_meetup(people["editor"].actor, meetup_id)


# -- online ballots ----------------------------------------------------------------------------
def test_an_online_ballot_needs_a_moderator_and_a_future_closing_time(people, concept) -> None:
    soon = utcnow() + timedelta(hours=1)
    with pytest.raises(Forbidden):
        voting.open_ballot(people["editor"].actor, concept.uid, "kk", closes_at=soon)
    with pytest.raises(InvalidInput):
        voting.open_ballot(people["moderator"].actor, concept.uid, "kk")
    with pytest.raises(InvalidInput):
        voting.open_ballot(people["moderator"].actor, concept.uid, "kk", closes_at=utcnow())


def test_a_due_online_ballot_closes_on_the_next_request(people, concept) -> None:
    a = kk_terms(concept)[0]
    soon = utcnow() + timedelta(hours=1)
    ballot = voting.open_ballot(people["moderator"].actor, concept.uid, "kk", closes_at=soon)
    voters = [people[role] for role in ("editor", "moderator", "admin")]
    vote_all(voters, a.id, [1, 1, 1])
    # The closing time passes without anyone closing it.
    db.session.get(Ballot, ballot.id).closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(Conflict):
        voting.cast_vote(people["editor"].actor, a.id, -1)
    closed = db.session.get(Ballot, ballot.id)
    assert closed.state == "closed"
    assert closed.outcome["closed_by"] == "closing time"
    assert status_of(a.id) == "preferred"


def test_participants_cannot_vote_in_online_ballots(people, concept) -> None:
    soon = utcnow() + timedelta(hours=1)
    voting.open_ballot(people["moderator"].actor, concept.uid, "kk", closes_at=soon)
    [guest] = guests(new_meetup(people["moderator"]), 1)
    with pytest.raises(Forbidden, match="online ballots"):
        voting.cast_vote(guest.actor, kk_terms(concept)[0].id, 1)


# -- secrecy and history -----------------------------------------------------------------------
def test_secret_ballots_show_tallies_and_organisers_see_who_not_how(people, concept) -> None:
    meetup_id = new_meetup(people["moderator"], secret=True, quorum=1)
    voting.open_ballot(people["moderator"].actor, concept.uid, "kk", meetup_id=meetup_id)
    a = kk_terms(concept)[0]
    voters = guests(meetup_id, 2, prefix="secret")
    vote_all(voters, a.id, [1, -1])
    public = voting.term_votes(people["viewer"].actor, a.id)
    assert public.items() >= {"up": 1, "down": 1, "voters": 2, "secret": True}.items()
    assert "votes" not in public
    assert "voted" not in public
    organiser = voting.term_votes(people["moderator"].actor, a.id)
    assert organiser["voted"] == ["secret 0", "secret 1"]
    assert "votes" not in organiser
    entries = meetups.concept_history(people["viewer"].actor, concept.uid)
    vote_rows = [e for e in entries if e["action"] == "vote.cast"]
    assert len(vote_rows) == 2
    assert all(e["actor"] is None and "value" not in e["after"] for e in vote_rows)
    for_organiser = meetups.concept_history(people["moderator"].actor, concept.uid)
    names = {e["actor"] for e in for_organiser if e["action"] == "vote.cast"}
    assert names == {"secret 0", "secret 1"}


def test_open_ballots_show_each_vote(people, room) -> None:
    _meetup_id, _ballot_id, voters, (a, _b, _c) = room
    vote_all(voters[:2], a.id, [1, -1])
    view = voting.term_votes(actor_for(None), a.id)
    assert view["votes"] == [{"voter": "guest 0", "value": 1}, {"voter": "guest 1", "value": -1}]
    history_values = [
        e["after"]["value"]
        for e in meetups.concept_history(actor_for(None), room[3][0].concept.uid)
        if e["action"] == "vote.cast"
    ]
    assert history_values == [1, -1]
