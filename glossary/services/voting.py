"""Voting on an open ballot: opening slots, proposing candidates, casting votes, tallies."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select

from glossary.errors import Conflict, Forbidden, InvalidInput, NotFound
from glossary.extensions import db
from glossary.models import Ballot, Meetup, Term, User, Vote, utcnow
from glossary.ops.metrics import count_vote
from glossary.services import history
from glossary.services.actors import Actor
from glossary.services.ballots import (
    Tally,
    _votes_by_ballot,
    ballot_rules,
    ballot_tallies,
    close_due_ballots,
    concept_uids,
    is_due,
    iso,
    locked_ballot,
    require_runner,
    slot,
    slot_voters,
)
from glossary.services.languages import ensure_language, resolve_language
from glossary.services.meetups import as_utc, get_meetup, is_organiser, require_open, voter_name
from glossary.services.terms import _term_values, get_concept, queue_index, term_snapshot
from glossary.services.transactions import run_write

VOTE_VALUES = (1, -1, 0)  # approve, object, abstain


def get_term(term_id: int) -> Term:
    term = db.session.get(Term, term_id)
    if term is None:
        raise NotFound(f"no term {term_id}")
    return term


def _require_voter(actor: Actor, ballot: Ballot) -> None:
    """Meetup guests act in their own meetup; editors and above in any ballot."""
    actor.require("participant")
    scope = actor.meetup_id or (actor.user.meetup_id if actor.user is not None else None)
    if scope is not None and scope != ballot.meetup_id:
        where = f"meetup {ballot.meetup_id}" if ballot.meetup_id else "online ballots"
        raise Forbidden(f"you joined meetup {scope}; you cannot take part in {where}")
    if scope is None and not actor.has_role("editor"):
        raise Forbidden("join the meetup with its code, or sign in as an editor")


# -- opening, proposing, voting ----------------------------------------------------------------
def open_ballot(
    actor: Actor,
    concept_uid: str,
    lang: str,
    *,
    meetup_id: int | None = None,
    closes_at: datetime | None = None,
) -> Ballot:
    """Open a slot for votes: in a meetup (organisers) or online with a closing time."""
    require_runner(actor, meetup_id)
    concept_id = get_concept(concept_uid).id
    tag = resolve_language(lang)
    closes_at = as_utc(closes_at)
    if meetup_id is not None:
        require_open(get_meetup(meetup_id))
    elif closes_at is None:
        raise InvalidInput("an online ballot needs a closing time", field="closes_at")
    if closes_at is not None and closes_at <= utcnow():
        raise InvalidInput("the closing time must be in the future", field="closes_at")
    close_due_ballots(*slot(concept_id, tag))

    def work() -> Ballot:
        ensure_language(tag)
        open_id = db.session.scalar(select(Ballot.id).where(*slot(concept_id, tag), _open()))
        if open_id is not None:
            raise Conflict(f"ballot {open_id} is already open on this slot", ballot=open_id)
        ballot = Ballot(
            meetup_id=meetup_id,
            concept_id=concept_id,
            lang=tag,
            opened_by_id=actor.user_id,
            closes_at=closes_at,
        )
        db.session.add(ballot)
        db.session.flush()
        history.record(
            actor,
            "ballot.open",
            "ballot",
            ballot.id,
            concept_id=concept_id,
            after={"lang": tag, "meetup": meetup_id, "closes_at": iso(closes_at)},
        )
        return ballot

    return run_write(work)


def _open() -> ColumnElement[bool]:
    return Ballot.state == "open"


def _open_ballot_locked(ballot_id: int) -> Ballot:
    ballot = locked_ballot(ballot_id, shared=True)
    if ballot.state != "open" or is_due(ballot):
        raise Conflict(f"ballot {ballot_id} is closed", ballot=ballot_id)
    return ballot


def propose_term(actor: Actor, ballot_id: int, spec: dict[str, Any]) -> tuple[Term, bool]:
    """Add a candidate to an open ballot's slot; the same text (by ``norm``) merges.

    Returns the term and whether it is new.
    """
    actor.require("participant")
    close_due_ballots(Ballot.id == ballot_id)

    def work() -> tuple[Term, bool]:
        ballot = _open_ballot_locked(ballot_id)
        _require_voter(actor, ballot)
        # Participants may only propose: the status is never theirs to set.
        values = _term_values(actor, {**spec, "lang": ballot.lang, "status": None})
        existing = db.session.scalar(
            select(Term).where(
                Term.concept_id == ballot.concept_id,
                Term.lang == values["lang"],
                Term.norm == values["norm"],
            )
        )
        if existing is not None:
            return existing, False
        term = Term(**values, concept_id=ballot.concept_id, meetup_id=ballot.meetup_id)
        db.session.add(term)
        db.session.flush()
        history.record(
            actor,
            "term.propose",
            "term",
            term.id,
            concept_id=ballot.concept_id,
            after={**term_snapshot(term), "ballot": ballot.id, "meetup": ballot.meetup_id},
        )
        queue_index([term.id])
        return term, True

    return run_write(work)


class _BallotDue(Exception):
    """The slot's online ballot is past its closing time: close it, then refuse the vote."""

    def __init__(self, ballot_id: int) -> None:
        self.ballot_id = ballot_id


def _locked_open_ballot_of(term_id: int) -> Ballot:
    """The open ballot on the term's slot, share-locked, its meetup loaded in the same query.

    One statement instead of four (term, open ballot, lock, meetup rules): every statement
    runs under SQLite's write lock, and a shorter hold serves a room of phones faster.
    """
    row = db.session.execute(
        select(Ballot, Meetup)
        .join(Term, and_(Term.concept_id == Ballot.concept_id, Term.lang == Ballot.lang))
        .outerjoin(Meetup, Meetup.id == Ballot.meetup_id)
        .where(Term.id == term_id, _open())
        .with_for_update(read=True, of=Ballot)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        term = get_term(term_id)  # an unknown term is a 404, not a 409
        raise Conflict(f"no ballot is open on the {term.lang} terms of this concept", term=term_id)
    ballot: Ballot = row[0]
    if is_due(ballot):
        raise _BallotDue(ballot.id)
    return ballot


def cast_vote(actor: Actor, term_id: int, value: int) -> dict[str, Any]:
    """Cast or change ``actor``'s vote on a term of an open ballot; returns the new tally."""
    actor.require("participant")
    if value not in VOTE_VALUES:
        raise InvalidInput("a vote is 1 (approve), -1 (object) or 0 (abstain)", field="value")

    def work() -> dict[str, Any]:
        ballot = _locked_open_ballot_of(term_id)
        _require_voter(actor, ballot)
        rules = ballot_rules(ballot)  # the meetup is already loaded: no query
        secret = rules[2]
        voter_id = actor.user_id
        vote = db.session.scalar(
            select(Vote).where(
                Vote.ballot_id == ballot.id, Vote.term_id == term_id, Vote.voter_id == voter_id
            )
        )
        before = None if vote is None else vote.value
        if vote is None:
            vote = Vote(
                uid=str(uuid.uuid4()),
                ballot_id=ballot.id,
                term_id=term_id,
                voter_id=voter_id,
                value=value,
            )
            db.session.add(vote)
        vote.value = value
        if before != value:
            after: dict[str, Any] = {"ballot": ballot.id, "meetup": ballot.meetup_id}
            # Secret ballots: the row says that someone voted, never how.
            after.update({"secret": True} if secret else {"value": value})
            history.record(
                actor,
                "vote.cast" if before is None else "vote.change",
                "term",
                term_id,
                concept_id=ballot.concept_id,
                before=None if secret or before is None else {"value": before},
                after=after,
            )
        db.session.flush()
        # Counted in the same transaction: the tally this voter sees includes their vote, and
        # the request holds no connection after the commit (the outbox hook needs one).
        return _tally(ballot.id, ballot.state, rules, term_id)

    try:
        tally = run_write(work)
    except _BallotDue as due:
        close_due_ballots(Ballot.id == due.ballot_id)
        raise Conflict(f"ballot {due.ballot_id} is closed", ballot=due.ballot_id) from None
    count_vote(value)  # after the commit: only stored votes are counted
    return tally


# -- tallies -----------------------------------------------------------------------------------
def tally_view(ballot: Ballot, term_id: int) -> dict[str, Any]:
    """A term's tally in a ballot, with the slot's voter count the quorum is measured on."""
    return _tally(ballot.id, ballot.state, ballot_rules(ballot), term_id)


def _tally(
    ballot_id: int, state: str, rules: tuple[int, float, bool], term_id: int
) -> dict[str, Any]:
    tally = ballot_tallies(ballot_id, term_id).get(term_id, Tally())
    quorum, threshold, secret = rules
    return {
        **tally.as_dict(),
        "ballot": ballot_id,
        "state": state,
        "slot_voters": slot_voters(ballot_id),
        "quorum": quorum,
        "threshold": threshold,
        "secret": secret,
    }


def _who_voted(ballot_id: int, term_id: int) -> list[tuple[str | None, int]]:
    rows = db.session.execute(
        select(User, Vote.value)
        .join(Vote, Vote.voter_id == User.id)
        .where(Vote.ballot_id == ballot_id, Vote.term_id == term_id)
        .order_by(Vote.id)
    )
    return [(voter_name(user), value) for user, value in rows]


def term_votes(viewer: Actor, term_id: int) -> dict[str, Any]:
    """A term's tally in its slot's latest ballot; open ballots also list each vote.

    In a secret ballot the tally is all the public sees; organisers also see who voted.
    """
    term = get_term(term_id)
    close_due_ballots(*slot(term.concept_id, term.lang))
    # One ballot is open per slot at a time, so the newest is the open one if any is.
    ballot = db.session.scalar(
        select(Ballot).where(*slot(term.concept_id, term.lang)).order_by(Ballot.id.desc())
    )
    if ballot is None:
        return {**Tally().as_dict(), "ballot": None, "state": None, "slot_voters": 0}
    view = tally_view(ballot, term_id)
    voted = _who_voted(ballot.id, term_id)
    if not view["secret"]:
        view["votes"] = [{"voter": name, "value": value} for name, value in voted]
    elif ballot.meetup_id is not None and is_organiser(viewer, ballot.meetup_id):
        view["voted"] = sorted(name or "" for name, _ in voted)
    return view


def ballot_view(ballot: Ballot) -> dict[str, Any]:
    """A ballot with every term of its slot and its tally, for the meetup pages and the API."""
    close_due_ballots(Ballot.id == ballot.id)
    db.session.refresh(ballot)
    return ballot_views([ballot])[0]


def ballot_views(rows: Sequence[Ballot]) -> list[dict[str, Any]]:
    """Several ballots as ``ballot_view`` shows each, in a fixed handful of queries (a page of
    a meetup's ballots costs the same for one ballot or two hundred). Close due ones first."""
    if not rows:
        return []
    tallies, voters = _votes_by_ballot([ballot.id for ballot in rows])
    concept_ids = {ballot.concept_id for ballot in rows}
    uids = concept_uids(concept_ids)
    slots = {(ballot.concept_id, ballot.lang) for ballot in rows}
    candidates: dict[tuple[int, str], list[Term]] = defaultdict(list)
    for term in db.session.scalars(
        select(Term).where(Term.concept_id.in_(concept_ids)).order_by(Term.id)
    ):
        if (term.concept_id, term.lang) in slots:
            candidates[(term.concept_id, term.lang)].append(term)
    rules: dict[int | None, tuple[int, float, bool]] = {}
    views = []
    for ballot in rows:
        if ballot.meetup_id not in rules:
            rules[ballot.meetup_id] = ballot_rules(ballot)
        quorum, threshold, secret = rules[ballot.meetup_id]
        terms = candidates[(ballot.concept_id, ballot.lang)]
        views.append(
            {
                "id": ballot.id,
                "meetup": ballot.meetup_id,
                "concept": uids[ballot.concept_id],
                "lang": ballot.lang,
                "state": ballot.state,
                "opened_at": ballot.opened_at,
                "closes_at": ballot.closes_at,
                "closed_at": ballot.closed_at,
                "quorum": quorum,
                "threshold": threshold,
                "secret": secret,
                "voters": voters.get(ballot.id, 0),
                "candidates": [
                    {
                        **term_snapshot(t),
                        "id": t.id,
                        **tallies.get((ballot.id, t.id), Tally()).as_dict(),
                    }
                    for t in terms
                ],
                "outcome": ballot.outcome,
            }
        )
    return views
