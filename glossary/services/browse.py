"""Read models for the web pages: search hits grouped by concept, a concept across languages,
coverage per language. Each is a fixed, small number of queries (no N+1)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from glossary.extensions import db
from glossary.models import Ballot, Concept, History, Language, Term, Vote
from glossary.services.ballots import Tally
from glossary.services.search import SearchRow
from glossary.versions import probe

STATUS_ORDER = ("preferred", "admitted", "proposed", "deprecated", "rejected")
MAX_EQUIVALENTS = 12  # per concept in a result list; the concept page shows them all


def languages_by_tag() -> dict[str, Language]:
    return {language.tag: language for language in db.session.scalars(select(Language))}


def term_order(languages: dict[str, Language]) -> Callable[[Term], tuple[int, str, int, str]]:
    """Registry order of languages, then preferred before proposed before deprecated."""

    def key(term: Term) -> tuple[int, str, int, str]:
        language = languages.get(term.lang)
        return (
            language.position if language else 10_000,
            term.lang,
            STATUS_ORDER.index(term.status),
            term.text,
        )

    return key


@dataclass
class ConceptHit:
    """One concept in the results: the terms that matched and its sister-language terms."""

    concept: Concept
    matched: list[SearchRow] = field(default_factory=list)
    equivalents: list[Term] = field(default_factory=list)

    @property
    def matched_ids(self) -> set[int]:
        return {row.term.id for row in self.matched}


def group_by_concept(rows: list[SearchRow], languages: dict[str, Language]) -> list[ConceptHit]:
    """Each concept once, in the order of its best match, with its other terms (one query)."""
    hits: dict[int, ConceptHit] = {}
    for row in rows:
        concept = row.term.concept
        hits.setdefault(concept.id, ConceptHit(concept)).matched.append(row)
    if not hits:
        return []
    others = db.session.scalars(
        select(Term).where(Term.concept_id.in_(hits), Term.status.not_in(("rejected",)))
    )
    for term in sorted(others, key=term_order(languages)):
        hit = hits[term.concept_id]
        if term.id not in hit.matched_ids and len(hit.equivalents) < MAX_EQUIVALENTS:
            hit.equivalents.append(term)
    return list(hits.values())


@dataclass
class LanguageRow:
    tag: str
    language: Language | None
    terms: list[Term]


def rows_by_language(concept: Concept, languages: dict[str, Language]) -> list[LanguageRow]:
    """A concept's terms as one row per language, in registry order."""
    grouped: dict[str, list[Term]] = defaultdict(list)
    for term in sorted(concept.terms, key=term_order(languages)):
        grouped[term.lang].append(term)
    return [LanguageRow(tag, languages.get(tag), terms) for tag, terms in grouped.items()]


def concept_heading(concept: Concept, rows: list[LanguageRow]) -> str:
    """The English term if there is one (the shared working language), else the first one."""
    for row in rows:
        if row.tag == "en":
            return row.terms[0].text
    return rows[0].terms[0].text if rows else concept.uid


def latest_tallies(concept: Concept) -> dict[int, Tally]:
    """Each term's tally in the newest ballot of its language slot (two queries in all)."""
    newest = select(func.max(Ballot.id)).where(Ballot.concept_id == concept.id)
    ballot_ids = list(db.session.scalars(newest.group_by(Ballot.lang)))
    if not ballot_ids:
        return {}
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(Vote.term_id, Vote.value, func.count())
        .where(Vote.ballot_id.in_(ballot_ids))
        .group_by(Vote.term_id, Vote.value)
    )
    for term_id, value, count in rows:
        counts[term_id][value] = count
    return {t: Tally(c.get(1, 0), c.get(-1, 0), c.get(0, 0)) for t, c in counts.items()}


@dataclass(frozen=True, slots=True)
class CoverageRow:
    tag: str
    name: str
    direction: str
    preferred: int
    any_term: int


@dataclass(frozen=True, slots=True)
class Coverage:
    concepts: int
    rows: list[CoverageRow]
    domains: list[str]


# Counting every term is a full scan (seconds at a million terms), so each worker keeps the
# answer until the termbase changes (a new history row) and at most COVERAGE_CACHE_SECONDS
# when it keeps changing. Plain values only: no ORM objects outlive their session.
_coverage_cache: dict[tuple[int, str | None], tuple[float, tuple[object, ...], Coverage]] = {}


def _termbase_version() -> tuple[object, ...]:
    """Changes with every recorded change (ids restart after a wipe, so the time too)."""
    return probe(func.max(History.id), func.max(History.at))


def coverage(domain: str | None = None) -> Coverage:
    """Per language: how many live concepts have a preferred term, and how many have any term."""
    key = (id(current_app._get_current_object()), domain)  # type: ignore[attr-defined]
    max_age = float(current_app.config.get("COVERAGE_CACHE_SECONDS", 60))
    version = _termbase_version()
    cached = _coverage_cache.get(key)
    if cached and (cached[1] == version or time.monotonic() - cached[0] < max_age):
        return cached[2]
    result = _count_coverage(domain)
    if domain is None or is_known_domain(domain):  # made-up domains must not grow the cache
        _coverage_cache[key] = (time.monotonic(), version, result)
    return result


def _count_coverage(domain: str | None) -> Coverage:
    live = select(Concept.id).where(Concept.merged_into_id.is_(None))
    if domain:
        live = live.where(Concept.domain == domain)
        in_scope = Term.concept_id.in_(live)
    else:  # merged concepts are few: excluding them beats joining every term to its concept
        merged = select(Concept.id).where(Concept.merged_into_id.is_not(None))
        in_scope = Term.concept_id.not_in(merged)
    total = db.session.scalar(select(func.count()).select_from(live.subquery())) or 0
    # At most one preferred term per (concept, language) is a database constraint, so a plain
    # count of preferred terms counts concepts.
    preferred = dict(
        db.session.execute(
            select(Term.lang, func.count())
            .where(in_scope, Term.status == "preferred")
            .group_by(Term.lang)
        ).all()
    )
    pairs = (
        select(Term.lang, Term.concept_id)
        .where(in_scope, Term.status != "rejected")
        .distinct()
        .subquery()
    )
    any_term = dict(
        db.session.execute(select(pairs.c.lang, func.count()).group_by(pairs.c.lang)).all()
    )
    languages = languages_by_tag()
    rows = [
        CoverageRow(
            tag,
            languages[tag].autonym or languages[tag].name,
            languages[tag].direction,
            int(preferred.get(tag, 0)),
            int(count),
        )
        for tag, count in sorted(
            any_term.items(), key=lambda item: (languages[item[0]].position, item[0])
        )
        if tag in languages
    ]
    domains = db.session.scalars(
        select(Concept.domain)
        .where(Concept.domain.is_not(None), Concept.merged_into_id.is_(None))
        .group_by(Concept.domain)
        .order_by(Concept.domain)
        .limit(200)
    )
    return Coverage(int(total), rows, list(domains))


def is_known_domain(domain: str) -> bool:
    """Whether a live concept has this domain (coverage is cached per domain: only real ones)."""
    query = select(Concept.id).where(Concept.domain == domain, Concept.merged_into_id.is_(None))
    return db.session.scalar(query.limit(1)) is not None
