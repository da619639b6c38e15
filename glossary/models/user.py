"""People and the tokens their scripts use."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from glossary.extensions import db
from glossary.models.types import UTCDateTime, utcnow

ROLES = ("viewer", "participant", "editor", "moderator", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('viewer', 'participant', 'editor', 'moderator', 'admin')", name="role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12), default="viewer")
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None for OAuth
    oauth_subject: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Meetup guests are scoped to the meetup they joined with its code.
    meetup_id: Mapped[int | None] = mapped_column(ForeignKey("meetups.id"), index=True)
    ui_language: Mapped[str | None] = mapped_column(String(35))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated account cannot sign in
        return self.active

    def has_role(self, role: str) -> bool:
        """True when this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # Tokens are 256 random bits: a fast SHA-256 is safe here, and a slow hash would cost
    # every API request its latency budget.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists so people can tell them apart
    meetup_id: Mapped[int | None] = mapped_column(ForeignKey("meetups.id"))  # participant scope
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")
