"""Counts shown by `tamyr stats`, GET /api/v1/stats and the home page (the same numbers).

Counting a million terms (and their distinct languages) is a scan of hundreds of ms, and the
home page shows the counts on every visit. Nothing is ever deleted (DESIGN.md §3), so the
counts can only change when a newest id moves on or a concept is merged (its ``updated_at``
moves): each worker keeps the counts under that cheap, indexed version and counts again only
when it changes. The answer stays exact.
"""

from __future__ import annotations

import threading

from flask import current_app
from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Concept, Meetup, Term, Vote
from glossary.versions import probe

_kept: dict[int, tuple[tuple[object, ...], dict[str, int]]] = {}
_lock = threading.Lock()


def _version() -> tuple[object, ...]:
    return probe(
        func.max(Term.id),
        func.max(Concept.id),
        func.max(Concept.updated_at),
        func.max(Meetup.id),
        func.max(Vote.id),
    )


def termbase_stats() -> dict[str, int]:
    """Exactly the keys of DESIGN.md §6: concepts, terms, languages (with terms), meetups, votes."""
    key = id(current_app._get_current_object())  # type: ignore[attr-defined]
    version = _version()
    kept = _kept.get(key)
    if kept is not None and kept[0] == version:
        return dict(kept[1])
    counts = _count()
    with _lock:
        _kept[key] = (version, counts)
    return dict(counts)


def _count() -> dict[str, int]:
    def count(query: object) -> int:
        return int(db.session.scalar(query) or 0)  # type: ignore[arg-type]

    return {
        "concepts": count(select(func.count(Concept.id)).where(Concept.merged_into_id.is_(None))),
        "terms": count(select(func.count(Term.id))),
        "languages": count(select(func.count(func.distinct(Term.lang)))),
        "meetups": count(select(func.count(Meetup.id))),
        "votes": count(select(func.count(Vote.id))),
    }
