"""The interface catalogues: complete for the core pages, compiled copies up to date, and
placeholders kept, so no page ever shows a half-English or broken sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from glossary.web.i18n import UI_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "glossary" / "translations"
CATALOGUES = sorted(tag for tag in UI_LANGUAGES if tag != "en")
# The core pages (search, concepts, accounts, coverage); the meetup and exchange screens keep
# their own list of strings, which fills in as their translations are written.
CORE_SOURCES = [
    ("glossary/web", "[python: **.py]"),
    ("templates", "[jinja2: *.html]"),
]
CORE_EXCLUDED = {"meetups.py", "exchange.py", "participants.py"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _core_messages() -> set[str]:
    found: set[str] = set()
    method_maps = {
        "glossary/web": [("**.py", "python")],
        "templates": [("*.html", "jinja2")],
    }
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    for folder, _ in CORE_SOURCES:
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=method_maps[folder], keywords=keywords
        ):
            if Path(filename).name not in CORE_EXCLUDED and isinstance(message, str):
                found.add(message)
    return found


def _catalogue(tag: str):
    with open(TRANSLATIONS / tag / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=tag)


@pytest.mark.parametrize("tag", CATALOGUES)
def test_core_pages_are_fully_translated(tag):
    messages = _core_messages()
    assert len(messages) > 60
    translated = {m.id: m.string for m in _catalogue(tag) if m.id and m.string}
    missing = sorted(messages - translated.keys())
    assert not missing, f"{tag} lacks {len(missing)} translations, e.g. {missing[:5]}"


@pytest.mark.parametrize("tag", CATALOGUES)
def test_translations_keep_every_placeholder(tag):
    for message in _catalogue(tag):
        if message.id and message.string and isinstance(message.id, str):
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
                PLACEHOLDER.findall(message.string)
            ), (tag, message.id)


@pytest.mark.parametrize("tag", CATALOGUES)
def test_compiled_catalogue_matches_its_po_file(tag):
    """The .mo the app loads is compiled from the .po a translator edits (`pybabel compile`)."""
    with open(TRANSLATIONS / tag / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    source = {m.id: m.string for m in _catalogue(tag) if m.id and m.string and not m.fuzzy}
    assert compiled == source, f"run: pybabel compile -d glossary/translations ({tag})"
