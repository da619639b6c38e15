"""Languages a term can be in: the seeded registry plus any well-formed tag met on import."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from glossary.extensions import db


class Language(db.Model):
    __tablename__ = "languages"
    __table_args__ = (
        CheckConstraint("direction IN ('ltr', 'rtl')", name="direction"),
        CheckConstraint("casing IN ('default', 'turkic')", name="casing"),
    )

    tag: Mapped[str] = mapped_column(String(35), primary_key=True)  # canonical BCP 47
    name: Mapped[str] = mapped_column(String(100))
    autonym: Mapped[str | None] = mapped_column(String(100))
    script: Mapped[str | None] = mapped_column(String(4))
    direction: Mapped[str] = mapped_column(String(3), default="ltr")
    casing: Mapped[str] = mapped_column(String(10), default="default")
    plural_forms: Mapped[str | None] = mapped_column(String(200))
    # Registry order (spreadsheet columns, language lists); plain languages sort after it.
    position: Mapped[int] = mapped_column(default=10_000)
    registered: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Language {self.tag}>"
