"""Decision records of a concept: what each closed ballot on the concept decided.

The record itself is written once, by ``services.ballots`` when a ballot closes
(``Ballot.outcome``: result, winner, every candidate's tally and status before → after);
this module only reads it back (for the concept page), in one query whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from glossary.extensions import db
from glossary.models import Ballot, Concept, Meetup
from glossary.services.ballots import close_due_ballots

DECISIONS_SHOWN = 20  # the newest; older ones stay in the history below


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    ballot: int
    lang: str
    meetup_id: int | None
    meetup_name: str | None  # None: an online ballot
    closed_at: datetime | None
    result: str  # "winner", "tie", "no_winner" or "no_quorum"
    winner: int | None
    voters: int
    quorum: int | None
    threshold: float | None
    candidates: list[dict[str, Any]]  # id, text, up, down, abstain, voters, before, after


def concept_decisions(concept: Concept) -> list[DecisionRecord]:
    """The stored decisions of the concept's closed ballots, newest first.

    A due online ballot closes first: the page is a request that touches it (DESIGN.md §3).
    """
    close_due_ballots(Ballot.concept_id == concept.id)
    rows = db.session.execute(
        select(
            Ballot.id, Ballot.lang, Ballot.meetup_id, Ballot.closed_at, Ballot.outcome, Meetup.name
        )
        .outerjoin(Meetup, Meetup.id == Ballot.meetup_id)
        .where(Ballot.concept_id == concept.id, Ballot.state == "closed")
        .order_by(Ballot.closed_at.desc(), Ballot.id.desc())
        .limit(DECISIONS_SHOWN)
    )
    return [_record(row) for row in rows if row.outcome]


def _record(row: Any) -> DecisionRecord:
    outcome: dict[str, Any] = row.outcome
    return DecisionRecord(
        ballot=row.id,
        lang=row.lang,
        meetup_id=row.meetup_id,
        meetup_name=row.name,
        closed_at=row.closed_at,
        result=str(outcome.get("result", "")),
        winner=outcome.get("winner"),
        voters=int(outcome.get("voters") or 0),
        quorum=outcome.get("quorum"),
        threshold=outcome.get("threshold"),
        candidates=list(outcome.get("terms") or []),
    )
