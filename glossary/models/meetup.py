"""Meetups, the ballots opened in them (or online) and the votes cast on candidate terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from glossary.extensions import db
from glossary.models.types import UTCDateTime, utcnow

meetup_organisers = Table(
    "meetup_organisers",
    db.metadata,
    Column("meetup_id", ForeignKey("meetups.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Meetup(db.Model):
    __tablename__ = "meetups"
    __table_args__ = (
        CheckConstraint("state IN ('planned', 'open', 'closed')", name="state"),
        CheckConstraint("threshold > 0 AND threshold <= 1", name="threshold"),
        CheckConstraint("quorum >= 1", name="quorum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # survives offline bundles
    name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    starts: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default="open")
    join_code: Mapped[str] = mapped_column(String(20), unique=True)  # shown on the projector
    quorum: Mapped[int] = mapped_column(default=3)
    threshold: Mapped[float] = mapped_column(default=0.6)
    secret: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Ballot(db.Model):
    """A (concept, language) slot open for votes on its candidate terms."""

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'closed')", name="state"),
        # One open ballot per slot at a time, whatever the race between two organisers.
        Index(
            "uq_ballots_one_open_slot",
            "concept_id",
            "lang",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meetup_id: Mapped[int | None] = mapped_column(ForeignKey("meetups.id"), index=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id"), index=True)
    lang: Mapped[str] = mapped_column(ForeignKey("languages.tag"))
    state: Mapped[str] = mapped_column(String(10), default="open")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # online ballots
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The decision record: tallies per term and the statuses the rules gave them.
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Vote(db.Model):
    """One voter's current vote on one candidate of one ballot; re-voting updates it."""

    __tablename__ = "votes"
    # Scoped to the ballot, so a later meetup can revisit a slot with fresh votes.
    __table_args__ = (
        UniqueConstraint("ballot_id", "term_id", "voter_id"),
        CheckConstraint("value IN (-1, 0, 1)", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # survives offline bundles
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
