"""The search backend interface and what every backend shares: queries, hits, ranking, cursors.

Ranking (DESIGN.md §4) is decided here, once, for every way a candidate term is found: a
backend or an SQL level only *finds* candidates; :func:`classify` says how well each one
matches, so the database columns, Whoosh and PostgreSQL all rank the same term the same way.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from glossary.text.folding import fold_for_search, identity_norm, word_texts
from glossary.text.searchkey import query_keys, search_key

MatchKind = Literal["exact", "folded", "script", "prefix", "fuzzy"]
ALL_KINDS: frozenset[MatchKind] = frozenset({"exact", "folded", "script", "prefix", "fuzzy"})
# Preferred first, deprecated last (DESIGN.md §4); rejected terms sit just above deprecated.
STATUS_RANK = {"preferred": 0, "admitted": 1, "proposed": 2, "rejected": 3, "deprecated": 4}

# Levels, best first. Two levels share the API's "script" (same-language transliteration
# above a skeleton-only match) and two share "prefix" (the whole term, then a later word).
EXACT, FOLDED, SCRIPT_SAME, SCRIPT_SKELETON, PREFIX, WORD_PREFIX, FUZZY = range(7)
LEVEL_KIND: tuple[MatchKind, ...] = (
    "exact",
    "folded",
    "script",
    "script",
    "prefix",
    "prefix",
    "fuzzy",
)
LEVEL_SCORE = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrictions on the terms a search may return; None or empty means no restriction."""

    lang: str | None = None
    statuses: tuple[str, ...] = ()
    domain: str | None = None
    meetup: int | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """What ranking needs to know about one found term (a database row or an index entry)."""

    id: int
    lang: str
    text: str
    norm: str
    folded: str
    key: str
    status: str


@dataclass(frozen=True, slots=True)
class IndexedTerm:
    """One term as a backend indexes it: the candidate fields plus what filters and
    suggestions need (concept uid, domain, meetup)."""

    id: int
    concept: str
    lang: str
    text: str
    norm: str
    folded: str
    key: str
    status: str
    domain: str | None
    meetup: int | None

    def candidate(self) -> Candidate:
        return Candidate(
            self.id, self.lang, self.text, self.norm, self.folded, self.key, self.status
        )


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked result: the term id, how it matched, and a score in (0, 1]."""

    term_id: int
    match: MatchKind
    score: float


@dataclass(frozen=True, slots=True)
class HitPage:
    hits: list[Hit]
    next: str | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An autocomplete entry: the API's ``{"concept", "term", "lang", "text"}``."""

    concept: str
    term: int
    lang: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"concept": self.concept, "term": self.term, "lang": self.lang, "text": self.text}


@dataclass
class IndexReport:
    """How a backend's index differs from the database (term ids)."""

    documents: int = 0
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    extra: list[int] = field(default_factory=list)  # in the index, not (or no longer) searchable
    stale: list[int] = field(default_factory=list)  # indexed with other text/status/filters
    problems: list[str] = field(default_factory=list)  # the index itself is unusable

    @property
    def drift(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.stale)


@dataclass(frozen=True)
class SearchQuery:
    """A validated query with its search forms, computed once and shared by every level."""

    text: str  # cleaned: NFC, whitespace collapsed
    folded: str
    keys: tuple[str, ...]
    kinds: frozenset[MatchKind] = ALL_KINDS
    _per_lang: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def parse(cls, text: str, lang: str | None = None, kinds: Iterable[MatchKind] = ALL_KINDS):
        """Build the folded form and cross-script keys of already cleaned ``text``."""
        return cls(text, fold_for_search(text), tuple(query_keys(text, lang)), frozenset(kinds))

    @property
    def words(self) -> list[str]:
        return word_texts(self.folded)

    @property
    def key_words(self) -> list[str]:
        return sorted({word for key in self.keys for word in key.split()})

    def norm_for(self, lang: str) -> str:
        """The query's identity form in ``lang`` (tr ``ILIK`` → ``ılık``), as terms store it."""
        return self._cached("norm", lang, identity_norm)

    def key_for(self, lang: str) -> str:
        """The query read as text of ``lang``: its same-language transliteration key."""
        return self._cached("key", lang, search_key)

    def _cached(self, what: str, lang: str, compute: Callable[[str, str], str]) -> str:
        value = self._per_lang.get((what, lang))
        if value is None:
            value = self._per_lang[(what, lang)] = compute(self.text, lang)
        return value


def _word_prefix(words: Sequence[str], target: str) -> bool:
    """Every query word starts some word of ``target``."""
    targets = target.split()
    return bool(words) and all(any(t.startswith(w) for t in targets) for w in words)


def _similarity(query: SearchQuery, cand: Candidate) -> float:
    """How close the term is, in its own script or by its Latin key (so a Cyrillic term found
    by a Latin query is not scored as unrelated)."""
    pairs = [(query.folded, cand.folded), *((key, cand.key) for key in query.keys if cand.key)]
    return max(difflib.SequenceMatcher(None, a, b).ratio() for a, b in pairs)


def classify(query: SearchQuery, cand: Candidate) -> tuple[int, float]:
    """The best level at which ``cand`` matches ``query``, and its similarity in [0, 1]."""
    if cand.norm == query.norm_for(cand.lang):
        return EXACT, 1.0
    if cand.folded == query.folded:
        return FOLDED, 1.0
    if cand.key and cand.key == query.key_for(cand.lang):
        return SCRIPT_SAME, 1.0
    if cand.key in query.keys:
        return SCRIPT_SKELETON, 1.0
    similarity = _similarity(query, cand)
    if cand.folded.startswith(query.folded) or any(cand.key.startswith(k) for k in query.keys):
        return PREFIX, similarity
    if _word_prefix(query.words, cand.folded) or _word_prefix(query.key_words, cand.key):
        return WORD_PREFIX, similarity
    return FUZZY, similarity


def rank_key(level: int, similarity: float, cand: Candidate) -> tuple[Any, ...]:
    """Sort order: level, then status (preferred first, deprecated last), then closeness."""
    return (
        level,
        STATUS_RANK.get(cand.status, 2),
        -round(similarity, 3),
        len(cand.text),
        cand.folded,
        cand.id,
    )


def rank(query: SearchQuery, candidates: Iterable[Candidate]) -> list[tuple[Candidate, Hit]]:
    """Classify and sort candidates; kinds the query does not ask for are dropped."""
    scored = []
    for cand in candidates:
        level, similarity = classify(query, cand)
        kind = LEVEL_KIND[level]
        if kind not in query.kinds:
            continue
        score = LEVEL_SCORE[level] * (similarity if level >= PREFIX else 1.0)
        scored.append(
            (rank_key(level, similarity, cand), cand, Hit(cand.id, kind, round(score, 4)))
        )
    scored.sort(key=lambda item: item[0])
    return [(cand, hit) for _, cand, hit in scored]


# A phase finds candidates (excluding ids already ranked) for the levels it is cheapest at.
Phase = Callable[[set[int]], Iterable[Candidate]]


def merge_phases(
    query: SearchQuery, phases: Sequence[Phase], wanted: int
) -> tuple[list[Hit], bool]:
    """Run phases in order until ``wanted`` hits are ranked; one hit per term.

    Every phase returns a bounded set that does not depend on ``wanted``, so page boundaries
    stay stable, and a later (costlier) phase runs only while the earlier ones gave fewer
    than ``wanted``. Returns the hits and whether more may exist.
    """
    hits: list[Hit] = []
    seen: set[int] = set()
    for phase in phases:
        if len(hits) >= wanted:
            return hits, True  # a phase not run may hold more
        for cand, hit in rank(query, phase(seen)):
            if cand.id not in seen:
                seen.add(cand.id)
                hits.append(hit)
    return hits, len(hits) > wanted


# -- opaque cursors ---------------------------------------------------------------------------


class CursorError(ValueError):
    """A cursor that this query did not hand out."""


def fingerprint(*parts: object) -> str:
    """A short digest tying a cursor to its query and filters."""
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2s(raw.encode(), digest_size=6).hexdigest()


def encode_cursor(offset: int, print_: str) -> str:
    raw = json.dumps({"o": offset, "f": print_}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, print_: str, max_offset: int) -> int:
    """The offset a cursor stands for; CursorError if it is malformed or from another query."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        offset, owner = data["o"], data["f"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise CursorError("the cursor is not one this search handed out") from exc
    if owner != print_:
        raise CursorError("the cursor belongs to another query or other filters")
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= max_offset:
        raise CursorError("the cursor is out of range")
    return offset


def page_of(
    hits: list[Hit], more: bool, offset: int, limit: int, print_: str, max_offset: int
) -> HitPage:
    """Slice one page and hand out the cursor of the next, if there may be one."""
    end = offset + limit
    has_next = more and end <= max_offset
    return HitPage(hits[offset:end], encode_cursor(end, print_) if has_next else None)


# -- the protocol -----------------------------------------------------------------------------


@runtime_checkable
class SearchBackend(Protocol):
    """What Tamyr needs from a search engine (DESIGN.md §4)."""

    name: str

    def index(self, terms: Iterable[IndexedTerm]) -> int:
        """Add or replace these terms' entries; returns how many were written."""
        ...

    def remove(self, ids: Iterable[int]) -> int:
        """Drop these term ids from the index (unknown ids are ignored)."""
        ...

    def search(
        self, query: SearchQuery, filters: SearchFilters, limit: int, cursor: str | None = None
    ) -> HitPage:
        """Ranked hits of the kinds ``query.kinds`` asks for, one per term."""
        ...

    def fuzzy(self, query: SearchQuery, filters: SearchFilters, limit: int) -> list[Candidate]:
        """At most ``limit`` candidates for what indexed columns cannot find: a later word's
        prefix, a typo, a loose cross-script key. Bounded in cost; ranked by the caller."""
        ...

    def suggest(self, prefix: str, lang: str | None = None, limit: int = 10) -> list[Suggestion]:
        """Terms with a later word starting with ``prefix`` (already folded); the columns
        answer whole-term prefixes."""
        ...

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Build a fresh index from the database aside and swap it in; returns its size."""
        ...

    def check(self) -> IndexReport:
        """Compare the index with the database."""
        ...

    def is_current(self) -> bool:
        """Was the index written in this release's format? (If not, rebuild it.)"""
        ...

    def exclusive(self, wait: float | None = None) -> AbstractContextManager[bool]:
        """Hold the one-writer-at-a-time lock (yields False if ``wait`` ran out)."""
        ...


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of at most ``size`` items."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
