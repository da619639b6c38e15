"""Append-only history: one row per change, written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from glossary.extensions import db
from glossary.models import History
from glossary.services.actors import Actor


def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | str,
    *,
    concept_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> History:
    row = History(
        actor_id=actor.user_id,
        actor_name=actor.name,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        concept_id=concept_id,
        before=before,
        after=after,
    )
    db.session.add(row)
    return row


def concept_history_query(concept_id: int) -> Select[tuple[History]]:
    """Every change to a concept and its terms, comments and votes (page it by id)."""
    return select(History).where(History.concept_id == concept_id)
