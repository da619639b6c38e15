"""The language registry in the database: seeding it and admitting new tags met in data."""

from __future__ import annotations

from sqlalchemy import select

from glossary.errors import InvalidInput
from glossary.extensions import db
from glossary.models import Language
from glossary.text.languages import InvalidLanguageTag, LanguageInfo, registry, resolve_tag

MAX_TAG_LENGTH = 35  # the width of languages.tag


def _apply(language: Language, info: LanguageInfo, position: int) -> None:
    language.name = info.name
    language.autonym = info.autonym
    language.script = info.script
    language.direction = info.dir
    language.casing = info.casing
    language.plural_forms = info.plural_forms
    language.position = position
    language.registered = True


def seed_languages() -> int:
    """Insert or refresh every registry language; returns how many there are."""
    existing = {lang.tag: lang for lang in db.session.scalars(select(Language))}
    for position, info in enumerate(registry().values()):
        language = existing.get(info.tag) or Language(tag=info.tag)
        _apply(language, info, position)
        db.session.add(language)
    return len(registry())


def resolve_language(raw: str, sample_text: str | None = None) -> str:
    """The canonical tag for ``raw`` (aliases resolved), or a clear InvalidInput."""
    try:
        tag = resolve_tag(raw, sample_text).tag
    except InvalidLanguageTag as exc:
        raise InvalidInput(str(exc), field="lang") from exc
    if len(tag) > MAX_TAG_LENGTH:
        # RFC 5646 §4.4.1 asks for at least 35 characters; longer tags are extension-laden.
        raise InvalidInput(
            f"language tag {raw!r} is longer than {MAX_TAG_LENGTH} characters", field="lang"
        )
    return tag


def ensure_language(tag: str) -> Language:
    """The Language row for a canonical tag, adding a plain language for unregistered tags."""
    language = db.session.get(Language, tag)
    if language is None:
        language = Language(tag=tag, name=tag, registered=False)
        db.session.add(language)
    return language


def list_languages() -> list[Language]:
    return list(db.session.scalars(select(Language).order_by(Language.position, Language.tag)))
