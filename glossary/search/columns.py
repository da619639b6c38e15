"""The cheap search levels, answered from the indexed ``folded`` and ``key`` columns.

Exact, folded and cross-script matches are equality lookups; prefixes are index range scans.
On SQLite the default BINARY collation orders by code point, so ``x >= p AND x < p || U+10FFFF``
is a prefix scan; on PostgreSQL the same range runs on ``COLLATE "C"`` expression indexes
(migration 0002), since a linguistic collation would not keep prefixes together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select

from glossary.extensions import db
from glossary.models import Concept, Term
from glossary.search.base import (
    STATUS_RANK,
    Candidate,
    HitPage,
    Phase,
    SearchFilters,
    SearchQuery,
    Suggestion,
    decode_cursor,
    fingerprint,
    merge_phases,
    page_of,
)
from glossary.search.documents import MEETUP

# Equality levels return at most this many terms; that is also how deep a search pages.
EQUALITY_CAP = 500
# A prefix level ranks the first this-many prefix matches (by code point) of each column.
PREFIX_WINDOW = 200
_ABOVE_EVERY_CHARACTER = "\U0010ffff"

CANDIDATE_COLUMNS = (
    Term.id,
    Term.lang,
    Term.text,
    Term.norm,
    Term.folded,
    Term.key,
    Term.status,
)


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def ordered(column: Any) -> Any:
    """The column compared by code point on either database."""
    return column.collate("C") if is_postgres() else column


def prefix_range(column: Any, prefix: str, *, strict: bool = False) -> ColumnElement[bool]:
    """Values starting with ``prefix`` (``strict``: other than ``prefix`` itself)."""
    value = ordered(column)
    low = value > prefix if strict else value >= prefix
    return and_(low, value < prefix + _ABOVE_EVERY_CHARACTER)


def filtered(query: Select[Any], filters: SearchFilters) -> Select[Any]:
    """Apply the search filters; terms of merged-away concepts are never found."""
    query = query.join(Concept, Term.concept_id == Concept.id).where(
        Concept.merged_into_id.is_(None)
    )
    if filters.lang:
        query = query.where(Term.lang == filters.lang)
    if filters.statuses:
        query = query.where(Term.status.in_(filters.statuses))
    if filters.domain:
        query = query.where(Concept.domain == filters.domain)
    if filters.meetup is not None:
        query = query.where(filters.meetup == MEETUP)
    return query


def fetch(query: Select[Any]) -> list[Candidate]:
    return [Candidate(*row) for row in db.session.execute(query)]


def candidates(filters: SearchFilters) -> Select[Any]:
    return filtered(select(*CANDIDATE_COLUMNS), filters)


def equal_folded(query: SearchQuery, filters: SearchFilters) -> list[Candidate]:
    """Exact and folded matches: one index lookup on ``folded``."""
    return fetch(candidates(filters).where(Term.folded == query.folded).limit(EQUALITY_CAP))


def equal_key(query: SearchQuery, filters: SearchFilters) -> list[Candidate]:
    """Same-language transliteration and cross-script skeleton matches on ``key``."""
    if not query.keys:
        return []
    return fetch(candidates(filters).where(Term.key.in_(query.keys)).limit(EQUALITY_CAP))


def prefixed(query: SearchQuery, filters: SearchFilters) -> list[Candidate]:
    """Terms whose folded text or key starts with the query's (a bounded window of each)."""
    found = fetch(
        candidates(filters)
        .where(prefix_range(Term.folded, query.folded, strict=True))
        .order_by(ordered(Term.folded))
        .limit(PREFIX_WINDOW)
    )
    for key in query.keys:
        found += fetch(
            candidates(filters)
            .where(prefix_range(Term.key, key, strict=True))
            .order_by(ordered(Term.key))
            .limit(PREFIX_WINDOW)
        )
    return found


def column_phases(query: SearchQuery, filters: SearchFilters) -> list[Phase]:
    """The SQL levels in ranking order, each skipped when the query asks for none of its kinds."""
    levels: list[tuple[set[str], Callable[[SearchQuery, SearchFilters], list[Candidate]]]] = [
        ({"exact", "folded"}, equal_folded),
        ({"script"}, equal_key),
        ({"prefix"}, prefixed),
    ]
    phases: list[Phase] = []
    for kinds, level in levels:
        if kinds & query.kinds:
            phases.append(_phase(level, query, filters))
    return phases


def search_page(
    backend: str,
    fuzzy: Callable[[], list[Candidate]],
    query: SearchQuery,
    filters: SearchFilters,
    limit: int,
    cursor: str | None,
) -> HitPage:
    """A backend's ``search``: the column levels, then its ``fuzzy`` level if still short."""
    print_ = fingerprint(backend, query.text, query.kinds, filters)
    offset = decode_cursor(cursor, print_, EQUALITY_CAP)
    return ranked_page(query, filters, fuzzy, offset, limit, print_)


def ranked_page(
    query: SearchQuery,
    filters: SearchFilters,
    fuzzy: Callable[[], list[Candidate]],
    offset: int,
    limit: int,
    print_: str,
) -> HitPage:
    """One page from ``offset``: the column levels, then ``fuzzy`` if they gave too few; the
    next page's cursor is tied to ``print_``."""
    phases = [*column_phases(query, filters), lambda _seen: fuzzy()]
    hits, more = merge_phases(query, phases, offset + limit)
    return page_of(hits, more, offset, limit, print_, EQUALITY_CAP)


def candidates_by_id(ids: list[int], filters: SearchFilters) -> list[Candidate]:
    """The searchable terms among ``ids`` that pass ``filters``, in the order of ``ids``."""
    if not ids:
        return []
    found = {cand.id: cand for cand in fetch(candidates(filters).where(Term.id.in_(ids)))}
    return [found[term_id] for term_id in ids if term_id in found]


def suggestions_by_id(ids: list[int]) -> list[Suggestion]:
    """Autocomplete entries of the searchable terms among ``ids``, in the order of ``ids``."""
    if not ids:
        return []
    rows = db.session.execute(
        filtered(select(Term.id, Concept.uid, Term.lang, Term.text), SearchFilters()).where(
            Term.id.in_(ids)
        )
    )
    found = {row.id: Suggestion(row.uid, row.id, row.lang, row.text) for row in rows}
    return [found[term_id] for term_id in ids if term_id in found]


def _phase(
    level: Callable[[SearchQuery, SearchFilters], list[Candidate]],
    query: SearchQuery,
    filters: SearchFilters,
) -> Phase:
    def run(_seen: set[int]) -> Iterable[Candidate]:
        return level(query, filters)

    return run


def prefix_suggestions(query: SearchQuery, lang: str | None, limit: int) -> list[Suggestion]:
    """Autocomplete from the columns: terms whose folded text or key starts with the query's.

    A window of a few times ``limit`` is read in index order and the best of it kept, so the
    cost stays one short range scan per column however common the prefix is.
    """
    window = limit * 3
    select_ = filtered(select(*CANDIDATE_COLUMNS, Concept.uid), SearchFilters(lang=lang))
    ranges = [(Term.folded, query.folded)] + [(Term.key, key) for key in query.keys]
    found: dict[int, tuple[Candidate, str]] = {}
    for column, prefix in ranges:
        rows = db.session.execute(
            select_.where(prefix_range(column, prefix)).order_by(ordered(column)).limit(window)
        )
        for *fields, uid in rows:
            found.setdefault(fields[0], (Candidate(*fields), uid))
        if len(found) >= window:
            break
    best = sorted(
        found.values(),
        key=lambda item: (
            item[0].folded != query.folded,
            STATUS_RANK.get(item[0].status, 2),
            len(item[0].text),
            item[0].folded,
        ),
    )
    return [Suggestion(uid, cand.id, cand.lang, cand.text) for cand, uid in best[:limit]]
