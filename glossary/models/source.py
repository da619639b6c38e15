"""Provenance: every term and import remembers where it came from and under which licence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from glossary.extensions import db
from glossary.models.types import UTCDateTime, utcnow


class Source(db.Model):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # "CLDR 47", "GNOME baobab", ...
    kind: Mapped[str] = mapped_column(String(20), default="file")  # meetup person file cldr ...
    licence: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
