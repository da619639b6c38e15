"""The termbase aggregate: a concept, its definitions, its terms and comments on them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from glossary.extensions import db
from glossary.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from glossary.models.source import Source

TERM_STATUSES = ("proposed", "preferred", "admitted", "deprecated", "rejected")


def new_uid() -> str:
    return str(uuid.uuid4())


class Concept(db.Model):
    __tablename__ = "concepts"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    domain: Mapped[str | None] = mapped_column(String(100), index=True)
    # A file's non-uid id for the entry (a PO msgctxt such as "Clipboard"): part of identity on
    # re-import, so "Remove" in two contexts stays two concepts.
    context: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    wikidata: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    origin_meetup_id: Mapped[int | None] = mapped_column(ForeignKey("meetups.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    # Nothing is hard-deleted: a merged concept points at the one that absorbed it.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("concepts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    terms: Mapped[list[Term]] = relationship(
        back_populates="concept", order_by="Term.id", lazy="selectin"
    )
    definitions: Mapped[list[Definition]] = relationship(
        back_populates="concept", order_by="Definition.lang", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Concept {self.uid}>"


class Definition(db.Model):
    __tablename__ = "definitions"
    __table_args__ = (UniqueConstraint("concept_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id"))
    lang: Mapped[str] = mapped_column(ForeignKey("languages.tag"))
    text: Mapped[str] = mapped_column(Text)

    concept: Mapped[Concept] = relationship(back_populates="definitions")


class Term(db.Model):
    __tablename__ = "terms"
    __table_args__ = (
        UniqueConstraint("concept_id", "lang", "norm"),
        CheckConstraint(
            "status IN ('proposed', 'preferred', 'admitted', 'deprecated', 'rejected')",
            name="status",
        ),
        CheckConstraint("text <> ''", name="text_not_empty"),
        # At most one preferred term per (concept, language), enforced by the database.
        Index(
            "uq_terms_one_preferred",
            "concept_id",
            "lang",
            unique=True,
            sqlite_where=text("status = 'preferred'"),
            postgresql_where=text("status = 'preferred'"),
        ),
        Index("ix_terms_lang_folded", "lang", "folded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id"), index=True)
    lang: Mapped[str] = mapped_column(ForeignKey("languages.tag"))
    text: Mapped[str] = mapped_column(String(500))  # NFC
    norm: Mapped[str] = mapped_column(String(500))  # identity: NFC + the language's case folding
    folded: Mapped[str] = mapped_column(String(500), index=True)  # loose search fold
    key: Mapped[str] = mapped_column(String(500), index=True)  # cross-script Latin skeleton
    pos: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    usage_note: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    meetup_id: Mapped[int | None] = mapped_column(ForeignKey("meetups.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    concept: Mapped[Concept] = relationship(back_populates="terms")
    source: Mapped[Source | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Term {self.id} {self.lang}:{self.text!r} {self.status}>"


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id"), index=True)
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(default=False)  # moderation hides, never deletes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
