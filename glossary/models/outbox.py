"""Search outbox: written in the same transaction as a term change, applied to the index later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from glossary.extensions import db
from glossary.models.types import UTCDateTime, utcnow


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"
    __table_args__ = (CheckConstraint("op IN ('index', 'remove')", name="op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a row must outlive anything it names, and terms are never deleted anyway.
    term_id: Mapped[int] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(10), default="index")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
