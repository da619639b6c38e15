"""Append-only record of every change and vote: who, when, before, after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from glossary.extensions import db
from glossary.models.types import UTCDateTime, utcnow


class History(db.Model):
    __tablename__ = "history"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(120))  # kept even if the account changes; "cli"
    action: Mapped[str] = mapped_column(String(40))  # concept.create, term.add, vote.cast, ...
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(40))
    concept_id: Mapped[int | None] = mapped_column(ForeignKey("concepts.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
