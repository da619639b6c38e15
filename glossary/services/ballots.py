"""Ballots: their tallies, the decision rules of DESIGN.md §3, and closing them.

Every write is one short transaction (:func:`run_write`) that locks the ballot row: votes
share the lock, closing takes it alone, so no vote lands in a ballot after its tally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from glossary.errors import NotFound
from glossary.extensions import db
from glossary.models import Ballot, Concept, Definition, Meetup, Term, Vote, utcnow
from glossary.services import history
from glossary.services.actors import Actor
from glossary.services.meetups import get_meetup, require_organiser
from glossary.services.terms import queue_index
from glossary.services.transactions import run_write

# Online ballots belong to no meetup; they use the meetup defaults of the data model.
ONLINE_QUORUM = 3
ONLINE_THRESHOLD = 0.6
CLOSING_TIME = Actor(name="closing time", role="admin")  # who closes a due online ballot


@dataclass(frozen=True, slots=True)
class Tally:
    up: int = 0
    down: int = 0
    abstain: int = 0

    @property
    def voters(self) -> int:
        return self.up + self.down + self.abstain

    @property
    def share(self) -> Fraction | None:
        """Approval share up / (up + down), exact so that ties are real ties."""
        judged = self.up + self.down
        return Fraction(self.up, judged) if judged else None

    def as_dict(self) -> dict[str, int]:
        return {"up": self.up, "down": self.down, "abstain": self.abstain, "voters": self.voters}


@dataclass(frozen=True, slots=True)
class Decision:
    result: str  # "winner", "tie", "no_winner" or "no_quorum"
    winner: int | None
    statuses: dict[int, str]  # the new status of each term whose status changes


def decide(
    statuses: dict[int, str],
    tallies: dict[int, Tally],
    voters: int,
    quorum: int,
    threshold: float,
) -> Decision:
    """DESIGN.md §3 on one slot; ``statuses`` and ``tallies`` are keyed by term id.

    Quorum counts the slot's voters, abstentions included. Without it nothing changes. The
    candidate with the highest approval share at or above the threshold becomes preferred;
    a tie for that place decides nothing (every candidate keeps its status, so the room can
    vote again). Other candidates at or above the threshold become admitted, those below it
    rejected; the previous preferred term, if the room did not judge it, becomes admitted.
    Terms with only abstentions or no votes keep their status.
    """
    if voters < quorum:
        return Decision("no_quorum", None, {})
    bar = Fraction(threshold).limit_denominator(10_000)  # 0.6 is 3/5, not 0.59999…
    shares = {term_id: t.share for term_id, t in tallies.items() if t.share is not None}
    passing = {term_id: share for term_id, share in shares.items() if share >= bar}
    winner = None
    if passing:
        best = max(passing.values())
        top = [term_id for term_id, share in passing.items() if share == best]
        if len(top) > 1:
            return Decision("tie", None, {})
        winner = top[0]
    wanted: dict[int, str] = {}
    for term_id, share in shares.items():
        wanted[term_id] = "admitted" if share >= bar else "rejected"
    if winner is not None:
        wanted[winner] = "preferred"
        for term_id, status in statuses.items():
            if status == "preferred" and term_id not in shares:
                wanted[term_id] = "admitted"
    changes = {t: s for t, s in wanted.items() if statuses.get(t) != s}
    return Decision("no_winner" if winner is None else "winner", winner, changes)


# -- lookups ---------------------------------------------------------------------------------
def get_ballot(ballot_id: int) -> Ballot:
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None:
        raise NotFound(f"no ballot {ballot_id}")
    return ballot


def locked_ballot(ballot_id: int, *, shared: bool) -> Ballot:
    """The ballot, freshly read and locked: shared by votes, exclusive for closing."""
    query = select(Ballot).where(Ballot.id == ballot_id).with_for_update(read=shared)
    ballot = db.session.scalar(query.execution_options(populate_existing=True))
    if ballot is None:
        raise NotFound(f"no ballot {ballot_id}")
    return ballot


def is_due(ballot: Ballot) -> bool:
    return ballot.state == "open" and ballot.closes_at is not None and ballot.closes_at <= utcnow()


def ballot_rules(ballot: Ballot) -> tuple[int, float, bool]:
    """(quorum, threshold, secret) of the ballot's meetup, or the online defaults."""
    if ballot.meetup_id is None:
        return ONLINE_QUORUM, ONLINE_THRESHOLD, False
    meetup = get_meetup(ballot.meetup_id)
    return meetup.quorum, meetup.threshold, meetup.secret


def require_runner(actor: Actor, meetup_id: int | None) -> None:
    """Opening and closing: the meetup's organisers; online ballots: moderators."""
    if meetup_id is None:
        actor.require("moderator")
    else:
        require_organiser(actor, meetup_id)


def close_due_ballots(*where: ColumnElement[bool]) -> None:
    """Close online ballots past their closing time (the next request touching one does)."""
    due = db.session.scalars(
        select(Ballot.id).where(Ballot.state == "open", Ballot.closes_at <= utcnow(), *where)
    ).all()
    for ballot_id in due:
        run_write(lambda ballot_id=ballot_id: _close_locked(CLOSING_TIME, ballot_id))


def slot(concept_id: int, lang: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return Ballot.concept_id == concept_id, Ballot.lang == lang


# -- tallies -----------------------------------------------------------------------------------
def ballot_tallies(ballot_id: int, term_id: int | None = None) -> dict[int, Tally]:
    """Tallies by term id: of every candidate, or of ``term_id`` only."""
    counts: dict[int, dict[int, int]] = {}
    query = select(Vote.term_id, Vote.value, func.count()).where(Vote.ballot_id == ballot_id)
    if term_id is not None:
        query = query.where(Vote.term_id == term_id)
    rows = db.session.execute(query.group_by(Vote.term_id, Vote.value))
    for voted_term, value, count in rows:
        counts.setdefault(voted_term, {})[value] = count
    return {t: Tally(c.get(1, 0), c.get(-1, 0), c.get(0, 0)) for t, c in counts.items()}


def slot_voters(ballot_id: int) -> int:
    query = select(func.count(func.distinct(Vote.voter_id))).where(Vote.ballot_id == ballot_id)
    return int(db.session.scalar(query) or 0)


# -- closing -----------------------------------------------------------------------------------
def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _apply(actor: Actor, ballot: Ballot, terms: dict[int, Term], decision: Decision) -> None:
    """Write the new statuses, demotions first: one preferred term per slot at every flush."""
    order = sorted(decision.statuses.items(), key=lambda item: item[1] == "preferred")
    for term_id, status in order:
        term = terms[term_id]
        before = term.status
        term.status = status
        db.session.flush()
        history.record(
            actor,
            "term.status",
            "term",
            term_id,
            concept_id=ballot.concept_id,
            before={"status": before},
            after={"status": status, "ballot": ballot.id},
        )
    queue_index(list(decision.statuses))


def _close_locked(actor: Actor, ballot_id: int) -> dict[str, Any]:
    """Close one ballot inside the caller's transaction; closing twice changes nothing."""
    ballot = locked_ballot(ballot_id, shared=False)
    if ballot.state == "closed":
        return dict(ballot.outcome or {})
    quorum, threshold, _secret = ballot_rules(ballot)
    terms = {
        t.id: t
        for t in db.session.scalars(
            select(Term).where(Term.concept_id == ballot.concept_id, Term.lang == ballot.lang)
        )
    }
    tallies = ballot_tallies(ballot.id)
    voters = slot_voters(ballot.id)
    before = {term_id: term.status for term_id, term in terms.items()}
    decision = decide(before, tallies, voters, quorum, threshold)
    _apply(actor, ballot, terms, decision)
    now = utcnow()
    outcome = {
        "ballot": ballot.id,
        "meetup": ballot.meetup_id,
        "concept": db.session.get(Concept, ballot.concept_id).uid,  # type: ignore[union-attr]
        "lang": ballot.lang,
        "quorum": quorum,
        "threshold": threshold,
        "voters": voters,
        "result": decision.result,
        "winner": decision.winner,
        "terms": [
            {
                "id": term_id,
                "text": term.text,
                **tallies.get(term_id, Tally()).as_dict(),
                "share": _share(tallies.get(term_id)),
                "before": before[term_id],
                "after": term.status,
            }
            for term_id, term in sorted(terms.items())
        ],
        "closed_at": now.isoformat(),
        "closed_by": actor.name,
    }
    ballot.state, ballot.closed_at, ballot.outcome = "closed", now, outcome
    history.record(
        actor, "ballot.close", "ballot", ballot.id, concept_id=ballot.concept_id, after=outcome
    )
    return outcome


def _share(tally: Tally | None) -> float | None:
    share = tally.share if tally is not None else None
    return round(float(share), 4) if share is not None else None


def close_ballot(actor: Actor, ballot_id: int) -> dict[str, Any]:
    """Close a ballot and apply the rules; returns its decision record."""
    require_runner(actor, get_ballot(ballot_id).meetup_id)
    return run_write(lambda: _close_locked(actor, ballot_id))


def close_meetup(actor: Actor, meetup_id: int) -> dict[str, Any]:
    """Close a meetup and every ballot in it; returns all its decisions (again if closed)."""
    require_organiser(actor, meetup_id)

    def work() -> dict[str, Any]:
        meetup = db.session.scalar(select(Meetup).where(Meetup.id == meetup_id).with_for_update())
        if meetup is None:
            raise NotFound(f"no meetup {meetup_id}")
        ballot_ids = db.session.scalars(
            select(Ballot.id).where(Ballot.meetup_id == meetup_id).order_by(Ballot.id)
        ).all()
        decisions = [_close_locked(actor, ballot_id) for ballot_id in ballot_ids]
        if meetup.state != "closed":
            meetup.state, meetup.closed_at = "closed", utcnow()
            history.record(
                actor, "meetup.close", "meetup", meetup.id, after={"ballots": len(ballot_ids)}
            )
        return {"meetup": meetup.id, "state": meetup.state, "decisions": decisions}

    return run_write(work)


def meetup_ballots(meetup_id: int, *, open_only: bool = False) -> list[Ballot]:
    """A meetup's ballots, oldest first (due ones closed first, so "open" means open)."""
    query = meetup_ballots_query(meetup_id, "open" if open_only else None)
    return list(db.session.scalars(query.order_by(Ballot.id)))


def meetup_ballots_query(meetup_id: int, state: str | None = None) -> Select[tuple[Ballot]]:
    """A meetup's ballots, in ``state`` if given, unordered (callers page or sort); due ones
    are closed first, so "open" means open."""
    close_due_ballots(Ballot.meetup_id == meetup_id)
    query = select(Ballot).where(Ballot.meetup_id == meetup_id)
    return query.where(Ballot.state == state) if state else query


def own_votes(voter_id: int | None, ballot_id: int) -> dict[int, int]:
    """{term id: value} of one voter's votes in one ballot (for their own eyes only)."""
    if voter_id is None:
        return {}
    rows = db.session.execute(
        select(Vote.term_id, Vote.value).where(
            Vote.ballot_id == ballot_id, Vote.voter_id == voter_id
        )
    )
    return {term_id: value for term_id, value in rows}


def concept_uids(concept_ids: set[int]) -> dict[int, str]:
    """The public uid of each of these concepts, in one query."""
    rows = db.session.execute(select(Concept.id, Concept.uid).where(Concept.id.in_(concept_ids)))
    return {concept_id: uid for concept_id, uid in rows}


def _votes_by_ballot(ids: list[int]) -> tuple[dict[tuple[int, int], Tally], dict[int, int]]:
    """Tallies by (ballot, term) and voters by ballot, for several ballots in two queries."""
    counts: dict[tuple[int, int], dict[int, int]] = {}
    for ballot_id, term_id, value, count in db.session.execute(
        select(Vote.ballot_id, Vote.term_id, Vote.value, func.count())
        .where(Vote.ballot_id.in_(ids))
        .group_by(Vote.ballot_id, Vote.term_id, Vote.value)
    ):
        counts.setdefault((ballot_id, term_id), {})[value] = count
    voters = db.session.execute(
        select(Vote.ballot_id, func.count(func.distinct(Vote.voter_id)))
        .where(Vote.ballot_id.in_(ids))
        .group_by(Vote.ballot_id)
    )
    tallies = {key: Tally(c.get(1, 0), c.get(-1, 0), c.get(0, 0)) for key, c in counts.items()}
    return tallies, {ballot_id: count for ballot_id, count in voters}


def open_ballot_tallies(meetup_id: int) -> list[dict[str, Any]]:
    """A meetup's open ballots: candidates with tallies, and the concept's other terms and
    definitions (what the ballot is about), in a fixed handful of queries.

    Every projector and waiting phone polls this, so it costs the same for one ballot or ten.
    """
    open_ballots = meetup_ballots(meetup_id, open_only=True)
    if not open_ballots:
        return []
    tallies, voters = _votes_by_ballot([ballot.id for ballot in open_ballots])
    concept_ids = {ballot.concept_id for ballot in open_ballots}
    uids = concept_uids(concept_ids)
    quorum = get_meetup(meetup_id).quorum
    definitions: dict[int, dict[str, str]] = {}
    for row in db.session.execute(
        select(Definition.concept_id, Definition.lang, Definition.text)
        .where(Definition.concept_id.in_(concept_ids))
        .order_by(Definition.lang)
    ):
        definitions.setdefault(row.concept_id, {})[row.lang] = row.text
    views = {
        (ballot.concept_id, ballot.lang): {
            "id": ballot.id,
            "lang": ballot.lang,
            "concept": uids[ballot.concept_id],
            "voters": voters.get(ballot.id, 0),
            "quorum": quorum,
            "candidates": [],
            "other_terms": [],
            "definitions": definitions.get(ballot.concept_id, {}),
        }
        for ballot in open_ballots
    }
    for term in db.session.execute(
        select(Term.id, Term.text, Term.status, Term.concept_id, Term.lang)
        .where(Term.concept_id.in_(concept_ids))
        .order_by(Term.id)
    ):
        view = views.get((term.concept_id, term.lang))
        if view is not None:
            tally = tallies.get((view["id"], term.id), Tally())
            view["candidates"].append(
                {"id": term.id, "text": term.text, "status": term.status, **tally.as_dict()}
            )
        for other in views.values():
            if other["concept"] == uids[term.concept_id] and other["lang"] != term.lang:
                other["other_terms"].append(
                    {"lang": term.lang, "text": term.text, "status": term.status}
                )
    return sorted(views.values(), key=lambda view: view["id"])
