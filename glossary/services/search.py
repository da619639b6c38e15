"""Searching the termbase: validation, Turkic-aware ranking, paging, autocomplete and lookup.

Ranking (DESIGN.md §4): exact > folded > same-language transliteration > cross-script skeleton
> prefix > fuzzy; within a level preferred terms first and deprecated last. Exact, folded, key
and prefix levels are answered from the indexed ``folded``/``key`` columns; the backend (Whoosh
or PostgreSQL) is asked only for what those cannot find, and only when they gave fewer rows
than the page needs. Cursors are opaque offsets bound to the query and its filters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from glossary.errors import InvalidInput
from glossary.extensions import db
from glossary.models import TERM_STATUSES, Concept, Language, Term
from glossary.search import get_backend
from glossary.search.base import (
    CursorError,
    Hit,
    HitPage,
    SearchFilters,
    SearchQuery,
    Suggestion,
    decode_cursor,
    fingerprint,
)
from glossary.search.cache import answer_cache
from glossary.search.columns import EQUALITY_CAP, prefix_suggestions, ranked_page
from glossary.search.lookup import LookupMatch, find_terms
from glossary.services.languages import resolve_language
from glossary.text.folding import clean_text, fold_for_search

MAX_QUERY_LENGTH = 500  # no term is longer (services/terms.py), so no longer query can match
MAX_LOOKUP_LENGTH = 20_000
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
SUGGEST_LIMIT, SUGGEST_MIN = 10, 2  # autocomplete from the 2nd character
FUZZY_CANDIDATES = 50  # the most the backend's fuzzy level may add to one page


@dataclass(frozen=True, slots=True)
class SearchRow:
    """A found term and how it matched; reads through to the term (so the API's term schema
    dumps it as a term object with ``match`` and ``score`` added)."""

    term: Term
    match: str
    score: float

    def __getattr__(self, name: str) -> object:
        return getattr(self.term, name)


@dataclass(frozen=True, slots=True)
class SearchResults:
    rows: list[SearchRow]
    next: str | None


@dataclass(frozen=True, slots=True)
class LookupRow:
    start: int
    end: int
    surface: str
    term: Term


# -- validation -----------------------------------------------------------------------------


def clean_input(raw: object, field: str, max_length: int) -> str:
    """NFC text without control characters or lone surrogates, non-empty and not too long."""
    if not isinstance(raw, str):
        raise InvalidInput(f"{field} must be a string", field=field)
    if len(raw) > max_length * 4:  # refuse huge input before doing any work on it
        raise InvalidInput(f"{field} is at most {max_length} characters", field=field)
    try:
        text = clean_text(raw)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {exc}", field=field) from exc
    if not text or not fold_for_search(text).strip("'"):
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{field} is at most {max_length} characters", field=field)
    return text


def check_language(raw: str | None, field: str = "lang") -> str | None:
    """The canonical tag of a language Tamyr holds, or a clear error; None stays None."""
    if raw is None or raw == "":
        return None
    tag = resolve_language(raw)
    if db.session.get(Language, tag) is None:
        raise InvalidInput(f"unknown language {raw!r}: no terms can be in it", field=field)
    return tag


def check_statuses(raw: Iterable[str] | None) -> tuple[str, ...]:
    """Statuses from repeated or comma-separated values, each one Tamyr knows."""
    statuses: list[str] = []
    for value in raw or ():
        statuses += [part.strip() for part in value.split(",") if part.strip()]
    for status in statuses:
        if status not in TERM_STATUSES:
            raise InvalidInput(
                f"unknown status {status!r}; use one of {', '.join(TERM_STATUSES)}",
                field="status",
            )
    return tuple(sorted(set(statuses)))


def check_limit(limit: int | None, default: int, maximum: int) -> int:
    if limit is None:
        return default
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= maximum:
        raise InvalidInput(f"limit must be between 1 and {maximum}", field="limit")
    return limit


# -- search ---------------------------------------------------------------------------------


def search_terms(
    q: object,
    *,
    lang: str | None = None,
    statuses: Sequence[str] | None = None,
    domain: str | None = None,
    meetup: int | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> SearchResults:
    """One page of terms matching ``q``, best first, one row per term."""
    text = clean_input(q, "q", MAX_QUERY_LENGTH)
    filters = SearchFilters(
        lang=check_language(lang),
        statuses=check_statuses(statuses),
        domain=clean_input(domain, "domain", 100) if domain else None,
        meetup=meetup,
    )
    limit = check_limit(limit, DEFAULT_LIMIT, MAX_LIMIT)
    query = SearchQuery.parse(text, filters.lang)
    print_ = fingerprint(text, filters)
    try:
        offset = decode_cursor(cursor, print_, EQUALITY_CAP)
    except CursorError as exc:
        raise InvalidInput(str(exc), field="cursor") from exc

    def page() -> HitPage:
        backend = get_backend(current_app)
        fuzzy = lambda: backend.fuzzy(query, filters, FUZZY_CANDIDATES)  # noqa: E731
        return ranked_page(query, filters, fuzzy, offset, limit, print_)

    found = answer_cache().answer(("search", text, filters, offset, limit), page)
    return SearchResults(_rows(found.hits), found.next)


def load_terms(ids: Iterable[int]) -> dict[int, Term]:
    """Term objects with their concept and source, without each concept's other terms."""
    ids = list(ids)
    if not ids:
        return {}
    query = (
        select(Term)
        .where(Term.id.in_(ids))
        .options(
            joinedload(Term.concept).options(lazyload(Concept.terms), lazyload(Concept.definitions))
        )
    )
    return {term.id: term for term in db.session.scalars(query).unique()}


def _rows(hits: list[Hit]) -> list[SearchRow]:
    terms = load_terms(hit.term_id for hit in hits)
    return [SearchRow(terms[h.term_id], h.match, h.score) for h in hits if h.term_id in terms]


def suggest_terms(
    q: object, *, lang: str | None = None, limit: int | None = None
) -> list[Suggestion]:
    """Autocomplete: terms starting with ``q`` (folded or across scripts), then terms with a
    later word starting with it. Fewer than two characters suggest nothing."""
    text = clean_input(q, "q", MAX_QUERY_LENGTH)
    tag = check_language(lang)
    limit = check_limit(limit, SUGGEST_LIMIT, MAX_LIMIT)
    query = SearchQuery.parse(text, tag)
    if len(query.folded) < SUGGEST_MIN:
        return []
    # A copy: the kept answer must not change when a caller extends the list.
    return list(
        answer_cache().answer(("suggest", text, tag, limit), lambda: _suggest(query, tag, limit))
    )


def _suggest(query: SearchQuery, tag: str | None, limit: int) -> list[Suggestion]:
    found = prefix_suggestions(query, tag, limit)
    if len(found) < limit:
        backend = get_backend(current_app)
        seen = {s.term for s in found}
        for prefix in dict.fromkeys((query.folded, *query.keys)):
            for suggestion in backend.suggest(prefix, tag, limit):
                if suggestion.term not in seen and len(found) < limit:
                    seen.add(suggestion.term)
                    found.append(suggestion)
    return found


# -- sentence lookup ------------------------------------------------------------------------


def lookup_terms(text: object, lang: object) -> list[LookupRow]:
    """Every known term of ``lang`` in ``text``, with spans; suffix-tolerant, longest first."""
    if not isinstance(lang, str) or not lang.strip():
        raise InvalidInput("lang is required: the language the text is written in", field="lang")
    tag = check_language(lang)
    assert tag is not None
    body = clean_input_keeping_offsets(text)
    matches: list[LookupMatch] = find_terms(body, tag)
    terms = load_terms({m.term_id for m in matches})
    return [
        LookupRow(m.start, m.end, body[m.start : m.end], terms[m.term_id])
        for m in matches
        if m.term_id in terms
    ]


def clean_input_keeping_offsets(raw: object) -> str:
    """The text as given (offsets must point into it), refused if it has control characters,
    lone surrogates, or nothing in it, or is too long."""
    clean_input(raw, "text", MAX_LOOKUP_LENGTH)  # the same refusals as any input
    assert isinstance(raw, str)
    return raw
