"""Reading terms from the database in the shape the search backends index them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.search.base import IndexedTerm, chunked

STREAM_BATCH = 5000
# SQLite allows 32,766 bound parameters; PostgreSQL more. Stay well below both.
ID_BATCH = 5000

# A term counts for a meetup if it was proposed there, or its concept was born there.
MEETUP = func.coalesce(Term.meetup_id, Concept.origin_meetup_id)


def _documents() -> Select[Any]:
    """Every searchable term: those of merged-away concepts are left out of the index."""
    return (
        select(
            Term.id,
            Concept.uid,
            Term.lang,
            Term.text,
            Term.norm,
            Term.folded,
            Term.key,
            Term.status,
            Concept.domain,
            MEETUP,
        )
        .join(Concept, Term.concept_id == Concept.id)
        .where(Concept.merged_into_id.is_(None))
    )


def load_terms(ids: Iterable[int], session: Session | None = None) -> list[IndexedTerm]:
    """The current index entries of these term ids (ids no longer searchable are absent)."""
    session = session or db.session
    found: list[IndexedTerm] = []
    for batch in chunked(sorted(set(ids)), ID_BATCH):
        rows = session.execute(_documents().where(Term.id.in_(batch)))
        found.extend(IndexedTerm(*row) for row in rows)
    return found


def stream_terms() -> Iterator[IndexedTerm]:
    """Every searchable term, streamed in batches (constant memory at a million terms)."""
    query = _documents().order_by(Term.id).execution_options(yield_per=STREAM_BATCH)
    for row in db.session.execute(query):
        yield IndexedTerm(*row)


def count_terms() -> int:
    return int(db.session.scalar(select(func.count()).select_from(_documents().subquery())) or 0)
