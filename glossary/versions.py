"""Cheap probes that tell a worker whether the termbase changed since it kept an answer.

Nothing is hard-deleted (DESIGN.md §3), so newest ids and ``updated_at`` values only move
forward: the caches of search answers, lookup matchers, counts and coverage each keep their
answer under such a probe and compute again only when it differs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from glossary.extensions import db


def probe(*aggregates: Any) -> tuple[object, ...]:
    """The values of these aggregates (``func.max(Term.id)``, …) in one round trip; each should
    be answered from an index."""
    return tuple(
        db.session.execute(select(*(select(a).scalar_subquery() for a in aggregates))).one()
    )
