"""Automatic transliterations of terms into their language's other scripts, for reading only.

A variant is made by ``glossary.text.translit.to_script`` with the language's default table
(kk Cyrillic ↔ Latin, uz Latin ↔ Cyrillic, ug Arabic ↔ Latin/Cyrillic, crh, tt, …). It is
never stored, voted on or exported: the pages show it beside the real term, marked as
automatic, so a reader of another script can still read the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from glossary.text.languages import get_language
from glossary.text.translit import base_language, default_table, scripts_of, to_script

SCRIPTS = ("Latn", "Cyrl", "Arab")
# A reader's choice: every script (the default), only one script, or none at all.
SHOW_ALL = "all"
SHOW_NONE = "none"
SCRIPT_CHOICES = (SHOW_ALL, *SCRIPTS, SHOW_NONE)


class HasText(Protocol):
    id: int
    lang: str
    text: str


@dataclass(frozen=True, slots=True)
class ScriptVariant:
    """``text`` as ``lang``'s table writes it in ``script``; ``lang`` is the variant's tag."""

    script: str
    text: str
    lang: str
    direction: str


def normalise_choice(raw: str | None) -> str:
    """A valid preference (``all``, ``Latn``, ``Cyrl``, ``Arab``, ``none``); ``all`` otherwise."""
    if not raw:
        return SHOW_ALL
    for choice in SCRIPT_CHOICES:
        if raw.strip().lower() == choice.lower():
            return choice
    return SHOW_ALL


def variant_tag(lang: str, script: str) -> str:
    """``lang`` written in ``script``: kk + Latn → ``kk-Latn``, uz-Cyrl + Latn → ``uz``."""
    base = base_language(lang)
    info = get_language(base)
    return base if info is not None and info.script == script else f"{base}-{script}"


def variants_of(text: str, lang: str, wanted: Iterable[str] = SCRIPTS) -> list[ScriptVariant]:
    """``text`` in each of the ``wanted`` scripts it is not written in and has a table for."""
    written = scripts_of(text)
    if not written or len(written) > 1:  # mixed-script text (Windows жүйесі): leave as is
        return []
    (source,) = written
    base = base_language(lang)
    found = []
    for script in wanted:
        if script == source or default_table(base, source, script) is None:
            continue
        converted = to_script(text, base, script)
        if converted and converted != text:
            direction = "rtl" if script == "Arab" else "ltr"
            found.append(ScriptVariant(script, converted, variant_tag(base, script), direction))
    return found


def variants_for_terms(
    terms: Iterable[HasText], choice: str = SHOW_ALL
) -> dict[int, list[ScriptVariant]]:
    """Each term's automatic variants (by term id) for a reader's ``choice`` of script."""
    if choice == SHOW_NONE:
        return {}
    wanted = SCRIPTS if choice == SHOW_ALL else (choice,)
    result: dict[int, list[ScriptVariant]] = {}
    for term in terms:
        found = variants_of(term.text, term.lang, wanted)
        if found:
            result[term.id] = found
    return result
