"""A language's terms A–Z in its own alphabet (TURKIC.md Part 1 §7), one letter at a time.

The database cannot sort by a Kazakh or Uzbek alphabet, so each page reads one letter's
terms in a single query (the stored search fold starts with the letter's fold) and orders
them with ``glossary.text.sorting.sort_key``. Letters that fold alike (Turkish ı and i,
Uzbek o and oʻ) are told apart by the sort key's first alphabet position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select

from glossary.errors import InvalidInput
from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.text.casing import upper
from glossary.text.folding import fold_for_search
from glossary.text.languages import find_language
from glossary.text.sorting import sort_key

PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class Letter:
    """One letter of an alphabet: its form in the data and its capital for display."""

    letter: str
    display: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One term in the list (plain values: no lazy loading from the template)."""

    id: int
    lang: str
    text: str
    status: str
    concept_uid: str


@dataclass(frozen=True, slots=True)
class AlphabetPage:
    lang: str
    letters: list[Letter]
    letter: Letter | None
    entries: list[Entry]
    page: int
    pages: int
    total: int
    first_number: int  # of the page's first entry in the whole letter, from 1


def alphabet_of(lang: str) -> list[Letter]:
    """The letters of ``lang``'s alphabet in order, or [] if the registry has none."""
    info = find_language(lang)
    if info is None or not info.alphabet:
        return []
    return [Letter(letter, upper(letter, lang)) for letter in info.alphabet if letter[0].isalpha()]


def _first_position(text: str, lang: str) -> str:
    return sort_key(text, lang)[0][:1]


def _matching_rows(lang: str, letter: str | None) -> list[Entry]:
    statement = (
        select(Term.id, Term.lang, Term.text, Term.status, Concept.uid)
        .join(Concept, Concept.id == Term.concept_id)
        .where(Term.lang == lang, Term.status != "rejected")
    )
    if letter is not None:
        prefix = fold_for_search(letter)
        statement = statement.where(Term.folded.startswith(prefix, autoescape=True))
    rows = [Entry(*row) for row in db.session.execute(statement)]
    if letter is not None:
        position = _first_position(letter, lang)
        rows = [row for row in rows if _first_position(row.text, lang) == position]
    return rows


def _pick_letter(letters: list[Letter], raw: str | None, lang: str) -> Letter | None:
    if not letters:
        return None
    if not raw:
        return letters[0]
    wanted = sort_key(raw, lang)[0]  # case and apostrophe look-alikes do not matter
    for letter in letters:
        if sort_key(letter.letter, lang)[0] == wanted:
            return letter
    raise InvalidInput(f"{raw!r} is not a letter of the {lang} alphabet", field="letter")


def alphabetical_page(lang: str, letter: str | None = None, page: int = 1) -> AlphabetPage:
    """One page of ``lang``'s terms starting with ``letter`` (default: the first letter).

    A language without an alphabet in the registry is listed whole, by NFC + casefold.
    """
    letters = alphabet_of(lang)
    chosen = _pick_letter(letters, letter, lang)
    entries = _matching_rows(lang, chosen.letter if chosen else None)
    entries.sort(key=lambda entry: sort_key(entry.text, lang))
    pages = max(1, math.ceil(len(entries) / PER_PAGE))
    if page < 1 or page > pages:
        raise InvalidInput(f"page must be between 1 and {pages}", field="page")
    start = (page - 1) * PER_PAGE
    return AlphabetPage(
        lang=lang,
        letters=letters,
        letter=chosen,
        entries=entries[start : start + PER_PAGE],
        page=page,
        pages=pages,
        total=len(entries),
        first_number=start + 1,
    )
