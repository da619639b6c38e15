"""Meetup pages through the test client: organisers, the projector, joining, voting, privacy."""

from __future__ import annotations

import re

import pytest

from glossary.extensions import db
from glossary.models import Ballot, Meetup, Term, User, Vote
from glossary.services import meetups, voting
from glossary.services.actors import CLI, actor_for
from glossary.services.terms import create_concept
from tests.web.page_helpers import (
    counted_queries,
    csrf_token,
    new_client,
    post_form,
    sign_in_as,
    text,
)


@pytest.fixture
def client(app):
    """The organiser's browser."""
    return new_client(app)


@pytest.fixture
def organiser(app, client):
    """A moderator signed in on ``client``."""
    return sign_in_as(client, "organiser", "moderator")


@pytest.fixture
def concept(app):
    return create_concept(
        CLI,
        domain="computing",
        terms=[{"lang": "en", "text": "database"}, {"lang": "tr", "text": "veritabanı"}],
    )


@pytest.fixture
def meetup(organiser):
    return meetups.create_meetup(actor_for(organiser), name="Almaty Wikimeetup", quorum=1)


@pytest.fixture
def ballot(meetup, organiser, concept):
    ballot = voting.open_ballot(actor_for(organiser), concept.uid, "kk", meetup_id=meetup.id)
    voting.propose_term(actor_for(organiser), ballot.id, {"text": "дерекқор"})
    return ballot


def join(app, meetup: Meetup, name: str, code: str | None = None):
    """A fresh phone that joins ``meetup`` through /join/<code>; returns its client."""
    phone = new_client(app)
    code = code or meetup.join_code
    response = post_form(phone, "/join", {"code": code, "name": name}, token_from=f"/join/{code}")
    assert response.status_code == 302, text(response)[:400]
    assert response.headers["Location"].endswith(f"/meetups/{meetup.id}")
    return phone


def candidate_id(text_term: str) -> int:
    return db.session.scalar(db.select(Term.id).where(Term.text == text_term))


def vote(phone, meetup, ballot, term_id: int, value: str):
    return post_form(
        phone,
        f"/meetups/{meetup.id}/ballots/{ballot.id}/vote",
        {"term": term_id, "value": value},
        token_from=f"/meetups/{meetup.id}",
    )


# -- organisers -------------------------------------------------------------------------------
def test_anyone_sees_the_list_but_only_moderators_get_the_create_form(app, client, meetup):
    anonymous = new_client(app)
    page = text(anonymous.get("/meetups"))
    assert "Almaty Wikimeetup" in page and 'name="quorum"' not in page
    assert 'name="quorum"' in text(client.get("/meetups"))


def test_a_moderator_creates_a_meetup_and_lands_on_its_dashboard(app, client, organiser):
    response = post_form(
        client, "/meetups", {"name": "Bishkek", "quorum": "5", "threshold": "0.7", "secret": "on"}
    )
    assert response.status_code == 302
    created = db.session.scalar(db.select(Meetup).where(Meetup.name == "Bishkek"))
    assert (created.quorum, created.threshold, created.secret) == (5, 0.7, True)
    assert response.headers["Location"].endswith(f"/meetups/{created.id}/organise")
    dashboard = text(client.get(f"/meetups/{created.id}/organise"))
    assert created.join_code in dashboard and f"/join/{created.join_code}" in dashboard


def test_bad_meetup_rules_are_shown_on_the_form_not_a_crash(app, client, organiser):
    response = post_form(client, "/meetups", {"name": "X", "quorum": "many"})
    assert response.status_code == 422 and "quorum must be a number" in text(response)
    response = post_form(client, "/meetups", {"name": "X", "threshold": "1.5"})
    assert response.status_code == 422 and "threshold" in text(response)
    assert db.session.scalar(db.select(db.func.count(Meetup.id))) == 0


def test_creating_needs_a_moderator_and_a_csrf_token(app, client, organiser):
    assert client.post("/meetups", data={"name": "No token"}).status_code == 400
    editor = new_client(app)
    sign_in_as(editor, "ed", "editor")
    assert post_form(editor, "/meetups", {"name": "By an editor"}).status_code == 403
    anonymous = new_client(app)
    response = post_form(anonymous, "/meetups", {"name": "Nobody"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(Meetup.id))) == 0


def test_dashboard_and_screen_are_for_organisers_only(app, meetup):
    editor = new_client(app)
    sign_in_as(editor, "ed", "editor")
    phone = join(app, meetup, "Guest")
    for path in (
        f"/meetups/{meetup.id}/organise",
        f"/meetups/{meetup.id}/screen",
        f"/meetups/{meetup.id}/qr.svg",
    ):
        assert editor.get(path).status_code == 403, path
        assert phone.get(path).status_code == 403, path
        anonymous = new_client(app).get(path)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_dashboard_finds_concepts_by_term_or_url(app, client, meetup, concept):
    page = f"/meetups/{meetup.id}/organise"
    found = text(client.get(f"{page}?find=VERITABANI&lang=kk"))
    assert f'name="concept" value="{concept.uid}"' in found
    assert 'name="lang" value="kk"' in found and "Open a ballot in kk" in found
    by_url = text(client.get(f"{page}?find=http://x.org/concepts/{concept.uid}&lang=kk"))
    assert f'name="concept" value="{concept.uid}"' in by_url
    nothing = text(client.get(f"{page}?find=zzzqqq&lang=kk"))
    assert "No concept matches" in nothing


def test_opening_a_ballot_on_an_unknown_concept_is_a_message(app, client, meetup):
    page = f"/meetups/{meetup.id}/organise"
    response = post_form(
        client, f"/meetups/{meetup.id}/ballots", {"concept": "no-such-uid", "lang": "kk"}
    )
    assert response.status_code == 302
    assert "no concept" in text(client.get(page)).lower()
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 0


def test_organiser_opens_and_closes_a_ballot_and_the_rules_decide(app, client, meetup, concept):
    page = f"/meetups/{meetup.id}/organise"
    response = post_form(
        client,
        f"/meetups/{meetup.id}/ballots",
        {"concept": f"http://example.org/concepts/{concept.uid}/", "lang": "kk"},
        token_from=page,
    )
    assert response.status_code == 302
    opened = db.session.scalar(db.select(Ballot))
    assert (opened.lang, opened.state) == ("kk", "open")
    again = post_form(
        client, f"/meetups/{meetup.id}/ballots", {"concept": concept.uid, "lang": "kk"}
    )
    assert "already open" in text(client.get(page))  # the refusal is flashed, not a 500
    assert again.status_code == 302

    voting.propose_term(actor_for(db.session.get(User, 1)), opened.id, {"text": "дерекқор"})
    phone = join(app, meetup, "Aruzhan")
    vote(phone, meetup, opened, candidate_id("дерекқор"), "approve")
    post_form(client, f"/meetups/{meetup.id}/ballots/{opened.id}/close", token_from=page)
    db.session.refresh(opened)
    assert opened.state == "closed" and opened.outcome["result"] == "winner"
    dashboard = text(client.get(page))
    assert "result: a preferred term was chosen" in dashboard and "preferred" in dashboard


def test_rotating_the_code_locks_out_the_old_one_but_keeps_those_inside(app, client, meetup):
    old_code = meetup.join_code
    phone = join(app, meetup, "Early bird")
    post_form(
        client, f"/meetups/{meetup.id}/rotate-code", token_from=f"/meetups/{meetup.id}/organise"
    )
    db.session.refresh(meetup)
    assert meetup.join_code != old_code
    late = new_client(app)
    response = post_form(late, "/join", {"code": old_code, "name": "Late"}, token_from="/join")
    assert response.status_code == 403
    assert "wrong or has been replaced" in text(response)
    assert "Open ballots" in text(phone.get(f"/meetups/{meetup.id}"))  # still in
    join(app, meetup, "On time", code=meetup.join_code.lower().replace("-", " "))


def test_closing_the_meetup_stops_joining(app, client, meetup, ballot):
    post_form(client, f"/meetups/{meetup.id}/close", token_from=f"/meetups/{meetup.id}/organise")
    db.session.refresh(meetup)
    assert meetup.state == "closed"
    assert db.session.get(Ballot, ballot.id).state == "closed"
    phone = new_client(app)
    response = post_form(
        phone, "/join", {"code": meetup.join_code, "name": "Too late"}, token_from="/join"
    )
    assert response.status_code == 409 and "closed" in text(response)


# -- the projector ----------------------------------------------------------------------------
def test_screen_shows_code_qr_and_tally(app, client, meetup, ballot):
    page = text(client.get(f"/meetups/{meetup.id}/screen"))
    assert meetup.join_code in page and "дерекқор" in page
    assert f"/meetups/{meetup.id}/qr.svg" in page and "meetup-live.js" in page
    assert "<script>" not in page  # the CSP allows no inline code
    qr = client.get(f"/meetups/{meetup.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def test_tally_json_counts_votes_and_tells_the_code_only_to_organisers(app, client, meetup, ballot):
    phone = join(app, meetup, "Dana")
    vote(phone, meetup, ballot, candidate_id("дерекқор"), "approve")
    for_organiser = client.get(f"/meetups/{meetup.id}/tally.json").get_json()
    assert for_organiser["join_code"] == meetup.join_code
    [shown] = for_organiser["ballots"]
    assert shown["voters"] == 1 and shown["candidates"][0]["up"] == 1
    public = new_client(app).get(f"/meetups/{meetup.id}/tally.json").get_json()
    assert "join_code" not in public and public["ballots"] == for_organiser["ballots"]


# -- joining and voting -----------------------------------------------------------------------
def test_join_page_asks_for_a_name_and_signs_the_guest_in(app, meetup, ballot):
    phone = new_client(app)
    form = text(phone.get(f"/join/{meetup.join_code}"))
    assert 'name="name"' in form and "Almaty Wikimeetup" in form
    phone = join(app, meetup, "  Aigerim   S. ")
    guest = db.session.scalar(db.select(User).where(User.role == "participant"))
    assert (guest.display_name, guest.meetup_id) == ("Aigerim S.", meetup.id)
    view = text(phone.get(f"/meetups/{meetup.id}"))
    assert f"/meetups/{meetup.id}/ballots/{ballot.id}" in view
    # Coming back through the QR code does not create a second participant.
    again = phone.get(f"/join/{meetup.join_code}")
    assert again.status_code == 302
    assert (
        db.session.scalar(db.select(db.func.count(User.id)).where(User.role == "participant")) == 1
    )


@pytest.mark.parametrize("code", ["WRONG-CODE", "ABCD-EFGH", "x"])
def test_a_wrong_code_gets_a_clear_message(app, meetup, code):
    phone = new_client(app)
    assert phone.get(f"/join/{code}").status_code == 403
    response = post_form(phone, "/join", {"code": code, "name": "Someone"}, token_from="/join")
    assert response.status_code == 403
    assert "wrong or has been replaced; ask the organisers" in text(response)
    assert (
        db.session.scalar(db.select(db.func.count(User.id)).where(User.role == "participant")) == 0
    )


def test_an_empty_name_is_refused_with_a_message(app, meetup):
    phone = new_client(app)
    response = post_form(
        phone, "/join", {"code": meetup.join_code, "name": "   "}, token_from="/join"
    )
    assert response.status_code == 422 and "a name is 1 to 120 characters" in text(response)


def test_failed_joins_are_rate_limited_per_address(app, meetup):
    from glossary.extensions import limiter

    app.config["RATELIMIT_FAILED_JOINS"] = "3 per minute"
    try:
        limiter.reset()
        phone = new_client(app)
        token = csrf_token(phone, "/join")
        statuses = [
            phone.post("/join", data={"code": "NOPE", "name": "x", "csrf_token": token}).status_code
            for _ in range(4)
        ]
        assert statuses == [403, 403, 403, 429]
    finally:
        app.config.pop("RATELIMIT_FAILED_JOINS")
        limiter.reset()


def test_participant_votes_changes_the_vote_and_sees_own_choice(app, meetup, ballot):
    phone = join(app, meetup, "Nurlan")
    term_id = candidate_id("дерекқор")
    response = vote(phone, meetup, ballot, term_id, "approve")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#term-{term_id}")
    page = text(phone.get(f"/meetups/{meetup.id}/ballots/{ballot.id}"))
    assert re.search(r'value="approve"[^>]*aria-pressed="true"', page)
    assert re.search(r'value="object"[^>]*aria-pressed="false"', page)
    vote(phone, meetup, ballot, term_id, "object")
    votes = db.session.scalars(db.select(Vote)).all()
    assert [v.value for v in votes] == [-1]  # changed, not doubled
    page = text(phone.get(f"/meetups/{meetup.id}/ballots/{ballot.id}"))
    assert re.search(r'value="object"[^>]*aria-pressed="true"', page)


def test_bad_vote_forms_are_refused(app, meetup, ballot, concept):
    phone = join(app, meetup, "Tester")
    assert vote(phone, meetup, ballot, candidate_id("дерекқор"), "maybe").status_code == 422
    english = candidate_id("database")  # not a candidate of the kk ballot
    assert vote(phone, meetup, ballot, english, "approve").status_code == 422
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0


def test_a_guest_of_another_meetup_cannot_vote_here(app, organiser, meetup, ballot):
    other = meetups.create_meetup(actor_for(organiser), name="Tashkent")
    stranger = join(app, other, "Stranger")
    assert "To vote, join" in text(stranger.get(f"/meetups/{meetup.id}"))
    assert vote(stranger, meetup, ballot, candidate_id("дерекқор"), "approve").status_code == 403
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0


def test_voting_on_a_closed_ballot_says_it_is_closed(app, client, meetup, ballot):
    phone = join(app, meetup, "Slow")
    post_form(client, f"/meetups/{meetup.id}/ballots/{ballot.id}/close", token_from="/meetups")
    response = vote(phone, meetup, ballot, candidate_id("дерекқор"), "approve")
    assert response.status_code == 302
    page = text(phone.get(response.headers["Location"]))
    assert "is closed" in page and 'value="approve"' not in page


def test_participant_proposes_a_candidate_and_a_duplicate_merges(app, meetup, ballot):
    phone = join(app, meetup, "Proposer")
    path = f"/meetups/{meetup.id}/ballots/{ballot.id}/propose"
    post_form(phone, path, {"text": "деректер қоры"}, token_from=f"/meetups/{meetup.id}")
    page = text(phone.get(f"/meetups/{meetup.id}/ballots/{ballot.id}"))
    assert "деректер қоры" in page and "Your proposal is on the ballot." in page
    post_form(phone, path, {"text": "ДЕРЕКҚОР"}, token_from=f"/meetups/{meetup.id}")
    page = text(phone.get(f"/meetups/{meetup.id}/ballots/{ballot.id}"))
    assert "It is already a candidate." in page
    assert len(voting.ballot_view(ballot)["candidates"]) == 2


def test_editors_vote_without_a_code(app, meetup, ballot):
    editor = new_client(app)
    sign_in_as(editor, "ed", "editor")
    assert vote(editor, meetup, ballot, candidate_id("дерекқор"), "abstain").status_code == 302
    assert db.session.scalar(db.select(Vote.value)) == 0


def test_secret_ballot_shows_nobody_how_others_voted(app, client, organiser, concept):
    secret = meetups.create_meetup(actor_for(organiser), name="Secret", quorum=1, secret=True)
    ballot = voting.open_ballot(actor_for(organiser), concept.uid, "kk", meetup_id=secret.id)
    voting.propose_term(actor_for(organiser), ballot.id, {"text": "дерекқор"})
    term_id = candidate_id("дерекқор")
    aigerim = join(app, secret, "Aigerim Qasymova")
    bolat = join(app, secret, "Bolat")
    vote(aigerim, secret, ballot, term_id, "object")
    vote(bolat, secret, ballot, term_id, "approve")
    pages = [
        text(bolat.get(f"/meetups/{secret.id}/ballots/{ballot.id}")),
        text(bolat.get(f"/meetups/{secret.id}")),
        text(client.get(f"/meetups/{secret.id}/screen")),
        text(client.get(f"/meetups/{secret.id}/organise")),
        text(new_client(app).get(f"/meetups/{secret.id}/tally.json")),
    ]
    for page in pages:
        assert "Aigerim" not in page
    # Bolat sees the counts and his own approval, never Aigerim's objection as hers.
    assert re.search(r'value="approve"[^>]*aria-pressed="true"', pages[0])
    assert re.search(r'value="object"[^>]*aria-pressed="false"', pages[0])
    assert '<b data-field="up">1</b>' in pages[0] and '<b data-field="down">1</b>' in pages[0]


def test_meetup_pages_cost_the_same_queries_for_few_or_many_candidates_and_voters(
    app, client, organiser
):
    """No N+1: queries grow with the open ballots (a handful), never with candidates or votes."""
    actor = actor_for(organiser)

    def queries_for(candidates: int, voters: int) -> dict[str, int]:
        meetup = meetups.create_meetup(actor, name=f"M{candidates}", quorum=1)
        concept = create_concept(CLI, terms=[{"lang": "en", "text": f"thing {candidates}"}])
        ballot = voting.open_ballot(actor, concept.uid, "kk", meetup_id=meetup.id)
        terms = [
            voting.propose_term(actor, ballot.id, {"text": f"нұсқа {n}"})[0].id
            for n in range(candidates)
        ]
        for n in range(voters):
            guest, _token = meetups.join_meetup(meetup.id, meetup.join_code, f"Voter {n}")
            voting.cast_vote(actor_for(guest, meetup.id), terms[n % candidates], 1)
        phone = join(app, meetup, "Counter")
        counts = {}
        for name, browser, path in (
            ("tally", client, f"/meetups/{meetup.id}/tally.json"),
            ("screen", client, f"/meetups/{meetup.id}/screen"),
            ("phone", phone, f"/meetups/{meetup.id}"),
            ("ballot", phone, f"/meetups/{meetup.id}/ballots/{ballot.id}"),
        ):
            with counted_queries() as statements:
                assert browser.get(path).status_code == 200
            counts[name] = len(statements)
        return counts

    few, many = queries_for(2, 1), queries_for(10, 12)
    assert few == many
