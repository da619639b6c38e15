"""Counts shown by `tamyr stats` and GET /api/v1/stats (the same numbers)."""

from __future__ import annotations

from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Concept, Meetup, Term, Vote


def termbase_stats() -> dict[str, int]:
    """Exactly the keys of DESIGN.md §6: concepts, terms, languages (with terms), meetups, votes."""

    def count(query: object) -> int:
        return int(db.session.scalar(query) or 0)  # type: ignore[arg-type]

    return {
        "concepts": count(select(func.count(Concept.id)).where(Concept.merged_into_id.is_(None))),
        "terms": count(select(func.count(Term.id))),
        "languages": count(select(func.count(func.distinct(Term.lang)))),
        "meetups": count(select(func.count(Meetup.id))),
        "votes": count(select(func.count(Vote.id))),
    }
